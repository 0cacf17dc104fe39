"""Word differences that are OCR misreadings, told apart from real edits.

When one version of a clause was read by OCR (an executed copy scanned, a phone photo),
its words differ from the draft's in ways no lawyer made: "l", "1", "I" and "|" confused,
"O" and "0", "rn" read as "m", "cl" as "d", accents on plain letters ("givé"), ligatures,
hyphens left at line ends, words run together or split ("in.each", "IN NO" / "INNO"),
curly against straight quotes, punctuation specks dropped or added. :func:`diff` splits
two clauses' words into runs that are equal, changed, or such an OCR difference, which the
comparison shows apart (greyed, counted) and never as a change.

A run of differing words is an OCR difference when, on the OCR'd side:

1. its words read alike once folded (:func:`fold`: case, accents and punctuation
   dropped, the confusable letters and digits made one, "rn" → "m", "cl" → "d",
   "vv" → "w"); or it is only a running head's "Page 3 of 19" that the layout kept; or
2. it is a near miss: the folded runs are at most :func:`budget` character edits apart,
   and every word the OCR'd side has that the other lacks is no word of the other version
   (a misreading makes non-words: "conimences", "orde"; an edit makes words: "sole" →
   "some").

Whatever the edit distance, a run never counts as OCR noise when a protected word
(:meth:`Tolerance.protected`) is in one version and not the other, as folded: a number
(any word with a digit: "30" → "60" and "30" → "80" are changes, "(3O)" → "(30)" is the
same number), a number word ("thirty"), a month, a negation ("not", "no", "never" ...), a
modal verb ("shall", "may", "must" ...) or a word of a party's name. The one allowance: a
modal verb, negation, month or number word of five letters or more that the OCR'd side
reads as a non-word one letter away ("shall" → "shail") is misread; read as another word
("shall" → "small", "never" → "sever") or as a protected word, it is a change; a short one
("not", "no", "may", "must"), a number and a party's name must read the same once
folded.

Pure: the words of both versions in, runs out. Nothing here reads the document; which
clause was read by OCR comes with each :class:`~westfall_legal.handback.units.Unit`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Kind = Literal["equal", "ocr", "change"]
Run = tuple[Kind, tuple[str, ...], tuple[str, ...]]  # kind, old words, new words

MAX_EDITS = 6  # the most character edits a near miss may have, however long the run
MIN_NEAR_PROTECTED = 5  # a protected word this long may be misread by one letter ("shail")

# Before case folding: a capital I reads as l or 1. After: each confusable class as one.
_CAPITAL_I = str.maketrans({"I": "1"})
_CONFUSABLE = str.maketrans(
    {"l": "1", "|": "1", "!": "1", "]": "1", "¡": "1", "o": "0", "$": "s", "¢": "c", "€": "e"}
)
# Letter pairs OCR reads as one letter (applied after the classes above, left to right).
_PAIRS = (("rn", "m"), ("c1", "d"), ("vv", "w"))
_NUMERIC_GAP = re.compile(r"(?<=\d)[.,](?=\d)")  # "1,000" and "1.000" alike, "2.5" kept
_NOT_KEPT = re.compile(r"[^0-9a-z%.]++")
_STRAY_DOT = re.compile(r"\.(?!\d)|(?<!\d)\.")  # a full stop that is no decimal point

_NEGATIONS = "not no never neither nor none nothing cannot without non unless except"
_MODALS = "shall may must will should can could might would"
_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty "
    "seventy eighty ninety hundred thousand million billion half quarter first second "
    "third fourth fifth sixth seventh eighth ninth tenth once twice double triple"
)
_MONTHS = "january february march april may june july august september october november december"


def fold(word: str) -> str:
    """``word`` as OCR cannot tell it from its misreadings: ``fold("Agreément")`` ==
    ``fold("Agreernent")``, ``fold("(3O)")`` == ``fold("30")``, ``fold("shal]")`` ==
    ``fold("shall")``; a word of punctuation alone folds to ``""``."""
    plain = unicodedata.normalize("NFKD", word)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = plain.translate(_CAPITAL_I).casefold().translate(_CONFUSABLE)
    plain = _NOT_KEPT.sub("", _NUMERIC_GAP.sub(".", plain))
    plain = _STRAY_DOT.sub("", plain)
    for pair, one in _PAIRS:
        plain = plain.replace(pair, one)
    return plain


_PROTECTED_WORDS = frozenset(
    fold(w) for w in f"{_NEGATIONS} {_MODALS} {_NUMBER_WORDS} {_MONTHS}".split()
)


def budget(length: int) -> int:
    """Character edits a near miss of ``length`` folded characters may have: one in five,
    at least one, at most :data:`MAX_EDITS`."""
    return max(1, min(length // 5, MAX_EDITS))


def within(a: str, b: str, limit: int) -> bool:
    """Whether the edit distance of ``a`` and ``b`` is at most ``limit`` (a band of the
    dynamic programme, so long runs cost ``len × limit``)."""
    if abs(len(a) - len(b)) > limit:
        return False
    far = limit + 1
    previous = [j if j <= limit else far for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        row = [far] * (len(b) + 1)
        row[0] = i if i <= limit else far
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost, far)
        if min(row) > limit:
            return False
        previous = row
    return previous[len(b)] <= limit


@dataclass(frozen=True, slots=True)
class Tolerance:
    """What tells a misreading from an edit in one comparison: each version's words
    (folded), and the words of the parties' names (folded)."""

    vocabulary: tuple[frozenset[str], frozenset[str]]  # old's, new's
    parties: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls, old_words: Iterable[str], new_words: Iterable[str], parties: Iterable[str] = ()
    ) -> Tolerance:
        """From every word of each version, and the parties' names as written."""
        names = {fold(w) for name in parties for w in name.split()}
        return cls(
            (frozenset(map(fold, old_words)), frozenset(map(fold, new_words))),
            frozenset(w for w in names if len(w) >= 3),
        )

    def protected(self, word: str) -> bool:
        """A word whose change is always a change: a number, a number word, a month, a
        negation, a modal verb, a word of a party's name."""
        folded = fold(word)
        return (
            any(c.isdigit() for c in word) or folded in _PROTECTED_WORDS or folded in self.parties
        )

    def diff(
        self,
        old: Sequence[str],
        new: Sequence[str],
        ocr: tuple[bool, bool],
        numbers: Iterable[str | None] = (),
    ) -> list[Run]:
        """The runs of ``old`` against ``new`` (``ocr``: which side was read by OCR):
        "equal", "ocr" (a misreading, see the module docstring) or "change". ``numbers``:
        the clause's own number in each version; an OCR'd side that opens with it where
        the other does not ("- 15.5", the layout took the dash for text) misread nothing."""
        own = {fold(n) for n in numbers if n}
        fo, fn = [fold(w) for w in old], [fold(w) for w in new]
        runs: list[Run] = []
        matcher = difflib.SequenceMatcher(None, fo, fn, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            a, b = tuple(old[i1:i2]), tuple(new[j1:j2])
            if tag != "equal":
                opening = i1 == j1 == 0 and (
                    (not a and ocr[1] and _only(fn[j1:j2], own))
                    or (not b and ocr[0] and _only(fo[i1:i2], own))
                )
                misread = opening or self.misread(a, b, ocr)
                runs.append(("ocr" if misread else "change", a, b))
                continue
            start = 0  # equal once folded: the words that differ as read are OCR differences
            for k in range(len(a) + 1):
                if k == len(a) or a[k] != b[k]:
                    if k > start:
                        runs.append(("equal", a[start:k], b[start:k]))
                    if k < len(a):
                        runs.append(("ocr", a[k : k + 1], b[k : k + 1]))
                    start = k + 1
        return _merged(runs)

    def misread(self, old: Sequence[str], new: Sequence[str], ocr: tuple[bool, bool]) -> bool:
        """Whether ``old`` → ``new`` (differing words) is an OCR difference (never where
        neither side was read by OCR)."""
        if not any(ocr):
            return False
        fo, fn = [fold(w) for w in old], [fold(w) for w in new]
        solid_old, solid_new = "".join(fo), "".join(fn)
        if solid_old == solid_new:
            return True
        if (not fo and ocr[1] and _furniture(fn)) or (not fn and ocr[0] and _furniture(fo)):
            return True
        if self._specks(old, new, ocr):
            return True
        bag_old, bag_new = Counter(fo), Counter(fn)
        for side, (words, theirs) in enumerate(((old, bag_new), (new, bag_old))):
            extra = list((theirs - Counter(map(fold, words))).elements())
            for w in words:
                missing = self.protected(w) and theirs[fold(w)] == 0
                if missing and not self._misread_protected(w, extra, self.vocabulary[side]):
                    return False
        if not within(solid_old, solid_new, budget(max(len(solid_old), len(solid_new)))):
            return False
        for side, (mine, theirs) in enumerate(((bag_old, bag_new), (bag_new, bag_old))):
            if not ocr[side]:
                continue
            other = self.vocabulary[1 - side]
            if any(len(w) >= 2 and w in other for w in mine - theirs):
                return False  # the misreading is a word the other version uses: an edit
        return True

    def _misread_protected(
        self, word: str, theirs: Sequence[str], vocabulary: frozenset[str]
    ) -> bool:
        """Whether a protected ``word`` missing from the other side was only misread there:
        a modal verb, negation, month or number word of five letters or more ("shall", not
        "not" or "may"; not a number, not a party's name), for which the other
        side has a non-word one letter away ("shail"), which is no protected word itself
        and no word of ``word``'s version. A number must always read the same."""
        folded = fold(word)
        if folded not in _PROTECTED_WORDS or len(folded) < MIN_NEAR_PROTECTED:
            return False
        return any(
            within(folded, other, 1)
            and other not in vocabulary
            and other not in _PROTECTED_WORDS
            and other not in self.parties
            for other in theirs
        )

    def _specks(self, old: Sequence[str], new: Sequence[str], ocr: tuple[bool, bool]) -> bool:
        """Whether one side has nothing and the other, read by OCR, only specks: words of
        one or two letters that the version without them never uses ("ie", "Ty": a mark
        read as letters; "if" or "or" would be an edit)."""
        for side, (mine, theirs) in enumerate(((old, new), (new, old))):
            other = self.vocabulary[1 - side]
            if (
                ocr[side]
                and not theirs
                and all(
                    len(fold(w)) <= 2 and fold(w) not in other and not self.protected(w)
                    for w in mine
                )
            ):
                return True
        return False


def _only(folded: Sequence[str], numbers: set[str]) -> bool:
    """Whether ``folded`` is one of ``numbers`` and specks."""
    words = [w for w in folded if w]
    return len(words) == 1 and words[0] in numbers


def _furniture(folded: Sequence[str]) -> bool:
    """A page number the layout kept in the text: "Page 3", "Page 3 of 19" (folded)."""
    words = [w for w in folded if w]
    shape = ["page", "#", "0f", "#"][: len(words)]
    return len(words) in (2, 4) and all(
        w.isdigit() if s == "#" else w == s for w, s in zip(words, shape, strict=True)
    )


def _merged(runs: list[Run]) -> list[Run]:
    """Neighbouring runs of one kind as one."""
    out: list[Run] = []
    for kind, a, b in runs:
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + a, out[-1][2] + b)
        else:
            out.append((kind, a, b))
    return out
