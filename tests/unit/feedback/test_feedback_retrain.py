"""Retraining on CUAD + feedback: a candidate is trained, compared with the active model on
held-out data (never trained on), registered, refused by the gate unless proven, and can be
activated and rolled back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from synthetic import FAST, correct, write_cuad

from westfall_legal.analysis.clause_model import ClauseModel
from westfall_legal.categories import CATEGORIES, TOP_CATEGORIES
from westfall_legal.errors import ClauseModelGateError, ModelError
from westfall_legal.feedback import (
    LabelSchema,
    Selection,
    export_feedback,
    import_bundle,
    pooled_bundles,
)
from westfall_legal.settings import load as load_settings
from westfall_legal.store import Store
from westfall_legal.training import clause_registry
from westfall_legal.training.compare import CUAD_SET, FEEDBACK_SET, compare_set, gate
from westfall_legal.training.cuad import read_gold
from westfall_legal.training.dataset import build_record
from westfall_legal.training.retrain import (
    RetrainResult,
    feedback_contracts,
    retrain,
    split_feedback,
)

SCHEMA = LabelSchema(CATEGORIES)
VALIDATION = 6


@pytest.fixture
def trained(store: Store, tmp_path: Path) -> RetrainResult:
    store.matters.create("Supply")
    for seed in range(100, 108):
        correct(store, "Supply", seed)
    out = tmp_path / "supply.wfb"
    export_feedback(store, out, Selection(), SCHEMA)
    import_bundle(store, out, SCHEMA)
    cuad = write_cuad(tmp_path / "cuad", 16)
    return retrain(
        pooled_bundles(store, SCHEMA), cuad_dir=cuad, params=FAST, validation_size=VALIDATION,
        model_id="clauses-test", progress=lambda _m: None,
    )  # fmt: skip


def test_retrain_registers_a_candidate_without_switching_it_on(trained: RetrainResult) -> None:
    folder = trained.folder
    for name in ("model.npz", "manifest.json", "MODEL_CARD.md", "comparison.json",
                 "COMPARISON.md", "validation_split.txt"):  # fmt: skip
        assert (folder / name).exists(), name
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["id"] == "clauses-test" and len(manifest["training_data_sha256"]) == 64
    assert len(manifest["feedback_bundles"]) == 1
    assert ClauseModel.load(folder).version == "clauses-test"
    (entry,) = clause_registry.entries()
    assert (entry.id, entry.status, entry.against) == ("clauses-test", "candidate", "clauses-v1")
    assert load_settings().clause_model == "clauses-v1"  # not switched on
    sets = trained.comparison["sets"]
    assert sets[CUAD_SET]["documents"] == VALIDATION
    held = trained.comparison["held_out_feedback"]
    assert sets[FEEDBACK_SET]["documents"] == len(held) >= 1
    row = sets[CUAD_SET]["per_category"]["Governing Law"]
    assert set(row["doc_f1"]) == {"active", "candidate"} and "doc_f1_delta_ci95" in row
    assert "| macro doc_f1 |" in (folder / "COMPARISON.md").read_text()


def test_held_out_feedback_documents_are_never_trained_on(
    store: Store, trained: RetrainResult, tmp_path: Path
) -> None:
    data = feedback_contracts(pooled_bundles(store, SCHEMA), tmp_path / "fb")
    held = {c.name for c in data.held_out}
    assert held == set(trained.comparison["held_out_feedback"])
    assert held and not held & {c.name for c in data.train}
    assert split_feedback([*held, *(c.name for c in data.train)]) == (
        sorted(c.name for c in data.train), sorted(held),
    )  # fmt: skip


def test_activate_follows_the_gate_and_rollback_restores(trained: RetrainResult) -> None:
    if trained.comparison["gate"]["passed"]:
        clause_registry.activate("clauses-test")
    else:
        with pytest.raises(ClauseModelGateError, match="not proven better"):
            clause_registry.activate("clauses-test")
        assert load_settings().clause_model == "clauses-v1"
        clause_registry.activate("clauses-test", force=True)
    assert load_settings().clause_model == "clauses-test"
    assert clause_registry.get("clauses-test").status == "active"
    assert clause_registry.rollback() == ("clauses-test", "clauses-v1")
    assert load_settings().clause_model == "clauses-v1"
    assert clause_registry.get("clauses-test").status == "retired"
    with pytest.raises(ModelError, match="no earlier clause model"):
        clause_registry.rollback()


def test_a_changed_model_file_is_refused(trained: RetrainResult) -> None:
    manifest = trained.folder / "manifest.json"
    model = ClauseModel.load(trained.folder)
    model.thresholds = model.thresholds * 0.5  # someone lowered its thresholds by hand
    model.save(trained.folder, json.loads(manifest.read_text()))
    data = json.loads(manifest.read_text())
    data["sha256"] = model.sha256
    manifest.write_text(json.dumps(data))
    with pytest.raises(ModelError, match="differs from the one registered"):
        clause_registry.activate("clauses-test", force=True)


def _set(macro: float, aupr: float, guarded: float = 0.0, documents: int = 10) -> dict[str, Any]:
    per = {c: {"doc_f1_delta": guarded} for c in TOP_CATEGORIES}
    return {"documents": documents, "per_category": per,
            "macro": {"doc_f1": {"delta": macro}, "span_aupr": {"delta": aupr}}}  # fmt: skip


@pytest.mark.parametrize(
    ("cuad", "own", "passed", "reason"),
    [
        (_set(0.0, 0.0), _set(0.02, 0.0), True, ""),
        (_set(-0.03, 0.0), _set(0.02, 0.0), False, "macro doc_f1 -0.030"),
        (_set(0.0, -0.02), _set(0.02, 0.0), False, "macro span_aupr"),
        (_set(0.01, 0.0, guarded=-0.08), _set(0.1, 0.0), False, "guarded category"),
        (_set(0.01, 0.0), _set(-0.01, 0.0), False, "your held-out documents"),
        (_set(0.01, 0.0), {"documents": 0}, False, "not proven on your work"),
    ],
)
def test_the_gate(cuad: dict[str, Any], own: dict[str, Any], passed: bool, reason: str) -> None:
    verdict = gate({CUAD_SET: cuad, FEEDBACK_SET: own})
    assert verdict["passed"] is passed
    assert reason in " ".join(verdict["reasons"])


def test_a_model_compared_with_itself_has_zero_deltas(
    trained: RetrainResult, tmp_path: Path
) -> None:
    model = ClauseModel.load(trained.folder)
    records = [build_record(c) for c in read_gold(tmp_path / "cuad" / "labels.dev.jsonl")[:4]]
    result = compare_set(model, model, records)
    assert result["documents"] == 4
    deltas = [r["doc_f1_delta"] for r in result["per_category"].values()]
    assert all(d in (None, 0.0) for d in deltas)
    assert result["macro"]["doc_f1"]["delta"] == 0.0
    assert result["per_category"]["Governing Law"]["doc_f1_delta_ci95"] in (None, (0.0, 0.0))


def test_compare_again_on_the_same_held_out_documents(
    store: Store, trained: RetrainResult, tmp_path: Path
) -> None:
    from westfall_legal.training.retrain import recompare

    again = recompare(
        "clauses-test", pooled_bundles(store, SCHEMA), cuad_dir=tmp_path / "cuad",
        validation_size=VALIDATION, progress=lambda _m: None,
    )  # fmt: skip
    assert again["held_out_feedback"] == trained.comparison["held_out_feedback"]
    assert again["sets"] == trained.comparison["sets"]  # same models, same documents
    assert clause_registry.get("clauses-test").gate == again["gate"]
