"""The context re-scoring: its features, where it applies, and its storage."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from test_clause_model import _tiny_model

from westfall_legal.analysis.clause_model import ClauseModel
from westfall_legal.analysis.context import (
    EDGE_LOGIT,
    FEATURES,
    ContextModel,
    context_features,
    logits,
)


def test_features_describe_rank_gap_neighbours_and_place() -> None:
    col = np.array([0.0, 2.0, -1.0])
    x = context_features(col)
    assert x.shape == (3, FEATURES)
    assert x[:, 0].tolist() == [0.0, 2.0, -1.0]  # own logit
    assert x[:, 1].tolist() == [-2.0, 0.0, -3.0]  # gap to the document's best
    assert x[:, 2].tolist() == [2.0, 2.0, 2.0]  # the document's best
    assert x[:, 3].tolist() == [np.log1p(1), 0.0, np.log1p(2)]  # rank, best first
    assert x[:, 4].tolist() == [EDGE_LOGIT, 0.0, 2.0]  # the candidate before
    assert x[:, 5].tolist() == [2.0, -1.0, EDGE_LOGIT]  # the candidate after
    assert np.allclose(x[:, 6], [0.0, 1 / 3, 2 / 3])
    assert context_features(np.zeros(0)).shape == (0, FEATURES)


def _first_wins() -> ContextModel:
    """Re-scores category 0 only: the earlier the candidate, the likelier."""
    weights = np.zeros((2, FEATURES), np.float32)
    weights[0, 6] = -20.0  # relative position
    return ContextModel(weights, np.array([5.0, 0.0], np.float32), np.array([True, False]))


def test_rescoring_changes_only_the_active_categories() -> None:
    probs = np.full((4, 2), 0.3, np.float32)
    out = _first_wins().rescore(probs)
    assert out[0, 0] > 0.99 and out[3, 0] < 0.01
    assert np.array_equal(out[:, 1], probs[:, 1])
    assert np.array_equal(probs, np.full((4, 2), 0.3, np.float32))  # input left alone
    empty = np.zeros((0, 2), np.float32)
    assert _first_wins().rescore(empty).shape == (0, 2)


def test_logits_invert_the_sigmoid_and_stay_finite() -> None:
    p = np.array([0.0, 0.25, 0.5, 1.0])
    z = logits(p)
    assert np.isfinite(z).all()
    assert np.allclose(1 / (1 + np.exp(-z[1:3])), p[1:3])


def test_the_model_applies_its_context_and_stores_it(tmp_path: Path) -> None:
    model = _tiny_model()
    texts = ["governed by Delaware law", "governed by New York law", "may not assign"]
    plain = model.clause_probabilities(texts, [""] * 3)
    model.context = _first_wins()
    rescored = model.clause_probabilities(texts, [""] * 3)
    assert plain[0, 0] < plain[1, 0] and rescored[0, 0] > rescored[1, 0]  # first wins now
    assert np.array_equal(rescored[:, 1], plain[:, 1])
    model.save(tmp_path / "m")
    loaded = ClauseModel.load(tmp_path / "m")
    assert loaded.context is not None
    assert loaded.context.active.tolist() == [True, False]
    assert np.allclose(loaded.clause_probabilities(texts, [""] * 3), rescored)


def test_a_model_stored_without_context_loads_without_it(tmp_path: Path) -> None:
    _tiny_model().save(tmp_path / "m")
    assert ClauseModel.load(tmp_path / "m").context is None
