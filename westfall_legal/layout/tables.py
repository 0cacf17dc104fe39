"""Tables: the ruled ones PyMuPDF found on text-layer pages, and on OCR'd pages tables read
from the words' geometry.

On an OCR'd page a table is a run of rows (words on one visual line, across Tesseract's
blocks) that split at wide gaps into cells whose columns line up: three or more rows of
two or more cells, the columns separated by gutters no cell crosses. A row of one cell
inside the run (a wrapped cell), or one with its first column empty, joins the row above.
Columns of prose (cells of many words), a list hanging from its labels ("(a)", "1.") and
side-by-side signature blocks ("By:", "Name:") are not tables; OCR specks (a stray "~" or
":") do not count as cells.
The page may be slightly skewed (word boxes are on the page as scanned): rows are found
after taking out the slope of Tesseract's own lines.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from westfall_legal.models import Box, Line, Page, Table, Word

MIN_ROWS = 3  # rows of two or more cells
GAP = 1.8  # a gap this many word heights wide separates two cells
MAX_CELL_WORDS = 6  # median words per cell above this: columns of prose, not a table
# A first cell that is a list label or a signature block's field: "(a)", "1.", "By:".
_LIST_LABEL = re.compile(
    r"^(?:\(?[0-9a-zA-Z]{1,4}[.)]|(?:By|Name|Title|Its|Date|Dated)\s*:)", re.IGNORECASE
)


@dataclass(slots=True)
class _Cell:
    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].box[0]

    @property
    def x1(self) -> float:
        return self.words[-1].box[2]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def page_tables(page: Page) -> tuple[Table, ...]:
    """The page's tables: PyMuPDF's for a text layer, word geometry's for an OCR'd page."""
    if page.source != "ocr":
        return page.tables
    return tuple(ocr_tables(page.number, page.words))


def _slope(words: Sequence[Word]) -> float:
    """The median rise per point across Tesseract's lines (the scan's leftover skew)."""
    by_line: dict[tuple[int, int], list[Word]] = {}
    for w in words:
        by_line.setdefault((w.block, w.line), []).append(w)
    slopes = []
    for line in by_line.values():
        if len(line) >= 3 and line[-1].box[0] - line[0].box[0] > 50:
            dy = (line[-1].box[1] + line[-1].box[3] - line[0].box[1] - line[0].box[3]) / 2
            slopes.append(dy / (line[-1].box[0] - line[0].box[0]))
    return statistics.median(slopes) if slopes else 0.0


def _rows(words: Sequence[Word]) -> list[list[_Cell]]:
    """Visual rows top to bottom, each split into cells at wide gaps; specks left out."""
    words = [w for w in words if len(w.text) > 2 or any(ch.isalnum() for ch in w.text)]
    if not words:
        return []
    height = statistics.median(w.box[3] - w.box[1] for w in words) or 1.0
    slope = _slope(words)

    def level(w: Word) -> float:
        return (w.box[1] + w.box[3]) / 2 - slope * w.box[0]

    rows: list[list[Word]] = []
    last = 0.0
    for w in sorted(words, key=level):
        if rows and level(w) - last <= 0.5 * height:
            rows[-1].append(w)
        else:
            rows.append([w])
        last = level(w)
    out = []
    for row in rows:
        row.sort(key=lambda w: w.box[0])
        cells = [_Cell([row[0]])]
        for a, b in itertools.pairwise(row):
            if b.box[0] - a.box[2] >= GAP * height:
                cells.append(_Cell([b]))
            else:
                cells[-1].words.append(b)
        out.append(cells)
    return out


def _gutters(rows: Sequence[list[_Cell]]) -> list[tuple[float, float]]:
    """The x-ranges no cell of ``rows`` covers, between their leftmost and rightmost ink."""
    spans = sorted((c.x0, c.x1) for row in rows for c in row)
    gutters = []
    right = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 > right:
            gutters.append((right, x0))
        right = max(right, x1)
    return gutters


def _crosses(cell: _Cell, gutters: Sequence[tuple[float, float]]) -> bool:
    return any(cell.x0 < g1 and cell.x1 > g0 for g0, g1 in gutters)


def _is_table(rows: Sequence[list[_Cell]], bounds: Sequence[float]) -> bool:
    """Not columns of prose, a list hanging from its labels, nor signature blocks."""
    columns: list[list[_Cell]] = [[] for _ in range(len(bounds) + 1)]
    for row in rows:
        for cell in row:
            columns[sum(1 for b in bounds if (cell.x0 + cell.x1) / 2 > b)].append(cell)
    if any(c and statistics.median(len(x.words) for x in c) > MAX_CELL_WORDS for c in columns):
        return False
    labels = sum(1 for row in rows if _LIST_LABEL.match(row[0].text))
    return labels * 2 < len(rows)


def _table(number: int, rows: Sequence[list[_Cell]]) -> Table | None:
    multi = [row for row in rows if len(row) >= 2]
    gutters = _gutters(multi)
    bounds = [(g0 + g1) / 2 for g0, g1 in gutters]
    if len(multi) < MIN_ROWS or not gutters or not _is_table(multi, bounds):
        return None
    table_rows: list[list[list[str]]] = []
    for row in rows:
        columns: list[list[str]] = [[] for _ in range(len(bounds) + 1)]
        for cell in row:
            middle = (cell.x0 + cell.x1) / 2
            columns[sum(1 for b in bounds if middle > b)].append(cell.text)
        if table_rows and (len(row) == 1 or not columns[0]):  # wrapped cells go on above
            for j, texts in enumerate(columns):
                table_rows[-1][j] += texts
        else:
            table_rows.append(columns)
    words = [w for row in rows for c in row for w in c.words]
    box: Box = (
        min(w.box[0] for w in words),
        min(w.box[1] for w in words),
        max(w.box[2] for w in words),
        max(w.box[3] for w in words),
    )
    cells = tuple(tuple(" ".join(texts) for texts in row) for row in table_rows)
    return Table(number, box, cells)


def ocr_tables(number: int, words: Sequence[Word]) -> list[Table]:
    """Tables of an OCR'd page from its words' geometry (see the module's docstring)."""
    tables: list[Table] = []
    run: list[list[_Cell]] = []
    for row in [*_rows(words), []]:
        if len(row) >= 2:
            candidate = [*run, row]
            gutters = _gutters([r for r in candidate if len(r) >= 2])
            if run and not gutters:  # this row's cells do not line up with the run's
                while len(run[-1]) < 2:
                    run.pop()
                if (table := _table(number, run)) is not None:
                    tables.append(table)
                candidate = [row]
            run = candidate
            continue
        gutters = _gutters([r for r in run if len(r) >= 2]) if run else []
        if row and run and len(run[-1]) >= 2 and gutters and not _crosses(row[0], gutters):
            run.append(row)  # a wrapped cell, kept while the next rows go on
            continue
        if run and len(run[-1]) < 2 and not _follows_closely(run[-1], run[-2]):
            run.pop()  # a short line after the table, not a wrapped cell of its last row
        if run and (table := _table(number, run)) is not None:
            tables.append(table)
        run = []
    return tables


def _follows_closely(row: list[_Cell], above: list[_Cell]) -> bool:
    """Whether ``row`` starts within a line's height under ``above`` (a wrapped cell)."""
    top = min(w.box[1] for c in row for w in c.words)
    bottom = max(w.box[3] for c in above for w in c.words)
    height = max(w.box[3] - w.box[1] for c in above for w in c.words)
    return top - bottom <= height


# Continued tables ----------------------------------------------------------------------------

EDGE = 24.0  # points: two parts of one table start and end this close left and right


def _columns(table: Table) -> int:
    return max((len(row) for row in table.rows), default=0)


def join_continued(tables: Sequence[Table], lines: Sequence[Line]) -> list[Table]:
    """Mark each table that goes on from the page before (``Table.continued``): it is the
    first thing of running text on its page, the table before it is the last on the page
    before, with nothing of running text below it, and both have the same columns at the same
    left and right edges. Running heads, footers and page numbers do not count as text
    (``Line.is_margin``), nor do the tables' own lines."""
    body: dict[int, list[Box]] = {}
    for line in lines:
        if not line.is_margin and not line.in_table:
            body.setdefault(line.page, []).append(line.box)
    out = list(tables)
    for i in range(1, len(out)):
        before, table = out[i - 1], out[i]
        if table.page != before.page + 1 or table.page == 0:
            continue
        last_before = all(t.page != before.page or t is before for t in out[i:])
        first_here = all(t.page != table.page for t in out[: i - 1])
        below = any(box[1] >= before.box[3] - 2 for box in body.get(before.page, []))
        above = any(box[3] <= table.box[1] + 2 for box in body.get(table.page, []))
        aligned = (
            abs(before.box[0] - table.box[0]) <= EDGE and abs(before.box[2] - table.box[2]) <= EDGE
        )
        if (
            last_before
            and first_here
            and not below
            and not above
            and aligned
            and _columns(before) == _columns(table)
        ):
            out[i] = dataclasses.replace(table, continued=True)
    return out


def logical_tables(tables: Sequence[Table]) -> list[list[Table]]:
    """The tables as a reader sees them: each a list of its printed parts, page by page."""
    joined: list[list[Table]] = []
    for table in tables:
        if table.continued and joined:
            joined[-1].append(table)
        else:
            joined.append([table])
    return joined


def table_rows(parts: Sequence[Table]) -> list[tuple[str, ...]]:
    """One table's rows over all its parts, a header row repeated at the top of a part left
    out."""
    rows = list(parts[0].rows)
    for part in parts[1:]:
        repeat = bool(part.rows) and bool(rows) and part.rows[0] == rows[0]
        rows.extend(part.rows[1:] if repeat else part.rows)
    return rows
