"""The Portfolio tab: the selected matter's contracts as one table (portfolio.xlsx's rows),
read in the background when the tab is shown, each opening its review."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from westfall_legal.gui.main_window import MainWindow


def test_the_portfolio_tab_lists_the_matters_contracts(qtbot: QtBot, reviewed: MainWindow) -> None:
    window = reviewed
    assert window.workspace is not None
    sha256 = window.workspace.review.document.sha256
    view = window.portfolio
    assert view.model.rowCount() == 0  # nothing is read before the tab is shown
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=30_000)
    row = view.model.row(0)
    assert row.values["File"] == "master_services_agreement.pdf"
    assert row.values["Governing law"] == "New York"
    assert view.count.text() == "1 of 1 contracts"
    index = view.proxy.index(0, 0)
    with qtbot.waitSignal(view.documentRequested) as opened:
        view.table.doubleClicked.emit(index)
    assert opened.args == [sha256]
