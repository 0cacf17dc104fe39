"""Key facts with normalised values and provenance: dates, term, renewal, notice, law.

Rules over the document text (and, where the clause model found them, over the clauses of
the matching category first): ISO 8601 dates (``2025-03-03``, :mod:`.dates`), ISO
durations (``P3Y``, ``P30D``, :mod:`.durations`), the date a term ends on, and
jurisdiction names (``New York``, ``England and Wales``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from westfall_legal.analysis.dates import END_CUE, iter_dates, pick_date, signature_date
from westfall_legal.analysis.durations import CUES, add_duration, nearest_duration, pick_duration
from westfall_legal.models import Clause, DocumentText, Fact

# Words that end a place name even in capitals ("LAWS OF DELAWARE APPLICABLE TO ...").
_NOT_A_PLACE = (
    r"(?!(?i:applicable|to|without|in|excluding|except|as|which|that|the|for|with|regard|shall"
    r"|governing|including|notwithstanding|its|their)\b)"
)
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # a place's words may run over a line break ("New\nYork")
# ... but only after a word that cannot end a place: "California\nEach party" stops at the break.
_RUNS_ON = frozenset({
    "New", "North", "South", "West", "East", "Rhode", "District", "Hong", "United", "British",
    "Puerto", "Northern", "Great", "People", "Republic", "Kingdom", "Federal", "Commonwealth",
    "State", "Province", "England", "Saudi", "Costa", "Sri", "El", "Isle", "Cayman", "Virgin",
    "Marshall", "Solomon", "Czech", "Dominican", "Ivory", "Sierra", "San", "Santa", "and", "of",
})  # fmt: skip
_PLACE = (
    r"(?i:the\s+)?(?:(?i:state|commonwealth|province|federal\s+republic|republic|kingdom)"
    r"\s+(?i:of)\s+)?(?i:the\s+)?"
    r"(?P<place>(?!(?i:agreement|contract|this|such|its|any|that|the)\b)[A-Z][A-Za-z]+(?:['’]s)?"
    r"(?:" + _GAP + r"(?:(?:and|of)" + _GAP + r")?" + _NOT_A_PLACE + r"[A-Z][A-Za-z]+){0,3})"
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
# From the start of a run of spaces only (from each of its spaces, it scanned to its end).
_TRAILING = re.compile(r"(?<!\s)\s+(?:and|without|applicable|excluding|except|as|which|in|to)$")


_ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
         "tenth", "eleventh", "twelfth")
    )
}  # fmt: skip
_ORDINALS.update({"fifteenth": 15, "twentieth": 20, "twenty-fifth": 25, "thirtieth": 30})
# "the fifth (5th) anniversary of the Effective Date": the start date plus five years.
_ANNIVERSARY = re.compile(
    r"\b(?:(?P<word>" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r")"
    r"|(?P<num>\d{1,2})(?:st|nd|rd|th))\s*(?:\(\s*\d{1,2}(?:st|nd|rd|th)?\s*\)\s*)?anniversary",
    re.I,
)
# "at any time after the third anniversary": a time within the term, not its end.
_AFTER_CUE = re.compile(r"(?i:after|following|from|since)\s+(?:the\s+)?$")
# A date that starts something ("to commence on January 4, 1999") is not where it ends.
_START_CUE = re.compile(r"(?i:commenc\w*|begin\w*|start\w*|from|effective)(?:\W+\w+){0,2}\W{0,4}$")
# "the first anniversary of the date of this Agreement": counted from the agreement date.
_OF_AGREEMENT = re.compile(r"\s+of\s+(?:the\s+date\s+of\s+)?this\s+agreement", re.I)


_Date = tuple[str, int, int]


def _end_date(
    chunk: str, dates: list[_Date], starts: list[_Date], start: str | None, dated: str | None
) -> _Date | None:
    """Where a term clause says its term ends: a date announced as an end ("expires on",
    "until") after the start, else the Nth anniversary of the start (of ``dated``, the
    agreement date, for "of this Agreement"), else the first later date that does not
    announce a start (``starts``). ``dates`` are the clause's dates."""
    later = [d for d in dates if start is None or d[0] > start]
    for d in later:
        if END_CUE.search(chunk[max(0, d[1] - 40) : d[1]]):
            return d
    anniversaries = [
        m
        for m in _ANNIVERSARY.finditer(chunk)
        if not _AFTER_CUE.search(chunk[max(0, m.start() - 30) : m.start()])
    ]
    if start is not None and anniversaries:
        m = anniversaries[0]
        years = int(m.group("num") or _ORDINALS[m.group("word").lower()])
        base = dated if dated and _OF_AGREEMENT.match(chunk, m.end()) else start
        end = add_duration(base, f"P{years}Y")
        if end:
            return end, m.start(), m.end()
    unannounced = [d for d in later if d not in starts]
    return unannounced[0] if unannounced else None


def _expiration(
    doc_text: DocumentText, clauses: Sequence[Clause], facts: dict[str, Fact]
) -> Fact | None:
    """A date the term ends on, or the start date plus a fixed term."""
    text = doc_text.text
    start = facts.get("effective_date") or facts.get("agreement_date")
    begin = None if start is None else str(start.value)
    dated = str(facts["agreement_date"].value) if "agreement_date" in facts else None
    for s0, e0 in _spans_of(clauses, "Expiration Date"):
        chunk = text[s0:e0]
        dates = iter_dates(chunk)
        # Dates announced as a start: "for 24 months commencing on January 4, 1999".
        starts = [d for d in dates if _START_CUE.search(chunk[max(0, d[1] - 60) : d[1]])]
        if found := _end_date(chunk, dates, starts, begin, dated):
            iso, s, e = found
            return _fact(doc_text, "expiration_date", iso, s0 + s, s0 + e, 0.7)
        term = pick_duration(chunk, CUES["term"])
        base = starts[0][0] if starts else begin
        if term and base is not None:
            end = add_duration(base, term[0])
            if end:
                return _fact(doc_text, "expiration_date", end, s0 + term[1], s0 + term[2], 0.5)
    return None


def normalise_jurisdiction(place: str) -> str:
    place = _TRAILING.sub("", " ".join(place.replace("’", "'").split()).rstrip(".,"))
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
        raw, end = m.group("place"), m.end()
        first, broken, _rest = raw.partition("\n")
        if broken and first.split()[-1].rstrip("'’s") not in _RUNS_ON:  # "California\nEach"
            raw, end = first, m.start("place") + len(first.rstrip())
        place = normalise_jurisdiction(raw)
        if place:
            facts["governing_law"] = _fact(doc_text, "governing_law", place, m.start(), end, 0.9)

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
            if (near := nearest_duration(text[start:end], CUES[name]))
        ]
        if choices:
            _, _, start, (iso, s, e) = min(choices)
            facts[name] = _fact(doc_text, name, iso, start + s, start + e, 0.7)
    expiry = _expiration(doc_text, clauses, facts)
    if expiry is not None:
        facts["expiration_date"] = expiry
    return facts
