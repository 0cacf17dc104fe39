"""SQLite's errors are sorted by their result code, not their wording: those of the
environment (busy, read-only, I/O, corrupt, full, not a database, cannot open, permission,
locked) become a StoreError the CLI says in one line; any other is a bug and goes through."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from westfall_legal.cli import main
from westfall_legal.errors import ExitCode, StoreError
from westfall_legal.store.db import translated


def _sorted(path: Path, error: sqlite3.Error) -> StoreError:
    with pytest.raises(StoreError) as caught, translated(path, "read"):
        raise error
    assert caught.value.__cause__ is error
    return caught.value


def _made(kind: type[sqlite3.Error], message: str, code: int, name: str) -> sqlite3.Error:
    """An error as SQLite would return it (for those hard to provoke in a test)."""
    error = kind(message)
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    error.sqlite_errorname = name  # type: ignore[attr-defined]
    return error


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "x.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE t (a)")
        conn.commit()
    return path


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"these are not the pages of a database\n" * 200)
    with (
        pytest.raises(StoreError, match="damaged or not a Westfall Legal store"),
        translated(path),
        contextlib.closing(sqlite3.connect(path)) as conn,
    ):
        conn.execute("SELECT * FROM sqlite_master").fetchall()


def test_read_only(db: Path) -> None:
    with (
        pytest.raises(StoreError, match="cannot write to the store") as caught,
        translated(db, "write to"),
        contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn,
    ):
        conn.execute("INSERT INTO t VALUES (1)")
    assert "writable" in caught.value.hint


def test_busy(db: Path) -> None:
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        with (
            pytest.raises(StoreError, match="busy in another window") as caught,
            translated(db, "write to"),
            contextlib.closing(sqlite3.connect(db, timeout=0, isolation_level=None)) as other,
        ):
            other.execute("BEGIN IMMEDIATE")
        holder.execute("ROLLBACK")
    assert "close the other Westfall Legal window" in caught.value.hint


def test_cannot_open(tmp_path: Path) -> None:
    path = tmp_path / "no such folder" / "store.sqlite3"
    with pytest.raises(StoreError, match="cannot open the store") as caught, translated(path):
        sqlite3.connect(path)
    assert "writable" in caught.value.hint


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (_made(sqlite3.OperationalError, "database or disk is full", 13, "SQLITE_FULL"),
         "the disk is full"),
        (_made(sqlite3.OperationalError, "disk I/O error", 522, "SQLITE_IOERR_SHORT_READ"),
         "cannot read the store (disk I/O error)"),
        (_made(sqlite3.DatabaseError, "database disk image is malformed", 11, "SQLITE_CORRUPT"),
         "damaged or not a Westfall Legal store"),
        (_made(sqlite3.DatabaseError, "malformed", 267, "SQLITE_CORRUPT_VTAB"),
         "damaged or not a Westfall Legal store"),
        (_made(sqlite3.OperationalError, "access permission denied", 3, "SQLITE_PERM"),
         "cannot read the store"),
        (_made(sqlite3.OperationalError, "database table is locked", 6, "SQLITE_LOCKED"),
         "busy in another window"),
        (_made(sqlite3.OperationalError, "database is locked", 517, "SQLITE_BUSY_SNAPSHOT"),
         "busy in another window"),
        (_made(sqlite3.OperationalError, "attempt to write a readonly database", 8,
               "SQLITE_READONLY"), "cannot read the store"),
    ],
)  # fmt: skip
def test_each_known_code(tmp_path: Path, error: sqlite3.Error, says: str) -> None:
    assert says in _sorted(tmp_path / "store.sqlite3", error).message


def test_a_mistake_in_our_sql_is_a_bug(db: Path) -> None:
    with (
        pytest.raises(sqlite3.OperationalError, match="syntax error"),
        translated(db),
        contextlib.closing(sqlite3.connect(db)) as conn,
    ):
        conn.execute("SELEC * FROM t")


@pytest.mark.parametrize(
    "error",
    [
        # the wording of a known error, with the code of a bug: the code decides
        _made(sqlite3.OperationalError, "database or disk is full (locked)", 1, "SQLITE_ERROR"),
        _made(sqlite3.IntegrityError, "UNIQUE constraint failed", 2067, "SQLITE_CONSTRAINT_UNIQUE"),
        sqlite3.ProgrammingError("Cannot operate on a closed database."),  # no code: Python's
    ],
)
def test_other_codes_are_bugs(tmp_path: Path, error: sqlite3.Error) -> None:
    with pytest.raises(type(error)) as caught, translated(tmp_path / "store.sqlite3"):
        raise error
    assert caught.value is error


def test_the_cli_says_a_damaged_store_in_one_line(
    app_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (app_home / "store.sqlite3").write_bytes(b"\0not a database\0" * 512)
    monkeypatch.setenv("WESTFALL_PASSPHRASE", "tin roof rusted")
    assert main(["matter", "list"]) == ExitCode.STORE
    err = capsys.readouterr().err
    assert "damaged or not a Westfall Legal store" in err and "westfall store restore" in err
    assert "Traceback" not in err
