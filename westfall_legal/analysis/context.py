"""A second look at each category's scores with the rest of the document in view.

The clause classifier scores every candidate on its own words (and its neighbours'). For
some categories where a clause sits and how it ranks within its contract say as much: the
document name is the opening line, the parties and the agreement date come in the first
paragraphs, and a candidate far below the contract's best one for a category is rarely a
second instance. For those categories a small logistic model re-scores each candidate from
its own score and its place: its logit, the gap to the document's best logit, that best
logit, its rank, its neighbours' logits, its relative and absolute position, and the
document's length. Training (``westfall_legal.training.context_fit``) fits it on
out-of-fold classifier scores and keeps it only for the categories where it raised the
out-of-fold span AUPR over the training contracts; the others keep the classifier's score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FEATURES = 9
EDGE_LOGIT = -12.0  # the "neighbour" of the first and last candidates
MAX_POSITION = 8  # candidates past the eighth count as the eighth


def logits(probs: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    p = np.clip(np.asarray(probs, np.float64), 1e-6, 1.0 - 1e-6)
    out: npt.NDArray[np.float64] = np.log(p / (1.0 - p))
    return out


def context_features(column: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    """(candidates, FEATURES) from one category's classifier logits over one document."""
    col = np.asarray(column, np.float64)
    n = len(col)
    if n == 0:
        return np.zeros((0, FEATURES))
    best = float(col.max())
    rank = np.empty(n)
    rank[np.argsort(-col, kind="stable")] = np.arange(n)
    before = np.r_[EDGE_LOGIT, col[:-1]]
    after = np.r_[col[1:], EDGE_LOGIT]
    index = np.arange(n)
    return np.column_stack(
        [
            col,
            col - best,
            np.full(n, best),
            np.log1p(rank),
            before,
            after,
            index / n,
            np.minimum(index, MAX_POSITION) / MAX_POSITION,
            np.full(n, np.log(n)),
        ]
    )


@dataclass
class ContextModel:
    weights: npt.NDArray[np.float32]  # (categories, FEATURES)
    bias: npt.NDArray[np.float32]  # (categories,)
    active: npt.NDArray[np.bool_]  # (categories,): where the re-scoring is used

    def rescore(self, probs: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """The classifier's (candidates, categories) probabilities of one document, with the
        active categories re-scored in context."""
        if len(probs) == 0 or not self.active.any():
            return probs
        out = probs.copy()
        for j in np.nonzero(self.active)[0]:
            z = context_features(logits(probs[:, j])) @ self.weights[j] + self.bias[j]
            out[:, j] = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
        return out
