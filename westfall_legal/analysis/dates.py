"""Dates in contract text: every date a contract writes, normalised to ISO 8601, and the
contract's own date (agreement or effective) picked by the words that announce it.

Running headers and footers, EDGAR filing stamps and dates announced as an end ("until
February 28, 2004") are never the contract's own date; where the parties sign on different
days, the last signature dates the contract (CUAD's convention).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from westfall_legal.models import DocumentText

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = [
    # "April 15, 2010", "April 15 , 2010", "Aug. 8 2018", "March 18. 2021"
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:\s*[,.]\s*|\s+){_YEAR}\b", re.I),
    # "15th day of April, 2010", "1st of March, 2003", "as of1 August 2019" (no space),
    # "19 DAY OF MAY , 2010"
    re.compile(rf"(?<![\d.]){_DAY}\s+(?:day\s+)?(?:of\s+)?{_MONTH}\s*,?\s+{_YEAR}\b", re.I),
    re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<year>(?:19|20)?\d\d)\b"),  # 4/15/10
    re.compile(r"(?<![\d-])(?P<m>\d{1,2})-(?P<d>\d{1,2})-(?P<year>(?:19|20)?\d\d)(?![\d-])"),
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<year>(?:19|20)\d\d)\b"),  # 1.4.2011
]


def _year(text: str) -> int:
    y = int(text)
    return y + (2000 if y < 50 else 1900) if y < 100 else y


def iter_dates(text: str) -> list[tuple[str, int, int]]:
    """Every date in ``text``, in text order: (ISO date, start, end)."""
    found: list[tuple[str, int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            g = m.groupdict()
            try:
                if g.get("month"):
                    month = MONTHS[g["month"].lower().rstrip(".")[:3]]
                    date = dt.date(_year(g["year"]), month, int(g["day"]))
                else:
                    month, day = int(g["m"]), int(g["d"])
                    if month > 12 >= day:  # the figure that cannot be a month is the day
                        month, day = day, month  # "13/07/05" is 13 July 2005
                    date = dt.date(_year(g["year"]), month, day)
            except (KeyError, ValueError):
                continue
            if not any(s < m.end() and m.start() < e for _, s, e in found):
                found.append((date.isoformat(), m.start(), m.end()))
    return sorted(found, key=lambda d: d[1])


def parse_date(text: str) -> tuple[str, int, int] | None:
    """The first date in ``text``: (ISO date, start, end)."""
    return next(iter(iter_dates(text)), None)


# A filing stamp repeated on every page of an EDGAR exhibit: "Source: ACME INC, 8-K, 8/22/2018"
# (the spaces before it on its own line only: from every line of a run of blank lines, a
# leading \s* scanned to the run's end).
_STAMP = re.compile(r"^[^\S\n]*Source:[^\n]*$", re.M)
# Words that announce the contract's own date, just before it or right after it; a kind of
# date may have several tiers of cues, the stronger first ("made as of March 14 but effective
# as of March 1": the effective date is March 1).
_Cue = tuple[re.Pattern[str], re.Pattern[str]]
_NEVER = re.compile(r"(?!)")  # a tier without a cue after the date
_DATE_CUES: dict[str, tuple[_Cue, ...]] = {
    "agreement_date": (
        (
            re.compile(
                r"(?i:dated|as of|entered|made|executed|day of|effective|date:)[^.\n]{0,60}$"
            ),
            re.compile(r"^\W{0,4}\(?(?i:the\s+)?[\"“]?(?i:effective|agreement|execution)\s+date"),
        ),
    ),
    "effective_date": (
        (
            re.compile(r"(?i:effective|commenc\w*|begin\w*|start\w*)[^.\n]{0,60}$"),
            re.compile(r"^\W{0,4}\(?(?i:the\s+)?[\"“]?(?i:effective|commencement)\s+date"),
        ),
        (re.compile(r"(?i:as of|dated|entered|made)[^.\n]{0,60}$"), _NEVER),
    ),
}
# A date that ends something ("effective until February 28, 2004") is never the start.
END_CUE = re.compile(
    r"(?i:until|(?:expir\w*|terminat\w*)(?:\s+(?:on|at|upon))?|through|ending|end(?:s)? on"
    r"|extended\s+to)\W{0,12}$"
)
# Signature blocks: where the parties sign on different days, CUAD dates the contract by
# the last signature (it binds from then).
_SIGNATURE_MARK = re.compile(r"(?i)/s/|signature|\bby\s*:")
SIGNATURE_REACH = 250  # characters around a date searched for a signature block's marks
SIGNATURE_SPREAD = 400  # days: signature dates further apart are not the same signing


def _signed(text: str, date: tuple[str, int, int]) -> bool:
    window = text[max(0, date[1] - SIGNATURE_REACH) : date[2] + SIGNATURE_REACH]
    return _SIGNATURE_MARK.search(window) is not None


def _last_signature(
    text: str, dates: Sequence[tuple[str, int, int]], picked: tuple[str, int, int]
) -> tuple[str, int, int]:
    """The latest of the signature dates next to ``picked`` (``picked`` when it is none)."""
    if not _signed(text, picked):
        return picked
    day = dt.date.fromisoformat(picked[0])
    near = [
        d
        for d in dates
        if abs(d[1] - picked[1]) <= SIGNATURE_REACH
        and abs((dt.date.fromisoformat(d[0]) - day).days) <= SIGNATURE_SPREAD
    ]
    return max(near, key=lambda d: d[0])


def _candidate_dates(doc_text: DocumentText, start: int, end: int) -> list[tuple[str, int, int]]:
    """Dates in ``[start, end)`` (document offsets) outside running headers and footers and
    filing stamps, and not announced as an end."""
    text = doc_text.text
    skip = [(m.start(), m.end()) for m in _STAMP.finditer(text, start, end)]
    skip += [(ln.char_start, ln.char_end) for ln in doc_text.lines if ln.is_margin]
    return [
        (iso, start + s, start + e)
        for iso, s, e in iter_dates(text[start:end])
        if not any(a <= start + s < b for a, b in skip)
        and not END_CUE.search(text[max(0, start + s - 40) : start + s])
    ]


def pick_date(
    doc_text: DocumentText, start: int, end: int, name: str
) -> tuple[str, int, int] | None:
    """The contract's own date in ``[start, end)`` (document offsets): one announced by a cue
    word first (the stronger cues before the weaker), else the first date that is not in a
    running header/footer or a filing stamp; the last of a signature block's dates."""
    text = doc_text.text
    dates = _candidate_dates(doc_text, start, end)
    for before, after in _DATE_CUES[name]:
        for d in dates:
            cued = before.search(text[max(0, d[1] - 80) : d[1]])
            if cued or after.search(text[d[2] : d[2] + 40]):
                return _last_signature(text, dates, d)
    return _last_signature(text, dates, dates[0]) if dates else None


def signature_date(doc_text: DocumentText) -> tuple[str, int, int] | None:
    """The date of the contract's first signature block (its last signature), if dated."""
    text = doc_text.text
    dates = _candidate_dates(doc_text, 0, len(text))
    first = next((d for d in dates if _signed(text, d)), None)
    return _last_signature(text, dates, first) if first else None
