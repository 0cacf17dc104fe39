"""Tracked training runs through the CLI: `train-clauses` and `retrain` on tiny synthetic
CUAD-format contracts log to the MLflow store in the data folder, `westfall runs list|show`
reads them back, and the model each run names has the sha256 its registry holds."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from test_feedback_cli import _synthetic
from test_store_cli import run

from westfall_legal.analysis.clause_model import ClauseModel
from westfall_legal.errors import ExitCode
from westfall_legal.tracking import store_dir
from westfall_legal.training import clause_registry

pytest.importorskip("mlflow", reason="the tracking extra (mlflow-skinny) is not installed")
pytest.importorskip("sklearn", reason="the train extra is not installed")


def _run_id(err: str) -> str:
    found = re.search(r"tracked as run ([0-9a-f]{12})", err)
    assert found, err
    return found.group(1)


def _shown(capsys: pytest.CaptureFixture[str], run_id: str) -> dict[str, str]:
    code, out, err = run(capsys, "runs", "show", run_id)
    assert code == 0, err
    model = re.search(r"^model +(\S+) sha256 ([0-9a-f]{64})$", out, re.M)
    registry = re.search(r"registered in (\S+)", out)
    assert model and registry, out
    return {"out": out, "id": model.group(1), "sha256": model.group(2), "in": registry.group(1)}


def test_tracked_training_runs_are_listed_and_match_the_registry(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cuad = _synthetic().write_cuad(tmp_path / "cuad", 80)  # 70 held out, as for CUAD
    assert run(capsys, "runs", "list")[1].startswith("no tracked runs")

    out_dir = tmp_path / "clauses"
    code, _, err = run(capsys, "train-clauses", "--cuad", str(cuad), "--out", str(out_dir))
    assert code == 0, err
    trained = _run_id(err)
    assert "experiment tracking is off" not in err
    code, _, err = run(capsys, "retrain", "--cuad", str(cuad), "--id", "clauses-tracked",
                       "--folds", "2", "--no-pool")  # fmt: skip
    assert code == 0, err
    retrained = _run_id(err)

    code, out, _ = run(capsys, "runs", "list")
    lines = out.splitlines()
    assert code == 0 and str(store_dir()) in lines[-1]
    assert re.match(rf"{retrained} +retrain +FINISHED .* clauses-tracked [0-9a-f]{{12}}$", lines[1])
    assert re.match(rf"{trained} +train-clauses +FINISHED ", lines[2])
    only = run(capsys, "runs", "list", "--command", "train-clauses")[1]
    assert trained in only and retrained not in only

    # train-clauses: the folder's manifest is its record, and the model file matches it.
    shown = _shown(capsys, trained)
    manifest = json.loads((out_dir / "manifest.json").read_text())
    assert shown["sha256"] == manifest["sha256"] == ClauseModel.load(out_dir).sha256
    assert shown["in"] == "manifest.json,"
    text = shown["out"]
    labels = hashlib.sha256((cuad / "labels.dev.jsonl").read_bytes()).hexdigest()
    assert re.search(rf"^  cuad_labels +{labels}$", text, re.M)  # the data digest
    assert re.search(r"^  folds +5$", text, re.M)  # a parameter
    figure = manifest["validation"]["doc_f1"]
    assert re.search(rf"^  validation.doc_f1 +{figure:.4g}$", text, re.M)
    law = manifest["validation_per_category"]["Governing Law"]["doc_f1"]
    assert re.search(rf"^  Governing Law +{law:13.3f}", text, re.M)  # per category
    for name in ("model/manifest.json", "model/MODEL_CARD.md", "model/validation_split.txt"):
        assert re.search(rf"^  {re.escape(name)}$", text, re.M), name

    # retrain: the clause-model registry's entry holds the same sha256.
    shown = _shown(capsys, retrained[:8])
    entry = clause_registry.get("clauses-tracked")
    assert (shown["id"], shown["sha256"]) == (entry.id, entry.sha256)
    assert shown["in"] == "clause-models.json,"
    assert "per category (cuad_validation)" in shown["out"]
    assert "model/comparison.json" in shown["out"]


def test_a_failed_run_is_recorded_as_failed(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-cuad-here"
    code, _, err = run(
        capsys, "train-clauses", "--cuad", str(missing), "--out", str(tmp_path / "m")
    )
    assert code == ExitCode.INPUT_MISSING, err
    failed = _run_id(err)
    out = run(capsys, "runs", "list")[1]
    assert re.search(rf"^{failed} +train-clauses +FAILED .* -$", out, re.M)
    code, _, err = run(capsys, "runs", "show", "abc")
    assert code != 0 and "too short" in err
