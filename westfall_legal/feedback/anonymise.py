"""Anonymisation of everything a bundle carries, with consistent placeholders.

Two passes over the documents of one bundle:

1. :meth:`Anonymiser.learn` collects the names a review knows: the parties (signature
   blocks, the preamble's "between X and Y", the Parties clause, a ``parties`` fact) and
   the people (signatories, ``Name:`` / ``Attention:`` lines, conformed ``/s/`` signatures).
2. :meth:`Anonymiser.text` replaces, in any text: party names with ``PARTY_A``,
   ``PARTY_B``... (the same party gets the same placeholder in every document and member of
   the bundle), people with ``[PERSON]``, and what :mod:`.patterns` finds (emails, web
   addresses, phones, postal addresses, account numbers, signatures) with ``[EMAIL]``...
   It returns the new text with an :class:`OffsetMap`, so character spans into the
   original text can be moved onto the anonymised one.

The original -> placeholder map (:meth:`Anonymiser.report`'s ``mapping``) is for the local
preview only: it is never written into a bundle. :meth:`Anonymiser.leaks` searches text for
any original value learnt, so the writer can refuse to write a bundle that still holds one.
"""

from __future__ import annotations

import bisect
import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from westfall_legal.feedback import patterns

PLACEHOLDERS = {
    "person": "[PERSON]",
    "email": "[EMAIL]",
    "url": "[URL]",
    "phone": "[PHONE]",
    "address": "[ADDRESS]",
    "account": "[ACCOUNT]",
    "signature": "[SIGNATURE]",
}
KINDS = ("party", *PLACEHOLDERS)
# Kinds that win an overlap, first first (an email holds a party's domain name, ...).
_PRIORITY = {k: i for i, k in enumerate(("email", "url", "account", "signature", "phone"))}

_CORPORATE = re.compile(
    r"[,\s]+(?:Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|Company|Co|LLP|LP|"
    r"L\.P|plc|GmbH|AG|S\.A|N\.V|B\.V|PLC|S\.p\.A|Pty)\.?$",
    re.IGNORECASE,
)
_SUFFIXES = (
    "Inc", "Incorporated", "LLC", "L.L.C", "Ltd", "Limited", "Corp", "Corporation", "Company",
    "LLP", "L.P", "LP", "plc", "GmbH", "AG", "S.A", "N.V", "B.V",
)  # fmt: skip
# A company name in running text: capitalised words ending in a capitalised (or upper-case)
# corporate suffix, so "a Delaware corporation" is not taken for one.
_COMPANY_NAME = re.compile(
    r"(?:[A-Z0-9][\w&'.-]*,?[ \t\n]+){1,6}?(?:"
    + "|".join(re.escape(v) for s in _SUFFIXES for v in dict.fromkeys((s, s.upper())))
    + r")\b\.?"
)
_BETWEEN = re.compile(r"\bbetween\b", re.IGNORECASE)
PREAMBLE_CHARS = 3000
# Words that do not identify a party on their own (the leading distinctive words of a
# name, e.g. "Halloran Pike" of "Halloran Pike Digital Services, Inc.", are also replaced).
GENERIC = frozenset(
    "the and of a an services service digital provisions holdings holding group technologies "  # noqa: SIM905
    "technology international systems solutions capital partners global management industries "
    "enterprises company corporation bank trust american national united general first new "
    "north south east west media energy software pharmaceuticals health financial resources "
    "products communications networks investments properties ventures consulting associates "
    "brands foods logistics labs laboratories data network online mobile medical therapeutics "
    "motors entertainment inc llc ltd corp co limited plc lp llp federal state institute "
    "university association society foundation council department commission authority "
    "agency office insurance deposit assurance life".split()
)
# Words a finder may take in front of a name; words that make a "name" a heading.
LEADING = frozenset(
    "by and between among amongst as for of to the with from exhibit schedule annex appendix "  # noqa: SIM905
    "dated this is made entered into".split()
)
HEADINGS = frozenset(
    "agreement amendment exhibit schedule annex appendix page section article signature "  # noqa: SIM905
    "signatures witness whereof".split()
)
ROLES = frozenset(
    "provider customer client supplier vendor licensor licensee buyer seller purchaser "  # noqa: SIM905
    "company contractor consultant distributor manufacturer party parties lender borrower "
    "landlord tenant employer employee franchisor franchisee agent principal reseller "
    "partner member owner developer publisher sponsor investor guarantor".split()
)

# Places are not replaced on their own (a party "Texas Pacific Land Corp" must not turn the
# governing law "State of Texas" into a placeholder): the first-word variant skips them.
PLACES = frozenset(
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "  # noqa: SIM905
    "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts "
    "michigan minnesota mississippi missouri montana nebraska nevada hampshire jersey mexico "
    "york carolina dakota ohio oklahoma oregon pennsylvania rhode tennessee texas utah vermont "
    "virginia washington wisconsin wyoming america canada ontario quebec england britain wales "
    "scotland ireland london paris germany france china japan india singapore hong kong "
    "australia switzerland netherlands luxembourg bermuda cayman pacific atlantic".split()
)


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\s,]+", name.strip()) if t]


def _pattern(tokens: list[str]) -> str:
    """Tokens matched with any run of spaces/line breaks (and optional commas) between; a
    final abbreviation matches with or without its full stop ("Inc" and "Inc.")."""
    words = [t.strip(",") for t in tokens]
    if words and words[-1].endswith("."):
        words[-1] = words[-1][:-1]
    source = r"[,]?\s+".join(re.escape(w) for w in words)
    if _CORPORATE.search(" " + words[-1]):  # its full stop, unless it also ends a sentence
        source += r"(?:\.(?!\s+(?-i:[A-Z])|\s*$))?"
    return source


def party_key(name: str) -> str:
    core = _CORPORATE.sub("", " ".join(_tokens(name)))
    return " ".join(w.strip(string.punctuation).casefold() for w in core.split())


def _leading_junk(token: str, left: int) -> bool:
    word = token.strip(string.punctuation)
    if word.casefold() in LEADING:
        return True
    if not re.search(r"[A-Za-z]{2}", token):  # "1.2", "(a)"
        return True
    return bool(_CORPORATE.search(" " + token)) and left > 2


def clean_party(name: str) -> str:
    """A party name without what a finder caught around it: leading connectives and
    headings ("BY AND BETWEEN", "Exhibit 1.2", "And as and for") and a leading corporate
    suffix left by the name before; "" for a heading ("SIGNATURE PAGE TO ... AGREEMENT")."""
    tokens = _tokens(name)
    while tokens and _leading_junk(tokens[0], len(tokens)):
        tokens = tokens[1:]
    if any(t.strip(string.punctuation).casefold() in HEADINGS for t in tokens):
        return ""
    return " ".join(tokens)


def _is_party_name(name: str) -> bool:
    """At least one word that is neither generic, nor a role, nor a place."""
    words = [w.strip(string.punctuation).casefold() for w in _tokens(name)]
    return any(w and w not in GENERIC | ROLES | PLACES for w in words)


def party_variants(name: str) -> list[tuple[str, int]]:
    """Regex sources for a party, each with the length of the text it stands for (longer
    ones are tried first): the full name, the name without its corporate suffix, its
    leading distinctive words ("Halloran Pike"), and its first word alone when distinctive
    ("Halloran", matched only as Halloran or HALLORAN, never as a lower-case word)."""
    full = _tokens(name.strip().rstrip(",;"))
    core = _tokens(_CORPORATE.sub("", " ".join(full)))
    out = [(_pattern(full), len(" ".join(full)))]
    if core and core != full:
        out.append((_pattern(core), len(" ".join(core))))
    lead: list[str] = []
    for token in core:
        if token.strip(string.punctuation).casefold() in GENERIC | ROLES:
            break
        lead.append(token)
    if len(lead) >= 2 and lead != core:  # one word alone: the case-sensitive variant below
        out.append((_pattern(lead), len(" ".join(lead))))
    first = core[0].strip(string.punctuation) if core else ""
    common = GENERIC | ROLES | PLACES
    if len(first) >= 5 and first.isalpha() and first.casefold() not in common:
        word = first.capitalize()
        out.append((f"(?-i:{re.escape(word)}|{re.escape(word.upper())})", len(first)))
    return out


def person_variants(name: str) -> list[tuple[str, int]]:
    """A person's full name, and the name without middle initials."""
    tokens = _tokens(name)
    out = [(_pattern(tokens), len(name))]
    plain = [t for t in tokens if not re.fullmatch(r"[A-Z]\.?", t)]
    if len(plain) >= 2 and plain != tokens:
        out.append((_pattern(plain), len(" ".join(plain))))
    return out


@dataclass(frozen=True)
class OffsetMap:
    """Moves character offsets of an original text onto its anonymised text."""

    # (old start, old end, new start, new end) of each replacement, in order
    spans: tuple[tuple[int, int, int, int], ...] = ()

    def _shift(self, pos: int, *, end: bool) -> int:
        i = bisect.bisect_right([s[0] for s in self.spans], pos if not end else pos - 1) - 1
        if i < 0:
            return pos
        _, old_end, new_start, new_end = self.spans[i]
        if pos < old_end or (end and pos == old_end):
            return new_end if end else new_start
        return pos - old_end + new_end

    def start(self, pos: int) -> int:
        return self._shift(pos, end=False)

    def end(self, pos: int) -> int:
        return self._shift(pos, end=True)


@dataclass
class Anonymised:
    text: str
    offsets: OffsetMap
    counts: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class AnonymisationReport:
    """What was replaced. ``mapping`` (original -> placeholder) is for the local preview
    only and is never written into a bundle; :meth:`for_bundle` is what is."""

    counts: dict[str, int]
    per_document: dict[str, dict[str, int]]
    placeholders: list[str]
    mapping: dict[str, str]
    enabled: bool = True

    def for_bundle(self) -> dict[str, Any]:
        return {
            "anonymised": self.enabled,
            "counts": self.counts,
            "per_document": self.per_document,
            "placeholders": self.placeholders,
        }


class Anonymiser:
    def __init__(self) -> None:
        self._parties: dict[str, str] = {}  # party key -> placeholder
        self._party_names: dict[str, str] = {}  # a seen spelling -> placeholder
        self._people: set[str] = set()
        self._found: dict[str, str] = {}  # every original value replaced -> placeholder
        self._per_document: dict[str, Counter[str]] = {}
        self._regex: re.Pattern[str] | None = None
        self._lookup: list[str] = []

    # Pass 1 ------------------------------------------------------------------------------

    def add_party(self, name: str) -> None:
        name = " ".join(name.split()).strip(" ,;:")
        if name.lower().startswith("/s/"):  # a conformed signature: a person signing
            self.add_person(name[3:])
            return
        name = clean_party(name)
        if len(name) < 3 or not _is_party_name(name):
            return
        key = party_key(name)
        if key not in self._parties:
            self._parties[key] = f"PARTY_{_letters(len(self._parties))}"
        self._party_names[name] = self._parties[key]
        self._regex = None

    def add_person(self, name: str) -> None:
        name = " ".join(name.split()).strip(" ,;:")
        if patterns.looks_like_person(name):
            self._people.add(name)
            self._regex = None

    def learn(self, text: str, body: Mapping[str, Any], clauses: Iterable[Any] = ()) -> None:
        """Names from a review: its text, its stored body (``structure``, ``facts``) and
        clauses (objects with ``category`` and ``text``)."""
        structure = body.get("structure") or {}
        for block in structure.get("signature_blocks") or []:
            if block.get("party"):
                self.add_party(str(block["party"]))
            if block.get("signatory"):
                self.add_person(str(block["signatory"]))
        facts = body.get("facts") or {}
        parties = facts.get("parties")
        value = parties.get("value") if isinstance(parties, Mapping) else parties
        for name in value if isinstance(value, list) else [value] if value else []:
            self.add_party(str(name))
        for m in _BETWEEN.finditer(text[:PREAMBLE_CHARS]):
            for found in _COMPANY_NAME.finditer(text, m.end(), m.end() + 600):
                self.add_party(found.group())
        for clause in clauses:
            if getattr(clause, "category", "") == "Parties":
                for found in _COMPANY_NAME.finditer(str(clause.text)):
                    self.add_party(found.group())
        for name, _s, _e in patterns.name_lines(text):
            self.add_person(name)
        for m in patterns.CONFORMED.finditer(text):
            self.add_person(m.group()[3:].strip())

    # Pass 2 ------------------------------------------------------------------------------

    def _names(self) -> re.Pattern[str] | None:
        if self._regex is None:
            alternatives: list[tuple[str, int, str]] = []
            for name, placeholder in self._party_names.items():
                alternatives += [(v, n, placeholder) for v, n in party_variants(name)]
            for person in self._people:
                alternatives += [(v, n, PLACEHOLDERS["person"]) for v, n in person_variants(person)]
            alternatives.sort(key=lambda a: -a[1])
            if not alternatives:
                return None
            self._lookup = [p for _, _, p in alternatives]
            self._regex = re.compile(
                "|".join(
                    rf"(?<!\w)(?P<n{i}>{src})(?!\w)" for i, (src, _, _) in enumerate(alternatives)
                ),
                re.IGNORECASE,
            )
        return self._regex

    def _hits(self, text: str) -> list[tuple[int, int, str, str]]:
        hits = [(s, e, k, PLACEHOLDERS[k]) for s, e, k in patterns.find_all(text)]
        regex = self._names()
        if regex is not None:
            for m in regex.finditer(text):
                placeholder = self._lookup[int(str(m.lastgroup)[1:])]
                kind = "person" if placeholder == PLACEHOLDERS["person"] else "party"
                hits.append((m.start(), m.end(), kind, placeholder))
        hits.sort(key=lambda h: (h[0], _PRIORITY.get(h[2], 99), -(h[1] - h[0])))
        chosen: list[tuple[int, int, str, str]] = []
        for hit in hits:
            if hit[1] <= hit[0]:
                continue
            if chosen and hit[0] < chosen[-1][1]:
                last = chosen[-1]
                if _PRIORITY.get(hit[2], 99) < _PRIORITY.get(last[2], 99) and hit[0] == last[0]:
                    chosen[-1] = hit
                elif hit[1] > last[1] and hit[2] == last[2]:
                    chosen[-1] = (last[0], hit[1], last[2], last[3])  # merge
                continue
            chosen.append(hit)
        return chosen

    def tally(self, document: str, counts: Counter[str]) -> None:
        """Count one document's replacements in the report under its bundle name."""
        self._per_document.setdefault(document, Counter()).update(counts)

    def text(self, text: str) -> Anonymised:
        """``text`` with every name and pattern replaced."""
        parts: list[str] = []
        spans: list[tuple[int, int, int, int]] = []
        counts: Counter[str] = Counter()
        pos = new_pos = 0
        for start, end, kind, placeholder in self._hits(text):
            parts.append(text[pos:start])
            new_pos += start - pos
            parts.append(placeholder)
            spans.append((start, end, new_pos, new_pos + len(placeholder)))
            new_pos += len(placeholder)
            pos = end
            counts[kind] += 1
            original = " ".join(text[start:end].split())
            if len(original) >= 3:
                self._found.setdefault(original, placeholder)
        parts.append(text[pos:])
        return Anonymised("".join(parts), OffsetMap(tuple(spans)), counts)

    def snippet(self, value: str) -> str:
        """Free text that is not part of a document (a comment, a fact typed by a reviewer)."""
        return self.text(value).text

    def value(self, value: Any) -> Any:
        """A JSON value with every string in it anonymised."""
        if isinstance(value, str):
            return self.snippet(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value

    # Checks and the report ---------------------------------------------------------------

    def originals(self) -> list[str]:
        names = [*self._party_names, *self._people, *self._found]
        return sorted({n for n in names if len(n) >= 4}, key=len, reverse=True)

    def leaks(self, text: str) -> list[str]:
        """Originals (names, emails, numbers ... learnt or replaced) still present in
        ``text``: compared case-insensitively with any whitespace, except single words, which
        are replaced (and so looked for) only as Word or WORD."""
        flat = " ".join(text.split()).casefold()
        found = []
        for o in self.originals():
            if o.isalpha():
                word = re.escape(o.capitalize()) + "|" + re.escape(o.upper())
                if re.search(rf"(?<!\w)(?:{word})(?!\w)", text):
                    found.append(o)
            elif o.casefold() in flat:
                found.append(o)
        return found

    def report(self) -> AnonymisationReport:
        total: Counter[str] = Counter()
        for counts in self._per_document.values():
            total.update(counts)
        mapping = {**self._found, **self._party_names}
        mapping.update({p: PLACEHOLDERS["person"] for p in self._people})
        return AnonymisationReport(
            counts={k: total.get(k, 0) for k in KINDS},
            per_document={d: dict(sorted(c.items())) for d, c in self._per_document.items()},
            placeholders=sorted(set(self._parties.values())),
            mapping=dict(sorted(mapping.items())),
        )


def _letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA ..."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def plain_report() -> AnonymisationReport:
    """The report of a bundle written with ``--no-anonymise``."""
    return AnonymisationReport({k: 0 for k in KINDS}, {}, [], {}, enabled=False)
