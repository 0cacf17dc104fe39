"""A seeded fuzz of `westfall import-feedback` (issue 24): 1,000 mutated bundles (member
names, sizes, manifests, signatures, JSONL lines, raw bytes), each through the CLI's one
error boundary. Every run ends with a known exit code and no traceback, nothing is written
outside the data folder, and the process's peak memory stays bounded.

Most mutations are re-signed by the store's own key (trusted), so they reach the checks
behind the signature instead of all stopping at it."""

from __future__ import annotations

import json
import random
import resource
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from feedback_helpers import PASSPHRASE, members, resign, rezip

from westfall_legal.cli import main
from westfall_legal.errors import ExitCode
from westfall_legal.hashing import sha256_bytes
from westfall_legal.store import Store

RUNS = 1000
SEED = 24
HOSTILE_NAMES = [
    "../../fuzz-evil.txt", "/tmp/fuzz-evil.txt", "C:\\fuzz-evil.txt", "train/texts/../x.txt",
    "train/texts/a/b.txt", "train/texts/", "train/texts/.txt", "train\\texts\\x.txt",
    "manifest.json/x",
    "train/texts/" + "a" * 300 + ".txt", "train/texts/\x00.txt", "train/texts/doc-ok.txt",
]  # fmt: skip
JUNK: list[Any] = [None, True, -1, 0, 2**70, "", "x" * 1000, [], {}, [[[]]], {"a": {"b": []}},
                   "../../fuzz-evil", "/tmp/fuzz-evil", 1.5e308, "\u202e\x00"]  # fmt: skip
KNOWN_CODES = {ExitCode.OK, ExitCode.BAD_INPUT, ExitCode.INPUT_MISSING}


def _relist(manifest: dict[str, Any], files: dict[str, bytes], name: str) -> None:
    if isinstance(manifest.get("members"), dict):
        manifest["members"][name] = {"sha256": sha256_bytes(files[name]), "size": len(files[name])}


def _mutations(
    rng: random.Random, store: Store, base: dict[str, bytes]
) -> list[Callable[[], bytes]]:
    manifest0 = json.loads(base["manifest.json"])

    def fresh() -> tuple[dict[str, bytes], dict[str, Any]]:
        return dict(base), json.loads(json.dumps(manifest0))

    def signed(files: dict[str, bytes], manifest: dict[str, Any]) -> bytes:
        return rezip(resign(store, files, manifest))

    def flip_bytes() -> bytes:
        data = bytearray(rezip(base))
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return bytes(data)

    def truncate() -> bytes:
        data = rezip(base)
        return data[: rng.randrange(len(data))]

    def hostile_member() -> bytes:
        files, manifest = fresh()
        name = rng.choice(HOSTILE_NAMES)
        files[name] = bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
        if rng.random() < 0.7:
            _relist(manifest, files, name)
        return signed(files, manifest)

    def manifest_field() -> bytes:
        files, manifest = fresh()
        key = rng.choice([*manifest, "members", "documents", "bundle_id", "counts", "signer"])
        manifest[key] = rng.choice(JUNK)
        return signed(files, manifest)

    def member_entry() -> bytes:
        files, manifest = fresh()
        name = rng.choice(sorted(manifest["members"]))
        field = rng.choice(["size", "sha256"])
        manifest["members"][name][field] = rng.choice([*JUNK, 10**12, len(files[name]) + 1])
        return signed(files, manifest)

    def jsonl_line() -> bytes:
        files, manifest = fresh()
        name = rng.choice(["corrections.jsonl", "train/sft.jsonl", "train/spans.jsonl"])
        lines = files[name].decode().splitlines() or ["{}"]
        i = rng.randrange(len(lines))
        row = json.loads(lines[i])
        if rng.random() < 0.5 and isinstance(row, dict) and row:
            row[rng.choice(sorted(row))] = rng.choice(JUNK)
            lines[i] = json.dumps(row)
        else:
            lines[i] = rng.choice(["{", "[]", "null", "\x00", "{}" * 50, '{"a":' * 5000])
        tail = b"\xff\xfe\n" if rng.random() < 0.1 else b"\n"  # not UTF-8
        files[name] = "\n".join(lines).encode() + tail
        _relist(manifest, files, name)
        return signed(files, manifest)

    def drop_member() -> bytes:
        files, manifest = fresh()
        files.pop(rng.choice(sorted(files)))
        return signed(files, manifest) if rng.random() < 0.5 else rezip(files)

    def unsigned_change() -> bytes:
        files, manifest = fresh()
        manifest["counts"]["corrections"] = rng.randint(0, 10**6)
        files["manifest.json"] = json.dumps(manifest).encode()
        return rezip(files)

    return [flip_bytes, truncate, hostile_member, manifest_field, member_entry, jsonl_line,
            drop_member, unsigned_change]  # fmt: skip


@pytest.mark.slow
def test_a_thousand_mutated_bundles_never_crash_or_write_outside(
    store: Store,
    exported: Path,
    tmp_path: Path,
    app_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("WESTFALL_PASSPHRASE", PASSPHRASE)
    rng = random.Random(SEED)
    mutations = _mutations(rng, store, members(exported.read_bytes()))
    inputs = tmp_path / "fuzz"
    inputs.mkdir()
    before = {p for p in tmp_path.rglob("*") if not p.is_relative_to(app_home)}
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    codes: dict[int, int] = {}
    for n in range(RUNS):
        path = inputs / f"{n}.wfb"
        path.write_bytes(rng.choice(mutations)())
        code = main(["import-feedback", str(path)])
        _, err = capsys.readouterr()
        assert code in KNOWN_CODES and "Traceback" not in err, (n, code, err[-2000:])
        codes[code] = codes.get(code, 0) + 1
        path.unlink()
    after = {p for p in tmp_path.rglob("*") if not p.is_relative_to(app_home)}
    assert after - before == set()
    assert not Path("/tmp/fuzz-evil.txt").exists()
    assert codes.get(ExitCode.BAD_INPUT, 0) > RUNS // 2  # most mutations are refused
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert grown < 300, f"peak memory grew by {grown:.0f} MB"
