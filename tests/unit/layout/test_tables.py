"""Tables: read from OCR'd words' geometry, marked in the text, kept out of clauses; and the
cheap signal that sends a text-layer page to PyMuPDF's table finder."""

from __future__ import annotations

from pathlib import Path

from westfall_legal.analysis.segment import segment
from westfall_legal.ingest.pdf import table_regions
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.tables import join_continued, logical_tables, ocr_tables
from westfall_legal.layout.text import build_text
from westfall_legal.models import Document, Line, Page, Table, Word

CHAR = 5.5  # pt per character of the synthetic words
HEIGHT = 9.0


def _row(y: float, cells: list[tuple[float, str]], block: int, slope: float = 0.0) -> list[Word]:
    """Words of one visual row: each cell's words from its x, one Tesseract block a cell."""
    words = []
    for i, (x, text) in enumerate(cells):
        for w in text.split():
            dy = slope * x
            box = (x, y + dy, x + CHAR * len(w), y + dy + HEIGHT)
            words.append(Word(w, box, block=block * 10 + i, line=1, conf=91.0))
            x += CHAR * len(w) + 3
    return words


FEES = [
    ("Service", "Unit", "Fee (USD)"),
    ("Managed Platform Operations", "per month", "$48,500.00"),
    ("Software Engineer", "per hour", "$210.00"),
    ("Data Migration", "per wave", "$36,000.00"),
]


def _fee_table(y0: float = 200.0, slope: float = 0.0) -> list[Word]:
    words: list[Word] = []
    for i, (service, unit, fee) in enumerate(FEES):
        cells = [(80.0, service), (300.0, unit), (450.0, fee)]
        words += _row(y0 + 16 * i, cells, block=i, slope=slope)
    # the first cell of the last row wraps onto a second line
    words += _row(y0 + 16 * len(FEES), [(80.0, "(fixed fee)")], block=9, slope=slope)
    return words


def test_a_table_of_ocr_words_with_a_wrapped_cell() -> None:
    (table,) = ocr_tables(19, _fee_table())
    assert table.page == 19
    assert table.rows == (
        ("Service", "Unit", "Fee (USD)"),
        ("Managed Platform Operations", "per month", "$48,500.00"),
        ("Software Engineer", "per hour", "$210.00"),
        ("Data Migration (fixed fee)", "per wave", "$36,000.00"),
    )
    x0, y0, x1, y1 = table.box
    assert (x0, y0) == (80.0, 200.0) and x1 > 450 and y1 == 200 + 16 * 4 + HEIGHT


def test_a_skewed_scan_still_reads_rows_across() -> None:
    (table,) = ocr_tables(1, _fee_table(slope=0.02))  # about 1.1 degrees: 9 pt over the table
    assert table.rows[1] == ("Managed Platform Operations", "per month", "$48,500.00")


def test_lists_prose_columns_and_signature_blocks_are_not_tables() -> None:
    hanging = [
        w
        for i, text in enumerate(["the first obligation", "the second one", "the third one"])
        for w in _row(100 + 14 * i, [(72, f"({'abc'[i]})"), (108, text)], block=i)
    ]
    prose = [
        w
        for i in range(6)
        for w in _row(
            300 + 14 * i,
            [(72, "the Supplier shall deliver the goods to the"), (320, "Customer at the place")],
            block=20 + i,
        )
    ]
    signatures = [
        w
        for i, label in enumerate(["By:", "Name:", "Title:"])
        for w in _row(500 + 14 * i, [(72, f"{label} Jane Roe"), (320, f"{label} John Doe")], 40 + i)
    ]
    assert ocr_tables(1, hanging + prose + signatures) == []


def test_table_lines_stay_in_the_text_but_out_of_clauses_and_headings() -> None:
    body = _row(100, [(72, "1. Fees. Customer pays the fees in the table below.")], block=90)
    page = Page(1, 612.0, 792.0, tuple(body + _fee_table()), source="ocr")
    dt = build_text(Document(Path("scan.pdf"), "0" * 64, (page,)))
    assert len(dt.tables) == 1 and "Managed Platform Operations" in dt.text
    table_lines = [dt.text[ln.char_start : ln.char_end] for ln in dt.lines if ln.in_table]
    assert "Service" in table_lines[0] and len(table_lines) >= 5
    sections = build_sections(dt)
    assert [s.number for s in sections] == ["1"]
    texts = [dt.text[s.char_start : s.char_end] for s in segment(dt, sections)]
    assert texts == ["1. Fees. Customer pays the fees in the table below."]


def test_a_text_layer_page_keeps_the_tables_ingest_found() -> None:
    table = Table(1, (80.0, 200.0, 520.0, 280.0), (("a", "b"), ("c", "d")))
    page = Page(1, 612.0, 792.0, tuple(_fee_table()), tables=(table,))
    assert build_text(Document(Path("x.pdf"), "0" * 64, (page,))).tables == (table,)


def test_the_table_signal_of_text_layer_lines() -> None:
    words = [
        Word(w.text, w.box, block=w.block, line=0)  # PyMuPDF: a cell is a block of its own
        for w in _fee_table()
    ]
    prose = [
        Word("word", (72.0 + 30 * j, 400.0 + 14 * i, 98.0 + 30 * j, 410.0 + 14 * i), 50 + i, 0)
        for i in range(10)
        for j in range(15)
    ]
    (region,) = table_regions(words + prose, 612.0)
    assert region[1] == 200.0 and region[3] == 200 + 16 * 4 + HEIGHT
    assert table_regions(prose, 612.0) == []


# Continued tables ---------------------------------------------------------------------------


def _t(page: int, box: tuple[float, float, float, float], cols: int = 3) -> Table:
    return Table(page, box, (tuple(f"h{i}" for i in range(cols)), tuple("x" * cols)))


def _line(page: int, y0: float, *, margin: bool = False) -> Line:
    return Line(0, 1, page, (72.0, y0, 500.0, y0 + 10), 0, is_margin=margin)


def test_join_continued_needs_nothing_between_and_the_same_columns() -> None:
    end_of_1 = _t(1, (72, 600, 520, 780))
    top_of_2 = _t(2, (72, 72, 520, 300))
    lines = [_line(1, 100), _line(1, 810, margin=True), _line(2, 400)]
    assert [t.continued for t in join_continued([end_of_1, top_of_2], lines)] == [False, True]
    # running text under the first part, above the second, or other columns: two tables
    assert not join_continued([end_of_1, top_of_2], [*lines, _line(1, 790)])[1].continued
    assert not join_continued([end_of_1, top_of_2], [*lines, _line(2, 40)])[1].continued
    assert not join_continued([end_of_1, _t(2, (72, 72, 520, 300), cols=4)], lines)[1].continued
    assert not join_continued([end_of_1, _t(2, (200, 72, 520, 300))], lines)[1].continued
    # not on the next page, or a Word draft's tables (no pages): never joined
    assert not join_continued([end_of_1, _t(3, (72, 72, 520, 300))], lines)[1].continued
    assert not join_continued([_t(0, (0, 0, 0, 0)), _t(0, (0, 0, 0, 0))], [])[1].continued


def test_only_the_last_table_of_a_page_goes_on() -> None:
    first, second = _t(1, (72, 100, 520, 300)), _t(1, (72, 500, 520, 780))
    top = _t(2, (72, 72, 520, 300))
    joined = join_continued([first, second, top], [])
    assert [t.continued for t in joined] == [False, False, True]
    assert [len(parts) for parts in logical_tables(joined)] == [1, 2]
