"""Tables that are not ruled: rows of cells side by side down a text-layer page.

PyMuPDF's table finder reads ruled tables only (:mod:`layout.tables`); a table set with
white space ("No. | Name | Function | Amount" over "1. | Ms. Chen | Coordinator | USD
100,000") gives each cell as a line of its own, and a numbered row reads as a clause
("1. Ms. Chen"). Here a row is a band of lines whose heights overlap (a cell of two lines
beside a cell of one is one row), its cells the band's lines, its columns where they start.
A run of ``MIN_ROWS`` or more rows is a table when its first row has ``MIN_COLUMNS`` or
more cells side by side and each row after it has cells that line up with the first row's
columns (see :func:`_goes_on`): its lines are marked ``in_table``,
kept in the text, out of clauses and headings. Prose has one line per band; a left column of
numbers beside their text, or signature blocks side by side, two.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from westfall_legal.models import Box

MIN_ROWS = 3  # rows of a table, its header counted
MIN_COLUMNS = 3  # cells side by side in each of them
ALIGN = 8.0  # points: two cells start in one column
SHARED = 2  # columns a row shares with the table's first row
_SIGNATURE_LABEL = re.compile(
    r"^(?:By|Name|Title|Its|Date|Dated|Per|Signature)\s*+:", re.IGNORECASE
)


def _bands(boxes: Sequence[Box]) -> list[list[int]]:
    """Indexes of ``boxes`` in rows, top to bottom: boxes whose heights overlap go together."""
    bands: list[list[int]] = []
    bottom = float("-inf")
    for i in sorted(range(len(boxes)), key=lambda k: boxes[k][1]):
        if bands and boxes[i][1] < bottom - 1:
            bands[-1].append(i)
            bottom = max(bottom, boxes[i][3])
        else:
            bands.append([i])
            bottom = boxes[i][3]
    return bands


def _columns(boxes: Sequence[Box], band: list[int]) -> tuple[list[float], bool]:
    """Where a row's cells start, and whether a line reaches over the cell beside it."""
    cells = sorted((boxes[i] for i in band), key=lambda b: b[0])
    starts: list[float] = []
    for cell in cells:
        if starts and cell[0] - starts[-1] <= ALIGN:
            continue  # a second line of the same cell
        starts.append(cell[0])
    crossing = any(
        b[0] - a[0] > ALIGN and b[0] < a[2] - 1 and b[1] < a[3] - 1 and a[1] < b[3] - 1
        for i, a in enumerate(cells)
        for b in cells[i + 1 :]
    )
    return starts, crossing


def _goes_on(starts: list[float], crossing: bool, first: list[float]) -> bool:
    """Whether a row goes on with a table whose first row's cells start at ``first``: cells
    that line up with two of its columns, or (a cell run over into the next, a number
    joined to its cell) two or more cells, each in one of its columns."""
    aligned = [any(abs(s - f) <= ALIGN for f in first) for s in starts]
    if len(starts) >= MIN_COLUMNS and not crossing:
        return sum(aligned) >= SHARED
    return len(starts) >= SHARED and all(aligned)


def grid_lines(boxes: Sequence[Box], texts: Sequence[str] | None = None) -> set[int]:
    """Indexes of one page's lines (``boxes``, their ``texts``) that are cells of an unruled
    table. A row with a signature block's label ("By:", "Name:") is not a table's: signature
    blocks side by side are read by :mod:`layout.signatures`."""
    found: set[int] = set()
    run: list[list[int]] = []
    first: list[float] = []
    for band in [*_bands(boxes), []]:
        signed = texts is not None and any(_SIGNATURE_LABEL.match(texts[i]) for i in band)
        starts, crossing = _columns(boxes, band) if band and not signed else ([], False)
        if run and _goes_on(starts, crossing, first):
            run.append(band)
            continue
        if len(run) >= MIN_ROWS:
            found.update(i for row in run for i in row)
        run, first = [], []
        if len(starts) >= MIN_COLUMNS and not crossing:
            run, first = [band], starts
    return found
