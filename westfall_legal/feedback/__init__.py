"""Feedback bundles: stored corrections -> an anonymised, signed file; a file -> training data.

    from westfall_legal.feedback import LabelSchema, Selection, preview_export, write_export
    with Store.open(passphrase) as store:
        preview = preview_export(store, Selection(matters=("Acme v Beta",)), schema)
        preview.report            # what was replaced, per kind (mapping: originals, local only)
        preview.quality           # label distribution, thin categories, disagreements ...
        write_export(store, preview, Path("acme.wfb"), recipient=None)   # signed (+ encrypted)
        import_bundle(store, Path("acme.wfb"), schema)   # verified, signer trusted, pooled

The bundle format is in :mod:`.bundle`, its checks in :mod:`.verify`, anonymisation in
:mod:`.anonymise` and :mod:`.patterns`. docs/feedback.md.
"""

from westfall_legal.feedback.anonymise import AnonymisationReport, Anonymiser
from westfall_legal.feedback.bundle import LabelSchema
from westfall_legal.feedback.export import (
    ExportPreview,
    ExportResult,
    Selection,
    export_feedback,
    preview_export,
    write_export,
)
from westfall_legal.feedback.pool import (
    ImportResult,
    import_bundle,
    latest_documents,
    pooled_bundles,
    read_index,
    require_trusted,
)
from westfall_legal.feedback.verify import Bundle, read_bundle

__all__ = [
    "AnonymisationReport",
    "Anonymiser",
    "Bundle",
    "ExportPreview",
    "ExportResult",
    "ImportResult",
    "LabelSchema",
    "Selection",
    "export_feedback",
    "import_bundle",
    "latest_documents",
    "pooled_bundles",
    "preview_export",
    "read_bundle",
    "read_index",
    "require_trusted",
    "write_export",
]
