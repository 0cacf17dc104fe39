"""Accessibility and comfort: a name for the screen reader on every control, the shortcuts
sheet on F1, the dark and high-contrast themes applied at once, and the window's layout and
zoom kept across restarts."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from gui_helpers import PASSPHRASE, REVIEWER, SAMPLE, review
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAccessible, QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGraphicsView,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from westfall_legal.gui import theme
from westfall_legal.gui.main_window import MainWindow
from westfall_legal.gui.settings_page import SettingsPage
from westfall_legal.gui.shortcuts import ShortcutsSheet
from westfall_legal.settings import Settings
from westfall_legal.store import Store

CONTROLS = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QGraphicsView,
    QTabBar,
    QPlainTextEdit,
    QTextEdit,
)
VIEWS = (
    QAbstractItemView,
    QGraphicsView,
    QPlainTextEdit,
    QTextEdit,
)  # no text of their own to fall back on


def _unnamed(top: QWidget) -> list[str]:
    """The controls under ``top`` a screen reader would read without a name: the views with
    no accessibleName, the other controls with neither one nor a text of their own. Qt's
    own parts of a control (a combo box's line edit, a table's header and corner button, a
    tab bar's scroll buttons) are the control's, and are not counted."""
    missing = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or isinstance(widget, QHeaderView):
            continue
        if widget.objectName().startswith("qt_"):
            continue
        parent = widget.parentWidget()
        inside = False
        while parent is not None and parent is not top:
            if isinstance(parent, CONTROLS):
                inside = True
                break
            parent = parent.parentWidget()
        if inside:
            continue
        if isinstance(widget, VIEWS):
            name = widget.accessibleName()
        else:
            face = QAccessible.queryAccessibleInterface(widget)
            name = face.text(QAccessible.Text.Name) if face is not None else ""
        if not name.strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} {widget.toolTip()!r}")
    return missing


def test_every_control_has_a_name_for_the_screen_reader(qtbot: QtBot, reviewed: MainWindow) -> None:
    missing = _unnamed(reviewed)
    assert missing == [], "\n".join(missing)
    page = reviewed.show_settings()
    missing = _unnamed(page)
    page.close()
    assert missing == [], "\n".join(missing)


def test_f1_lists_every_action_with_its_key(qtbot: QtBot, reviewed: MainWindow) -> None:
    reviewed.activateWindow()
    reviewed.clauses.table.setFocus()
    qtbot.keyClick(reviewed.clauses.table, Qt.Key.Key_F1)
    sheet = reviewed.shortcuts_sheet
    assert isinstance(sheet, ShortcutsSheet) and sheet.isVisible()
    qtbot.addWidget(sheet)
    listed = set(sheet.keys())
    keyed = {
        a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        for a in reviewed.findChildren(QAction)
        if not a.shortcut().isEmpty()
    }
    assert {"J", "K", "A", "R", "L", "C", "N", "S", "F1", "Ctrl+E", "Ctrl+Q"} <= keyed
    assert keyed <= listed, keyed - listed
    sheet.close()


def _window_colour(window: MainWindow) -> QColor:
    return window.palette().color(QPalette.ColorRole.Window)


def test_a_theme_saved_in_settings_applies_at_once_and_keeps_the_highlights(
    qtbot: QtBot, reviewed: MainWindow
) -> None:
    window = reviewed
    ws = window.workspace
    assert ws is not None
    before = {h.clause_id: h.colour.name() for h in window.view.highlight_items()}
    assert _window_colour(window).lightnessF() > 0.5
    try:
        for name in ("dark", "high-contrast"):
            page = window.show_settings()
            page.theme.setCurrentIndex(page.theme.findData(name))
            page.save()
            page.close()
            assert window.settings.theme == name and theme.current().name == name
            QApplication.processEvents()
            assert _window_colour(window).lightnessF() < 0.2, name
            assert window.view.backgroundBrush().color().lightnessF() < 0.2
            # every clause keeps its category's colour: the highlights mean the same
            after = {h.clause_id: h.colour.name() for h in window.view.highlight_items()}
            assert after == before
        # a control that cannot be used now does not look like one that can
        pal = window.palette()
        text = QPalette.ColorRole.ButtonText
        assert pal.color(QPalette.ColorGroup.Disabled, text) != pal.color(text)
        resting = [h for h in window.view.highlight_items() if not h.current]
        assert resting and all(h.pen().style() != Qt.PenStyle.NoPen for h in resting)
        assert all(h.opacity() >= 0.9 for h in resting)  # high contrast: full strength
    finally:
        window.apply_theme("light")
        QApplication.processEvents()
    assert _window_colour(window).lightnessF() > 0.5


def test_the_theme_setting_is_kept(app_home: Path) -> None:
    from westfall_legal import settings as settings_io

    settings_io.save(Settings(theme="dark"))
    assert settings_io.load().theme == "dark"
    page = SettingsPage(Settings(theme="high-contrast"))
    assert page.theme.currentData() == "high-contrast"
    page.deleteLater()


def test_layout_splitters_and_zoom_are_kept_across_a_restart(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    prefs_file = str(tmp_path / "gui.ini")
    first = MainWindow(Settings(use_llm=False))
    qtbot.addWidget(first)
    first.remember_layout(QSettings(prefs_file, QSettings.Format.IniFormat))
    first.resize(760, 700)  # within the offscreen screen (800×800)
    first.show()
    first.set_store(store, REVIEWER)
    review(qtbot, first, SAMPLE)
    first.thumbnails_action.setChecked(False)
    first.main_split.setSizes([0, 900, 400])
    first.review_split.setSizes([300, 500])
    first.view.set_zoom(1.7)
    sizes = first.main_split.sizes(), first.review_split.sizes()
    first.close()

    second = MainWindow(Settings(use_llm=False))
    qtbot.addWidget(second)
    second.remember_layout(QSettings(prefs_file, QSettings.Format.IniFormat))
    second.show()
    assert second.height() == 700  # (its width: the offscreen screen is narrower than it)
    kept = second.main_split.sizes()  # the page view in the middle takes the narrower width
    assert (kept[0], kept[2]) == (sizes[0][0], sizes[0][2])
    assert second.review_split.sizes() == sizes[1]
    assert not second.thumbs.isVisible()
    second.set_store(Store.open(PASSPHRASE), REVIEWER)  # the first closed its store
    review(qtbot, second, SAMPLE)
    assert abs(second.view.zoom - 1.7) < 1e-6 and not second.view.fitting
    second.close()


def test_each_document_opens_at_the_zoom_it_was_read_at(
    qtbot: QtBot, window: MainWindow, store: Store, tmp_path: Path
) -> None:
    other = tmp_path / "two_pages.pdf"
    with pymupdf.open(SAMPLE) as source, pymupdf.open() as copy:
        copy.insert_pdf(source, from_page=0, to_page=1)
        copy.save(other)
    review(qtbot, window, SAMPLE)
    window.view.set_zoom(1.7)
    review(qtbot, window, other)
    assert window.view.fitting  # opened here for the first time: fitted to the width
    window.view.set_zoom(0.8)
    review(qtbot, window, SAMPLE)
    assert abs(window.view.zoom - 1.7) < 1e-6 and not window.view.fitting
    review(qtbot, window, other)
    assert abs(window.view.zoom - 0.8) < 1e-6
    window.view.fit_width()
    window.close()  # keeps the open document's zoom: fit width

    again = MainWindow(Settings(use_llm=False))
    qtbot.addWidget(again)
    again.show()
    again.set_store(Store.open(PASSPHRASE), REVIEWER)
    review(qtbot, again, SAMPLE)
    assert abs(again.view.zoom - 1.7) < 1e-6  # kept, sealed beside the store
    review(qtbot, again, other)
    assert again.view.fitting
    again.close()


def test_the_overview_works_from_the_keyboard(qtbot: QtBot, reviewed: MainWindow) -> None:
    """A finding opens its clause on Enter, as on a click; a fact goes to its words."""
    window, tree = reviewed, reviewed.summary.findings
    high = tree.topLevelItem(0)
    assert high is not None and high.text(0).startswith("High")
    finding = high.child(0)
    assert finding is not None
    tree.setFocus()
    tree.setCurrentItem(finding)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.review_split
    current = window.clauses.current_id()
    ws = window.workspace
    assert ws is not None and current is not None
    assert ws.row(current).category == "Uncapped Liability"  # type: ignore[union-attr]
    window.tabs.setCurrentWidget(window.summary)
    facts = window.summary.facts
    facts.setFocus()
    facts.setCurrentCell(0, 1)
    qtbot.keyClick(facts, Qt.Key.Key_Return)
    assert window.view.layer_items("jump")  # its words marked on the page
