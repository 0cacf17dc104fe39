"""Two processes open the same old store at once: the upgrade (schema 3 -> 5: the keyed
digest index, then comparisons) runs once, under SQLite's write lock, and the other process
waits for it and goes on with the upgraded store; a process killed mid-upgrade leaves the old
schema, which the waiting one then upgrades whole.

Real processes (``spawn``), the real SQLite file and the real crypto: the first process is
held inside its upgrade transaction by its progress callback until the second one has reached
its own upgrade."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

import pytest
from store_helpers import PASSPHRASE, raw, review_json

from westfall_legal.errors import SchemaTooNewError
from westfall_legal.progress import ProgressEvent
from westfall_legal.store import Store, db, migrations

OLD = 3  # the last schema without the keyed index
DOCUMENTS = 3
CTX = multiprocessing.get_context("spawn")  # no fork of the test process's threads
WAIT_S = 60.0  # for an event between the processes (a hung test fails, never hangs)


def _old_store(path: Path) -> tuple[str, list[str]]:
    """A store of schema 3 with a few documents, built the way the migration tests build
    one; returns the matter id and the documents' sha256."""
    reviews = [review_json(2, name=f"lease-{n}.pdf", extra=f" Copy {n}.") for n in range(DOCUMENTS)]
    with Store.create(PASSPHRASE, path, schema_version=OLD) as old:
        assert migrations.applied(old.db) == migrations.KNOWN[:OLD]
        matter = old.matters.create("Old matter")
        for data in reviews:
            old.reviews.add(matter.id, data, size=100)
    return matter.id, [str(r["document"]["sha256"]) for r in reviews]


def _first(path: str, inside: Event, release: str, out: Any) -> None:
    """Open the store; at the first progress report (inside the upgrade's transaction) say
    so, and hold the transaction until the file ``release`` exists (a file, not an Event: a
    process killed while it waits on an Event would leave the Event's lock held)."""
    heard: list[tuple[int, int]] = []

    def hold(event: ProgressEvent) -> None:
        heard.append((event.done, event.total))
        if len(heard) == 1:
            inside.set()
            deadline = time.monotonic() + WAIT_S
            while not Path(release).exists() and time.monotonic() < deadline:
                time.sleep(0.01)

    _open_and_report("first", path, hold, heard, out)


def _second(path: str, migrating: Event, busy_timeout_s: float | None, out: Any) -> None:
    """Open the store, saying so on ``migrating`` as the upgrade is entered."""
    if busy_timeout_s is not None:  # a connection that gives up waiting sooner than SQLite's
        db.BUSY_TIMEOUT_S = busy_timeout_s
    real = migrations.migrate

    def entered(*args: Any, **kwargs: Any) -> list[str]:
        migrating.set()
        return real(*args, **kwargs)

    migrations.migrate = entered
    heard: list[tuple[int, int]] = []
    _open_and_report("second", path, lambda e: heard.append((e.done, e.total)), heard, out)


def _open_and_report(who: str, path: str, progress: Any, heard: list[Any], out: Any) -> None:
    try:
        with Store.open(PASSPHRASE, Path(path), progress=progress) as store:
            result: dict[str, Any] = {
                "applied": migrations.applied(store.db),
                "indexed": store.indexed,
                "compares": store.compares,
                "heard": heard,
            }
    except BaseException as exc:  # reported to the test, which fails with it
        result = {"error": f"{type(exc).__name__}: {exc}"}
    out.put((who, result))


def _results(out: Any, expected: int) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for _ in range(expected):
        try:
            who, result = out.get(timeout=WAIT_S)
        except queue.Empty:
            pytest.fail(f"only {sorted(found)} of {expected} processes reported")
        found[who] = result
    return found


def _check_upgraded_once(path: Path, matter_id: str, sha256s: list[str]) -> list[list[str]]:
    """The file holds every migration exactly once, every document indexed, a chain that
    verifies; returns the ``applied`` list of each schema.migrated entry."""
    conn = raw(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
        digests = [r[0] for r in conn.execute("SELECT digest FROM documents")]
    finally:
        conn.close()
    assert names == migrations.KNOWN
    assert len(digests) == DOCUMENTS and all(d is not None for d in digests)
    with Store.open(PASSPHRASE, path) as store:
        assert store.indexed and store.compares
        for sha256 in sha256s:
            assert store.reviews.by_sha256(matter_id, sha256) is not None
        store.audit.verify()
        return [
            list((e.payload or {}).get("applied", []))
            for e in store.audit.entries()
            if e.event == "schema.migrated"
        ]


@dataclass
class Racing:
    """The two processes, the first held inside its upgrade transaction and the second
    inside :func:`migrations.migrate`; ``release`` lets the first one commit."""

    first: BaseProcess
    second: BaseProcess
    release: Path
    out: Any


@contextlib.contextmanager
def _racing(store_path: Path, busy_timeout_s: float | None = None) -> Iterator[Racing]:
    inside, migrating, release = CTX.Event(), CTX.Event(), store_path.with_name("release")
    out = CTX.Queue()
    first = CTX.Process(target=_first, args=(str(store_path), inside, str(release), out))
    second = CTX.Process(target=_second, args=(str(store_path), migrating, busy_timeout_s, out))
    first.start()
    try:
        assert inside.wait(WAIT_S), "the first process never reached its upgrade"
        second.start()  # it finds schema 3 (the upgrade is not committed) and starts its own
        assert migrating.wait(WAIT_S), "the second process never reached its upgrade"
        second.join(1.0)  # give it time to run into the first one's transaction
        yield Racing(first, second, release, out)
    finally:
        release.touch()
        for proc in (first, second):
            proc.join(WAIT_S)
            if proc.is_alive():  # hung: the test fails, without leaving it running
                proc.kill()


@pytest.mark.parametrize("busy_timeout_s", [None, 0.2], ids=["sqlite-timeout", "short-timeout"])
def test_a_second_process_waits_for_the_upgrade_and_goes_on(
    store_path: Path, busy_timeout_s: float | None
) -> None:
    matter_id, sha256s = _old_store(store_path)
    with _racing(store_path, busy_timeout_s) as race:
        race.release.touch()
        results = _results(race.out, 2)
    assert results["first"].get("error") is None, results["first"]
    assert results["second"].get("error") is None, results["second"]
    for result in results.values():
        assert result["applied"] == migrations.KNOWN and result["indexed"] and result["compares"]
    assert results["first"]["heard"] == [(DOCUMENTS, DOCUMENTS)]  # progress still reported
    assert results["second"]["heard"] == []  # it had nothing left to do
    applied = _check_upgraded_once(store_path, matter_id, sha256s)
    assert applied == [migrations.KNOWN[OLD:]]  # one entry: the process that upgraded it


def test_a_process_killed_mid_upgrade_leaves_it_to_the_waiting_one(store_path: Path) -> None:
    matter_id, sha256s = _old_store(store_path)
    with _racing(store_path) as race:
        first = race.first
        assert first.pid is not None
        os.kill(first.pid, signal.SIGKILL)  # inside its transaction, the rows indexed, uncommitted
        first.join(WAIT_S)
        results = _results(race.out, 1)
    assert first.exitcode == -signal.SIGKILL
    assert results["second"].get("error") is None, results["second"]
    assert results["second"]["applied"] == migrations.KNOWN
    assert results["second"]["heard"] == [(DOCUMENTS, DOCUMENTS)]  # it did the upgrade
    assert _check_upgraded_once(store_path, matter_id, sha256s) == [migrations.KNOWN[OLD:]]


def test_a_store_a_newer_version_upgraded_meanwhile_is_refused_under_the_lock(
    store_path: Path,
) -> None:
    """What the lock's second reading finds, a newer process may have written: refused."""
    Store.create(PASSPHRASE, store_path, schema_version=OLD).close()
    conn = raw(store_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        [migrations.MIGRATION_SET, "m999_from_the_future", "2030-01-01"],
    )
    conn.close()
    opened = db.connect(store_path)
    try:
        with pytest.raises(SchemaTooNewError, match="m999_from_the_future"):
            migrations.migrate(opened)
        assert not opened.conn.in_transaction
        assert "comparisons" not in opened.table_names()
        assert migrations.applied(opened) == [*migrations.KNOWN[:OLD], "m999_from_the_future"]
    finally:
        opened.close()
