"""Span matching for clause-extraction evaluation: normalised tokens, and whether a predicted
clause finds a gold span and is correct (the definitions :mod:`.metrics` ranks and counts).

Tokens
    :func:`normalise_tokens` turns text into case-folded word tokens (runs of letters and digits)
    so that a clause read from a PDF text layer and the same clause in CUAD's ``.txt`` compare
    equal: whitespace, line breaks, ligatures (NFKC), case, punctuation and hyphenation at a line
    break (``termi-\\nnation``) or inside a word (``non-compete``) are all normalised away.

Span matching (per category, per document)
    A gold span is *found* by a prediction that covers at least 50% of the gold span's tokens.
    A prediction is *correct* when at least 50% of its tokens lie in the category's gold spans,
    or when it finds at least one gold span. Coverage is computed either on token *positions* in
    one document text (:func:`match_spans_offsets`, when gold and predictions are character
    offsets into the same text) or, as a text-only fallback, on *bags* (multisets) of normalised
    tokens (:func:`match_spans`, used when gold offsets index CUAD's ``.txt`` and predictions
    index the PDF-extracted text). Gold spans without any word token are ignored (they cannot be
    matched on tokens); a prediction without any word token is kept, and is incorrect.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "PredMatch",
    "SpanMatch",
    "TokenIndex",
    "check_conf",
    "match_spans",
    "match_spans_offsets",
    "normalise_tokens",
]

# A letter or digit (``\w`` without the underscore), then letters, digits and combining marks
# (decomposed accents) or soft hyphens. Words are joined across a hyphen that sits directly
# between two word characters, or that ends a line (the rest of the word opens the next line).
_CONT = r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u00ad])"
_JOIN = r"[-\u2010\u2011\u00ad](?:[^\S\n]*\n\s*)?"
_RAW_WORD = re.compile(rf"[^\W_]{_CONT}*(?:{_JOIN}[^\W_]{_CONT}*)*")
_JOINERS = re.compile(r"[-\u2010\u2011\u00ad\s]+")
_WORD = re.compile(r"[^\W_]+")


def _tokens_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """Normalised tokens with the ``[start, end)`` character range of ``text`` they come from.

    NFKC and case folding are applied per raw word, so offsets stay exact; a raw word that NFKC
    splits (``½`` becomes ``1⁄2``) yields several tokens sharing the raw word's range.
    """
    out: list[tuple[str, int, int]] = []
    for m in _RAW_WORD.finditer(text):
        joined = _JOINERS.sub("", m.group())
        norm = unicodedata.normalize("NFKC", joined).casefold()
        out.extend((tok, m.start(), m.end()) for tok in _WORD.findall(norm))
    return out


def normalise_tokens(text: str) -> list[str]:
    """Case-folded word tokens of ``text`` (NFKC, punctuation dropped, hyphenation undone)."""
    return [tok for tok, _, _ in _tokens_with_offsets(text)]


class TokenIndex:
    """The normalised tokens of one document text, for offset-based span matching."""

    __slots__ = ("_ends", "_starts", "text", "tokens")

    def __init__(self, text: str) -> None:
        toks = _tokens_with_offsets(text)
        self.text = text
        self.tokens: tuple[str, ...] = tuple(t for t, _, _ in toks)
        self._starts = [s for _, s, _ in toks]
        self._ends = [e for _, _, e in toks]

    def positions(self, start: int, end: int) -> range:
        """Indices of the tokens that overlap the character range ``[start, end)``."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"bad span [{start}, {end}) for a text of {len(self.text)} chars")
        lo = bisect.bisect_right(self._ends, start)
        hi = bisect.bisect_left(self._starts, end)
        return range(lo, max(lo, hi))


@dataclass(frozen=True, slots=True)
class PredMatch:
    """How one predicted clause fared against its document's gold spans of its category."""

    confidence: float
    correct: bool
    found: frozenset[int]  # indices (into the gold sequence given) of the gold spans it finds
    n_tokens: int  # its normalised tokens
    in_gold: int  # how many of them lie in the category's gold spans


@dataclass(frozen=True, slots=True)
class SpanMatch:
    """One document's matching for one category: its predictions, in the order given."""

    n_gold: int  # gold spans with at least one token
    preds: tuple[PredMatch, ...]


def check_conf(conf: float) -> float:
    c = float(conf)
    if math.isnan(c):
        raise ValueError("a confidence is NaN")
    return c


def _judge(conf: float, n_tokens: int, in_gold: int, found: Iterable[int]) -> PredMatch:
    hits = frozenset(found)
    correct = bool(hits) or (n_tokens > 0 and 2 * in_gold >= n_tokens)
    return PredMatch(check_conf(conf), correct, hits, n_tokens, in_gold)


def match_spans(gold: Sequence[str], preds: Sequence[tuple[str, float]]) -> SpanMatch:
    """Match predicted clause texts ``(text, confidence)`` to gold span texts, on token bags.

    The text-only fallback: coverage is the size of the multiset intersection of normalised
    tokens. A prediction's tokens "in gold" are counted against the sum of the gold bags.
    """
    gold_bags = [Counter(normalise_tokens(g)) for g in gold]
    sizes = [b.total() for b in gold_bags]
    pool: Counter[str] = Counter()
    for b in gold_bags:
        pool.update(b)
    out: list[PredMatch] = []
    for text, conf in preds:
        bag = Counter(normalise_tokens(text))
        found = (
            i
            for i, (gb, size) in enumerate(zip(gold_bags, sizes, strict=True))
            if size and 2 * (bag & gb).total() >= size
        )
        out.append(_judge(conf, bag.total(), (bag & pool).total(), found))
    return SpanMatch(sum(1 for s in sizes if s), tuple(out))


def match_spans_offsets(
    text: str | TokenIndex,
    gold: Sequence[tuple[int, int]],
    preds: Sequence[tuple[int, int, float]],
) -> SpanMatch:
    """Match predictions ``(start, end, confidence)`` to gold ``(start, end)`` in one text.

    Offsets are character offsets into the same ``text``; coverage counts token positions (a
    token belongs to a span when its characters overlap the span). Pass a :class:`TokenIndex` to
    tokenise a document once for all its categories.
    """
    index = text if isinstance(text, TokenIndex) else TokenIndex(text)
    gold_pos = [frozenset(index.positions(s, e)) for s, e in gold]
    pool = frozenset[int]().union(*gold_pos)
    out: list[PredMatch] = []
    for s, e, conf in preds:
        pos = frozenset(index.positions(s, e))
        found = (i for i, g in enumerate(gold_pos) if g and 2 * len(pos & g) >= len(g))
        out.append(_judge(conf, len(pos), len(pos & pool), found))
    return SpanMatch(sum(1 for g in gold_pos if g), tuple(out))
