"""Resolving cross-references: the section of the tree a reference's number names, and,
where the tree has none, the section whose text holds the list item or the line where a
numbered heading the tree missed opens.

Numbers are matched against the section tree: ``5.2(b)`` is the ``(b)`` under ``5.2``;
``Article IV`` is the section numbered IV or 4; ``Schedule 2`` is the annex ``Schedule 2``;
a bare ``paragraph (c)`` or ``clause (b)`` is looked for among the children of the section the
reference sits in, then of its ancestors. Sections, Articles and clauses are looked for
outside the schedules first; paragraphs inside the reference's own schedule first.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from westfall_legal.layout.spans import SectionIndex
from westfall_legal.layout.xref_numbers import number_key, split_number, style_of
from westfall_legal.models import ANNEX_KINDS, DocumentText, Line, Section

__all__ = ["Resolver"]

# A numbered heading at the start of a line: "6.04", "3.", "3.0 TERM", "CLAUSE 24 ...",
# "Section 8. Conditions", "ARTICLE IV". A bare "3" (a page number) is not one, nor a
# reference that a wrapped line starts with ("12.04 and 12.05", "8.02(b)(1)").
_HEADING = re.compile(
    r"[ \t]*(?:(?P<kw>(?i:section|article|clause|paragraph))[ \t]+)?"
    r"(?P<num>\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,7})(?P<dot>\.?)(?=[ \t]*(?:$|[A-Z“\"]))"
)  # then the end of the line or a title: never "(", "and", a lower-case word (running text)
# Any list item's label: "(b)", "(iv)", "(2)", or "b)" / "b." opening a line
_ANY_MARKER = re.compile(
    r"(?:\(|(?<=\n)|(?<=\n[ \t]))(?P<label>[a-zA-Z]{1,5}|\d{1,2})(?:\)|\.(?=\s))"
)
# A line that names an annex: "Exhibit B The Territory", "Appendix 2: Project Plan"
_ANNEX_LINE = re.compile(
    r"[ \t]*+(?P<kind>[Ee]xhibit|EXHIBIT|[Ss]chedule|SCHEDULE|[Aa]nnex|ANNEX|[Aa]ppendix|APPENDIX)"
    r"[ \t]++[A-Z0-9]"
)
# A heading's line continues the line before when that one ends in a word like these
# ("LICENSED TECHNOLOGY FOR THE BASIC SERVICES SPECIFIED IN" / "EXHIBIT A").
_LINKS = frozenset(
    {"in", "of", "to", "under", "and", "or", "per", "see", "with", "by", "on", "at", "the", "as"}
    | {"from", "for", "hereto", "herein"}
)
LIST_RUN = 3  # lines of one block naming annexes of one kind: a list of annexes
# "A3", "A-3": a part of the annex "A", where the document has no annex of that id
_ANNEX_PART = re.compile(r"([A-Z])-?\d{1,2}")
_MARKER = r"(?:\(|(?<=\n)|(?<=\n[ \t])){}(?:\)|\.(?=\s))"  # "(v)", "v)" or "v." opening a line


class Resolver:
    def __init__(self, sections: Sequence[Section], doc_text: DocumentText | None = None) -> None:
        self.index = SectionIndex(sections)
        self.text = doc_text.text if doc_text else ""
        self._by_number: dict[int | str, list[Section]] = {}  # numbered, not "(a)"
        for s in self.index.sections:
            if s.number and not s.number.startswith("("):
                self._by_number.setdefault(number_key(s.number), []).append(s)
        # annex headings that are not the annex: a list's entries, a label ending a sentence
        self.not_annex = _not_annexes(self.index.sections, doc_text)
        self._headings: dict[int | str, int] = {}  # numbered headings in the text, first seen
        for line in doc_text.lines if doc_text else ():
            if line.is_margin:
                continue
            m = _HEADING.match(self.text, line.char_start, line.char_end)
            if m and (m.group("kw") or m.group("dot") or "." in m.group("num")):
                if m.group("num").isalpha() and not m.group("kw"):
                    continue  # "I." or "CC." alone: a list item or initials, not a heading
                self._headings.setdefault(number_key(m.group("num")), m.start("num"))

    def heading(self, kind: str, number: str, ref_start: int) -> int | None:
        """Where a numbered heading the tree missed opens a line (not the reference itself)."""
        if kind in ANNEX_KINDS:
            return None
        base = split_number(number)[0]
        at = self._headings.get(number_key(base)) if base else None
        return at if at is not None and not ref_start <= at < ref_start + len(number) + 12 else None

    def in_text(self, parens: list[str], section: Section, ref: tuple[int, int]) -> bool:
        """Whether ``section``'s own text has the list items ``parens``, in order."""
        pos, end = section.char_start, section.char_end
        for label in parens:
            pattern = _MARKER.format(re.escape(label.strip("()")))
            found = next(
                (
                    m
                    for m in re.finditer(pattern, self.text[pos:end])
                    if not _inside(pos + m.start(), ref)
                ),
                None,
            )
            if found is None:
                return False
            pos += found.end()
        return True

    def has_items(self, label: str, section: Section, ref: tuple[int, int]) -> bool:
        """Whether ``section``'s own text shows any list item in the style of ``label``
        ("(b)" looks for letters). Where it shows none (numbering the PDF lost, its items read
        elsewhere), an item cannot be checked and the reference is taken to mean the section."""
        style = style_of(label)
        for m in _ANY_MARKER.finditer(self.text, section.char_start, section.char_end):
            found = style_of(m.group("label"))
            # "(i)" is a letter or a numeral: it shows a list of letters only to an "(i)"
            if (
                found & style
                and (len(found) == 1 or len(style) > 1)
                and not _inside(m.start(), ref)
            ):
                return True
        return False

    def annex_of(self, section: Section | None) -> str | None:
        chain = self.index.ancestors(section)
        top = chain[-1] if chain else None
        if top is not None and top.number and top.number.split()[0].lower() in ANNEX_KINDS:
            return top.id
        return None

    def resolve(self, kind: str, number: str, at: Section | None) -> str | None:
        if kind not in ANNEX_KINDS and (whole := self._base(kind, number, at)):
            return whole.id  # "Section 2A" where the document has a section 2A
        if kind in ANNEX_KINDS:
            label = f"{kind} {number}".casefold()
            hits = [
                s
                for s in self.index.sections
                if (s.number or "").casefold() == label and s.id not in self.not_annex
            ]
            if not hits and (part := _ANNEX_PART.fullmatch(number)):
                return self.resolve(kind, part.group(1), at)  # "Schedule A3": part 3 of A
            return _meant_annex(hits).id if hits else None
        base, parens = split_number(number)
        start = self._base(kind, base, at) if base else None
        if base and start is None:
            return None
        found = self._descend(start, parens) if start else self._relative(parens, at)
        if found is None and start and re.search(r"\d\.?[a-zA-Z]$", number.split("(")[0]):
            return start.id  # "5.2.2.a": item a of 5.2.2, which the tree did not split out
        return found.id if found else None

    def resolve_in_text(
        self, kind: str, number: str, at: Section | None, ref: tuple[int, int]
    ) -> str | None:
        """The section whose text holds the list item the tree did not split out."""
        base, parens = split_number(number)
        if kind in ANNEX_KINDS or not parens:
            return None
        if base:
            start = self._base(kind, base, at)
            if start is None:
                return None
            node, rest = start, parens  # the deepest part the tree has, then the text
            while rest:
                below = next((s for s in self.index.descendants(node) if s.number == rest[0]), None)
                if below is None:
                    break
                node, rest = below, rest[1:]
            if self.in_text(rest, node, ref) or not self.has_items(rest[0], node, ref):
                return node.id  # its item is in its text, or its text shows no item of that kind
            return None
        for holder in self.index.ancestors(at):  # "clauses (a) through (d)" above, or below
            if self.in_text(parens[:1], holder, ref):
                return holder.id
        return None

    def _base(self, kind: str, base: str, at: Section | None) -> Section | None:
        candidates = self._by_number.get(number_key(base), [])
        if not candidates:
            return None
        home = self.annex_of(at)
        if kind == "paragraph":
            preferred = [s for s in candidates if self.annex_of(s) == home]
        else:
            preferred = [s for s in candidates if self.annex_of(s) is None]
        return _meant(preferred or candidates)

    def part(self, number: str, annex: tuple[str, str] | None) -> str | None:
        """``Part B`` (of ``Schedule 1``): the Part under the annex, else the annex itself."""
        label = f"part {number}".casefold()
        if annex is None:
            hits = [s for s in self.index.sections if (s.number or "").casefold() == label]
            return _meant(hits).id if hits else None
        holder = self.resolve(*annex, None)
        if holder is None:
            return None
        below = self.index.descendants(self.index.by_id[holder])
        return next((s.id for s in below if (s.number or "").casefold() == label), holder)

    def _descend(self, start: Section, parens: list[str]) -> Section | None:
        node: Section | None = start
        for label in parens:
            if node is None:
                return None
            below = self.index.descendants(node)  # children first, then deeper
            node = next((s for s in below if s.number == label), None)
        return node

    def _relative(self, parens: list[str], at: Section | None) -> Section | None:
        """``paragraph (c)``: a child of the reference's section, or of an ancestor of it."""
        for ancestor in self.index.ancestors(at):
            first = next(
                (s for s in self.index.children.get(ancestor.id, []) if s.number == parens[0]),
                None,
            )
            if first is not None:
                return self._descend(first, parens[1:])
            if ancestor.number == parens[0]:
                return self._descend(ancestor, parens[1:])
        return None


SHORT_SPAN = 200  # a section this short beside a longer one of its number: a contents line


def _meant(candidates: Sequence[Section]) -> Section:
    """Of sections with one number, the one a reference means: the first, unless it is a
    line of a table of contents (short) and another has text."""
    with_text = [s for s in candidates if s.char_end - s.char_start >= SHORT_SPAN]
    titled = [s for s in with_text if s.title]
    return (titled or with_text or candidates)[0]


def _meant_annex(candidates: Sequence[Section]) -> Section:
    """Of several headings "Exhibit A", the exhibit itself: annexes follow the lists that name
    them ("Appendix 2: Project Plan" in a list of appendices), so the last with text, else the
    last."""
    return next(
        (s for s in reversed(candidates) if s.char_end - s.char_start >= SHORT_SPAN),
        candidates[-1],
    )


def _inside(pos: int, span: tuple[int, int]) -> bool:
    return span[0] <= pos < span[1]


def _block(lines: Sequence[Line], text: str, i: int, reach: int = 12) -> range:
    """The lines of line ``i``'s block: its neighbours on its page with no blank line between."""

    def joined(a: Line, b: Line) -> bool:
        return a.page == b.page and "\n\n" not in text[a.char_end : b.char_start]

    lo = i
    while lo > max(0, i - reach) and joined(lines[lo - 1], lines[lo]):
        lo -= 1
    hi = i
    while hi < min(len(lines) - 1, i + reach) and joined(lines[hi], lines[hi + 1]):
        hi += 1
    return range(lo, hi + 1)


def _not_annexes(sections: Sequence[Section], doc_text: DocumentText | None) -> set[str]:
    """Annex headings that are not the annex itself: the entries of a list of annexes (three
    or more lines of one block naming annexes of one kind: "Exhibit A List of Products",
    "Exhibit B The Territory", ...), and a label that continues the line before ("SPECIFIED
    IN" / "EXHIBIT A"). Both are references to the annex, not its heading."""
    if doc_text is None:
        return set()
    text = doc_text.text
    lines = [ln for ln in doc_text.lines if not ln.is_margin]
    starts = [ln.char_start for ln in lines]
    found: set[str] = set()
    for s in sections:
        kind = (s.number or "").split()[0].lower() if s.number else ""
        i = bisect.bisect_right(starts, s.char_start) - 1
        if kind not in ANNEX_KINDS or i < 0:
            continue
        block = _block(lines, text, i)
        named = 0
        for j in block:
            m = _ANNEX_LINE.match(text, lines[j].char_start, lines[j].char_end)
            named += bool(m and m.group("kind").lower() == kind)
        before = (
            text[lines[i - 1].char_start : lines[i - 1].char_end].split() if i - 1 in block else []
        )
        if named >= LIST_RUN or (before and before[-1].lower() in _LINKS):
            found.add(s.id)
    return found
