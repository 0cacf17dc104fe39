"""Cross-references (``Section 5.2(b)``, ``Sections 5.2 and 5.3``, ``clause 7``, ``Article IV``,
``Schedule 2``, ``Exhibit A``, ``paragraph (c)``) and the section each one points to.

Numbers are matched against the section tree: ``5.2(b)`` is the ``(b)`` under ``5.2``;
``Article IV`` is the section numbered IV or 4; ``Schedule 2`` is the annex ``Schedule 2``;
a bare ``paragraph (c)`` or ``clause (b)`` is looked for among the children of the section the
reference sits in, then of its ancestors. Sections, Articles and clauses are looked for
outside the schedules first; paragraphs inside the reference's own schedule first. A
reference with no match gets ``target=None``. A heading's own number is not a reference, nor
is a statute's ("Sections 5-1401 ... of the General Obligations Law", "article 58 of the
petroleum code") or another document's ("Section 8.2 of the Separation and Distribution
Agreement", "Section 2.2(a) of the Supplement"), nor an exhibit label alone on its line
("EXHIBIT 10.37" atop an EDGAR filing).

Where the tree has no match, the text is asked before the reference is called dangling
(:attr:`CrossReference.dangling`): a list item the tree did not split out ("(v)" inside
Section 3.1, "clauses (a) through (d)" of the same sentence) resolves to the section that
holds it, and a numbered heading the tree missed ("6.04" or "CLAUSE 24" opening a line) is
recorded in ``located_at``. A bare continuation is read in the style of the list it
continues ("Section 8(b)(i), (ii)" is 8(b)(ii)); one in another style ("Section 22.1(a) or
(2)") is the sentence's own enumeration, not a reference.

A range gives its two ends ("Sections 7.2.2 through 7.2.4", "Sections 11.1-11.4"), a list
each item ("Sections 5.1 or 5.2"); "Article 9.1" is the section 9.1. A reference split by a
line or a page break reads across it: running heads and page numbers between its words are
stepped over. "Part B of Schedule 1" is the Part B under Schedule 1 (or Schedule 1 itself
where the tree has no Part B). Where one number has several sections outside the schedules
(a table of contents above the text) the one with the most text is meant.

A reference to another instrument (:mod:`westfall_legal.layout.external`: "Section 2(a) of
the Securities Act", "Rule 144") is not a cross-reference; :func:`find_references` returns
those apart, with the instrument named.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from westfall_legal.layout.external import (
    ExternalReference,
    document_named_before,
    find_rules,
    instrument_after,
    instrument_of,
    sentence_start,
)
from westfall_legal.layout.spans import SectionIndex
from westfall_legal.models import ANNEX_KINDS, CrossReference, DocumentText, Line, Section

_PAREN = r"\([a-zA-Z0-9]{1,4}\)"
# "4 (b)" too; "11.1-11.4" is a range, "5-1401" (a statute's number) is not a number of ours
_DOTTED = (
    rf"\d{{1,3}}(?:\.\d{{1,3}})*(?:\.?[a-zA-Z](?!\w|\.\w))?"  # "5.2.2.a", "10.3.2b", "8A"
    rf"(?!\d|\.\d|[-–](?!\d{{1,3}}\.\d))(?: ?{_PAREN})*|(?:{_PAREN})+"
)
# "A", "A-1", "A1", "2", "10.37", "IV": not a word taken for an id ("EXHIBIT HAS BEEN")
_ANNEX_ID = r"(?:[A-Z](?:-?\d{1,2})?|\d{1,3}(?:\.\d{1,3})?|[IVX]{1,5})(?:-[A-Z0-9]{1,2})?(?![\w-])"
_NUMBER = {
    "section": _DOTTED,
    "clause": _DOTTED,
    "paragraph": _DOTTED,
    "article": rf"(?:[IVXLC]+(?![\w-]|\.\d)|\d{{1,3}}(?:\.\d{{1,3}})*(?![\w-]|\.\d))(?:{_PAREN})*",
    "part": r"(?:[A-Z]|[IVX]{1,5}|\d{1,2})(?![\w-])",
    "schedule": _ANNEX_ID,
    "exhibit": _ANNEX_ID,
    "annex": _ANNEX_ID,
    "appendix": _ANNEX_ID,
}
_KEYWORDS = {
    "section": r"[Ss]ections?|SECTIONS?|[Ss]ub-?sections?",
    "clause": r"[Cc]lauses?|[Ss]ub-?clauses?",
    "paragraph": r"[Pp]aragraphs?|[Ss]ub-?paragraphs?",
    "article": r"[Aa]rticles?|ARTICLES?",
    "schedule": r"[Ss]chedules?|SCHEDULES?",
    "exhibit": r"[Ee]xhibits?|EXHIBITS?",
    "annex": r"[Aa]nnex(?:es)?|ANNEX(?:ES)?",
    "appendix": r"[Aa]ppendi(?:x|ces)|APPENDI(?:X|CES)",
    "part": r"[Pp]art|PART",
}
_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and/or|and|or|through|to)\s+|\s?[-–]\s?)"
_GROUPS = {
    kind: re.compile(rf"\b(?:{_KEYWORDS[kind]})\s+(?P<items>(?:{num})(?:{_SEP}(?:{num}))*)(?![\w])")
    for kind, num in _NUMBER.items()
}
# "Part B of Schedule 1": a Part is looked for under the annex that follows it.
_OF_ANNEX = re.compile(
    r"\s+of\s+(?:the\s+)?(?P<kind>[Ss]chedule|SCHEDULE|[Ee]xhibit|EXHIBIT|[Aa]nnex|ANNEX|"
    r"[Aa]ppendix|APPENDIX)\s+(?P<id>[A-Z0-9]{1,3}(?:[.-]\d{1,2})?)\b"
)
_ANNEX_KINDS = ANNEX_KINDS
# A numbered heading at the start of a line: "6.04", "3.", "3.0 TERM", "CLAUSE 24 ...",
# "Section 8. Conditions", "ARTICLE IV". A bare "3" (a page number) is not one, nor a
# reference that a wrapped line starts with ("12.04 and 12.05", "8.02(b)(1)").
_HEADING = re.compile(
    r"[ \t]*(?:(?P<kw>(?i:section|article|clause|paragraph))[ \t]+)?"
    r"(?P<num>\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,7})(?P<dot>\.?)(?=[ \t]*(?:$|[A-Z“\"]))"
)  # then the end of the line or a title: never "(", "and", a lower-case word (running text)
_MARKER = r"(?:\(|(?<=\n)|(?<=\n[ \t])){}(?:\)|\.(?=\s))"  # "(v)", "v)" or "v." opening a line
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(text: str) -> int | None:
    if not text or any(c not in _ROMAN for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        value = _ROMAN[c]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return total


def _split(number: str) -> tuple[str, list[str]]:
    """``"5.2(b)(i)"`` -> ``("5.2", ["(b)", "(i)"])``; ``"5.2.2.a"`` -> ``("5.2.2", ["(a)"])``."""
    number = number.replace(" ", "")
    base = number.split("(", 1)[0]
    parens = re.findall(_PAREN, number[len(base) :])
    if letter := re.match(r"^(\d[\d.]*?)\.?([a-zA-Z])$", base):
        return letter.group(1), [f"({letter.group(2)})", *parens]
    return base, parens


def _number_key(number: str) -> int | str:
    """What a number is compared by: ``"IV"``, ``"4"``, ``"04"`` and ``"4.0"`` alike; ``"5.2"``
    as is."""
    number = re.sub(r"^(\d+)\.0+$", r"\1", number.rstrip("."))
    value = int(number) if number.isdigit() else roman_to_int(number)
    return number if value is None else value


def _style(paren: str) -> set[str]:
    """What kind of list a ``(x)`` belongs to: ``(b)`` letters, ``(ii)`` roman, ``(i)`` either."""
    inner = paren.strip("()")
    if inner.isdigit():
        return {"digit"}
    styles = {"roman"} if roman_to_int(inner.upper()) is not None and inner.islower() else set()
    if len(inner) == 1 or (len(inner) == 2 and inner[0] == inner[1]):
        styles.add("letter" if inner.islower() else "upper")
    return styles or {"other"}


class _Resolver:
    def __init__(self, sections: Sequence[Section], doc_text: DocumentText | None = None) -> None:
        self.index = SectionIndex(sections)
        self.text = doc_text.text if doc_text else ""
        self._by_number: dict[int | str, list[Section]] = {}  # numbered, not "(a)"
        for s in self.index.sections:
            if s.number and not s.number.startswith("("):
                self._by_number.setdefault(_number_key(s.number), []).append(s)
        self._headings: dict[int | str, int] = {}  # numbered headings in the text, first seen
        for line in doc_text.lines if doc_text else ():
            if line.is_margin:
                continue
            m = _HEADING.match(self.text, line.char_start, line.char_end)
            if m and (m.group("kw") or m.group("dot") or "." in m.group("num")):
                if m.group("num").isalpha() and not m.group("kw"):
                    continue  # "I." or "CC." alone: a list item or initials, not a heading
                self._headings.setdefault(_number_key(m.group("num")), m.start("num"))

    def heading(self, kind: str, number: str, ref_start: int) -> int | None:
        """Where a numbered heading the tree missed opens a line (not the reference itself)."""
        if kind in _ANNEX_KINDS:
            return None
        base = _split(number)[0]
        at = self._headings.get(_number_key(base)) if base else None
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

    def annex_of(self, section: Section | None) -> str | None:
        chain = self.index.ancestors(section)
        top = chain[-1] if chain else None
        if top is not None and top.number and top.number.split()[0].lower() in _ANNEX_KINDS:
            return top.id
        return None

    def resolve(self, kind: str, number: str, at: Section | None) -> str | None:
        if kind not in _ANNEX_KINDS and (whole := self._base(kind, number, at)):
            return whole.id  # "Section 2A" where the document has a section 2A
        if kind in _ANNEX_KINDS:
            label = f"{kind} {number}".casefold()
            hits = [s for s in self.index.sections if (s.number or "").casefold() == label]
            return _meant_annex(hits).id if hits else None
        base, parens = _split(number)
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
        base, parens = _split(number)
        if kind in _ANNEX_KINDS or not parens:
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
            return node.id if self.in_text(rest, node, ref) else None
        for holder in self.index.ancestors(at):  # "clauses (a) through (d)" above, or below
            if self.in_text(parens[:1], holder, ref):
                return holder.id
        return None

    def _base(self, kind: str, base: str, at: Section | None) -> Section | None:
        candidates = self._by_number.get(_number_key(base), [])
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
    return next((s for s in candidates if s.char_end - s.char_start >= SHORT_SPAN), candidates[0])


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


def _continued(previous: str, item: str) -> str | None:
    """``"8(b)(i)"`` then ``"(ii)"`` -> ``"8(b)(ii)"``; None when ``item`` is in no style of
    ``previous``'s items ("22.1(a) or (2)": the sentence's own enumeration)."""
    base, parens = _split(previous)
    new = _split(item)[1]
    for depth in range(len(parens) - 1, -1, -1):
        if _style(parens[depth]) & _style(new[0]):
            return base + "".join(parens[:depth]) + "".join(new)
    return None


def _items(kind: str, m: re.Match[str]) -> list[tuple[int, int, str]]:
    """The numbers of one group, each with its span and its full number ("5.2(a) and (b)")."""
    found: list[tuple[int, int, str]] = []
    previous = ""
    for item in re.finditer(_NUMBER[kind], m.group("items")):
        start, end = m.start("items") + item.start(), m.start("items") + item.end()
        number = item.group(0).replace(" ", "")
        if number.startswith("(") and previous and kind not in _ANNEX_KINDS:
            full = _continued(previous, number)
            if full is None:
                break
            number = full
        previous = number
        found.append((start, end, number))
    return found


def _caption(text: str, m: re.Match[str]) -> bool:
    """An exhibit or schedule label alone on its line: a caption ("EXHIBIT 10.37"), not a
    reference."""
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line = text[line_start : len(text) if line_end < 0 else line_end]
    return line.strip(" \t.:") == m.group(0).strip()


def _label(kind: str, number: str) -> str:
    return f"{kind.title()} {number.replace(' ', '')}"


def _body_text(doc_text: DocumentText) -> str:
    """The text with running heads, footers and page numbers blanked (offsets kept), so that a
    reference split by a page break reads as one."""
    chars = list(doc_text.text)
    for ln in doc_text.lines:
        if ln.is_margin:
            chars[ln.char_start : ln.char_end] = " " * (ln.char_end - ln.char_start)
    return "".join(chars)


def find_references(
    doc_text: DocumentText, sections: Sequence[Section]
) -> tuple[list[CrossReference], list[ExternalReference]]:
    """This document's cross-references, each resolved against the section tree, and the
    references to other instruments, each with the instrument it names; both in document
    order."""
    text = doc_text.text
    body = _body_text(doc_text)
    resolver = _Resolver(sections, doc_text)
    heading_starts = {s.char_start for s in sections}
    line_starts = [ln.char_start for ln in doc_text.lines]
    refs: list[CrossReference] = []
    external = [r for r in find_rules(body) if r.char_start not in heading_starts]
    for kind, pattern in _GROUPS.items():
        for m in pattern.finditer(body):
            if m.start() in heading_starts or (kind in _ANNEX_KINDS and _caption(text, m)):
                continue
            items = [
                (m.start() if i == 0 else a, b, n) for i, (a, b, n) in enumerate(_items(kind, m))
            ]
            instrument = (
                instrument_of(body, m.start(), m.end())
                or _across_page(doc_text, line_starts, body, m.end())
                or document_named_before(body, m.start(), m.end())
            )
            if instrument is not None:
                external += [
                    ExternalReference(text[a:b], a, b, kind, _label(kind, n), instrument)
                    for a, b, n in items
                ]
                continue
            annex = _OF_ANNEX.match(body, m.end()) if kind == "part" else None
            at = resolver.index.at(m.start())
            for start, end, number in items:
                located = None
                if kind == "part":
                    of = (annex.group("kind").lower(), annex.group("id")) if annex else None
                    target = resolver.part(number, of)
                    if target is None and of is None:
                        continue  # "Part 284" of nothing named: not a part of this document
                else:
                    target = resolver.resolve(kind, number, at)
                if target is None and kind != "part":
                    target = resolver.resolve_in_text(kind, number, at, (start, end))
                if target is None and kind != "part":
                    located = resolver.heading(kind, number, start)
                refs.append(
                    CrossReference(
                        text[start:end], start, end, kind, _label(kind, number), target,
                        at.id if at else None, located,
                    )
                )  # fmt: skip
    return _named_before(refs, external, body)


_DANGLING_OF = re.compile(r"(?:of|under|in)(?:\s+the)?")  # "Section 1.2 of" ending its line
_PAGE_NUMBER = re.compile(r"[ \t]*(?:-[ \t]*\d{1,3}[ \t]*-|\d{1,3}|[Pp]age[ \t]+\d{1,3})[ \t]*$")


def _across_page(doc_text: DocumentText, starts: list[int], body: str, end: int) -> str | None:
    """The instrument named at the top of the next page, for a reference that ends its page
    with "of" ("Section 1.2 of" [a legend, the page number] "the Securities Purchase
    Agreement"): up to three lines may stand between it and the page's end, which is a new
    page or, in an EDGAR text filing laid out as one PDF page, a page number alone on its
    line ("-12-")."""
    lines = doc_text.lines
    i = bisect.bisect_right(starts, end) - 1
    tail = body[end : lines[i].char_end].strip() if i >= 0 else "?"
    if tail and not _DANGLING_OF.fullmatch(tail):
        return None
    between = 0
    top: Line | None = None
    for j in range(i + 1, min(i + 6, len(lines))):
        line = lines[j]
        if line.is_margin:
            continue
        if line.page != lines[i].page:
            top = line
            break
        if _PAGE_NUMBER.fullmatch(body, line.char_start, line.char_end):
            top = next((ln for ln in lines[j + 1 : j + 4] if not ln.is_margin), None)
            break
        between += 1
    else:
        return None
    if top is None or between > 3 or (between and not tail):
        return None  # lines of running text stand between: not a page's foot
    joined = body[end : lines[i].char_end] + " " + body[top.char_start : top.char_start + 200]
    return instrument_after(joined, 0)


# "Section 365(n) of the Bankruptcy Code (“Section 365(n)”)": a term defined
_DEFINED = r"[^()\n]{{0,60}}?\(\s*[“\"]{}[”\"]\s*\)"


def _named_before(
    refs: list[CrossReference], external: list[ExternalReference], text: str = ""
) -> tuple[list[CrossReference], list[ExternalReference]]:
    """Both lists in document order, an unresolved reference moved to the external ones when
    another instrument's reference of its number came before it ("Section 365 of the
    Bankruptcy Code (“Section 365(n)”)", then "subject to Section 365(n)"), or defined it as a
    term anywhere in the text (the definitions list's "“Section 365(n)” has the meaning given
    in Section 4.5" comes first), or came earlier in its sentence ("Section 2 of the
    Non-Competition Agreement ... including Sections 5 and 6")."""
    refs.sort(key=lambda r: r.char_start)
    external.sort(key=lambda r: r.char_start)
    seen: dict[str, tuple[int, str]] = {}  # label (and its base) -> where first seen, instrument
    for e in external:
        for label in (e.label, e.label.split("(", 1)[0]):
            seen.setdefault(label, (e.char_start, e.instrument))
        if text and re.match(
            _DEFINED.format(re.escape(e.text)), text[e.char_end : e.char_end + 120]
        ):
            seen[e.label] = (-1, e.instrument)  # a defined term: meant everywhere
    kept: list[CrossReference] = []
    for r in refs:
        named = seen.get(r.label) or seen.get(r.label.split("(", 1)[0])
        if r.dangling and not (named and named[0] < r.char_start) and text:
            named = _in_sentence(text, r, external)
        if r.dangling and named and named[0] < r.char_start:
            external.append(
                ExternalReference(r.text, r.char_start, r.char_end, r.kind, r.label, named[1])
            )
        else:
            kept.append(r)
    return kept, sorted(external, key=lambda r: r.char_start)


def _in_sentence(
    text: str, ref: CrossReference, external: list[ExternalReference]
) -> tuple[int, str] | None:
    """The last external reference of ``ref``'s kind earlier in its sentence, if any."""
    start = sentence_start(text, ref.char_start)
    before = [e for e in external if start <= e.char_start < ref.char_start and e.kind == ref.kind]
    return (before[-1].char_start, before[-1].instrument) if before else None


def find_cross_references(
    doc_text: DocumentText, sections: Sequence[Section]
) -> list[CrossReference]:
    """Every cross-reference in document order, each resolved against the section tree."""
    return find_references(doc_text, sections)[0]


def find_external_references(
    doc_text: DocumentText, sections: Sequence[Section]
) -> list[ExternalReference]:
    """Every reference to another instrument, with the instrument named."""
    return find_references(doc_text, sections)[1]
