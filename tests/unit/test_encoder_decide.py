"""Document decisions from the n-gram and encoder scores (training.encoder.decide)."""

from __future__ import annotations

import numpy as np
import pytest

from westfall_legal.categories import CATEGORIES
from westfall_legal.training.dataset import ContractRecord

pytest.importorskip("sklearn", reason="the train extra is not installed")

from westfall_legal.training.encoder.decide import (
    VARIANTS,
    best_offset,
    decisions_2fold,
    macro_prf,
    recall_first,
    shifted,
    shrink,
)

LAW = CATEGORIES.index("Governing Law")


def record(i: int, has_law: bool) -> ContractRecord:
    gold = {"Governing Law": [(0, 5)]} if has_law else {}
    labels = [{"Governing Law"} if has_law else set(), set()]
    return ContractRecord(f"c{i}", "Service", "aaaaa bbbbb", 1, [(0, 5, ""), (6, 11, "")],
                          labels, gold)  # fmt: skip


def test_macro_prf_counts_documents() -> None:
    records = [record(0, True), record(1, True), record(2, False)]
    doc = np.zeros((3, len(CATEGORIES)), np.float32)
    doc[:, LAW] = [0.9, 0.2, 0.8]
    got = macro_prf(records, doc, np.full((3, len(CATEGORIES)), 0.5, np.float32))
    assert got == pytest.approx(
        {"doc_precision": 0.5, "doc_recall": 0.5, "doc_f1": 0.5, "top_min_recall": 0.5}
    )


def test_an_encoder_that_agrees_changes_no_decision() -> None:
    rng = np.random.default_rng(0)
    records = [record(i, i % 3 != 0) for i in range(12)]
    ngram = []
    for r in records:
        p = rng.random((2, len(CATEGORIES))).astype(np.float32) * 0.3
        p[0, LAW] += 0.5 if r.gold else 0.1
        ngram.append(p)
    thresholds = np.full(len(CATEGORIES), 0.45, np.float32)
    figures = decisions_2fold(records, ngram, ngram, thresholds, floor=0.0)
    assert set(VARIANTS) <= set(figures)
    assert figures["blend_ngram_t"] == pytest.approx(figures["ngram"])
    assert figures["blend_half"] == pytest.approx(figures["ngram_half"])
    assert figures["ngram"]["doc_f1"] > 0.5


def test_shrink_meets_halfway_in_logit() -> None:
    got = shrink(np.asarray([0.9], np.float32), np.asarray([0.1], np.float32))
    assert got[0] == pytest.approx(0.5, abs=1e-6)


def test_one_shared_shift_moves_every_threshold() -> None:
    records = [record(i, i < 3) for i in range(6)]
    doc = np.zeros((6, len(CATEGORIES)), np.float32)
    doc[:, LAW] = [0.7, 0.75, 0.8, 0.6, 0.55, 0.52]  # three found, three not, above 0.5
    prior = np.full(len(CATEGORIES), 0.5, np.float32)
    # logit 0.5 = 0: shifts of 0.5 and 0.75 fall between 0.6 and 0.7; ties take the smaller
    assert best_offset(records, doc, prior) == 0.5
    assert shifted(prior, 0.5)[LAW] == pytest.approx(1 / (1 + np.exp(-0.5)))
    # a key category keeps its recall: Governing Law's threshold comes down to 0.7
    lowered = recall_first(records, doc, np.full(len(CATEGORIES), 0.9, np.float32), 0.95)
    assert lowered[LAW] == pytest.approx(0.7) and lowered[LAW + 1] == pytest.approx(0.9)
