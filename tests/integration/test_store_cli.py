"""`westfall matter|correct|store|verify-audit` and `review --matter` end to end."""

from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from westfall_legal.cli import common, main
from westfall_legal.errors import ExitCode
from westfall_legal.store import KdfParams, Store, keys
from westfall_legal.store import core as store_core

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "master_services_agreement.pdf"
PASS = "tin roof rusted"
FAST = KdfParams(algorithm="argon2id", salt="", iterations=1, lanes=1, memory_cost=8)


@pytest.fixture(autouse=True)
def unlocked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cheap KDF (users get keys.PRODUCTION_KDF), the passphrase for scripts, and no
    passphrase remembered from an earlier test."""
    monkeypatch.setattr(keys, "DEFAULT_KDF", FAST)
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
    code, out, err = run(capsys, "review", "-q", str(SAMPLE), "--out", str(tmp_path), "--no-llm",
                         "--matter", "acme v beta")  # fmt: skip
    assert code == 0 and "the same review is kept" in out, err  # as the GUI reuses it
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
                  ["undo"], ["redo"], ["undo"]):  # fmt: skip
        code, out, err = run(capsys, *base, *extra)
        assert code == 0, err
        assert "Ann Lee" in out
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"action": "reject", "clause": law["id"]}) + "\n"
                     + json.dumps({"action": "undo"}) + "\n")  # fmt: skip
    assert run(capsys, *base, "--batch", str(batch))[0] == 0
    code, out, _ = run(capsys, *base[:5], "list")
    assert code == 0 and len(out.splitlines()) == 12
    assert "Ann Lee: comment (redo of " in out  # the undone comment, made again, then undone
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
    assert code == 0 and "audit log verifies: 15 entries; head at entry 15" in out


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
    code, _, err = run(capsys, "matter", "list")
    assert code == ExitCode.USAGE and "WESTFALL_PASSPHRASE" in err
    monkeypatch.setenv("WESTFALL_HOME", str(app_home / "empty"))
    code, _, err = run(capsys, "matter", "list")
    assert code == ExitCode.STORE and "no store yet" in err and "matter create" in err


# issue 24: batches all or none, facts in their form, and the small gaps --------------------

CORRECT = ["correct", "--matter", "Lease", "--document", "lease.pdf", "--reviewer", "R"]


def _stored(lease: Path) -> tuple[int, int]:
    """(corrections, audit entries) in the store."""
    with Store.open(PASS, lease) as store:
        doc = store.reviews.find("Lease", "lease.pdf")
        return len(store.corrections.history(doc.id)), len(store.audit.entries())


def _batch_file(tmp_path: Path, lines: list[str]) -> str:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


GOOD = [
    '{"action": "accept", "clause": "c1"}',
    '{"action": "comment", "values": ["first note"]}',
    '{"action": "relabel", "clause": "c1", "values": ["Renewal Term"]}',
    '{"action": "fact", "fact": "term", "values": ["P5Y"]}',
    '{"action": "comment", "clause": "c1", "values": ["last note"]}',
]


@pytest.mark.parametrize(
    ("line3", "said"),
    [
        ('{"action": "comment", "values": 5}', '"values" must be a list'),
        ('{"action": ["x"], "clause": "c1"}', '"action" must be one of accept, reject'),
        ('{"action": "accept", "clause": 12}', '"clause" must be a string'),
        ('{"action": "span", "clause": "c1", "values": [30]}', "`span` takes 2 values"),
        ('{"action": "fact", "fact": "agreement_date", "values": ["soon"]}', "YYYY-MM-DD"),
        ('{"action": "accept", "clause": "c1", "clasue": "c1"}', 'unknown field "clasue"'),
        ('{"action": "accept", "clause": "c1"', "not JSON"),
        ("[1, 2]", "a correction is a JSON object"),
    ],
)
def test_a_bad_batch_line_is_named_and_nothing_is_stored(
    lease: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    line3: str,
    said: str,
) -> None:
    before = _stored(lease)
    batch = _batch_file(tmp_path, [GOOD[0], "", line3, *GOOD[3:]])  # line 2 is blank
    code, out, err = run(capsys, *CORRECT, "--batch", batch)
    assert code == ExitCode.BAD_INPUT and not out
    assert f"{batch}, line 3: " in err and said in err, err
    assert "nothing from the batch was stored" in err and "Traceback" not in err
    assert _stored(lease) == before


def test_a_batch_refused_midway_by_the_store_rolls_back_whole(
    lease: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _stored(lease)
    for line3, said in (
        ('{"action": "accept", "clause": "k99"}', "no clause or fact 'k99'"),
        ('{"action": "span", "clause": "c1", "values": [10, 100000]}', "outside the document"),
    ):
        batch = _batch_file(tmp_path, [*GOOD[:2], line3, *GOOD[3:]])
        code, out, err = run(capsys, *CORRECT, "--batch", batch)
        assert code == ExitCode.STORE and not out
        assert f"{batch}, line 3: " in err and said in err and "nothing from the batch" in err
        assert _stored(lease) == before  # lines 1 and 2 were rolled back, audit entries too
    assert run(capsys, "verify-audit")[0] == 0


def test_a_good_batch_is_stored_whole(
    lease: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corrections, entries = _stored(lease)
    code, out, err = run(capsys, *CORRECT, "--batch", _batch_file(tmp_path, GOOD))
    assert code == 0, err
    assert len(out.splitlines()) == 5 and 'R: fact term  null -> {"value": "P5Y"}' in out
    assert _stored(lease) == (corrections + 5, entries + 5)
    assert run(capsys, "verify-audit")[0] == 0


def test_fact_values_are_refused_unless_in_their_form(
    lease: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _stored(lease)
    for name, value, said in (
        ("agreement_date", "not a date", "an ISO 8601 date, YYYY-MM-DD"),
        ("term", "forever and ever", "an ISO 8601 duration of one unit: P2Y"),
        ("closing_date", "2025-01-01", "'closing_date' is not a key fact"),
    ):
        code, _, err = run(capsys, *CORRECT, "--fact", name, "fact", value)
        assert code == ExitCode.BAD_INPUT and said in err, err
    assert _stored(lease) == before
    code, out, _ = run(capsys, *CORRECT, "--fact", "agreement_date", "fact", "2025-03-31")
    assert code == 0 and '{"value": "2025-03-31"}' in out


def test_a_reversed_span_is_called_reversed(
    lease: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *CORRECT, "--clause", "c1", "span", "40", "10")
    assert code == ExitCode.STORE and "span 40-10 is reversed" in err and "outside" not in err
    code, _, err = run(capsys, *CORRECT, "add", "Insurance", "40", "10")
    assert code == ExitCode.STORE and "span 40-10 is reversed" in err


def test_a_long_comment_is_echoed_short_and_stored_whole(
    lease: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = "privileged " * 100_000  # 1.1 MB
    code, out, err = run(capsys, *CORRECT, "--clause", "c1", "comment", note)
    assert code == 0, err
    assert len(out) < 400 and "(1,100,000 characters)" in out
    code, out, _ = run(capsys, *CORRECT[:5], "list")
    assert code == 0 and len(out) < 400
    with Store.open(PASS, lease) as store:
        doc = store.reviews.find("Lease", "lease.pdf")
        assert store.corrections.history(doc.id)[-1].after == note


def test_help_and_hints_show_real_clause_ids(
    lease: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["correct", "--help"])
    shown = capsys.readouterr().out
    code, _, err = run(capsys, *CORRECT, "accept")
    assert code == ExitCode.BAD_INPUT
    code, _, unknown = run(capsys, *CORRECT, "--clause", "nope", "accept")
    assert code == ExitCode.STORE
    code, _, nothing = run(capsys, *CORRECT)
    for text in (shown, err, unknown, nothing):
        assert "e.g." in text and re.search(r"\bk\d+\b", text), text
        assert not re.search(r"\bc\d+\b", text), text


def test_a_short_new_passphrase_is_refused_saying_why(
    app_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WESTFALL_PASSPHRASE", "a")
    code, _, err = run(capsys, "matter", "create", "Lease")
    assert code == ExitCode.STORE and "1 character is too short" in err
    assert "at least 8 characters" in err and not (app_home / "store.sqlite3").exists()
    monkeypatch.setenv("WESTFALL_PASSPHRASE", PASS)
    assert run(capsys, "matter", "create", "Lease")[0] == 0
    monkeypatch.setenv("WESTFALL_NEW_PASSPHRASE", " ")
    code, _, err = run(capsys, "store", "passwd")
    assert code == ExitCode.STORE and "only spaces" in err
    assert run(capsys, "matter", "list")[0] == 0  # the old passphrase still opens it


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_short_passphrase_typed_is_refused_before_it_is_repeated(
    app_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WESTFALL_PASSPHRASE")
    monkeypatch.setattr(sys, "stdin", _Terminal())
    asked: list[str] = []
    monkeypatch.setattr(common.getpass, "getpass", lambda prompt: asked.append(prompt) or "a")
    code, _, err = run(capsys, "matter", "create", "Lease")
    assert code == ExitCode.STORE and "too short" in err and len(asked) == 1


def test_a_store_with_an_old_short_passphrase_still_opens(
    app_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as before_the_rule:
        before_the_rule.setattr(store_core, "check_new_passphrase", lambda passphrase: None)
        Store.create("a").close()
    monkeypatch.setenv("WESTFALL_PASSPHRASE", "a")
    code, out, err = run(capsys, "matter", "list")
    assert code == 0 and "no matters yet" in out, err
