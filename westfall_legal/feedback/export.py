"""Stored corrections -> a feedback bundle: choose, anonymise, build, check, sign, write.

    preview = preview_export(store, Selection(matters=("Acme v Beta",)), schema)
    preview.report.counts, preview.report.mapping   # shown locally, never written
    result = write_export(store, preview, Path("acme.wfb"), recipient=None)

A document is exported when it has at least one correction in effect (not undone) made in
the selection (its matters, on or after ``since``). The preview holds the finished members,
so what the reviewer checks is byte for byte what is written.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from westfall_legal import __version__
from westfall_legal.errors import AnonymisationError, FeedbackBundleError
from westfall_legal.feedback import bundle as fmt
from westfall_legal.feedback.anonymise import (
    AnonymisationReport,
    Anonymised,
    Anonymiser,
    OffsetMap,
    plain_report,
)
from westfall_legal.feedback.examples import DocumentRows, ExportDocument, RowBuilder
from westfall_legal.feedback.quality import quality_report
from westfall_legal.hashing import sha256_bytes
from westfall_legal.stamps import now, random_id
from westfall_legal.store import Store
from westfall_legal.store.corrections import in_effect
from westfall_legal.store.signing import InstallationKeys, fingerprint

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Selection:
    """What to export: matters by name or id (none: every matter), and corrections made on
    or after ``since`` (an ISO date or time; None: all)."""

    matters: tuple[str, ...] = ()
    since: str | None = None
    anonymise: bool = True

    def since_iso(self) -> str | None:
        if not self.since:
            return None
        try:
            moment = datetime.datetime.fromisoformat(self.since)
        except ValueError:
            raise FeedbackBundleError(
                f"--since {self.since!r} is not a date.", hint="Give it as YYYY-MM-DD."
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.UTC)
        return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class ExportPreview:
    """A built, unsigned bundle and what it took out."""

    content: fmt.BundleContent
    report: AnonymisationReport  # .mapping: the originals, for this screen only
    quality: dict[str, Any]
    documents: list[str]  # bundle names, in order
    sources: dict[str, str]  # bundle name -> the stored document's file name (local only)
    skipped: int  # corrections about older reviews' clauses, left out
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    bundle_id: str
    sha256: str
    encrypted_to: str | None  # the recipient key's fingerprint
    signer: str
    counts: dict[str, int]


def collect(store: Store, selection: Selection) -> list[ExportDocument]:
    """The documents of the selection that carry corrections, with what a bundle needs."""
    since = selection.since_iso()
    if selection.matters:
        matters = [store.matters.get(m) for m in selection.matters]
    else:
        matters = store.matters.list()
    out = []
    with store.read():
        for matter in matters:
            for info in store.reviews.documents(matter.id):
                state = store.corrections.state(info.id)
                chosen = [
                    c for c in in_effect(state.corrections) if since is None or c.created >= since
                ]
                if not chosen or state.review is None:
                    continue
                annotations = store.reviews.annotations(info.id, state.review.id)
                out.append(
                    ExportDocument(
                        info=info,
                        text=store.reviews.text(info.id),
                        body=state.review.body,
                        state=state,
                        corrections=tuple(chosen),
                        predictions={a.id: a.data for a in annotations if a.kind == "clause"},
                    )
                )
    return out


def _name(text: str) -> str:
    """A document's name in the bundle: the digest of its (anonymised) text, so the same
    document has the same name in every bundle and duplicates show."""
    return "doc-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def build_preview(
    documents: list[ExportDocument],
    schema: fmt.LabelSchema,
    pseudonym: Callable[[str], str],
    *,
    anonymise: bool = True,
    selection: Selection | None = None,
) -> ExportPreview:
    if not documents:
        raise FeedbackBundleError(
            "no corrections to export in the selection.",
            hint="Correct some clauses first, or widen --matter / --since.",
        )
    anonymiser = Anonymiser() if anonymise else None
    if anonymiser is not None:
        for doc in documents:
            anonymiser.learn(doc.text, {**doc.body, "facts": _facts(doc)}, doc.state.clauses)
    builder = RowBuilder(anonymiser, pseudonym)
    rows: dict[str, DocumentRows] = {}
    names: dict[str, list[str]] = {}
    sources: dict[str, str] = {}
    done = [(doc, _anonymised(anonymiser, doc.text)) for doc in documents]
    # Of copies of the same text, the most recently corrected one gives the spans; the
    # others' corrections join it.
    done.sort(key=lambda d: max(c.created for c in d[0].corrections), reverse=True)
    for doc, anon in done:
        name = _name(anon.text)
        names.setdefault(name, []).append(doc.info.id)
        built = builder.build(doc, name, anon)
        if name in rows:
            rows[name].corrections += built.corrections
            rows[name].sft += built.sft
            continue
        if anonymiser is not None:
            anonymiser.tally(name, anon.counts)
        sources[name] = doc.info.file_name
        rows[name] = built
    duplicates = [[n] * len(ids) for n, ids in names.items() if len(ids) > 1]
    report = anonymiser.report() if anonymiser else plain_report()
    content, quality = _content(
        list(rows.values()), schema, report, duplicates, selection or Selection()
    )
    if anonymiser is not None:
        _refuse_leaks(anonymiser, content)
    return ExportPreview(
        content=content,
        report=report,
        quality=quality,
        documents=list(rows),
        sources=sources,
        skipped=sum(r.skipped for r in rows.values()),
        counts=dict(content.manifest["counts"]),
    )


def _anonymised(anonymiser: Anonymiser | None, text: str) -> Anonymised:
    return anonymiser.text(text) if anonymiser else Anonymised(text, OffsetMap())


def _facts(doc: ExportDocument) -> dict[str, Any]:
    return {name: {"value": f.value} for name, f in doc.state.facts.items()}


def _content(
    rows: list[DocumentRows],
    schema: fmt.LabelSchema,
    report: AnonymisationReport,
    duplicates: list[list[str]],
    selection: Selection,
) -> tuple[fmt.BundleContent, dict[str, Any]]:
    corrections = [c for r in rows for c in sorted(r.corrections, key=lambda c: c["time"])]
    sft = [e for r in rows for e in r.sft]
    spans = [r.spans for r in rows]
    quality = quality_report(
        spans, corrections, duplicates, schema.categories, schema.contract_types
    )
    members = {
        fmt.CORRECTIONS: fmt.jsonl(corrections),
        fmt.SFT: fmt.jsonl(sft),
        fmt.SPANS: fmt.jsonl(spans),
        fmt.QUALITY: fmt.dumps(quality),
        fmt.ANONYMISATION: fmt.dumps(report.for_bundle()),
        **{f"{fmt.TEXTS}{r.name}.txt": r.text.encode("utf-8") for r in rows},
    }
    models = {(c["model"] or {}).get("sha256", ""): c["model"] for c in corrections if c["model"]}
    by_action: dict[str, int] = {}
    for c in corrections:
        by_action[c["action"]] = by_action.get(c["action"], 0) + 1
    manifest = {
        "schema": fmt.SCHEMA,
        "version": fmt.VERSION,
        "bundle_id": random_id(),
        "created": now(),
        "app_version": __version__,
        "label_schema": schema.to_json(),
        "models": [models[k] for k in sorted(models)],
        "anonymised": report.enabled,
        "selection": {"matters": len(selection.matters) or "all", "since": selection.since},
        "documents": [r.name for r in rows],
        "counts": {
            "documents": len(rows),
            "corrections": len(corrections),
            "corrections_by_action": dict(sorted(by_action.items())),
            "sft_examples": len(sft),
            "spans": sum(len(v["spans"]) for s in spans for v in s["labels"].values()),
        },
    }
    return fmt.BundleContent(members, manifest), quality


def _refuse_leaks(anonymiser: Anonymiser, content: fmt.BundleContent) -> None:
    """Refuse to go on when any original value found is still in any member."""
    for member, data in sorted(content.members.items()):
        text = data.decode("utf-8").replace("\\n", " ")
        found = anonymiser.leaks(text)
        if found:
            raise AnonymisationError(
                f"member {member} would still hold {len(found)} name(s) or number(s) that "
                "were meant to be replaced."
            )


def preview_export(store: Store, selection: Selection, schema: fmt.LabelSchema) -> ExportPreview:
    """Build the bundle in memory for the reviewer to check (GUI preview, ``--preview``)."""
    keys = InstallationKeys.of(store)
    documents = collect(store, selection)
    return build_preview(
        documents, schema, keys.pseudonym, anonymise=selection.anonymise, selection=selection
    )


def write_export(
    store: Store, preview: ExportPreview, out: Path, *, recipient: bytes | None = None
) -> ExportResult:
    """Sign (and encrypt) the previewed bundle, write it to ``out``, and audit the export."""
    keys = InstallationKeys.of(store)
    data = fmt.bundle_bytes(preview.content, keys, recipient)
    fmt.write_bytes(out, data)
    manifest = preview.content.manifest
    result = ExportResult(
        path=out,
        bundle_id=str(manifest["bundle_id"]),
        sha256=sha256_bytes(data),
        encrypted_to=fingerprint(recipient) if recipient is not None else None,
        signer=keys.fingerprint,
        counts=preview.counts,
    )
    with store.write():
        store.audit.append(
            None,
            "feedback.exported",
            {
                "bundle": result.bundle_id,
                "sha256": result.sha256,
                "documents": preview.counts["documents"],
                "corrections": preview.counts["corrections"],
                "anonymised": manifest["anonymised"],
                "encrypted_to": result.encrypted_to,
            },
        )
    log.info("feedback bundle written: %d documents", preview.counts["documents"])
    return result


def export_feedback(
    store: Store,
    out: Path,
    selection: Selection,
    schema: fmt.LabelSchema,
    *,
    recipient: bytes | None = None,
) -> tuple[ExportPreview, ExportResult]:
    preview = preview_export(store, selection, schema)
    return preview, write_export(store, preview, out, recipient=recipient)
