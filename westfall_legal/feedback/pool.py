"""The training pool: imported bundles, kept in the data folder under the store's key.

``import_bundle`` verifies a bundle completely (:mod:`.verify`) and checks that its signer
is trusted (this installation, a key in the store's list of trusted signers, or the user's
``trust_once`` after seeing the fingerprint) before anything is written; then it seals
the verified zip into ``feedback/BUNDLE_ID.wfb.sealed`` (AES-256-GCM under a
key derived from the store key: the pool holds contract text, so it is encrypted like the
store), records it in ``feedback/pool.json`` (ids, counts, document names: no content) and
in the audit log. A bundle already in the pool is not imported twice. A document that
several bundles carry (same anonymised text, same name) is trained on once: from the
newest bundle, which holds its latest corrections.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from westfall_legal import paths
from westfall_legal.errors import FeedbackBundleError, OutputError, UntrustedSignerError
from westfall_legal.feedback import bundle as fmt
from westfall_legal.feedback.verify import Bundle, read_bundle, read_bundle_bytes
from westfall_legal.stamps import now
from westfall_legal.store import Store
from westfall_legal.store.signing import InstallationKeys

log = logging.getLogger(__name__)
INDEX = "pool.json"


def pool_dir() -> Path:
    return paths.data_dir() / "feedback"


@dataclass(frozen=True)
class ImportResult:
    bundle_id: str
    signer: str
    signer_name: str  # "this installation", a trusted signer's name, or "trusted once"
    encrypted: bool
    documents: list[str]
    new_documents: list[str]  # not in any bundle imported before
    corrections: int
    already_imported: bool
    path: Path | None  # the sealed copy in the pool


def read_index() -> list[dict[str, Any]]:
    """The pool's entries, oldest import first (no unlocking needed)."""
    path = pool_dir() / INDEX
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text("utf-8"))["bundles"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FeedbackBundleError(
            f"{path}: the feedback pool's index is unreadable ({exc}).",
            hint="Restore it from a backup, or delete it and import the bundles again.",
        ) from None
    return [dict(e) for e in entries]


def _write_index(entries: list[dict[str, Any]]) -> None:
    path = pool_dir() / INDEX
    try:
        paths.write_json(path, {"bundles": entries}, indent=2)
    except OSError as exc:
        raise OutputError(f"{path}: cannot update the feedback pool ({exc.strerror}).") from exc


def trusted_name(store: Store, bundle: Bundle) -> str | None:
    """Who signed ``bundle`` as this installation knows them; None for an unknown key."""
    if bundle.signer == InstallationKeys.of(store).fingerprint:
        return "this installation"
    known = store.signers.find(bundle.signer)
    return known.name if known else None


def require_trusted(store: Store, bundle: Bundle, *, trust_once: bool = False) -> str:
    """The signer's name (see :func:`trusted_name`); an unknown signer is refused unless
    the user, shown its fingerprint, chose to trust this one bundle."""
    name = trusted_name(store, bundle)
    if name is not None:
        return name
    if trust_once:
        return "trusted once"
    raise UntrustedSignerError(
        f"{bundle.source}: signed by an unknown key (fingerprint {bundle.signer}); it is "
        "not among this installation's trusted signers."
    )


def import_bundle(
    store: Store,
    path: Path,
    schema: fmt.LabelSchema,
    *,
    expect_signer: str | None = None,
    trust_once: bool = False,
) -> ImportResult:
    """Verify ``path`` and add it to the pool (see the module docstring)."""
    keys = InstallationKeys.of(store)
    bundle = read_bundle(path, keys, schema, expect_signer=expect_signer)
    signer_name = require_trusted(store, bundle, trust_once=trust_once)
    entries = read_index()
    corrections = int(bundle.manifest["counts"]["corrections"])
    if any(e["id"] == bundle.bundle_id for e in entries):
        return ImportResult(
            bundle.bundle_id, bundle.signer, signer_name, bundle.encrypted, bundle.documents,
            [], corrections, already_imported=True, path=None,
        )  # fmt: skip
    known = {d for e in entries for d in e["documents"]}
    new = [d for d in bundle.documents if d not in known]
    folder = pool_dir()
    target = fmt.safe_join(folder, f"{bundle.bundle_id}.wfb.sealed", bundle.source)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fmt.write_bytes(target, keys.seal_file(bundle.zip_bytes, target.name))
    except FeedbackBundleError:
        target.unlink()  # a leftover of an import cut short: no index entry points at it
        fmt.write_bytes(target, keys.seal_file(bundle.zip_bytes, target.name))
    entry = {
        "id": bundle.bundle_id,
        "file": target.name,
        "signer": bundle.signer,
        "signer_name": signer_name,
        "created": bundle.manifest["created"],
        "imported": now(),
        "anonymised": bundle.manifest["anonymised"],
        "documents": bundle.documents,
        "counts": bundle.manifest["counts"],
    }
    _write_index([*entries, entry])
    with store.write():
        store.audit.append(
            None,
            "feedback.imported",
            {
                "bundle": bundle.bundle_id,
                "signer": bundle.signer,
                "signer_name": signer_name,
                "documents": len(bundle.documents),
                "new_documents": len(new),
                "corrections": corrections,
            },
        )
    log.info("feedback bundle imported: %d documents, %d new", len(bundle.documents), len(new))
    return ImportResult(
        bundle.bundle_id, bundle.signer, signer_name, bundle.encrypted, bundle.documents, new,
        corrections, already_imported=False, path=target,
    )  # fmt: skip


def pooled_bundles(store: Store, schema: fmt.LabelSchema) -> list[Bundle]:
    """Every bundle of the pool, opened and verified again, newest (by creation) first."""
    keys = InstallationKeys.of(store)
    out = []
    for entry in read_index():
        sealed = fmt.safe_join(pool_dir(), str(entry["file"]), str(pool_dir() / INDEX))
        try:
            blob = sealed.read_bytes()
        except OSError as exc:
            raise FeedbackBundleError(
                f"{sealed}: an imported bundle is missing from the pool ({exc.strerror}).",
                hint="Import it again with `westfall import-feedback FILE`.",
            ) from None
        data = keys.open_file(blob, sealed.name)
        out.append(read_bundle_bytes(data, str(sealed), keys, schema))
    return sorted(out, key=lambda b: str(b.manifest["created"]), reverse=True)


def latest_documents(bundles: list[Bundle]) -> dict[str, Bundle]:
    """Document name -> the newest bundle that carries it (``bundles`` newest first)."""
    out: dict[str, Bundle] = {}
    for b in sorted(bundles, key=lambda b: str(b.manifest["created"]), reverse=True):
        for name in b.documents:
            out.setdefault(name, b)
    return out
