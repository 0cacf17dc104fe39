"""The open, unlocked store: one SQLite connection, the keyring, and the sealed-field helpers.

``Store.open(passphrase)`` checks the schema (refusing a newer one before anything else),
unlocks (a wrong passphrase raises and changes nothing), then applies pending migrations.
Every write goes through :meth:`Store.write` (``BEGIN IMMEDIATE`` ... ``COMMIT``); the audit
chain's head file is written after the commit.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlite_utils import Database

from westfall_legal import paths
from westfall_legal.errors import (
    KeyDestroyedError,
    StoreError,
    StoreExistsError,
    StoreNotFoundError,
    StoreTamperedError,
)
from westfall_legal.progress import ProgressCallback, ProgressEvent
from westfall_legal.store import migrations
from westfall_legal.store.audit import AuditLog, head_path
from westfall_legal.store.common import dumps, now, random_id
from westfall_legal.store.comparisons import Comparisons
from westfall_legal.store.corrections import Corrections
from westfall_legal.store.crypto import FieldCipher, KdfParams, associated_data
from westfall_legal.store.db import checkpoint, connect, translated
from westfall_legal.store.keys import Keyring
from westfall_legal.store.matters import Matters
from westfall_legal.store.reviews import Reviews
from westfall_legal.store.signers import TrustedSigners

log = logging.getLogger(__name__)


MIN_PASSPHRASE = 8  # characters, not counting spaces at either end


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a new passphrase too short to protect the store (an existing store still
    opens with whatever passphrase it was given before this rule).

    Whoever copies the store file can try passphrases offline, as fast as the KDF allows and
    on as many machines as they like, so a short one falls to a search; spaces add nothing."""
    kept = passphrase.strip()
    if len(kept) >= MIN_PASSPHRASE:
        return
    hint = (
        f"Choose one of at least {MIN_PASSPHRASE} characters, not counting spaces at either "
        "end (a few words are best); it cannot be recovered if you forget it."
    )
    if not passphrase:
        raise StoreError("an empty passphrase cannot protect the store.", hint=hint)
    if not kept:
        raise StoreError("a passphrase of only spaces cannot protect the store.", hint=hint)
    raise StoreError(
        f"a passphrase of {len(kept)} character{'s' if len(kept) > 1 else ''} is too short to "
        "protect the store: anyone with a copy of the store file could try every passphrase "
        "that short.",
        hint=hint,
    )


def _log_progress(event: ProgressEvent) -> None:
    """Where no one listens: a line when a long migration starts, one every 20,000 rows."""
    if event.total >= 20_000 and (event.done <= migrations.FILL_BATCH or event.done % 20_000 == 0):
        log.warning("store upgrade: %s, %d of %d", event.message, event.done, event.total)


class _Unlocked:
    """The open store as :func:`migrations.migrate` needs it (``migrations.Unlocked``)."""

    def __init__(self, store: Store, progress: ProgressCallback) -> None:
        self._store, self._progress = store, progress

    def document_digest_of_row(self, matter_id: str, document_id: str, body: bytes) -> bytes | None:
        return self._store.reviews.digest_of_row(matter_id, document_id, body)

    def migration_progress(self, done: int, total: int) -> None:
        self._progress(ProgressEvent("store upgrade", done, total, "indexing documents"))


class Store:
    """An unlocked store. Use as a context manager, or call :meth:`close`."""

    def __init__(self, db: Database, path: Path, keyring: Keyring, store_id: str) -> None:
        self.db = db
        self.path = path
        self.keyring = keyring
        self.store_id = store_id
        self.matters = Matters(self)
        self.reviews = Reviews(self)
        self.corrections = Corrections(self)
        self.audit = AuditLog(self)
        self.signers = TrustedSigners(self)
        self.comparisons = Comparisons(self)
        self.indexed = migrations.has_digests(db)  # documents found through their digest
        self.compares = migrations.has_comparisons(db)  # a comparisons table (schema 5)

    # Opening -------------------------------------------------------------------------------

    @staticmethod
    def exists(path: Path | None = None) -> bool:
        return (path or paths.store_file()).exists()

    @classmethod
    def open(
        cls, passphrase: str, path: Path | None = None, *, progress: ProgressCallback | None = None
    ) -> Store:
        """Unlock the store at ``path``; ``progress`` hears a long migration (default: log
        lines)."""
        path = path or paths.store_file()
        if not path.exists():
            raise StoreNotFoundError(f"{path}: no store yet.")
        db = connect(path)
        try:
            with translated(path):
                migrations.check(db, path)
                row = db.execute("SELECT kdf, store_key, store_id FROM keyring WHERE id = 1")
                found = row.fetchone()
            if found is None:
                raise StoreError(f"{path}: the store has no keyring (its creation was cut short).")
            keyring = Keyring.unlock(passphrase, found[0], found[1], str(path))
            store = cls(db, path, keyring, found[2])
            with translated(path, "upgrade"):
                store._upgrade(progress or _log_progress)
            store.audit.catch_up_head()
        except BaseException:
            db.close()
            raise
        log.info("store opened (schema %d)", migrations.SCHEMA_VERSION)
        return store

    @classmethod
    def create(
        cls,
        passphrase: str,
        path: Path | None = None,
        *,
        kdf: KdfParams | None = None,
        schema_version: int | None = None,
    ) -> Store:
        """A new, empty store at ``path``; ``schema_version`` builds an older schema (tests).

        It is built in a temporary file and renamed into place, so a crash leaves either no
        store or a complete one.
        """
        path = path or paths.store_file()
        if path.exists():
            raise StoreExistsError(f"{path}: a store already exists there.")
        head = head_path(path)
        if head.exists():
            raise StoreError(
                f"{path}: the database file is missing but its audit head {head.name} is "
                "there, so a store existed in this folder.",
                hint="Restore it with `westfall store restore BACKUP`, or, to start again "
                f"with an empty store, delete {head}.",
            )
        check_new_passphrase(passphrase)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.creating")
        for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
        tmp.touch(mode=0o600)  # owner only; SQLite gives -wal and -shm the same mode
        db = connect(tmp)
        try:
            with translated(tmp, "create"):
                migrations.migrate(db, version=schema_version)
                keyring, wrapped = Keyring.new(passphrase, kdf)
                store_id = random_id()
                db.table("keyring").insert(
                    {
                        "id": 1,
                        "store_id": store_id,
                        "kdf": keyring.kdf_json,
                        "store_key": wrapped,
                        "created": now(),
                    }
                )
                store = cls(db, path, keyring, store_id)
                with store.write():
                    store.audit.append(
                        None, "store.created", {"schema": len(migrations.applied(db))}
                    )
                checkpoint(db)
        finally:
            db.close()
        with translated(path, "create"):
            tmp.replace(path)
        return cls(connect(path), path, keyring, store_id)

    def _upgrade(self, progress: ProgressCallback) -> None:
        if len(migrations.applied(self.db)) >= migrations.SCHEMA_VERSION:
            return
        names = migrations.migrate(self.db, unlocked=_Unlocked(self, progress))
        self.indexed = migrations.has_digests(self.db)
        self.compares = migrations.has_comparisons(self.db)
        if not names:  # another window or process upgraded it while this one waited
            return
        before = len(migrations.applied(self.db)) - len(names)
        with self.write():
            self.audit.append(
                None,
                "schema.migrated",
                {"from": before, "to": before + len(names), "applied": names},
            )
        log.info("store schema migrated from %d to %d", before, before + len(names))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            checkpoint(self.db)
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # Transactions --------------------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        """One write transaction; the audit head follows the commit."""
        conn = self.db.conn
        if conn.in_transaction:  # nested: part of the caller's transaction
            yield self.db
            return
        with translated(self.path, "write to"):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                self.audit.rolled_back()
                raise
        self.audit.committed()

    @contextlib.contextmanager
    def read(self) -> Iterator[Database]:
        """A consistent snapshot for reads spanning several statements."""
        conn = self.db.conn
        if conn.in_transaction:
            yield self.db
            return
        with translated(self.path, "read"):
            conn.execute("BEGIN")
            try:
                yield self.db
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    # Sealed fields -------------------------------------------------------------------------

    def cipher(self, matter_id: str | None) -> FieldCipher:
        """The cipher of a matter (None: the store's own fields)."""
        if matter_id is None:
            return self.keyring.store_cipher
        cached = self.keyring.cached(matter_id)
        if cached is not None:
            return cached
        row = self.db.execute(
            "SELECT wrapped_key FROM matters WHERE id = ?", [matter_id]
        ).fetchone()
        if row is None:
            raise KeyDestroyedError(f"matter {matter_id}: its key is not in this store.")
        return self.keyring.matter_cipher(matter_id, row[0])

    def seal(
        self, matter_id: str | None, table: str, row_id: str | int, column: str, value: Any
    ) -> bytes:
        """``value`` as JSON, sealed to its matter, table, row and column."""
        return self.cipher(matter_id).seal(dumps(value), associated_data(table, row_id, column))

    def unseal(
        self, matter_id: str | None, table: str, row_id: str | int, column: str, blob: bytes
    ) -> Any:
        return json.loads(self.open_bytes(matter_id, table, row_id, column, blob))

    def open_bytes(
        self, matter_id: str | None, table: str, row_id: str | int, column: str, blob: bytes
    ) -> bytes:
        """The exact plaintext bytes of a sealed field (digests are taken over these)."""
        ad = associated_data(table, row_id, column)
        try:
            return self.cipher(matter_id).open(blob, ad)
        except StoreTamperedError:
            if matter_id is None or self.keyring.cached(matter_id) is None:
                raise
            self.keyring.forget(matter_id)  # another window may have rotated this key
            return self.cipher(matter_id).open(blob, ad)

    # Keys ----------------------------------------------------------------------------------

    def require_current_keyring(self) -> None:
        """Refuse to wrap a key under a KEK that another window has replaced."""
        row = self.db.execute("SELECT kdf FROM keyring WHERE id = 1").fetchone()
        if row is None or row[0] != self.keyring.kdf_json:
            raise StoreError(
                f"{self.path}: the passphrase was changed in another window.",
                hint="Close the store and unlock it again with the new passphrase.",
            )

    def change_passphrase(self, new_passphrase: str, *, kdf: KdfParams | None = None) -> None:
        """Re-wrap the store key and every matter key under a new passphrase (no data is
        re-encrypted). ``kdf`` raises (or keeps) the derivation cost; default: the current
        default cost with a fresh salt."""
        check_new_passphrase(new_passphrase)
        with self.write():
            self.require_current_keyring()
            wrapped = self.db.execute("SELECT id, wrapped_key FROM matters").fetchall()
            keyring, store_wrap, rewrapped = self.keyring.rewrap(new_passphrase, wrapped, kdf)
            self.db.execute(
                "UPDATE keyring SET kdf = ?, store_key = ? WHERE id = 1",
                [keyring.kdf_json, store_wrap],
            )
            self.db.conn.executemany(
                "UPDATE matters SET wrapped_key = ? WHERE id = ?",
                [(wrap, matter_id) for matter_id, wrap in rewrapped],
            )
            algorithm = KdfParams.from_json(json.loads(keyring.kdf_json)).algorithm
            self.audit.append(
                None, "passphrase.changed", {"kdf": algorithm, "keys": len(rewrapped) + 1}
            )
        self.keyring = keyring
        checkpoint(self.db)  # the wraps under the old passphrase leave the WAL too
