"""Candidate clauses -> labelled clauses with confidence and exact provenance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from westfall_legal.analysis.clause_model import ClauseModel
from westfall_legal.models import Clause, DocumentText, Segment

SHOW_AT = 0.5


class ClauseScorer(Protocol):
    """What ``classify`` needs of a clause model (the n-gram one, or it stacked)."""

    categories: list[str]
    thresholds: npt.NDArray[np.float32]

    def clause_probabilities(
        self, texts: Sequence[str], headings: Sequence[str]
    ) -> npt.NDArray[np.float32]: ...


def shown(clauses: Sequence[Clause], thresholds: Mapping[str, float]) -> list[Clause]:
    """The clauses a review shows: per category present, its best and its confident ones.

    Thresholds of categories almost every contract has sit near zero, and a reviewer should
    not wade through 1% candidates: past the best one, a clause is shown from ``SHOW_AT``.
    """
    best: dict[str, float] = {}
    for c in clauses:
        best[c.category] = max(best.get(c.category, 0.0), c.confidence)
    return [
        c
        for c in clauses
        if best[c.category] >= thresholds[c.category]
        and (
            c.confidence == best[c.category] or c.confidence >= max(thresholds[c.category], SHOW_AT)
        )
    ]


MERGE_MAX_WORDS = 400  # a run of adjacent candidates merged into one clause stays this short


def clause_runs(
    column: npt.NDArray[np.floating],
    threshold: float,
    floor: float,
    words: Sequence[int],
    max_words: int = MERGE_MAX_WORDS,
) -> list[tuple[int, int, float]]:
    """One category's clauses over a document's candidates, in order: (first, last, confidence).

    Adjacent candidates that both reach the category's ``threshold`` are one clause, up to
    ``max_words`` words: the segmenter cuts a long clause into pieces of up to ~120 words,
    and a lawyer (like CUAD's annotators) reads it whole. A merged clause's confidence is
    its best piece's. Any other candidate reaching ``floor`` is a clause of its own.
    """
    runs: list[tuple[int, int, float]] = []
    i, n = 0, len(column)
    while i < n:
        if column[i] < floor:
            i += 1
            continue
        j, size = i, words[i]
        if column[i] >= threshold:
            while j + 1 < n and column[j + 1] >= threshold and size + words[j + 1] <= max_words:
                j += 1
                size += words[j]
        runs.append((i, j, float(column[i : j + 1].max())))
        i = j + 1
    return runs


def classify(
    doc_text: DocumentText,
    segments: Sequence[Segment],
    model: ClauseModel | ClauseScorer,
    *,
    floor: float | None = None,
    review_below: float = 60.0,
) -> list[Clause]:
    """Label the candidates with every category they belong to, in document order.

    Candidates reaching a category's document threshold are its clauses, adjacent ones merged
    (:func:`clause_runs`); with ``floor`` (evaluation ranks every candidate) the others
    reaching it are clauses too. See :func:`shown` for the ones a review shows. A clause
    containing an OCR word under ``review_below`` confidence needs human review.
    """
    texts = [doc_text.text[s.char_start : s.char_end] for s in segments]
    words = [len(t.split()) for t in texts]
    probs = model.clause_probabilities(texts, [s.heading for s in segments])
    found: list[tuple[int, int, float, int]] = []  # first, last, confidence, category
    for j, threshold in enumerate(model.thresholds.tolist()):
        low = threshold if floor is None else min(floor, threshold)
        found += [(a, b, p, j) for a, b, p in clause_runs(probs[:, j], threshold, low, words)]
    clauses: list[Clause] = []
    for a, b, confidence, j in sorted(found, key=lambda f: (f[0], -f[2], f[1])):
        start, end = segments[a].char_start, segments[b].char_end
        page, boxes = doc_text.locate(start, end)
        min_conf = doc_text.min_conf(start, end)
        clauses.append(
            Clause(
                id=f"k{len(clauses) + 1}",
                category=model.categories[j],
                confidence=round(confidence, 4),
                text=doc_text.text[start:end],
                char_start=start,
                char_end=end,
                page=page,
                boxes=tuple(boxes),
                section=segments[a].section,
                needs_review=min_conf is not None and min_conf < review_below,
            )
        )
    return clauses
