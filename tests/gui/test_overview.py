"""Issue 25, item 1: a document opens on its overview (contract type, key facts in words,
findings counted by severity), each finding one click from its clause; then the clause list,
sortable by risk."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from westfall_legal.gui.main_window import MainWindow
from westfall_legal.session.present import readable_duration, severity_line
from westfall_legal.session.workspace import Workspace


def _ws(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def _facts(window: MainWindow) -> dict[str, str]:
    table = window.summary.facts
    return {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}


def _finding_item(window: MainWindow, severity: str) -> QTreeWidgetItem:
    tree = window.summary.findings
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        assert group is not None
        if group.text(0).lower().startswith(severity):
            child = group.child(0)
            assert child is not None
            return child
    raise AssertionError(f"no {severity} finding shown")


def test_a_document_opens_on_its_overview(reviewed: MainWindow) -> None:
    window, ws = reviewed, _ws(reviewed)
    assert window.tabs.tabText(0) == "Overview"
    assert window.tabs.currentWidget() is window.summary
    assert "Service" in window.summary.contract.text()
    line = window.summary.counts_text()
    assert line == f"Findings: {severity_line(ws.state.findings)}"
    assert line == "Findings: High 1 · Medium 3 · Low 2"
    facts = _facts(window)
    assert facts["term"] == "3 years" and facts["notice period"] == "30 days"
    assert facts["renewal term"] == "1 year"
    assert ws.data["facts"]["term"]["value"] == "P3Y"  # the JSON keeps the ISO value


def test_one_click_on_a_finding_opens_its_clause(qtbot: QtBot, reviewed: MainWindow) -> None:
    window, ws = reviewed, _ws(reviewed)
    high = _finding_item(window, "high")
    tree = window.summary.findings
    rect = tree.visualItemRect(high)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    cited = ws.row("k40")
    assert cited is not None and cited.risk == "high"
    assert window.tabs.currentWidget() is window.review_split
    assert window.clauses.current_id() == cited.id
    assert window.view.flashed == cited.id
    assert cited.category in window.detail.title.text()


def test_the_clause_list_sorts_by_risk(qtbot: QtBot, reviewed: MainWindow) -> None:
    panel = reviewed.clauses
    reviewed.tabs.setCurrentWidget(reviewed.review_split)
    header = panel.table.horizontalHeader()
    x = header.sectionViewportPosition(4) + header.sectionSize(4) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    ws = _ws(reviewed)
    risks = [ws.row(i).risk for i in panel.visible_ids()]  # type: ignore[union-attr]
    assert risks[0] == "high"
    ranked = [r for r in risks if r]
    order = {"high": 0, "medium": 1, "low": 2}
    assert ranked == sorted(ranked, key=order.__getitem__)
    assert risks.index(None) > len(ranked) - 1  # every clause with a risk comes first


def test_durations_read_as_words() -> None:
    assert readable_duration("P3Y") == "3 years"
    assert readable_duration("P1M") == "1 month"
    assert readable_duration("P1Y6M") == "1 year 6 months"
    assert readable_duration("P2W") == "2 weeks"
    assert readable_duration("soon") == "soon"
