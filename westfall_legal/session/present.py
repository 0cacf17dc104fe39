"""How a review reads to a person (no Qt): durations in words ("P3Y" is "3 years"; the JSON
and the store keep the ISO value), the findings counted by severity, a clause named by its
section and category rather than its id. Both front ends show values through these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from westfall_legal.session.rows import SEVERITIES

UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day"}
_ISO_DURATION = re.compile(r"P(?:(\d{1,4})Y)?(?:(\d{1,4})M)?(?:(\d{1,4})W)?(?:(\d{1,4})D)?")
_WORDS = re.compile(r"(\d{1,4})\s*(year|month|week|day)s?", re.IGNORECASE)
DURATION_FACTS = frozenset({"term", "renewal_term", "notice_period"})


def readable_duration(value: str) -> str:
    """``P3Y`` -> ``3 years``, ``P1Y6M`` -> ``1 year 6 months``; anything else unchanged."""
    match = _ISO_DURATION.fullmatch(value.strip().upper())
    if match is None or not any(match.groups()):
        return value
    parts = []
    for amount, unit in zip(match.groups(), "YMWD", strict=True):
        if amount:
            n = int(amount)
            parts.append(f"{n} {UNITS[unit]}{'' if n == 1 else 's'}")
    return " ".join(parts)


def duration_from_text(text: str) -> str:
    """A duration typed in words (``3 years``, ``30 days``) as its ISO form (``P3Y``); any
    other text is returned unchanged, for the store to take or refuse."""
    match = _WORDS.fullmatch(text.strip())
    if match is None:
        return text
    return f"P{int(match.group(1))}{match.group(2)[0].upper()}"


def fact_text(name: str, value: Any) -> str:
    """A key fact's value as a reader wants it."""
    if name in DURATION_FACTS and isinstance(value, str):
        return readable_duration(value)
    return "" if value is None else str(value)


def fact_input(name: str, typed: str) -> str:
    """What a reviewer typed for fact ``name``, in the form the store takes (a duration may
    be typed as it is shown: "5 years")."""
    return duration_from_text(typed) if name in DURATION_FACTS else typed


def severity_counts(findings: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        if finding.get("severity") in counts:
            counts[finding["severity"]] += 1
    return counts


def severity_line(findings: Iterable[Mapping[str, Any]]) -> str:
    """``High 1 · Medium 3 · Low 2``."""
    counts = severity_counts(findings)
    return " · ".join(f"{s.capitalize()} {n}" for s, n in counts.items())
