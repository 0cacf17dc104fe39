"""Backup and restore through SQLite's online backup API.

A backup is a consistent snapshot taken while the app keeps running (readers and writers in
other windows go on); it holds only what the live file holds: ciphertext, the wrapped keys
and the KDF parameters, so it opens with the passphrase that was current when it was taken.

Restoring checks the backup first (a Westfall store, a schema this version knows, the
passphrase unwraps its keys, its audit chain verifies), keeps a copy of the live store next
to it (``store.before-restore-TIME.sqlite3``), then copies the backup over the live store,
points the audit head at the restored log's last entry and records the restore in the log.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from westfall_legal import paths
from westfall_legal.errors import InputNotFoundError, StoreError
from westfall_legal.store import migrations
from westfall_legal.store.audit import head_path, read_head
from westfall_legal.store.common import now
from westfall_legal.store.core import Store
from westfall_legal.store.db import translated
from westfall_legal.store.keys import Keyring

log = logging.getLogger(__name__)


def _copy(source: sqlite3.Connection, dest: Path) -> None:
    """Snapshot ``source`` into a new file ``dest`` (rollback journal, fsynced, renamed)."""
    if dest.exists():
        raise StoreError(f"{dest}: the file already exists.", hint="Choose a new file name.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.partial")
    tmp.unlink(missing_ok=True)
    tmp.touch(mode=0o600)
    try:
        with translated(dest, "write the backup"), contextlib.closing(sqlite3.connect(tmp)) as out:
            source.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        tmp.replace(dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def backup(store: Store, dest: Path) -> Path:
    """Write a consistent copy of the open store to ``dest`` (a new file)."""
    _copy(store.db.conn, dest)
    log.info("store backed up")
    return dest


def restore(source: Path, passphrase: str, path: Path | None = None) -> tuple[Store, Path | None]:
    """Replace the store at ``path`` with the backup ``source``; returns the opened store and
    the safety copy of the store it replaced (None if there was none)."""
    path = path or paths.store_file()
    if not source.exists():
        raise InputNotFoundError.for_path(source)
    _check_backup(source, passphrase)
    safety: Path | None = None
    if path.exists():
        safety = path.with_name(
            f"{path.stem}.before-restore-{now()[:19].replace(':', '')}{path.suffix}"
        )
        with translated(path), contextlib.closing(sqlite3.connect(path)) as live:
            _copy(live, safety)
    previous = read_head(head_path(path))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
    with (
        translated(source, "restore from"),
        contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        contextlib.closing(sqlite3.connect(path, isolation_level=None)) as live,
    ):
        src.backup(live)
    store = Store.open(passphrase, path)
    store.audit.reset_to_tip()
    with store.write():
        store.audit.append(
            None,
            "store.restored",
            {"previous_head": previous.seq if previous else None, "safety_copy": bool(safety)},
        )
    return store, safety


def _check_backup(source: Path, passphrase: str) -> None:
    """The backup is a store this version knows, the passphrase opens it, its chain holds."""
    with translated(source, "read the backup"):
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True, isolation_level=None)
    db = Database(conn, execute_plugins=False)
    try:
        with translated(source, "read the backup"):
            migrations.check(db, source)
            row = db.execute("SELECT kdf, store_key, store_id FROM keyring WHERE id = 1").fetchone()
        if row is None:
            raise StoreError(f"{source}: the backup has no keyring.")
        keyring = Keyring.unlock(passphrase, row[0], row[1], str(source))
        with translated(source, "read the backup"):
            Store(db, source, keyring, row[2]).audit.verify(check_head=False)
    finally:
        db.close()
