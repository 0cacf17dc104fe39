"""Issue 25, item 6: File > Export review writes what ``westfall review`` writes (the review
JSON, valid against its schema, and the HTML page), and File > Print prints the page."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pymupdf
import pytest
from gui_helpers import REVIEWER
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from westfall_legal import paths
from westfall_legal.gui.export import export_review, print_review
from westfall_legal.gui.main_window import MainWindow
from westfall_legal.report import review_html


def _schema() -> dict[str, object]:
    return json.loads(paths.resource_path("schema", "review.schema.json").read_text())


def _corrections(page: str) -> tuple[str, str]:
    """The page's "Reviewers' corrections" section, and the page without it."""
    start = page.index("<h2>Reviewers' corrections")
    end = page.index("<h2", start + 4)
    return page[start:end], page[:start] + page[end:].removeprefix("\n")


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
    assert "Uncapped liability" in text and "Reviewers' corrections" in text
    model = {k: v for k, v in data.items() if k != "reviewed"}
    section, rest = _corrections(text)
    assert "No corrections yet" in section
    assert rest == review_html(model)  # the model's page, the corrections before its sections


def test_the_exported_review_carries_the_corrections_in_effect(
    reviewed: MainWindow, tmp_path: Path
) -> None:
    window, ws = reviewed, reviewed.workspace
    assert ws is not None
    first, second, third = ws.rows[0], ws.rows[1], ws.rows[2]
    ws.reject(first.id)
    ws.relabel(second.id, "Governing Law")
    ws.comment("Check with the client", second.id)
    ws.accept(third.id)
    ws.undo()  # the accept is undone: not in effect, not exported
    ws.edit_fact("term", "P5Y")
    window.corrector.refresh()

    data = json.loads(export_review(window, tmp_path / "r.json").read_text())  # type: ignore[union-attr]
    jsonschema.validate(data, _schema())
    assert data["facts"]["term"]["value"] == "P3Y"  # the model's review, unchanged
    part = data["reviewed"]
    assert part["reviewers"] == [REVIEWER]
    assert part["clauses_reviewed"] == 1 and part["clauses_total"] == len(ws.rows)
    states = {c["id"]: c for c in part["clauses"]}
    assert states[first.ref]["status"] == "rejected"
    assert states[second.ref]["category"] == "Governing Law"
    assert states[second.ref]["original_category"] == second.category
    assert states[second.ref]["comments"] == ["Check with the client"]
    assert states[third.ref]["status"] == "proposed"
    assert part["facts"]["term"]["value"] == "P5Y"
    assert part["facts"]["term"]["original_value"] == "P3Y"
    actions = [c["action"] for c in part["corrections"]]
    assert actions == ["reject", "relabel", "comment", "fact"]

    page = export_review(window, tmp_path / "r.html")
    assert page is not None
    text = page.read_text(encoding="utf-8")
    corrections = text[
        text.index("Reviewers' corrections") : text.index("<h2", text.index("Reviewers"))
    ]
    assert f"Reviewed by {REVIEWER}: 1 of {len(ws.rows)}" in corrections
    assert "<td>rejected</td>" in corrections and "→ Governing Law" in corrections
    assert "Check with the client" in corrections and "5 years" in corrections
    assert "4 corrections in effect" in corrections


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
