"""Defined terms: where each is defined, and where the document uses it.

Recognised forms, with straight or curly quotes:

- ``"Term" means ...``, ``"Term" shall mean ...``, ``"Term" has the meaning ...`` (also
  ``"Statement of Work" or "SOW" means ...``): the definition is the paragraph when the term
  opens it, otherwise the sentence;
- a quoted term inside parentheses: ``(the "Term")``, ``(hereinafter "Term")``, ``("Term")``,
  ``(each a "Renewal Term" and, together with the Initial Term, the "Term")``; and
  ``referred to ... as a "Party"``: the definition is the sentence around it.

A use is the term (or its plural) as a whole word, case-sensitive, anywhere outside the
quotes that define a term; where terms overlap ("Customer" inside "Customer Data") the
longest wins. Each use is linked to the closest definition of its term before it (the first
one when it comes before them all).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from westfall_legal.layout.spans import SectionIndex, TextSpans
from westfall_legal.models import Definition, DocumentText, Section

_QUOTED = re.compile(r"[\"“‘]((?:[^\"“”‘’\n]|\n(?!\n)){1,60}?)[\"”’]")
_MEANS = re.compile(
    r"\s*(?:(?:shall|will)\s+(?:have\s+the\s+meaning|mean)|means|has\s+the\s+meanings?"
    r"|have\s+the\s+meanings?|is\s+defined\s+as)\b"
)
_OR_TERM = re.compile(r"\s*(?:,\s*)?(?:or|and)\s+$")
_AS = re.compile(r"\b(?:referred\s+to|known|defined)\b[^.;()]{0,120}\bas\s+(?:an?\s+|the\s+)?$")
MAX_TERM_WORDS = 8


@dataclass(frozen=True, slots=True)
class _Found:
    term: str
    term_start: int
    term_end: int
    form: str  # "means" or "paren"


def _is_term(term: str, form: str) -> bool:
    words = term.split()
    if not words or len(words) > MAX_TERM_WORDS or not term[0].isalnum():
        return False
    return form == "means" or term[0].isupper()


def _in_parentheses(text: str, pos: int) -> bool:
    """Whether ``pos`` sits inside a short, still-open parenthesis."""
    window = text[max(0, pos - 200) : pos]
    depth = 0
    for ch in reversed(window):
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                return True
            depth -= 1
    return False


def _form(text: str, m: re.Match[str], quotes: list[re.Match[str]], index: int) -> str | None:
    """How the quoted term at ``m`` is defined, or None when it is only quoted."""
    if _MEANS.match(text, m.end()):
        return "means"
    if index + 1 < len(quotes):  # "Statement of Work" or "SOW" means
        nxt = quotes[index + 1]
        if _OR_TERM.fullmatch(text[m.end() : nxt.start()]) and _MEANS.match(text, nxt.end()):
            return "means"
    if _in_parentheses(text, m.start()):
        return "paren"
    if _AS.search(text[max(0, m.start() - 160) : m.start()]):
        return "paren"
    return None


def find_defined_terms(text: str) -> list[_Found]:
    quotes = list(_QUOTED.finditer(text))
    found: list[_Found] = []
    for index, m in enumerate(quotes):
        term = " ".join(m.group(1).split())
        form = _form(text, m, quotes, index)
        if form and _is_term(term, form):
            found.append(_Found(term, m.start(1), m.end(1), form))
    return found


def _span(spans: TextSpans, f: _Found) -> tuple[int, int]:
    if f.form == "means":
        para = spans.paragraph(f.term_start)
        opens_paragraph = not spans.doc_text.text[para[0] : f.term_start - 1].strip()
        if opens_paragraph:
            return para[0], para[1]
    return spans.sentence(f.term_start)


def _terms_pattern(terms: Sequence[str]) -> re.Pattern[str]:
    """One pattern for all terms, longest first, so that the longest wins where they overlap
    (one pass over the text, not one per term: long contracts define a thousand terms)."""
    ordered = sorted(set(terms), key=lambda t: (-len(t), t))
    body = "|".join(r"\s+".join(re.escape(w) for w in t.split()) for t in ordered)
    return re.compile(r"(?<![\w-])(" + body + r")(?:s|es)?(?![\w-])")


def _uses(text: str, defs: Sequence[Definition]) -> dict[str, list[tuple[int, int]]]:
    """Every use of every term, longest match first where they overlap."""
    if not defs:
        return {}
    quoted = sorted((d.term_start - 1, d.term_end + 1) for d in defs)
    by_words = {" ".join(d.term.split()): d.term for d in defs}
    taken: dict[str, list[tuple[int, int]]] = {}
    for m in _terms_pattern(list(by_words)).finditer(text):
        if _inside(quoted, m.start()):
            continue
        term = by_words[" ".join(m.group(1).split())]
        taken.setdefault(term, []).append((m.start(), m.end()))
    return taken


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(spans, (pos, 10**12)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _link_uses(defs: list[Definition], uses: dict[str, list[tuple[int, int]]]) -> list[Definition]:
    per_def: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(defs))}
    for term, spans in uses.items():
        owners = [i for i, d in enumerate(defs) if d.term == term]
        for span in spans:
            before = [i for i in owners if defs[i].term_start <= span[0]]
            per_def[before[-1] if before else owners[0]].append(span)
    return [replace(d, uses=tuple(per_def[i])) for i, d in enumerate(defs)]


def find_definitions(doc_text: DocumentText, sections: Sequence[Section]) -> list[Definition]:
    """Every defined term in document order, with its span, section and uses."""
    index = SectionIndex(sections)
    spans = TextSpans(doc_text)
    defs: list[Definition] = []
    for f in find_defined_terms(doc_text.text):
        start, end = _span(spans, f)
        defs.append(
            Definition(f.term, start, end, f.term_start, f.term_end, index.section_id(f.term_start))
        )
    return _link_uses(defs, _uses(doc_text.text, defs))
