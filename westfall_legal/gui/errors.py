"""Errors in the GUI: the core's own message and next step for a known error; for a bug, a
crash dialog that saves a report. The report has the versions and where the code failed, and
no exception message, so no document text, passphrase or key can be in it."""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from westfall_legal import __version__, paths
from westfall_legal.errors import Cancelled, KnownError

log = logging.getLogger(__name__)


def crash_report(exc: BaseException) -> str:
    lines = [
        f"Westfall Legal {__version__}, Python {platform.python_version()}, "
        f"PySide6 {pyside_version}, {platform.platform()}",
        f"at {datetime.now().isoformat(timespec='seconds')}",
        "",
    ]
    seen: BaseException | None = exc
    while seen is not None:
        lines.append(f"{type(seen).__module__}.{type(seen).__qualname__} (message left out)")
        for frame in traceback.extract_tb(seen.__traceback__):
            lines.append(f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}")
        seen = seen.__cause__ or seen.__context__
        if seen is not None:
            lines.append("caused by:")
    return "\n".join(lines) + "\n"


def save_crash_report(exc: BaseException) -> Path | None:
    folder = paths.data_dir() / "crash-reports"
    target = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.txt"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(crash_report(exc), encoding="utf-8")
    except OSError:
        log.exception("cannot save the crash report")
        return None
    return target


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
