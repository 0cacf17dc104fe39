"""The key facts a reviewer may set, and the one form each value takes.

A fact correction is stored, audited and exported to other offices in a feedback bundle, so
its value is checked here, in the core, for the CLI and the GUI alike: the names are the ones
the analysis reads (``analysis/facts.py``), dates are ISO 8601 calendar dates (``2025-03-03``)
and durations ISO 8601 durations of one unit (``P2Y``, ``P6M``, ``P2W``, ``P90D``), the forms
the analysis writes and date arithmetic (``add_duration``) reads.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Literal

from westfall_legal.errors import KnownError

FactKind = Literal["date", "duration", "jurisdiction"]

FACTS: dict[str, FactKind] = {
    "agreement_date": "date",
    "effective_date": "date",
    "expiration_date": "date",
    "term": "duration",
    "renewal_term": "duration",
    "notice_period": "duration",
    "governing_law": "jurisdiction",
}

FORMATS: dict[FactKind, str] = {
    "date": "an ISO 8601 date, YYYY-MM-DD (e.g. 2025-03-31)",
    "duration": "an ISO 8601 duration of one unit: P2Y (two years), P6M, P2W or P90D",
    "jurisdiction": "the jurisdiction's name on one line (e.g. New York, England and Wales)",
}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DURATION = re.compile(r"P([1-9]\d{0,3})([YMWD])")
MAX_JURISDICTION = 100  # characters; the longest real names are about 40


def check_fact(name: str, value: object) -> str:
    """The value to store for fact ``name`` (normalised), or a KnownError naming the form."""
    kind = FACTS.get(name)
    if kind is None:
        close = difflib.get_close_matches(name, FACTS, n=1)
        raise KnownError(
            f"{name!r} is not a key fact.",
            hint=(f"Did you mean {close[0]!r}? " if close else "")
            + f"The facts are: {', '.join(FACTS)}.",
        )
    text = value.strip() if isinstance(value, str) else None
    if text and kind == "date" and _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass  # 2025-02-30
    elif text and kind == "duration" and _DURATION.fullmatch(text.upper()):
        return text.upper()
    elif (
        text
        and kind == "jurisdiction"
        and len(text) <= MAX_JURISDICTION
        and text.isprintable()
        and any(c.isalpha() for c in text)
    ):
        return text
    shown = repr(value if not isinstance(value, str) else value[:80])
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    raise KnownError(
        f"{shown} is not a value for {name}: it takes {FORMATS[kind]}.",
        hint="Type the value in that form; nothing was stored.",
    )
