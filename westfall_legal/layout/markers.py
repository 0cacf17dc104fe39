"""Clause numbers and bullets that a PDF draws apart from their text.

Some PDFs draw a page's paragraphs first and its clause numbers after them, in a column of
their own: "1.", "6.1", "·" come after the page's last paragraph, so the number is found but
its text is elsewhere in the reading order. A line that is only a number or a bullet (a
marker) is joined to the line that stands on its row just right of it (at most ``MAX_GAP``
points away): the marker opens that line, and a paragraph starts there (the rest of the
line's block goes on in a block of its own). A number with no line beside it (a number over
its title, a table's lone cell), or beside a line that opens with a number of its own, stays
where it is. Words keep their boxes, so provenance is
unchanged; only the order of the text is.
"""

from __future__ import annotations

import re

from westfall_legal.layout.rawlines import RawLine, same_row

MAX_GAP = 36.0  # points between a marker's right edge and its text (half an inch)
OVERLAP = 1.0  # points a line may start left of the marker's right edge (kerning)
SPLIT_BLOCK = 1_000_000  # block ids from here on: a paragraph that a joined marker opens
_MARKER = re.compile(
    r"^(?:\d{1,3}(?:\.\d{1,3}){0,4}\.?|\(?(?:[a-zA-Z]|[ivxlc]{1,6}|\d{1,2})\)"
    r"|(?:[a-zA-Z]|[ivxlc]{1,6})\.|[·•‐‑–—\-▪■●◦*o])$"
)


def is_marker(text: str) -> bool:
    """Whether ``text`` is a clause number or a bullet and nothing else."""
    return bool(_MARKER.match(text.strip()))


def _mate(lines: list[RawLine], i: int, markers: set[int]) -> int | None:
    """The line on marker ``i``'s row that starts closest right of it, within MAX_GAP."""
    right = lines[i].box()[2]
    best: tuple[float, int] | None = None
    for j, line in enumerate(lines):
        if j in markers or line.note or not same_row(lines[i], line):
            continue
        if is_marker(line.words[0].text):
            continue  # a line that opens with its own number ("11.2.2." beside "10.2.2. EIT")
        gap = line.box()[0] - right
        if -OVERLAP <= gap <= MAX_GAP and (best is None or gap < best[0]):
            best = (gap, j)
    return best[1] if best else None


def join_markers(lines: list[RawLine]) -> list[RawLine]:
    """One page's lines (in reading order) with each marker joined to the line beside it."""
    markers = {i for i, ln in enumerate(lines) if not ln.note and is_marker(ln.text)}
    if not markers:
        return lines
    joined: dict[int, list[int]] = {}  # a line -> the markers that open it
    for i in sorted(markers):
        if (j := _mate(lines, i, markers)) is not None:
            joined.setdefault(j, []).append(i)
    if not joined:
        return lines
    taken = {i for group in joined.values() for i in group}
    out: list[RawLine] = []
    moved: dict[int, int] = {}  # a PDF block -> the block its next lines go on in
    seen: set[int] = set()
    for j, line in enumerate(lines):
        if j in taken:
            continue
        block = line.block
        if j in joined:
            group = sorted(joined[j], key=lambda i: lines[i].box()[0])
            line.words = [w for i in group for w in lines[i].words] + line.words
            line.top = min(line.top, *(lines[i].top for i in group))
            line.bottom = max(line.bottom, *(lines[i].bottom for i in group))
            if block in seen:  # mid-block: a paragraph starts at the number
                moved[block] = SPLIT_BLOCK + j
        line.block = moved.get(block, block)
        seen.add(block)
        out.append(line)
    return out
