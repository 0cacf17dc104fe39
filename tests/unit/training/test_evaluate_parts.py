from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from westfall_legal.training.evaluate import DocResult, _gold_fact, fact_accuracy, same_fact


def test_cuad_answers_normalise_to_our_forms() -> None:
    assert _gold_fact("agreement_date", "6/21/99") == "1999-06-21"
    assert _gold_fact("agreement_date", "[]/[]/2020") is None  # partly redacted: not comparable
    assert _gold_fact("governing_law", "New York") == "new york"
    assert _gold_fact("renewal_term", "successive 1 year") == "P1Y"
    assert _gold_fact("notice_period", "30 days") == "P30D"
    assert _gold_fact("expiration_date", "perpetual") is None
    assert _gold_fact("governing_law", "") is None


def test_fact_accuracy_counts_only_comparable_answers() -> None:
    results = [
        DocResult("a", "X", facts={"governing_law": "New York", "agreement_date": "1999-06-21"}),
        DocResult("b", "X", facts={"governing_law": "Delaware"}),
        DocResult("c", "X", facts={}),
    ]
    answers = {
        "a": {"Governing Law": "New York", "Agreement Date": "6/21/99"},
        "b": {"Governing Law": "California", "Agreement Date": ""},
        "c": {"Governing Law": "Texas"},
    }
    acc = fact_accuracy(results, answers)
    assert acc["governing_law"] == round(1 / 3, 4) and acc["governing_law_support"] == 3
    assert acc["agreement_date"] == 1.0 and acc["agreement_date_support"] == 1
    assert acc["renewal_term"] is None


def test_a_cache_made_by_other_reading_code_is_not_reused(tmp_path: Path) -> None:
    from westfall_legal.training.dataset import (
        CACHE_VERSION,
        ContractRecord,
        build_records,
        reader_fingerprint,
    )

    cache = tmp_path / "records.pkl"
    stale = ContractRecord("x.pdf", "Supply", "text", 1, [], [], {})
    with cache.open("wb") as fh:
        pickle.dump(((CACHE_VERSION, "other code", ()), [stale]), fh)
    assert build_records([], cache=cache, workers=1) == []
    with cache.open("wb") as fh:
        pickle.dump(((CACHE_VERSION, reader_fingerprint(), ()), [stale]), fh)
    assert build_records([], cache=cache, workers=1) == [stale]


def test_a_contract_type_model_of_two_types_gives_both_probabilities() -> None:
    pytest.importorskip("sklearn")
    from westfall_legal.training.dataset import ContractRecord
    from westfall_legal.training.train_clauses import Params, fit_type

    records = [
        ContractRecord(f"d{i}", t, f"{t.upper()} AGREEMENT {t} terms " * 3, 1, [], [], {})
        for i, t in enumerate(["Supply", "License"] * 4)
    ]
    vec, w, b, labels = fit_type(records, Params(min_df=1))
    assert labels == ["License", "Supply"] and w.shape == (vec.size, 2) and b.shape == (2,)


def test_a_duration_matches_the_same_length_in_other_units() -> None:
    assert same_fact("renewal_term", "P12M", "P1Y")
    assert same_fact("notice_period", "P2Y", "P24M")
    assert not same_fact("renewal_term", "P18M", "P1Y")
    assert not same_fact("renewal_term", "P365D", "P1Y")  # a year of days is not CUAD's year
    assert same_fact("notice_period", "P90D", "p90d")
    assert not same_fact("agreement_date", "2020-01-12", "2020-12-01")
