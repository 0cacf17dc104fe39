"""Key facts with normalised values and provenance: dates, term, renewal, notice, law.

Rules over the document text (and, where the clause model found them, over the clauses of
the matching category first): ISO 8601 dates (``2025-03-03``), ISO durations (``P3Y``,
``P30D``) and jurisdiction names (``New York``, ``England and Wales``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from westfall_legal.models import Clause, DocumentText, Fact

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_DAY}\s+(?:day\s+of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<year>(?:19|20)?\d\d)\b"),
]
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve")
    )
}  # fmt: skip
_NUMBER_WORDS.update(
    {"fifteen": 15, "twenty": 20, "thirty": 30, "forty-five": 45, "forty": 40, "sixty": 60}
)
_NUMBER_WORDS.update({"ninety": 90, "one hundred twenty": 120, "one hundred eighty": 180})
_QTY = r"(?P<qty>\d{1,3}|[a-z]+(?:[- ][a-z]+)?)(?:\s*\(\d{1,3}\))?"
_UNIT = r"(?P<unit>year|month|day|week)s?"
_DURATION = re.compile(rf"\b{_QTY}[\s-]+(?:calendar\s+|business\s+)?{_UNIT}\b", re.I)
_LAW = re.compile(
    r"govern(?:ed|s)?\s+(?:by|under)[^.;]{0,80}?\blaws?\s+of\s+(?:the\s+)?"
    r"(?:(?i:state|commonwealth|province|republic|kingdom)\s+of\s+)?"
    r"(?P<place>[A-Z][A-Za-z.]*(?:\s+(?:and\s+)?[A-Z][A-Za-z.]*){0,3})",
)
_LAW_FALLBACK = re.compile(
    r"\blaws?\s+of\s+(?:the\s+)?(?i:state|commonwealth)\s+of\s+(?P<place>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
)
_TRAILING = re.compile(r"\s+(?:and|without|applicable|excluding|except|as|which|in|to)$")


def _year(text: str) -> int:
    y = int(text)
    return y + (2000 if y < 50 else 1900) if y < 100 else y


def parse_date(text: str) -> tuple[str, int, int] | None:
    """The first date in ``text``: (ISO date, start, end)."""
    best: tuple[str, int, int] | None = None
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            g = m.groupdict()
            try:
                if g.get("month"):
                    month = MONTHS[g["month"].lower().rstrip(".")[:4].rstrip("t")[:3]]
                    date = dt.date(_year(g["year"]), month, int(g["day"]))
                else:
                    date = dt.date(_year(g["year"]), int(g["m"]), int(g["d"]))
            except (KeyError, ValueError):
                continue
            if best is None or m.start() < best[1]:
                best = (date.isoformat(), m.start(), m.end())
            break
    return best


def parse_duration(text: str) -> tuple[str, int, int] | None:
    """The first duration in ``text`` as ISO 8601 (``P3Y``), with its span."""
    for m in _DURATION.finditer(text):
        qty = m.group("qty").lower()
        n = int(qty) if qty.isdigit() else _NUMBER_WORDS.get(qty.replace(" ", "-"))
        if n is None:
            n = _NUMBER_WORDS.get(qty.split()[-1].split("-")[-1])
        if not n:
            continue
        unit = {"year": "Y", "month": "M", "day": "D", "week": "W"}[m.group("unit").lower()]
        return f"P{n}{unit}", m.start(), m.end()
    return None


def normalise_jurisdiction(place: str) -> str:
    place = _TRAILING.sub("", place.strip().rstrip(".,"))
    while _TRAILING.search(place):
        place = _TRAILING.sub("", place)
    words = place.split()
    if len(words) >= 2 and words[0] == "England" and "Wales" in words:
        return "England and Wales"
    return " ".join(w.capitalize() if w.isupper() else w for w in words)


def _first(
    doc_text: DocumentText, spans: Iterable[tuple[int, int]], pattern: re.Pattern[str]
) -> tuple[re.Match[str], int] | None:
    for start, end in spans:
        m = pattern.search(doc_text.text, start, end)
        if m:
            return m, start
    return None


def _fact(
    doc_text: DocumentText, name: str, value: object, start: int, end: int, conf: float
) -> Fact:
    page, _ = doc_text.locate(start, end)
    return Fact(name, value, doc_text.text[start:end], start, end, page, conf)


def _spans_of(clauses: Sequence[Clause], category: str) -> list[tuple[int, int]]:
    ranked = sorted((c for c in clauses if c.category == category), key=lambda c: -c.confidence)
    return [(c.char_start, c.char_end) for c in ranked]


def extract_facts(doc_text: DocumentText, clauses: Sequence[Clause]) -> dict[str, Fact]:
    text = doc_text.text
    whole = [(0, len(text))]
    facts: dict[str, Fact] = {}

    found = _first(doc_text, _spans_of(clauses, "Governing Law") + whole, _LAW) or _first(
        doc_text, whole, _LAW_FALLBACK
    )
    if found:
        m, _ = found
        place = normalise_jurisdiction(m.group("place"))
        if place:
            facts["governing_law"] = _fact(
                doc_text, "governing_law", place, m.start(), m.end(), 0.9
            )

    head = (0, min(len(text), 4000))
    for name, category in (
        ("agreement_date", "Agreement Date"),
        ("effective_date", "Effective Date"),
    ):
        for start, end in [*_spans_of(clauses, category), head]:
            parsed = parse_date(text[start:end])
            if parsed:
                iso, s, e = parsed
                conf = 0.8 if (start, end) != head else 0.6
                facts[name] = _fact(doc_text, name, iso, start + s, start + e, conf)
                break
    for name, category in (
        ("term", "Expiration Date"),
        ("renewal_term", "Renewal Term"),
        ("notice_period", "Notice Period To Terminate Renewal"),
    ):
        for start, end in _spans_of(clauses, category):
            dur = parse_duration(text[start:end])
            if dur:
                iso, s, e = dur
                facts[name] = _fact(doc_text, name, iso, start + s, start + e, 0.7)
                break
    expiry = next(
        (p for s, e in _spans_of(clauses, "Expiration Date") if (p := parse_date(text[s:e]))),
        None,
    )
    if expiry is not None:
        spans = _spans_of(clauses, "Expiration Date")
        s0 = next(s for s, e in spans if parse_date(text[s:e]) == expiry)
        facts["expiration_date"] = _fact(
            doc_text, "expiration_date", expiry[0], s0 + expiry[1], s0 + expiry[2], 0.7
        )
    return facts
