"""The main window's menus and toolbar: File (open, recent, export and print the review,
compare with another version, export for Word, feedback bundles, settings, quit), Review
(the corrector's actions and their keys), View (zoom, find, thumbnails, the highlight
legend)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from westfall_legal.gui.feedback import FeedbackHost
    from westfall_legal.gui.main_window import MainWindow

Shortcut = QKeySequence | QKeySequence.StandardKey | str | None


def action(
    window: MainWindow, text: str, slot: Callable[..., object], shortcut: Shortcut = None
) -> QAction:
    """A window-wide action (its key works wherever the focus is in the window)."""
    made = QAction(text, window)
    if shortcut is not None:
        made.setShortcut(QKeySequence(shortcut))
    made.triggered.connect(slot)
    window.addAction(made)
    return made


def feedback_host(window: MainWindow) -> FeedbackHost | None:
    """What the feedback dialogs use of the window (None, said, while the store is locked)."""
    from westfall_legal.gui.feedback import FeedbackHost

    if window.store is None:
        window.status("Unlock the store first: feedback comes from and goes to it.")
        return None
    return FeedbackHost(window.store, window, window.status, window.show_error)


def _export_feedback(window: MainWindow) -> None:
    from westfall_legal.gui.feedback import open_export

    host = feedback_host(window)
    if host is not None:
        open_export(host)


def _import_feedback(window: MainWindow) -> None:
    from westfall_legal.gui.feedback import open_import

    host = feedback_host(window)
    if host is not None:
        open_import(host)


def _export_review(window: MainWindow) -> None:
    from westfall_legal.gui.export import choose_export

    choose_export(window)


def _print_review(window: MainWindow) -> None:
    from westfall_legal.gui.export import choose_print

    choose_print(window)


def _compare(window: MainWindow) -> None:
    from westfall_legal.gui.handback_actions import choose_compare

    choose_compare(window)


def _export_docx(window: MainWindow) -> None:
    from westfall_legal.gui.handback_actions import choose_export_docx

    choose_export_docx(window)


def _fill_recent(window: MainWindow) -> None:
    menu = window.recent_menu
    menu.clear()
    paths = window.recent.paths() if window.recent else []
    for path in paths[:12]:
        entry = menu.addAction(path.name)
        entry.setToolTip(str(path))
        entry.triggered.connect(lambda _=False, p=path: window.open_file(p))
    menu.setEnabled(bool(paths))


def _focus_find(window: MainWindow) -> None:
    window.find_box.setFocus()
    window.find_box.selectAll()


def _show_shortcuts(window: MainWindow) -> None:
    from westfall_legal.gui.shortcuts import show_shortcuts

    window.shortcuts_sheet = show_shortcuts(window)


def build_menus(window: MainWindow) -> None:
    w = window
    menu = w.menuBar().addMenu("&File")
    w.open_action = action(w, "&Open…", w.choose_file, QKeySequence.StandardKey.Open)
    menu.addAction(w.open_action)
    w.recent_menu = menu.addMenu("Open &recent")
    w.recent_menu.aboutToShow.connect(lambda: _fill_recent(w))
    menu.addSeparator()
    w.export_action = action(w, "E&xport review…", lambda: _export_review(w), "Ctrl+E")
    w.print_action = action(w, "&Print review…", lambda: _print_review(w), "Ctrl+P")
    menu.addAction(w.export_action)
    menu.addAction(w.print_action)
    menu.addSeparator()
    w.compare_action = action(w, "&Compare with another version…", lambda: _compare(w))
    w.export_docx_action = action(w, "Export for &Word…", lambda: _export_docx(w))
    menu.addAction(w.compare_action)
    menu.addAction(w.export_docx_action)
    menu.addSeparator()
    menu.addAction(action(w, "&Export feedback…", lambda: _export_feedback(w)))
    menu.addAction(action(w, "&Import feedback…", lambda: _import_feedback(w)))
    menu.addSeparator()
    menu.addAction(action(w, "Models and &settings…", w.show_settings, "Ctrl+,"))
    # Ctrl+Q everywhere: some platforms (Windows, the offscreen one) bind no standard Quit key
    menu.addAction(action(w, "&Quit", w.close, "Ctrl+Q"))

    review = w.menuBar().addMenu("&Review")
    actions = w.corrector.actions
    for name in ("next", "previous", None, "accept", "reject", "relabel", "comment", None,
                 "add_clause", "set_span", None, "undo", "redo"):  # fmt: skip
        if name is None:
            review.addSeparator()
        else:
            review.addAction(actions[name])
            w.addAction(actions[name])

    view = w.menuBar().addMenu("&View")
    zoom_in = action(w, "Zoom &in", w.view.zoom_in, QKeySequence.StandardKey.ZoomIn)
    zoom_out = action(w, "Zoom &out", w.view.zoom_out, QKeySequence.StandardKey.ZoomOut)
    fit = action(w, "Fit &width", w.view.fit_width, "Ctrl+0")
    find = action(w, "&Find…", lambda: _focus_find(w), QKeySequence.StandardKey.Find)
    find_next = action(w, "Find &next", w.corrector.find_next, QKeySequence.StandardKey.FindNext)
    thumbs = QAction("&Thumbnails", w, checkable=True, checked=True)
    thumbs.toggled.connect(w.thumbs.setVisible)
    w.thumbnails_action = thumbs
    for entry in (zoom_in, zoom_out, fit, None, find, find_next, None, thumbs):
        if entry is None:
            view.addSeparator()
        else:
            view.addAction(entry)

    help_menu = w.menuBar().addMenu("&Help")
    keys = action(w, "&Keyboard shortcuts", lambda: _show_shortcuts(w), "F1")
    help_menu.addAction(keys)

    tools = w.addToolBar("Main")
    tools.setObjectName("main-toolbar")
    tools.setMovable(False)
    for entry in (w.open_action, None, zoom_out, zoom_in, fit, None):
        if entry is None:
            tools.addSeparator()
        else:
            tools.addAction(entry)
    tools.addWidget(w.find_box)
