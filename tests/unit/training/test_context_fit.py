"""Fitting the context re-scoring on synthetic out-of-fold scores."""

from __future__ import annotations

import numpy as np

from westfall_legal.categories import CATEGORIES
from westfall_legal.training.context_fit import fit_context, span_aupr
from westfall_legal.training.dataset import ContractRecord

TITLE = CATEGORIES.index("Document Name")
LAW = CATEGORIES.index("Governing Law")


def _record(i: int, rng: np.random.Generator) -> tuple[ContractRecord, np.ndarray]:
    """Six candidates; the first is the title and one later one the governing law. The
    classifier's title scores are noise; its governing-law scores are right already."""
    words = [f"doc{i} part{k} " + " ".join(f"w{k}x{j}" for j in range(8)) for k in range(6)]
    text, segments = "", []
    for w in words:
        segments.append((len(text), len(text) + len(w), ""))
        text += w + "\n\n"
    law = int(rng.integers(1, 6))
    labels: list[set[str]] = [set() for _ in segments]
    labels[0].add("Document Name")
    labels[law].add("Governing Law")
    gold = {
        "Document Name": [segments[0][:2]],
        "Governing Law": [segments[law][:2]],
    }
    record = ContractRecord(f"c{i}", "License", text, 1, segments, labels, gold)
    probs = np.zeros((6, len(CATEGORIES)), np.float32)
    probs[:, TITLE] = rng.uniform(0.2, 0.6, 6)
    probs[:, LAW] = 0.05
    probs[law, LAW] = 0.9
    return record, probs


def test_the_rescoring_is_kept_only_where_it_raises_out_of_fold_aupr() -> None:
    rng = np.random.default_rng(0)
    records, oof = zip(*(_record(i, rng) for i in range(40)), strict=True)
    messages: list[str] = []
    model, rescored = fit_context(list(records), list(oof), progress=messages.append)
    # The title's place is learnt; governing law was perfect already, so it stays as it was.
    assert model.active.tolist() == [j == TITLE for j in range(len(CATEGORIES))]
    assert "kept for 1 categories: Document Name" in messages[-1]
    before = span_aupr(records, oof, [TITLE, LAW])
    after = span_aupr(records, rescored, [TITLE, LAW])
    assert (before[TITLE] or 0) < 0.6 and (after[TITLE] or 0) > 0.95
    assert after[LAW] == before[LAW] == 1.0
    for r, p in zip(rescored, oof, strict=True):
        assert np.array_equal(np.delete(r, TITLE, axis=1), np.delete(p, TITLE, axis=1))
    # The fitted model, applied as the app applies it, ranks each contract's title first.
    for p in oof[:5]:
        assert int(np.argmax(model.rescore(p)[:, TITLE])) == 0
