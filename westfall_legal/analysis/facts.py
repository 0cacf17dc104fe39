"""Key facts with normalised values and provenance: dates, term, renewal, notice, law.

Rules over the document text (and, where the clause model found them, over the clauses of
the matching category first): ISO 8601 dates (``2025-03-03``), ISO durations (``P3Y``,
``P30D``) and jurisdiction names (``New York``, ``England and Wales``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator, Sequence

from westfall_legal.models import Clause, DocumentText, Fact

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
    # "April 15, 2010", "April 15 , 2010", "Aug. 8 2018"
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:\s*,\s*|\s+){_YEAR}\b", re.I),
    # "15th day of April, 2010", "1st of March, 2003", "as of1 August 2019" (no space)
    re.compile(rf"(?<![\d.]){_DAY}\s+(?:day\s+)?(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<year>(?:19|20)?\d\d)\b"),  # 4/15/10
    re.compile(r"(?<![\d-])(?P<m>\d{1,2})-(?P<d>\d{1,2})-(?P<year>(?:19|20)?\d\d)(?![\d-])"),
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<year>(?:19|20)\d\d)\b"),  # 1.4.2011
]
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
_QTY = rf"(?P<qty>\d{{1,3}}|(?:{_NUMBER_WORD}))(?:\s*\((?P<digits>\d{{1,3}})\))?"
_UNIT = r"(?P<unit>year|month|day|week)s?"
_DURATION = re.compile(rf"\b{_QTY}[\s-]+(?:calendar\s+|business\s+)?{_UNIT}\b", re.I)
# Words that end a place name even in capitals ("LAWS OF DELAWARE APPLICABLE TO ...").
_NOT_A_PLACE = (
    r"(?!(?i:applicable|to|without|in|excluding|except|as|which|that|the|for|with|regard|shall"
    r"|governing|including|notwithstanding|its|their)\b)"
)
_PLACE = (
    r"(?i:the\s+)?(?:(?i:state|commonwealth|province|federal\s+republic|republic|kingdom)"
    r"\s+(?i:of)\s+)?(?i:the\s+)?"
    r"(?P<place>(?!(?i:agreement|contract|this|such|its|any|that|the)\b)[A-Z][A-Za-z]+(?:'s)?"
    r"(?:[ \t]+(?:(?:and|of)[ \t]+)?" + _NOT_A_PLACE + r"[A-Z][A-Za-z]+){0,3})"
)
_LAWS_OF = (
    r"\b(?i:(?:laws?|legislation)(?:\s+and\s+(?:\w+\s+)?(?:decisions|regulations|statutes))?"
    r"\s+(?:in\s+force\s+in|of))\s+"
)
# Anywhere in the text: a choice-of-law sentence, "governed by ... the laws of X" ...
_LAW = re.compile(
    r"(?i:govern\w*|constru\w*|interpret\w*|enforc\w*)\s+(?i:by|under|in accordance with)"
    r"[^.;]{0,80}?" + _LAWS_OF + _PLACE
)
# ... "governed by PRC laws" ...
_LAW_ADJECTIVE = re.compile(
    r"(?i:govern\w*|constru\w*)\s+(?i:by|under|in accordance with)\s+(?:the\s+)?"
    r"(?P<place>PRC|[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)\s+(?i:laws?)\b"
)
# ... "the laws of X shall govern", "the law of X applies" ...
_LAW_FIRST = re.compile(
    _LAWS_OF + _PLACE + r"[^.;]{0,20}?\s(?i:shall|will|governs?|appl(?:y|ies))\b"
)
# ... "accepted in the State of X and governed by the laws thereof".
_LAW_THEREOF = re.compile(
    r"(?i:state|commonwealth|province)\s+(?i:of)\s+" + _PLACE + r"[^.;]{0,80}?"
    r"(?i:govern\w*)[^.;]{0,80}?(?i:laws?\s+thereof)"
)
# Inside a clause the model labelled Governing Law: any "laws of X".
_LAW_IN_CLAUSE = re.compile(_LAWS_OF + _PLACE)
_PLACE_NAMES = {
    "PRC": "People's Republic of China",
    "United States of America": "United States",
    "USA": "United States",
    "U.S.A": "United States",
}
_TRAILING = re.compile(r"\s+(?:and|without|applicable|excluding|except|as|which|in|to)$")


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
                    date = dt.date(_year(g["year"]), int(g["m"]), int(g["d"]))
            except (KeyError, ValueError):
                continue
            if not any(s < m.end() and m.start() < e for _, s, e in found):
                found.append((date.isoformat(), m.start(), m.end()))
    return sorted(found, key=lambda d: d[1])


def parse_date(text: str) -> tuple[str, int, int] | None:
    """The first date in ``text``: (ISO date, start, end)."""
    return next(iter(iter_dates(text)), None)


# A filing stamp repeated on every page of an EDGAR exhibit: "Source: ACME INC, 8-K, 8/22/2018".
_STAMP = re.compile(r"^\s*Source:[^\n]*$", re.M)
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
_END_CUE = re.compile(r"(?i:until|expir\w*|terminat\w*|through|ending|end(?:s)? on)\W{0,12}$")
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
        and not _END_CUE.search(text[max(0, start + s - 40) : start + s])
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


def parse_duration(text: str) -> tuple[str, int, int] | None:
    """The first duration in ``text`` as ISO 8601 (``P3Y``), with its span."""
    return next(iter_durations(text), None)


def iter_durations(text: str) -> Iterator[tuple[str, int, int]]:
    """Every duration in ``text`` as ISO 8601 (``P3Y``), with its span."""
    for m in _DURATION.finditer(text):
        qty = m.group("qty").lower()
        if m.group("digits"):  # "thirty-six (36) months": the figures are unambiguous
            qty = m.group("digits")
        n = int(qty) if qty.isdigit() else _NUMBER_WORDS.get(" ".join(re.split(r"[\s-]+", qty)))
        if not n:
            continue
        unit = {"year": "Y", "month": "M", "day": "D", "week": "W"}[m.group("unit").lower()]
        yield f"P{n}{unit}", m.start(), m.end()


_CUES = {
    "term": re.compile(r"\b(?:term|period|expir\w*|continu\w*|until)\b", re.I),
    "renewal_term": re.compile(r"\b(?:renew\w*|successive|additional|extend\w*)\b", re.I),
    "notice_period": re.compile(r"\b(?:notice|prior|before|advance|written)\b", re.I),
}


def pick_duration(text: str, cue: re.Pattern[str]) -> tuple[str, int, int] | None:
    """The duration nearest a cue word ("notice", "renew"...): a clause often has several."""
    found = _nearest_duration(text, cue)
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


def _nearest_duration(text: str, cue: re.Pattern[str]) -> tuple[int, tuple[str, int, int]] | None:
    """(gap in characters to the nearest cue word, duration) of the closest duration.

    Outside the notice period itself, a duration followed by "notice"/"prior"/"before" is a
    notice period and is passed over ("renews for one year unless 30 days' notice").
    """
    cues = [(m.start(), m.end()) for m in cue.finditer(text)]
    best: tuple[int, tuple[str, int, int]] | None = None
    durations = list(iter_durations(text))
    if cue is _CUES["renewal_term"]:  # "renews from year to year", "for annual periods"
        durations += [(iso, m.start(), m.end()) for iso, m in _periodic(text)]
    for dur in durations:
        after = text[dur[2] : dur[2] + 30]
        if cue is not _CUES["notice_period"] and _NOTICE_AFTER.match(after):
            continue
        if cue is _CUES["notice_period"] and _A_TERM_AFTER.match(after):
            continue  # "renews for successive one (1) year terms unless notice"
        gap = min((max(cs - dur[2], dur[1] - ce, 0) for cs, ce in cues), default=10**6)
        before = text[max(0, dur[1] - 50) : dur[1]]
        if cue is _CUES["renewal_term"] and _INITIAL.search(before) and not cue.search(before):
            gap += INITIAL_PENALTY  # "an initial term of seven years, renewing for one year"
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


def _expiration(
    doc_text: DocumentText, clauses: Sequence[Clause], facts: dict[str, Fact]
) -> Fact | None:
    """A date the term ends on, or the start date plus a fixed term."""
    text = doc_text.text
    start = facts.get("effective_date") or facts.get("agreement_date")
    for s0, e0 in _spans_of(clauses, "Expiration Date"):
        chunk = text[s0:e0]
        later = [d for d in iter_dates(chunk) if start is None or d[0] > str(start.value)]
        if later:
            iso, s, e = later[0]
            return _fact(doc_text, "expiration_date", iso, s0 + s, s0 + e, 0.7)
        term = pick_duration(chunk, _CUES["term"])
        if term and start is not None:
            end = add_duration(str(start.value), term[0])
            if end:
                return _fact(doc_text, "expiration_date", end, s0 + term[1], s0 + term[2], 0.5)
    return None


def normalise_jurisdiction(place: str) -> str:
    place = _TRAILING.sub("", place.strip().rstrip(".,"))
    while _TRAILING.search(place):
        place = _TRAILING.sub("", place)
    words = place.split()
    if len(words) >= 2 and words[0] == "England" and "Wales" in words:
        return "England and Wales"
    joined = " ".join(words)
    if joined.lower() in ("state", "province", "commonwealth", "country", "jurisdiction"):
        return ""
    if joined in _PLACE_NAMES:
        return _PLACE_NAMES[joined]
    if len(words) >= 3 and words[-1] == "State":  # "New York State"
        words = words[:-1]
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

    found = _first(doc_text, _spans_of(clauses, "Governing Law"), _LAW_IN_CLAUSE)
    for pattern in (_LAW, _LAW_FIRST, _LAW_THEREOF, _LAW_ADJECTIVE):
        found = found or _first(doc_text, whole, pattern)
    if found:
        m, _ = found
        place = normalise_jurisdiction(m.group("place"))
        if place:
            facts["governing_law"] = _fact(
                doc_text, "governing_law", place, m.start(), m.end(), 0.9
            )

    head = (0, min(len(text), 4000))
    signed = functools.cache(lambda: signature_date(doc_text))  # read once for both dates
    for name, category in (
        ("agreement_date", "Agreement Date"),
        ("effective_date", "Effective Date"),
    ):
        for start, end in [*_spans_of(clauses, category), head]:
            picked = pick_date(doc_text, start, end, name)
            if picked:
                iso, s, e = picked
                conf = 0.8 if (start, end) != head else 0.6
                facts[name] = _fact(doc_text, name, iso, s, e, conf)
                break
        else:  # undated opening ("effective as of the later of the signature dates below")
            if date := signed():
                facts[name] = _fact(doc_text, name, date[0], date[1], date[2], 0.5)
    for name, category in (
        ("term", "Expiration Date"),
        ("renewal_term", "Renewal Term"),
        ("notice_period", "Notice Period To Terminate Renewal"),
    ):
        # Over all clauses of the category, the duration closest to its cue word wins; ties
        # go to the more confident clause (the spans come most confident first).
        choices = [
            (near[0], i, start, near[1])
            for i, (start, end) in enumerate(_spans_of(clauses, category))
            if (near := _nearest_duration(text[start:end], _CUES[name]))
        ]
        if choices:
            _, _, start, (iso, s, e) = min(choices)
            facts[name] = _fact(doc_text, name, iso, start + s, start + e, 0.7)
    expiry = _expiration(doc_text, clauses, facts)
    if expiry is not None:
        facts["expiration_date"] = expiry
    return facts
