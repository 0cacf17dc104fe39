"""Margin notes (layout.margins) and numbers drawn apart from their text (layout.markers),
on PDFs made with PyMuPDF and read by the ingest and layout stages as a contract would be."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from westfall_legal.ingest.document import load_document
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.spans import TextSpans
from westfall_legal.layout.text import build_text
from westfall_legal.models import DocumentText

FIRST = (
    "The Supplier shall deliver the Products to the Buyer at the delivery point named in the "
    "order and shall bear all costs of carriage, insurance and export clearance until the "
    "Products are delivered, after which the risk in the Products passes to the Buyer and the "
    "Buyer shall pay the price within thirty days of the invoice without any deduction."
)
SECOND = (
    "Each party shall keep the terms of this Agreement confidential and shall not disclose them "
    "to any third party without the prior written consent of the other party, except as the law "
    "or the rules of a stock exchange require."
)


Draw = list[tuple[float, float, str, float]]


def _wrap(text: str, width: int = 80) -> list[str]:
    lines: list[str] = []
    current: list[str] = []
    for word in text.split():
        if current and len(" ".join([*current, word])) > width:
            lines.append(" ".join(current))
            current = []
        current.append(word)
    return [*lines, " ".join(current)]


def _write(path: Path, draw: Draw) -> Path:
    """A one-page PDF with each (x, baseline y, text, size) drawn in the order given."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    for x, y, text, size in draw:
        page.insert_text((x, y), text, fontsize=size)
    doc.save(path)
    return path


def _read(path: Path) -> DocumentText:
    return build_text(load_document(path, workers=1))


def _body(draw: Draw, at: int, notes: list[str], x: float) -> None:
    """The two paragraphs from y=150, ``notes`` drawn at ``x`` beside the first paragraph's
    line ``at`` right after it (in the middle of the paragraph's drawing)."""
    y = 150.0
    for i, line in enumerate(_wrap(FIRST)):
        draw.append((108, y, line, 10))
        if i == at:
            draw += [(x, y + 2 + 12 * k, note, 8) for k, note in enumerate(notes)]
        y += 12
    y += 14
    for line in _wrap(SECOND):
        draw.append((108, y, line, 10))
        y += 12


def _paragraphs(dt: DocumentText) -> list[str]:
    return [" ".join(p.split()) for p in dt.text.split("\n\n")]


def test_a_margin_note_reads_after_the_paragraph_beside_it(tmp_path: Path) -> None:
    draw: Draw = []
    _body(draw, 1, ["Risk passes", "on delivery"], 20)
    path = _write(tmp_path / "note.pdf", draw)
    words = [w.text for w in load_document(path, workers=1).pages[0].words]
    # the PDF gives the note between two lines of the paragraph, mid-sentence
    assert words.index("export") < words.index("Risk") < words.index("clearance")
    dt = _read(path)
    assert _paragraphs(dt) == [FIRST, "Risk passes on delivery", SECOND]
    notes = [dt.text[ln.char_start : ln.char_end] for ln in dt.lines if ln.is_margin]
    assert notes == ["Risk passes", "on delivery"]  # kept, and marked
    spans = TextSpans(dt)
    start, end = spans.paragraph(dt.text.index("insurance"))
    assert " ".join(dt.text[start:end].split()) == FIRST  # the body reads unbroken
    page, boxes = dt.locate(dt.text.index("Risk"), dt.text.index("Risk") + 4)
    assert page == 1 and boxes[0][0] == pytest.approx(20, abs=1)  # provenance kept


def test_an_initials_box_in_the_right_margin(tmp_path: Path) -> None:
    draw: Draw = []
    _body(draw, 2, ["Initials: ____"], 520)
    dt = _read(_write(tmp_path / "initials.pdf", draw))
    assert _paragraphs(dt) == [FIRST, "Initials: ____", SECOND]
    assert [dt.text[ln.char_start : ln.char_end] for ln in dt.lines if ln.is_margin] == [
        "Initials: ____"
    ]


def test_a_pleading_papers_line_numbers_read_after_the_page(tmp_path: Path) -> None:
    draw: Draw = []
    lines = _wrap(FIRST) + _wrap(SECOND)
    for n in range(1, 29):  # every line of the page numbered, with text or without
        y = 60.0 + 22 * n  # "1" stands in the running heads' zone
        draw.append((40, y, str(n), 9))
        if n <= len(lines):
            draw.append((108, y, lines[n - 1], 10))
    dt = _read(_write(tmp_path / "pleading.pdf", draw))
    numbers = [dt.text[ln.char_start : ln.char_end] for ln in dt.lines if ln.is_margin]
    assert numbers == [str(n) for n in range(1, 29)]
    body = [dt.text[ln.char_start : ln.char_end] for ln in dt.lines if not ln.is_margin]
    assert body == lines  # no "1 The Supplier ...": the numbers are not the text's
    assert build_sections(dt) == []


def test_clause_numbers_down_a_left_column_are_not_line_numbers(tmp_path: Path) -> None:
    """Numbers "2" to "6" a paragraph apart, drawn after the page's text (a CUAD schedule):
    each opens its paragraph, none is a margin note."""
    draw: Draw = []
    paragraphs = [_wrap(FIRST), _wrap(SECOND), _wrap(FIRST)[:2], _wrap(SECOND)[:1], ["Done."]]
    y, tops = 120.0, []
    for para in paragraphs:
        tops.append(y)
        for line in para:
            draw.append((90, y, line, 10))
            y += 10
        y += 10
    draw += [(50, top, str(n), 10) for n, top in enumerate(tops, 2)]
    dt = _read(_write(tmp_path / "clauses.pdf", draw))
    assert not any(ln.is_margin for ln in dt.lines)
    firsts = [p.split("\n")[0] for p in dt.text.split("\n\n")]
    assert firsts == [f"{n} {para[0]}" for n, para in enumerate(paragraphs, 2)]


def test_a_heading_in_the_left_column_is_not_a_margin_note(tmp_path: Path) -> None:
    draw: Draw = []
    _body(draw, 0, ["2.1 Delivery"], 20)
    dt = _read(_write(tmp_path / "side.pdf", draw))
    assert not any(ln.is_margin for ln in dt.lines)


def test_numbers_drawn_after_their_text_open_it(tmp_path: Path) -> None:
    """A left column of numbers that the PDF draws after the page's text (the EDGAR filing
    of issue 26's ``reading-order-broken`` family): each number opens the line beside it."""
    draw: Draw = []
    rows = [
        ("1.", "SCOPE OF WORK"),
        ("", "The Developer shall build the application described in Schedule A."),
        ("2.", "PAYMENT"),
        ("2.1", "The Company shall pay the fee within thirty days of each invoice."),
        ("2.2", "Late payments bear interest at one percent a month."),
    ]
    for i, (_, text) in enumerate(rows):
        draw.append((135, 150 + 16 * i, text, 10))
    for i, (number, _) in enumerate(rows):
        if number:
            draw.append((111 if "." not in number[:-1] else 112, 150 + 16 * i, number, 10))
    dt = _read(_write(tmp_path / "numbers.pdf", draw))
    lines = [dt.text[ln.char_start : ln.char_end] for ln in dt.lines]
    assert lines[0] == "1. SCOPE OF WORK"
    assert lines[3].startswith("2.1 The Company shall pay")
    found = [(s.number, s.title) for s in build_sections(dt)]
    assert [n for n, _ in found] == ["1", "2", "2.1", "2.2"]
    assert found[0][1] == "SCOPE OF WORK"
