"""Issue 25, item 6: File > Export review writes what ``westfall review`` writes (the review
JSON, valid against its schema, and the HTML page), and File > Print prints the page."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pymupdf
import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from westfall_legal import paths
from westfall_legal.gui.export import export_review, print_review
from westfall_legal.gui.main_window import MainWindow
from westfall_legal.report import review_html


def _schema() -> dict[str, object]:
    return json.loads(paths.resource_path("schema", "review.schema.json").read_text())


def test_export_review_writes_valid_json_and_the_html_page(
    reviewed: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = reviewed
    assert window.export_action.text().replace("&", "") == "Export review…"
    target = tmp_path / "out" / "msa.review.json"
    chosen = (str(target), "Review JSON (*.json)")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: chosen)
    window.export_action.trigger()
    data = json.loads(target.read_text(encoding="utf-8"))
    jsonschema.validate(data, _schema())
    assert data["facts"]["term"]["value"] == "P3Y"
    assert [f["severity"] for f in data["findings"]].count("high") == 1
    assert str(target) in window.status_text.text()

    page = export_review(window, tmp_path / "msa")  # no suffix: the HTML page
    assert page == tmp_path / "msa.html"
    text = page.read_text(encoding="utf-8")
    assert text == review_html(data) and "Uncapped liability" in text


def test_print_review_to_pdf(reviewed: MainWindow, tmp_path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "review.pdf"))
    assert reviewed.print_action.shortcut().toString() == "Ctrl+P"
    assert print_review(reviewed, printer)
    with pymupdf.open(tmp_path / "review.pdf") as pdf:
        text = "".join(page.get_text() for page in pdf)
    assert "master_services_agreement.pdf" in text and "Uncapped liability" in text


def test_nothing_to_export_without_a_document(window: MainWindow, tmp_path: Path) -> None:
    assert export_review(window, tmp_path / "x.json") is None
    assert not (tmp_path / "x.json").exists()
    assert "Open a document first" in window.status_text.text()
