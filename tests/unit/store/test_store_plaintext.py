"""Nothing readable on disk: planted names, clause text, notes never reach a store file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from store_helpers import PLANTED, populate, store_files

from westfall_legal.store import Store, backup


def _leaks(files: dict[str, bytes]) -> list[str]:
    found = []
    for name, data in files.items():
        for label, text in PLANTED.items():
            for encoded in (text.encode("utf-8"), text.encode("utf-16-le")):
                if encoded in data:
                    found.append(f"{label} in {name}")
    return found


def test_planted_strings_never_reach_the_database_wal_or_shm(
    store: Store, store_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _, saved = populate(store)
    # While the store is open: the WAL holds the latest pages.
    live = store_files(store_path)
    assert {"store.sqlite3", "store.sqlite3-wal", "store.sqlite3-shm"} <= set(live)
    assert live["store.sqlite3-wal"], "the test should see a WAL with content"
    assert _leaks(live) == []
    store.matters.rekey(PLANTED["matter"])  # re-encrypts everything, then truncates the WAL
    store.corrections.comment(saved.document.id, PLANTED["comment"], reviewer=PLANTED["reviewer"])
    assert _leaks(store_files(store_path)) == []
    backup(store, store_path.parent / "copy.sqlite3")
    store.close()
    after = store_files(store_path)
    assert "copy.sqlite3" in after and _leaks(after) == []
    # Only the database, its backup and the audit head: no temp files left behind.
    assert sorted(after) == ["copy.sqlite3", "store.audit-head", "store.sqlite3"]
    assert not any(text in caplog.text for text in PLANTED.values())


def test_the_planted_strings_are_really_stored(store: Store) -> None:
    """The absence above means encrypted, not lost: everything reads back."""
    matter, saved = populate(store)
    assert store.matters.get(PLANTED["matter"].upper()).id == matter.id
    assert saved.document.file_name == PLANTED["file"]
    state = store.corrections.state(saved.document.id)
    assert PLANTED["clause"] in {c.text for c in state.clauses}
    assert PLANTED["category"] in {c.category for c in state.clauses}
    assert {c.reviewer for c in state.corrections} == {PLANTED["reviewer"]}
    assert PLANTED["finding"] == state.findings[0]["explanation"]
    body = store.reviews.latest(saved.document.id).body  # type: ignore[union-attr]
    assert body["summary"]["text"] == PLANTED["summary"]
    assert PLANTED["fact"] in store.reviews.text(saved.document.id)
