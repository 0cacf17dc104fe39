"""The numbers Word shows in front of numbered paragraphs ("1.", "1.1", "(a)", "Article IV").

Word does not store these numbers in the text: each numbered paragraph names a list (``numId``)
and a level (``ilvl``), and numbering.xml says how to count and show them. python-docx reads
and writes numbering.xml as XML but has no API that gives the numbers, so the counting is
here: plain data in (``Level``, ``NumDef``, read from the XML by
:mod:`westfall_legal.ingest.docx`), one counter per list, the numbers out.

The rules followed (ECMA-376 part 1, 17.9, as Word and LibreOffice apply them):

- a ``w:num`` points to an ``w:abstractNum``; the nums that point to the same abstract
  numbering share its counters (a list continues across them), unless a num overrides a
  level's start (``w:lvlOverride/w:startOverride``): the first paragraph of that num
  restarts the level there (Word's "Restart numbering"). A ``w:lvlOverride`` may also
  replace the whole level (``w:lvl`` inside it);
- a level counts from ``w:start`` (default 0 in the standard, 1 in practice where Word
  writes it); a lower level restarts when a higher one is used, unless ``w:lvlRestart``
  says after which level it restarts (0: never);
- ``w:lvlText`` holds the shown text, ``%1`` .. ``%9`` standing for the counters of levels 1..9
  in their own formats (``w:numFmt``), or all in Arabic figures where the level is
  ``w:isLgl`` (legal numbering: "Section 1.01" under "ARTICLE I");
- a bullet shows its character (private-use symbol font characters as "•"); ``none`` shows
  the text around the number only;
- ``w:suff`` separates the number from the text: a tab (shown here as a space), a space, or
  nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

LEVELS = 9
_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)
BULLET = "•"


@dataclass(frozen=True, slots=True)
class Level:
    """One ``w:lvl``: how a level counts and what it shows."""

    fmt: str = "decimal"  # w:numFmt
    text: str = ""  # w:lvlText, with %1..%9
    start: int = 1  # w:start
    restart: int | None = None  # w:lvlRestart: after that (1-based) level; 0 never; None any
    legal: bool = False  # w:isLgl
    suffix: str = "tab"  # w:suff: "tab", "space" or "nothing"
    style: str | None = None  # w:pStyle: the paragraph style that uses this level


@dataclass(frozen=True, slots=True)
class NumDef:
    """One ``w:num``: its abstract numbering and what it overrides per level."""

    abstract: str
    starts: Mapping[int, int] = field(default_factory=dict)  # w:startOverride per level
    levels: Mapping[int, Level] = field(default_factory=dict)  # whole w:lvl overrides


def roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def letters(n: int) -> str:
    """Word's letters: a..z, then aa..zz, then aaa (not Excel's column names)."""
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _ordinal(n: int) -> str:
    tail = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{tail}"


def format_number(n: int, fmt: str) -> str:
    """``n`` in a ``w:numFmt``; formats not listed here (words, Asian scripts...) as decimal."""
    if fmt == "lowerLetter":
        return letters(n)
    if fmt == "upperLetter":
        return letters(n).upper()
    if fmt == "lowerRoman":
        return roman(n)
    if fmt == "upperRoman":
        return roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}" if 0 <= n < 10 else str(n)
    if fmt == "ordinal":
        return _ordinal(n)
    if fmt == "none":
        return ""
    return str(n)


def bullet_text(text: str) -> str:
    """A bullet's text as read: symbol-font characters (U+F000..U+F0FF) become "•"."""
    shown = "".join(BULLET if 0xF000 <= ord(ch) <= 0xF0FF else ch for ch in text)
    return shown or BULLET


class Numbering:
    """The counters of one document's lists, advanced paragraph by paragraph in order."""

    def __init__(self, abstracts: Mapping[str, Mapping[int, Level]], nums: Mapping[str, NumDef]):
        self._abstracts = abstracts
        self._nums = nums
        self._counts: dict[str, dict[int, int]] = {}  # abstract id -> level -> last number
        self._used: set[str] = set()  # nums whose start overrides have been applied

    def level(self, num_id: str, ilvl: int) -> Level | None:
        num = self._nums.get(num_id)
        if num is None:
            return None
        if ilvl in num.levels:
            return num.levels[ilvl]
        return self._abstracts.get(num.abstract, {}).get(ilvl)

    def style_level(self, num_id: str, style: str) -> int | None:
        """The level of ``num_id`` linked to a paragraph style (``w:lvl/w:pStyle``)."""
        num = self._nums.get(num_id)
        if num is None:
            return None
        merged = {**self._abstracts.get(num.abstract, {}), **num.levels}
        return next((i for i, lvl in sorted(merged.items()) if lvl.style == style), None)

    def next(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """Count one paragraph of list ``num_id`` at level ``ilvl``: (its number, the
        separator after it). ``("", "")`` when the list or level does not exist (Word shows
        no number then either)."""
        num = self._nums.get(num_id)
        ilvl = min(max(ilvl, 0), LEVELS - 1)
        lvl = self.level(num_id, ilvl)
        if num is None or lvl is None:
            return "", ""
        counts = self._counts.setdefault(num.abstract, {})
        if num_id not in self._used:
            self._used.add(num_id)
            for over, start in num.starts.items():
                counts[over] = start - 1  # the next paragraph at that level shows ``start``
                self._restart_below(num_id, over, counts)
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else lvl.start
        self._restart_below(num_id, ilvl, counts)
        return self._shown(num_id, ilvl, lvl, counts), _SUFFIX.get(lvl.suffix, " ")

    def _restart_below(self, num_id: str, ilvl: int, counts: dict[int, int]) -> None:
        for deeper in range(ilvl + 1, LEVELS):
            lvl = self.level(num_id, deeper)
            restart = lvl.restart if lvl is not None else None
            if restart is None or (restart != 0 and ilvl < restart):
                counts.pop(deeper, None)

    def _shown(self, num_id: str, ilvl: int, lvl: Level, counts: dict[int, int]) -> str:
        if lvl.fmt == "bullet":
            return bullet_text(lvl.text)

        def value(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            other = lvl if k == ilvl else self.level(num_id, k)
            if other is None:
                return ""
            n = counts.get(k, other.start)  # a level not yet used shows its start
            fmt = other.fmt
            if lvl.legal and fmt not in ("decimal", "decimalZero"):
                fmt = "decimal"
            return format_number(n, fmt)

        return _PLACEHOLDER.sub(value, lvl.text)


_SUFFIX = {"tab": " ", "space": " ", "nothing": ""}
