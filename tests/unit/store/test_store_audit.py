"""The audit chain: every AI output and human change is in it, and any tampering shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from store_helpers import PASSPHRASE, PLANTED, populate, raw

from westfall_legal.errors import AuditBrokenError
from westfall_legal.store import Store


@pytest.fixture
def chained(store: Store, store_path: Path) -> Path:
    """A closed store with a dozen audit entries."""
    populate(store)
    assert store.audit.verify().entries == 11
    store.close()
    return store_path


def _broken(path: Path) -> AuditBrokenError:
    with Store.open(PASSPHRASE, path) as store, pytest.raises(AuditBrokenError) as caught:
        store.audit.verify()
    return caught.value


def test_the_log_records_who_changed_what_from_what_to_what(store: Store) -> None:
    _, saved = populate(store)
    report = store.audit.verify()
    assert (report.entries, report.head_seq, report.checked_objects) == (11, 11, 9)
    entries = store.audit.entries()
    assert [e.event for e in entries] == [
        "store.created",
        "matter.created",
        "review.stored",
        *["correction"] * 8,
    ]
    review = entries[2].payload
    assert review is not None
    assert review["model"] == {"id": "clauses-v1", "sha256": "ab" * 32}
    assert review["annotations"] == 5 and review["document"] == saved.document.id
    relabel = next(e.payload for e in entries if e.payload and e.payload.get("action") == "relabel")
    assert relabel["reviewer"] == PLANTED["reviewer"]
    assert (relabel["before"], relabel["after"]) == ("Indemnification", PLANTED["category"])
    assert relabel["model"]["id"] == "clauses-v1"
    undo = entries[-1].payload
    assert undo is not None and undo["action"] == "undo" and undo["undoes"]
    assert all(e.created for e in entries)


def test_an_edited_entry_is_named(chained: Path) -> None:
    with raw(chained) as conn:
        conn.execute("UPDATE audit SET created = '2020-01-01T00:00:00' WHERE seq = 5")
    conn.close()
    err = _broken(chained)
    assert err.seq == 5 and "entry 5 was altered" in err.message


def test_an_edited_payload_is_named(chained: Path) -> None:
    with raw(chained) as conn:
        payload = bytearray(conn.execute("SELECT payload FROM audit WHERE seq = 7").fetchone()[0])
        payload[30] ^= 1
        conn.execute("UPDATE audit SET payload = ? WHERE seq = 7", [bytes(payload)])
    conn.close()
    err = _broken(chained)
    assert err.seq == 7 and "payload" in err.message


def test_a_deleted_entry_is_named(chained: Path) -> None:
    with raw(chained) as conn:
        conn.execute("DELETE FROM audit WHERE seq = 4")
    conn.close()
    err = _broken(chained)
    assert err.seq == 4 and "entry 4 is missing" in err.message


def test_a_deleted_and_renumbered_entry_is_named(chained: Path) -> None:
    with raw(chained) as conn:
        conn.execute("DELETE FROM audit WHERE seq = 4")
        conn.execute("UPDATE audit SET seq = seq - 1 WHERE seq > 4")
    conn.close()
    err = _broken(chained)
    assert err.seq == 4 and "does not follow entry 3" in err.message


def test_reordered_entries_are_named(chained: Path) -> None:
    with raw(chained) as conn:
        conn.execute("UPDATE audit SET seq = -1 WHERE seq = 6")
        conn.execute("UPDATE audit SET seq = 6 WHERE seq = 8")
        conn.execute("UPDATE audit SET seq = 8 WHERE seq = -1")
    conn.close()
    err = _broken(chained)
    assert err.seq == 6


def test_a_truncated_log_is_caught_by_the_head(chained: Path) -> None:
    with raw(chained) as conn:
        conn.execute("DELETE FROM audit WHERE seq > 8")
    conn.close()
    err = _broken(chained)
    assert err.seq == 9
    assert "ends at entry 8 but its head records entry 11" in err.message


def test_an_older_copy_of_the_store_file_is_caught_by_the_head(
    store: Store, store_path: Path
) -> None:
    populate(store)
    store.close()
    old = store_path.with_name("old.sqlite3")
    shutil.copy(store_path, old)
    with Store.open(PASSPHRASE, store_path) as newer:
        newer.matters.create("after the copy")
    shutil.copy(old, store_path)  # the file rolled back; the head was not
    err = _broken(store_path)
    assert err.seq == 12 and "cut back" in err.message


def test_a_deleted_correction_or_review_is_caught(chained: Path) -> None:
    with raw(chained) as conn:
        conn.execute("DELETE FROM corrections WHERE rowid = 3")
    conn.close()
    err = _broken(chained)
    assert "which is missing from the store" in err.message


def test_a_correction_without_an_entry_is_caught(chained: Path) -> None:
    with raw(chained) as conn:
        conn.execute("DELETE FROM audit WHERE seq = 11")  # the last: the head moves back too
    conn.close()
    (chained.with_suffix(".audit-head")).unlink()
    with Store.open(PASSPHRASE, chained) as store, pytest.raises(AuditBrokenError) as caught:
        store.audit.verify(check_head=False)
    assert "is in the store but not in the audit log" in caught.value.message


def test_a_missing_head_is_reported_and_can_be_reset(chained: Path) -> None:
    chained.with_suffix(".audit-head").unlink()
    err = _broken(chained)
    assert err.seq == 0 and "head file is missing" in err.message
    with Store.open(PASSPHRASE, chained) as store:
        store.audit.reset_head()
        assert store.audit.verify().entries == 12
        assert store.audit.entries()[-1].event == "audit.head_reset"


def test_a_lagging_head_catches_up_on_open(chained: Path) -> None:
    head = chained.with_suffix(".audit-head")
    before = head.read_text()
    with Store.open(PASSPHRASE, chained) as store:
        store.matters.create("one more")
    head.write_text(before)  # as if killed between the commit and the head write
    with Store.open(PASSPHRASE, chained) as store:
        assert store.audit.verify().head_seq == 12
