"""Reading a bundle: decrypt (when it was encrypted to us), then verify in this order —
a zip, a known schema and version, the signature over the manifest, the member list and
every member's sha256 and size, then each member's own schema. The first failure raises
an error that names the member; nothing is returned (or imported) before all checks pass.

The signature proves the manifest (and through its digests every member) is exactly what
the signer wrote. Which signer to trust is the importer's call: ``expect_signer`` pins a
fingerprint (as ``westfall feedback-key`` prints it on the sender's machine).
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from westfall_legal.errors import (
    BundleRecipientError,
    BundleTamperedError,
    BundleVersionError,
    FeedbackBundleError,
    InputNotFoundError,
)
from westfall_legal.feedback import bundle as fmt
from westfall_legal.store import ACTIONS
from westfall_legal.store.signing import InstallationKeys, decode_key, fingerprint, verify

MAX_MEMBERS = 200_000
MAX_UNPACKED = 4 * 1024**3  # bytes in all members together
ROLES = ("system", "user", "assistant")


@dataclass(frozen=True)
class Bundle:
    """A verified bundle, held in memory."""

    source: str
    manifest: dict[str, Any]
    members: dict[str, bytes]
    zip_bytes: bytes  # the signed zip (decrypted)
    encrypted: bool

    @property
    def bundle_id(self) -> str:
        return str(self.manifest["bundle_id"])

    @property
    def signer(self) -> str:
        return str(self.manifest["signer"]["fingerprint"])

    @property
    def documents(self) -> list[str]:
        return [str(d) for d in self.manifest["documents"]]

    def rows(self, member: str) -> list[dict[str, Any]]:
        return _jsonl(self.members[member], member)

    def text(self, document: str) -> str:
        return self.members[f"{fmt.TEXTS}{document}.txt"].decode("utf-8")

    def extract(self, folder: Path, documents: set[str] | None = None) -> Path:
        """Write ``train/spans.jsonl`` and the texts (only ``documents`` if given) under
        ``folder``, as ``evaluate --gold`` and ``train-clauses`` read them; returns the
        labels file."""
        records = [
            r for r in self.rows(fmt.SPANS) if documents is None or r["filename"] in documents
        ]
        labels = folder / "spans.jsonl"
        (folder / "texts").mkdir(parents=True, exist_ok=True)
        for r in records:
            (folder / r["txt_file"]).write_bytes(self.members[f"train/{r['txt_file']}"])
        labels.write_bytes(fmt.jsonl(records))
        return labels


def _fail(source: str, message: str) -> BundleTamperedError:
    return BundleTamperedError(f"{source}: {message}")


def _jsonl(data: bytes, member: str) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(data.decode("utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError(f"{member} line {n} is not a JSON object")
            rows.append(row)
    return rows


def decrypt(data: bytes, source: str, keys: InstallationKeys | None) -> tuple[bytes, bool]:
    if not data.startswith(fmt.MAGIC):
        return data, False
    if keys is None:
        raise BundleRecipientError(f"{source}: the bundle is encrypted; unlock the store first.")
    plain = keys.open_sealed(data[len(fmt.MAGIC) :])
    if plain is None:
        raise BundleRecipientError(
            f"{source}: the bundle is encrypted to another key (or its ciphertext was altered)."
        )
    return plain, True


def read_bundle(
    path: Path,
    keys: InstallationKeys | None,
    schema: fmt.LabelSchema,
    *,
    expect_signer: str | None = None,
) -> Bundle:
    """The verified bundle at ``path`` (see the module docstring for the checks)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputNotFoundError.for_path(path) from None
    except OSError as exc:
        raise FeedbackBundleError(f"{path}: cannot read the bundle ({exc.strerror}).") from exc
    return read_bundle_bytes(data, str(path), keys, schema, expect_signer=expect_signer)


def read_bundle_bytes(
    data: bytes,
    source: str,
    keys: InstallationKeys | None,
    schema: fmt.LabelSchema,
    *,
    expect_signer: str | None = None,
) -> Bundle:
    plain, encrypted = decrypt(data, source, keys)
    members = _unzip(plain, source)
    manifest = _manifest(members, source)
    _check_signature(members, manifest, source, expect_signer)
    _check_members(members, manifest, source)
    body = {k: v for k, v in members.items() if k not in (fmt.MANIFEST, fmt.SIGNATURE)}
    _check_schema(body, manifest, source, schema)
    return Bundle(source, manifest, body, plain, encrypted)


def _unzip(data: bytes, source: str) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise _fail(source, "the bundle unpacks to more than a bundle can hold.")
            names = [i.filename for i in infos]
            if len(set(names)) != len(names):
                raise _fail(source, "the bundle holds two members with the same name.")
            return {i.filename: zf.read(i) for i in infos}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise BundleTamperedError(
            f"{source}: not a readable feedback bundle (truncated or damaged: {exc})."
        ) from None
    except (zipfile.error, OSError, RuntimeError) as exc:  # CRC errors, bad compression
        raise _fail(source, f"a member of the zip is damaged ({exc}).") from None


def _manifest(members: dict[str, bytes], source: str) -> dict[str, Any]:
    if fmt.MANIFEST not in members:
        raise _fail(source, f"the bundle has no {fmt.MANIFEST}.")
    try:
        manifest = json.loads(members[fmt.MANIFEST])
    except (ValueError, UnicodeDecodeError):
        raise _fail(source, f"member {fmt.MANIFEST} is not valid JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("schema") != fmt.SCHEMA:
        raise _fail(source, f"member {fmt.MANIFEST} is not a Westfall Legal bundle manifest.")
    if manifest.get("version") != fmt.VERSION:
        raise BundleVersionError(
            f"{source}: bundle format version {manifest.get('version')!r}; this Westfall Legal "
            f"reads version {fmt.VERSION}."
        )
    return manifest


def _check_signature(
    members: dict[str, bytes], manifest: dict[str, Any], source: str, expect: str | None
) -> None:
    if fmt.SIGNATURE not in members:
        raise _fail(source, "the bundle is not signed (member signature is missing).")
    try:
        public = decode_key(str(manifest["signer"]["public_key"]), "signing key")
        signature = base64.b64decode(members[fmt.SIGNATURE].strip(), validate=True)
    except (KeyError, TypeError, binascii.Error, ValueError, FeedbackBundleError):
        raise _fail(source, "member signature or the manifest's signer key is malformed.") from None
    if not verify(public, signature, members[fmt.MANIFEST]):
        raise _fail(
            source,
            f"the signature does not match {fmt.MANIFEST} (the manifest or the signature "
            "was altered).",
        )
    if manifest["signer"].get("fingerprint") != fingerprint(public):
        raise _fail(source, f"member {fmt.MANIFEST}: the signer's fingerprint is wrong.")
    if expect and " ".join(expect.split()).lower() != fingerprint(public):
        raise BundleTamperedError(
            f"{source}: signed by {fingerprint(public)}, not by the expected signer {expect}.",
            hint="Check with the sender which key signed it (`westfall feedback-key`).",
        )


def _check_members(members: dict[str, bytes], manifest: dict[str, Any], source: str) -> None:
    listed = manifest.get("members")
    if not isinstance(listed, dict):
        raise _fail(source, f"member {fmt.MANIFEST} lists no members.")
    for name in members:
        if name not in listed and name not in (fmt.MANIFEST, fmt.SIGNATURE):
            raise _fail(source, f"member {name} is not listed in the manifest (it was added).")
    for name, entry in sorted(listed.items()):
        if name not in members:
            raise _fail(source, f"member {name} is missing (it was removed).")
        data = members[name]
        if len(data) != entry.get("size") or fmt.sha256_hex(data) != entry.get("sha256"):
            raise _fail(source, f"member {name} does not match its sha256 in the manifest.")
    for name in fmt.REQUIRED:
        if name not in listed:
            raise _fail(source, f"member {name} is missing from the manifest.")


def _check_schema(
    members: dict[str, bytes], manifest: dict[str, Any], source: str, schema: fmt.LabelSchema
) -> None:
    theirs = manifest.get("label_schema", {})
    if theirs.get("sha256") != schema.digest:
        raise BundleVersionError(
            f"{source}: the bundle's labels ({theirs.get('name')}, {theirs.get('sha256')}) "
            f"are not this version's ({fmt.LABEL_SCHEMA_NAME}, {schema.digest})."
        )
    member = ""
    try:
        documents = set(manifest["documents"])
        member = fmt.CORRECTIONS
        corrections = _jsonl(members[member], member)
        for row in corrections:
            if row["action"] not in ACTIONS or row["document"] not in documents:
                raise ValueError(f"correction {row.get('id')} is not about a listed document")
            if not isinstance(row["reviewer"], str) or not isinstance(row["time"], str):
                raise ValueError(f"correction {row.get('id')} has no reviewer or time")
        member = fmt.SFT
        sft = _jsonl(members[member], member)
        for row in sft:
            roles = [m["role"] for m in row["messages"]]
            if any(r not in ROLES for r in roles) or roles[-1] != "assistant":
                raise ValueError("a chat example does not end with the assistant's answer")
            if not all(isinstance(m["content"], str) for m in row["messages"]):
                raise ValueError("a chat message has no text")
        member = fmt.SPANS
        spans = _jsonl(members[member], member)
        _check_spans(spans, members, documents, schema)
        member = fmt.QUALITY
        if not isinstance(json.loads(members[member]), dict):
            raise ValueError("not a JSON object")
        member = fmt.ANONYMISATION
        if not isinstance(json.loads(members[member]), dict):
            raise ValueError("not a JSON object")
        member = fmt.MANIFEST
        counts = manifest["counts"]
        actual = {
            "corrections": len(corrections),
            "sft_examples": len(sft),
            "documents": len(spans),
        }
        for key, value in actual.items():
            if counts.get(key) != value:
                raise ValueError(f"counts.{key} is {counts.get(key)}, the members hold {value}")
    except (KeyError, TypeError, IndexError, ValueError, UnicodeDecodeError) as exc:
        raise _fail(source, f"member {member} does not follow the bundle schema ({exc}).") from None


def _check_spans(
    spans: list[dict[str, Any]],
    members: dict[str, bytes],
    documents: set[str],
    schema: fmt.LabelSchema,
) -> None:
    known = set(schema.categories)
    for record in spans:
        if record["filename"] not in documents:
            raise ValueError(f"document {record['filename']} is not listed in the manifest")
        text = members[f"train/{record['txt_file']}"].decode("utf-8")
        if not isinstance(record["contract_type"], str):
            raise ValueError(f"document {record['filename']} has no contract type")
        for category, label in record["labels"].items():
            if category not in known:
                raise ValueError(f"unknown category {category!r}")
            for span in label["spans"]:
                for start, end in span["segments"]:
                    if not (isinstance(start, int) and isinstance(end, int)):
                        raise ValueError("a span offset is not a whole number")
                    if not 0 <= start < end <= len(text):
                        raise ValueError(f"a span of {record['filename']} lies outside its text")
