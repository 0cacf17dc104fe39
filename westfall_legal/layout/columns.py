"""Reading order on a page set in two columns: down the left column, then the right one.

A PDF may draw a two-column page line by line across both columns (left line 1, right
line 1, left line 2...), and PyMuPDF then gives its lines in that order, in one block. A
page is read in columns when a gutter down its middle third separates lines on both sides
that are set side by side (their heights overlap for three lines or more) and that fill
their columns (the median line is most of the column's width: a table's or a form's short
cells, or a key and its value, are not columns). For signature blocks set side by side
(``layout.signatures``) short lines make columns too, when two or more of their labelled
lines ("By:", "Name:", "Title:") stand beside a labelled line of the other block. Lines
that cross the gutter (a title, a
paragraph across the page) keep their place and split the page into stretches; within each
stretch the left column's lines come first, then the right column's, each in their order.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from westfall_legal.models import Box

MIN_LINES = 3  # lines on each side of the gutter
FULL = 0.6  # a column's median line fills at least this share of the column's width
MIDDLE = (0.3, 0.7)  # where a gutter may run, as a share of the page's width
GUTTER = 6.0  # pt of white between the columns at the least
MIN_COLUMN = 0.25  # a column is at least this share of the page's width
MIN_LABELS = 2  # labelled lines of signature blocks, beside one another, that make columns

LEFT, RIGHT, ACROSS = 0, 1, -1


def _sides(boxes: Sequence[Box], gutter: float) -> list[int]:
    return [
        LEFT if b[2] <= gutter - GUTTER / 2 else RIGHT if b[0] >= gutter else ACROSS for b in boxes
    ]


def _beside(box: Box, others: Sequence[Box]) -> bool:
    """Whether a line of the other column shares ``box``'s height."""
    return any(o[1] < box[3] and box[1] < o[3] for o in others)


def _signature_blocks(boxes: Sequence[Box], sides: Sequence[int], labelled: Sequence[bool]) -> bool:
    """Whether signature blocks stand side by side: labelled lines beside labelled lines."""
    left = [b for b, s, k in zip(boxes, sides, labelled, strict=True) if s == LEFT and k]
    right = [b for b, s, k in zip(boxes, sides, labelled, strict=True) if s == RIGHT and k]
    return sum(_beside(b, right) for b in left) >= MIN_LABELS


def _is_columns(
    boxes: Sequence[Box],
    sides: Sequence[int],
    gutter: float,
    width: float,
    labelled: Sequence[bool],
) -> bool:
    left = [b for b, s in zip(boxes, sides, strict=True) if s == LEFT]
    right = [b for b, s in zip(boxes, sides, strict=True) if s == RIGHT]
    if min(len(left), len(right)) < MIN_LINES or len(left) + len(right) < len(boxes) / 2:
        return False
    if _signature_blocks(boxes, sides, labelled):
        return True
    left_width = gutter - min(b[0] for b in left)
    right_width = max(b[2] for b in right) - gutter
    if min(left_width, right_width) < MIN_COLUMN * width:
        return False
    if statistics.median(b[2] - b[0] for b in left) < FULL * left_width:
        return False
    if statistics.median(b[2] - b[0] for b in right) < FULL * right_width:
        return False
    return (
        sum(_beside(b, right) for b in left) >= MIN_LINES
        and sum(_beside(b, left) for b in right) >= MIN_LINES
    )


def column_sides(
    boxes: Sequence[Box], width: float, labelled: Sequence[bool] | None = None
) -> list[int] | None:
    """Each line's column (LEFT, RIGHT, or ACROSS the gutter), or None for a page that is
    not in two columns. ``boxes`` are one page's lines; ``labelled``, per line, whether it
    starts with a signature block's label ("By:", "Name:")."""
    labelled = labelled if labelled is not None else [False] * len(boxes)
    lo, hi = MIDDLE[0] * width, MIDDLE[1] * width
    if (
        sum(1 for b in boxes if b[2] < hi) < MIN_LINES
        or sum(1 for b in boxes if b[0] > lo) < MIN_LINES
    ):
        return None
    starts = sorted({round(b[0]) for b in boxes if lo <= b[0] <= hi})
    for gutter in starts:
        sides = _sides(boxes, gutter)
        if _is_columns(boxes, sides, gutter, width, labelled):
            return sides
    return None


def reading_order(sides: Sequence[int]) -> list[int]:
    """Line indexes in reading order: per stretch between ACROSS lines, LEFT then RIGHT."""
    order: list[int] = []
    stretch: list[int] = []
    for i, side in enumerate([*sides, ACROSS]):
        if side == ACROSS:
            order += [j for j in stretch if sides[j] == LEFT] + [
                j for j in stretch if sides[j] == RIGHT
            ]
            stretch = []
            if i < len(sides):
                order.append(i)
        else:
            stretch.append(i)
    return order
