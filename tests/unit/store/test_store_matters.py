"""Matters: close, re-key, and delete by destroying the key (crypto-shredding)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from store_helpers import PASSPHRASE, PLANTED, populate, review_json, store_files

from westfall_legal.errors import (
    KeyDestroyedError,
    MatterClosedError,
    NotInStoreError,
    StoreError,
    StoreTamperedError,
)
from westfall_legal.store import Store, backup


def test_create_list_close_reopen(store: Store) -> None:
    a = store.matters.create("Alpha")
    b = store.matters.create("Beta")
    with pytest.raises(StoreError, match="already exists"):
        store.matters.create("  alpha ")
    store.reviews.add("beta", review_json())
    assert [(m.name, m.documents) for m in store.matters.list()] == [("Alpha", 0), ("Beta", 1)]
    closed = store.matters.close("Alpha")
    assert closed.closed and store.matters.list(include_closed=False) == [store.matters.get(b.id)]
    with pytest.raises(MatterClosedError, match="'Alpha' is closed"):
        store.reviews.add(a.id, review_json())
    assert store.matters.reopen(a.id).closed is None
    store.reviews.add(a.id, review_json())
    with pytest.raises(NotInStoreError, match="no matter named 'Gamma'"):
        store.matters.get("Gamma")
    events = [e.event for e in store.audit.entries()]
    assert events.count("matter.closed") == 1 and events.count("matter.reopened") == 1


def test_a_closed_matter_refuses_corrections_but_reads(store: Store) -> None:
    matter, saved = populate(store)
    store.matters.close(matter.id)
    with pytest.raises(MatterClosedError):
        store.corrections.accept(saved.document.id, "c2", reviewer="R")
    assert store.corrections.state(saved.document.id).clauses


def _snapshot(store: Store, table: str) -> dict[int, tuple[object, ...]]:
    return {row[0]: tuple(row) for row in store.db.execute(f"SELECT rowid, * FROM {table}")}


def test_rekey_reencrypts_every_row_and_retires_the_old_key(store: Store, store_path: Path) -> None:
    matter, saved = populate(store)
    tables = ("matters", "documents", "reviews", "annotations", "corrections")
    before = {t: _snapshot(store, t) for t in tables}
    state = store.corrections.state(saved.document.id)
    with Store.open(PASSPHRASE, store_path) as other:  # another window, the old key cached
        other.matters.list()
        rows = store.matters.rekey(matter.name)
        assert rows == 1 + 1 + 1 + 5 + 8 + 10  # matter, document, review, annotations, ...
        assert other.corrections.state(saved.document.id) == state
    after = {t: _snapshot(store, t) for t in tables}
    for table in tables:
        assert before[table].keys() == after[table].keys()
        assert all(before[table][k] != after[table][k] for k in before[table])
    assert store.corrections.state(saved.document.id) == state
    assert store.db.execute("SELECT key_version FROM matters").fetchone()[0] == 2
    assert store.audit.entries()[-1].event == "key.rotated"
    store.audit.verify()
    _, row_id, *_, old_body = next(iter(before["annotations"].values()))
    assert isinstance(row_id, str) and isinstance(old_body, bytes)
    with pytest.raises(StoreTamperedError):  # ciphertext under the retired key
        store.unseal(matter.id, "annotations", row_id, "body", old_body)


def test_delete_shreds_the_matter(store: Store, store_path: Path) -> None:
    matter, saved = populate(store)
    keep = store.matters.create("Unrelated")
    store.reviews.add(keep.id, review_json(name="kept.pdf", extra=" Kept."))
    early = backup(store, store_path.with_name("before-delete.sqlite3"))
    wrapped = store.db.execute("SELECT wrapped_key FROM matters WHERE id = ?", [matter.id])
    (key_wrap,) = wrapped.fetchone()
    blobs = store.db.execute(
        "SELECT id, body FROM annotations WHERE matter_id = ?", [matter.id]
    ).fetchall()

    deleted = store.matters.delete(PLANTED["matter"])
    assert deleted == {
        "annotations": 5,
        "corrections": 8,
        "comparisons": 0,
        "reviews": 1,
        "documents": 1,
        "matters": 1,
    }
    # The wrapped key and the ciphertext are gone from every live file (not merely unlinked
    # rows: secure_delete zeroes them, and the WAL is truncated).
    live = {n: d for n, d in store_files(store_path).items() if n.startswith("store.sqlite3")}
    assert live
    for name, data in live.items():
        assert key_wrap not in data, name
        assert not any(blob in data for _, blob in blobs), name
    # Ciphertext kept elsewhere (here: the rows of a backup made before) cannot be opened.
    for row_id, blob in blobs:
        with pytest.raises(KeyDestroyedError, match="not in this store"):
            store.unseal(matter.id, "annotations", row_id, "body", blob)
    assert [m.name for m in store.matters.list()] == ["Unrelated"]
    with pytest.raises(NotInStoreError):
        store.reviews.document(saved.document.id)
    # Its audit entries stay, chained and verified, their payloads sealed for good.
    report = store.audit.verify()
    assert report.sealed == 10
    sealed = [e for e in store.audit.entries() if e.matter_id == matter.id]
    assert len(sealed) == 10 and all(e.payload is None for e in sealed)
    assert store.audit.entries()[-1].event == "matter.deleted"
    store.close()
    # What crypto-shredding does not do: a backup made before the deletion holds the wrapped
    # key, and opens with the passphrase of its day. Destroy such backups separately.
    copy = shutil.copy(early, store_path.with_name("copy-of-backup.sqlite3"))
    with Store.open(PASSPHRASE, Path(copy)) as old:
        assert old.matters.get(matter.id).name == PLANTED["matter"]
