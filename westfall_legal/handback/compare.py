"""Two versions of a contract, aligned clause by clause: what was added, removed, changed
(a word-level redline), moved or renumbered, which key facts changed and which risk
findings appeared or went away.

The clauses compared are :func:`westfall_legal.handback.units.units`: each section's own
text paragraph by paragraph, margin lines left out, normalised so that the PDF and the
Word file of one contract read alike, without the number each paragraph opens with (a
renumbered clause is the same clause).

Alignment, each pass on what the earlier ones left unpaired:

1. the same words (the spaces between them aside: a PDF's "(b) (2)" is "(b)(2)"): moved
   and renumbered clauses pair up (the copies of a repeated text by their neighbours);
2. the most similar remaining pairs, best first, if their word-sequence similarity
   (difflib's ratio over words) reaches :data:`MIN_SIMILARITY`; the same number ("12.2",
   "12.2(a)" under its parent) adds :data:`SAME_NUMBER_BONUS`, so that among clauses alike
   the number decides, and a clause whose number was taken by another still finds its own.

Then a paragraph of one version that consecutive paragraphs of the other make up, word for
word, pairs with them as one (a PDF's page break cut it at a sentence end, or a heading is
a section of its own in one version only). An old clause left unpaired was removed, a new
one added; a pair whose words differ changed; a pair out of order (off the longest run of
pairs in the same order in both) moved. Nothing here reads files: two
:class:`~westfall_legal.models.Review` in, a :class:`Comparison` out.
"""

from __future__ import annotations

import bisect
import difflib
import re
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from westfall_legal.handback.ocr_pairs import (
    Misreading,
    Op,
    folded,
    joined_words,
    near_rejoined,
    tolerance_of,
    tolerant_pair,
)
from westfall_legal.handback.ocr_tolerance import Tolerance
from westfall_legal.handback.units import Unit, units
from westfall_legal.models import Review

MIN_SIMILARITY = 0.5
SAME_NUMBER_BONUS = 0.1

_ISO = re.compile(r"^P(\d+)([YMWD])$")
_UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day"}


Status = Literal["unchanged", "changed", "added", "removed"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One clause of the comparison: a pair, or a clause of one version only."""

    status: Status
    old: Unit | None
    new: Unit | None
    similarity: float = 1.0
    moved: bool = False
    redline: tuple[Op, ...] = ()  # word level, for a changed clause
    ocr: tuple[Misreading, ...] = ()  # word differences taken for OCR misreadings

    @property
    def renumbered(self) -> bool:
        """Its number changed (said once, on the section's first paragraph)."""
        old, new = self.old, self.new
        return bool(old and new and old.part == 1 and old.number != new.number)

    @property
    def label(self) -> str:
        unit = self.new or self.old
        assert unit is not None
        return unit.label


@dataclass(frozen=True, slots=True)
class FactChange:
    name: str
    old: Any
    new: Any
    old_text: str
    new_text: str

    def describe(self) -> str:
        """``term: 3 years → 5 years``"""
        return f"{self.name.replace('_', ' ')}: {shown(self.old)} → {shown(self.new)}"


Change = Literal["appeared", "went away"]


@dataclass(frozen=True, slots=True)
class RiskChange:
    """A playbook finding or a clause category present in one version only."""

    change: Change
    kind: Literal["finding", "category"]
    name: str  # the rule or the category
    title: str
    severity: str  # a finding's; "" for a category
    explanation: str
    where: str  # the clause it rests on, in the version that has it ("" when none)

    def describe(self) -> str:
        """``the Cap On Liability clause went away (it was in 12.2 Limitation of Liability)``"""
        what = f"the {self.title} clause" if self.kind == "category" else self.title
        if not self.where:
            return f"{what} {self.change}"
        tense = "was" if self.change == "went away" else "is"
        return f"{what} {self.change} ({'it ' + tense} in {self.where})"


@dataclass(frozen=True)
class Comparison:
    old: Review
    new: Review
    entries: tuple[Entry, ...]  # in the new version's order, removed clauses where they were
    facts: tuple[FactChange, ...]
    risks: tuple[RiskChange, ...]
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def shown(value: Any) -> str:
    """A fact's value for people: ``P3Y`` as ``3 years``, nothing as ``(none)``."""
    if value is None:
        return "(none)"
    m = _ISO.match(str(value))
    if m:
        n, unit = int(m.group(1)), _UNITS[m.group(2)]
        return f"{n} {unit}{'' if n == 1 else 's'}"
    return str(value)


# -- alignment ---------------------------------------------------------------------------------
def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _same_words(old: Sequence[Unit], new: Sequence[Unit]) -> list[tuple[int, int, float]]:
    """Pass 1: clauses with the same words. A text that stands more than once (an exhibit's
    boilerplate repeated) pairs copy with copy by their neighbours first (the same words
    before and after), then by where they stand, so that deleting one copy removes that
    copy, not the last."""
    keys_old = [_solid(u.words) for u in old]
    keys_new = [_solid(u.words) for u in new]
    groups: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i, key in enumerate(keys_old):
        groups[key][0].append(i)
    for j, key in enumerate(keys_new):
        groups[key][1].append(j)

    def context(i: int, j: int) -> int:
        before = i > 0 and j > 0 and keys_old[i - 1] == keys_new[j - 1]
        after = i + 1 < len(old) and j + 1 < len(new) and keys_old[i + 1] == keys_new[j + 1]
        return int(before) + int(after)

    pairs: list[tuple[int, int, float]] = []
    for olds, news in groups.values():
        if not olds or not news:
            continue
        if len(olds) == len(news) == 1:
            pairs.append((olds[0], news[0], 1.0))
            continue
        ranked = sorted(
            ((i, j) for i in olds for j in news),
            key=lambda p: (-context(*p), abs(p[0] / len(old) - p[1] / len(new))),
        )
        used_old: set[int] = set()
        used_new: set[int] = set()
        for i, j in ranked:
            if i not in used_old and j not in used_new:
                used_old.add(i)
                used_new.add(j)
                pairs.append((i, j, 1.0))
    return pairs


def align(old: Sequence[Unit], new: Sequence[Unit]) -> list[tuple[int, int, float]]:
    """The pairs (old index, new index, similarity), by the passes in the module docstring."""
    pairs = _same_words(old, new)
    taken = {j for _, j, _ in pairs}
    paired_old = {i for i, _, _ in pairs}
    left_old = [i for i in range(len(old)) if i not in paired_old]
    left_new = [j for j in range(len(new)) if j not in taken]
    bags = {("o", i): Counter(old[i].words) for i in left_old}
    bags |= {("n", j): Counter(new[j].words) for j in left_new}
    candidates = []
    for i in left_old:
        a = old[i].words
        for j in left_new:
            b = new[j].words
            total = len(a) + len(b)
            # an upper bound of the ratio first (difflib's quick_ratio), the ratio if it may pass
            common = sum((bags["o", i] & bags["n", j]).values())
            if not total or 2 * common < MIN_SIMILARITY * total:
                continue
            ratio = similarity(a, b)
            if ratio >= MIN_SIMILARITY:
                bonus = SAME_NUMBER_BONUS if old[i].path and old[i].path == new[j].path else 0.0
                candidates.append((ratio + bonus, ratio, i, j))
    candidates.sort(key=lambda c: (-c[0], abs(c[2] / max(len(old), 1) - c[3] / max(len(new), 1))))
    used_old: set[int] = set()
    for _, ratio, i, j in candidates:
        if i not in used_old and j not in taken:
            used_old.add(i)
            taken.add(j)
            pairs.append((i, j, ratio))
    return sorted(pairs)


def _in_order(pairs: Sequence[tuple[int, int, float]]) -> set[int]:
    """The old indices of the longest run of pairs whose new indices increase too."""
    tails: list[int] = []  # the new index ending the best run of each length
    ends: list[int] = []  # the pair at each tail
    back: list[int] = [-1] * len(pairs)
    for k, (_, j, _) in enumerate(pairs):
        n = bisect.bisect_left(tails, j)
        if n == len(tails):
            tails.append(j)
            ends.append(k)
        else:
            tails[n], ends[n] = j, k
        back[k] = ends[n - 1] if n else -1
    keep: set[int] = set()
    k = ends[-1] if ends else -1
    while k >= 0:
        keep.add(pairs[k][0])
        k = back[k]
    return keep


def redline(a: Sequence[str], b: Sequence[str]) -> tuple[Op, ...]:
    """Word-level differences of ``a`` to ``b``: equal runs, deletions and insertions."""
    ops: list[Op] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            ops.append(("insert", " ".join(b[j1:j2])))
    return tuple(ops)


def _rejoined(
    short: Sequence[Unit], long: Sequence[Unit], pairs: dict[int, int], near: bool = False
) -> dict[int, tuple[int, list[int]]]:
    """Paragraphs of ``short`` that one paragraph of ``long`` holds together (a page break
    cut a PDF's paragraph at a sentence end): ``{long index: (first, [the others])}``.
    ``pairs`` maps ``short`` indices to their partners in ``long``. ``near``: where a
    version was read by OCR, also those they make up nearly (see
    :func:`~westfall_legal.handback.ocr_pairs.near_rejoined`)."""
    by_first: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(short):
        if u.words:
            by_first[u.words[0][:1]].append(i)
    taken: set[int] = set()
    found: dict[int, tuple[int, list[int]]] = {}
    for j, b in enumerate(long):
        whole = _solid(b.words)
        if not whole:
            continue

        def free(k: int, j: int = j) -> bool:  # unpaired, or paired with ``b`` itself
            return k not in taken and pairs.get(k, j) == j

        for i in by_first.get(whole[:1], ()):
            joined, k, run = _solid(short[i].words), i + 1, []
            if not free(i) or not whole.startswith(joined) or len(joined) == len(whole):
                continue
            while len(joined) < len(whole) and k < len(short) and free(k):
                # the next paragraph with its number (inside ``b`` it is text), or without
                more = next((m for m in (_solid(short[k].text.split()), _solid(short[k].words))
                             if whole.startswith(joined + m)), None)  # fmt: skip
                if more is None:
                    break
                joined += more
                run.append(k)
                k += 1
            if run and joined == whole:
                found[j] = (i, run)
                taken.update([i, *run])
                break
    if near:
        near_rejoined(short, long, pairs, taken, found)
    return found


def _solid(words: Sequence[str]) -> str:
    """Words without the spaces between them: "(b) (2)" and "(b)(2)", "MHC- 2" and
    "MHC-2" (a PDF's spacing and line breaks) read alike."""
    return "".join(words)


Joins = dict[tuple[int, int], tuple[list[int], list[int]]]


def _pairs(
    old: list[Unit], new: list[Unit], near: bool = False
) -> tuple[list[tuple[int, int, float]], set[int], set[int], Joins]:
    """:func:`align`'s pairs, with a paragraph of one version that two or more of the other
    make up paired with the first of them (unchanged) and the others set aside; and of
    those pairs, the others of each side."""
    pairs = align(old, new)
    split_old = _rejoined(old, new, {i: j for i, j, _ in pairs}, near)
    split_new = _rejoined(new, old, {j: i for i, j, _ in pairs}, near)
    gone_old = {k for _, run in split_old.values() for k in run}
    gone_new = {k for _, run in split_new.values() for k in run}
    joined = {(i, j) for j, (i, _) in split_old.items()} | {
        (i, j) for i, (j, _) in split_new.items()
    }
    ends = {i for i, _ in joined} | gone_old, {j for _, j in joined} | gone_new
    kept = [(i, j, r) for i, j, r in pairs if i not in ends[0] and j not in ends[1]]
    runs: Joins = {(i, j): (run, []) for j, (i, run) in split_old.items()}
    runs |= {(i, j): ([], run) for i, (j, run) in split_new.items()}
    return sorted(kept + [(i, j, 1.0) for i, j in joined]), gone_old, gone_new, runs


def _entries(old: list[Unit], new: list[Unit], tolerance: Tolerance | None = None) -> list[Entry]:
    if tolerance is None:
        pairs, gone_old, gone_new, runs = _pairs(old, new)
    else:
        pairs, gone_old, gone_new, runs = _pairs(folded(old), folded(new), near=True)
    ordered = _in_order(pairs)
    placed: list[tuple[float, Entry]] = []
    partner = {i: j for i, j, _ in pairs}
    for i, j, ratio in pairs:
        a, b = old[i], new[j]
        misread: list[Misreading] = []
        ops: tuple[Op, ...] = ()
        if tolerance is not None and (a.ocr or b.ocr):
            more_old, more_new = runs.get((i, j), ([], []))  # the pieces joined to it
            words = (
                joined_words(b, a, [old[k] for k in more_old]) if more_old else a.words,
                joined_words(a, b, [new[k] for k in more_new]) if more_new else b.words,
            )
            changed, ops, misread = tolerant_pair(a, b, words, tolerance)
        else:  # a pair that ``_rejoined`` made is unchanged; any other, if its words differ
            changed = _solid(a.words) != _solid(b.words) and (i, j) not in runs
            ops = redline(a.words, b.words) if changed else ()
        entry = Entry(
            "changed" if changed else "unchanged",
            a,
            b,
            round(ratio, 4),
            moved=i not in ordered,
            redline=ops,
            ocr=tuple(misread),
        )
        placed.append((float(j), entry))
    paired_new = {j for _, j, _ in pairs}
    for j, u in enumerate(new):
        if j not in paired_new and j not in gone_new:
            placed.append((float(j), Entry("added", None, u)))
    for i, u in enumerate(old):
        if i in partner or i in gone_old:
            continue
        before = [partner[k] for k in range(i) if k in partner]
        where = (max(before) if before else -1) + 0.5 + i / (10 * (len(old) + 1))
        placed.append((where, Entry("removed", u, None, 0.0)))
    placed.sort(key=lambda p: p[0])
    return [e for _, e in placed]


# -- facts and risks -----------------------------------------------------------------------------
def _facts(old: Review, new: Review) -> list[FactChange]:
    out = []
    for name in [*old.facts, *(n for n in new.facts if n not in old.facts)]:
        a, b = old.facts.get(name), new.facts.get(name)
        va, vb = (a.value if a else None), (b.value if b else None)
        if va != vb:
            out.append(FactChange(name, va, vb, a.text if a else "", b.text if b else ""))
    return out


class _Locator:
    """Which compared clause holds a character of one version."""

    def __init__(self, review: Review, found: Sequence[Unit]) -> None:
        self.review = review
        self.units = sorted(found, key=lambda u: u.char_start)
        self.starts = [u.char_start for u in self.units]
        self.clauses = {c.id: c for c in review.clauses}

    def unit_at(self, char: int) -> Unit | None:
        i = bisect.bisect_right(self.starts, char) - 1
        return self.units[i] if i >= 0 else None

    def finding_at(self, spans: Sequence[tuple[int, int]], citations: Sequence[str]) -> int | None:
        if spans:
            return spans[0][0]
        cited = [self.clauses[c].char_start for c in citations if c in self.clauses]
        return cited[0] if cited else None


def _risks(
    old: Review, new: Review, old_units: list[Unit], new_units: list[Unit], entries: list[Entry]
) -> list[RiskChange]:
    """Findings keyed by rule and the clause they rest on (paired clauses count as one), and
    clause categories found in one version only."""
    same = {e.new.key: e.old.key for e in entries if e.old and e.new}
    sides = (_Locator(old, old_units), _Locator(new, new_units))

    def keyed(review: Review, locator: _Locator, to_old: bool) -> dict[tuple[str, str], Any]:
        out: dict[tuple[str, str], Any] = {}
        for f in review.findings:
            at = locator.finding_at(f.spans, f.citations)
            unit = locator.unit_at(at) if at is not None else None
            key = unit.key if unit else ""
            mine = same.get(key, "+" + key) if to_old and key else key  # "": the document's
            out.setdefault((f.rule, mine), (f, unit))
        return out

    before, after = keyed(old, sides[0], False), keyed(new, sides[1], True)
    risks = []
    went: Change = "went away"
    came: Change = "appeared"
    for change, mine, theirs in ((went, before, after), (came, after, before)):
        for key, (f, unit) in mine.items():
            if key not in theirs:
                where = unit.label if unit else ""
                title = f.title or f.rule
                risks.append(RiskChange(change, "finding", f.rule, title, f.severity,
                                        f.explanation, where))  # fmt: skip
    for change, this, that, locator in ((went, old, new, sides[0]), (came, new, old, sides[1])):
        theirs_cats = {c.category for c in that.clauses}
        firsts: dict[str, int] = {}
        for c in sorted(this.clauses, key=lambda c: c.char_start):
            firsts.setdefault(c.category, c.char_start)
        for category, at in firsts.items():
            if category not in theirs_cats:
                unit = locator.unit_at(at)
                where = unit.label if unit else ""
                risks.append(RiskChange(change, "category", category, category, "", "", where))
    return risks


def compare(old: Review, new: Review, *, ocr_tolerant: bool = True) -> Comparison:
    """Align ``old`` and ``new`` (two reviews of versions of one contract). Where a clause
    of either was read by OCR, differences that are OCR misreadings are no change
    (:mod:`~westfall_legal.handback.ocr_tolerance`) but counted apart, unless
    ``ocr_tolerant`` is false."""
    started = time.perf_counter()
    old_units, new_units = units(old), units(new)
    read = ocr_tolerant and any(u.ocr for u in (*old_units, *new_units))
    rules = tolerance_of(old, new, old_units, new_units) if read else None
    entries = _entries(old_units, new_units, rules)
    counts = Counter(e.status for e in entries)
    summary = {s: counts.get(s, 0) for s in ("unchanged", "changed", "added", "removed")}
    summary["moved"] = sum(e.moved for e in entries)
    summary["renumbered"] = sum(e.renumbered for e in entries)
    if rules is not None:
        summary["ocr_ignored"] = sum(len(e.ocr) for e in entries)
    return Comparison(
        old,
        new,
        tuple(entries),
        tuple(_facts(old, new)),
        tuple(_risks(old, new, old_units, new_units, entries)),
        round(time.perf_counter() - started, 4),
        summary,
    )
