"""Finds known names in text by their words, in time linear in the text's length.

A name is the sequence of its letter-and-digit runs ("Veoneer US, Inc." -> ``veoneer us
inc``); in text it matches with any punctuation and whitespace between the words (at most
:data:`MAX_GAP` characters, one line break), so "VEONEER US INC", "Veoneer US, Inc." and a name
broken over two lines all match. Several words match in any case; a single word matches only
as written, capitalised or in capitals ("Emerald", "EMERALD", never "emerald"), so a name
that is also a word does not take the word. The longest name starting at a word wins.

Matching looks up each word of the text in a dictionary of first words and tries only the
lengths of names starting with it, so its cost does not grow with the number of names (a
regex alternation of thousands of names would try each at every position).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W_]+|&")
MAX_GAP = 6
MAX_WORDS = 16


def words(name: str) -> tuple[str, ...]:
    """A name's words, case-folded."""
    return tuple(t.casefold() for t in _TOKEN.findall(name))


@dataclass(frozen=True)
class Entry:
    value: str  # what a match stands for (a placeholder, an original)
    forms: frozenset[str] | None  # a single word: the spellings it matches as
    period: bool  # the name ends in an abbreviation's full stop ("Inc.")
    rank: int  # lower wins when two names have the same words


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    value: str


def _forms(word: str) -> frozenset[str]:
    return frozenset({word, word.upper(), word[:1].upper() + word[1:].lower()})


class NameMatcher:
    def __init__(self) -> None:
        self._entries: dict[tuple[str, ...], Entry] = {}
        self._lengths: dict[str, set[int]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, name: str, value: str, rank: int = 0) -> None:
        key = words(name)
        if not key or len(key) > MAX_WORDS:
            return
        period = name.rstrip().endswith(".")
        known = self._entries.get(key)
        if known is not None and known.rank <= rank:
            if period and not known.period:  # "Acme, Inc" and "Acme, Inc.": take the stop
                self._entries[key] = Entry(known.value, known.forms, True, known.rank)
            return
        single = _TOKEN.findall(name)[0] if len(key) == 1 else None
        forms = _forms(single) if single is not None else None
        self._entries[key] = Entry(value, forms, period or bool(known and known.period), rank)
        self._lengths.setdefault(key[0], set()).add(len(key))

    def finditer(self, text: str) -> Iterator[Match]:
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        folded = [t[2].casefold() for t in tokens]
        i = 0
        while i < len(tokens):
            lengths = self._lengths.get(folded[i])
            found = None
            for n in sorted(lengths or (), reverse=True):
                found = self._match(text, tokens, folded, i, n)
                if found is not None:
                    break
            if found is None:
                i += 1
                continue
            n, entry = found
            end = tokens[i + n - 1][1]
            if entry.period and text[end : end + 1] == "." and not _sentence_end(text, end + 1):
                end += 1
            yield Match(tokens[i][0], end, entry.value)
            i += n

    def _match(
        self,
        text: str,
        tokens: list[tuple[int, int, str]],
        folded: list[str],
        i: int,
        n: int,
    ) -> tuple[int, Entry] | None:
        if i + n > len(tokens):
            return None
        entry = self._entries.get(tuple(folded[i : i + n]))
        if entry is None:
            return None
        if entry.forms is not None and tokens[i][2] not in entry.forms:
            return None
        for k in range(i, i + n - 1):
            gap = text[tokens[k][1] : tokens[k + 1][0]]
            if len(gap) > MAX_GAP or gap.count("\n") > 1:
                return None
        return n, entry


def _sentence_end(text: str, pos: int) -> bool:
    """Whether the full stop before ``pos`` also ends a sentence: keep it in the text."""
    rest = text[pos : pos + 3]
    stripped = rest.lstrip()
    return not stripped or (len(stripped) < len(rest) and stripped[0].isupper())
