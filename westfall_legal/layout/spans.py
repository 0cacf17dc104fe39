"""Spans of the document text that structure detection shares: paragraphs, sentences and the
section that encloses a position.

A paragraph is a run of lines of one block; it carries on into the next block (a page break
or a line the PDF put in a block of its own) while it has not ended a sentence and the next
line starts in lower case. Running headers and footers are stepped over, never included.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from westfall_legal.models import DocumentText, Line, Section

_ABBREVIATIONS = {
    "inc", "co", "corp", "ltd", "no", "nos", "mr", "ms", "mrs", "dr", "st", "jr", "sr",
    "e.g", "i.e", "etc", "u.s", "n.a", "l.p", "l.l.c", "vs", "v", "art", "sec", "para",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s|$)")
_CLOSED = (".", ";", ":", "!", "?")


def body_lines(doc_text: DocumentText) -> list[Line]:
    return [ln for ln in doc_text.lines if not ln.is_margin]


def line_text(doc_text: DocumentText, line: Line) -> str:
    return doc_text.text[line.char_start : line.char_end]


class TextSpans:
    """Paragraph and sentence lookups over one document text (its body lines indexed once)."""

    def __init__(self, doc_text: DocumentText) -> None:
        self.doc_text = doc_text
        self.lines = body_lines(doc_text)
        self._starts = [ln.char_start for ln in self.lines]

    def paragraph(self, pos: int) -> tuple[int, int]:
        """The paragraph around ``pos``, as ``(char_start, char_end)``."""
        lines, dt = self.lines, self.doc_text
        if not lines:
            return 0, len(dt.text)
        first = last = max(bisect.bisect_right(self._starts, pos) - 1, 0)
        while first > 0 and (
            lines[first - 1].block == lines[first].block
            or _continues(dt, lines[first - 1], lines[first])
        ):
            first -= 1
        while last + 1 < len(lines) and (
            lines[last + 1].block == lines[last].block
            or _continues(dt, lines[last], lines[last + 1])
        ):
            last += 1
        return lines[first].char_start, lines[last].char_end

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence around ``pos``, never reaching outside its paragraph."""
        para_start, para_end = self.paragraph(pos)
        text = self.doc_text.text[para_start:para_end]
        offset = pos - para_start
        start, end = 0, len(text)
        for m in _SENTENCE_END.finditer(text):
            if not _is_sentence_end(text, m):
                continue
            if m.end() <= offset:
                start = m.end()
            else:
                end = m.end()
                break
        while start < end and text[start].isspace():
            start += 1
        return para_start + start, para_start + end


def _continues(doc_text: DocumentText, prev: Line, nxt: Line) -> bool:
    """Whether a paragraph broken across blocks (or pages) goes on from ``prev`` to ``nxt``."""
    before = line_text(doc_text, prev).rstrip()
    after = line_text(doc_text, nxt).lstrip()
    if not before or before.endswith(_CLOSED):
        return False
    return after[:1].islower() or before[-1] == "," or before.split()[-1].islower()


def _is_sentence_end(text: str, match: re.Match[str]) -> bool:
    if text[match.start()] != ".":
        return True
    word = re.search(r"([\w.]+)$", text[max(0, match.start() - 40) : match.start()])
    if word is None:
        return True
    token = word.group(1)
    if len(token) == 1 and token.isupper():
        return False  # an initial: "Margaret A. Lindqvist"
    return token.lower().rstrip(".") not in _ABBREVIATIONS


class SectionIndex:
    """Which section encloses a position, and the tree's parent/child links."""

    def __init__(self, sections: Sequence[Section]) -> None:
        self.sections = list(sections)
        self.by_id = {s.id: s for s in self.sections}
        self._starts = [s.char_start for s in self.sections]
        self.children: dict[str | None, list[Section]] = {}
        for s in self.sections:
            self.children.setdefault(s.parent, []).append(s)

    def at(self, pos: int) -> Section | None:
        """The deepest section whose span holds ``pos``."""
        i = bisect.bisect_right(self._starts, pos) - 1
        while i >= 0:
            s = self.sections[i]
            if s.char_end > pos:
                return s
            i -= 1
        return None

    def section_id(self, pos: int) -> str | None:
        found = self.at(pos)
        return found.id if found else None

    def ancestors(self, section: Section | None) -> list[Section]:
        """``section`` and its ancestors, innermost first."""
        chain: list[Section] = []
        while section is not None:
            chain.append(section)
            section = self.by_id.get(section.parent) if section.parent else None
        return chain

    def descendants(self, section: Section) -> list[Section]:
        found: list[Section] = []
        todo = list(self.children.get(section.id, []))
        while todo:
            s = todo.pop(0)
            found.append(s)
            todo.extend(self.children.get(s.id, []))
        return found
