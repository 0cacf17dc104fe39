"""Anonymisation of everything a bundle carries, with consistent placeholders.

Two passes over the documents of one bundle:

1. :meth:`Anonymiser.learn` collects the names a review knows: the parties (signature
   blocks, the preamble's "between X and Y", the Parties clause, a ``parties`` fact), every
   other organisation and person the text names and the short names defined for them
   (:mod:`.names`: legal forms of many jurisdictions, "X, a Delaware corporation",
   ``("Acme")``, signatories, ``Name:`` / ``Attention:`` lines, job titles).
2. :meth:`Anonymiser.text` replaces, in any text: parties with ``PARTY_A``, ``PARTY_B``...,
   other organisations with ``ORG_A``..., people with ``PERSON_A``... (the same name gets the
   same placeholder in every document and member of the bundle, with its short forms and in
   capitals: "Halloran Pike Digital Services, Inc.", "Halloran Pike", "HALLORAN"), and what
   :mod:`.patterns` finds (emails, web addresses, phones, postal addresses, account numbers,
   signatures) with ``[EMAIL]``... Names a text brings that were not learnt (a reviewer's
   comment) are learnt on the way. It returns the new text with an :class:`OffsetMap`, so
   character spans into the original text can be moved onto the anonymised one.

The original -> placeholder map (:meth:`Anonymiser.report`'s ``mapping``) is for the local
preview only: it is never written into a bundle. :meth:`Anonymiser.leaks` searches text for
any original value learnt and for any organisation with a legal form still there, so the
writer can refuse to write a bundle that still holds one.
"""

from __future__ import annotations

import bisect
import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from westfall_legal.feedback import names as finder
from westfall_legal.feedback import patterns
from westfall_legal.feedback import wordlists as W
from westfall_legal.feedback.matcher import NameMatcher, words

PLACEHOLDERS = {
    "email": "[EMAIL]",
    "url": "[URL]",
    "phone": "[PHONE]",
    "address": "[ADDRESS]",
    "account": "[ACCOUNT]",
    "signature": "[SIGNATURE]",
}
# Names get numbered placeholders: PARTY_A, ORG_B, PERSON_C ...
PREFIXES = {"party": "PARTY", "organisation": "ORG", "person": "PERSON"}
KINDS = ("party", "person", *PLACEHOLDERS, "organisation")
# Kinds that win an overlap, first first (an email holds a party's domain name, ...).
_PRIORITY = {k: i for i, k in enumerate(("email", "url", "account", "signature", "phone"))}
_PLACEHOLDER = re.compile(r"\b(?:PARTY|ORG|PERSON)_[A-Z]{1,3}\b|\[[A-Z]+\]")
_INITIAL = re.compile(r"[A-Z]\.?")
_GENERATION = frozenset({"jr", "sr", "ii", "iii", "iv"})

# Words a finder may take in front of a party name; words that make a "name" a heading.
LEADING = frozenset(
    "by and between among amongst as for of to the with from exhibit schedule annex appendix "  # noqa: SIM905
    "dated this is made entered into".split()
)
PREAMBLE_CHARS = 3000


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\s,]+", name.strip()) if t]


def _leading_junk(token: str, left: int) -> bool:
    word = token.strip(string.punctuation)
    if word.casefold() in LEADING:
        return True
    if not re.search(r"[A-Za-z]{2}", token):  # "1.2", "(a)"
        return True
    return finder.legal_form(token) is not None and left > 2


def clean_party(name: str) -> str:
    """A party name without what a finder caught around it: leading connectives and
    headings ("BY AND BETWEEN", "Exhibit 1.2", "And as and for") and a leading legal form
    left by the name before; "" for a heading ("SIGNATURE PAGE TO ... AGREEMENT")."""
    tokens = _tokens(name)
    while tokens and _leading_junk(tokens[0], len(tokens)):
        tokens = tokens[1:]
    if any(t.strip(string.punctuation).casefold() in W.HEADINGS for t in tokens):
        return ""
    return " ".join(tokens)


def core(name: str) -> str:
    """An organisation's name without its legal form(s) and a leading "The"."""
    tokens = _tokens(name)
    while len(tokens) > 1 and finder.legal_form(tokens[-1]):
        tokens.pop()
    if len(tokens) > 1 and tokens[0].casefold() == "the":
        tokens = tokens[1:]
    return " ".join(tokens).rstrip(",")


def person_core(name: str) -> list[str]:
    """A person's words without initials and "Jr."/"III"."""
    return [
        t for t in _tokens(name)
        if not _INITIAL.fullmatch(t) and t.strip(".").casefold() not in _GENERATION
    ]  # fmt: skip


def entity_key(kind: str, name: str) -> str:
    if kind == "person":
        return " ".join(words(" ".join(person_core(name))))
    return " ".join(words(core(name)))


def _common(word: str) -> bool:
    k = word.strip(string.punctuation).casefold()
    return k in W.GENERIC or k in W.NOT_CONTENT or k in W.PLACES or k in W.CONNECTORS


def is_name(kind: str, name: str) -> bool:
    """A person: a word that is not common. An organisation: a word that is not a role, a
    legal form or a function word, and not a place alone ("Bank of America" is a name,
    "Delaware Corporation" and "the Company" are not)."""
    if kind == "person":
        return len(person_core(name)) >= 1 and not all(_common(w) for w in person_core(name))
    content = []
    for token in _tokens(core(name)):
        k = token.strip(string.punctuation).casefold()
        if k and k not in W.NOT_CONTENT and k not in W.CONNECTORS and not k.isdigit():
            content.append(k)
    return len(content) >= 2 or (len(content) == 1 and content[0] not in W.PLACES)


def _labels_only(value: str) -> bool:
    """ "Name: Title:": what a signature finder took from an empty block, no one's data."""
    return all(w.strip(string.punctuation).casefold() in W.PERSON_STOP for w in value.split())


@dataclass
class _Entity:
    kind: str
    placeholder: str
    names: list[str] = field(default_factory=list)


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
    kinds: tuple[str, ...] = ()  # the kind of each replacement in ``offsets.spans``


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
        self._entities: dict[str, _Entity] = {}  # entity key -> entity
        self._aliases: dict[str, str] = {}  # a short name -> entity key
        self._numbers: Counter[str] = Counter()  # placeholders given, per kind
        self._lower: set[str] = set()  # words the bundle's texts use in lower case
        self._found: dict[str, str] = {}  # every original value replaced -> placeholder
        self._per_document: dict[str, Counter[str]] = {}
        self._matcher: NameMatcher | None = None
        self._learnt: set[tuple[int, int]] = set()  # texts whose names were learnt

    # Pass 1 ------------------------------------------------------------------------------

    def _add(self, kind: str, name: str) -> str | None:
        name = " ".join(name.split()).strip(" ,;:")
        key = entity_key(kind, name)
        if len(name) < 2 or not key or not is_name(kind, name):
            return None
        entity = self._entities.get(key)
        if entity is None and kind == "person" and " " not in key:
            # "Ms. Venkataraman" after "Priya N. Venkataraman": the same person
            same = [
                e for k, e in self._entities.items() if e.kind == "person" and k.endswith(" " + key)
            ]
            entity = same[0] if same else None
        if entity is None:
            number = _letters(self._numbers[kind])
            self._numbers[kind] += 1
            entity = self._entities[key] = _Entity(kind, f"{PREFIXES[kind]}_{number}")
        if name not in entity.names:
            entity.names.append(name)
            self._matcher = None
        return key

    def add_party(self, name: str) -> None:
        name = " ".join(name.split()).strip(" ,;:")
        if name.lower().startswith("/s/"):  # a conformed signature: a person signing
            self.add_person(name[3:])
            return
        name = clean_party(name)
        if len(name) >= 3:
            self._add("party", name)

    def add_organisation(self, name: str) -> None:
        """An organisation that is not (yet known as) a party: an ``ORG_`` placeholder."""
        if entity_key("organisation", name) in self._entities:
            self._add(self._entities[entity_key("organisation", name)].kind, name)
        else:
            self._add("organisation", name)

    def add_person(self, name: str, *, checked: bool = False) -> None:
        """A person; ``checked``: found by :mod:`.names`, which knows its own evidence."""
        name = " ".join(name.split()).strip(" ,;:")
        if checked or patterns.looks_like_person(name):
            self._add("person", name)

    def add_alias(self, alias: str, name: str) -> None:
        """A short name defined for a known name (``("Acme")``)."""
        for kind in ("organisation", "person"):
            key = entity_key(kind, name)
            if key in self._entities and len(alias) >= 2:
                self._aliases.setdefault(alias, key)
                self._matcher = None
                return

    def _learn_names(self, text: str) -> None:
        seen = (len(text), hash(text))
        if seen in self._learnt:
            return  # learnt in pass 1: its text in pass 2 brings nothing new
        self._learnt.add(seen)
        found = finder.find_names(text)
        for org in found.organisations:
            self.add_organisation(org)
        for person in found.people:
            self.add_person(person, checked=True)
        for alias, name in found.aliases.items():
            self.add_alias(alias, name)

    def learn(self, text: str, body: Mapping[str, Any], clauses: Iterable[Any] = ()) -> None:
        """Names from a review: its text, its stored body (``structure``, ``facts``) and
        clauses (objects with ``category`` and ``text``)."""
        self._lower |= finder.lowercase_words(text)
        self._matcher = None
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
        for party in finder.preamble_parties(text, PREAMBLE_CHARS):
            self.add_party(party)
        for clause in clauses:
            if getattr(clause, "category", "") == "Parties":
                for org in finder.find_names(str(clause.text)).organisations:
                    self.add_party(org)
        self._learn_names(text)

    # Pass 2 ------------------------------------------------------------------------------

    def _variants(self, entity: _Entity) -> Iterable[tuple[str, int]]:
        """Each spelling of an entity with its rank (lower wins a tie): the name, without its
        legal form, its leading distinctive words ("Halloran Pike"), its distinctive first
        word ("Halloran"); for a person, without initials, and the family name alone."""
        for name in entity.names:
            yield name, 0
            if entity.kind == "person":
                plain = person_core(name)
                yield " ".join(plain), 1
                if len(plain) >= 2 and self._distinctive(plain[-1]):
                    yield plain[-1], 3
                continue
            tokens = _tokens(core(name))
            yield " ".join(tokens), 1
            lead: list[str] = []
            for token in tokens:
                if _common(token):
                    break
                lead.append(token)
            if len(lead) >= 2:
                yield " ".join(lead), 2
            if tokens and self._distinctive(tokens[0]):
                yield tokens[0], 3

    def _distinctive(self, word: str) -> bool:
        """A word that stands for its name alone: not common, not ordinary in these texts."""
        bare = word.strip(string.punctuation)
        return (
            len(bare) >= 4
            and bare.isalpha()
            and bare[0].isupper()
            and not _common(bare)
            and bare.casefold() not in self._lower
        )

    def _names(self) -> NameMatcher:
        if self._matcher is None:
            matcher = NameMatcher()
            for alias, key in self._aliases.items():
                matcher.add(alias, self._entities[key].placeholder, rank=0)
            for entity in self._entities.values():
                for variant, rank in self._variants(entity):
                    matcher.add(variant, entity.placeholder, rank)
            self._matcher = matcher
        return self._matcher

    def _hits(self, text: str) -> list[tuple[int, int, str, str]]:
        hits = [
            (s, e, k, PLACEHOLDERS[k]) for s, e, k in patterns.find_all(text) if k in PLACEHOLDERS
        ]
        kinds = {e.placeholder: e.kind for e in self._entities.values()}
        for m in self._names().finditer(text):
            hits.append((m.start, m.end, kinds[m.value], m.value))
        hits += self._copies(text, hits)
        hits.sort(key=lambda h: (h[0], _PRIORITY.get(h[2], 99), -(h[1] - h[0])))
        chosen: list[tuple[int, int, str, str]] = []
        for hit in hits:
            if hit[1] <= hit[0]:
                continue
            if chosen and hit[0] < chosen[-1][1]:
                last = chosen[-1]
                if _PRIORITY.get(hit[2], 99) < _PRIORITY.get(last[2], 99) and hit[0] == last[0]:
                    chosen[-1] = hit
                elif hit[1] > last[1] and hit[2] == last[2] and hit[3] == last[3]:
                    chosen[-1] = (last[0], hit[1], last[2], last[3])  # merge
                continue
            chosen.append(hit)
        return chosen

    def _copies(
        self, text: str, hits: list[tuple[int, int, str, str]]
    ) -> list[tuple[int, int, str, str]]:
        """Other copies of the emails, addresses, numbers found (here or in another text of
        the bundle), in any case and spacing: "1309 N. HIGHWAY DRIVE" in a heading in
        capitals goes with "1309 N. Highway Drive", as the leak check compares them."""
        kinds = {p: k for k, p in PLACEHOLDERS.items()}
        values = {o: p for o, p in self._found.items() if p in kinds}
        values.update({" ".join(text[s:e].split()): p for s, e, k, p in hits if k in PLACEHOLDERS})
        matcher = NameMatcher()
        for value, placeholder in values.items():
            if len(words(value)) >= 2 and not _labels_only(value):
                matcher.add(value, placeholder)
        return [(m.start, m.end, kinds[m.value], m.value) for m in matcher.finditer(text)]

    def tally(self, document: str, counts: Counter[str]) -> None:
        """Count one document's replacements in the report under its bundle name."""
        self._per_document.setdefault(document, Counter()).update(counts)

    def text(self, text: str) -> Anonymised:
        """``text`` with every name and pattern replaced."""
        self._learn_names(text)
        parts: list[str] = []
        spans: list[tuple[int, int, int, int]] = []
        counts: Counter[str] = Counter()
        kinds: list[str] = []
        pos = new_pos = 0
        for start, end, kind, placeholder in self._hits(text):
            kinds.append(kind)
            parts.append(text[pos:start])
            new_pos += start - pos
            parts.append(placeholder)
            spans.append((start, end, new_pos, new_pos + len(placeholder)))
            new_pos += len(placeholder)
            pos = end
            counts[kind] += 1
            original = " ".join(text[start:end].split())
            if len(original) >= 3 and not _labels_only(original):
                self._found.setdefault(original, placeholder)
        parts.append(text[pos:])
        return Anonymised("".join(parts), OffsetMap(tuple(spans)), counts, tuple(kinds))

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

    def _name_originals(self) -> dict[str, str]:
        """Every spelling of every name learnt or replaced -> its placeholder."""
        out = {a: self._entities[k].placeholder for a, k in self._aliases.items()}
        for entity in self._entities.values():
            out.update({n: entity.placeholder for n in entity.names})
        names = {e.placeholder for e in self._entities.values()}
        out.update({o: p for o, p in self._found.items() if p in names})
        return out

    def originals(self) -> list[str]:
        values = [*self._name_originals(), *self._found]
        return sorted({v for v in values if len(v) >= 4}, key=len, reverse=True)

    def leaks(self, text: str) -> list[str]:
        """What ``text`` still holds of what was meant to be replaced: a name learnt or
        replaced, in any of the spellings the replacement would take (single words only as
        Word or WORD); any other original value (an email, a number), compared
        case-insensitively with any whitespace; an organisation with a legal form."""
        matcher = NameMatcher()
        names = self._name_originals()
        for original in names:
            if len(original) >= 2:
                matcher.add(original, original)
        found = [m.value for m in matcher.finditer(text)]
        flat = " ".join(text.split()).casefold()
        for original in self._found:
            if original not in names and len(original) >= 4 and original.casefold() in flat:
                found.append(original)
        for name in finder.find_names(text, legal_only=True).legal:
            if not _PLACEHOLDER.search(name):
                found.append(name)
        return sorted(set(found))

    def report(self) -> AnonymisationReport:
        total: Counter[str] = Counter()
        for counts in self._per_document.values():
            total.update(counts)
        mapping = {**self._found, **self._name_originals()}
        return AnonymisationReport(
            counts={k: total.get(k, 0) for k in KINDS},
            per_document={d: dict(sorted(c.items())) for d, c in self._per_document.items()},
            placeholders=sorted(
                {e.placeholder for e in self._entities.values() if e.kind != "person"}
            ),
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
