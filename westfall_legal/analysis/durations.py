"""Durations in contract text ("thirty (30) days", "one (1) year") as ISO 8601 (``P30D``,
``P1Y``), the one a clause means by its cue words (term, renewal, notice), and date
arithmetic with them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve")
    )
}  # fmt: skip
_NUMBER_WORDS.update(
    {"fifteen": 15, "twenty": 20, "thirty": 30, "forty five": 45, "forty": 40, "sixty": 60}
)
_NUMBER_WORDS.update({"ninety": 90, "one hundred twenty": 120, "one hundred eighty": 180})
_NUMBER_WORD = "|".join(
    r"[\s-]+".join(w.split()) for w in sorted(_NUMBER_WORDS, key=len, reverse=True)
)
# "one (I) year": a text layer or OCR that reads the figure 1 as a capital I or a small L
_QTY = rf"(?P<qty>\d{{1,3}}|(?:{_NUMBER_WORD}))(?:\s*\((?P<digits>\d{{1,3}}|[Il])\))?"
_UNIT = r"(?P<unit>year|month|day|week)s?"
_DURATION = re.compile(
    rf"\b{_QTY}[\s-]+(?:(?:calendar|business|contract|consecutive|full)\s+)?{_UNIT}\b", re.I
)


def parse_duration(text: str) -> tuple[str, int, int] | None:
    """The first duration in ``text`` as ISO 8601 (``P3Y``), with its span."""
    return next(iter_durations(text), None)


def iter_durations(text: str) -> Iterator[tuple[str, int, int]]:
    """Every duration in ``text`` as ISO 8601 (``P3Y``), with its span."""
    for m in _DURATION.finditer(text):
        qty = m.group("qty").lower()
        if m.group("digits"):  # "thirty-six (36) months": the figures are unambiguous
            qty = "1" if m.group("digits") in ("I", "l") else m.group("digits")
        n = int(qty) if qty.isdigit() else _NUMBER_WORDS.get(" ".join(re.split(r"[\s-]+", qty)))
        if not n:
            continue
        unit = {"year": "Y", "month": "M", "day": "D", "week": "W"}[m.group("unit").lower()]
        yield f"P{n}{unit}", m.start(), m.end()


CUES = {
    "term": re.compile(r"\b(?:term|period|expir\w*|continu\w*|until)\b", re.I),
    "renewal_term": re.compile(r"\b(?:renew\w*|successive|additional|extend\w*)\b", re.I),
    "notice_period": re.compile(r"\b(?:notice|prior|before|advance|written)\b", re.I),
}


def pick_duration(text: str, cue: re.Pattern[str]) -> tuple[str, int, int] | None:
    """The duration nearest a cue word ("notice", "renew"...): a clause often has several."""
    found = nearest_duration(text, cue)
    return found[1] if found else None


_NOTICE_AFTER = re.compile(r"^\W{0,3}(?:s?'s?\s+)?(?:prior|before|advance|notice|written)", re.I)


_PERIODIC = {
    "P1Y": re.compile(r"\b(?:annual(?:ly)?|yearly|year[\s-]+to[\s-]+year|each\s+year)\b", re.I),
    "P1M": re.compile(r"\b(?:monthly|month[\s-]+to[\s-]+month)\b", re.I),
}


def _periodic(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """Renewal periods said in words: "from year to year", "annual periods", "monthly"."""
    for iso, pattern in _PERIODIC.items():
        for m in pattern.finditer(text):
            yield iso, m


# The initial term, announced before its duration: a renewal term only when nothing else is.
_INITIAL = re.compile(
    r"(?i:(?:initial|original|first)\s+(?:term|period)|(?:term|period)\s+of\s+(?:this\s+)?"
    r"(?:agreement\s+)?(?:shall\s+be\s+)?)[^.]{0,25}$|(?i:for\s+a\s+term\s+of)\s*$"
)
# A duration followed by "term" or "period" is the length of a term, not a notice period.
_A_TERM_AFTER = re.compile(r"^\W{0,4}(?:\(?[\w“”\"]+\)?\s+){0,2}(?:terms?|periods?)\b", re.I)
INITIAL_PENALTY = 10_000  # characters: farther than any cue word in a clause


def nearest_duration(text: str, cue: re.Pattern[str]) -> tuple[int, tuple[str, int, int]] | None:
    """(gap in characters to the nearest cue word, duration) of the closest duration.

    Outside the notice period itself, a duration followed by "notice"/"prior"/"before" is a
    notice period and is passed over ("renews for one year unless 30 days' notice").
    """
    cues = [(m.start(), m.end()) for m in cue.finditer(text)]
    best: tuple[int, tuple[str, int, int]] | None = None
    durations = list(iter_durations(text))
    if cue is CUES["renewal_term"]:  # "renews from year to year", "for annual periods"
        durations += [(iso, m.start(), m.end()) for iso, m in _periodic(text)]
    for dur in durations:
        after = text[dur[2] : dur[2] + 30]
        if cue is not CUES["notice_period"] and _NOTICE_AFTER.match(after):
            continue
        if cue is CUES["notice_period"] and _A_TERM_AFTER.match(after):
            continue  # "renews for successive one (1) year terms unless notice"
        gap = min((max(cs - dur[2], dur[1] - ce, 0) for cs, ce in cues), default=10**6)
        before = text[max(0, dur[1] - 50) : dur[1]]
        if cue is CUES["renewal_term"] and _INITIAL.search(before) and not cue.search(before):
            gap += INITIAL_PENALTY  # "an initial term of seven years, renewing for one year"
        if cue is CUES["term"] and CUES["renewal_term"].search(before):
            gap += INITIAL_PENALTY  # "for three years, renewing for successive one-year terms"
        if best is None or gap < best[0]:
            best = (gap, dur)
    return best


def add_duration(iso_date: str, duration: str) -> str | None:
    """``2004-06-16`` + ``P5Y`` -> ``2009-06-16`` (the end of a fixed term)."""
    m = re.fullmatch(r"P(\d+)([YMWD])", duration)
    if not m:
        return None
    n, unit = int(m.group(1)), m.group(2)
    start = dt.date.fromisoformat(iso_date)
    if unit in "WD":
        return (start + dt.timedelta(days=n * (7 if unit == "W" else 1))).isoformat()
    months = start.month - 1 + n * (12 if unit == "Y" else 1)
    year, month = start.year + months // 12, months % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day).isoformat()
