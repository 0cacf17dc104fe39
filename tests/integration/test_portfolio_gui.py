"""The GUI's portfolio table over a matter's stored reviews: the rows of the sheet, filtered
by words and by key clause, and a double-click or Enter asks for that contract's review."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pymupdf
import pytest

pytest.importorskip("PySide6", reason="the GUI extra is not installed")

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from westfall_legal.gui.portfolio_view import SHOWN, PortfolioView
from westfall_legal.pipeline import Engines, analyse
from westfall_legal.portfolio.rows import stored_rows
from westfall_legal.portfolio.task import worker_settings
from westfall_legal.report import review_json
from westfall_legal.session.workspace import attach_review
from westfall_legal.settings import Settings
from westfall_legal.store import KdfParams, Store, keys

SAMPLE = (
    Path(__file__).resolve().parents[2] / "resources" / "samples" / "master_services_agreement.pdf"
)
FAST_KDF = KdfParams(algorithm="argon2id", salt="", iterations=1, lanes=1, memory_cost=8)


def _short_contract(path: Path) -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text(
        (72, 100),
        "1. GOVERNING LAW\nThis Agreement shall be governed by the laws of the\n"
        "State of Quebecshire, without regard to its conflict of laws principles.",
        fontsize=11,
    )
    doc.save(path)
    return path


def test_the_table_filters_and_opens_a_contract(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keys, "DEFAULT_KDF", FAST_KDF)
    settings, engines = worker_settings(Settings()), Engines()
    with Store.create("portfolio gui passphrase") as store:
        store.matters.create("DD")
        shas = []
        for path in (SAMPLE, _short_contract(tmp_path / "short.pdf")):
            data = review_json(analyse(path, settings=settings, engines=engines))
            attach_review(store, "DD", data, size=path.stat().st_size)
            shas.append(data["document"]["sha256"])
        rows = list(stored_rows(store, "DD"))
    view = PortfolioView()
    qtbot.addWidget(view)
    view.set_rows(rows)
    assert view.count.text() == "2 of 2 contracts"
    assert [view.model.headerData(i, Qt.Orientation.Horizontal) for i in range(3)] == list(
        SHOWN[:3]
    )
    assert sorted(r.values["File"] for r in rows) == ["master_services_agreement.pdf", "short.pdf"]
    view.search.setText("short")
    assert view.count.text() == "1 of 2 contracts"
    view.search.setText("")
    view.clause.setCurrentText("Change Of Control")
    with_clause = sum(r.values["Change Of Control"] == "yes" for r in rows)
    assert view.proxy.rowCount() == with_clause
    view.clause.setCurrentIndex(0)
    view.search.setText("short.pdf")
    index = view.proxy.index(0, 0)
    with qtbot.waitSignal(view.documentRequested) as opened:
        view.table.doubleClicked.emit(index)
    assert opened.args == [shas[1]]
    view.table.setCurrentIndex(index)
    with qtbot.waitSignal(view.documentRequested) as entered:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert entered.args == [shas[1]]
