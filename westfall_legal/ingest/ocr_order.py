"""Tesseract's blocks put back in the page's reading order.

On a noisy page (a fax, a stamp) Tesseract's page segmentation sometimes cuts a line in two
and gives the end of the line its own block, read after the paragraph ("an employee,
agent," ... five lines later "partner or legal representative of the other for any"), or
puts a paragraph's first line after the paragraphs below it. The words are right; their
order is not, and the text built from them reads scrambled. Two repairs, on the words'
boxes alone:

- **A line's cut-off end** (a block of one line) that sits on another block's line, to its
  right and close to it, with nothing between them, joins that line.
- **A block read after one below it** in the same column (their spans across the page
  overlap by at least half the narrower one) moves before it. Blocks side by side (two
  columns, a signature block's two parties) keep Tesseract's order.

Clause numbers set apart in the left margin ("5." read as a block before the page's text)
are left where Tesseract put them, for the layout stage, which joins them to their lines:
a line's end never joins a lone number. Tesseract's own order is kept wherever neither rule applies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from westfall_legal.models import Box, Word

MIN_LINE_OVERLAP = 0.6  # of the lower line's height: the two parts are on one line
MAX_GAP_HEIGHTS = 4.0  # the widest gap between a line and its cut-off end, in line heights
MIN_COLUMN_OVERLAP = 0.5  # of the narrower block's width: two blocks share a column
# "5.", "14.10", "(a)", "iv)": a clause number standing apart
_MARKER = re.compile(r"[(\[]?+(?:\d{1,3}(?:\.\d{1,3})*+|[A-Za-z]|[ivxIVX]{1,5})[.)\]]?+")


@dataclass
class _Line:
    block: int
    line: int
    words: list[Word] = field(default_factory=list)

    @property
    def box(self) -> Box:
        return _union(w.box for w in self.words)


def _union(boxes: Iterable[Box]) -> Box:
    every = list(boxes)
    return (
        min(b[0] for b in every),
        min(b[1] for b in every),
        max(b[2] for b in every),
        max(b[3] for b in every),
    )


def _vertical_overlap(a: Box, b: Box) -> float:
    """The share of the lower of the two heights that ``a`` and ``b`` have in common."""
    common = min(a[3], b[3]) - max(a[1], b[1])
    height = min(a[3] - a[1], b[3] - b[1])
    return common / height if height > 0 else 0.0


def _horizontal_overlap(a: Box, b: Box) -> float:
    common = min(a[2], b[2]) - max(a[0], b[0])
    width = min(a[2] - a[0], b[2] - b[0])
    return common / width if width > 0 else 0.0


def _lines(words: Sequence[Word]) -> list[_Line]:
    lines: dict[tuple[int, int], _Line] = {}
    for word in words:
        key = (word.block, word.line)
        if key not in lines:
            lines[key] = _Line(word.block, word.line)
        lines[key].words.append(word)
    return list(lines.values())


def _line_for_end(end: _Line, lines: list[_Line]) -> _Line | None:
    """The line of another block that ``end`` (a one-line block) is the cut-off end of."""
    box = end.box
    height = box[3] - box[1]
    best: tuple[_Line, Box] | None = None
    for line in lines:
        if line.block == end.block:
            continue
        if len(line.words) == 1 and _MARKER.fullmatch(line.words[0].text):
            continue  # a clause number in the margin: the layout stage joins it
        other = line.box
        if other[2] > box[0] or _vertical_overlap(box, other) < MIN_LINE_OVERLAP:
            continue  # not to the left of it on the same line
        if box[0] - other[2] > MAX_GAP_HEIGHTS * max(height, other[3] - other[1]):
            continue
        if best is None or other[2] > best[1][2]:
            best = (line, other)
    if best is None:
        return None
    between = (best[1][2], box[1], box[0], box[3])
    for line in lines:
        if line is not best[0] and line is not end and _overlaps(line.box, between):
            return None
    return best[0]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def reading_order(words: Sequence[Word]) -> list[Word]:
    """``words`` (Tesseract's, in its order, with its block and line numbers) in the page's
    reading order; a joined line end takes its line's block and line numbers."""
    if not words:
        return []
    lines = _lines(words)
    per_block: dict[int, list[_Line]] = {}
    for line in lines:
        per_block.setdefault(line.block, []).append(line)
    for block, own in list(per_block.items()):
        if len(own) != 1:
            continue
        target = _line_for_end(own[0], lines)
        if target is None:
            continue
        target.words += [replace(w, block=target.block, line=target.line) for w in own[0].words]
        lines.remove(own[0])
        del per_block[block]
    placed: list[tuple[Box, list[_Line]]] = []
    for own in per_block.values():
        box = _union([line.box for line in own])
        at = len(placed)
        for i, (other, _) in enumerate(placed):
            if other[1] >= box[3] and _horizontal_overlap(box, other) >= MIN_COLUMN_OVERLAP:
                at = i  # the first block placed so far that lies wholly below this one
                break
        placed.insert(at, (box, own))
    return [w for _, own in placed for line in own for w in line.words]
