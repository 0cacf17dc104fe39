"""The bundle file: a zip of JSON members, a manifest that lists each member's sha256, and
an Ed25519 signature over the manifest; optionally the whole zip encrypted to a recipient.

Layout::

    manifest.json          schema, version, app and label-schema versions, the models whose
                           predictions were corrected, counts, created-at, the signer's
                           public key, and {member: {sha256, size}} for every other member
    signature              base64 Ed25519 signature over the exact bytes of manifest.json
    corrections.jsonl      one correction per line (prediction, correction, span, context ...)
    train/sft.jsonl        chat-format examples for fine-tuning the local LLM
    train/spans.jsonl      CUAD-format labels; ``txt_file`` is relative to this file
    train/texts/NAME.txt   the (anonymised) text of each document
    quality.json           label distribution, thin categories, disagreements, duplicates
    anonymisation.json     what was replaced, per kind and document (never the originals)

Encrypted: ``MAGIC`` followed by ephemeral X25519 public key, nonce and AES-256-GCM
ciphertext of the zip (see ``store/crypto.py: seal_to``).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from westfall_legal import paths
from westfall_legal.errors import BundleTamperedError, FeedbackBundleError, OutputError
from westfall_legal.hashing import sha256_bytes
from westfall_legal.store.signing import InstallationKeys, encode_key, seal_to

SCHEMA = "westfall.feedback-bundle"
VERSION = 1
MAGIC = b"WESTFALL-FEEDBACK-ENCRYPTED/1\n"
SUFFIX = ".wfb"
MANIFEST = "manifest.json"
SIGNATURE = "signature"
CORRECTIONS = "corrections.jsonl"
SFT = "train/sft.jsonl"
SPANS = "train/spans.jsonl"
TEXTS = "train/texts/"
QUALITY = "quality.json"
ANONYMISATION = "anonymisation.json"
REQUIRED = (CORRECTIONS, SFT, SPANS, QUALITY, ANONYMISATION)
# What a member may be called: the fixed names above, or a document's text under TEXTS.
FIXED_MEMBERS = frozenset((MANIFEST, SIGNATURE, *REQUIRED))
DOCUMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}(?:\.[A-Za-z0-9_-]{1,16}){0,2}")
BUNDLE_ID = re.compile(r"[0-9a-f]{16}")
LABEL_SCHEMA_NAME = "cuad-v1"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def dumps(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def jsonl(rows: Iterable[Any]) -> bytes:
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows]
    return ("\n".join(lines) + "\n" if lines else "").encode("utf-8")


@dataclass(frozen=True)
class LabelSchema:
    """The labels a bundle's examples use: CUAD's categories and contract types."""

    categories: tuple[str, ...]
    contract_types: tuple[str, ...] = ()

    @property
    def digest(self) -> str:
        return sha256_bytes("\n".join(self.categories).encode())

    def to_json(self) -> dict[str, Any]:
        return {
            "name": LABEL_SCHEMA_NAME,
            "sha256": self.digest,
            "categories": list(self.categories),
        }


@dataclass(frozen=True)
class BundleContent:
    """Everything a bundle holds except its member list and signature: what the preview
    shows is exactly what :func:`write_bundle` writes."""

    members: dict[str, bytes]
    manifest: dict[str, Any]


def _zip(files: Sequence[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zf.writestr(info, data)
    return buffer.getvalue()


def signed_manifest(content: BundleContent, keys: InstallationKeys) -> tuple[bytes, bytes]:
    """The manifest's bytes (members and signer added) and their signature (base64)."""
    manifest = {
        **content.manifest,
        "members": {
            name: {"sha256": sha256_bytes(data), "size": len(data)}
            for name, data in sorted(content.members.items())
        },
        "signer": {
            "algorithm": "Ed25519",
            "public_key": encode_key(keys.signing_public),
            "fingerprint": keys.fingerprint,
        },
    }
    raw = dumps(manifest)
    return raw, encode_key(keys.sign(raw)).encode("ascii") + b"\n"


def bundle_bytes(
    content: BundleContent, keys: InstallationKeys, recipient: bytes | None = None
) -> bytes:
    manifest, signature = signed_manifest(content, keys)
    files = [(MANIFEST, manifest), (SIGNATURE, signature), *sorted(content.members.items())]
    data = _zip(files)
    return MAGIC + seal_to(recipient, data) if recipient is not None else data


def member_problem(name: str) -> str | None:
    """Why ``name`` may not be a bundle member, or None when it may: a fixed name, or
    ``train/texts/DOCUMENT.txt`` with a plain document name (no folders, no ``..``)."""
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return "is an absolute path"
    if "\\" in name:
        return "holds a backslash"
    if ".." in name.split("/"):
        return "climbs out of the bundle (..)"
    if name in FIXED_MEMBERS:
        return None
    inner = name[len(TEXTS) : -len(".txt")]
    if name.startswith(TEXTS) and name.endswith(".txt") and DOCUMENT_NAME.fullmatch(inner):
        return None
    return "is not a member a feedback bundle may hold"


def text_member(document: str) -> str:
    return f"{TEXTS}{document}.txt"


def safe_join(folder: Path, relative: str, source: str) -> Path:
    """``folder / relative`` when it stays inside ``folder`` (names from a bundle are
    checked when it is read; this refuses again where a name becomes a path)."""
    target = folder / relative
    if Path(relative).is_absolute() or not target.resolve().is_relative_to(folder.resolve()):
        raise BundleTamperedError(f"{source}: the name {relative[:80]!r} leads out of {folder}.")
    return target


def write_bytes(out: Path, data: bytes) -> None:
    """Write a new file all at once (temporary file, fsync, rename); never overwrite. The
    file is readable by its owner only (0600), like the store."""
    if out.exists():
        raise FeedbackBundleError(
            f"{out}: the file already exists.", hint="Choose a new file name, or delete it first."
        )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        paths.write_atomic(out, data)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write the bundle ({exc.strerror}).") from exc
