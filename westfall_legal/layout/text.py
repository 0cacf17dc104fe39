"""Assemble the document text from positioned words, keeping every word's provenance.

Words are joined by spaces into lines, lines by newlines into blocks (paragraphs), blocks by
blank lines; pages follow one another with a blank line. A page in two columns reads down
the left column, then the right one (see :mod:`westfall_legal.layout.columns`). Running
headers, footers and page numbers stay in the text (a reviewer may want them) but their
lines are marked ``is_margin`` so that clause segmentation leaves them out, and so are
footnotes (see :func:`find_footnote_lines`), as a Word draft's are, and margin notes beside
the body, which read after the paragraph they stand beside (:mod:`layout.margins`). Clause
numbers that the PDF draws apart from their text open the line beside them
(:mod:`layout.markers`). Tables likewise: their cells stay in the text, their lines are
marked ``in_table`` (see :mod:`westfall_legal.layout.tables`, and :mod:`layout.grids` for
tables set without rules).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

from westfall_legal.layout.columns import RIGHT, column_sides, reading_order
from westfall_legal.layout.grids import grid_lines
from westfall_legal.layout.margins import place_margin_notes, usual_edges
from westfall_legal.layout.markers import join_markers
from westfall_legal.layout.rawlines import RawLine
from westfall_legal.layout.tables import join_continued, page_tables
from westfall_legal.models import Document, DocumentText, Line, Page, Table, Token

MARGIN_ZONE = 0.1  # top and bottom fraction of the page where running heads live
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    # possessive spaces: two optional runs of spaces side by side split a long run every way
    r"^(?:page\s*+)?[-–—(\[]?\s*+(?:\d{1,4}|[ivxlc]{1,7})\s*+[-–—)\]]?(?:\s*+of\s*+\d{1,4})?$",
    re.IGNORECASE,
)


def _group_lines(doc: Document) -> list[RawLine]:
    pages = [(_in_columns(_page_lines(page), page.width), page.width) for page in doc.pages]
    usual = usual_edges(pages)
    lines: list[RawLine] = []
    for page_lines, width in pages:
        lines += join_markers(place_margin_notes(page_lines, width, usual))
    return lines


def _page_lines(page: Page) -> list[RawLine]:
    """A page's lines as the PDF (or OCR) gives them: the words of each block and line."""
    current: dict[tuple[int, int], RawLine] = {}
    page_lines: list[RawLine] = []
    for word in page.words:
        key = (word.block, word.line)
        line = current.get(key)
        if line is None:
            line = RawLine(page.number, word.block, [], word.box[1], word.box[3], page.height)
            current[key] = line
            page_lines.append(line)
        line.words.append(word)
        line.top = min(line.top, word.box[1])
        line.bottom = max(line.bottom, word.box[3])
    return page_lines


def _in_columns(lines: list[RawLine], width: float) -> list[RawLine]:
    """A page's lines in reading order: a page in two columns left column first."""
    sides = column_sides([ln.box() for ln in lines], width)
    if sides is None:
        return lines
    for line, side in zip(lines, sides, strict=True):
        if side == RIGHT:
            line.block = -1 - line.block  # its own block, apart from a left line's
    return [lines[i] for i in reading_order(sides)]


def _margin_key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def find_margin_lines(lines: list[RawLine], page_count: int) -> set[int]:
    """Indexes of lines that are running headers/footers or bare page numbers."""
    in_zone = [
        i
        for i, ln in enumerate(lines)
        if ln.bottom <= ln.page_height * MARGIN_ZONE or ln.top >= ln.page_height * (1 - MARGIN_ZONE)
    ]
    pages_per_key: dict[str, set[int]] = {}
    for i in in_zone:
        pages_per_key.setdefault(_margin_key(lines[i].text), set()).add(lines[i].page)
    repeated = Counter({k: len(v) for k, v in pages_per_key.items()})
    min_pages = max(2, (page_count + 1) // 2) if page_count > 1 else 10**9
    margin = set()
    for i in in_zone:
        text = lines[i].text.strip()
        if repeated[_margin_key(text)] >= min_pages or _PAGE_NUMBER.match(text):
            margin.add(i)
    return margin


FOOTNOTE_SIZE = 0.85  # a footnote's line height, at most this share of the page's body lines
FOOTNOTE_ZONE = 0.6  # footnotes start below this share of the page's height
_FOOTNOTE_MARK = re.compile(r"^(?:\d{1,3}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹]+)(?:\s|[.)]\s|(?=[A-Z]))")


def find_footnote_lines(lines: list[RawLine], margin: set[int]) -> set[int]:
    """Indexes of the lines of footnotes: the last lines of a page, all in a smaller type
    than the page's running text (``FOOTNOTE_SIZE``), starting below ``FOOTNOTE_ZONE`` with a
    note's mark ("1", "*", "†"). Like a Word draft's footnotes they stay in the text, out of
    clauses and headings (a note "2 See Section 4.1" is not Section 2)."""
    by_page: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if i not in margin:
            by_page.setdefault(line.page, []).append(i)
    notes: set[int] = set()
    for indexes in by_page.values():
        heights = [lines[i].bottom - lines[i].top for i in indexes if len(lines[i].words) >= 4]
        if len(heights) < 5:
            continue
        small = FOOTNOTE_SIZE * statistics.median(heights)
        run: list[int] = []
        for i in reversed(indexes):  # the page's last lines, upwards
            line = lines[i]
            if line.bottom - line.top > small:
                break
            run.append(i)
        while run:  # the run starts at a note's mark in the footnote zone
            first = lines[run[-1]]
            if first.top >= first.page_height * FOOTNOTE_ZONE and _FOOTNOTE_MARK.match(first.text):
                break
            run.pop()
        if run and len(run) < len(indexes):
            notes.update(run)
    return notes


def _in_table(line: RawLine, tables: list[Table]) -> bool:
    x0, y0, x1, y1 = line.box()
    x, y = (x0 + x1) / 2, (y0 + y1) / 2
    return any(
        t.box[0] - 2 <= x <= t.box[2] + 2 and t.box[1] - 2 <= y <= t.box[3] + 2 for t in tables
    )


def _grid_lines(lines: list[RawLine]) -> set[int]:
    """Indexes of the lines that are cells of unruled tables (:mod:`layout.grids`)."""
    by_page: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if not line.note:
            by_page.setdefault(line.page, []).append(i)
    found: set[int] = set()
    for indexes in by_page.values():
        cells = grid_lines([lines[i].box() for i in indexes], [lines[i].text for i in indexes])
        found.update(indexes[k] for k in cells)
    return found


def build_text(doc: Document) -> DocumentText:
    """The document text with a token per word and a Line per line."""
    raw_lines = _group_lines(doc)
    margin = find_margin_lines(raw_lines, len(doc.pages))
    margin |= find_footnote_lines(raw_lines, margin)
    grid = _grid_lines(raw_lines)
    tables = [t for page in doc.pages for t in page_tables(page)]
    by_page: dict[int, list[Table]] = {}
    for t in tables:
        by_page.setdefault(t.page, []).append(t)
    parts: list[str] = []
    tokens: list[Token] = []
    lines: list[Line] = []
    pos = 0
    block_id = -1
    prev: RawLine | None = None
    for index, raw in enumerate(raw_lines):
        if prev is not None:
            new_block = raw.page != prev.page or raw.block != prev.block
            sep = "\n\n" if new_block else "\n"
            parts.append(sep)
            pos += len(sep)
        if prev is None or raw.page != prev.page or raw.block != prev.block:
            block_id += 1
        start = pos
        for j, word in enumerate(raw.words):
            if j:
                parts.append(" ")
                pos += 1
            parts.append(word.text)
            tokens.append(Token(pos, pos + len(word.text), raw.page, word.box, word.conf))
            pos += len(word.text)
        in_table = index in grid or (raw.page in by_page and _in_table(raw, by_page[raw.page]))
        lines.append(
            Line(start, pos, raw.page, raw.box(), block_id, index in margin or raw.note, in_table)
        )
        prev = raw
    ink = {page.number: page.ink for page in doc.pages if page.ink is not None}
    joined = join_continued(tables, lines)
    return DocumentText("".join(parts), tuple(tokens), tuple(lines), tuple(joined), ink)


def plain_text(text: str) -> DocumentText:
    """A DocumentText for text with no pages (a .txt file): lines, blocks at blank lines."""
    lines: list[Line] = []
    block = 0
    pos = 0
    blank_run = False
    for raw in text.split("\n"):
        end = pos + len(raw)
        if raw.strip():
            if blank_run and lines:
                block += 1
            lines.append(Line(pos, end, 0, (0.0, 0.0, 0.0, 0.0), block))
            blank_run = False
        else:
            blank_run = True
        pos = end + 1
    return DocumentText(text, (), tuple(lines), source="plain")
