"""Portfolio outputs from rows: the xlsx a lawyer expects (frozen header, filters, links,
text never run as a formula), the CSV, and the self-contained dashboard whose bars link to
the lists behind them."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest

from westfall_legal.categories import TOP_CATEGORIES
from westfall_legal.portfolio.dashboard import Dashboard
from westfall_legal.portfolio.rows import COLUMNS, Row, failed_row, first_words
from westfall_legal.portfolio.sheets import SheetWriter

openpyxl = pytest.importorskip("openpyxl", reason="the portfolio extra (openpyxl) is missing")


def _row(name: str, **values: Any) -> Row:
    base: dict[str, Any] = {"File": name, "Folder": "", "Type": "License", "sha256": name * 4}
    base.update({c: "no" for c in TOP_CATEGORIES})
    base.update({"Findings high": 0, "Findings medium": 0, "Findings low": 0})
    base.update(values)
    review = f"reviews/{name}.html"
    return Row({**base, "Review": review}, review=review)


ROWS = [
    _row("a.pdf", **{"Change Of Control": "yes", "Change Of Control: page": 3,
                     "Change Of Control: first words": "=HYPERLINK(\"http://x\") upon a change",
                     "Governing law": "Delaware", "Expiration date": "2027-05-01",
                     "Renewal term": "P1Y", "Findings high": 2}),
    _row("b.pdf", Type="Supply", **{"Governing law": "New York", "Exclusivity": "yes",
                                     "Expiration date": "2029-01-31", "Findings low": 1}),
    failed_row(Path("/room/c.pdf"), "/room/c.pdf: the file is empty (0 bytes).", Path("/room")),
]  # fmt: skip


def test_the_sheet_reads_back_with_frozen_headers_filters_and_links(tmp_path: Path) -> None:
    writer = SheetWriter(tmp_path)
    for row in ROWS:
        writer.add(row)
    writer.close()
    sheet = openpyxl.load_workbook(tmp_path / "portfolio.xlsx")["Portfolio"]
    header = [c.value for c in sheet[1]]
    assert header == list(COLUMNS)
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(COLUMNS))}4"
    assert all(c.font.bold for c in sheet[1])
    col = {name: n for n, name in enumerate(header, start=1)}
    assert sheet.cell(2, col["Review"]).hyperlink.target == "reviews/a.pdf.html"
    assert sheet.cell(4, col["Review"]).hyperlink is None
    words = sheet.cell(2, col["Change Of Control: first words"])
    assert words.data_type == "s" and words.value.startswith("=HYPERLINK")  # text, not run
    assert sheet.cell(2, col["Change Of Control: page"]).value == 3
    assert sheet.cell(4, col["Error"]).value == "/room/c.pdf: the file is empty (0 bytes)."
    assert sheet.max_row == 4


def test_the_csv_has_the_same_rows_and_no_formula(tmp_path: Path) -> None:
    writer = SheetWriter(tmp_path)
    for row in ROWS:
        writer.add(row)
    writer.close()
    with (tmp_path / "portfolio.csv").open(encoding="utf-8-sig", newline="") as fh:
        read = list(csv.DictReader(fh))
    assert [r["File"] for r in read] == ["a.pdf", "b.pdf", "c.pdf"]
    assert read[0]["Change Of Control: first words"].startswith("'=HYPERLINK")
    assert read[1]["Governing law"] == "New York" and read[1]["Findings low"] == "1"
    assert not list(tmp_path.glob(".*tmp"))  # written in place at the end only


def test_the_dashboard_is_self_contained_and_every_bar_links_to_its_list() -> None:
    board = Dashboard()
    for row in ROWS:
        board.add(row)
    page = board.html("Portfolio review: room")
    assert "<script" not in page and "http" not in page.replace('=HYPERLINK("http://x', "")
    assert page.count("<svg") == 5
    ids = set(re.findall(r"id='([^']+)'", page))
    links = re.findall(r"href='#([^']+)'", page)
    assert links and all(link in ids for link in links)
    # the bars behind change of control, Delaware, high findings and 2027 expiry
    for target in ("list-clause-change-of-control", "list-law-delaware",
                   "list-findings-high", "list-expiry-2027", "list-renewal-2027"):  # fmt: skip
        block = page[page.index(f"id='{target}'") :].split("</div>", 1)[0]
        assert "reviews/a.pdf.html" in block and "b.pdf" not in block
    assert "c.pdf: the file is empty" in page.split("id='list-errors'")[1]
    assert board.contracts == 2


def test_first_words_cut_long_clauses() -> None:
    assert first_words("one two three", 2) == "one two …"
    assert first_words("  one\n two ", 5) == "one two"
