"""The per-group table: bootstrap figures that agree with the report's own metrics, flags."""

from __future__ import annotations

import random

import numpy as np
import pytest

from westfall_legal.feedback import bundle as fmt
from westfall_legal.feedback.verify import Bundle
from westfall_legal.training.groups import (
    DocStats,
    Pool,
    correction_table,
    group_table,
    length_band,
    pool_documents,
    year_band,
    year_of,
)
from westfall_legal.training.metrics import (
    CategoryAccumulator,
    PredMatch,
    SpanMatch,
    macro_average,
)

CATS = ["A", "B", "C"]


def _match(rng: random.Random, n_gold: int, quality: float) -> SpanMatch:
    preds = []
    for g in range(n_gold):  # a prediction finding gold span g, confident when quality is high
        if rng.random() < quality:
            conf = round(rng.uniform(0.4, 1.0), 2)
            preds.append(PredMatch(conf, True, frozenset({g}), 10, 10))
    for _ in range(rng.randint(0, 4)):  # false alarms, with ties now and then
        conf = round(rng.uniform(0.0, 1.0 - quality / 2), 1)
        preds.append(PredMatch(conf, False, frozenset(), 10, 0))
    rng.shuffle(preds)
    return SpanMatch(n_gold, tuple(preds))


def _docs(n: int, seed: int = 1, quality: float = 0.8, group: str = "x") -> list[DocStats]:
    rng = random.Random(seed)
    return [
        DocStats(
            {
                "contract_type": group,
                "source": "born-digital",
                "length": "3k-10k words",
                "year": "2000-2004",
            },
            {c: _match(rng, rng.choice([0, 1, 2]), quality) for c in CATS},
            rng.randint(0, 3),
            3,
        )
        for _ in range(n)
    ]


def test_unit_weights_reproduce_the_reports_metrics() -> None:
    docs = _docs(40)
    thresholds = {"A": 0.5, "B": 0.7, "C": 0.3}
    pool = Pool(docs, CATS, thresholds)
    figs = pool.figures(np.ones((1, len(docs))))
    accs = {c: CategoryAccumulator(c) for c in CATS}
    for d in docs:
        for c in CATS:
            accs[c].add_match(d.matches[c])
    support = {c: accs[c].n_gold for c in CATS}
    aupr = macro_average({c: accs[c].aupr() for c in CATS}, support)
    prf = [accs[c].doc_prf(thresholds[c]) for c in CATS]  # pooled over the categories
    hits = sum(round((p.recall or 0.0) * p.n_gold) for p in prf)
    f1 = 2 * hits / sum(p.n_gold + p.n_pred for p in prf)
    assert figs["span_aupr"][0] == pytest.approx(aupr)
    assert figs["doc_f1"][0] == pytest.approx(f1)
    right = sum(d.facts_right for d in docs)
    assert figs["fact_accuracy"][0] == pytest.approx(right / (3 * len(docs)))


def test_a_weak_group_is_flagged_with_its_size() -> None:
    good = _docs(60, seed=2, quality=0.95, group="Supply")
    bad = _docs(30, seed=3, quality=0.1, group="License")
    alone = _docs(1, seed=4, quality=0.0, group="Hosting")  # one bad contract: not judged
    table = group_table(good + bad + alone, CATS, {c: 0.5 for c in CATS}, resamples=60)
    rows = {r["group"]: r for r in table["groups"]["contract_type"]}
    assert "span_aupr" in rows["License"]["flags"] and not rows["Supply"]["flags"]
    assert rows["License"]["contracts"] == 30
    assert rows["Hosting"]["too_few"] and not rows["Hosting"]["flags"]
    assert any("'License' (30 contracts)" in w for w in table["warnings"])
    span = rows["Supply"]["span_aupr"]
    assert span["low"] <= span["value"] <= span["high"]
    # one group holding every contract has the overall figure and is never flagged
    assert (
        table["groups"]["source"][0]["span_aupr"]["value"] == table["overall"]["span_aupr"]["value"]
    )
    assert not table["groups"]["source"][0]["flags"]


def test_no_contract_gives_an_empty_table() -> None:
    table = group_table([], CATS, {})
    assert table["overall"] is None and table["groups"] == {} and table["warnings"] == []


def test_bands_and_years() -> None:
    assert length_band(2999) == "under 3k words" and length_band(30000) == "25k words or more"
    assert year_of("ADAMSGOLFINC_03_21_2005-EX-10.17-ENDORSEMENT AGREEMENT.PDF", "") == 2005
    assert year_of("doc-1", "This Agreement is made on 4 May 1998 between") == 1998
    assert year_of("doc-1", "no year here") is None
    assert year_band(1998) == "1999 or before" and year_band(2016) == "2015 or later"
    assert year_band(None) == "unknown"


def test_corrections_are_counted_per_group() -> None:
    docs = [
        {"name": "a", "contract_type": "License", "words": 500, "year": 2001, "source": None,
         "corrections": 6},
        {"name": "b", "contract_type": "License", "words": 12000, "year": None, "source": None,
         "corrections": 2},
        {"name": "c", "contract_type": "Supply", "words": 500, "year": 2012, "source": None,
         "corrections": 0},
    ]  # fmt: skip
    table = correction_table(docs)
    assert table["corrections"] == 8 and table["documents"] == 3
    by_type = {r["group"]: r for r in table["groups"]["contract_type"]}
    assert by_type["License"] == {"group": "License", "documents": 2, "corrections": 8,
                                  "per_document": 4.0, "share": 1.0}  # fmt: skip
    assert by_type["Supply"]["corrections"] == 0
    assert table["groups"]["source"] == [{"group": "unknown", "documents": 3, "corrections": 8,
                                          "per_document": 2.67, "share": 1.0}]  # fmt: skip


def test_pool_documents_count_each_documents_corrections() -> None:
    spans = [
        {"filename": "doc-1", "txt_file": "texts/doc-1.txt", "pdf_file": "texts/doc-1.txt",
         "contract_type": "License", "labels": {}},
        {"filename": "doc-2", "txt_file": "texts/doc-2.txt", "pdf_file": "texts/doc-2.txt",
         "contract_type": "Supply", "labels": {}},
    ]  # fmt: skip
    corrections = [{"document": "doc-1", "action": "reject"}] * 3 + [{"document": "doc-2"}]
    members = {
        fmt.SPANS: fmt.jsonl(spans),
        fmt.CORRECTIONS: fmt.jsonl(corrections),
        fmt.text_member("doc-1"): b"LICENCE AGREEMENT dated 1 March 2003. " + b"word " * 4000,
        fmt.text_member("doc-2"): b"SUPPLY AGREEMENT. The Supplier shall deliver.",
    }
    bundle = Bundle("b.wfb", {"documents": ["doc-1", "doc-2"]}, members, b"", False)
    docs = {d["name"]: d for d in pool_documents([bundle])}
    assert docs["doc-1"]["corrections"] == 3 and docs["doc-2"]["corrections"] == 1
    assert docs["doc-1"]["year"] == 2003 and docs["doc-2"]["year"] is None
    assert length_band(docs["doc-1"]["words"]) == "3k-10k words"
    table = correction_table(list(docs.values()))
    assert [r["group"] for r in table["groups"]["contract_type"]] == ["License", "Supply"]
