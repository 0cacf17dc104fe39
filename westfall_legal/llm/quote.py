"""Quotations: a summary line made only of the clause's own words, and where it sits.

A quotation passes when, after normalising both texts to lower-case word tokens, it is at
most ``MAX_RUNS`` runs of consecutive clause tokens, in the clause's order, each at least
``MIN_RUN`` tokens long, with an ellipsis ("..." or "…") between runs. Each run is found with
Knuth-Morris-Pratt over tokens after the previous run's end, so the check is linear in the
two texts, and the first (leftmost) match of each run leaves the most room for the next.
The shown text is cut from the clause itself, so what a reader sees is the contract's words
character for character, whatever spacing or punctuation the model wrote.

The rule-picked fallback: the clause's sentence that carries the most operative content
(a modal verb, an amount, a period, a date, a grant, the category's own words), trimmed
to ``MAX_WORDS`` words. Pure: no model, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from westfall_legal.models import Section


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


MIN_RUN = 4  # tokens in each run of the clause's words
MAX_RUNS = 3  # runs in one quotation
MAX_WORDS = 60  # a fallback quotation is cut to this many words
_TOKEN = re.compile(r"[a-z0-9]+")
_ELLIPSIS = re.compile(r"\.\.\.+|…|\[\.\.\.\]")
_SENTENCE = re.compile(r"[^.;]*(?:[.;]|$)")  # up to a full stop or semicolon (no backtracking)
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})

Token = tuple[str, int, int]  # the normalised word, its start and end in the text


def tokens(text: str) -> list[Token]:
    """Lower-case word tokens with their offsets in ``text`` (NFKC when that keeps lengths)."""
    folded = text.translate(_FOLD).lower()
    if not folded.isascii():
        normal = unicodedata.normalize("NFKC", folded)
        folded = normal if len(normal) == len(folded) else folded
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded)]


def _find(words: Sequence[str], run: Sequence[str], start: int) -> int:
    """The first index >= ``start`` where ``run`` occurs in ``words`` (KMP), or -1."""
    fail = [0] * len(run)
    k = 0
    for i in range(1, len(run)):
        while k and run[i] != run[k]:
            k = fail[k - 1]
        if run[i] == run[k]:
            k += 1
        fail[i] = k
    k = 0
    for i in range(start, len(words)):
        while k and words[i] != run[k]:
            k = fail[k - 1]
        if words[i] == run[k]:
            k += 1
            if k == len(run):
                return i - len(run) + 1
    return -1


@dataclass(frozen=True)
class Quote:
    """A passing quotation: its runs as character spans of the clause, and the shown text."""

    spans: tuple[tuple[int, int], ...]
    text: str

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


def check_quote(sentence: str, clause: str) -> Quote | None:
    """The quotation ``sentence`` makes of ``clause``, or None when it is not one."""
    parts = [tokens(p) for p in _ELLIPSIS.split(sentence)]
    runs = [p for p in parts if p]
    if not runs or len(runs) > MAX_RUNS or any(len(r) < MIN_RUN for r in runs):
        return None
    source = tokens(clause)
    words = [t[0] for t in source]
    spans: list[tuple[int, int]] = []
    at = 0
    for run in runs:
        found = _find(words, [t[0] for t in run], at)
        if found < 0:
            return None
        at = found + len(run)
        spans.append(_widen(clause, source[found][1], source[at - 1][2]))
    return Quote(tuple(spans), _shown(clause, spans))


_OPENING = "(\"'“‘$"
_CLOSING = ".)\"'”’%"


def _widen(clause: str, start: int, end: int) -> tuple[int, int]:
    """A run's span with the brackets, quote marks, currency sign and full stop around it."""
    if start > 0 and clause[start - 1] in _OPENING:
        start -= 1
    while end < len(clause) and clause[end] in _CLOSING:
        end += 1
    return start, end


def _shown(clause: str, spans: Sequence[tuple[int, int]]) -> str:
    """The clause's own characters for each run, an ellipsis for each gap and cut end."""
    pieces = [" ".join(clause[a:b].split()) for a, b in spans]
    text = " … ".join(pieces)
    if clause[: spans[0][0]].strip():
        text = "… " + text
    if clause[spans[-1][1] :].strip(" .;:,\n\t"):
        text += " …"
    return text


# What makes a sentence operative: each cue adds to its score (stems, lower case).
_MODALS = _set("shall will may must agrees agree entitled undertakes covenants")
_GRANTS = _set("grants granted assign assigns license licenses terminate pay")
_PERIODS = _set("day days month months year years anniversary term")
_NUMBER_WORDS = _set(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty "
    "forty fifty sixty ninety hundred thousand million percent"
)
_CATEGORY_CUES: dict[str, tuple[str, ...]] = {
    "Governing Law": ("governed", "laws", "law", "construed"),
    "Termination For Convenience": ("terminate", "convenience", "notice", "without"),
    "Cap On Liability": ("liability", "exceed", "aggregate", "limited"),
    "Uncapped Liability": ("liability", "unlimited", "exclusion", "notwithstanding"),
    "Anti-Assignment": ("assign", "assigned", "consent", "transfer"),
    "Change Of Control": ("control", "merger", "acquisition", "change"),
    "Non-Compete": ("compete", "competing", "engage", "competitive"),
    "Exclusivity": ("exclusive", "exclusively", "solely", "only"),
    "Ip Ownership Assignment": ("own", "ownership", "assigns", "title"),
    "Renewal Term": ("renew", "renewal", "automatically", "successive"),
    "Liquidated Damages": ("liquidated", "damages", "penalty"),
    "License Grant": ("license", "grants", "right", "use"),
}


def _score(words: Sequence[str], category: str) -> float:
    if len(words) < 6:
        return -1.0
    cues = set(_CATEGORY_CUES.get(category, ()))
    score = 0.0
    score += 2.0 * any(w in _MODALS for w in words)
    score += 1.0 * any(w in _GRANTS for w in words)
    score += 1.0 * any(w.isdigit() or w in _NUMBER_WORDS for w in words)
    score += 1.0 * any(w in _PERIODS for w in words)
    score += 1.5 * min(sum(w in cues for w in words), 3)
    return score - max(0, len(words) - MAX_WORDS) / MAX_WORDS  # long sentences read worse


def sentences(clause: str) -> list[tuple[int, int]]:
    """The clause's sentences (split at full stops and semicolons) as character spans."""
    out = []
    for m in _SENTENCE.finditer(clause):
        a, b = m.start(), m.end()
        while a < b and clause[a].isspace():
            a += 1
        if b > a:
            out.append((a, b))
    return out


def operative_quote(clause: str, category: str) -> Quote | None:
    """The best-scoring operative sentence of the clause, cut to ``MAX_WORDS`` words."""
    best: tuple[float, int, int] | None = None
    for a, b in sentences(clause):
        toks = tokens(clause[a:b])
        if len(toks) < MIN_RUN:
            continue
        score = _score([t[0] for t in toks], category)
        if best is None or score > best[0]:
            best = (score, a, b)
    if best is None:
        toks = tokens(clause)
        if len(toks) < MIN_RUN:
            return None
        best = (0.0, toks[0][1], toks[-1][2])
    _, a, b = best
    toks = tokens(clause[a:b])
    span = _widen(clause, a + toks[0][1], a + toks[min(len(toks), MAX_WORDS) - 1][2])
    return Quote((span,), _shown(clause, [span]))


def section_at(start: int, end: int, sections: Sequence[Section]) -> Section | None:
    """The innermost section whose span holds the character span ``[start, end)``."""
    best: Section | None = None
    for s in sections:
        inside = s.char_start <= start and end <= s.char_end
        if inside and (best is None or s.char_end - s.char_start < best.char_end - best.char_start):
            best = s
    return best
