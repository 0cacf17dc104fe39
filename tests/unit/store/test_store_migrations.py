"""Schema migrations: a store of the previous version opens, upgraded, with every row."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database, Migrations
from store_helpers import PASSPHRASE, populate

from westfall_legal.store import Store, migrations
from westfall_legal.store.db import connect

TABLES = ("keyring", "matters", "documents", "reviews", "annotations", "corrections", "audit")


def _counts(db: Database) -> dict[str, int]:
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_a_version_1_store_is_migrated_keeping_every_row(store_path: Path) -> None:
    old = Store.create(PASSPHRASE, store_path, schema_version=1)
    assert migrations.applied(old.db) == migrations.KNOWN[:1]
    assert "closed" not in old.db.table("matters").columns_dict
    matter, saved = populate(old)
    counts = _counts(old.db)
    state = old.corrections.state(saved.document.id)
    entries = old.audit.entries()
    old.close()

    with Store.open(PASSPHRASE, store_path) as store:
        assert migrations.applied(store.db) == migrations.KNOWN
        assert "closed" in store.db.table("matters").columns_dict
        assert _counts(store.db) == {**counts, "audit": counts["audit"] + 1}
        assert store.corrections.state(saved.document.id) == state
        assert store.audit.entries()[:-1] == entries
        last = store.audit.entries()[-1]
        assert last.event == "schema.migrated" and last.payload == {
            "from": 1,
            "to": migrations.SCHEMA_VERSION,
            "applied": migrations.KNOWN[1:],
        }
        store.audit.verify()
        assert store.matters.close(matter.id).closed  # what version 2 added works
    with Store.open(PASSPHRASE, store_path) as again:  # nothing left to migrate
        assert again.audit.entries()[-1].event == "matter.closed"


def test_a_failing_migration_leaves_the_schema_as_it_was(store_path: Path) -> None:
    Store.create(PASSPHRASE, store_path).close()
    db = connect(store_path)
    with_a_bad_one = Migrations(migrations.MIGRATION_SET)
    for fn in migrations.REGISTRY:
        with_a_bad_one()(fn)

    @with_a_bad_one()
    def m003_half_done(db: Database) -> None:
        db.table("half_done").create({"x": int})
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        with_a_bad_one.apply(db)
    assert "half_done" not in db.table_names()
    assert migrations.applied(db) == migrations.KNOWN
    db.close()
