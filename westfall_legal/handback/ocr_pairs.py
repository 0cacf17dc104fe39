"""Clauses paired where a version was read by OCR: aligned on folded words, a paragraph that
a scan's layout cut in pieces joined again though OCR misread some of its words, and each
pair's words split into equal runs, OCR misreadings and changes
(:mod:`~westfall_legal.handback.ocr_tolerance`). Used by
:func:`westfall_legal.handback.compare.compare`; pure, like it."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from westfall_legal.handback.ocr_tolerance import Tolerance, fold
from westfall_legal.handback.units import PREAMBLE, Unit
from westfall_legal.models import Review

# A redline step: the words equal, deleted or inserted; or ("ocr", the new version's words,
# the old version's): a difference that is an OCR misreading, shown apart, not a change.
Op = tuple[Literal["equal", "delete", "insert"], str] | tuple[Literal["ocr"], str, str]
Misreading = tuple[str, str]  # the old version's words, the new version's
Found = dict[int, tuple[int, list[int]]]  # long index: (first short index, the others)

NEAR_JOIN = 0.8  # the word-sequence similarity of pieces joined to the paragraph they make


def tolerance_of(
    old: Review, new: Review, old_units: Sequence[Unit], new_units: Sequence[Unit]
) -> Tolerance:
    """What tells an OCR misreading from an edit in this comparison: each version's words,
    and the parties' names (as they sign, and as the preamble defines them)."""
    parties = [n for r in (old, new) for b in r.signature_blocks for n in (b.party, b.signatory)]
    for review, found in ((old, old_units), (new, new_units)):
        opening = max((u.char_end for u in found if u.key.startswith(PREAMBLE)), default=0)
        parties += [d.term for d in review.definitions if d.term_start < opening]
    return Tolerance.of(
        (w for u in old_units for w in u.words),
        (w for u in new_units for w in u.words),
        (p for p in parties if p),
    )


def folded(found: Sequence[Unit]) -> list[Unit]:
    """``found`` as aligned where a version was read by OCR: its words folded
    (:func:`~westfall_legal.handback.ocr_tolerance.fold`), punctuation specks left out."""

    def words(text: Sequence[str]) -> tuple[str, ...]:
        return tuple(w for w in map(fold, text) if w)

    return [replace(u, words=words(u.words), text=" ".join(words(u.text.split()))) for u in found]


def _piece(piece: Unit, long_words: set[str]) -> tuple[str, ...]:
    """A piece's words as the paragraph it is part of has them: with the number it opens
    with where the paragraph has that number as text ("(d) at any time"), else without."""
    text = tuple(piece.text.split())
    numbered = len(text) > len(piece.words) and fold(text[0]) in long_words
    return text if numbered else piece.words


def joined_words(long: Unit, first: Unit, rest: Sequence[Unit]) -> tuple[str, ...]:
    """The words of ``first`` and ``rest``, the pieces that make up ``long``."""
    long_words = {fold(w) for w in long.words}
    words = list(first.words)
    for piece in rest:
        words += _piece(piece, long_words)
    return tuple(words)


def near_rejoined(
    short: Sequence[Unit],
    long: Sequence[Unit],
    pairs: dict[int, int],
    taken: set[int],
    found: Found,
) -> None:
    """Add to ``found`` the paragraphs of ``long`` that consecutive paragraphs of ``short``
    make up nearly (folded word-sequence similarity :data:`NEAR_JOIN` or more, the lengths
    within a tenth), where either side was read by OCR: a scan's paragraph cut in pieces in
    which OCR misread a word, so that the pieces do not make it up word for word. The pair
    is compared word by word afterwards, so a real edit inside it is still a change.
    ``pairs`` maps ``short`` indices to their partners in ``long``; ``taken``: the pieces
    already joined."""
    starts: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(short):
        if u.words:
            starts[u.words[0]].append(i)
    for j, b in enumerate(long):
        if j in found or not b.words:
            continue
        target, long_words = list(b.words), set(b.words)
        best: tuple[float, int, list[int]] | None = None
        for i in starts.get(b.words[0], ()):
            if i in taken or pairs.get(i, j) != j or not (short[i].ocr or b.ocr):
                continue
            words, run, k = list(short[i].words), [], i + 1
            while k < len(short) and k not in taken and pairs.get(k, j) == j:
                if len(words) > 1.1 * len(target):
                    break
                words += _piece(short[k], long_words)
                run.append(k)
                k += 1
                if abs(len(words) - len(target)) <= 0.1 * len(target):
                    ratio = difflib.SequenceMatcher(None, words, target, autojunk=False).ratio()
                    if ratio >= NEAR_JOIN and (best is None or ratio > best[0]):
                        best = (ratio, i, list(run))
        if best is not None:
            found[j] = (best[1], best[2])
            taken.update([best[1], *best[2]])


def tolerant_pair(
    a: Unit, b: Unit, words: tuple[Sequence[str], Sequence[str]], tolerance: Tolerance
) -> tuple[bool, tuple[Op, ...], list[Misreading]]:
    """(changed, its redline, the misreadings) of a pair of which a side was read by OCR;
    ``words``: each side's words (a unit's own, or its pieces' joined)."""
    runs = tolerance.diff(words[0], words[1], (a.ocr, b.ocr), (a.number, b.number))
    misread = [(" ".join(x), " ".join(y)) for kind, x, y in runs if kind == "ocr"]
    if all(kind != "change" for kind, _, _ in runs):
        return False, (), misread
    ops: list[Op] = []
    for kind, x, y in runs:
        if kind == "equal":
            ops.append(("equal", " ".join(y)))
        elif kind == "ocr":
            ops.append(("ocr", " ".join(y) or "·", " ".join(x) or "·"))
        else:
            ops.extend(op for op in (("delete", " ".join(x)), ("insert", " ".join(y))) if op[1])
    return True, tuple(ops), misread
