"""The draft view's shading follows a correction at once (not only when a clause is next
chosen): a clause rejected is no longer shaded, relabelled takes its new category's colour,
and undo brings back what was."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from gui_helpers import SAMPLES, review
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from westfall_legal.gui.draft_view import category_colour
from westfall_legal.gui.main_window import MainWindow
from westfall_legal.session.rows import ClauseRow

Shading = list[tuple[tuple[int, int], QColor]]


def _shaded(window: MainWindow) -> Shading:
    """Each shading of the draft shown: its span (in the text shown) and its colour."""
    return [
        ((s.cursor.selectionStart(), s.cursor.selectionEnd()), s.format.background().color())
        for s in window.draft.text.extraSelections()
    ]


def _alone(window: MainWindow, skip: str = "") -> tuple[ClauseRow, tuple[int, int]]:
    """A clause whose span no other clause has (not of category ``skip``), and its span shown."""
    ws = window.workspace
    assert ws is not None
    spans = Counter((r.char_start, r.char_end) for r in ws.rows)
    row = next(r for r in ws.rows if spans[r.char_start, r.char_end] == 1 and r.category != skip)
    cursor = window.draft._cursor(row.char_start, row.char_end)
    return row, (cursor.selectionStart(), cursor.selectionEnd())


@pytest.fixture
def drafted(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> MainWindow:
    source = tmp_path / "msa.docx"
    source.write_bytes((SAMPLES / "master_services_agreement.docx").read_bytes())
    review(qtbot, window, source)
    assert window.workspace is not None and window.draft.isVisible()
    return window


def test_a_rejected_clause_loses_its_shading_at_once_and_undo_brings_it_back(
    drafted: MainWindow,
) -> None:
    window = drafted
    ws = window.workspace
    assert ws is not None
    before = _shaded(window)
    assert len(before) == len(ws.rows)
    row, where = _alone(window)
    assert [w for w, _ in before].count(where) == 1
    window.clauses.select(row.id, notify=False)  # chosen without the panel telling anyone
    received: list[str] = []
    window.clauses.clauseSelected.connect(received.append)
    window.corrector.actions["reject"].trigger()
    assert not received  # no clause was chosen: the correction alone redrew the shading
    after = _shaded(window)
    assert where not in [w for w, _ in after] and len(after) == len(before) - 1
    window.corrector.actions["undo"].trigger()
    assert _shaded(window) == before


def test_a_relabelled_clause_takes_its_new_colour_at_once(drafted: MainWindow) -> None:
    window = drafted
    ws = window.workspace
    assert ws is not None
    row, where = _alone(window, skip="Governing Law")
    assert dict(_shaded(window))[where] == category_colour(row.category)
    window.clauses.select(row.id, notify=False)
    window.corrector.relabel("Governing Law")
    assert dict(_shaded(window))[where] == category_colour("Governing Law")
