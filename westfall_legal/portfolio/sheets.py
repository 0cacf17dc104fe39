"""The portfolio as a spreadsheet (``portfolio.xlsx``, through openpyxl, the one module
that imports it) and as CSV, written row by row (openpyxl's write-only mode): memory stays
flat however many contracts there are.

The sheet is what a lawyer expects of a due-diligence sheet: a bold header row that stays
in view (frozen with the file column), filters on every column, the review column linking
to each contract's HTML review, and columns wide enough to read.

Every cell is text or a number, never a formula: text from a document (a clause's first
words) that starts with ``=``, ``+``, ``-`` or ``@`` would otherwise run as one when the
sheet or the CSV is opened (CSV injection).
"""

from __future__ import annotations

import csv
import importlib
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from westfall_legal.errors import MissingDependencyError, OutputError
from westfall_legal.portfolio.rows import COLUMNS, Row

INSTALL_HINT = 'Install the portfolio extra: pip install "westfall-legal[portfolio]".'
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WIDTHS = {"File": 42, "Folder": 24, "Parties": 48, "Error": 60, "Duplicates": 30, "sha256": 20}


def openpyxl() -> ModuleType:
    """openpyxl (imported by name: it ships without type hints), or how to install it."""
    try:
        return importlib.import_module("openpyxl")
    except ImportError:
        raise MissingDependencyError(
            "writing portfolio.xlsx needs openpyxl, which is not installed.", hint=INSTALL_HINT
        ) from None


def _text(value: Any) -> Any:
    """A value as the CSV writes it: text that a spreadsheet would run as a formula gets a
    leading apostrophe (shown as text by Excel and LibreOffice)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class SheetWriter:
    """Writes ``portfolio.xlsx`` and ``portfolio.csv`` in ``out`` as rows are added."""

    def __init__(self, out: Path) -> None:
        xl = openpyxl()
        WriteOnlyCell = xl.cell.WriteOnlyCell
        Alignment, Font = xl.styles.Alignment, xl.styles.Font
        get_column_letter = xl.utils.get_column_letter

        self._cell = WriteOnlyCell
        self._letter = get_column_letter
        self.out = out
        self.xlsx = out / "portfolio.xlsx"
        self.csv = out / "portfolio.csv"
        self.count = 0
        self._book = xl.Workbook(write_only=True)
        self._sheet = self._book.create_sheet("Portfolio")
        for n, name in enumerate(COLUMNS, start=1):
            width = WIDTHS.get(name, 28 if ": first words" in name else 14)
            self._sheet.column_dimensions[get_column_letter(n)].width = width
        self._sheet.freeze_panes = "B2"  # the header row and the file column stay in view
        bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        header = []
        for name in COLUMNS:
            cell = WriteOnlyCell(self._sheet, value=name)
            cell.font, cell.alignment = bold, wrap
            header.append(cell)
        self._sheet.append(header)
        try:
            out.mkdir(parents=True, exist_ok=True)
            self._csv_tmp = out / ".portfolio.csv.tmp"
            self._csv_fh: IO[str] = self._csv_tmp.open("w", encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise OutputError(f"{self.csv}: cannot write ({exc.strerror}).") from exc
        self._csv = csv.writer(self._csv_fh)
        self._csv.writerow(COLUMNS)

    def add(self, row: Row) -> None:
        cells = []
        for name, value in zip(COLUMNS, row.cells(), strict=True):
            cell = self._cell(self._sheet, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            if name == "Review" and row.review:
                cell.hyperlink = row.review  # relative to the sheet: out/reviews/...
                cell.style = "Hyperlink"
            cells.append(cell)
        self._sheet.append(cells)
        self._csv.writerow([_text(v) for v in row.cells()])
        self.count += 1

    def close(self) -> None:
        last = self._letter(len(COLUMNS))
        self._sheet.auto_filter.ref = f"A1:{last}{self.count + 1}"
        tmp = self.out / ".portfolio.xlsx.tmp"
        try:
            self._book.save(tmp)
            tmp.replace(self.xlsx)
            self._csv_fh.close()
            self._csv_tmp.replace(self.csv)
        except OSError as exc:
            raise OutputError(f"{self.out}: cannot write the sheets ({exc.strerror}).") from exc
