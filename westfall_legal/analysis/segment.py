"""Clause segmentation: running text -> candidate clauses with exact character spans.

Recall first: every clause a lawyer would mark must fall inside some candidate. A candidate
is a paragraph (a layout block, or a numbered line inside one), a short heading merged into
the paragraph it heads, and paragraphs longer than ``MAX_WORDS`` cut at sentence ends.
Margin lines (running heads, page numbers) and the lines of tables never enter a candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from westfall_legal.layout.sections import classify_line
from westfall_legal.layout.spans import SectionIndex
from westfall_legal.models import DocumentText, Section, Segment

MAX_WORDS = 120
HEADING_WORDS = 10
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+(?=[\"“(A-Z0-9])")
_WORD = re.compile(r"\S+")


@dataclass(slots=True)
class _Para:
    start: int
    end: int


def _paragraphs(doc_text: DocumentText) -> list[_Para]:
    paras: list[_Para] = []
    prev_block = None
    text = doc_text.text
    for line in doc_text.lines:
        if line.is_margin or line.in_table or line.char_end <= line.char_start:
            continue
        numbered = classify_line(text[line.char_start : line.char_end]) is not None
        if paras and line.block == prev_block and not numbered:
            paras[-1].end = line.char_end
        else:
            paras.append(_Para(line.char_start, line.char_end))
        prev_block = line.block
    return paras


def _is_heading(text: str) -> bool:
    words = text.split()
    has_letters = any(ch.isalpha() for ch in text)
    return (
        has_letters
        and 0 < len(words) <= HEADING_WORDS
        and not text.rstrip().endswith((".", ";", ","))
    )


def _merge_headings(paras: list[_Para], text: str) -> list[_Para]:
    merged: list[_Para] = []
    pending: _Para | None = None
    for para in paras:
        if pending is not None:
            if text[pending.end : para.start].strip():  # margin lines lie between: keep apart
                merged.append(pending)
            else:
                para = _Para(pending.start, para.end)
            pending = None
        if _is_heading(text[para.start : para.end]):
            pending = para
            continue
        merged.append(para)
    if pending is not None:
        merged.append(pending)
    return merged


def _split_long(start: int, end: int, text: str) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into pieces of at most MAX_WORDS words at sentence ends."""
    chunk = text[start:end]
    if len(_WORD.findall(chunk)) <= MAX_WORDS:
        return [(start, end)]
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(chunk)] + [len(chunk)]
    sentences = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    pieces: list[tuple[int, int]] = []
    cur_start, cur_words = None, 0
    for s, e in sentences:
        n = len(_WORD.findall(chunk[s:e]))
        if n > MAX_WORDS:  # one overlong sentence: cut at word boundaries
            if cur_start is not None:
                pieces.append((cur_start, s))
                cur_start, cur_words = None, 0
            words = list(_WORD.finditer(chunk[s:e]))
            for i in range(0, len(words), MAX_WORDS):
                group = words[i : i + MAX_WORDS]
                pieces.append((s + group[0].start(), s + group[-1].end()))
            continue
        if cur_start is not None and cur_words + n > MAX_WORDS:
            pieces.append((cur_start, s))
            cur_start, cur_words = None, 0
        if cur_start is None:
            cur_start = s
        cur_words += n
    if cur_start is not None:
        pieces.append((cur_start, len(chunk)))
    out = []
    for s, e in pieces:
        piece = chunk[s:e]
        s += len(piece) - len(piece.lstrip())
        e -= len(piece) - len(piece.rstrip())
        if e > s:
            out.append((start + s, start + e))
    return out


def heading_path(index: SectionIndex, section: Section | None) -> str:
    """The titles of a section and its ancestors, outermost first ("Term / Renewal")."""
    return " / ".join(s.title for s in reversed(index.ancestors(section)) if s.title)


def segment(doc_text: DocumentText, sections: list[Section]) -> list[Segment]:
    """Candidate clauses in document order."""
    text = doc_text.text
    index = SectionIndex(sections)
    segments: list[Segment] = []
    for para in _merge_headings(_paragraphs(doc_text), text):
        for start, end in _split_long(para.start, para.end, text):
            section = index.at(start)
            segments.append(
                Segment(
                    id=f"c{len(segments) + 1}",
                    char_start=start,
                    char_end=end,
                    section=section.id if section else None,
                    heading=heading_path(index, section),
                )
            )
    return segments
