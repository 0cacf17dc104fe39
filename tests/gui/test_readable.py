"""Issue 25, item 4: nothing clipped, nothing in code. Explanations, section titles and
category names are whole (wrapped, in the detail pane, in tooltips); clauses are named by
section and category, not "[k40]"; with no model installed the status bar says so and how
to install one, not "0 sentences by the local model"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gui_helpers import REVIEWER, SAMPLE, review
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from westfall_legal.gui.main_window import MainWindow
from westfall_legal.session.workspace import Workspace
from westfall_legal.settings import Settings
from westfall_legal.store import Store


def _ws(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def test_finding_explanations_are_whole_and_wrapped(reviewed: MainWindow) -> None:
    tree = reviewed.summary.findings
    metrics = tree.fontMetrics()
    explanations = {f["explanation"] for f in _ws(reviewed).state.findings}
    seen = set()
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        assert group is not None
        for j in range(group.childCount()):
            finding = group.child(j)
            assert finding is not None
            for k in range(finding.childCount()):
                item = finding.child(k)
                assert item is not None
                text = item.text(0)
                if " ".join(text.split()) in explanations:
                    seen.add(" ".join(text.split()))
                    assert all(
                        metrics.horizontalAdvance(line) <= tree.viewport().width()
                        for line in text.splitlines()
                    ), text
    assert seen == explanations  # every explanation, whole
    assert any("\n" in f for f in (tree.topLevelItem(0).child(0).child(0).text(0),))  # type: ignore[union-attr]


def test_the_detail_pane_shows_the_section_and_findings_whole(reviewed: MainWindow) -> None:
    ws = _ws(reviewed)
    row = ws.row("k12")  # Notice Period To Terminate Renewal, in 3.2 Automatic Renewal
    assert row is not None
    reviewed.clauses.select(row.id)
    detail = reviewed.detail
    assert "3.2 Automatic Renewal" in detail.facts.text()
    assert row.category in detail.title.text()
    cited = ws.row("k40")
    assert cited is not None
    reviewed.clauses.select(cited.id)
    explanation = ws.findings_of("k40")[0]["explanation"]
    assert not detail.findings.isHidden()
    assert explanation.split(":")[0] in detail.findings.text()
    model = reviewed.clauses.model
    at = next(i for i, r in enumerate(model.rows) if r.id == row.id)
    for column in (0, 1):  # the category and section cells' tooltips hold both whole
        tip = model.data(model.index(at, column), Qt.ItemDataRole.ToolTipRole)
        assert "Notice Period To Terminate Renewal" in tip and "3.2 Automatic Renewal" in tip


def test_clauses_are_named_by_section_not_by_id(reviewed: MainWindow) -> None:
    ws = _ws(reviewed)
    assert ws.clause_name("k40") == "§12 Uncapped Liability"
    assert ws.clause_name("k50") == "§16.1(a) Change Of Control"  # a lettered item: in full
    assert ws.row("k18").section.startswith("5.4(d) ")  # type: ignore[union-attr]
    sentences = reviewed.summary.sentences
    texts = [sentences.item(i).text() for i in range(sentences.count())]  # type: ignore[union-attr]
    assert texts and not any(re.search(r"\[k\d+", t) for t in texts), texts
    assert any("§15 Governing Law" in t for t in texts), texts


@pytest.mark.usefixtures("app_home")
def test_with_no_model_the_status_bar_says_how_to_install_one(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    window = MainWindow(Settings(use_llm=True))
    qtbot.addWidget(window)
    window.show()
    window.set_store(store, REVIEWER)
    review(qtbot, window, SAMPLE)
    task = window.summary_task
    assert task is not None
    qtbot.waitUntil(lambda: not task.running, timeout=60_000)
    status = window.status_text.text()
    assert "0 sentences" not in status
    assert "no language model is active" in status and "install-default" in status, status
