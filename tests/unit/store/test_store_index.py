"""The documents' keyed index (schema 4): a document is found by its sha256 through one
indexed query on HMAC(index key, matter id | sha256); the file never holds the sha256 itself;
an older store is indexed once when it is opened, all or nothing."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import pytest
from store_helpers import PASSPHRASE, populate, raw, review_json, store_files

from westfall_legal.errors import StoreTamperedError
from westfall_legal.progress import ProgressEvent
from westfall_legal.store import Store, migrations
from westfall_legal.store.reviews import Reviews

OLD = 3  # the last schema without the index


def _digests(path: Path) -> dict[str, bytes | None]:
    conn = raw(path)
    try:
        return dict(conn.execute("SELECT id, digest FROM documents"))
    finally:
        conn.close()


def _old_store(path: Path, documents: int) -> tuple[str, list[dict[str, Any]]]:
    """A store of schema 3 with ``documents`` documents stored the way schema 3 stores them
    (no digest column; found by opening every row)."""
    reviews = [review_json(2, name=f"lease-{n}.pdf", extra=f" Copy {n}.") for n in range(documents)]
    with Store.create(PASSPHRASE, path, schema_version=OLD) as old:
        assert not old.indexed
        assert "digest" not in old.db.table("documents").columns_dict
        matter = old.matters.create("Old matter")
        for data in reviews:
            old.reviews.add(matter.id, data, size=100)
    return matter.id, reviews


def test_a_document_is_found_by_its_sha256_and_only_in_its_matter(store: Store) -> None:
    matter, saved = populate(store)
    other = store.matters.create("Other matter")
    data = review_json()
    sha256 = str(data["document"]["sha256"])
    found = store.reviews.by_sha256(matter.id, sha256)
    assert found is not None and found.id == saved.document.id
    assert store.reviews.by_sha256(matter.id, sha256.upper()) == found
    assert store.reviews.find(matter.id, sha256) == found
    assert store.reviews.by_sha256(other.id, sha256) is None
    assert store.reviews.by_sha256(matter.id, "0" * 64) is None
    again = store.reviews.add(matter.id, data)
    assert not again.new_document and again.document.id == saved.document.id
    assert again.document.reviews == 2
    elsewhere = store.reviews.add(other.id, data)  # the same file in another matter
    assert elsewhere.new_document and elsewhere.document.id != saved.document.id


def test_the_lookup_is_one_indexed_query(store: Store) -> None:
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT id, body FROM documents WHERE matter_id = ? AND digest = ?",
        ["m", b"d"],
    ).fetchall()
    assert any("idx_documents_matter_id_digest" in str(row[-1]) for row in plan), plan


def test_the_file_holds_no_sha256_only_keyed_digests(store: Store, store_path: Path) -> None:
    _, saved = populate(store)
    other = store.matters.create("Other matter")
    store.reviews.add(other.id, review_json())
    sha256 = saved.document.sha256
    store.close()
    files = store_files(store_path)
    for name, data in files.items():
        for form in (sha256.encode(), sha256.upper().encode(), bytes.fromhex(sha256)):
            assert form not in data, f"the sha256 is readable in {name}"
    digests = list(_digests(store_path).values())
    assert len(digests) == 2 and len(set(digests)) == 2  # the same file, unlinkable
    plain = {bytes.fromhex(sha256), hashlib.sha256(bytes.fromhex(sha256)).digest()}
    plain.add(hashlib.sha256(sha256.encode()).digest())
    assert all(isinstance(d, bytes) and len(d) == 32 and d not in plain for d in digests)


def test_another_store_gives_the_same_file_another_digest(app_home: Path) -> None:
    found = []
    for name in ("a", "b"):
        path = app_home / f"{name}.sqlite3"
        with Store.create(PASSPHRASE, path) as store:
            store.reviews.add(store.matters.create("M").id, review_json())
        found += list(_digests(path).values())
    assert len(set(found)) == 2


def test_a_digest_moved_to_another_row_is_refused(store: Store, store_path: Path) -> None:
    matter = store.matters.create("M")
    first = store.reviews.add(matter.id, review_json(extra=" one")).document
    second = store.reviews.add(matter.id, review_json(extra=" two")).document
    store.close()
    digests = _digests(store_path)
    conn = raw(store_path)
    for row, digest in ((first.id, digests[second.id]), (second.id, digests[first.id])):
        conn.execute("UPDATE documents SET digest = ? WHERE id = ?", [digest, row])
    conn.close()
    with (
        Store.open(PASSPHRASE, store_path) as opened,
        pytest.raises(StoreTamperedError, match=f"row {second.id}, column digest"),
    ):
        opened.reviews.by_sha256(matter.id, first.sha256)


def test_an_old_store_is_indexed_once_when_opened(
    store_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(migrations, "FILL_BATCH", 2)  # several batches
    matter_id, reviews = _old_store(store_path, 5)
    heard: list[ProgressEvent] = []
    with Store.open(PASSPHRASE, store_path, progress=heard.append) as store:
        assert store.indexed and migrations.applied(store.db) == migrations.KNOWN
        for data in reviews:
            sha256 = str(data["document"]["sha256"])
            found = store.reviews.by_sha256(matter_id, sha256)
            assert found is not None and found.sha256 == sha256
            assert not store.reviews.add(matter_id, data).new_document
        last = store.audit.entries()[-1]
        assert last.event == "review.stored"
        migrated = [e for e in store.audit.entries() if e.event == "schema.migrated"]
        assert [(e.payload or {}).get("applied") for e in migrated] == [migrations.KNOWN[OLD:]]
        store.audit.verify()
    assert [(e.done, e.total) for e in heard] == [(2, 5), (4, 5), (5, 5)]
    assert all(d is not None for d in _digests(store_path).values())
    assert PASSPHRASE not in caplog.text


def test_a_failure_midway_leaves_the_old_store_as_it_was(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrations, "FILL_BATCH", 2)
    matter_id, reviews = _old_store(store_path, 5)
    real = Reviews.digest_of_row
    calls = []

    def power_cut(self: Reviews, matter: str, document: str, blob: bytes) -> bytes | None:
        calls.append(document)
        if len(calls) == 4:  # the first batch already written
            raise RuntimeError("power cut")
        return real(self, matter, document, blob)

    with monkeypatch.context() as patch:
        patch.setattr(Reviews, "digest_of_row", power_cut)
        with pytest.raises(RuntimeError, match="power cut"):
            Store.open(PASSPHRASE, store_path)
    conn = raw(store_path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(documents)")]
    indexes = [row[1] for row in conn.execute("PRAGMA index_list(documents)")]
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    conn.close()
    assert "digest" not in columns and "idx_documents_matter_id_digest" not in indexes
    assert applied == migrations.KNOWN[:OLD]
    with Store.open(PASSPHRASE, store_path) as store:  # the next open migrates it whole
        assert store.indexed and len(store.reviews.documents(matter_id)) == 5
        sha256 = str(reviews[3]["document"]["sha256"])
        assert store.reviews.by_sha256(matter_id, sha256) is not None


def test_an_unreadable_row_stays_out_of_the_index_without_locking_the_store(
    store_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    matter_id, reviews = _old_store(store_path, 3)
    conn = raw(store_path)
    bad = conn.execute("SELECT id FROM documents ORDER BY rowid LIMIT 1").fetchone()[0]
    conn.execute("UPDATE documents SET body = X'01' WHERE id = ?", [bad])
    conn.close()
    with Store.open(PASSPHRASE, store_path) as store:
        assert store.indexed
        sha256 = str(reviews[2]["document"]["sha256"])
        assert store.reviews.by_sha256(matter_id, sha256) is not None
    assert _digests(store_path)[bad] is None
    assert f"document {bad} cannot be opened" in caplog.text
