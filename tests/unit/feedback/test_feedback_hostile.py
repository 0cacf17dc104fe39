"""Hostile bundles (issue 24): names and ids that would become paths outside the data
folder, unknown signers, zip bombs, oversized JSON; each refused before anything is written,
with memory bounded while refusing."""

from __future__ import annotations

import json
import os
import struct
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
from feedback_helpers import SCHEMA, members, resign, rezip

from westfall_legal.errors import BundleTamperedError, UntrustedSignerError
from westfall_legal.feedback import import_bundle, read_bundle, read_index
from westfall_legal.feedback import verify as verify_mod
from westfall_legal.feedback.pool import pool_dir
from westfall_legal.feedback.verify import Bundle
from westfall_legal.store import Store
from westfall_legal.store.signing import InstallationKeys, encode_key


def _files_and_manifest(exported: Path) -> tuple[dict[str, bytes], dict[str, object]]:
    files = members(exported.read_bytes())
    return files, json.loads(files["manifest.json"])


def _list(manifest: dict[str, object], name: str, data: bytes) -> None:
    from westfall_legal.hashing import sha256_bytes

    listed = manifest["members"]
    assert isinstance(listed, dict)
    listed[name] = {"sha256": sha256_bytes(data), "size": len(data)}


def _no_file_named(root: Path, name: str) -> bool:
    return not any(p.name == name for p in root.rglob("*"))


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../../evil.txt", "climbs out"),
        ("train/texts/../../../evil.txt", "climbs out"),
        ("/tmp/westfall-evil.txt", "absolute path"),
        ("C:/westfall/evil.txt", "absolute path"),
        ("train\\texts\\evil.txt", "backslash"),
        ("train/texts/sub/evil.txt", "not a member a feedback bundle may hold"),
        ("train/evil.txt", "not a member a feedback bundle may hold"),
    ],
)
def test_a_listed_and_signed_member_with_a_hostile_name_is_refused(
    store: Store, exported: Path, tmp_path: Path, name: str, why: str
) -> None:
    files, manifest = _files_and_manifest(exported)
    files[name] = b"owned"
    _list(manifest, name, b"owned")
    bad = tmp_path / "bad.wfb"
    bad.write_bytes(rezip(resign(store, files, manifest)))
    with pytest.raises(BundleTamperedError, match=why):
        import_bundle(store, bad, SCHEMA)
    assert read_index() == [] and not pool_dir().exists()
    assert not Path("/tmp/westfall-evil.txt").exists()
    assert _no_file_named(tmp_path, "evil.txt")


def test_a_text_path_outside_the_training_folder_is_refused(
    store: Store, exported: Path, tmp_path: Path
) -> None:
    """Hole 1: a spans row whose txt_file climbs out, with a member of that name."""
    files, manifest = _files_and_manifest(exported)
    rows = [json.loads(line) for line in files["train/spans.jsonl"].decode().splitlines()]
    hostile = "../../../../outside/ANY_NAME.txt"
    rows[0]["txt_file"] = hostile
    files["train/spans.jsonl"] = ("\n".join(json.dumps(r) for r in rows) + "\n").encode()
    _list(manifest, "train/spans.jsonl", files["train/spans.jsonl"])
    files[f"train/{hostile}"] = b"owned"
    _list(manifest, f"train/{hostile}", b"owned")
    bad = tmp_path / "bad.wfb"
    bad.write_bytes(rezip(resign(store, files, manifest)))
    with pytest.raises(BundleTamperedError, match="climbs out"):
        read_bundle(bad, None, SCHEMA)
    # Without the hostile member, the row itself is refused by the schema check.
    del files[f"train/{hostile}"]
    manifest["members"].pop(f"train/{hostile}")  # type: ignore[attr-defined]
    bad.write_bytes(rezip(resign(store, files, manifest)))
    with pytest.raises(BundleTamperedError, match="is not texts/"):
        read_bundle(bad, None, SCHEMA)
    # And where a bundle is built in memory past the checks, extracting it still refuses.
    good = read_bundle(exported, None, SCHEMA)
    hostile_spans = {**good.members, "train/spans.jsonl": files["train/spans.jsonl"]}
    forged = Bundle(good.source, good.manifest, hostile_spans, good.zip_bytes, encrypted=False)
    work = tmp_path / "work" / "a" / "b"
    with pytest.raises(BundleTamperedError, match="leads out of"):
        forged.extract(work)
    assert not (tmp_path / "outside").exists() and _no_file_named(tmp_path, "ANY_NAME.txt")


@pytest.mark.parametrize(
    "bundle_id",
    ["/tmp/westfall-PWNED", "../../../../outside/PWNED", "ABCDEF0123456789", "0123", 17],
)
def test_a_bundle_id_that_is_not_16_hex_digits_is_refused(
    store: Store, exported: Path, tmp_path: Path, bundle_id: object
) -> None:
    """Hole 2: the pool wrote ``feedback/BUNDLE_ID.wfb.sealed`` wherever the id pointed."""
    files, manifest = _files_and_manifest(exported)
    manifest["bundle_id"] = bundle_id
    bad = tmp_path / "bad.wfb"
    bad.write_bytes(rezip(resign(store, files, manifest)))
    with pytest.raises(BundleTamperedError, match="16 hex digits"):
        import_bundle(store, bad, SCHEMA)
    assert not pool_dir().exists() and not (tmp_path / "outside").exists()
    assert not Path("/tmp/westfall-PWNED.wfb.sealed").exists()


def test_an_unknown_signer_is_refused_until_trusted(
    store: Store, other: Store, exported: Path
) -> None:
    """Hole 3: any fresh key passed as "verified"."""
    sender = InstallationKeys.of(store)
    with pytest.raises(UntrustedSignerError, match="signed by an unknown key") as caught:
        import_bundle(other, exported, SCHEMA)
    assert sender.fingerprint in caught.value.user_line()
    assert "--trust-once" in caught.value.user_line()
    assert read_index() == [] and not pool_dir().exists()

    once = import_bundle(other, exported, SCHEMA, trust_once=True)
    assert once.signer_name == "trusted once" and not once.already_imported
    assert read_index()[0]["signer_name"] == "trusted once"

    trusted = other.signers.add(encode_key(sender.signing_public), "  Office   A ")
    assert trusted.name == "Office A" and trusted.fingerprint == sender.fingerprint
    again = import_bundle(other, exported, SCHEMA)
    assert again.signer_name == "Office A" and again.already_imported
    assert [s.name for s in other.signers.list()] == ["Office A"]
    events = [e.event for e in other.audit.entries()]
    assert "signer.trusted" in events

    other.signers.remove(sender.fingerprint.upper())
    with pytest.raises(UntrustedSignerError):
        import_bundle(other, exported, SCHEMA)
    assert import_bundle(store, exported, SCHEMA).signer_name == "this installation"
    other.audit.verify()


# --- Zip bombs: a zip written by hand, so that its headers can lie about sizes -------------


def _raw_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of deflated members ``(name, deflated bytes, crc, declared size)``."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size in entries:
        raw = name.encode()
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 33, crc, len(data), size,
                           len(raw), 0) + raw + data  # fmt: skip
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 33, crc, len(data),
                               size, len(raw), 0, 0, 0, 0, 0, offset) + raw  # fmt: skip
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central),
                      len(out), 0)  # fmt: skip
    return bytes(out + central + end)


def _deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


BOMB = 256 * 1024**2  # inflated bytes


def _zeros_deflated() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1024**2)
    return b"".join(packer.compress(chunk) for _ in range(BOMB // len(chunk))) + packer.flush()


def _entries(files: dict[str, bytes]) -> list[tuple[str, bytes, int, int]]:
    return [(n, _deflated(d), zlib.crc32(d), len(d)) for n, d in files.items()]


def _refused_within_bounds(path: Path, match: str) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(BundleTamperedError, match=match):
            read_bundle(path, None, SCHEMA)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 24 * 1024**2, f"peak {peak / 1024**2:.0f} MB while refusing"
    assert time.perf_counter() - started < 10


def test_an_unlisted_bomb_is_refused_without_inflating_it(
    store: Store, exported: Path, tmp_path: Path
) -> None:
    files = members(exported.read_bytes())
    bomb = _zeros_deflated()
    bad = tmp_path / "bomb.wfb"
    entries = [*_entries(files), ("train/texts/doc-bomb.txt", bomb, 0, BOMB)]
    bad.write_bytes(_raw_zip(entries))
    _refused_within_bounds(bad, "not listed in the manifest")


def test_a_member_that_inflates_past_its_declared_size_is_cut_off(
    store: Store, exported: Path, tmp_path: Path
) -> None:
    """Declared (in the zip and the manifest) as its true small size; inflates to 256 MB."""
    files = members(exported.read_bytes())
    entries = [
        (n, _zeros_deflated(), zlib.crc32(d), len(d)) if n == "quality.json" else e
        for e, (n, d) in zip(_entries(files), files.items(), strict=True)
    ]
    bad = tmp_path / "bomb.wfb"
    bad.write_bytes(_raw_zip(entries))
    _refused_within_bounds(bad, "truncated or damaged|damaged")


def test_a_member_declared_over_the_cap_is_refused_before_inflating(
    store: Store, exported: Path, tmp_path: Path
) -> None:
    files, manifest = _files_and_manifest(exported)
    entries = [
        (n, _zeros_deflated(), 0, BOMB) if n == "quality.json" else e
        for e, n in zip(_entries(files), files, strict=True)
    ]
    bad = tmp_path / "bomb.wfb"
    bad.write_bytes(_raw_zip(entries))
    _refused_within_bounds(bad, "does not match its size|not 0-")
    manifest["members"]["quality.json"]["size"] = BOMB  # type: ignore[index]
    signed = resign(store, files, manifest)
    entries = [
        (n, _zeros_deflated(), 0, BOMB) if n == "quality.json" else e
        for e, n in zip(_entries(signed), signed, strict=True)
    ]
    bad.write_bytes(_raw_zip(entries))
    _refused_within_bounds(bad, "not 0-")


def test_files_lines_and_records_are_capped(
    store: Store, exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify_mod, "MAX_BUNDLE", 1000)
    with pytest.raises(BundleTamperedError, match="a feedback bundle is at most"):
        read_bundle(exported, None, SCHEMA)
    monkeypatch.undo()
    monkeypatch.setattr(verify_mod, "MAX_LINE", 50)
    with pytest.raises(BundleTamperedError, match="longer than 50 characters"):
        read_bundle(exported, None, SCHEMA)
    monkeypatch.undo()
    monkeypatch.setattr(verify_mod, "MAX_ROWS", 2)
    with pytest.raises(BundleTamperedError, match="more than 2 records"):
        read_bundle(exported, None, SCHEMA)


def test_a_deeply_nested_manifest_is_refused_not_crashed_on(
    store: Store, exported: Path, tmp_path: Path
) -> None:
    files = members(exported.read_bytes())
    files["manifest.json"] = b"[" * 200_000 + b"]" * 200_000
    bad = tmp_path / "deep.wfb"
    bad.write_bytes(rezip(files))
    with pytest.raises(BundleTamperedError, match="not valid JSON"):
        read_bundle(bad, None, SCHEMA)


def test_the_pooled_copy_and_the_exported_bundle_are_readable_by_the_owner_only(
    store: Store, exported: Path
) -> None:
    """Hole 7: sealed pool files were created 0644."""
    result = import_bundle(store, exported, SCHEMA)
    assert result.path is not None
    assert result.path.stat().st_mode & 0o777 == 0o600
    assert exported.stat().st_mode & 0o777 == 0o600
    assert os.stat(pool_dir()).st_mode & 0o077 == 0


def test_a_central_directory_announcing_too_many_members_is_refused_before_parsing(
    store: Store, exported: Path, tmp_path: Path
) -> None:
    data = bytearray(exported.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 60_000, 60_000)
    bad = tmp_path / "many.wfb"
    bad.write_bytes(bytes(data))
    with pytest.raises(BundleTamperedError, match="announces more than 20000 members"):
        read_bundle(bad, None, SCHEMA)
    struct.pack_into("<HH", data, end + 8, 0xFFFF, 0xFFFF)
    bad.write_bytes(bytes(data))
    with pytest.raises(BundleTamperedError, match="ZIP64"):
        read_bundle(bad, None, SCHEMA)
