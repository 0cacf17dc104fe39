"""Text features for the clause and contract-type models, in pure Python.

The same code featurises at training time and at run time, so the shipped model needs no
scikit-learn: word unigrams and bigrams, character 3-5-grams inside words (padded with
spaces, as scikit-learn's ``char_wb``), and the words of the enclosing section heading in
their own namespace. Values are sublinear term frequencies; the model's vocabulary, idf
weights and L2 normalisation turn them into a TF-IDF vector.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise

import numpy as np
import numpy.typing as npt

_WORD = re.compile(r"\w+")
CHAR_NGRAMS = (3, 4, 5)
CONTEXT_WORDS = 25


def neighbours(texts: Sequence[str], i: int) -> str:
    """The last words of the previous candidate and the first words of the next one."""
    before = texts[i - 1].split()[-CONTEXT_WORDS:] if i > 0 else []
    after = texts[i + 1].split()[:CONTEXT_WORDS] if i + 1 < len(texts) else []
    return " ".join(before + after)


def candidate_counts(texts: Sequence[str], headings: Sequence[str]) -> list[Counter[str]]:
    """The features of every candidate clause of one document, in order."""
    n = len(texts)
    return [
        term_counts(t, h, i, n, neighbours(texts, i))
        for i, (t, h) in enumerate(zip(texts, headings, strict=True))
    ]


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _WORD.findall(unicodedata.normalize("NFKC", text))]


@lru_cache(maxsize=200_000)
def _char_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple("c:" + padded[i : i + n] for n in CHAR_NGRAMS for i in range(len(padded) - n + 1))


def term_counts(
    text: str, heading: str = "", index: int | None = None, of: int = 0, context: str = ""
) -> Counter[str]:
    """Raw counts of every feature of a text, its section heading and its place.

    ``index`` of ``of`` is the candidate's position in the document: the opening candidates
    (title, parties, date) and the closing ones (signatures) read differently. ``context``
    is the neighbouring text (the end of the previous candidate, the start of the next).
    """
    words = tokens(text)
    counts: Counter[str] = Counter()
    counts.update("w:" + w for w in words)
    counts.update(f"b:{a} {b}" for a, b in pairwise(words))
    for w in words:
        counts.update(_char_grams(w))
    if heading:
        counts.update("h:" + w for w in tokens(heading))
    if context:
        counts.update("x:" + w for w in tokens(context))
    if index is not None and of > 0:
        counts[f"pos:{min(index, 8)}"] += 1
        counts[f"rel:{int(10 * index / of)}"] += 1
    return counts


class Vectoriser:
    """Vocabulary + idf -> L2-normalised sublinear TF-IDF rows (CSR parts, no scipy)."""

    def __init__(self, vocabulary: dict[str, int], idf: npt.NDArray[np.float32]) -> None:
        self.vocabulary = vocabulary
        self.idf = idf

    @property
    def size(self) -> int:
        return len(self.vocabulary)

    def row(self, counts: Counter[str]) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        vocab = self.vocabulary
        idx = []
        val = []
        for term, n in counts.items():
            j = vocab.get(term)
            if j is not None:
                idx.append(j)
                val.append((1.0 + math.log(n)) * float(self.idf[j]))
        indices = np.asarray(idx, dtype=np.int32)
        values = np.asarray(val, dtype=np.float32)
        norm = float(np.sqrt(np.dot(values, values)))
        if norm > 0:
            values /= norm
        return indices, values

    def rows(
        self, counts: Iterable[Counter[str]]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        """CSR ``(indptr, indices, data)`` of many rows."""
        indptr = [0]
        all_idx: list[npt.NDArray[np.int32]] = []
        all_val: list[npt.NDArray[np.float32]] = []
        for c in counts:
            i, v = self.row(c)
            all_idx.append(i)
            all_val.append(v)
            indptr.append(indptr[-1] + len(i))
        return (
            np.asarray(indptr, dtype=np.int64),
            np.concatenate(all_idx) if all_idx else np.zeros(0, np.int32),
            np.concatenate(all_val) if all_val else np.zeros(0, np.float32),
        )


def build_vocabulary(
    docs: Sequence[Counter[str]], min_df: int, max_features: int
) -> tuple[dict[str, int], npt.NDArray[np.float32]]:
    """Most frequent terms by document frequency, with smoothed idf (as scikit-learn's)."""
    df: Counter[str] = Counter()
    for c in docs:
        df.update(c.keys())
    kept = [t for t, n in df.most_common(max_features) if n >= min_df]
    kept.sort()
    vocabulary = {t: i for i, t in enumerate(kept)}
    n_docs = len(docs)
    idf = np.asarray([math.log((1 + n_docs) / (1 + df[t])) + 1.0 for t in kept], np.float32)
    return vocabulary, idf


def scores(
    indptr: npt.NDArray[np.int64],
    indices: npt.NDArray[np.int32],
    data: npt.NDArray[np.float32],
    weights: npt.NDArray[np.float32],
    bias: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """Linear scores ``X @ weights + bias`` for CSR rows; weights is (features, outputs)."""
    n = len(indptr) - 1
    out = np.tile(bias, (n, 1)).astype(np.float32)
    for r in range(n):
        lo, hi = indptr[r], indptr[r + 1]
        if hi > lo:
            out[r] += data[lo:hi] @ weights[indices[lo:hi]]
    return out
