"""LegalBench pieces: task names, metrics, the train-row threshold, seen rows, unfair_tos."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score, roc_auc_score

from westfall_legal.analysis.playbook import load_playbook
from westfall_legal.categories import CATEGORIES
from westfall_legal.errors import KnownError
from westfall_legal.pipeline import DEFAULT_PLAYBOOK
from westfall_legal.training.legalbench import (
    TextIndex,
    balanced_accuracy,
    read_tasks,
    roc_auc,
    task_category,
    train_threshold,
)
from westfall_legal.training.legalbench_tos import class_rules, true_labels


@pytest.mark.parametrize(
    ("task", "category"),
    [
        ("cuad_rofr-rofo-rofn", "Rofr/Rofo/Rofn"),
        ("cuad_revenue-profit_sharing", "Revenue/Profit Sharing"),
        ("cuad_unlimited-all-you-can-eat-license", "Unlimited/All-You-Can-Eat-License"),
        ("cuad_no-solicit_of_employees", "No-Solicit Of Employees"),
        ("cuad_affiliate_license-licensee", "Affiliate License-Licensee"),
        ("cuad_notice_period_to_terminate_renewal", "Notice Period To Terminate Renewal"),
        ("cuad_not_a_category", None),
    ],
)
def test_task_names_map_to_categories(task: str, category: str | None) -> None:
    assert task_category(task, CATEGORIES) == category


def test_metrics_agree_with_scikit_learn() -> None:
    rng = np.random.default_rng(3)
    labels = rng.random(300) < 0.3
    score = np.round(rng.random(300) * 0.6 + labels * 0.3, 2)  # ties on purpose
    predicted = score >= 0.5
    assert balanced_accuracy(labels, predicted) == pytest.approx(
        balanced_accuracy_score(labels, predicted)
    )
    assert roc_auc(labels, score) == pytest.approx(roc_auc_score(labels, score))
    assert roc_auc(np.ones(3, bool), np.zeros(3)) is None


def test_the_train_threshold_separates_the_train_rows() -> None:
    score = np.array([0.02, 0.10, 0.30, 0.60, 0.90])
    labels = np.array([False, False, True, True, True])
    t = train_threshold(score, labels)
    assert t is not None and 0.10 < t < 0.30
    assert train_threshold(score, np.ones(5, bool)) is None  # one class: no choice


def test_seen_rows_are_found_in_the_contracts() -> None:
    contract = (
        "1. Assignment. Neither party may assign this Agreement without the prior written "
        "consent of the other party. 2. Governing Law. This Agreement is governed by the laws "
        "of the State of New York."
    )
    index = TextIndex([contract])
    assert index.share("neither party may ASSIGN this agreement without the prior written") == 1.0
    assert (
        index.share("The licensee shall pay royalties within thirty days of each quarter end.")
        == 0.0
    )
    assert index.share("State of New York") == 1.0  # shorter than a shingle: exact words
    assert index.share("State of Delaware") == 0.0


def _task(folder: Path, name: str, rows: list[tuple[str, str]]) -> None:
    (folder / name).mkdir(parents=True)
    body = "".join(f"{label}\t{text}\n" for label, text in rows)
    (folder / name / "test.tsv").write_text("label\ttext\n" + body)


def test_read_tasks_checks_the_folder(tmp_path: Path) -> None:
    with pytest.raises(KnownError):
        read_tasks(tmp_path / "absent", CATEGORIES)
    with pytest.raises(KnownError, match="no LegalBench cuad_"):
        read_tasks(tmp_path, CATEGORIES)
    _task(tmp_path, "cuad_governing_law", [("Yes", "Governed by Delaware law."), ("No", "x")])
    _task(tmp_path, "cuad_insurance", [("No", "Governed by Delaware law.")])
    tasks = read_tasks(tmp_path, CATEGORIES, only=["cuad_insurance"])
    assert [t.name for t in tasks] == ["cuad_insurance"] and tasks[0].category == "Insurance"
    assert read_tasks(tmp_path, CATEGORIES)[0].test.labels.tolist() == [True, False]
    _task(tmp_path, "cuad_audit_rights", [("Maybe", "x")])
    with pytest.raises(KnownError, match="other than Yes/No"):
        read_tasks(tmp_path, CATEGORIES)


def test_unfair_tos_names_are_corrected_only_when_permuted() -> None:
    texts = ["these terms are governed by the laws of california .", "you may not copy ."]
    assert true_labels(texts, ["Choice of law", "Other"]) == (["Choice of law", "Other"], False)
    fixed, renamed = true_labels(texts, ["Limitation of liability", "Other"])
    assert renamed and fixed == ["Choice of law", "Other"]


def test_the_default_playbook_covers_three_unfair_classes() -> None:
    rules = class_rules(load_playbook(DEFAULT_PLAYBOOK))
    covered = {c for c, r in rules.items() if r}
    assert covered == {"Limitation of liability", "Choice of law", "Unilateral termination"}
    assert [r.id for r in rules["Choice of law"]] == ["governing-law-outside-list"]
    assert not rules["Arbitration"]


def test_the_verifier_stage_runs_on_a_sample_and_keeps_its_baseline(tmp_path: Path) -> None:
    from westfall_legal.pipeline import load_clause_model
    from westfall_legal.training.legalbench import IsolatedScorer, run_legalbench

    law = "This Agreement shall be governed by the laws of the State of {}."
    other = "The Supplier shall deliver {} units to the Customer each month."
    states = ["Delaware", "New York", "Texas", "Ohio", "Utah", "Iowa"]
    rows = [("Yes", law.format(s)) for s in states] + [("No", other.format(n)) for n in range(6)]
    _task(tmp_path, "cuad_governing_law", rows)
    model = load_clause_model("clauses-v1")
    scorer = IsolatedScorer(model)
    j = model.categories.index("Governing Law")
    asked: list[str] = []

    def echo(text: str, category: str) -> float:  # answers the n-gram score back
        asked.append(category)
        return float(scorer.ngram([text])[0, j])

    lb = run_legalbench(tmp_path, model, verifier=echo, llm_rows=5)
    stages = lb["tasks"]["cuad_governing_law"]["stages"]
    assert stages["llm_verifier"]["train"]["rows"] == 5 and set(asked) == {"Governing Law"}
    base = stages["context_on_llm_rows"] if "context" in stages else stages["ngram_on_llm_rows"]
    # a P(Yes) that ranks the rows as the base stage does leaves their ranking as it was
    assert stages["llm_verifier"]["roc_auc"] == base["roc_auc"]
    assert "llm_verifier" not in lb["stages_absent"] and lb["llm_rows_per_task"] == 5
    assert lb["tasks"]["cuad_governing_law"]["shipped"]["cuad"]["rows"] == 12
