"""Candidate clauses -> labelled clauses with confidence and exact provenance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from westfall_legal.analysis.clause_model import ClauseModel
from westfall_legal.models import Clause, DocumentText, Segment

SHOW_AT = 0.5


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


def classify(
    doc_text: DocumentText,
    segments: Sequence[Segment],
    model: ClauseModel,
    *,
    floor: float | None = None,
    review_below: float = 60.0,
) -> list[Clause]:
    """Label each candidate with every category it belongs to.

    A candidate becomes a clause of a category when its probability reaches the category's
    document threshold (or ``floor``, when given: evaluation ranks every candidate); see
    :func:`shown` for the ones a review shows. A clause containing an OCR word under
    ``review_below`` confidence needs human review.
    """
    texts = [doc_text.text[s.char_start : s.char_end] for s in segments]
    probs = model.clause_probabilities(texts, [s.heading for s in segments])
    limits = model.thresholds if floor is None else np.full(len(model.categories), floor)
    keep = probs >= limits
    clauses: list[Clause] = []
    for i, seg in enumerate(segments):
        hits = np.nonzero(keep[i])[0]
        if not len(hits):
            continue
        page, boxes = doc_text.locate(seg.char_start, seg.char_end)
        min_conf = doc_text.min_conf(seg.char_start, seg.char_end)
        for j in sorted(hits, key=lambda j: -probs[i, j]):
            clauses.append(
                Clause(
                    id=f"k{len(clauses) + 1}",
                    category=model.categories[j],
                    confidence=round(float(probs[i, j]), 4),
                    text=texts[i],
                    char_start=seg.char_start,
                    char_end=seg.char_end,
                    page=page,
                    boxes=tuple(boxes),
                    section=seg.section,
                    needs_review=min_conf is not None and min_conf < review_below,
                )
            )
    return clauses
