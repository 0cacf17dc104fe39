"""Experiment tracking (westfall_legal/tracking.py): where runs go by setting, what one run
records and reads back, how it ends, that without mlflow nothing changes but one line, and
that mlflow, as the adapter imports it, opens no connection."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from westfall_legal import tracking
from westfall_legal.errors import Cancelled, MissingDependencyError
from westfall_legal.settings import Settings
from westfall_legal.settings import load as load_settings
from westfall_legal.settings import save as save_settings
from westfall_legal.tracking import TrackingError, get_run, list_runs, shown, tracked


@pytest.fixture(autouse=True)
def fresh_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tracking, "_said", set())


def test_the_setting_decides_where_runs_go(app_home: Path) -> None:
    assert tracking.tracking_uri() == (app_home / "mlruns").as_uri()
    assert tracking.tracking_uri(Settings(tracking_uri="OFF")) is None
    firm = "https://ml.example.test:5000"
    assert tracking.tracking_uri(Settings(tracking_uri=firm)) == firm
    save_settings(load_settings().replace(tracking_uri="off"))
    assert tracking.tracking_uri() is None
    assert shown("https://ann:secret@ml.example.test:5000/x") == "https://ml.example.test:5000/x"
    assert shown((app_home / "mlruns").as_uri()) == str(app_home / "mlruns")


def test_without_mlflow_training_runs_as_before_and_says_so_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], app_home: Path
) -> None:
    for name in ("mlflow", "mlflow.tracking", "mlflow.entities"):
        monkeypatch.setitem(sys.modules, name, None)  # import fails as when not installed
    done = []
    for i in range(2):
        with tracked("train-clauses", params={"a": 1}) as run:
            assert not run.active
            run.params({"b": 2})
            run.metrics({"x": 0.5})
            run.per_category({"Governing Law": {"doc_f1": 0.9}})
            run.digest_files({"labels": app_home / "nothing"})
            done.append(i)
    assert done == [0, 1]
    err = capsys.readouterr().err
    assert err.count("experiment tracking is off") == 1 and "[tracking]" in err
    assert not (app_home / "mlruns").exists()
    with pytest.raises(MissingDependencyError, match="needs mlflow"):
        list_runs()


def test_off_by_setting_logs_nothing(capsys: pytest.CaptureFixture[str], app_home: Path) -> None:
    with tracked("evaluate", settings=Settings(tracking_uri="off")) as run:
        assert not run.active
    assert 'tracking_uri setting is "off"' in capsys.readouterr().err
    assert not (app_home / "mlruns").exists()


def test_a_run_records_and_reads_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("mlflow")
    card = tmp_path / "MODEL_CARD.md"
    card.write_text("# a card\n")
    with tracked("train-clauses", params={"folds": 5, "nested": {"c": 8.0}}) as run:
        run.digest_files({"labels": card})
        run.metrics({"macro": {"doc_f1": 0.75, "none": None}, "text": "x"}, "validation.")
        run.per_category({"Rofr/Rofo/Rofn": {"doc_f1": 0.5, "support": 3}})
        run.series("loss", [(1, 0.9), (2, 0.7), (3, float("nan"))])
        run.artifact(card, "model")
        run.model(model_id="clauses-x", sha256="ab" * 32, registry="manifest.json", folder=None)
    assert "tracked as run" in capsys.readouterr().err
    (listed,) = list_runs()
    record = get_run(listed.id[:8])
    assert (record.command, record.status) == ("train-clauses", "FINISHED")
    assert record.params["folds"] == "5" and record.params["nested.c"] == "8.0"
    assert len(record.params["data.labels"]) == 64
    assert record.metrics["validation.macro.doc_f1"] == 0.75
    assert "validation.macro.none" not in record.metrics and "validation.text" not in record.metrics
    assert record.metrics["category.Rofr_Rofo_Rofn.doc_f1"] == 0.5
    assert tracking.metric_history(record.id, "loss") == [(1, 0.9), (2, 0.7)]
    assert record.model == {"id": "clauses-x", "sha256": "ab" * 32, "registry": "manifest.json"}
    assert record.artifacts == ("model/MODEL_CARD.md",)
    with pytest.raises(TrackingError, match="too short"):
        get_run(listed.id[:5])
    with pytest.raises(TrackingError, match="matches no run"):
        get_run("ffffff" if not listed.id.startswith("ffffff") else "eeeeee")


def test_a_failed_or_cancelled_body_ends_its_run_so(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("mlflow")
    with pytest.raises(ValueError), tracked("retrain"):
        raise ValueError("boom")
    with pytest.raises(Cancelled), tracked("finetune"):
        raise Cancelled("stopped")
    status = {r.command: r.status for r in list_runs()}
    assert status == {"retrain": "FAILED", "finetune": "KILLED"}
    assert [r.command for r in list_runs(command="retrain")] == ["retrain"]


def test_an_unreachable_store_fails_before_training(tmp_path: Path) -> None:
    pytest.importorskip("mlflow")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    trained = []
    nowhere = Settings(tracking_uri=(blocker / "x").as_uri())
    with (
        pytest.raises(TrackingError, match="cannot open the experiment"),
        tracked("evaluate", settings=nowhere),
    ):
        trained.append(1)
    assert not trained


PROBE = """
import os, socket, sys, time
attempts = []
def refuse(*args, **kwargs):
    attempts.append(" ".join(map(str, args)))
    raise OSError("blocked by the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.getaddrinfo = refuse
os.environ["WESTFALL_HOME"] = sys.argv[2]
if sys.argv[1] == "adapter":
    from westfall_legal.tracking import tracked
    with tracked("evaluate", params={"a": 1}) as run:
        run.metrics({"x": 1.0})
else:  # mlflow as it comes, logging the same run
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    from mlflow.tracking import MlflowClient
    client = MlflowClient(tracking_uri="file://" + sys.argv[2] + "/mlruns")
    run = client.create_run(client.create_experiment("westfall/evaluate"))
    client.log_param(run.info.run_id, "a", 1)
    client.log_metric(run.info.run_id, "x", 1.0)
time.sleep(1.5)  # mlflow's telemetry works in a background thread
print("ATTEMPTS", attempts)
"""


CI_VARIABLES = ("PYTEST_CURRENT_TEST", "GITHUB_ACTIONS", "CI", "CIRCLECI", "GITLAB_CI",
                "JENKINS_URL", "TRAVIS", "TF_BUILD", "BITBUCKET_BUILD_NUMBER",
                "CODEBUILD_BUILD_ARN", "BUILDKITE", "TEAMCITY_VERSION", "CLOUD_RUN_EXECUTION",
                "RUNBOT_HOST_URL", "RUNBOT_BUILD_NAME", "RUNBOT_WORKER_ID")  # fmt: skip


def _probe(mode: str, home: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env.pop("DO_NOT_TRACK", None)
    for ci in CI_VARIABLES:  # mlflow keeps quiet in CI and tests; the probe must not be
        env.pop(ci, None)
    command = [sys.executable, "-c", textwrap.dedent(PROBE), mode, str(home)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=True)
    return next(line for line in done.stdout.splitlines() if line.startswith("ATTEMPTS"))


def test_mlflow_opens_no_connection_as_the_adapter_imports_it(tmp_path: Path) -> None:
    pytest.importorskip("mlflow")
    assert _probe("adapter", tmp_path / "a") == "ATTEMPTS []"
    # the same probe sees mlflow's telemetry when it is imported without the adapter's setup
    assert "mlflow-telemetry" in _probe("plain", tmp_path / "b")


def test_the_training_commands_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What finetune, train-encoder and retrain hand over: an adapter's manifest with its
    loss per step, an encoder's loss log and weights, bundles, a comparison."""
    pytest.importorskip("mlflow")
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    manifest = {"id": "legal-lora-x", "sha256": "cd" * 32, "training_data": "ef" * 32,
                "params": {"rank": 16}, "metrics": {"final_loss": 0.4},
                "train": {"losses": [0.9, 0.6, 0.4]}}  # fmt: skip
    (adapter / "manifest.json").write_text(json.dumps(manifest))
    (adapter / "MODEL_CARD.md").write_text("# card\n")
    encoder = tmp_path / "run"
    (encoder / "final").mkdir(parents=True)
    (encoder / "final" / "model.safetensors").write_bytes(b"weights")
    (encoder / "log.jsonl").write_text('{"step": 10, "loss": 0.5}\n{"step": 20, "loss": 0.3}\n')
    bundle = SimpleNamespace(bundle_id="b1", zip_bytes=b"zip")
    comparison = {"sets": {"cuad_validation": {
        "macro": {"doc_f1": {"active": 0.7, "candidate": 0.75, "delta": 0.05}},
        "per_category": {"Governing Law": {"doc_f1": {"active": 0.8, "candidate": 0.9},
                                           "doc_f1_delta": 0.1}}}},
        "gate": {"passed": False}}  # fmt: skip
    with tracked("finetune") as run:
        run.bundles([bundle])
        run.model_folder(adapter, registry="models registry")
    with tracked("train-encoder") as run:
        run.loss_log(encoder / "log.jsonl")
        run.encoder(encoder / "final")
        run.comparison(comparison)
    capsys.readouterr()
    encoded, tuned = list_runs()
    assert tuned.model == {"id": "legal-lora-x", "sha256": "cd" * 32,
                           "registry": "models registry", "folder": str(adapter)}  # fmt: skip
    assert tuned.params["rank"] == "16" and tuned.params["data.training_data"] == "ef" * 32
    assert tuned.params["data.bundle.b1"] == hashlib.sha256(b"zip").hexdigest()
    assert tuned.metrics["final_loss"] == 0.4
    assert tracking.metric_history(tuned.id, "loss") == [(1, 0.9), (2, 0.6), (3, 0.4)]
    assert encoded.model["sha256"] == hashlib.sha256(b"weights").hexdigest()
    assert tracking.metric_history(encoded.id, "loss") == [(10, 0.5), (20, 0.3)]
    assert encoded.metrics["cuad_validation.doc_f1.candidate"] == 0.75
    assert encoded.metrics["cuad_validation.category.Governing Law.doc_f1"] == 0.9
    assert encoded.tags["gate.passed"] == "False"
