"""A ruled table printed over a page break is one table: its second part is marked as
continued (PDFs drawn here with PyMuPDF, read by the real ingest and layout)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pymupdf

from westfall_legal.ingest.document import load_document
from westfall_legal.layout.tables import logical_tables, table_rows
from westfall_legal.layout.text import build_text

HEADER = ("Milestone", "Due date", "Payment (USD)")
ROWS = [(f"Milestone {n}", f"2026-{n:02d}-15", f"${n * 12_500:,}.00") for n in range(1, 13)]
X = (72.0, 240.0, 380.0, 523.0)  # column edges
ROW = 20.0


def _table(page: pymupdf.Page, top: float, rows: list[tuple[str, ...]]) -> float:
    """Draw a ruled table from ``top``; return its bottom."""
    y = top
    for row in rows:
        for (x0, x1), cell in zip(itertools.pairwise(X), row, strict=True):
            page.draw_rect(pymupdf.Rect(x0, y, x1, y + ROW), color=(0, 0, 0), width=0.8)
            page.insert_text((x0 + 4, y + 14), cell, fontsize=10)
        y += ROW
    return y


def _pdf(path: Path, *, text_between: bool, header_again: bool = True) -> Path:
    doc = pymupdf.open()
    first = doc.new_page()  # 595 x 842
    first.insert_text((72, 72), "SCHEDULE 2 - PAYMENT MILESTONES", fontsize=12)
    first.insert_text(
        (72, 100), "The Customer shall pay the Supplier on each milestone below.", fontsize=10
    )
    bottom = _table(first, 560.0, [HEADER, *ROWS[:6]])
    if text_between:
        first.insert_text(
            (72, bottom + 30), "Late payments bear interest at 1% a month.", fontsize=10
        )
    first.insert_text((290, 810), "12", fontsize=9)  # the page number: not running text
    second = doc.new_page()
    _table(second, 72.0, [HEADER, *ROWS[6:]] if header_again else ROWS[6:])
    second.insert_text((72, 400), "All amounts exclude value added tax.", fontsize=10)
    second.insert_text((290, 810), "13", fontsize=9)
    doc.save(path)
    return path


def _text(path: Path):  # type: ignore[no-untyped-def]
    return build_text(load_document(path))


def test_a_table_over_a_page_break_is_one_table(tmp_path: Path) -> None:
    dt = _text(_pdf(tmp_path / "milestones.pdf", text_between=False))
    assert [t.page for t in dt.tables] == [1, 2]
    assert [t.continued for t in dt.tables] == [False, True]
    (parts,) = logical_tables(dt.tables)
    rows = table_rows(parts)
    assert rows[0] == HEADER and rows[1:] == ROWS  # the repeated header is read once


def test_a_continuation_without_its_header_joins_too(tmp_path: Path) -> None:
    dt = _text(_pdf(tmp_path / "milestones.pdf", text_between=False, header_again=False))
    (parts,) = logical_tables(dt.tables)
    assert table_rows(parts) == [HEADER, *ROWS]


def test_text_after_the_first_part_makes_them_two_tables(tmp_path: Path) -> None:
    dt = _text(_pdf(tmp_path / "milestones.pdf", text_between=True))
    assert [t.continued for t in dt.tables] == [False, False]
    assert len(logical_tables(dt.tables)) == 2
