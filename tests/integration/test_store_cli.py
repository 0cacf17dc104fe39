"""`westfall matter|correct|store|verify-audit` and `review --matter` end to end."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from westfall_legal import cli_store
from westfall_legal.cli import main
from westfall_legal.errors import ExitCode
from westfall_legal.store import KdfParams, Store, keys

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "master_services_agreement.pdf"
PASS = "tin roof rusted"
FAST = KdfParams(algorithm="argon2id", salt="", iterations=1, lanes=1, memory_cost=8)


@pytest.fixture(autouse=True)
def unlocked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cheap KDF (users get keys.PRODUCTION_KDF), the passphrase for scripts, and no
    passphrase remembered from an earlier test."""
    monkeypatch.setattr(keys, "DEFAULT_KDF", FAST)
    monkeypatch.setattr(cli_store, "_unlocked", {})
    monkeypatch.setenv("WESTFALL_PASSPHRASE", PASS)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _small_review(name: str = "lease.pdf") -> dict[str, Any]:
    text = "1. Governing Law. This Lease is governed by the laws of Ontario. 2. Term. Five years."
    law = text.index("This Lease")
    return {
        "document": {"path": name, "sha256": hashlib.sha256(text.encode()).hexdigest(),
                     "pages": []},
        "text": text,
        "clauses": [{"id": "c1", "category": "Governing Law", "confidence": 0.9,
                     "text": text[law:law + 47], "char_start": law, "char_end": law + 47,
                     "page": 1, "boxes": [], "section": None}],
        "facts": {"governing_law": {"value": "Ontario", "text": "Ontario", "char_start": 55,
                                    "char_end": 62, "page": 1}},
        "findings": [], "summary": None, "model": {"id": "clauses-v1", "sha256": "0" * 64},
    }  # fmt: skip


@pytest.fixture
def lease(app_home: Path) -> Path:
    with Store.create(PASS) as store:
        store.matters.create("Lease")
        store.reviews.add("Lease", _small_review())
    return app_home / "store.sqlite3"


def test_review_into_a_matter_then_correct_it(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "matter", "create", "Acme v Beta")
    assert code == 0 and "matter 'Acme v Beta' created" in out
    assert "created the encrypted store" in err
    with Store.open(PASS) as store:  # the CLI made it with the default KDF
        kdf = json.loads(store.db.execute("SELECT kdf FROM keyring").fetchone()[0])
        assert (kdf["algorithm"], kdf["memory_cost"]) == (FAST.algorithm, FAST.memory_cost)

    code, out, err = run(capsys, "review", "-q", str(SAMPLE), "--out", str(tmp_path), "--no-llm",
                         "--matter", "acme v beta")  # fmt: skip
    assert code == 0, err
    assert "stored in matter 'acme v beta'" in out
    data = json.loads((tmp_path / "master_services_agreement.review.json").read_text())
    law = next(c for c in data["clauses"] if c["category"] == "Governing Law")
    other = next(c for c in data["clauses"] if c["category"] != "Governing Law")
    start, end = other["char_start"], other["char_end"]

    base = [
        "correct",
        "--matter",
        "Acme v Beta",
        "--document",
        SAMPLE.name,
        "--reviewer",
        "Ann Lee",
    ]
    for extra in (["--clause", law["id"], "accept"],
                  ["--clause", other["id"], "relabel", "insurance"],
                  ["--clause", other["id"], "span", str(start), str(end - 5)],
                  ["add", "Audit Rights", "10", "40"],
                  ["--fact", "governing_law", "fact", "New York, USA"],
                  ["--clause", law["id"], "comment", "standard NY clause"],
                  ["comment", "whole document looks fine"],
                  ["undo"]):  # fmt: skip
        code, out, err = run(capsys, *base, *extra)
        assert code == 0, err
        assert "Ann Lee" in out
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"action": "reject", "clause": law["id"]}) + "\n"
                     + json.dumps({"action": "undo"}) + "\n")  # fmt: skip
    assert run(capsys, *base, "--batch", str(batch))[0] == 0
    code, out, _ = run(capsys, *base[:5], "list")
    assert code == 0 and len(out.splitlines()) == 10
    assert "Ann Lee: relabel" in out and "Ann Lee: undo" in out

    with Store.open(PASS) as store:
        doc = store.reviews.find("Acme v Beta", SAMPLE.name)
        state = store.corrections.state(doc.id)
    by_ref = {c.ref: c for c in state.clauses}
    assert by_ref[law["id"]].status == "accepted"
    assert by_ref[law["id"]].comments == ("standard NY clause",)
    assert by_ref[other["id"]].category == "Insurance"
    assert by_ref[other["id"]].char_end == end - 5
    assert any(c.category == "Audit Rights" and c.source == "reviewer" for c in state.clauses)
    assert state.facts["governing_law"].value == "New York, USA"
    assert state.comments == ()  # the undo took the last comment back

    code, out, _ = run(capsys, "matter", "show", "Acme v Beta")
    assert code == 0 and f"{SAMPLE.name}  19 pages, 1 reviews" in out
    code, out, _ = run(capsys, "verify-audit")
    assert code == 0 and "audit log verifies: 13 entries; head at entry 13" in out


def test_passwd_rekey_backup_delete_restore(
    lease: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "lease-backup.sqlite3"
    assert run(capsys, "store", "backup", str(copy))[0] == 0
    monkeypatch.setenv("WESTFALL_NEW_PASSPHRASE", "a new one")
    code, out, _ = run(capsys, "store", "passwd")
    assert code == 0 and "passphrase changed" in out
    code, _, err = run(capsys, "matter", "list")
    assert code == ExitCode.STORE
    assert "the passphrase does not unlock the store" in err and "nothing in the store was" in err
    monkeypatch.setenv("WESTFALL_PASSPHRASE", "a new one")
    code, out, _ = run(capsys, "store", "rekey", "lease")
    assert code == 0 and "rows re-encrypted" in out
    code, out, _ = run(capsys, "matter", "delete", "Lease", "--yes")
    assert code == 0 and "its key was destroyed" in out and "Backups made before" in out
    assert "0 documents" not in run(capsys, "matter", "list")[1]
    monkeypatch.setenv("WESTFALL_PASSPHRASE", PASS)  # the backup's passphrase
    code, out, _ = run(capsys, "store", "restore", str(copy))
    assert code == 0 and "store restored" in out and "kept as" in out
    code, out, _ = run(capsys, "matter", "list")
    assert code == 0 and "Lease" in out and "1 documents" in out
    assert run(capsys, "verify-audit")[0] == 0


def test_a_tampered_log_fails_verify_audit(lease: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(lease) as conn:
        conn.execute("DELETE FROM audit WHERE seq = 2")
    conn.close()
    code, _, err = run(capsys, "verify-audit")
    assert code == ExitCode.STORE
    assert "audit entry 2 is missing" in err and "westfall store restore" in err


def test_store_errors_say_what_to_do(
    app_home: Path, lease: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ["correct", "--matter", "Lease", "--document", "lease.pdf", "--reviewer", "R"]
    code, _, err = run(capsys, *base, "--clause", "c1", "relabel", "Goverment Law")
    assert code == ExitCode.BAD_INPUT and "Did you mean 'Governing Law'" in err
    code, _, err = run(capsys, *base, "--clause", "c9", "accept")
    assert code == ExitCode.STORE and "no clause or fact 'c9'" in err
    code, _, err = run(capsys, *base, "accept")
    assert code == ExitCode.BAD_INPUT and "needs --clause" in err
    code, _, err = run(capsys, "correct", "--matter", "Lease", "--document", "x.pdf", "undo")
    assert code == ExitCode.STORE and "no document matches 'x.pdf'" in err
    code, _, err = run(capsys, "matter", "delete", "Lease")
    assert code == ExitCode.BAD_INPUT and "--yes" in err
    monkeypatch.delenv("WESTFALL_PASSPHRASE")
    cli_store._unlocked.clear()  # the passphrase this process used above
    code, _, err = run(capsys, "matter", "list")
    assert code == ExitCode.USAGE and "WESTFALL_PASSPHRASE" in err
    monkeypatch.setenv("WESTFALL_HOME", str(app_home / "empty"))
    code, _, err = run(capsys, "matter", "list")
    assert code == ExitCode.STORE and "no store yet" in err and "matter create" in err
