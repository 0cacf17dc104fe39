"""Repair words OCR misread ("shail", "cach", "Agreerent") against a lexicon.

Poor scans, and most of all faxes set in Courier at 200 dpi, come back with letters mistaken
for their look-alikes: c/e/o, l/i/t, r/t, rn/m. Where a word Tesseract read is no word at
all, it is replaced by the one contract word it is nearest to, when one is clearly nearest:

- A word is **never** touched when it is a word: on the legal list (words common to CUAD's
  training contracts), on the general English list (or the plural of a word on either), or
  read twice on the same page (a name, a defined term). Nor when it holds a digit, is
  shorter than 3 letters, or is an acronym of up to 4 capitals. Only words read by OCR are
  repaired; a PDF's text layer never is.
- The replacement is always a legal word seen at least ``MIN_TARGET_COUNT`` times, at most
  one edit away (a look-alike letter, a letter lost or added, two letters swapped; never the
  first letter lost or added, nor the last added), or, in a word of 6 letters or more, two
  look-alike letters away. Look-alike changes cost less than others; the candidate whose
  count, discounted by its cost, is at least ``MIN_MARGIN`` times the next one's wins, and
  with no clear winner nothing changes.
- A closing ``!``, ``|`` or ``]`` (or ``)`` without an opening bracket) that makes a word of
  the letters before it is read as the ``l`` it usually is ("shal]" -> "shall").

Case is carried over ("DEVELCPMENT" -> "DEVELOPMENT"), and so are the word's box and
Tesseract's confidence. The lexicon is package data built by ``training/ocr_lexicon.py``;
its manifest's SHA-256 is checked on loading.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from westfall_legal import paths
from westfall_legal.errors import KnownError
from westfall_legal.models import Word

MIN_LETTERS = 3
MIN_LETTERS_TWO_CHANGES = 6  # "anda" ("and a" run together) is not "ends"
MAX_ACRONYM = 4
MIN_TARGET_COUNT = 20  # a replacement is a legal word seen at least this often
MIN_MARGIN = 5.0  # the winner's discounted count over the runner-up's
LOOKALIKE_COST = 0.3  # edit costs; a candidate's count is discounted by 100 ** -cost
EDIT_COST = 1.0

# Letters OCR takes for one another (in both directions), and longer look-alikes.
_LOOKALIKES = ("ce", "eo", "co", "oa", "ae", "li", "lt", "tf", "rt", "nh", "hb", "nr", "uv",
               "uo", "ad", "gq", "yv", "ij", "ti", "sa")  # fmt: skip
_LONGER = (("rn", "m"), ("m", "rn"), ("m", "in"), ("cl", "d"), ("d", "cl"), ("li", "h"),
           ("vv", "w"))  # fmt: skip
_SIMILAR: dict[str, frozenset[str]] = {}
for _pair in _LOOKALIKES:
    _SIMILAR[_pair[0]] = _SIMILAR.get(_pair[0], frozenset()) | {_pair[1]}
    _SIMILAR[_pair[1]] = _SIMILAR.get(_pair[1], frozenset()) | {_pair[0]}
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_L_GLYPHS = "!|]"

_OPENING = "\"'([{\u201c\u2018"
_CLOSING = "\"')]},.;:!?|\u201d\u2019"
_LETTERS = re.compile(r"[A-Za-z]++")
_INNER_L = re.compile(r"(?<=[A-Za-z])[!|](?=[A-Za-z])")


@dataclass(frozen=True)
class Lexicon:
    legal: dict[str, int]  # word -> count in the training contracts
    general: frozenset[str]

    def known(self, word: str) -> bool:
        """A word on either list, or the plural (or -s form) of one ("biopharmaceuticals")."""
        return any(
            form in self.legal or form in self.general
            for form in (
                word,
                word[:-1] if word.endswith("s") else "",
                word[:-2] if word.endswith("es") else "",
            )
            if form
        )

    @classmethod
    def from_tsv(cls, text: str) -> Lexicon:
        legal: dict[str, int] = {}
        general = set()
        for line in text.splitlines():
            word, count, is_general = line.split("\t")
            if int(count):
                legal[word] = int(count)
            if is_general == "1":
                general.add(word)
        return cls(legal, frozenset(general))


LEXICON_HINT = "Reinstall Westfall Legal: its OCR lexicon is damaged or missing."


@functools.cache
def default_lexicon() -> Lexicon:
    """The shipped lexicon, its SHA-256 checked against its manifest."""
    return load_lexicon(paths.resource_path("ocr"))


def load_lexicon(folder: Path) -> Lexicon:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        name = str(manifest["file"])
        if Path(name).name != name:
            raise ValueError(f"{name!r} is not a file name in the folder")
        data = (folder / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != manifest["sha256"]:
            raise ValueError("its SHA-256 is not the manifest's")
        return Lexicon.from_tsv(gzip.decompress(data).decode("ascii"))
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
        raise KnownError(
            f"{folder}: the OCR lexicon cannot be read ({exc}).", hint=LEXICON_HINT
        ) from exc


def _lookalikes(word: str) -> set[str]:
    """Strings one look-alike change from ``word``."""
    out = {
        word[:i] + other + word[i + 1 :]
        for i, ch in enumerate(word)
        for other in _SIMILAR.get(ch, ())
    }
    for seen, meant in _LONGER:
        at = word.find(seen)
        while at >= 0:
            out.add(word[:at] + meant + word[at + len(seen) :])
            at = word.find(seen, at + 1)
    out.discard(word)
    return out


def _edits(word: str) -> dict[str, float]:
    """Strings one edit from ``word`` with the edit's cost (look-alikes cost less)."""
    out: dict[str, float] = {}

    def put(candidate: str, cost: float) -> None:
        if candidate != word and cost < out.get(candidate, 9.0):
            out[candidate] = cost

    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            if 0 < i < len(word) - 1:
                put(head + tail[1:], EDIT_COST)  # a letter added (never the first or last)
            for letter in _ALPHABET:
                put(head + letter + tail[1:], EDIT_COST)
            if len(tail) > 1:
                put(head + tail[1] + tail[0] + tail[2:], EDIT_COST)
        if i:
            for letter in _ALPHABET:
                put(head + letter + tail, EDIT_COST)  # a letter lost
    for candidate in _lookalikes(word):
        out[candidate] = LOOKALIKE_COST
    return out


def nearest(word: str, lexicon: Lexicon) -> str | None:
    """The legal word ``word`` (lower case, not itself a word) most likely misreads."""
    first = _edits(word)
    costs = {c: cost for c, cost in first.items() if c in lexicon.legal}
    for candidate in _lookalikes(word) if len(word) >= MIN_LETTERS_TWO_CHANGES else ():
        for second in _lookalikes(candidate):
            if second in lexicon.legal and second != word:
                costs.setdefault(second, 2 * LOOKALIKE_COST)
    scored = sorted(
        ((lexicon.legal[c] * 100.0**-cost, c) for c, cost in costs.items()), reverse=True
    )
    if not scored or lexicon.legal[scored[0][1]] < MIN_TARGET_COUNT:
        return None
    if len(scored) > 1 and scored[0][0] < MIN_MARGIN * scored[1][0]:
        return None
    best = scored[0][1]
    if len(word) <= MIN_LETTERS and costs[best] > LOOKALIKE_COST:
        return None
    return best


def _recase(read: str, word: str) -> str:
    if read.isupper() and len(read) > 1:
        return word.upper()
    if read[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def repair_token(token: str, lexicon: Lexicon, on_page: Counter[str]) -> str:
    """``token`` as it was meant, or unchanged (see the module's rules)."""
    rest = token.lstrip(_OPENING)
    read = rest.rstrip(_CLOSING)
    before, after = token[: len(token) - len(rest)], rest[len(read) :]
    core = _INNER_L.sub("l", read)
    if not core.isascii() or not core.isalpha() or len(core) < MIN_LETTERS - 1:
        return token
    if after and after[0] in _L_GLYPHS + ("" if before else ")"):
        glued = (core + "l").lower()
        # "!" and "|" hardly ever close a contract's word: even after a word ("al!")
        if lexicon.known(glued) and (after[0] in "!|" or not lexicon.known(core.lower())):
            return before + _recase(core, glued) + after[1:]
    lower = core.lower()
    if len(core) < MIN_LETTERS or lexicon.known(lower) or on_page[lower] >= 2:
        return token if core == read else before + core + after
    if core.isupper() and len(core) <= MAX_ACRONYM:
        return token
    meant = nearest(lower, lexicon)
    return token if meant is None else before + _recase(core, meant) + after


def repair_words(words: Sequence[Word], lexicon: Lexicon | None = None) -> tuple[list[Word], int]:
    """The page's OCR words with misreadings repaired, and how many were."""
    lexicon = lexicon or default_lexicon()
    on_page = Counter(w.lower() for word in words for w in _LETTERS.findall(word.text))
    out, repaired = [], 0
    for word in words:
        fixed = word.text
        if not any(ch.isdigit() for ch in fixed):
            fixed = repair_token(fixed, lexicon, on_page)
        if fixed != word.text:
            repaired += 1
            word = replace(word, text=fixed)
        out.append(word)
    return out, repaired
