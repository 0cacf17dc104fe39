"""Margin notes: text in a page's side margin, beside its body.

A marginal note or heading, an "Initials: ____" box, a pleading paper's line numbers stand
outside the body's column. The PDF may draw them anywhere: between two lines of the
paragraph they stand beside, so they would read mid-sentence. They stay in the text, marked
(``Line.is_margin``, as running heads and footnotes are, so clauses, headings and references
leave them out), and read after the paragraph they stand beside: its lines down to one that
ends a sentence where the PDF's block ends or a line's height of white follows.

The body's column runs between the left and right edges of the full lines (half the page
wide or more; at least ``MIN_BODY`` of them), the page's or the document's, whichever is
wider (a page whose full lines are a definitions table's right column keeps its terms). A
margin note is a line narrower than ``NOTE_WIDTH`` of the page, wholly left of the body's
left edge or right of its right edge (by ``GAP`` points) and of every other line of the
page's text, within a line's height of a full line, outside the running heads' zones at the
top and bottom, that is not a clause number or a bullet (a column of numbers beside their
text is the body's own: :mod:`layout.markers` joins them) and does not open with one ("2.1
Term" in a left column is a heading). A pleading paper's line numbers (``MIN_LINE_NUMBERS``
or more bare numbers counting up by one down the margin, evenly spaced) are margin notes
too, read after the page's body.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence

from westfall_legal.layout.markers import is_marker
from westfall_legal.layout.rawlines import RawLine
from westfall_legal.models import Box

NOTE_WIDTH = 0.25  # a margin note is at most this share of the page's width
FULL_LINE = 0.5  # a body line this share of the page's width or more gives the column's edges
MIN_BODY = 3  # full lines on the page, at the least, for a body column to be known
GAP = 4.0  # points between a note and the body's column
ZONE = 0.1  # top and bottom share of the page: running heads, not margin notes
MIN_LINE_NUMBERS = 10
EVEN_STEPS = 1.5  # line numbers stand evenly: no step over this many times the usual one
PARAGRAPH_GAP = 0.6  # white between two lines, of a line's height, that ends a paragraph
NOTE_BLOCK = 2_000_000  # block ids from here on: a margin note's own paragraph
_NUMBERED = re.compile(
    r"^(?:\(?\d{1,3}(?:\.\d{1,3}){0,4}[.)]?|\([a-zA-Z]{1,4}\)|ARTICLE|Article|SECTION|Section)"
    r"(?:\s|$)"
)
_LINE_NUMBER = re.compile(r"^\d{1,2}$")
_ENDS = (".", ":", ";", "!", "?")
Edges = tuple[float, float]


def _full(lines: Sequence[RawLine], width: float) -> list[Box]:
    return [b for b in (ln.box() for ln in lines) if b[2] - b[0] >= FULL_LINE * width]


def _edges(full: Sequence[Box]) -> Edges | None:
    if len(full) < MIN_BODY:
        return None
    lefts = sorted(b[0] for b in full)
    rights = sorted(b[2] for b in full)
    cut = len(full) // 10  # a line or two across the margin (a wide title) do not move them
    return lefts[cut], rights[-1 - cut]


def usual_edges(pages: Sequence[tuple[Sequence[RawLine], float]]) -> dict[int, Edges]:
    """The body's edges over the whole document, per page width (pages and their width): a
    page's own full lines may all be a table's right column, its terms in the margin."""
    full: dict[int, list[Box]] = {}
    for lines, width in pages:
        full.setdefault(round(width), []).extend(_full(lines, width))
    return {w: e for w, boxes in full.items() if (e := _edges(boxes)) is not None}


def _outside(line: RawLine, edges: Edges, width: float) -> bool:
    x0, _, x1, _ = line.box()
    height = line.page_height
    return (
        x1 - x0 <= NOTE_WIDTH * width
        and (x1 <= edges[0] - GAP or x0 >= edges[1] + GAP)
        and line.top >= ZONE * height
        and line.bottom <= (1 - ZONE) * height
    )


def _beyond_the_text(lines: list[RawLine], outside: list[bool], numbers: set[int]) -> list[bool]:
    """``outside`` where a line also stands clear of every other line of the page's text: a
    table's first column ("No." left of the body's edge) or a heading set out to the left
    ("8." over a paragraph) is the text's own, and the text reaches as far as they do."""
    boxes = [ln.box() for ln in lines]
    text = [
        b
        for i, (b, ln) in enumerate(zip(boxes, lines, strict=True))
        if i not in numbers
        and ln.top >= ZONE * ln.page_height
        and ln.bottom <= (1 - ZONE) * ln.page_height
        and (not outside[i] or is_marker(ln.text) or _NUMBERED.match(ln.text.strip()))
    ]
    if not text:
        return outside
    left, right = min(b[0] for b in text), max(b[2] for b in text)
    return [
        out and (boxes[i][2] <= left - GAP or boxes[i][0] >= right + GAP)
        for i, out in enumerate(outside)
    ]


def _line_numbers(lines: list[RawLine], outside: list[bool]) -> set[int]:
    """A pleading paper's line numbers: bare numbers down the margin counting up by one, a
    line apart each (clause numbers "2" to "6" down a left column stand a paragraph apart)."""
    found = sorted(
        (ln.top, i)
        for i, ln in enumerate(lines)
        if outside[i] and _LINE_NUMBER.match(ln.text.strip())
    )
    if len(found) < MIN_LINE_NUMBERS:
        return set()
    values = [int(lines[i].text) for _, i in found]
    counting = sum(b == a + 1 for a, b in itertools.pairwise(values))
    steps = [b[0] - a[0] for a, b in itertools.pairwise(found)]
    usual = statistics.median(steps)
    even = usual > 0 and max(steps) <= EVEN_STEPS * usual
    if not even or counting + 1 < MIN_LINE_NUMBERS:
        return set()
    column = statistics.median(lines[i].box()[0] for _, i in found)
    return {i for _, i in found} | {  # the first or last numbers, in the running heads' zone
        i
        for i, ln in enumerate(lines)
        if _LINE_NUMBER.match(ln.text.strip()) and abs(ln.box()[0] - column) <= GAP * 2
    }


def _notes(lines: list[RawLine], outside: list[bool], numbers: set[int]) -> list[list[int]]:
    """Margin notes other than line numbers: runs of margin lines of one PDF block."""
    notes: list[list[int]] = []
    for i, line in enumerate(lines):
        text = line.text.strip()
        if not outside[i] or i in numbers or is_marker(text) or _NUMBERED.match(text):
            continue
        last = notes[-1][-1] if notes else -2
        if last == i - 1 and lines[last].block == line.block:
            notes[-1].append(i)
        else:
            notes.append([i])
    return notes


def _by_full_lines(lines: list[RawLine], note: list[int], full: list[Box]) -> bool:
    """Whether a full line of the body stands within a line's height of one of the note's
    lines (a chart's labels down a page of short cells are not notes)."""
    for i in note:
        line = lines[i]
        if any(b[1] - line.bottom <= line.height and line.top - b[3] <= line.height for b in full):
            return True
    return False


def _beside(lines: list[RawLine], note: list[int], body: list[int]) -> int:
    """The body line that the note's first line stands beside (the nearest in height)."""
    first = lines[note[0]]
    middle = (first.top + first.bottom) / 2
    return min(body, key=lambda j: abs((lines[j].top + lines[j].bottom) / 2 - middle))


def _same_paragraph(line: RawLine, below: RawLine) -> bool:
    """Whether ``below`` goes on with ``line``'s paragraph: a sentence that has not ended
    (whatever the PDF's blocks), or its block, with less than ``PARAGRAPH_GAP`` of a line's
    height between them."""
    if not line.text.rstrip().rstrip('"”’)').endswith(_ENDS):
        return below.page == line.page
    gap = below.top - line.bottom
    return below.block == line.block and gap < PARAGRAPH_GAP * max(line.height, 1.0)


def place_margin_notes(
    lines: list[RawLine], width: float, usual: dict[int, Edges] | None = None
) -> list[RawLine]:
    """One page's lines (in reading order) with its margin notes marked (``note``) and read
    after the paragraph they stand beside; a pleading paper's line numbers after the page.
    ``usual``: the document's body edges per page width (:func:`usual_edges`)."""
    full = _full(lines, width)
    edges = _edges(full)
    if edges is None:
        return lines
    if (doc := (usual or {}).get(round(width))) is not None:
        edges = (min(edges[0], doc[0]), max(edges[1], doc[1]))
    outside = [_outside(ln, edges, width) for ln in lines]
    numbers = _line_numbers(lines, outside)
    outside = _beyond_the_text(lines, outside, numbers)
    notes = [n for n in _notes(lines, outside, numbers) if _by_full_lines(lines, n, full)]
    if not notes and not numbers:
        return lines
    in_note = numbers | {i for note in notes for i in note}
    body = [i for i in range(len(lines)) if i not in in_note]
    if not body:
        return lines
    after: dict[int, list[list[int]]] = {}  # a body line -> the notes read after it
    for note in notes:
        j = _beside(lines, note, body)
        k = body.index(j)
        while k + 1 < len(body) and _same_paragraph(lines[body[k]], lines[body[k + 1]]):
            k += 1  # the paragraph's last line
        after.setdefault(body[k], []).append(note)
    if numbers:
        after.setdefault(body[-1], []).append(sorted(numbers, key=lambda i: lines[i].top))
    out: list[RawLine] = []
    for j in body:
        out.append(lines[j])
        for note in after.get(j, []):
            for i in note:
                lines[i].note = True
                lines[i].block = NOTE_BLOCK + note[0]
                out.append(lines[i])
    return out
