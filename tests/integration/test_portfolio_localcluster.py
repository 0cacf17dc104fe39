"""`westfall portfolio --cluster` on a Dask LocalCluster of two worker processes: a worker
killed with SIGKILL in the middle of a document loses nothing, and every document is
recorded exactly once, by the client (the workers never open the store)."""

from __future__ import annotations

import ipaddress
import os
import shutil
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from westfall_legal.portfolio.cluster import ClusterRunner
from westfall_legal.portfolio.record import JOURNAL, read_journal
from westfall_legal.portfolio.review import review_portfolio
from westfall_legal.settings import Settings
from westfall_legal.store import KdfParams, Store, keys

distributed = pytest.importorskip("distributed", reason="the portfolio extra (Dask) is missing")
pytest.importorskip("openpyxl", reason="the portfolio extra (openpyxl) is missing")
pytestmark = [pytest.mark.cuad, pytest.mark.slow]

CONTRACTS = 10
FAST_KDF = KdfParams(algorithm="argon2id", salt="", iterations=1, lanes=1, memory_cost=8)
PASSPHRASE = "cluster test passphrase"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This machine only: Dask's client, scheduler and workers talk over loopback TCP, and
    any other address still fails the test (the conftest fixture refuses every one)."""
    original = socket.socket.connect

    def loopback_only(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and not ipaddress.ip_address(address[0]).is_loopback:
            raise AssertionError(f"network connection attempted to {address!r}")
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)
    yield


@pytest.fixture
def room(cuad_dir: Path, tmp_path: Path) -> Path:
    room = tmp_path / "room"
    room.mkdir()
    for source in sorted((cuad_dir / "full_contract_pdf").rglob("*.pdf"))[:CONTRACTS]:
        shutil.copy(source, room / source.name)
    return room


def _kill_a_busy_worker(client: Any, killed: list[int], stop: threading.Event) -> None:
    """SIGKILL the first worker seen in the middle of a document (once)."""
    pids: dict[str, int] = client.run(os.getpid)
    while not stop.is_set():
        busy = [w for w, keys in client.processing().items() if keys and w in pids]
        if busy:
            time.sleep(0.1)  # into the document, not at its first line
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.append(pids[busy[0]])
            return
        time.sleep(0.01)


def test_a_worker_killed_mid_document_loses_nothing(
    room: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keys, "DEFAULT_KDF", FAST_KDF)
    out = tmp_path / "out"
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
        Store.create(PASSPHRASE, tmp_path / "store.sqlite3") as store,
    ):
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        killed: list[int] = []
        stop = threading.Event()
        killer = threading.Thread(target=_kill_a_busy_worker, args=(client, killed, stop))
        killer.start()
        try:
            result = review_portfolio(
                room,
                store=store,
                matter="DD",
                out=out,
                settings=Settings(),
                runner=ClusterRunner(client),
                stream=None,
            )
        finally:
            stop.set()
            killer.join()
        assert killed, "no worker was killed: the run ended first"
        assert killed[0] not in client.run(os.getpid).values()  # it is gone (a new one came)
        documents = store.reviews.documents("DD")
    assert result.documents == CONTRACTS and result.reviewed == CONTRACTS and not result.failed
    assert len(documents) == CONTRACTS and all(d.reviews == 1 for d in documents)
    assert {d.sha256 for d in documents} == set(read_journal(out / JOURNAL))
    lines = (out / JOURNAL).read_text().splitlines()
    assert len(lines) == CONTRACTS  # each recorded once
    assert (out / "portfolio.xlsx").exists()
