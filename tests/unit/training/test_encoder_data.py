"""The encoder's training examples and the stacked combination, on synthetic records (no
torch, no llama.cpp): sampling keeps every positive and takes hard negatives first, the
stack is fitted per category and keeps the n-gram score where a category has no examples,
and a failing encoder falls back to the n-gram model's own scores and thresholds."""

from __future__ import annotations

import numpy as np
import pytest

from westfall_legal.analysis.clause_model import ClauseModel
from westfall_legal.analysis.stacked import Stack, StackedClauseModel, logit
from westfall_legal.categories import CATEGORIES
from westfall_legal.errors import ModelError
from westfall_legal.llm.encoder import candidate_input
from westfall_legal.training.dataset import ContractRecord
from westfall_legal.training.encoder import data
from westfall_legal.training.encoder.stack import (
    BLEND_WEIGHTS,
    asked,
    choose_blend,
    fit_blend,
    fit_stack,
)

LAW = CATEGORIES.index("Governing Law")


def _record(name: str, n: int, positives: dict[int, str]) -> ContractRecord:
    text = " ".join(f"clause{i} words here." for i in range(n))
    spans, pos = [], 0
    for i in range(n):
        piece = f"clause{i} words here."
        spans.append((pos, pos + len(piece), f"{i}."))
        pos += len(piece) + 1
    labels = [{positives[i]} if i in positives else set() for i in range(n)]
    gold = {c: [spans[i][:2]] for i, c in positives.items()}
    return ContractRecord(name, "Service", text, 1, spans, labels, gold)


def test_candidate_input_is_heading_then_text_cut_to_words() -> None:
    assert candidate_input("12. Law", "This  Agreement\nis governed") == (
        "12. Law This Agreement is governed"
    )
    assert candidate_input("", "a b c d", max_words=2) == "a b"


def test_sampling_keeps_every_positive_and_takes_hard_negatives() -> None:
    records = [_record(f"c{k}", 50, {3: "Governing Law", 7: "Parties"}) for k in range(4)]
    ex = data.examples(records)
    assert len(ex) == 200 and ex.labels.any(axis=1).sum() == 8
    scores = np.zeros((200, len(CATEGORIES)), np.float32)
    hard = [10, 11, 12, 13]
    scores[hard, LAW] = 0.5
    order = data.sample(ex, scores, neg_ratio=2.0, seed=1)
    chosen = set(order.tolist())
    assert set(np.flatnonzero(ex.labels.any(axis=1)).tolist()) <= chosen
    assert len(order) == 8 + 16 and set(hard) <= chosen
    assert data.sample(ex, scores, neg_ratio=2.0, seed=1).tolist() == order.tolist()


def test_positive_weights_grow_with_rarity_and_are_capped() -> None:
    labels = np.zeros((1000, 3), bool)
    labels[:100, 0] = True
    labels[:1, 1] = True
    weights = data.pos_weight(labels, cap=30.0)
    assert weights[0] == pytest.approx(3.0) and weights[1] == pytest.approx(30.0)
    assert weights[2] == 1.0


def test_held_out_is_a_fixed_quarter() -> None:
    names = [f"contract-{i}" for i in range(2000)]
    share = sum(data.held_out(n) for n in names) / len(names)
    assert 0.2 < share < 0.3 and data.held_out(names[0]) == data.held_out(names[0])


def test_the_stack_learns_from_the_better_score_and_keeps_thin_categories() -> None:
    rng = np.random.default_rng(0)
    records, ngram, encoder = [], [], []
    for k in range(30):
        record = _record(f"s{k}", 20, {k % 20: "Governing Law"})
        truth = np.zeros((20, len(CATEGORIES)), np.float32)
        truth[k % 20, LAW] = 1.0
        noise = rng.uniform(0.05, 0.6, size=truth.shape).astype(np.float32)
        records.append(record)
        ngram.append(np.where(truth > 0, 0.4, noise).astype(np.float32))  # blurred
        encoder.append(np.where(truth > 0, 0.95, 0.05).astype(np.float32))  # sharp
    stack, stacked = fit_stack(records, ngram, encoder, floor=0.0)
    assert stack.weights[LAW, 1] > stack.weights[LAW, 0]  # the encoder carries the category
    other = CATEGORIES.index("Parties")
    assert tuple(stack.weights[other]) == (1.0, 0.0, 0.0)  # no examples: the n-gram score
    assert np.allclose(stacked[0][:, other], ngram[0][:, other], atol=1e-4)
    assert 0.0 < stack.thresholds[LAW] < 1.0


def test_the_blend_share_is_chosen_across_halves_and_beats_either_model() -> None:
    """Two models that err on different candidates: the blend ranks better than either, and
    its share is chosen on one half of the contracts and scored on the other."""
    rng = np.random.default_rng(1)
    records, ngram, encoder = [], [], []
    for k in range(40):
        records.append(_record(f"b{k}", 20, {k % 20: "Governing Law"}))
        truth = np.zeros((20, len(CATEGORIES)), np.float32)
        truth[k % 20, LAW] = 1.0
        ngram.append(np.clip(0.3 * truth + rng.uniform(0.02, 0.5, truth.shape), 0, 0.99)
                     .astype(np.float32))  # fmt: skip
        encoder.append(np.clip(0.3 * truth + rng.uniform(0.02, 0.5, truth.shape), 0, 0.99)
                       .astype(np.float32))  # fmt: skip
    weight, figures = choose_blend(records, ngram, encoder, floor=0.0)
    assert weight in BLEND_WEIGHTS and 0.3 <= weight <= 0.6
    assert figures["blend_ap_2fold"] > max(figures["ngram_ap"], figures["encoder_ap"])
    stack = fit_blend(records, ngram, encoder, weight, floor=0.0)
    assert np.allclose(stack.weights[:, :2], [1 - weight, weight])
    assert 0.0 < stack.thresholds[LAW] < 1.0


def test_candidates_below_the_floor_keep_their_ngram_score() -> None:
    ngram = np.asarray([[0.01, 0.0], [0.3, 0.1]], np.float32)
    encoder = np.asarray([[0.9, 0.9], [0.8, 0.7]], np.float32)
    assert asked(ngram, encoder, 0.05) == pytest.approx(np.asarray([[0.01, 0.0], [0.8, 0.7]]))
    assert logit(np.asarray([0.5], np.float32))[0] == pytest.approx(0.0)


class _Ngram:
    """The parts of a ClauseModel the stacked model uses."""

    def __init__(self, probs: np.ndarray) -> None:
        self.probs = probs
        self.categories = ["A", "B"]
        self.thresholds = np.asarray([0.3, 0.3], np.float32)
        self.type_labels = ["Service"]
        self.version = "clauses-v1"
        self.sha256 = "ab" * 32

    def clause_probabilities(self, texts: object, headings: object) -> np.ndarray:
        return self.probs


def _stacked(ngram: _Ngram, fn: object) -> StackedClauseModel:
    stack = Stack(np.asarray([[0.0, 1.0, 0.0]] * 2, np.float32),
                  np.asarray([0.9, 0.9], np.float32), floor=0.2)  # fmt: skip
    model: ClauseModel = ngram  # type: ignore[assignment]
    return StackedClauseModel(model, fn, stack, "encoder-x")  # type: ignore[arg-type]


def test_the_encoder_is_asked_only_above_the_floor_and_failures_fall_back() -> None:
    ngram = _Ngram(np.asarray([[0.1, 0.05], [0.5, 0.1], [0.25, 0.3]], np.float32))
    seen: list[list[str]] = []

    def encoder(texts: list[str], headings: list[str]) -> np.ndarray:
        seen.append(list(texts))
        return np.full((len(texts), 2), 0.99, np.float32)

    model = _stacked(ngram, encoder)
    probs = model.clause_probabilities(["a", "b", "c"], ["", "", ""])
    assert seen == [["b", "c"]] and model.asked == 2
    assert probs[0].tolist() == pytest.approx([0.1, 0.05], abs=1e-4)  # encoder = n-gram
    assert probs[1, 0] == pytest.approx(0.99, abs=1e-4)
    assert model.thresholds.tolist() == pytest.approx([0.9, 0.9]) and model.failure is None

    def failing(texts: list[str], headings: list[str]) -> np.ndarray:
        raise ModelError("llama.cpp could not embed the candidates (test).")

    broken = _stacked(ngram, failing)
    out = broken.clause_probabilities(["a", "b", "c"], ["", "", ""])
    assert out.tolist() == ngram.probs.tolist()
    assert broken.thresholds.tolist() == pytest.approx([0.3, 0.3])
    assert broken.failure is not None and "n-gram model alone" in broken.failure
