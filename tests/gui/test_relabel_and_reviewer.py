"""Issue 25, item 5 (4 in the brief): relabel by type-ahead takes the completion on Enter, and
the reviewer sees who they are and sets their name once, in the settings."""

from __future__ import annotations

from gui_helpers import REVIEWER
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from westfall_legal import settings as settings_io
from westfall_legal.gui.main_window import MainWindow
from westfall_legal.gui.settings_page import SettingsPage
from westfall_legal.session.workspace import Workspace
from westfall_legal.store import Store


def _ws(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def _relabel_by_typing(qtbot: QtBot, window: MainWindow, typed: str) -> None:
    window.tabs.setCurrentWidget(window.review_split)
    window.corrector.actions["relabel"].trigger()
    line = window.detail.picker.lineEdit()
    assert line is not None
    line.clear()
    qtbot.keyClicks(line, typed)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def test_enter_takes_the_completion_of_what_was_typed(qtbot: QtBot, reviewed: MainWindow) -> None:
    window, ws = reviewed, _ws(reviewed)
    target = next(r for r in ws.rows if r.category != "Governing Law")
    window.clauses.select(target.id)
    _relabel_by_typing(qtbot, window, "Governing")
    assert "not a CUAD category" not in window.status_text.text()
    assert ws.row(target.id).category == "Governing Law"  # type: ignore[union-attr]
    _relabel_by_typing(qtbot, window, "ip owner")  # a few letters from the middle
    assert ws.row(target.id).category == "Ip Ownership Assignment"  # type: ignore[union-attr]
    _relabel_by_typing(qtbot, window, "qqq")  # nothing completes it: refused, said
    assert "not a CUAD category" in window.status_text.text()
    assert ws.row(target.id).category == "Ip Ownership Assignment"  # type: ignore[union-attr]


def test_the_reviewer_is_shown_and_set_once_in_the_settings(
    qtbot: QtBot, reviewed: MainWindow, store: Store
) -> None:
    window, ws = reviewed, _ws(reviewed)
    assert window.reviewer_button.isVisible()
    assert window.reviewer_button.text() == f"Reviewer: {REVIEWER}"
    qtbot.mouseClick(window.reviewer_button, Qt.MouseButton.LeftButton)
    pages = window.findChildren(SettingsPage)
    assert len(pages) == 1 and pages[0].isVisible()
    page = pages[0]
    assert page.reviewer.text() == REVIEWER
    qtbot.waitUntil(page.reviewer.hasFocus, timeout=3000)
    page.reviewer.setText("  Brenda   Lawyer ")
    page.save()
    assert settings_io.load().reviewer == "Brenda Lawyer"  # kept for the next session
    assert window.reviewer_button.text() == "Reviewer: Brenda Lawyer"
    assert ws.reviewer == "Brenda Lawyer"
    row = ws.rows[0]
    ws.accept(row.id)
    events = [e.payload for e in store.audit.entries() if e.event == "correction"]
    assert (events[-1] or {})["reviewer"] == "Brenda Lawyer"


def test_the_system_user_s_name_says_it_may_be_changed(window: MainWindow, store: Store) -> None:
    window.set_store(store, "jdoe", named=False)
    assert "set your name" in window.reviewer_button.text()
