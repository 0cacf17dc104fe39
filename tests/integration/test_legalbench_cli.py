"""`westfall evaluate --legalbench` end to end: on task files made in the test, and on a few
of the shared LegalBench tasks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA
from westfall_legal.cli import main
from westfall_legal.errors import ExitCode

LEGALBENCH = SHARED_DATA / "legalbench"
LAW = [
    "This Agreement shall be governed by and construed in accordance with the laws of the "
    "State of Delaware, without regard to its conflict of laws principles.",
    "This Agreement and all disputes arising out of it shall be governed by the laws of the "
    "State of New York.",
    "The validity and interpretation of this Agreement shall be governed by English law.",
]
OTHER = [
    "The Supplier shall deliver the Products to the Customer at the agreed place of delivery.",
    "Neither party may assign this Agreement without the prior written consent of the other.",
    "The Licensee shall pay the royalties within thirty days of the end of each quarter.",
]


def _task(folder: Path, name: str, yes: list[str], no: list[str]) -> None:
    (folder / name).mkdir(parents=True)
    rows = [("Yes", t) for t in yes] + [("No", t) for t in no]
    (folder / name / "test.tsv").write_text(
        "label\ttext\n" + "".join(f"{a}\t{t}\n" for a, t in rows)
    )
    train = [(i, t, a) for i, (a, t) in enumerate(rows[:1] + rows[-1:])]
    (folder / name / "train.tsv").write_text(
        "index\ttext\tanswer\n" + "".join(f"{i}\t{t}\t{a}\n" for i, t, a in train)
    )


def test_legalbench_on_task_files_made_here(tmp_path: Path) -> None:
    folder = tmp_path / "legalbench"
    _task(folder, "cuad_governing_law", LAW, OTHER)
    _task(folder, "cuad_anti-assignment", OTHER[1:2], LAW + OTHER[:1] + OTHER[2:])
    out, page = tmp_path / "lb.json", tmp_path / "lb.html"
    no_cuad = str(tmp_path / "no-cuad")
    code = main(["evaluate", "--legalbench", str(folder), "--legalbench-cuad", no_cuad,
                 "--out", str(out), "--html", str(page), "-q"])  # fmt: skip
    assert code == 0
    lb = json.loads(out.read_text())["legalbench"]
    law = lb["tasks"]["cuad_governing_law"]
    assert law["rows"] == 6 and law["yes"] == 3 and law["train_rows"] == 2
    assert law["stages"]["ngram"]["roc_auc"] == 1.0  # a trained model ranks these clauses
    assert law["stages"]["ngram"]["train"]["balanced_accuracy"] == 1.0
    assert lb["macro"]["ngram"]["train"]["tasks"] == 2
    assert "no LoRA adapter is active" in lb["stages_absent"]["llm_verifier"]
    assert "not shipped" in lb["stages_absent"]["encoder"]
    assert "seen and unseen" in lb["seen"]["note"] and lb["seen"]["rows"] is None
    published = lb["published"]["rows"]  # figures found for anti-assignment, not governing law
    assert [r["task"] for r in published] == ["cuad_anti-assignment"]
    assert "legalevalhub" in published[0]["source"] and published[0]["gpt-4o-mini"] > 0.5
    assert "seen" not in lb["macro"]["ngram"]  # no split without CUAD
    html = page.read_text()
    assert "LegalBench" in html and "cuad_governing_law" in html


def test_evaluate_needs_something_to_evaluate(tmp_path: Path) -> None:
    assert main(["evaluate", "--out", str(tmp_path / "r.json"), "-q"]) == ExitCode.BAD_INPUT


@pytest.mark.cuad
def test_legalbench_on_shared_tasks(tmp_path: Path, cuad_dir: Path) -> None:
    if not (LEGALBENCH / "cuad_insurance" / "test.tsv").exists():
        pytest.skip(f"LegalBench task files not found at {LEGALBENCH} (development machines)")
    out = tmp_path / "lb.json"
    tasks = "cuad_insurance,cuad_liquidated_damages,unfair_tos"
    code = main(["evaluate", "--legalbench", str(LEGALBENCH), "--legalbench-tasks", tasks,
                 "--legalbench-cuad", str(cuad_dir), "--out", str(out), "-q"])  # fmt: skip
    assert code == 0
    lb = json.loads(out.read_text())["legalbench"]
    insurance = lb["tasks"]["cuad_insurance"]
    assert 0 < insurance["seen_rows"] < insurance["rows"]  # most rows come from CUAD contracts
    assert lb["macro"]["ngram"]["unseen"]["balanced_accuracy"] > 0.7
    assert [r["task"] for r in lb["published"]["rows"]] == ["cuad_liquidated_damages"]
    tos = lb["unfair_tos"]
    assert tos["labels_renamed"] and tos["classes_covered"] == 3
    assert tos["classes"]["Choice of law"]["recall"] > 0.3
