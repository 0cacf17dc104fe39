"""The SQLite connection: WAL with ``synchronous=FULL``, no temp files, no plugins.

``sqlite3`` errors become :class:`StoreError` with the file and the next step (a full disk,
a locked or damaged file), through :func:`translated`.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
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


@contextlib.contextmanager
def translated(path: Path, doing: str = "open") -> Iterator[None]:
    """Turn sqlite3's errors into StoreError naming the store file."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "full" in text:
            raise StoreError(
                f"{path}: the disk is full; the last change was not stored.",
                hint="Free some disk space and try again; everything committed before is intact.",
            ) from exc
        if "locked" in text or "busy" in text:
            raise StoreError(
                f"{path}: the store is busy in another window or process.",
                hint="Finish or close the other Westfall Legal window and try again.",
            ) from exc
        if "readonly" in text or "unable to open" in text:
            raise StoreError(
                f"{path}: cannot {doing} the store ({text}).",
                hint="Check that the data folder exists and is writable.",
            ) from exc
        raise StoreError(f"{path}: cannot {doing} the store ({text}).") from exc
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path}: the store file is damaged or not a Westfall Legal store ({exc})."
        ) from exc


def checkpoint(db: Database) -> bool:
    """Copy the WAL into the database and truncate it; False if readers kept it busy."""
    row = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    busy = bool(row and row[0])
    if busy:
        log.warning("WAL checkpoint incomplete: another connection is reading")
    return not busy
