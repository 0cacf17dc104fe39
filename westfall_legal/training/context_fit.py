"""Fit the context re-scoring (:mod:`westfall_legal.analysis.context`) on out-of-fold scores.

Input: the classifier's out-of-fold probabilities for every training contract (each from a
classifier that never saw it). Per category, a logistic model over the context features is
itself scored out of fold (k-fold over the contracts); it is kept where its out-of-fold
span AUPR over the training contracts beats the classifier's by ``MIN_GAIN``. The
validation split is never looked at. scikit-learn is a training dependency only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from westfall_legal.analysis.context import FEATURES, ContextModel, context_features, logits
from westfall_legal.categories import CATEGORIES
from westfall_legal.training.dataset import ContractRecord
from westfall_legal.training.metrics import CategoryAccumulator, accumulate

MIN_GAIN = 0.005  # out-of-fold span AUPR the re-scoring must add to be kept
MIN_POSITIVES = 5  # candidates of a category needed to fit its re-scoring at all

Probabilities = npt.NDArray[np.float32]


def _logistic() -> Any:
    from westfall_legal.training.deps import sklearn_modules

    linear, _ = sklearn_modules()
    return linear.LogisticRegression(C=1.0, max_iter=500)


def span_aupr(
    records: Sequence[ContractRecord], probs: Sequence[Probabilities], columns: Sequence[int]
) -> dict[int, float | None]:
    """Span AUPR of the given category columns over ``records`` (evaluation's rule)."""
    accs = {j: CategoryAccumulator(CATEGORIES[j]) for j in columns}
    for record, p in zip(records, probs, strict=True):
        accumulate(accs, record, p)
    return {j: acc.aupr() for j, acc in accs.items()}


def fit_context(
    records: Sequence[ContractRecord],
    oof: Sequence[Probabilities],
    *,
    folds: int = 5,
    seed: int = 0,
    progress: Callable[[str], None] = lambda _msg: None,
) -> tuple[ContextModel, list[Probabilities]]:
    """The re-scoring, and the out-of-fold probabilities with it applied where it is kept
    (for choosing the document thresholds on the scores the app will produce)."""
    n_cat = len(CATEGORIES)
    sizes = [len(p) for p in oof]
    starts = np.cumsum([0, *sizes])
    doc_of = np.repeat(np.arange(len(records)), sizes)
    order = np.random.default_rng(seed + 1).permutation(len(records))
    fold_of = np.empty(len(records), int)
    for k in range(folds):
        fold_of[order[k::folds]] = k
    row_fold = fold_of[doc_of]
    second = [p.copy() for p in oof]
    weights = np.zeros((n_cat, FEATURES), np.float32)
    bias = np.zeros(n_cat, np.float32)
    fitted: list[int] = []
    for j, category in enumerate(CATEGORIES):
        y = np.concatenate([[category in labels for labels in r.labels] for r in records])
        if y.sum() < MIN_POSITIVES:
            continue
        classifier = np.concatenate([p[:, j] for p in oof])
        x = np.vstack([context_features(logits(p[:, j])) for p in oof])
        column = np.zeros(len(y))
        for k in range(folds):
            held = row_fold == k
            if y[~held].sum() == 0:
                column[held] = classifier[held]
                continue
            column[held] = _logistic().fit(x[~held], y[~held]).predict_proba(x[held])[:, 1]
        for i in range(len(records)):
            second[i][:, j] = column[starts[i] : starts[i + 1]]
        final = _logistic().fit(x, y)
        weights[j] = final.coef_[0]
        bias[j] = final.intercept_[0]
        fitted.append(j)
    before = span_aupr(records, oof, fitted)
    after = span_aupr(records, second, fitted)
    active = np.zeros(n_cat, bool)
    for j in fitted:
        active[j] = (after[j] or 0.0) > (before[j] or 0.0) + MIN_GAIN
    kept = [CATEGORIES[j] for j in np.nonzero(active)[0]]
    progress(f"context re-scoring kept for {len(kept)} categories: {', '.join(kept)}")
    chosen = [p.copy() for p in oof]
    for c, s in zip(chosen, second, strict=True):
        c[:, active] = s[:, active]
    return ContextModel(weights, bias, active), chosen
