"""A damaged PDF in the window: cut short, it is a known error (not the crash dialog); repaired
by MuPDF, its review shows with a warning over the pages that names the empty ones."""

from __future__ import annotations

from pathlib import Path

from gui_helpers import SAMPLE, review
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

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
    box = window.error_box
    assert isinstance(box, QMessageBox)
    assert box.icon() == QMessageBox.Icon.Warning  # not "this is a bug, not your document"
    assert "truncated" in box.text() and "download" in box.informativeText()
    assert window.workspace is None and not window.banner.isVisible()
    box.close()
