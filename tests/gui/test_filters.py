"""Issue 25, item 2: the three filter boxes say what they filter, and a finding, a severity or
a fact from the overview filters the clause list (and says so, with a way back)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from westfall_legal.gui.main_window import MainWindow
from westfall_legal.session.workspace import Workspace


def _ws(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def _group(window: MainWindow, severity: str) -> QTreeWidgetItem:
    tree = window.summary.findings
    groups = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return next(g for g in groups if g is not None and g.text(0).lower().startswith(severity))


def test_each_filter_box_has_a_label_naming_it(reviewed: MainWindow) -> None:
    panel = reviewed.clauses
    reviewed.tabs.setCurrentWidget(reviewed.review_split)
    for name, box in (
        ("category", panel.category),
        ("risk", panel.risk),
        ("status", panel.status),
    ):
        label = panel.labels[name]
        assert label.isVisible() and label.buddy() is box
        assert label.text().replace("&", "") == f"{name.capitalize()}:"
        assert box.accessibleName() == name.capitalize()
    assert panel.category.currentText() == "All categories"
    assert panel.status.currentText() == "All states"
    assert panel.risk.currentText() == "Any or none"


def test_a_finding_filters_the_list_to_its_clauses(reviewed: MainWindow) -> None:
    window, ws = reviewed, _ws(reviewed)
    medium = _group(window, "medium")
    finding_item = next(
        medium.child(i)
        for i in range(medium.childCount())
        if "renewal" in medium.child(i).text(0).lower()  # type: ignore[union-attr]
    )
    assert finding_item is not None
    window.summary.filter_by_item(finding_item)
    cited = ws.row("k10")
    assert cited is not None
    assert window.tabs.currentWidget() is window.review_split
    assert window.clauses.visible_ids() == [cited.id]
    assert window.clauses.scope.isVisible()
    assert "Short notice to stop automatic renewal" in window.clauses.scope_label.text()
    window.clauses.clear_filters()  # "Show all clauses"
    model = window.clauses.model
    assert len(window.clauses.visible_ids()) == sum(not model.weak(r) for r in ws.rows)
    assert not window.clauses.scope.isVisible()


def test_a_severity_group_lists_its_clauses(qtbot: QtBot, reviewed: MainWindow) -> None:
    window, ws = reviewed, _ws(reviewed)
    group = _group(window, "medium")
    tree = window.summary.findings
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(group).center()
    )
    assert window.tabs.currentWidget() is window.review_split
    assert window.clauses.risk.currentText() == "Medium"
    shown = window.clauses.visible_ids()
    assert shown and all(ws.row(i).risk == "medium" for i in shown)  # type: ignore[union-attr]


def test_a_fact_filters_the_list_to_the_clauses_holding_it(reviewed: MainWindow) -> None:
    window, ws = reviewed, _ws(reviewed)
    table = window.summary.facts
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "governing law")
    window.summary.filter_by_item(table.item(row, 1))
    shown = window.clauses.visible_ids()
    fact = ws.state.facts["governing_law"]
    assert shown == [r.id for r in ws.clauses_at(fact.char_start, fact.char_end)]
    assert shown and ws.row(shown[0]).category == "Governing Law"  # type: ignore[union-attr]
    assert "governing law (New York)" in window.clauses.scope_label.text()
