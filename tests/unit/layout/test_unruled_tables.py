"""Unruled tables on a text-layer page (layout.grids): rows of cells side by side."""

from __future__ import annotations

from pathlib import Path

from westfall_legal.layout.grids import grid_lines
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.text import build_text
from westfall_legal.models import Box, Document, Page, Word


def _words(text: str, x: float, y: float, block: int) -> list[Word]:
    out = []
    for w in text.split():
        out.append(Word(w, (x, y, x + 5.0 * len(w), y + 9), block=block, line=0))
        x += 5.0 * len(w) + 3
    return out


PROSE = "The Developer shall deliver the application and its source code to the Company"


def _page(rows: list[list[tuple[float, str]]]) -> Page:
    words: list[Word] = []
    block = 0
    words += _words("1. PAYMENT TERMS", 111, 80, block)
    words += _words(PROSE, 135, 92, block)
    for r, row in enumerate(rows):
        for x, text in row:  # each cell a block of its own, as PyMuPDF gives them
            block += 1
            words += _words(text, x, 110 + 16 * r, block)
    words += _words("2. CHANGE ORDERS", 111, 110 + 16 * len(rows) + 10, block + 1)
    words += _words(PROSE, 135, 110 + 16 * len(rows) + 22, block + 1)
    return Page(1, 595.0, 842.0, tuple(words))


TABLE = [
    [(135, "No."), (159, "Name"), (248, "Function"), (379, "Amount")],
    [(135, "1."), (159, "Ms. Chen"), (248, "Lead Developer"), (398, "USD100,000.00")],
    [(135, "2."), (159, "Mr. Zheng"), (248, "Developer"), (403, "USD50,000.00")],
    [(135, "3."), (159, "Mr. Gu"), (248, "Developer"), (403, "USD50,000.00")],
]


def test_numbered_rows_of_a_table_are_not_sections() -> None:
    dt = build_text(Document(Path("x.pdf"), "0" * 64, (_page(TABLE),)))
    cells = [dt.text[ln.char_start : ln.char_end] for ln in dt.lines if ln.in_table]
    assert "1. Ms. Chen" in cells and "USD50,000.00" in cells and "No." in cells
    assert [s.number for s in build_sections(dt)] == ["1", "2"]


def test_two_rows_or_two_columns_are_not_a_table() -> None:
    assert grid_lines(_boxes(TABLE[:2])) == set()
    assert grid_lines(_boxes([row[:2] for row in TABLE])) == set()
    assert grid_lines(_boxes(TABLE)) == set(range(16))


def test_a_row_that_runs_over_a_cell_goes_on_when_its_cells_line_up() -> None:
    # "4." joined to a cell whose line runs over into the next cell, that cell's second line
    boxes = [*_boxes(TABLE), (135.0, 174.0, 460.0, 183.0), (248.0, 180.0, 290.0, 189.0)]
    assert grid_lines(boxes) == set(range(18))
    prose = [(135.0, 110.0 + 16 * r, 505.0, 119.0 + 16 * r) for r in range(5)]
    assert grid_lines(prose) == set()


def _boxes(rows: list[list[tuple[float, str]]]) -> list[Box]:
    return [
        (x, 110.0 + 16 * r, x + 5.0 * len(text), 119.0 + 16 * r)
        for r, row in enumerate(rows)
        for x, text in row
    ]


def test_signature_blocks_side_by_side_are_not_a_table() -> None:
    rows = [
        [(72, "By:"), (110, "/s/ Jane Doe"), (320, "By:"), (358, "/s/ John Roe")],
        [(72, "Name:"), (110, "Jane Doe"), (320, "Name:"), (358, "John Roe")],
        [(72, "Title:"), (110, "CEO"), (320, "Title:"), (358, "CFO")],
    ]
    texts = [text for row in rows for _, text in row]
    assert grid_lines(_boxes(rows)) == set(range(12))  # by geometry alone, a grid
    assert grid_lines(_boxes(rows), texts) == set()
