"""The window as the reviewer left it: its size and place, its toolbars, the sizes of its
splitters, the tab shown, whether the thumbnails show, and the zoom (or fit width), kept in
``gui.ini`` in the data folder (the same QSettings file that keeps the reviewer's name; no
document name or path goes in it) and given back at the next start. That zoom is the one a
document opens at the first time; each document's own is kept with its path, sealed
(``recent.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter

from westfall_legal import paths

if TYPE_CHECKING:
    from westfall_legal.gui.main_window import MainWindow

GROUP = "window"
SPLITTERS = ("main", "review")


def preferences() -> QSettings:
    """The GUI's own preferences file, ``gui.ini`` in the data folder."""
    return QSettings(str(paths.data_dir() / "gui.ini"), QSettings.Format.IniFormat)


def _splitters(window: MainWindow) -> dict[str, QSplitter]:
    return {"main": window.main_split, "review": window.review_split}


def _number(value: object) -> float:
    """A number read back from the file (an INI file gives strings back), 0 when unreadable."""
    try:
        return float(str(value))
    except ValueError:
        return 0.0


def save(window: MainWindow, prefs: QSettings) -> None:
    prefs.beginGroup(GROUP)
    prefs.setValue("geometry", window.saveGeometry())
    prefs.setValue("state", window.saveState())
    for name, splitter in _splitters(window).items():
        prefs.setValue(f"{name}-splitter", splitter.saveState())
    prefs.setValue("tab", window.tabs.currentIndex())
    prefs.setValue("thumbnails", window.thumbs.isVisibleTo(window))
    prefs.setValue("zoom", 0.0 if window.view.fitting else window.view.zoom)
    prefs.endGroup()
    prefs.sync()


def restore(window: MainWindow, prefs: QSettings) -> bool:
    """Give the window back its saved layout (False: nothing was saved)."""
    prefs.beginGroup(GROUP)
    try:
        geometry = prefs.value("geometry")
        if not isinstance(geometry, QByteArray):
            return False
        window.restoreGeometry(geometry)
        state = prefs.value("state")
        if isinstance(state, QByteArray):
            window.restoreState(state)
        for name, splitter in _splitters(window).items():
            sizes = prefs.value(f"{name}-splitter")
            if isinstance(sizes, QByteArray):
                splitter.restoreState(sizes)
        window.tabs.setCurrentIndex(int(_number(prefs.value("tab"))))
        window.thumbnails_action.setChecked(str(prefs.value("thumbnails", "true")) == "true")
        zoom = _number(prefs.value("zoom"))
        window.default_zoom = window.view.preferred_zoom = zoom or None
        return True
    finally:
        prefs.endGroup()
