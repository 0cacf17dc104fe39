"""Errors in the GUI: the core's own message and next step for a known error; for a bug, a
crash dialog that saves a report. The report has the versions and where the code failed, and
no exception message, so no document text, passphrase or key can be in it."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from westfall_legal import crash
from westfall_legal.errors import Cancelled, KnownError

log = logging.getLogger(__name__)


def crash_report(exc: BaseException) -> str:
    return crash.crash_report(exc, versions=f"PySide6 {pyside_version}")


def save_crash_report(exc: BaseException) -> Path | None:
    return crash.save_crash_report(exc, versions=f"PySide6 {pyside_version}")


def report_error(parent: QWidget | None, exc: BaseException) -> QMessageBox | None:
    """Show ``exc`` without blocking (a window-modal box); the app keeps running."""
    if isinstance(exc, Cancelled):
        return None
    if isinstance(exc, KnownError):
        box = QMessageBox(QMessageBox.Icon.Warning, "Westfall Legal", exc.message, parent=parent)
        box.setInformativeText(exc.hint)
    else:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        saved = save_crash_report(exc)
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Westfall Legal: unexpected error",
            "Something went wrong inside Westfall Legal; this is a bug, not your document.",
            parent=parent,
        )
        box.setInformativeText(
            "Your stored reviews and corrections are intact. "
            + (
                f"A report (no document text in it) was saved to {saved}: please send it to "
                "your administrator."
                if saved
                else "The crash report could not be saved."
            )
        )
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is not None:  # the window takes the keys again (Ctrl+Q, the review keys)
        window = parent.window()
        box.finished.connect(lambda _result: window.activateWindow())
    box.open()
    return box


def install_excepthook() -> None:
    """Unexpected errors in a slot go to the crash dialog instead of ending the app."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        report_error(QApplication.activeWindow(), exc.with_traceback(tb))

    sys.excepthook = hook
