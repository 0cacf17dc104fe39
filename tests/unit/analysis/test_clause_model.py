"""The clause model's storage and scoring, on a tiny model built in the test."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from westfall_legal.analysis.clause_model import MODEL_FILE, ClauseModel, type_counts
from westfall_legal.analysis.features import Vectoriser, build_vocabulary, term_counts
from westfall_legal.errors import ModelError


def _tiny_model() -> ClauseModel:
    docs = [term_counts("governed by the laws of Delaware"), term_counts("may not assign")]
    vocab, idf = build_vocabulary(docs, min_df=1, max_features=1000)
    vec = Vectoriser(vocab, idf)
    w = np.zeros((vec.size, 2), np.float32)
    w[vocab["w:governed"], 0] = 60.0
    w[vocab["w:assign"], 1] = 60.0
    tvocab, tidf = build_vocabulary([type_counts("supply agreement")], 1, 1000)
    tvec = Vectoriser(tvocab, tidf)
    tw = np.zeros((tvec.size, 2), np.float32)
    tw[tvocab["w:supply"], 1] = 60.0
    return ClauseModel(
        categories=["Governing Law", "Anti-Assignment"],
        clause_vec=vec,
        clause_w=w,
        clause_b=np.full(2, -2.0, np.float32),
        thresholds=np.full(2, 0.5, np.float32),
        type_labels=["License", "Supply"],
        type_vec=tvec,
        type_w=tw,
        type_b=np.zeros(2, np.float32),
    )


def test_vectoriser_rows_are_l2_normalised_tfidf() -> None:
    counts = Counter({"a": 3, "b": 1, "zzz": 5})
    vec = Vectoriser({"a": 0, "b": 1}, np.asarray([1.0, 2.0], np.float32))
    idx, val = vec.row(counts)
    assert idx.tolist() == [0, 1]
    assert np.isclose(np.linalg.norm(val), 1.0)
    raw = np.asarray([1 + np.log(3), 2.0])
    assert np.allclose(val, raw / np.linalg.norm(raw))


def test_scores_follow_the_weights() -> None:
    model = _tiny_model()
    probs = model.clause_probabilities(
        ["This Agreement is governed by Delaware law.", "Neither party may assign it."], ["", ""]
    )
    assert probs[0, 0] > 0.5 > probs[0, 1]
    assert probs[1, 1] > 0.5 > probs[1, 0]
    assert model.contract_type("SUPPLY AGREEMENT between").label == "Supply"


def test_save_load_round_trip(tmp_path: Path) -> None:
    model = _tiny_model()
    model.save(tmp_path)
    loaded = ClauseModel.load(tmp_path)
    texts = ["governed by the laws", "assign"]
    assert np.allclose(
        loaded.clause_probabilities(texts, ["", ""]),
        model.clause_probabilities(texts, ["", ""]),
        atol=1e-3,
    )
    assert loaded.sha256 == json.loads((tmp_path / "manifest.json").read_text())["sha256"]


def test_altered_or_missing_model_is_refused(tmp_path: Path) -> None:
    _tiny_model().save(tmp_path)
    data = bytearray((tmp_path / MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelError, match="does not match"):
        ClauseModel.load(tmp_path)
    with pytest.raises(ModelError, match="missing"):
        ClauseModel.load(tmp_path / "nowhere")


def test_a_review_shows_the_best_candidate_and_the_confident_ones() -> None:
    from westfall_legal.analysis.clauses import shown
    from westfall_legal.models import Clause

    def clause(cid: str, category: str, conf: float) -> Clause:
        return Clause(cid, category, conf, "t", 0, 1, 1, (), None)

    clauses = [
        clause("a1", "A", 0.02), clause("a2", "A", 0.04), clause("a3", "A", 0.01),
        clause("b1", "B", 0.30), clause("b2", "B", 0.20),
        clause("c1", "C", 0.9), clause("c2", "C", 0.6), clause("c3", "C", 0.3),
    ]  # fmt: skip
    kept = [c.id for c in shown(clauses, {"A": 0.01, "B": 0.5, "C": 0.2})]
    # A: present (best 0.04 >= 0.01): only its best is shown. B: best under 0.5: absent.
    # C: present; 0.9 and 0.6 reach 0.5, 0.3 does not.
    assert kept == ["a2", "c1", "c2"]


def test_the_title_decides_between_plausible_types() -> None:
    model = _tiny_model()  # its classifier knows only "supply" as a type word
    assert model.contract_type("LICENSE AGREEMENT between A and B").label == "License"
    sure = model.contract_type("SUPPLY AGREEMENT " + "supply " * 50 + "licence")
    assert sure.label == "Supply"  # a classifier that is sure is not overridden by a word
    late = "x " * 300 + "LICENSE"  # beyond the title
    assert model.contract_type(late).label == model.contract_type("x").label


def test_title_types() -> None:
    from westfall_legal.analysis.contract_types import title_types

    assert title_types("SOFTWARE LICENSE AND MAINTENANCE AGREEMENT") == {"License", "Maintenance"}
    assert title_types("Exclusive Distribution Agreement") == {"Distributor"}
    assert title_types("a" * 500 + "franchise") == set()


def test_adjacent_candidates_over_the_threshold_are_one_clause() -> None:
    from westfall_legal.analysis.clauses import clause_runs

    column = np.array([0.9, 0.6, 0.2, 0.7, 0.0005, 0.8, 0.55, 0.9])
    words = [100, 100, 50, 80, 10, 150, 150, 150]
    # 0-1 merge (both >= 0.5); 2 stands alone (under 0.5, over the floor); 3 alone (its
    # neighbours are under 0.5); 4 is under the floor; 5-6 merge, 7 would pass 400 words.
    assert clause_runs(column, 0.5, 0.001, words, max_words=400) == [
        (0, 1, 0.9), (2, 2, 0.2), (3, 3, 0.7), (5, 6, 0.8), (7, 7, 0.9)
    ]  # fmt: skip
    assert clause_runs(column, 2.0, 0.001, words) == [
        (i, i, float(p)) for i, p in enumerate(column) if p >= 0.001
    ]  # a threshold no candidate reaches: every candidate on its own
    assert clause_runs(column, 0.5, 0.5, words, max_words=400) == [
        (0, 1, 0.9), (3, 3, 0.7), (5, 6, 0.8), (7, 7, 0.9)
    ]  # fmt: skip
    assert clause_runs(np.zeros(0), 0.5, 0.001, []) == []


def test_a_clause_cut_in_pieces_is_shown_whole() -> None:
    from westfall_legal.analysis.clauses import classify
    from westfall_legal.layout.text import plain_text
    from westfall_legal.models import Segment

    parts = [
        "Neither party may assign this Agreement without consent.",
        "Any attempt to assign in breach of this clause is void.",
        "This Agreement is governed by the laws of Delaware.",
    ]
    text = " ".join(parts)
    starts = [text.index(p) for p in parts]
    pairs = zip(starts, parts, strict=True)
    segments = [Segment(f"s{i}", s, s + len(p), None) for i, (s, p) in enumerate(pairs)]
    clauses = classify(plain_text(text), segments, _tiny_model())
    assert [(c.category, c.text) for c in clauses] == [
        ("Anti-Assignment", " ".join(parts[:2])),
        ("Governing Law", parts[2]),
    ]
    assert [c.id for c in clauses] == ["k1", "k2"]
