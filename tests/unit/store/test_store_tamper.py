"""Altered or moved ciphertext is refused with an error that names the place."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_helpers import PASSPHRASE, populate, raw, review_json

from westfall_legal.errors import KeyDestroyedError, StoreTamperedError
from westfall_legal.store import Store


def _reopen(path: Path) -> Store:
    return Store.open(PASSPHRASE, path)


def test_a_flipped_bit_in_a_clause_is_detected(store: Store, store_path: Path) -> None:
    _, saved = populate(store)
    store.close()
    with raw(store_path) as conn:
        row_id, body = conn.execute("SELECT id, body FROM annotations LIMIT 1").fetchone()
        body = bytearray(body)
        body[-1] ^= 0x40
        conn.execute("UPDATE annotations SET body = ? WHERE id = ?", [bytes(body), row_id])
    conn.close()
    with _reopen(store_path) as store, pytest.raises(StoreTamperedError) as caught:
        store.corrections.state(saved.document.id)
    assert f"table annotations, row {row_id}, column body" in caught.value.message
    assert "westfall store restore" in caught.value.user_line()


@pytest.mark.parametrize(
    ("table", "column"),
    [("annotations", "body"), ("corrections", "body"), ("documents", "text"), ("matters", "name")],
)
def test_ciphertexts_swapped_between_rows_are_detected(
    store: Store, store_path: Path, table: str, column: str
) -> None:
    matter, saved = populate(store)
    other = store.matters.create("Second matter")
    store.reviews.add(matter.id, review_json(name="second.pdf", extra=" More."))
    store.reviews.add(other.id, review_json(name="third.pdf", extra=" Other."))
    store.corrections.accept(saved.document.id, "c3", reviewer="R")
    store.close()
    with raw(store_path) as conn:
        (a, blob_a), (b, blob_b) = conn.execute(
            f"SELECT id, {column} FROM {table} ORDER BY rowid LIMIT 2"
        ).fetchall()
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", [blob_b, a])
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", [blob_a, b])
    conn.close()
    with _reopen(store_path) as store, pytest.raises(StoreTamperedError, match=f"table {table}"):
        for m in store.matters.list():
            for doc in store.reviews.documents(m.id):
                store.corrections.state(doc.id)
                store.reviews.text(doc.id)


def test_a_matter_key_swapped_for_anothers_is_detected(store: Store, store_path: Path) -> None:
    store.matters.create("one")
    store.matters.create("two")
    store.close()
    with raw(store_path) as conn:
        (a, _), (_, wb) = conn.execute("SELECT id, wrapped_key FROM matters").fetchall()
        conn.execute("UPDATE matters SET wrapped_key = ? WHERE id = ?", [wb, a])
    conn.close()
    with _reopen(store_path) as store, pytest.raises(StoreTamperedError, match=f"matter {a}"):
        store.matters.list()


def test_a_row_moved_to_another_matter_does_not_open(store: Store, store_path: Path) -> None:
    _, saved = populate(store)
    other = store.matters.create("other")
    store.close()
    with raw(store_path) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("UPDATE corrections SET matter_id = ? WHERE rowid = 1", [other.id])
    conn.close()
    with _reopen(store_path) as store, pytest.raises(StoreTamperedError):
        store.corrections.history(saved.document.id)


def test_rows_of_a_missing_matter_have_no_key(store: Store) -> None:
    with pytest.raises(KeyDestroyedError, match="not in this store"):
        store.unseal("0123456789abcdef", "annotations", "x", "body", b"\x01" + b"0" * 40)
