"""Finders for the names of organisations and people in contract text.

:func:`find_names` reads one text and returns what it names:

- organisations ending in a legal form of any common jurisdiction (``Inc.``, ``L.L.C.``,
  ``GmbH``, ``S.A.``, ``Co., Ltd.``, ``Pty Ltd``, ``K.K.``, ``A/S``: see
  :data:`~westfall_legal.feedback.wordlists.LEGAL_FORMS`), in ``Fund``, ``Trust`` or
  ``Bank``, or followed by their incorporation ("X, a Delaware corporation");
- people after ``/s/``, on ``Name:``, ``By:`` and ``Attention:`` lines (also inside a line:
  CUAD's texts run signature blocks together), after ``Mr.``/``Ms.``/``Dr.``, before a job
  title ("Avtar Dhillon, President"), or as "an individual";
- the organisation a signatory signs for at the end of a line ("Chester Ku, Astro Nutrition");
- the short names defined for any of them (``Acme Widgets, Inc. ("Acme")``, ``("FIIOC")``),
  and names defined the same way without a legal form (``the City of Salem ("Salem")``).

Role words ("the Company", ``("Licensor")``), headings, titles, places and generic words are
never names on their own: they carry the legal meaning. Capital letters are the evidence; in
text written all in capitals, a word the same text also uses in lower case ("CHEMICAL", "NOT")
is not. Every regex is anchored at a word start and bounded, and the walk back over a name is
a bounded loop over whitespace-separated chunks, so the finders are linear in the length of the
text (megabytes of hostile text included).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from westfall_legal.feedback import wordlists as W
from westfall_legal.feedback.people import PERSON, POSSESSIVE, find_people, key, person_name
from westfall_legal.feedback.preamble import preamble_parties as preamble_parties

MAX_BODY = 8  # words of a name before its legal form
MAX_GAP = 6  # characters between two words of a name

_CHUNK = re.compile(r"\S+")
# A word in lower case, not part of an email or web address ("priya.v@quillfeather.example").
_LOWER_WORD = re.compile(r"(?<![\w'’.@/-])[a-z][a-z'’-]{1,40}(?![\w'’@/-]|\.\w)")
_LEAD = re.compile(r"(?:\(?[0-9A-Za-z]{1,3}\))?[(\[{\"“'‘]{0,3}")
_TRAIL = ",;:.)]}\"”'’"
_ENCLOSED = re.compile(r"\([A-Z][^\W\d_]{1,30}\),?")

# Incorporation after a name: ", a Delaware corporation", ", an exempted company".
_INCORPORATED = re.compile(
    r"[ \t\n]{1,12}an?[ \t\n]{1,12}(?:[\w.'’-]{1,30}[ \t\n]{1,12}){0,5}?"
    r"(?:corporation|company|partnership|bank|banking[ \t]{1,12}association|trust|cooperative|"
    r"municipality)\b"
)
_SIGNED_FOR = re.compile(
    rf"(?<![\w'’.-])({PERSON}),[ \t]([A-Z][\w&.'’-]{{0,30}}(?:[ \t][A-Z][\w&.'’-]{{0,30}}){{0,3}})"
    r"[ \t]{0,12}(?=\n|$|[ \t]{2})"
)
# A short name defined after a name: `("Acme")`, `(hereinafter "ACME")`, `("Emerald" or the
# "Company")`, directly or after the name's incorporation (", a Delaware corporation").
_DEFINED = re.compile(
    r"(?:,?[ \t\n]{1,12}an?[ \t\n][^()\"“”;]{0,200}?)?[ \t\n]{0,12},?[ \t\n]{0,12}\([ \t\n]{0,12}"
    r"(?:(?:the|hereinafter|hereafter|referred|to|as|collectively|individually|each|together|"
    r"with|being|called|herein)[ \t\n,]{1,12}){0,6}[\"“]([^\"”\n]{1,50})[\"”]([^()]{0,120}?)\)"
)
# `Veoneer Brake Systems, LLC, "VNBA")`: a short name given after a comma inside a parenthesis.
_DEFINED_INLINE = re.compile(
    r",[ \t\n]{0,12}(?:the[ \t]{1,12})?[\"“]([^\"”\n]{1,50})[\"”][ \t\n]{0,12}\)"
)
_QUOTED = re.compile(r"[\"“]([^\"”\n]{1,50})[\"”]")
_DEFINITION = re.compile(
    r"[ \t]\([ \t\n]{0,12}(?:(?:the|hereinafter|hereafter|referred|to|as)[ \t\n]{1,12}){0,4}"
    r"[\"“]([^\"”\n]{1,50})[\"”][ \t\n]{0,12}\)"
)


@dataclass
class Names:
    """What one text names; ``aliases`` maps each short name to the name it stands for."""

    organisations: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    legal: list[str] = field(default_factory=list)  # organisations found by a legal form
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # where each was found

    def add(self, kind: str, name: str, start: int, end: int) -> None:
        target = self.organisations if kind == "org" else self.people
        if name not in target:
            target.append(name)
        self.spans.append((start, end, name))


@dataclass(frozen=True)
class _Chunk:
    start: int
    end: int
    raw: str
    lead: int  # characters of enumerator, quote or parenthesis before the word

    @property
    def word(self) -> str:
        return self.raw[self.lead :].rstrip(_TRAIL) or self.raw[self.lead :]

    @property
    def opens(self) -> bool:
        """Whether something (a quote, "(2)") opens right before the word: a name starts
        here at the latest."""
        return self.lead > 0 and not _ENCLOSED.fullmatch(self.raw)

    @property
    def closes(self) -> bool:
        """Whether the chunk ends a sentence, a quotation or a parenthesis, or is a
        possessive: no name runs on from it."""
        raw = self.raw.rstrip(",")
        if _ENCLOSED.fullmatch(self.raw) or POSSESSIVE.search(raw):
            return not _ENCLOSED.fullmatch(self.raw)
        if raw.endswith((")", "]", '"', "”", ":", ";", "!", "?")):
            return True
        if not raw.endswith("."):
            return False
        word = raw[self.lead : -1]
        short = "." in word or len(word) <= 2 or word.casefold() in W.ABBREVIATIONS
        return not short and legal_form(word) is None


def lowercase_words(text: str) -> set[str]:
    """Words written in lower case somewhere in ``text`` (its ordinary vocabulary)."""
    return {m.group() for m in _LOWER_WORD.finditer(text)}


def legal_form(word: str) -> str | None:
    """The legal form a word is, its full stops dropped (``L.L.C.`` -> ``LLC``), or None."""
    bare = word.strip(",;:()").rstrip(".").replace(".", "")
    return bare if bare in W.LEGAL_FORMS else None


_FORM_CHARS = "([{\"“'‘,;:)]}”’"


def _maybe_form(raw: str) -> bool:
    """A cheap test on a raw chunk: could it be a legal form or "Fund"/"Trust"/"Bank"?"""
    bare = raw.strip(_FORM_CHARS).rstrip(".").replace(".", "")
    return bare in W.LEGAL_FORMS or bare.casefold() in W.WEAK_FORMS


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


class _Finder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = lowercase_words(text)
        self.spans = [(m.start(), m.end()) for m in _CHUNK.finditer(text)]
        self.starts = [start for start, _ in self.spans]
        self._made: dict[int, _Chunk] = {}
        self.names = Names()

    def at(self, i: int) -> _Chunk:
        """Chunk ``i``, made when first looked at (most are never looked at)."""
        chunk = self._made.get(i)
        if chunk is None:
            start, end = self.spans[i]
            raw = self.text[start:end]
            lead = _LEAD.match(raw)
            chunk = self._made[i] = _Chunk(start, end, raw, lead.end() if lead else 0)
        return chunk

    def between(self, first: int, stop: int) -> list[_Chunk]:
        return [self.at(i) for i in range(first, stop)]

    # Evidence ----------------------------------------------------------------------------

    def _caps(self, start: int) -> bool:
        """Whether the text before ``start`` is written in capitals (a heading, a clause in
        capitals), where capitals say nothing about a name."""
        before = self.text[max(0, start - 120) : start]
        letters = sum(map(str.isalpha, before))
        return letters >= 20 and sum(map(str.islower, before)) < letters // 10

    def _content(self, words: list[str], caps: bool) -> bool:
        """At least one word that names something (not a function word, role, legal form,
        title or, in text in capitals, an ordinary word), and not places alone."""
        content = []
        for word in words:
            k = key(word)
            if not k or k in W.NOT_CONTENT or k in W.CONNECTORS or not any(c.isalpha() for c in k):
                continue  # "80% Corporation" is no name
            if caps and k in self.lower:
                continue
            content.append(k)
        if not content:
            return False
        return len(content) >= 2 or content[0] not in W.PLACES

    # Organisations -----------------------------------------------------------------------

    def _walk_back(self, end: int, caps: bool, *, comma_ok: bool) -> int:
        """Index of the first chunk of the name whose words end right before chunk ``end``
        (``end`` itself when there are none)."""
        first = i = end
        while i > 0 and end - i < MAX_BODY:
            i -= 1
            chunk = self.at(i)
            gap = self.text[chunk.end : self.at(i + 1).start]
            if len(gap) > MAX_GAP or gap.count("\n") > 1:
                break
            word, k = chunk.word, key(chunk.word)
            if not word or chunk.closes or legal_form(word):
                break  # a sentence's end, a quotation, the legal form of the name before
            if chunk.raw.endswith(",") and not (comma_ok and i == end - 1):
                break
            if k in W.CONNECTORS:
                if first == end or not self._connector_ok(i, k):
                    break
            elif not (word[0].isupper() or word[0].isdigit()):
                break
            elif (k in W.STOP and word != "US") or k in W.TITLE_STOP:
                break  # "us", but not "US"
            elif caps and k in self.lower and k not in W.GENERIC:
                break
            first = i
            if chunk.opens:
                break
        return first

    def _connector_ok(self, i: int, k: str) -> bool:
        """``of``, ``&`` and ``de`` join the words of one name; ``and`` only generic ones
        ("Insurance and Annuity"), never two names ("Halloran Pike and Wexcombe")."""
        if k != "and":
            return True
        return i > 0 and key(self.at(i - 1).word) in W.GENERIC

    def _trim(self, first: int, last: int) -> int:
        """Skip leading connectors, function words, roles, headings and numbers."""
        while first <= last:
            k = key(self.at(first).word)
            if k in W.LEADING_JUNK or k.isdigit() or not k:
                first += 1
            else:
                break
        return first

    def _firm(self, first: int, last: int) -> int:
        """ "Drinker, Biddle & Reath LLP": single words and commas before a name with "&"."""
        if not any(c.word == "&" for c in self.between(first, last + 1)):
            return first
        while first > 0 and first > last - MAX_BODY:
            prev = self.at(first - 1)
            if not (prev.raw.endswith(",") and prev.raw[:-1].isalpha() and prev.raw[0].isupper()):
                break
            if key(prev.raw) in W.STOP or key(prev.raw) in W.NOT_CONTENT:
                break
            first -= 1
        return first

    def _text(self, first: int, last: int) -> tuple[str, int, int]:
        start = self.at(first).start + self.at(first).lead
        end = self.at(last).end
        raw = self.text[start:end].rstrip(",;:)]}\"”'’")
        last_word = raw.rsplit(None, 1)[-1][:-1] if raw.endswith(".") else ""
        if (
            len(last_word) >= 4
            and "." not in last_word
            and last_word.casefold() not in W.ABBREVIATIONS
        ):
            raw = raw[:-1]  # "... Corporation." ends a sentence; "Inc." keeps its stop
        if raw.count("(") < raw.count(")"):
            raw = raw.rstrip(")")
        return " ".join(raw.split()), start, start + len(raw)

    def _name_before(self, i: int, last: int, *, weak: bool, form: str | None) -> None:
        """The name whose legal form is chunks ``i`` to ``last``."""
        if i == 0 or self.at(i).opens:
            return
        caps = self._caps(self.at(i).start)
        first = self._trim(self._walk_back(i, caps, comma_ok=not weak), i - 1)
        if first > i - 1:
            return
        first = self._firm(first, i - 1)
        body = [c.word for c in self.between(first, i)]
        if not self._content(body, caps):
            return
        mixed = any(c.islower() for w in body for c in w)
        if form in W.AMBIGUOUS_FORMS and "." not in self.at(i).raw and not mixed:
            return  # "... AS", "SE", "NV" in capitals: words or states, not legal forms
        if form in W.STATE_CODES and "." not in self.at(i).raw:
            return
        if weak and len(body) < 2 and key(self.at(i).word) != "bank":
            return
        if form in ("Company", "COMPANY") and (
            self.at(i - 1).raw.endswith(",")
            or all(key(w) in W.GENERIC or key(w) in W.NOT_CONTENT for w in body)
        ):
            return  # "During the Term, Company shall", "Holding Company": the role
        name, start, end = self._text(first, last)
        self.names.add("org", name, start, end)
        if not weak:
            self.names.legal.append(name)

    def legal_form_names(self) -> None:
        n = len(self.spans)
        i = 0
        while i < n:
            start, end = self.spans[i]
            if end - start > 24 or not _maybe_form(self.text[start:end]):
                i += 1  # cheap: most chunks are no legal form and are never made
                continue
            word = self.at(i).word
            form = legal_form(word)
            weak = (
                form is None
                and key(word) in W.WEAK_FORMS
                and word[0].isupper()
                and not (i + 1 < n and key(self.at(i + 1).word) == "of")
            )
            if form is None and not weak:
                i += 1
                continue
            last = i  # a chain: "Co., Ltd.", "Pty Ltd", "GmbH & Co. KG", "Fund II"
            while last + 1 < n and not self.at(last).closes and not self.at(last + 1).lead:
                nxt = self.at(last + 1).word
                if not weak and legal_form(nxt):
                    last += 1
                elif (
                    not weak
                    and nxt in ("&", "de")
                    and last + 2 < n
                    and legal_form(self.at(last + 2).word)
                ):
                    last += 2
                elif weak and re.fullmatch(r"[IVX]{1,4}", nxt):
                    last += 1
                    break
                else:
                    break
            self._name_before(i, last, weak=weak, form=form)
            i = last + 1

    def incorporated_names(self) -> None:
        """ "X, a Delaware corporation" (names without a legal form: "THE BANKERS BANK")."""
        for m in _INCORPORATED.finditer(self.text):
            i = self._chunk_ending_at(m.start())
            if i is None or not self.at(i).raw.endswith(","):
                continue
            if key(self.at(i).word) in W.PLACES and i > 0 and self.at(i - 1).raw.endswith(","):
                i -= 1  # "TOWN OF VINTON, VIRGINIA, a Virginia municipal corporation"
            if legal_form(self.at(i).word):
                continue  # found with its legal form
            caps = self._caps(self.at(i).start)
            first = self._trim(self._walk_back(i + 1, caps, comma_ok=True), i)
            if first > i:
                continue
            body = [c.word for c in self.between(first, i + 1)]
            if self._content(body, caps):
                self.names.add("org", *self._text(first, i))

    def _chunk_ending_at(self, pos: int) -> int | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i < 0 or self.at(i).end != pos:
            return None
        return i

    # People ------------------------------------------------------------------------------

    def people(self) -> None:
        for name, start in find_people(self.text, self.lower):
            self.names.add("person", name, start, start + len(name))

    def signed_for(self) -> None:
        """ "Chester Ku, Astro Nutrition" at the end of a signature line."""
        for m in _SIGNED_FOR.finditer(self.text):
            if m.group(1) not in self.names.people:
                continue
            words = m.group(2).split()
            if any(key(w) in W.PERSON_STOP for w in words) or not self._content(words, False):
                continue
            self.names.add("org", m.group(2), m.start(2), m.end(2))

    # Short names -------------------------------------------------------------------------

    def defined_aliases(self) -> None:
        for _start, end, name in list(self.names.spans):
            m = _DEFINED.match(self.text, end)
            inline = _DEFINED_INLINE.match(self.text, end)
            if m is None and inline is None:
                continue
            if m is not None:
                terms = [(m.group(1), m.start(1))]
                terms += [
                    (q.group(1), m.start(2) + q.start(1)) for q in _QUOTED.finditer(m.group(2))
                ]
            else:
                terms = [(inline.group(1), inline.start(1))]  # type: ignore[union-attr]
            for term, at in terms:
                term = " ".join(term.split()).strip(" ,.")
                if self._alias_ok(term, name):
                    self.names.aliases.setdefault(term, name)
                    self.names.spans.append((at, at + len(term), term))

    def _alias_ok(self, term: str, name: str) -> bool:
        words = term.split()
        keys = [key(w) for w in words]
        if not words or len(words) > 4 or term == name or not all(w[:1].isupper() for w in words):
            return False
        roles = W.ROLES | W.HEADINGS | W.INSTRUMENTS | W.TITLES
        if any(k in roles or k.rstrip("s") in roles for k in keys) or all(
            k in W.STOP for k in keys
        ):
            return False
        name_keys = [key(w) for w in re.split(r"[\s,()]+", name) if key(w)]
        shares = any(
            k in name_keys or (len(k) >= 2 and any(n.startswith(k) for n in name_keys))
            for k in keys
            if k not in W.NOT_CONTENT
        )
        initials = "".join(n[0] for n in name_keys if n not in W.CONNECTORS).upper()
        acronym = term.isupper() and term.isalpha() and 2 <= len(term) <= 8
        acronym = acronym and _subsequence(term, initials)
        distinctive = all(k not in self.lower and k not in W.NOT_CONTENT for k in keys)
        return shares or acronym or distinctive

    def defined_phrases(self) -> None:
        """``the City of Salem ("Salem")``: a capitalised phrase defined by a word of it."""
        for m in _DEFINITION.finditer(self.text):
            term = " ".join(m.group(1).split()).strip(" ,.")
            if not term or term in self.names.aliases or not term[0].isupper():
                continue
            i = self._chunk_ending_at(m.start())
            if i is None:
                continue
            caps = self._caps(self.at(i).start)
            first = self._trim(self._walk_back(i + 1, caps, comma_ok=False), i)
            phrase = [c.word for c in self.between(first, i + 1)]
            keys = [key(w) for w in term.split()]
            phrase_keys = [key(w) for w in phrase]
            if len(phrase) < 2 or not all(k in phrase_keys for k in keys):
                continue
            if any(k in self.lower or k in W.NOT_CONTENT for k in keys):
                continue
            if any(k in W.INSTRUMENTS or k in W.HEADINGS for k in phrase_keys):
                continue
            name, start, end = self._text(first, i)
            kind = "person" if person_name(name, self.lower, strict=True) == name else "org"
            self.names.add(kind, name, start, end)
            self.names.aliases.setdefault(term, name)


def find_names(text: str, *, legal_only: bool = False) -> Names:
    """Every organisation and person ``text`` names, with the short names defined for them
    (``legal_only``: only the organisations with a legal form, the strongest evidence)."""
    finder = _Finder(text)
    finder.legal_form_names()
    if legal_only:
        return finder.names
    finder.incorporated_names()
    finder.people()
    finder.signed_for()
    finder.defined_aliases()
    finder.defined_phrases()
    return finder.names
