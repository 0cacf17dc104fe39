"""Comparisons kept in a matter (schema 5): the compare JSON and the HTML redline sealed,
linked to the two versions' documents where the matter has them, audited, listed and read
back; deleted, re-keyed, backed up and restored with their matter; an older store gains the
table when it opens, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlite_utils.db import Table
from store_helpers import PASSPHRASE, PLANTED, raw, review_json, store_files

from westfall_legal.errors import (
    AuditBrokenError,
    MatterClosedError,
    NotInStoreError,
    StoreError,
    StoreTamperedError,
)
from westfall_legal.store import Store, backup, migrations, restore

REDLINE = f"<!DOCTYPE html><p>{PLANTED['clause']} <del>three</del> <ins>five</ins> years</p>"


def comparison(old: dict[str, Any], new: dict[str, Any], changed: int = 1) -> dict[str, Any]:
    """A westfall.compare/1 dict between two review dicts (the fields the store reads, and a
    planted clause text)."""

    def side(review: dict[str, Any]) -> dict[str, Any]:
        doc = review["document"]
        return {"path": doc["path"], "sha256": doc["sha256"], "kind": "pdf", "pages": 1,
                "sections": 3, "warnings": []}  # fmt: skip

    return {
        "schema": "westfall.compare/1",
        "old": side(old),
        "new": side(new),
        "counts": {
            "unchanged": 2,
            "changed": changed,
            "added": 0,
            "removed": 1,
            "moved": 0,
            "renumbered": 0,
        },
        "clauses": [{"status": "changed", "old_text": PLANTED["clause"], "new_text": "x"}],
        "facts": [{"description": "term: 3 years → 5 years"}],
        "risks": [],
        "seconds": 0.5,
    }


def _two_versions(store: Store) -> tuple[str, list[str], dict[str, Any]]:
    """A matter holding both versions' reviews, and their comparison (not stored yet)."""
    matter = store.matters.create(PLANTED["matter"])
    old, new = review_json(name="lease_v1.pdf"), review_json(name="lease_v2.pdf", extra=" More.")
    docs = [store.reviews.add(matter.id, r).document.id for r in (old, new)]
    return matter.id, docs, comparison(old, new)


def test_a_comparison_is_stored_linked_listed_and_read_back(store: Store) -> None:
    matter_id, docs, data = _two_versions(store)
    info = store.comparisons.add(PLANTED["matter"], data, REDLINE)
    assert (info.old_document_id, info.new_document_id) == tuple(docs)
    assert (info.old_file, info.new_file) == ("lease_v1.pdf", "lease_v2.pdf")
    assert info.counts["changed"] == 1 and info.counts["removed"] == 1
    assert (info.facts, info.risks) == (1, 0)
    assert store.comparisons.list(matter_id) == [info]
    kept = store.comparisons.get(matter_id, info.id[:6])
    assert kept.info == info and kept.data == data and kept.html == REDLINE
    entry = store.audit.entries(matter_id)[-1]
    assert entry.event == "comparison.stored" and entry.payload is not None
    assert entry.payload["comparison"] == info.id and entry.payload["old_document"] == docs[0]
    report = store.audit.verify()
    assert report.checked_objects == 3  # two reviews and the comparison


def test_versions_not_in_the_matter_are_not_linked(store: Store) -> None:
    matter = store.matters.create("Elsewhere")
    data = comparison(review_json(name="a.pdf"), review_json(name="b.pdf", extra=" B."))
    info = store.comparisons.add(matter.id, data, REDLINE)
    assert info.old_document_id is None and info.new_document_id is None
    assert store.comparisons.list(matter.id)[0].id == info.id
    store.audit.verify()


def test_bad_input_a_closed_matter_and_an_unknown_id_are_refused(store: Store) -> None:
    matter_id, _, data = _two_versions(store)
    with pytest.raises(StoreError, match=r"not a westfall\.compare/1 JSON"):
        store.comparisons.add(matter_id, {"old": {}}, REDLINE)
    with pytest.raises(NotInStoreError, match="no comparison 'nope'"):
        store.comparisons.get(matter_id, "nope")
    store.matters.close(matter_id)
    with pytest.raises(MatterClosedError):
        store.comparisons.add(matter_id, data, REDLINE)
    assert store.db.execute("SELECT count(*) FROM comparisons").fetchone()[0] == 0


def test_the_file_holds_no_redline_text_or_file_name(store: Store, store_path: Path) -> None:
    matter_id, _, data = _two_versions(store)
    store.comparisons.add(matter_id, data, REDLINE)
    store.close()
    for name, blob in store_files(store_path).items():
        for planted in ("lease_v1.pdf", PLANTED["clause"], "term: 3 years"):
            assert planted.encode() not in blob, (name, planted)


def test_an_altered_or_moved_comparison_is_refused(store: Store, store_path: Path) -> None:
    matter_id, _, data = _two_versions(store)
    first = store.comparisons.add(matter_id, data, REDLINE)
    second = store.comparisons.add(matter_id, data, REDLINE + "<p>again</p>")
    store.close()
    conn = raw(store_path)
    (html,) = conn.execute("SELECT html FROM comparisons WHERE id = ?", [second.id]).fetchone()
    conn.execute("UPDATE comparisons SET html = ? WHERE id = ?", [html, first.id])
    conn.close()
    with Store.open(PASSPHRASE, store_path) as opened:
        with pytest.raises(StoreTamperedError, match=f"comparisons.*{first.id}|{first.id}"):
            opened.comparisons.get(matter_id, first.id)
        with pytest.raises((AuditBrokenError, StoreTamperedError)):
            opened.audit.verify()


def test_deleting_the_matter_removes_its_comparisons(store: Store) -> None:
    matter_id, _, data = _two_versions(store)
    store.comparisons.add(matter_id, data, REDLINE)
    keep = store.matters.create("Unrelated")
    store.comparisons.add(keep.id, data, REDLINE)
    deleted = store.matters.delete(matter_id)
    assert deleted["comparisons"] == 1 and deleted["documents"] == 2
    left = store.db.execute("SELECT matter_id FROM comparisons").fetchall()
    assert left == [(keep.id,)]
    store.audit.verify()  # the deleted matter's entry stays, sealed


def test_rekey_reseals_the_comparisons(store: Store) -> None:
    matter_id, _, data = _two_versions(store)
    info = store.comparisons.add(matter_id, data, REDLINE)
    query = "SELECT listing, data, html FROM comparisons WHERE id = ?"
    before = store.db.execute(query, [info.id]).fetchone()
    rows = store.matters.rekey(matter_id)
    after = store.db.execute(query, [info.id]).fetchone()
    assert all(a != b for a, b in zip(before, after, strict=True))
    # matter, 2 documents, 2 reviews, 10 annotations, 1 comparison, 4 audit entries
    assert rows == 1 + 2 + 2 + 10 + 1 + 4
    kept = store.comparisons.get(matter_id, info.id)
    assert kept.data == data and kept.html == REDLINE
    store.audit.verify()


def test_backup_and_restore_keep_the_comparisons(store: Store, store_path: Path) -> None:
    matter_id, _, data = _two_versions(store)
    info = store.comparisons.add(matter_id, data, REDLINE)
    copy = backup(store, store_path.with_name("backup.sqlite3"))
    store.matters.delete(matter_id)
    store.close()
    restored, _ = restore(copy, PASSPHRASE, store_path)
    with restored:
        assert restored.comparisons.get(matter_id, info.id).html == REDLINE
        restored.audit.verify()


# The migration -------------------------------------------------------------------------------

V4 = 4  # the last schema without comparisons


def _v4_store(path: Path) -> tuple[str, list[dict[str, Any]]]:
    reviews = [review_json(2, name=f"lease-{n}.pdf", extra=f" Copy {n}.") for n in range(4)]
    with Store.create(PASSPHRASE, path, schema_version=V4) as old:
        assert not old.compares and "comparisons" not in old.db.table_names()
        assert old.comparisons.list("Old matter") == []
        matter = old.matters.create("Old matter")
        for data in reviews:
            old.reviews.add(matter.id, data, size=100)
        assert old.matters.rekey(matter.id) > 0  # works on a schema without the table
        old.audit.verify()
    return matter.id, reviews


def test_a_version_4_store_with_documents_gains_the_table(store_path: Path) -> None:
    matter_id, reviews = _v4_store(store_path)
    with Store.open(PASSPHRASE, store_path) as store:
        assert store.compares and migrations.applied(store.db) == migrations.KNOWN
        migrated = store.audit.entries()[-1]
        assert migrated.event == "schema.migrated" and migrated.payload is not None
        assert migrated.payload["applied"] == ["m005_comparisons"]
        docs = store.reviews.documents(matter_id)
        assert len(docs) == 4
        found = store.reviews.by_sha256(matter_id, str(reviews[2]["document"]["sha256"]))
        assert found is not None and found.file_name == "lease-2.pdf"
        info = store.comparisons.add(matter_id, comparison(reviews[0], reviews[1]), REDLINE)
        assert info.old_document_id == docs[0].id and info.new_document_id == docs[1].id
        store.audit.verify()


def test_a_failure_midway_leaves_the_version_4_store_as_it_was(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    matter_id, _ = _v4_store(store_path)
    real = Table.create_index

    def power_cut(self: Table, *args: Any, **kwargs: Any) -> Any:
        if self.name == "comparisons":  # after the table itself was created
            raise RuntimeError("power cut")
        return real(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Table, "create_index", power_cut)
        with pytest.raises(RuntimeError, match="power cut"):
            Store.open(PASSPHRASE, store_path)
    conn = raw(store_path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    conn.close()
    assert "comparisons" not in tables and applied == migrations.KNOWN[:V4]
    with Store.open(PASSPHRASE, store_path) as store:  # the next open migrates it
        assert store.compares and len(store.reviews.documents(matter_id)) == 4
        store.audit.verify()
