"""The SQLite connection: WAL with ``synchronous=FULL``, no temp files, no plugins.

``sqlite3`` errors of the environment (a full disk, a locked, read-only or damaged file)
become :class:`StoreError` with the file and the next step, through :func:`translated`;
they are told apart by SQLite's result code, never by the wording of the message.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from westfall_legal.errors import StoreError

log = logging.getLogger(__name__)
BUSY_TIMEOUT_S = 15.0

# Per connection: durable commits, temporary tables and sorts in memory (never a plaintext
# temp file, although only ciphertext reaches SQLite anyway), deleted content zeroed (so a
# destroyed matter key does not linger in free pages), and no trust in SQL found in the file.
PRAGMAS = (
    "PRAGMA synchronous=FULL",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA secure_delete=ON",
    "PRAGMA foreign_keys=ON",
    "PRAGMA trusted_schema=OFF",
)


def connect(path: Path) -> Database:
    """Open (or create) the database file in WAL mode with the store's pragmas."""
    with translated(path):
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        try:
            for pragma in PRAGMAS:
                conn.execute(pragma)
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(
                    f"{path}: SQLite could not switch the store to WAL mode ({mode}).",
                    hint="Keep the store on a local disk (not a network share) and try again.",
                )
        except BaseException:
            conn.close()
            raise
    return Database(conn, execute_plugins=False)


# SQLite's primary result codes (the low byte of an extended code such as
# SQLITE_IOERR_SHORT_READ) that say the environment failed: another process, the disk, the
# file's permissions or contents. Any other code (a syntax error, a constraint, a misuse) is
# a bug in Westfall Legal and is not dressed up as a store error.
BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
UNWRITABLE = frozenset({sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM})
DAMAGED = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
KNOWN = BUSY | UNWRITABLE | DAMAGED | {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR}


def primary_code(exc: sqlite3.Error) -> int | None:
    """The primary result code of an error SQLite returned; None for one raised by Python's
    sqlite3 module itself (a closed connection, a wrong parameter)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def known_error(exc: sqlite3.Error, path: Path, doing: str = "open") -> StoreError | None:
    """The StoreError (naming ``path`` and the next step) for an error of the environment;
    None for a bug, which the caller lets through."""
    code = primary_code(exc)
    if code not in KNOWN:
        return None
    if code == sqlite3.SQLITE_FULL:
        return StoreError(
            f"{path}: the disk is full; the last change was not stored.",
            hint="Free some disk space and try again; everything committed before is intact.",
        )
    if code in BUSY:
        return StoreError(
            f"{path}: the store is busy in another window or process.",
            hint="Finish or close the other Westfall Legal window and try again.",
        )
    if code in UNWRITABLE:
        return StoreError(
            f"{path}: cannot {doing} the store ({exc}).",
            hint="Check that the data folder exists and is writable.",
        )
    if code in DAMAGED:
        return StoreError(
            f"{path}: the store file is damaged or not a Westfall Legal store ({exc})."
        )
    return StoreError(f"{path}: cannot {doing} the store ({exc}).")  # SQLITE_IOERR


@contextlib.contextmanager
def translated(path: Path, doing: str = "open") -> Iterator[None]:
    """Turn sqlite3's errors of the environment into StoreError naming the store file (see
    :func:`known_error`); let the others, bugs, through as they are."""
    try:
        yield
    except sqlite3.Error as exc:
        known = known_error(exc, path, doing)
        if known is None:
            raise
        raise known from exc


def begin_immediate(conn: sqlite3.Connection, *, wait_s: float) -> None:
    """``BEGIN IMMEDIATE``: take the write lock now, waiting up to about ``wait_s`` in all
    (the connection's busy timeout at a time) for another connection's write to end. Raises
    sqlite3's SQLITE_BUSY error when the lock was not had by then."""
    deadline, told = time.monotonic() + wait_s, False
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if primary_code(exc) not in BUSY or time.monotonic() >= deadline:
                raise
            if not told:
                log.warning("another window or process is writing to the store; waiting")
                told = True


def checkpoint(db: Database) -> bool:
    """Copy the WAL into the database and truncate it; False if readers kept it busy."""
    row = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    busy = bool(row and row[0])
    if busy:
        log.warning("WAL checkpoint incomplete: another connection is reading")
    return not busy
