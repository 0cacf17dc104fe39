"""Cross-references (``Section 5.2(b)``, ``Sections 5.2 and 5.3``, ``clause 7``, ``Article IV``,
``Schedule 2``, ``Exhibit A``, ``paragraph (c)``) and the section each one points to.

Numbers are matched against the section tree: ``5.2(b)`` is the ``(b)`` under ``5.2``;
``Article IV`` is the section numbered IV or 4; ``Schedule 2`` is the annex ``Schedule 2``;
a bare ``paragraph (c)`` or ``clause (b)`` is looked for among the children of the section the
reference sits in, then of its ancestors. Sections, Articles and clauses are looked for
outside the schedules first; paragraphs inside the reference's own schedule first. A
reference with no match gets ``target=None``: a dangling reference. A heading's own number
is not a reference, nor is a statute's ("Sections 5-1401 ... of the General Obligations Law")
or another agreement's ("Section 8.2 of the Separation and Distribution Agreement").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from westfall_legal.layout.spans import SectionIndex
from westfall_legal.models import CrossReference, DocumentText, Section

_PAREN = r"\([a-zA-Z0-9]{1,4}\)"
_DOTTED = rf"\d{{1,3}}(?:\.\d{{1,3}})*(?![\d-]|\.\d)(?: ?{_PAREN})*|(?:{_PAREN})+"  # "4 (b)" too
_ANNEX_ID = r"[A-Z0-9]{1,3}(?:[.-]\d+)?(?![\w-])"
_NUMBER = {
    "section": _DOTTED,
    "clause": _DOTTED,
    "paragraph": _DOTTED,
    "article": rf"(?:[IVXLC]+|\d{{1,3}})(?![\w-]|\.\d)(?:{_PAREN})*",
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
}
_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and/or|and|or|through|to)\s+)"
_GROUPS = {
    kind: re.compile(rf"\b(?:{_KEYWORDS[kind]})\s+(?P<items>(?:{num})(?:{_SEP}(?:{num}))*)(?![\w])")
    for kind, num in _NUMBER.items()
}
_EXTERNAL = re.compile(
    r"\s*(?:of|under)\s+(?:the\s+)?(?:(?:[A-Z][\w.'’-]*|of|and|on)\s+){0,8}?"
    r"(?:Act|Law|Code|Regulations?|Rules|Statutes?|Convention|Treaty|Directive|U\.S\.C\.?)\b"
    r"|\s*of\s+Title\s+\d"
)
# "Section 8.2 of the Separation and Distribution Agreement": another agreement's section
# (not "of this Agreement", nor a bare "of the Agreement", which is this one).
_OTHER_AGREEMENT = re.compile(
    r"(?:\s*(?:-|through|to|and)?\s*\([a-zA-Z0-9]{1,4}\))*\s*(?:of|under|in)\s+(?:the|that|each|such)\s+"
    r"(?:[A-Z][\w.'’&-]*\s+|(?:of|and|on|for)\s+){1,8}?(?:Agreements?|SPA|Plan|Indenture)\b"
)
_EXTERNAL_BEFORE = re.compile(r"(?:U\.S\.C|C\.F\.R)\.?\s*$")  # "17 U.S.C. section 101"
_ANNEX_KINDS = {"schedule", "exhibit", "annex", "appendix"}
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
    """``"5.2(b)(i)"`` -> ``("5.2", ["(b)", "(i)"])``."""
    number = number.replace(" ", "")
    base = number.split("(", 1)[0]
    return base, re.findall(_PAREN, number[len(base) :])


def _number_key(number: str) -> int | str:
    """What a number is compared by: ``"IV"``, ``"4"`` and ``"04"`` alike; ``"5.2"`` as is."""
    value = int(number) if number.isdigit() else roman_to_int(number)
    return number if value is None else value


class _Resolver:
    def __init__(self, sections: Sequence[Section]) -> None:
        self.index = SectionIndex(sections)
        self._by_number: dict[int | str, list[Section]] = {}  # numbered, not "(a)"
        for s in self.index.sections:
            if s.number and not s.number.startswith("("):
                self._by_number.setdefault(_number_key(s.number), []).append(s)

    def annex_of(self, section: Section | None) -> str | None:
        chain = self.index.ancestors(section)
        top = chain[-1] if chain else None
        if top is not None and top.number and top.number.split()[0].lower() in _ANNEX_KINDS:
            return top.id
        return None

    def resolve(self, kind: str, number: str, at: Section | None) -> str | None:
        if kind in _ANNEX_KINDS:
            label = f"{kind} {number}".casefold()
            hit = next(
                (s for s in self.index.sections if (s.number or "").casefold() == label), None
            )
            return hit.id if hit else None
        base, parens = _split(number)
        start = self._base(kind, base, at) if base else None
        if base and start is None:
            return None
        found = self._descend(start, parens) if start else self._relative(parens, at)
        return found.id if found else None

    def _base(self, kind: str, base: str, at: Section | None) -> Section | None:
        candidates = self._by_number.get(_number_key(base), [])
        if not candidates:
            return None
        home = self.annex_of(at)
        if kind == "paragraph":
            preferred = [s for s in candidates if self.annex_of(s) == home]
        else:
            preferred = [s for s in candidates if self.annex_of(s) is None]
        return (preferred or candidates)[0]

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


def _items(kind: str, m: re.Match[str]) -> list[tuple[int, int, str]]:
    """The numbers of one group, each with its span and its full number ("5.2(a) and (b)")."""
    found: list[tuple[int, int, str]] = []
    previous_base = ""
    for item in re.finditer(_NUMBER[kind], m.group("items")):
        start, end = m.start("items") + item.start(), m.start("items") + item.end()
        number = item.group(0)
        if number.startswith("(") and previous_base and kind not in _ANNEX_KINDS:
            number = previous_base + number
        previous_base = _split(number)[0]
        found.append((start, end, number))
    return found


def _is_external(text: str, m: re.Match[str]) -> bool:
    """A statute's section, not this document's."""
    before = text[max(0, m.start() - 12) : m.start()]
    return bool(
        _EXTERNAL.match(text, m.end())
        or _OTHER_AGREEMENT.match(text, m.end())
        or _EXTERNAL_BEFORE.search(before)
    )


def _label(kind: str, number: str) -> str:
    return f"{kind.title()} {number.replace(' ', '')}"


def find_cross_references(
    doc_text: DocumentText, sections: Sequence[Section]
) -> list[CrossReference]:
    """Every cross-reference in document order, each resolved against the section tree."""
    text = doc_text.text
    resolver = _Resolver(sections)
    heading_starts = {s.char_start for s in sections}
    margins = [(ln.char_start, ln.char_end) for ln in doc_text.lines if ln.is_margin]
    refs: list[CrossReference] = []
    for kind, pattern in _GROUPS.items():
        for m in pattern.finditer(text):
            if m.start() in heading_starts or _is_external(text, m):
                continue
            if any(a <= m.start() < b for a, b in margins):
                continue
            at = resolver.index.at(m.start())
            for i, (start, end, number) in enumerate(_items(kind, m)):
                start = m.start() if i == 0 else start
                target = resolver.resolve(kind, number, at)
                refs.append(
                    CrossReference(
                        text[start:end], start, end, kind, _label(kind, number), target,
                        at.id if at else None,
                    )
                )  # fmt: skip
    return sorted(refs, key=lambda r: r.char_start)
