"""Backup while the app runs, and a restore that checks the backup before replacing anything."""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import pytest
from store_helpers import PASSPHRASE, populate, raw, store_files

from westfall_legal.errors import StoreError, StoreTamperedError, WrongPassphraseError
from westfall_legal.store import Store, backup, restore


def _digests(path: Path) -> dict[str, str]:
    return {n: hashlib.sha256(d).hexdigest() for n, d in store_files(path).items()}


def test_backups_while_another_window_writes(store: Store, store_path: Path) -> None:
    _, saved = populate(store)
    doc = saved.document.id
    done = threading.Event()

    def write() -> None:
        with Store.open(PASSPHRASE, store_path) as writer:
            for n in range(40):
                writer.corrections.comment(doc, f"note {n}", reviewer="Writer")
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    copies = []
    while (not done.is_set() or not copies) and len(copies) < 12:
        copies.append(backup(store, store_path.with_name(f"b{len(copies)}.sqlite3")))
        time.sleep(0.01)
    thread.join()
    final = [c.id for c in store.corrections.history(doc)]
    for copy in copies:
        with Store.open(PASSPHRASE, copy) as snapshot:
            snapshot.audit.verify(check_head=False)
            ids = [c.id for c in snapshot.corrections.history(doc)]
            assert ids == final[: len(ids)]  # a consistent prefix, never a torn write
    with pytest.raises(StoreError, match="already exists"):
        backup(store, copies[0])


def test_restore_replaces_the_store_and_keeps_the_one_it_replaced(
    store: Store, store_path: Path
) -> None:
    matter, saved = populate(store)
    copy = backup(store, store_path.with_name("backup.sqlite3"))
    store.matters.delete(matter.id)
    store.matters.create("made after the backup")
    store.close()
    restored, safety = restore(copy, PASSPHRASE, store_path)
    with restored:
        assert [m.name for m in restored.matters.list()] == [matter.name]
        assert restored.corrections.state(saved.document.id).clauses
        assert restored.audit.entries()[-1].event == "store.restored"
        restored.audit.verify()
    assert safety is not None
    with Store.open(PASSPHRASE, safety) as replaced:
        assert [m.name for m in replaced.matters.list()] == ["made after the backup"]


def test_restore_checks_the_backup_before_touching_the_store(
    store: Store, store_path: Path
) -> None:
    populate(store)
    copy = backup(store, store_path.with_name("backup.sqlite3"))
    store.change_passphrase("newer passphrase")
    store.close()
    before = _digests(store_path)
    with pytest.raises(WrongPassphraseError):
        restore(copy, "newer passphrase", store_path)  # the backup has the old one
    with raw(copy) as conn:
        blob = bytearray(conn.execute("SELECT body FROM corrections LIMIT 1").fetchone()[0])
        blob[-2] ^= 1
        conn.execute("UPDATE corrections SET body = ? WHERE rowid = 1", [bytes(blob)])
    conn.close()
    with pytest.raises(StoreTamperedError):
        restore(copy, PASSPHRASE, store_path)
    assert _digests(store_path) == {
        **before,
        "backup.sqlite3": _digests(store_path)["backup.sqlite3"],
    }


def test_restore_when_the_database_file_was_lost(store: Store, store_path: Path) -> None:
    populate(store)
    copy = backup(store, store_path.parent / "elsewhere" / "backup.sqlite3")
    store.close()
    store_path.unlink()
    restored, safety = restore(copy, PASSPHRASE, store_path)
    with restored:
        assert safety is None and restored.audit.verify().entries == 12
