"""Finding cross-references: the words that name one of this document's parts ("Section
5.2(b)", "Sections 7.2.2 through 7.2.4", "clause (iii)", "Article IV", "Schedule 2", "Part B"),
and the numbers they give, each item of a list or range on its own.

:mod:`westfall_legal.layout.xrefs` runs these patterns over the text and
:mod:`westfall_legal.layout.xref_resolver` looks the numbers up in the section tree.
"""

from __future__ import annotations

import re

from westfall_legal.models import ANNEX_KINDS

__all__ = [
    "GROUPS",
    "OF_ANNEX",
    "is_caption",
    "items_of",
    "label_of",
    "number_key",
    "roman_to_int",
    "split_number",
    "style_of",
]

_PAREN = r"\([a-zA-Z0-9]{1,4}\)"
# "4 (b)" too; "11.1-11.4" is a range, "5-1401" (a statute's number) is not a number of ours
_DOTTED = (
    rf"\d{{1,3}}(?:\.\d{{1,3}})*(?:\.?[a-zA-Z](?!\w|\.\w))?"  # "5.2.2.a", "10.3.2b", "8A"
    rf"(?!\d|\.\d|[-–](?!\d{{1,3}}\.\d))(?: ?{_PAREN})*|(?:{_PAREN})+"
)
# "A", "A-1", "A1", "2", "10.37", "IV": not a word taken for an id ("EXHIBIT HAS BEEN")
# "Schedule A1-A6" is a range of two ids, not the id "A1-A6"
_ANNEX_ID = (
    r"(?:[A-Z](?:-?\d{1,2})?|\d{1,3}(?:\.\d{1,3})?|[IVX]{1,5})"
    r"(?:-(?![A-Z]\d)[A-Z0-9]{1,2})?(?!\w|-(?![A-Z]\d))"
)
_NUMBER = {
    "section": _DOTTED,
    "clause": _DOTTED,
    "paragraph": _DOTTED,
    # "Article IV", "Article 9.1", "Article 3.2A(iii)" (item A of 3.2, as "Section 5.2.2.a")
    "article": rf"(?:[IVXLC]+(?![\w-]|\.\d)|\d{{1,3}}(?:\.\d{{1,3}})*(?:[A-Za-z](?=\())?"
    rf"(?![\w-]|\.\d))(?:{_PAREN})*",
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
# "Sections 2(a) [License Grant], 2(b) [Sublicensing] and 3": an item's title in brackets
_BRACKETED = r"\[[^\[\]]{1,60}+\]"
_TITLE = rf"(?:\s*+{_BRACKETED})?+"
GROUPS = {
    kind: re.compile(
        rf"\b(?:{_KEYWORDS[kind]})\s+(?P<items>(?:{num}){_TITLE}(?:{_SEP}(?:{num}){_TITLE})*)"
        rf"(?![\w])"
    )
    for kind, num in _NUMBER.items()
}
_TITLES = re.compile(_BRACKETED)
# "Part B of Schedule 1": a Part is looked for under the annex that follows it (matched
# right after the Part's number: never from inside a run of spaces).
OF_ANNEX = re.compile(
    r"(?<!\s)\s++of\s++(?:the\s++)?(?P<kind>[Ss]chedule|SCHEDULE|[Ee]xhibit|EXHIBIT|[Aa]nnex|ANNEX|"
    r"[Aa]ppendix|APPENDIX)\s+(?P<id>[A-Z0-9]{1,3}(?:[.-]\d{1,2})?)\b"
)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(text: str) -> int | None:
    if not text or any(c not in _ROMAN for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        value = _ROMAN[c]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return total


def split_number(number: str) -> tuple[str, list[str]]:
    """``"5.2(b)(i)"`` -> ``("5.2", ["(b)", "(i)"])``; ``"5.2.2.a"`` -> ``("5.2.2", ["(a)"])``."""
    number = number.replace(" ", "")
    base = number.split("(", 1)[0]
    parens = re.findall(_PAREN, number[len(base) :])
    if letter := re.match(r"^(\d[\d.]*?)\.?([a-zA-Z])$", base):
        return letter.group(1), [f"({letter.group(2)})", *parens]
    return base, parens


def number_key(number: str) -> int | str:
    """What a number is compared by: ``"IV"``, ``"4"``, ``"04"`` and ``"4.0"`` alike; ``"5.2"``
    as is."""
    number = re.sub(r"^(\d+)\.0+$", r"\1", number.rstrip("."))
    value = int(number) if number.isdigit() else roman_to_int(number)
    return number if value is None else value


def style_of(paren: str) -> set[str]:
    """What kind of list a ``(x)`` belongs to: ``(b)`` letters, ``(ii)`` roman, ``(i)`` either."""
    inner = paren.strip("()")
    if inner.isdigit():
        return {"digit"}
    styles = {"roman"} if roman_to_int(inner.upper()) is not None and inner.islower() else set()
    if len(inner) == 1 or (len(inner) == 2 and inner[0] == inner[1]):
        styles.add("letter" if inner.islower() else "upper")
    return styles or {"other"}


def _continued(previous: str, item: str) -> str | None:
    """``"8(b)(i)"`` then ``"(ii)"`` -> ``"8(b)(ii)"``; None when ``item`` is in no style of
    ``previous``'s items ("22.1(a) or (2)": the sentence's own enumeration)."""
    base, parens = split_number(previous)
    new = split_number(item)[1]
    for depth in range(len(parens) - 1, -1, -1):
        if style_of(parens[depth]) & style_of(new[0]):
            return base + "".join(parens[:depth]) + "".join(new)
    return None


def items_of(kind: str, m: re.Match[str]) -> list[tuple[int, int, str]]:
    """The numbers of one group, each with its span and its full number ("5.2(a) and (b)")."""
    found: list[tuple[int, int, str]] = []
    previous = ""
    items = _TITLES.sub(lambda t: " " * len(t.group()), m.group("items"))  # titles are no items
    for item in re.finditer(_NUMBER[kind], items):
        start, end = m.start("items") + item.start(), m.start("items") + item.end()
        number = item.group(0).replace(" ", "")
        if number.startswith("(") and previous and kind not in ANNEX_KINDS:
            full = _continued(previous, number)
            if full is None:
                break
            number = full
        previous = number
        found.append((start, end, number))
    return found


def is_caption(text: str, m: re.Match[str]) -> bool:
    """An exhibit or schedule label alone on its line: a caption ("EXHIBIT 10.37"), not a
    reference."""
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line = text[line_start : len(text) if line_end < 0 else line_end]
    return line.strip(" \t.:") == m.group(0).strip()


def label_of(kind: str, number: str) -> str:
    return f"{kind.title()} {number.replace(' ', '')}"
