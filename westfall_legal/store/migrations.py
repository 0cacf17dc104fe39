"""The store's schema as registered, transactional migrations (sqlite-utils ``Migrations``).

An upgrade runs in one ``BEGIN IMMEDIATE`` transaction: the pending migrations, each with the
record that it was applied, all or none, so a crash leaves either the old or the new schema.
The applied migrations are read again once the write lock is held, so of two processes that
open the same old store at once one upgrades it and the other waits, finds it upgraded and
goes on; no migration runs twice. A store that has applied a migration this version does not
know was written by a newer Westfall Legal: it is refused, never downgraded.

Only opaque ids, timestamps, sizes and keyed digests (the audit chain's, the documents'
index) are clear columns; every other column is a BLOB of AES-256-GCM ciphertext (see
``crypto.py``). A migration that fills a keyed column gets the unlocked store through
:func:`migrate`. Add new migrations at the end, never edit one that has shipped.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Protocol

from sqlite_utils import Database, Migrations

from westfall_legal.errors import SchemaTooNewError, StoreError
from westfall_legal.store.db import begin_immediate

log = logging.getLogger(__name__)
MIGRATION_SET = "westfall_store"


class Unlocked(Protocol):
    """What a migration that fills a keyed column needs of the unlocked store."""

    def document_digest_of_row(self, matter_id: str, document_id: str, body: bytes) -> bytes | None:
        """The index entry of one stored document row (its sealed body opened); None for a
        row that cannot be opened (it stays out of the index rather than lock the store)."""

    def migration_progress(self, done: int, total: int) -> None:
        """Told every :data:`FILL_BATCH` rows while a migration fills a column."""


# The unlocked store, for the length of :func:`migrate` (a migration takes only ``db``).
_UNLOCKED: ContextVar[Unlocked | None] = ContextVar("westfall_store_unlocked", default=None)
FILL_BATCH = 2000  # rows read, digested and written back at a time (memory stays bounded)
# How long an upgrade waits for the write lock: another process may be upgrading a large store.
UPGRADE_WAIT_S = 600.0


def m001_initial(db: Database) -> None:
    db.table("keyring").create(
        {"id": int, "store_id": str, "kdf": str, "store_key": bytes, "created": str},
        pk="id",
    )
    db.table("matters").create(
        {"id": str, "created": str, "key_version": int, "wrapped_key": bytes, "name": bytes},
        pk="id",
        not_null={"created", "wrapped_key", "name"},
    )
    db.table("documents").create(
        {"id": str, "matter_id": str, "created": str, "size": int, "body": bytes, "text": bytes},
        pk="id",
        foreign_keys=[("matter_id", "matters", "id")],
        not_null={"matter_id", "body"},
    )
    db.table("reviews").create(
        {"id": str, "matter_id": str, "document_id": str, "created": str, "body": bytes},
        pk="id",
        foreign_keys=[("matter_id", "matters", "id"), ("document_id", "documents", "id")],
        not_null={"matter_id", "document_id", "body"},
    )
    db.table("annotations").create(
        {"id": str, "matter_id": str, "document_id": str, "review_id": str, "body": bytes},
        pk="id",
        foreign_keys=[
            ("matter_id", "matters", "id"),
            ("document_id", "documents", "id"),
            ("review_id", "reviews", "id"),
        ],
        not_null={"matter_id", "document_id", "review_id", "body"},
    )
    db.table("corrections").create(
        {"id": str, "matter_id": str, "document_id": str, "created": str, "body": bytes},
        pk="id",
        foreign_keys=[("matter_id", "matters", "id"), ("document_id", "documents", "id")],
        not_null={"matter_id", "document_id", "body"},
    )
    # The audit log has no foreign key: its entries outlive a deleted (shredded) matter.
    db.table("audit").create(
        {
            "seq": int,
            "created": str,
            "matter_id": str,
            "payload": bytes,
            "digest": str,
            "prev": str,
            "hash": str,
        },
        pk="seq",
        not_null={"created", "payload", "digest", "prev", "hash"},
    )
    db.table("annotations").create_index(["review_id"])
    db.table("reviews").create_index(["document_id"])


def m002_close_matters_and_index_documents(db: Database) -> None:
    """Matters can be closed (read-only); lookups by document without a table scan."""
    db.table("matters").add_column("closed", str)
    db.table("documents").create_index(["matter_id"])
    db.table("corrections").create_index(["document_id"])


def m003_trusted_signers(db: Database) -> None:
    """The feedback-bundle signer keys this installation trusts (name and key sealed)."""
    db.table("trusted_signers").create(
        {"id": str, "created": str, "body": bytes}, pk="id", not_null={"created", "body"}
    )


def m004_document_digests(db: Database) -> None:
    """Documents found by their sha256 through an index, not by opening every row: the
    ``digest`` column holds HMAC-SHA-256(index key, matter id | sha256) (see
    ``Keyring.document_digest``), filled here for the documents already stored. The rows are
    read in batches by rowid; any failure rolls the whole migration back."""
    db.execute("ALTER TABLE documents ADD COLUMN digest BLOB")
    db.execute("CREATE INDEX idx_documents_matter_id_digest ON documents (matter_id, digest)")
    total = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    if not total:
        return
    unlocked = _UNLOCKED.get()
    if unlocked is None:
        raise StoreError("the store's documents can only be indexed once it is unlocked.")
    done, last, started = 0, -1, time.monotonic()
    while True:
        rows = db.execute(
            "SELECT rowid, id, matter_id, body FROM documents WHERE rowid > ? "
            "ORDER BY rowid LIMIT ?",
            [last, FILL_BATCH],
        ).fetchall()
        if not rows:
            break
        db.conn.executemany(
            "UPDATE documents SET digest = ? WHERE rowid = ?",
            [(unlocked.document_digest_of_row(m, i, body), r) for r, i, m, body in rows],
        )
        done, last = done + len(rows), rows[-1][0]
        unlocked.migration_progress(done, total)
    log.info("indexed %d documents in %.1f s", done, time.monotonic() - started)


def m005_comparisons(db: Database) -> None:
    """Comparisons of two versions (``westfall compare --matter``) kept in the matter: the
    ``westfall.compare/1`` JSON, the HTML redline and a short listing (file names, counts)
    sealed; in clear only the ids, the time, and the two versions' document rows when they
    are in the matter (null otherwise)."""
    db.table("comparisons").create(
        {
            "id": str,
            "matter_id": str,
            "created": str,
            "old_document_id": str,
            "new_document_id": str,
            "listing": bytes,
            "data": bytes,
            "html": bytes,
        },
        pk="id",
        foreign_keys=[
            ("matter_id", "matters", "id"),
            ("old_document_id", "documents", "id"),
            ("new_document_id", "documents", "id"),
        ],
        not_null={"matter_id", "created", "listing", "data", "html"},
    )
    db.table("comparisons").create_index(["matter_id"])


# The registry, in order: append, never reorder or edit.
REGISTRY = [
    m001_initial,
    m002_close_matters_and_index_documents,
    m003_trusted_signers,
    m004_document_digests,
    m005_comparisons,
]
migrations = Migrations(MIGRATION_SET)
for _fn in REGISTRY:
    migrations()(_fn)
KNOWN = [fn.__name__ for fn in REGISTRY]
SCHEMA_VERSION = len(KNOWN)


def applied(db: Database) -> list[str]:
    """The names of the migrations this database has applied (read-only)."""
    return [m.name for m in migrations.applied(db)]


def check(db: Database, path: Path) -> int:
    """The store's schema version; refuse a newer one or a file that is not a store."""
    names = applied(db)
    if not names:
        raise StoreError(
            f"{path}: not a Westfall Legal store (no schema record).",
            hint="Point --data-dir at the folder that holds store.sqlite3, or restore a backup.",
        )
    _refuse_unknown(names, path)
    return len(names)


def _refuse_unknown(names: list[str], path: Path | str) -> None:
    unknown = [n for n in names if n not in KNOWN]
    if unknown:
        raise SchemaTooNewError(
            f"{path}: the store has schema changes this version does not know "
            f"({', '.join(unknown)})."
        )


def migrate(
    db: Database, *, version: int | None = None, unlocked: Unlocked | None = None
) -> list[str]:
    """Apply the pending migrations (up to ``version``, default all) in one transaction that
    holds SQLite's write lock from the start; returns their names: none when another process
    upgraded the store while this one waited for the lock (up to :data:`UPGRADE_WAIT_S`).
    ``unlocked``: the open store, for migrations that fill keyed columns (not needed while
    the store is empty)."""
    conn = db.conn
    if conn.in_transaction:
        raise RuntimeError("migrate() runs its own transaction; call it outside one")
    begin_immediate(conn, wait_s=UPGRADE_WAIT_S)
    try:
        before = applied(db)  # read again under the lock: another process may have upgraded
        _refuse_unknown(before, db.execute("PRAGMA database_list").fetchone()[2])
        stop = KNOWN[version] if version is not None and version < len(KNOWN) else None
        with _lent(unlocked):
            migrations.apply(db, stop_before=stop)  # each migration a savepoint in ours
        names = [n for n in applied(db) if n not in before]
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return names


@contextlib.contextmanager
def _lent(unlocked: Unlocked | None) -> Iterator[None]:
    token = _UNLOCKED.set(unlocked)
    try:
        yield
    finally:
        _UNLOCKED.reset(token)


def has_comparisons(db: Database) -> bool:
    """Whether the store keeps comparisons (schema 5 on)."""
    return m005_comparisons.__name__ in applied(db)


def has_digests(db: Database) -> bool:
    """Whether the store's documents carry their index entry (schema 4 on)."""
    return m004_document_digests.__name__ in applied(db)
