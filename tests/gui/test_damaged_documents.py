"""A damaged PDF in the window: cut short, it is a known error said in the app's own words over
the pages (not the crash dialog, nothing modal), and the window stays usable; repaired by
MuPDF, its review shows with a warning over the pages that names the empty ones."""

from __future__ import annotations

from pathlib import Path

from gui_helpers import SAMPLE, review
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from westfall_legal.errors import KnownError
from westfall_legal.gui.main_window import MainWindow


def _cut(path: Path, percent: int) -> Path:
    data = SAMPLE.read_bytes()
    path.write_bytes(data[: len(data) * percent // 100])
    return path


def test_a_repaired_pdf_shows_a_warning_until_another_document_opens(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    review(qtbot, window, _cut(tmp_path / "cut.pdf", 80))
    assert window.workspace is not None, window.status_text.text()
    assert window.banner.isVisible()
    text = window.banner.text()
    assert "damaged and repaired" in text and "pages 10-19 are empty" in text
    assert "warning" in window.status_text.text()
    review(qtbot, window, SAMPLE)
    assert not window.banner.isVisible()


def test_a_pdf_cut_in_half_is_a_known_error_not_a_bug(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = _cut(tmp_path / "cut.pdf", 40)
    review(qtbot, window, path)
    assert window.error_box is None and not window.findChildren(QMessageBox)  # no crash box
    assert window.banner.isVisible()
    text = window.banner.text()
    assert text.startswith("cut.pdf could not be opened:")
    assert "truncated" in text and "download" in text  # what is wrong, what to do
    assert "could not be opened" in window.status_text.text()
    assert window.workspace is None
    assert window.detail.progress.text() == "No document open"  # not "0 of 1 clauses"
    assert window.clauses.model.rowCount() == 0
    assert QApplication.activeModalWidget() is None
    # the window still works: another document opens, and Ctrl+Q quits
    review(qtbot, window, SAMPLE)
    assert window.workspace is not None and not window.banner.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_ctrl_q_closes_the_window_right_after_the_error(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    review(qtbot, window, _cut(tmp_path / "cut.pdf", 40))
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_after_a_message_box_the_window_takes_the_keys_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show_error(KnownError("The store is busy.", hint="Try again."))
    box = window.error_box
    assert isinstance(box, QMessageBox)
    box.accept()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
