"""Fitting the stacked combination (``analysis.stacked``) on contracts neither model saw.

The n-gram scores come from a model fitted without those contracts, the encoder's from an
encoder fine-tuned without them (the held-out slice, ``data.held_out``); per category a
logistic regression over the two logits, then document thresholds on the stacked scores by
the same rule as the n-gram model's (F1-optimal, recall-first for the ten key categories).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from westfall_legal.analysis.stacked import Stack, logit
from westfall_legal.categories import CATEGORIES
from westfall_legal.training.dataset import ContractRecord
from westfall_legal.training.deps import average_precision, sklearn_modules
from westfall_legal.training.train_clauses import Params, document_thresholds, label_matrix

Scores = npt.NDArray[np.float32]
DEFAULT_FLOOR = 0.02


def asked(ngram: Scores, encoder: Scores, floor: float) -> Scores:
    """The encoder's scores where it is asked (some n-gram score >= floor), else the
    n-gram model's: what the run time feeds the combination."""
    keep = ngram.max(axis=1, keepdims=True) >= floor if len(ngram) else np.zeros((0, 1), bool)
    out: Scores = np.where(keep, encoder, ngram).astype(np.float32)
    return out


def fit_stack(
    records: Sequence[ContractRecord],
    ngram: Sequence[Scores],
    encoder: Sequence[Scores],
    *,
    floor: float = DEFAULT_FLOOR,
    params: Params | None = None,
) -> tuple[Stack, list[Scores]]:
    """The stack fitted on ``records`` (their candidates' scores from both models), and the
    stacked scores it gives them."""
    params = params or Params()
    linear, _ = sklearn_modules()
    enc = [asked(n, e, floor) for n, e in zip(ngram, encoder, strict=True)]
    x_n = logit(np.concatenate(ngram))
    x_e = logit(np.concatenate(enc))
    y = label_matrix(records)
    weights = np.zeros((len(CATEGORIES), 3), np.float32)
    for j in range(len(CATEGORIES)):
        if y[:, j].sum() < 2 or y[:, j].all():
            weights[j] = (1.0, 0.0, 0.0)  # too few examples: keep the n-gram score
            continue
        model = linear.LogisticRegression(C=1.0, max_iter=500)
        model.fit(np.stack([x_n[:, j], x_e[:, j]], axis=1), y[:, j])
        weights[j] = (*model.coef_[0], model.intercept_[0])
    stack = Stack(weights, np.zeros(len(CATEGORIES), np.float32), floor)
    stacked = [stack.combine(n, e) for n, e in zip(ngram, enc, strict=True)]
    thresholds = document_thresholds(records, stacked, params)
    return Stack(weights, thresholds, floor), stacked


BLEND_WEIGHTS = (0.2, 0.3, 0.4, 0.5, 0.6)  # the encoder's share of the blended logit
MIN_POSITIVES = 3  # a category enters the macro AP with at least this many positives


def macro_ap(records: Sequence[ContractRecord], scores: Sequence[Scores]) -> float:
    """Candidate-level average precision, macro over the categories with at least
    ``MIN_POSITIVES`` positive candidates in ``records``."""
    y = label_matrix(records)
    s = np.concatenate(scores)
    aps = [
        average_precision(y[:, j], s[:, j])
        for j in range(len(CATEGORIES))
        if y[:, j].sum() >= MIN_POSITIVES
    ]
    return float(np.mean(aps)) if aps else 0.0


def _blend_weights(weight: float) -> Scores:
    """Every category: (1 - weight) · n-gram logit + weight · encoder logit, no bias."""
    out: Scores = np.tile(
        np.asarray([[1.0 - weight, weight, 0.0]], np.float32), (len(CATEGORIES), 1)
    )
    return out


def _blended(ngram: Scores, encoder: Scores, weight: float, floor: float) -> Scores:
    stack = Stack(_blend_weights(weight), np.zeros(len(CATEGORIES), np.float32), floor)
    return stack.combine(ngram, asked(ngram, encoder, floor))


def best_share(
    records: Sequence[ContractRecord],
    ngram: Sequence[Scores],
    encoder: Sequence[Scores],
    rows: Sequence[int],
    *,
    floor: float = DEFAULT_FLOOR,
) -> float:
    """The share of ``BLEND_WEIGHTS`` whose blend has the best macro AP over ``rows``."""

    def ap(w: float) -> float:
        return macro_ap([records[i] for i in rows],
                        [_blended(ngram[i], encoder[i], w, floor) for i in rows])  # fmt: skip

    return max(BLEND_WEIGHTS, key=ap)


def choose_blend(
    records: Sequence[ContractRecord],
    ngram: Sequence[Scores],
    encoder: Sequence[Scores],
    *,
    floor: float = DEFAULT_FLOOR,
) -> tuple[float, dict[str, float]]:
    """The encoder's share of the blend, chosen on all of ``records``, and the figures behind
    it: each model's macro AP on them, and the blend's 2-fold estimate (the share chosen on
    one half of the contracts, scored on the other, and the other way round)."""
    halves = [list(range(0, len(records), 2)), list(range(1, len(records), 2))]

    def best(rows: list[int]) -> float:
        return best_share(records, ngram, encoder, rows, floor=floor)

    crossed: list[Scores | None] = [None] * len(records)
    for fit, score in ((0, 1), (1, 0)):
        weight = best(halves[fit])
        for i in halves[score]:
            crossed[i] = _blended(ngram[i], encoder[i], weight, floor)
    chosen = best(list(range(len(records))))
    figures = {
        "ngram_ap": macro_ap(records, ngram),
        "encoder_ap": macro_ap(records, [asked(n, e, floor) for n, e in zip(ngram, encoder,
                                                                         strict=True)]),
        "blend_ap_2fold": macro_ap(records, [c for c in crossed if c is not None]),
        "weight": chosen,
    }  # fmt: skip
    return chosen, figures


def fit_blend(
    records: Sequence[ContractRecord],
    ngram: Sequence[Scores],
    encoder: Sequence[Scores],
    weight: float,
    *,
    floor: float = DEFAULT_FLOOR,
    params: Params | None = None,
    prior: Scores | None = None,
) -> Stack:
    """One fixed share for every category, (1 - weight) · n-gram logit + weight · encoder
    logit, with document thresholds fitted on the blended scores of ``records``; or, given
    the n-gram model's thresholds as ``prior``, those moved by one logit shift shared by
    every category and chosen on ``records`` (one parameter instead of 41: it decided
    better on the held-out quarter, docs/experiments.md), then lowered for the ten key
    categories until their recall on ``records`` reaches ``params.top_recall``, as the
    n-gram model's own are. The blend beat the per-category
    logistic stack, which overfits the thin categories (docs/models.md)."""
    from westfall_legal.training.encoder.decide import (
        best_offset,
        document_scores,
        recall_first,
        shifted,
    )

    params = params or Params()
    blended = [_blended(n, e, weight, floor) for n, e in zip(ngram, encoder, strict=True)]
    if prior is not None:
        doc = document_scores(blended)
        moved = shifted(prior, best_offset(records, doc, prior))
        thresholds = recall_first(records, doc, moved, params.top_recall)
        return Stack(_blend_weights(weight), thresholds, floor)
    return Stack(_blend_weights(weight), document_thresholds(records, blended, params), floor)
