"""File > Export review and File > Print: the open review written by the report's own writers
(``report.dumps`` and ``report.review_html``, the files ``westfall review`` writes), or the
HTML page printed (to paper, or to PDF through the print dialog)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog

from westfall_legal.errors import KnownError
from westfall_legal.review_json import ReviewJson

if TYPE_CHECKING:
    from westfall_legal.gui.main_window import MainWindow

log = logging.getLogger(__name__)

FORMATS = {".html": "HTML page (*.html)", ".json": "Review JSON (*.json)"}


def review_data(window: MainWindow) -> ReviewJson | None:
    """The open review's ``westfall.review/1`` JSON (None: no document open)."""
    ws = window.workspace
    return None if ws is None else ws.data


def export_review(window: MainWindow, path: Path) -> Path | None:
    """Write the open review, with the reviewers' corrections, to ``path``: JSON for
    ``.json``, else the HTML page (``.html`` is added to a name without either). Said in the
    status bar; a failure is shown."""
    from westfall_legal.report import dumps, review_html, write_atomic
    from westfall_legal.session.reviewed import reviewed_html, reviewed_json

    ws = window.workspace
    if ws is None:
        window.status("Open a document first: there is no review to export.")
        return None
    if path.suffix.lower() not in FORMATS:
        path = path.with_name(path.name + ".html")
    try:
        if path.suffix.lower() == ".json":
            content = dumps(reviewed_json(ws))
        else:
            content = reviewed_html(ws, review_html(ws.data))
        write_atomic(path, content)
    except KnownError as exc:
        window.show_error(exc)
        return None
    log.info("review exported (%s)", path.suffix)
    window.status(f"Review exported to {path}, with the reviewers' corrections.")
    return path


def choose_export(window: MainWindow) -> None:
    data = review_data(window)
    if data is None:
        window.status("Open a document first: there is no review to export.")
        return
    stem = Path(data["document"]["path"]).stem
    name, chosen = QFileDialog.getSaveFileName(
        window, "Export review", f"{stem}.review.html", ";;".join(FORMATS.values())
    )
    if name:
        path = Path(name)
        if path.suffix.lower() not in FORMATS:  # the filter chosen says which
            path = path.with_name(path.name + (".json" if "json" in chosen.lower() else ".html"))
        export_review(window, path)


def print_review(window: MainWindow, printer: QPrinter) -> bool:
    """Print the review's HTML page on ``printer`` (a PDF file when it is set to one)."""
    from westfall_legal.report import review_html
    from westfall_legal.session.reviewed import reviewed_html

    ws = window.workspace
    if ws is None:
        window.status("Open a document first: there is no review to print.")
        return False
    page = QTextDocument()
    page.setHtml(reviewed_html(ws, review_html(ws.data)))
    page.print_(printer)
    window.status("Review printed.")
    return True


def choose_print(window: MainWindow) -> None:
    if review_data(window) is None:
        window.status("Open a document first: there is no review to print.")
        return
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, window)
    dialog.setWindowTitle("Print the review")
    if dialog.exec() == QDialog.DialogCode.Accepted:
        print_review(window, printer)
