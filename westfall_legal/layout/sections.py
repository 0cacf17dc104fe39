"""Headings and the numbering hierarchy: ARTICLE I, Section 5, 5., 5.2, (a), (i), Schedules.

Each line that opens with a clause number (or is a short heading line) starts a section.
Levels come from the kind of number: ``ARTICLE``/``Schedule`` first, then dotted numbers by
their depth, then the parenthesised kinds in the order the document first nests them.
Numbering that restarts or skips is tolerated: it only changes where parents are found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from westfall_legal.models import DocumentText, Section

_ROMAN = r"[IVXLC]+"
_ARTICLE = re.compile(rf"^(?:ARTICLE|Article)\s+({_ROMAN}|\d+)\b[.:\s-]*(.*)$")
_SECTION_WORD = re.compile(r"^(?:SECTION|Section)\s+(\d+(?:\.\d+)*)\b[.:\s-]*(.*)$")
_ANNEX = re.compile(
    r"^(SCHEDULE|Schedule|EXHIBIT|Exhibit|ANNEX|Annex|APPENDIX|Appendix)\s+([A-Z0-9]{1,4}(?:[.-]\d+)?)\b[.:\s-]*(.*)$"
)
_DOTTED = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,4})([.,]?)\s+(\S.*)$")
_PAREN = re.compile(r"^\(([a-z]{1,2}|[A-Z]{1,2}|\d{1,2}|[ivx]{1,6})\)\s+(\S.*)$")
_ROMAN_LOWER = re.compile(r"^[ivx]+$")

MAX_TITLE = 120


@dataclass(frozen=True, slots=True)
class Heading:
    """A numbered or titled line that starts a section."""

    kind: str  # "article", "annex", "dotted1".."dotted5", "paren-a", "paren-i", ...
    number: str | None
    title: str | None
    char_start: int
    page: int


def _title_from(rest: str) -> str | None:
    """The heading after a number: a short title-like phrase ("Term." or "TERMINATION")."""
    rest = rest.strip()
    if not rest:
        return None
    head = re.split(r"(?<=[A-Za-z\)])\.(?:\s|$)|:\s", rest, maxsplit=1)[0].strip()
    words = head.split()
    if not words or len(head) > MAX_TITLE or len(words) > 10:
        return None
    small = {"of", "and", "or", "to", "the", "for", "in", "on", "by", "a", "an", "with", "upon"}
    titled = all(w[0].isupper() or not w[0].isalpha() or w.lower() in small for w in words)
    return head.rstrip(".") if titled else None


def _heading_rest(rest: str) -> bool:
    """After ``ARTICLE 4`` or ``Schedule 2``: nothing, a title, or capitals, not a sentence."""
    rest = rest.strip()
    return not rest or _title_from(rest) is not None or _is_caps_heading(rest)


def _paren_kind(label: str, previous_kind: str | None) -> str:
    if _ROMAN_LOWER.match(label) and (label != "i" or previous_kind != "paren-a-h"):
        return "paren-i"
    if label.isdigit():
        return "paren-1"
    if label.isupper():
        return "paren-A"
    return "paren-a"


def classify_line(text: str, previous_kind: str | None = None) -> tuple[str, str, str] | None:
    """(kind, number, rest-of-line) when ``text`` opens with a clause number."""
    text = text.strip()
    if m := _ARTICLE.match(text):
        return ("article", m.group(1), m.group(2)) if _heading_rest(m.group(2)) else None
    if m := _ANNEX.match(text):
        if not _heading_rest(m.group(3)):
            return None  # "Schedule 2 unless ..." is a sentence that starts a line
        return "annex", f"{m.group(1).title()} {m.group(2)}", m.group(3)
    if m := _SECTION_WORD.match(text):
        number = m.group(1)
        return f"dotted{number.count('.') + 1}", number, m.group(2)
    if m := _DOTTED.match(text):
        number, rest = m.group(1), m.group(3)
        if "." not in number and m.group(2) != ".":
            return None  # "5 days" and "5, 6" are not headings; "5." is, and OCR's "7.3," too
        if int(number.split(".")[0]) > 200:
            return None
        return f"dotted{number.count('.') + 1}", number, rest
    if m := _PAREN.match(text):
        label = m.group(1)
        return _paren_kind(label, previous_kind), f"({label})", m.group(2)
    return None


def _is_caps_heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return (
        len(letters) >= 3
        and len(text) <= 80
        and all(c.isupper() for c in letters)
        and not text.rstrip().endswith((",", ";"))
    )


def find_headings(doc_text: DocumentText) -> list[Heading]:
    headings: list[Heading] = []
    previous_kind: str | None = None
    prev_block = -1
    for line in doc_text.lines:
        if line.is_margin:
            continue
        starts_block = line.block != prev_block
        prev_block = line.block
        if not starts_block:
            continue
        text = doc_text.text[line.char_start : line.char_end]
        found = classify_line(text, previous_kind)
        if found:
            kind, number, rest = found
            if kind == "paren-a" and number == "(h)":
                kind = "paren-a-h"  # so that a following (i) reads as a letter
            headings.append(Heading(kind, number, _title_from(rest), line.char_start, line.page))
            previous_kind = kind
        elif _is_caps_heading(text):
            headings.append(Heading("caps", None, text.strip(), line.char_start, line.page))
    return headings


def _kind_levels(headings: list[Heading]) -> dict[str, int]:
    """Level per numbering kind: the kinds present, in canonical then first-seen order."""
    canonical = ["article", "dotted1", "dotted2", "dotted3", "dotted4", "dotted5"]
    present = {h.kind.replace("paren-a-h", "paren-a") for h in headings}
    ranked = [k for k in canonical if k in present]
    for h in headings:
        kind = h.kind.replace("paren-a-h", "paren-a")
        if kind.startswith("paren") and kind not in ranked:
            ranked.append(kind)
    levels = {kind: i + 1 for i, kind in enumerate(ranked)}
    levels["annex"] = 1
    levels["paren-a-h"] = levels.get("paren-a", 1)
    return levels


def build_sections(doc_text: DocumentText) -> list[Section]:
    """A flat list of sections in document order with levels and parents."""
    headings = find_headings(doc_text)
    levels = _kind_levels(headings)
    placed: list[tuple[Heading, int, str | None]] = []  # heading, level, parent id
    stack: list[tuple[int, str]] = []  # (level, id) of the open ancestors
    for index, h in enumerate(headings):
        level = (stack[-1][0] + 1 if stack else 1) if h.kind == "caps" else levels[h.kind]
        while stack and stack[-1][0] >= level:
            stack.pop()
        placed.append((h, level, stack[-1][1] if stack else None))
        stack.append((level, f"s{index + 1}"))
    sections: list[Section] = []
    for index, (h, level, parent) in enumerate(placed):
        # A section runs to the next heading at its own level or above.
        end = next(
            (later.char_start for later, lv, _ in placed[index + 1 :] if lv <= level),
            len(doc_text.text),
        )
        sections.append(
            Section(f"s{index + 1}", h.number, h.title, level, parent, h.char_start, end, h.page)
        )
    return sections
