"""`westfall portfolio` on real CUAD contracts: the xlsx reads back and each row matches
the contract's own review; a run killed with SIGKILL and carried on gives the same sheet as
one that was never stopped, with every document stored once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from process_helpers import kill_all, marked, new_marker, wait_for

from westfall_legal.categories import TOP_CATEGORIES
from westfall_legal.pipeline import Engines, analyse
from westfall_legal.portfolio.record import JOURNAL
from westfall_legal.portfolio.task import worker_settings
from westfall_legal.report import review_json
from westfall_legal.settings import Settings
from westfall_legal.store import Store

# tests/conftest.py's CUAD folder ("from conftest import" finds whichever conftest.py is
# first on sys.path in a full run, tests/unit/store's among them)
CUAD_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cuad"

openpyxl = pytest.importorskip("openpyxl", reason="the portfolio extra (openpyxl) is missing")
pytestmark = [pytest.mark.cuad, pytest.mark.slow]

PASSPHRASE = "portfolio test passphrase"
# 14 by default; WESTFALL_PORTFOLIO_CONTRACTS=100 for the 100-contract check
CONTRACTS = int(os.environ.get("WESTFALL_PORTFOLIO_CONTRACTS", "14"))
RUN_S = 600


def _env(home: Path) -> dict[str, str]:
    env = new_marker()
    env.update(
        WESTFALL_HOME=str(home),
        WESTFALL_PASSPHRASE=PASSPHRASE,
        WESTFALL_NEW_PASSPHRASE=PASSPHRASE,
        PYTHONUNBUFFERED="1",
    )
    return env


def _westfall(*args: str) -> list[str]:
    return [sys.executable, "-m", "westfall_legal.cli", *args]


def _portfolio(room: Path, out: Path) -> list[str]:
    return _westfall("portfolio", str(room), "--matter", "DD", "--out", str(out), "--workers", "2")


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """CONTRACTS CUAD contracts in two folders, one of them twice, and an empty 'PDF'."""
    if not (CUAD_DIR / "labels.dev.jsonl").exists():
        pytest.skip(f"CUAD reference data not found at {CUAD_DIR} (only on development machines)")
    sources = sorted((CUAD_DIR / "full_contract_pdf").rglob("*.pdf"))[:CONTRACTS]
    room = tmp_path_factory.mktemp("room")
    for n, source in enumerate(sources):
        target = room / ("later" if n % 2 else "") / source.name
        target.parent.mkdir(exist_ok=True)
        shutil.copy(source, target)
    shutil.copy(sources[0], room / "later" / "copy of the first.pdf")
    (room / "empty.pdf").write_bytes(b"")
    return room


def _new_store(home: Path) -> None:
    subprocess.run(_westfall("matter", "create", "DD"), env=_env(home), check=True,
                   capture_output=True)  # fmt: skip


@pytest.fixture(scope="module")
def full_run(room: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The portfolio reviewed in one uninterrupted run: (its data folder, its output)."""
    home = tmp_path_factory.mktemp("home")
    out = tmp_path_factory.mktemp("out")
    _new_store(home)
    done = subprocess.run(_portfolio(room, out), env=_env(home), capture_output=True,
                          text=True, timeout=RUN_S)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return home, out


def _sheet(out: Path) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(out / "portfolio.xlsx")["Portfolio"]
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]


def test_the_sheet_matches_each_contracts_own_review(
    room: Path, full_run: tuple[Path, Path]
) -> None:
    home, out = full_run
    rows = _sheet(out)
    assert len(rows) == CONTRACTS + 1  # the copy is one row; the empty file is one row
    empty = next(r for r in rows if r["File"] == "empty.pdf")
    assert "empty" in empty["Error"] and empty["Review"] is None
    first = next(r for r in rows if r["Duplicates"])
    assert first["Duplicates"] == "later/copy of the first.pdf"
    settings, engines = worker_settings(Settings()), Engines()
    for row in rows:
        if row["File"] == "empty.pdf":
            continue
        assert not row["Error"], row["Error"]
        path = room / (row["Folder"] or "") / row["File"]
        data = review_json(analyse(path, settings=settings, engines=engines))
        assert row["sha256"] == data["document"]["sha256"]
        assert row["Type"] == (data["contract_type"] or {}).get("label", "")
        assert row["Pages"] == len(data["document"]["pages"])
        facts = data["facts"]
        assert row["Governing law"] == (
            facts["governing_law"]["value"] if "governing_law" in facts else None
        )
        assert row["Expiration date"] == (
            facts["expiration_date"]["value"] if "expiration_date" in facts else None
        )
        for category in TOP_CATEGORIES:
            clauses = [c for c in data["clauses"] if c["category"] == category]
            assert row[category] == ("yes" if clauses else "no"), (path.name, category)
            if clauses:
                best = max(clauses, key=lambda c: c["confidence"])
                assert row[f"{category}: page"] == best["page"]
                assert best["text"].split()[0] in row[f"{category}: first words"]
        for severity in ("high", "medium", "low"):
            found = sum(f["severity"] == severity for f in data["findings"])
            assert row[f"Findings {severity}"] == found
        assert (out / row["Review"]).read_text().startswith("<!DOCTYPE html>")
    with Store.open(PASSPHRASE, home / "store.sqlite3") as store:
        documents = store.reviews.documents("DD")
    assert len(documents) == CONTRACTS and all(d.reviews == 1 for d in documents)
    page = (out / "portfolio.html").read_text()
    assert f"{CONTRACTS} contracts reviewed; 1 files with an error" in page


def test_a_run_killed_with_sigkill_carries_on_to_the_same_sheet(
    room: Path, full_run: tuple[Path, Path], tmp_path: Path
) -> None:
    home, out = tmp_path / "home", tmp_path / "out"
    _new_store(home)
    env = _env(home)
    with (tmp_path / "first.log").open("wb") as log:
        app = subprocess.Popen(_portfolio(room, out), env=env, stdout=log, stderr=log)
    journal = out / JOURNAL
    try:
        deadline = time.monotonic() + RUN_S
        while time.monotonic() < deadline and app.poll() is None:
            if journal.exists() and len(journal.read_bytes().splitlines()) >= 3:
                break
            time.sleep(0.02)
        assert app.poll() is None, "the run ended before it could be killed"
        app.send_signal(signal.SIGKILL)
        app.wait()
        left = wait_for(env, lambda procs: not procs, 20)
        assert not left, f"processes left after kill -9: {left}"
    finally:
        kill_all(marked(env))
    stopped_at = len(journal.read_bytes().splitlines())
    assert 3 <= stopped_at < CONTRACTS + 1
    again = subprocess.run(_portfolio(room, out), env=_env(home), capture_output=True,
                           text=True, timeout=RUN_S)  # fmt: skip
    assert again.returncode == 0, again.stderr
    before = int(again.stderr.split(" finished before")[0].rsplit("; ", 1)[1])
    assert 2 <= before <= stopped_at  # the last journalled one may have missed its commit
    # no finished document was reviewed again: one journal line each, plus at most the one
    # whose line was written when the kill came before its store commit
    lines = [line for line in journal.read_text().splitlines() if line.endswith("}")]
    assert CONTRACTS + 1 <= len(lines) <= CONTRACTS + 2
    assert _sheet(out) == _sheet(full_run[1])
    with Store.open(PASSPHRASE, home / "store.sqlite3") as store:
        documents = store.reviews.documents("DD")
    assert len(documents) == CONTRACTS and all(d.reviews == 1 for d in documents)
    assert os.path.getsize(out / "portfolio.csv") == os.path.getsize(full_run[1] / "portfolio.csv")
