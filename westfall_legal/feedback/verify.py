"""Reading a bundle: decrypt (when it was encrypted to us), then verify in this order —
the file's size, a zip, the manifest (inflated first, under a cap), a known schema and
version, the signature over the manifest, every member's name against the format's fixed
set and the manifest's list (an unlisted or badly named member is refused before it is
inflated), each listed member inflated under a cap of the size the manifest declares and
checked against its sha256, then each member's own schema. The first failure raises an
error that names the member; nothing is returned (or imported) before all checks pass.

Everything in a bundle is hostile until checked: names never become paths unchecked
(:func:`fmt.member_problem`, :func:`fmt.safe_join`), sizes are capped before and while
inflating, JSON lines and records are counted and capped.

The signature proves the manifest (and through its digests every member) is exactly what
the signer wrote. Which signer to trust is the importer's call (:mod:`.pool`): the store's
list of trusted signers, or ``expect_signer`` pinning a fingerprint.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import struct
import zipfile
import zlib
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
from westfall_legal.hashing import sha256_bytes
from westfall_legal.store import ACTIONS
from westfall_legal.store.signing import InstallationKeys, decode_key, fingerprint, verify

# Caps: a bundle of 12 contracts is 428 kB, so these leave room for thousands.
MAX_BUNDLE = 256 * 1024**2  # bytes of the file (an encrypted one is opened whole)
MAX_MEMBERS = 20_000
MAX_DIRECTORY = MAX_MEMBERS * 400  # bytes of the zip's central directory
_EOCD, _EOCD_SIZE, _ZIP64_LOCATOR = b"PK\x05\x06", 22, b"PK\x06\x07"
MAX_MANIFEST = 16 * 1024**2
MAX_SIGNATURE = 1024
MAX_MEMBER = 64 * 1024**2  # bytes of one inflated member
MAX_UNPACKED = 512 * 1024**2  # bytes in all members together
MAX_LINE = 8 * 1024**2  # characters in one JSONL line
MAX_ROWS = 200_000  # records in one JSONL member
_CHUNK = 1024**2
ROLES = ("system", "user", "assistant")
# What a malformed manifest or member raises while it is read (never a traceback).
_MALFORMED = (KeyError, TypeError, IndexError, ValueError, AttributeError, RecursionError)
_MISSING = {
    fmt.MANIFEST: f"the bundle has no {fmt.MANIFEST}.",
    fmt.SIGNATURE: f"the bundle is not signed (member {fmt.SIGNATURE} is missing).",
}


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
    def signer_key(self) -> str:
        return str(self.manifest["signer"]["public_key"])

    @property
    def documents(self) -> list[str]:
        return [str(d) for d in self.manifest["documents"]]

    def rows(self, member: str) -> list[dict[str, Any]]:
        return _jsonl(self.members[member], member)

    def text(self, document: str) -> str:
        return self.members[fmt.text_member(document)].decode("utf-8")

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
            target = fmt.safe_join(folder, r["txt_file"], self.source)
            target.write_bytes(self.members[fmt.text_member(r["filename"])])
        labels.write_bytes(fmt.jsonl(records))
        return labels


def _fail(source: str, message: str) -> BundleTamperedError:
    return BundleTamperedError(f"{source}: {message}")


def _jsonl(data: bytes, member: str) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(data.decode("utf-8").splitlines(), 1):
        if len(line) > MAX_LINE:
            raise ValueError(f"{member} line {n} is longer than {MAX_LINE} characters")
        if line.strip():
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError(f"{member} line {n} is not a JSON object")
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise ValueError(f"{member} holds more than {MAX_ROWS} records")
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
        size = path.stat().st_size
        if size > MAX_BUNDLE:
            raise _fail(
                str(path),
                f"the file is {size / 1024**2:.0f} MB; a feedback bundle is at most "
                f"{MAX_BUNDLE // 1024**2} MB.",
            )
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
    _check_directory(plain, source)
    try:
        with zipfile.ZipFile(io.BytesIO(plain)) as zf:
            infos = _index(zf, source)
            raw = _inflate(zf, infos, fmt.MANIFEST, MAX_MANIFEST, source)
            manifest = _manifest(raw, source)
            signature = _inflate(zf, infos, fmt.SIGNATURE, MAX_SIGNATURE, source)
            _check_signature(raw, signature, manifest, source, expect_signer)
            listed = _listed(manifest, infos, source)
            body = {name: _inflate(zf, infos, name, size, source) for name, size in listed}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise BundleTamperedError(
            f"{source}: not a readable feedback bundle (truncated or damaged: {exc})."
        ) from None
    except (
        zipfile.error,
        zlib.error,
        OSError,
        RuntimeError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise _fail(source, f"a member of the zip is damaged ({exc}).") from None
    _check_digests(body, manifest, source)
    _check_schema(body, manifest, source, schema)
    return Bundle(source, manifest, body, plain, encrypted)


def _check_directory(plain: bytes, source: str) -> None:
    """Refuse a zip whose end record announces more members, or a larger central directory,
    than a bundle may have, before zipfile parses that directory into memory (one entry
    object per 46 bytes of it). Bundles never need ZIP64."""
    tail = plain[-(_EOCD_SIZE + 0xFFFF) :]
    at = tail.rfind(_EOCD)
    if at < 0 or at + _EOCD_SIZE > len(tail):
        return  # not a zip: zipfile says so
    entries, directory = struct.unpack_from("<HI", tail, at + 10)
    if entries == 0xFFFF or directory == 0xFFFFFFFF or tail.rfind(_ZIP64_LOCATOR, 0, at) >= 0:
        raise _fail(source, "the zip uses ZIP64 records, which a feedback bundle never needs.")
    if entries > MAX_MEMBERS or directory > MAX_DIRECTORY:
        raise _fail(source, f"the zip announces more than {MAX_MEMBERS} members.")


def _index(zf: zipfile.ZipFile, source: str) -> dict[str, zipfile.ZipInfo]:
    """The zip's members by name, each name checked; nothing is inflated here."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _fail(source, f"the bundle holds more than {MAX_MEMBERS} members.")
    out: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        problem = fmt.member_problem(info.filename)
        if problem:
            raise _fail(source, f"member {info.filename[:120]!r} {problem}; it was refused.")
        if info.filename in out:
            raise _fail(source, "the bundle holds two members with the same name.")
        out[info.filename] = info
    return out


def _inflate(
    zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], name: str, cap: int, source: str
) -> bytes:
    """One member, inflated in chunks: refused when the zip declares more than ``cap``
    bytes for it, and cut off (then refused by its CRC) when it inflates to more."""
    info = infos.get(name)
    if info is None:
        raise _fail(source, _MISSING.get(name, f"member {name} is missing (it was removed)."))
    if info.flag_bits & 0x1:
        raise _fail(source, f"member {name} is password-protected inside the zip.")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _fail(source, f"member {name} uses a compression a bundle never uses.")
    if info.file_size > cap:
        raise _fail(source, f"member {name} declares {info.file_size} bytes, over {cap}.")
    out = bytearray()
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            out += chunk
            if len(out) > cap:
                raise _fail(source, f"member {name} inflates to more than {cap} bytes.")
    return bytes(out)


def _manifest(raw: bytes, source: str) -> dict[str, Any]:
    try:
        manifest = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise _fail(source, f"member {fmt.MANIFEST} is not valid JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("schema") != fmt.SCHEMA:
        raise _fail(source, f"member {fmt.MANIFEST} is not a Westfall Legal bundle manifest.")
    if manifest.get("version") != fmt.VERSION:
        raise BundleVersionError(
            f"{source}: bundle format version {str(manifest.get('version'))[:20]}; this "
            f"Westfall Legal reads version {fmt.VERSION}."
        )
    return manifest


def _check_signature(
    raw: bytes, signature: bytes, manifest: dict[str, Any], source: str, expect: str | None
) -> None:
    try:
        signer = manifest["signer"]
        public = decode_key(str(signer["public_key"]), "signing key")
        sig = base64.b64decode(signature.strip(), validate=True)
        claimed = signer.get("fingerprint")
    except (*_MALFORMED, binascii.Error, FeedbackBundleError):
        raise _fail(source, "member signature or the manifest's signer key is malformed.") from None
    if not verify(public, sig, raw):
        raise _fail(
            source,
            f"the signature does not match {fmt.MANIFEST} (the manifest or the signature "
            "was altered).",
        )
    if claimed != fingerprint(public):
        raise _fail(source, f"member {fmt.MANIFEST}: the signer's fingerprint is wrong.")
    if expect and " ".join(expect.split()).lower() != fingerprint(public):
        raise BundleTamperedError(
            f"{source}: signed by {fingerprint(public)}, not by the expected signer {expect}.",
            hint="Check with the sender which key signed it (`westfall feedback-key`).",
        )


def _listed(
    manifest: dict[str, Any], infos: dict[str, zipfile.ZipInfo], source: str
) -> list[tuple[str, int]]:
    """The members the manifest lists, with their declared sizes, after checking the
    bundle id, the document names, that the zip holds exactly these members and that
    their declared sizes fit the caps."""
    listed = manifest.get("members")
    if not isinstance(listed, dict):
        raise _fail(source, f"member {fmt.MANIFEST} lists no members.")
    bundle_id = manifest.get("bundle_id")
    if not isinstance(bundle_id, str) or not fmt.BUNDLE_ID.fullmatch(bundle_id):
        raise _fail(source, f"member {fmt.MANIFEST}: the bundle id is not 16 hex digits.")
    documents = manifest.get("documents")
    if not isinstance(documents, list) or not all(
        isinstance(d, str) and fmt.DOCUMENT_NAME.fullmatch(d) for d in documents
    ):
        raise _fail(source, f"member {fmt.MANIFEST}: a document name is not a plain name.")
    for name in infos:
        if name not in listed and name not in (fmt.MANIFEST, fmt.SIGNATURE):
            raise _fail(source, f"member {name} is not listed in the manifest (it was added).")
    out: list[tuple[str, int]] = []
    total = 0
    for name, entry in sorted(listed.items()):
        problem = fmt.member_problem(name) or (
            "is never listed" if name in (fmt.MANIFEST, fmt.SIGNATURE) else None
        )
        if problem:
            raise _fail(source, f"the manifest lists {name[:120]!r}, which {problem}.")
        if name not in infos:
            raise _fail(source, f"member {name} is missing (it was removed).")
        size = entry.get("size") if isinstance(entry, dict) else None
        if not isinstance(size, int) or not 0 <= size <= MAX_MEMBER:
            raise _fail(source, f"member {name}: its size in the manifest is not 0-{MAX_MEMBER}.")
        if infos[name].file_size != size:
            raise _fail(source, f"member {name} does not match its size in the manifest.")
        total += size
        out.append((name, size))
    if total > MAX_UNPACKED:
        raise _fail(source, f"the bundle unpacks to more than {MAX_UNPACKED // 1024**2} MB.")
    for name in fmt.REQUIRED:
        if name not in listed:
            raise _fail(source, f"member {name} is missing from the manifest.")
    return out


def _check_digests(members: dict[str, bytes], manifest: dict[str, Any], source: str) -> None:
    for name, data in sorted(members.items()):
        entry = manifest["members"][name]
        if len(data) != entry["size"] or sha256_bytes(data) != entry.get("sha256"):
            raise _fail(source, f"member {name} does not match its sha256 in the manifest.")


def _check_schema(
    members: dict[str, bytes], manifest: dict[str, Any], source: str, schema: fmt.LabelSchema
) -> None:
    theirs = manifest.get("label_schema")
    theirs = theirs if isinstance(theirs, dict) else {}
    if theirs.get("sha256") != schema.digest:
        name, digest = str(theirs.get("name"))[:40], str(theirs.get("sha256"))[:64]
        raise BundleVersionError(
            f"{source}: the bundle's labels ({name}, {digest}) "
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
        if not isinstance(manifest["created"], str) or len(manifest["created"]) > 40:
            raise ValueError("created is not a time")
        if not isinstance(manifest["anonymised"], bool):
            raise ValueError("anonymised is not true or false")
        counts = manifest["counts"]
        actual = {
            "corrections": len(corrections),
            "sft_examples": len(sft),
            "documents": len(spans),
        }
        for key, value in actual.items():
            if counts.get(key) != value:
                raise ValueError(f"counts.{key} is {counts.get(key)}, the members hold {value}")
    except (*_MALFORMED, UnicodeDecodeError) as exc:
        detail = str(exc)[:200]
        raise _fail(
            source, f"member {member} does not follow the bundle schema ({detail})."
        ) from None


def _check_spans(
    spans: list[dict[str, Any]],
    members: dict[str, bytes],
    documents: set[str],
    schema: fmt.LabelSchema,
) -> None:
    known = set(schema.categories)
    for record in spans:
        name = record["filename"]
        if name not in documents:
            raise ValueError(f"document {str(name)[:80]} is not listed in the manifest")
        if record["txt_file"] != f"texts/{name}.txt":
            raise ValueError(f"the text of {name} is not texts/{name}.txt")
        text = members[fmt.text_member(name)].decode("utf-8")
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
