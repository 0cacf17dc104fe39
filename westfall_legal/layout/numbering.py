"""Numbering that skips or restarts: tolerated by the section tree, reported here.

Siblings (sections with the same parent) numbered "1, 2, 4" skip 3; "1, 2, 1" restart; "2, 2"
repeat. A
lawyer wants both flagged (a deleted clause, a pasted-in section) but neither breaks the
tree. Only numbers whose last part is a figure or a roman numeral are compared: "5.2" is
ordinal 2, "ARTICLE IV" 4, "(c)" 3.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from westfall_legal.layout.xrefs import roman_to_int
from westfall_legal.models import Section

_LAST = re.compile(r"(?:^|[\s.(])([0-9]+|[IVXLC]+|[ivxlc]+|[a-z]|[A-Z])\)?\.?$")
_ZERO = re.compile(r"^(\d+)\.0+\.?$")
_WORD = re.compile(r"^[A-Za-z]{2,}(?=\s)")


@dataclass(frozen=True, slots=True)
class NumberingIssue:
    section: str  # the id of the section whose number is unexpected
    number: str
    expected: str  # the ordinal that would have followed the previous sibling
    kind: str  # "skip", "restart", "repeat" or "out of order"


def readings(number: str) -> list[tuple[str, int]]:
    """The (style, ordinal) readings of a section number's last part, likeliest first:
    [("digit", 2)] for "5.2"; [("lower", 3), ("roman", 100)] for "(c)"."""
    text = number.strip()
    m = _LAST.search(text)
    if not m:
        return []
    last = m.group(1)
    if last.isdigit():
        whole = _ZERO.match(text)  # "2.0" is section 2
        return [("digit", int(whole.group(1)) if whole else int(last))]
    out: list[tuple[str, int]] = []
    if len(last) == 1:
        out.append(("lower" if last.islower() else "upper", ord(last.lower()) - ord("a") + 1))
    value = roman_to_int(last.upper())
    if value:
        out.insert(0 if last.lower() == "i" else len(out), ("roman", value))
    return out


def ordinal(number: str) -> tuple[str, int] | None:
    """The likeliest (style, ordinal) of a section number: ("digit", 2) for "5.2"."""
    found = readings(number)
    return found[0] if found else None


def numbering_issues(sections: Sequence[Section]) -> list[NumberingIssue]:
    """Skips, restarts and repeats among siblings of the same numbering style."""
    last: dict[tuple[str | None, str], int] = {}  # (parent, series) -> the last ordinal
    issues: list[NumberingIssue] = []
    for s in sections:
        options = readings(s.number) if s.number else []
        if not options:
            continue
        word = _WORD.match(s.number or "")  # "Schedule 1" is a new series after "Article 16"
        series = word.group(0).lower() if word else ""
        # "(v)" after "(iv)" continues the roman series; after "(u)" the letters.
        style, value = next(
            (o for o in options if last.get((s.parent, series + o[0])) == o[1] - 1), options[0]
        )
        key = (s.parent, series + style)
        previous = last.get(key)
        last[key] = value
        if previous is None or value == previous + 1:
            continue
        if value == previous:
            kind = "repeat"
        elif value == 1:
            kind = "restart"
        else:
            kind = "skip" if value > previous + 1 else "out of order"
        issues.append(NumberingIssue(s.id, s.number or "", str(previous + 1), kind))
    return issues
