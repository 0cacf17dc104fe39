"""LegalBench's ``unfair_tos`` through the playbook's risk rules, where a rule maps to a class.

``unfair_tos`` puts terms-of-service clauses in eight potentially unfair classes and "Other".
The playbook's rules read clauses by CUAD category, so a class is *covered* when a rule of
the playbook reads a category that class is about (:data:`CLASS_CATEGORIES`) with a condition
that can be judged on one clause:

* ``present``: the rule fires when the clause is of the category;
* ``text_matches`` / ``text_lacks``: ... and its pattern is found / not found in the clause;
* ``fact_not_in`` / ``fact_below``: the rule reads the category's clause for a fact; here only
  the clause's detection is judged (whether the fact breaks the firm's position is not).

A clause is "of the category" when the clause model's isolated score (the shipped stage:
context re-scoring where the model keeps it) reaches the category's CUAD document threshold.
A row is flagged for a class when any of the class's rules fires on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from westfall_legal.analysis.clause_model import ClauseModel
from westfall_legal.analysis.playbook import Playbook, Rule
from westfall_legal.training.legalbench import IsolatedScorer, balanced_accuracy, read_rows

TASK = "unfair_tos"
OTHER = "Other"
# The unfair_tos classes a CUAD category speaks to; the others have no CUAD category.
CLASS_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Limitation of liability": ("Cap On Liability", "Uncapped Liability"),
    "Choice of law": ("Governing Law",),
    "Unilateral termination": ("Termination For Convenience",),
    "Arbitration": (),
    "Jurisdiction": (),
    "Content removal": (),
    "Unilateral change": (),
    "Contract by using": (),
}
# The pre-release test.tsv names LexGLUE's label ids through the wrong list (its train.tsv is
# right): its "Limitation of liability" rows are choice-of-law clauses, and so on round.
PRE_RELEASE_NAMES = {
    "Arbitration": "Limitation of liability",
    "Unilateral change": "Unilateral termination",
    "Content removal": "Unilateral change",
    "Jurisdiction": "Content removal",
    "Choice of law": "Contract by using",
    "Limitation of liability": "Choice of law",
    "Unilateral termination": "Jurisdiction",
    "Contract by using": "Arbitration",
}
_LAW = "governed by the law"
FACT_CATEGORIES = {"governing_law": "Governing Law", "notice_period": "Renewal Term"}
CLAUSE_CONDITIONS = frozenset({"present", "text_matches", "text_lacks", "fact_not_in",
                               "fact_below"})  # fmt: skip


def rule_categories(rule: Rule) -> set[str]:
    cats = set(rule.categories)
    if rule.fact in FACT_CATEGORIES:
        cats.add(FACT_CATEGORIES[rule.fact])
    return cats


def class_rules(playbook: Playbook) -> dict[str, list[Rule]]:
    """Per unfair_tos class, the playbook's rules that can judge one of its clauses."""
    return {
        cls: [r for r in playbook.rules
              if r.when in CLAUSE_CONDITIONS and rule_categories(r) & set(cats)]
        for cls, cats in CLASS_CATEGORIES.items()
    }  # fmt: skip


def true_labels(texts: list[str], labels: list[str]) -> tuple[list[str], bool]:
    """The rows' classes, renamed where the file is the pre-release one with permuted names
    (recognised by its choice-of-law clauses carrying another class's name)."""
    law = [label for t, label in zip(texts, labels, strict=True) if _LAW in t.lower()]
    permuted = law.count("Limitation of liability") > law.count("Choice of law")
    if not permuted:
        return labels, False
    return [PRE_RELEASE_NAMES.get(x, x) for x in labels], True


def _fires(rule: Rule, text: str, detected: set[str], cats: tuple[str, ...]) -> bool:
    if not detected & rule_categories(rule) & set(cats):
        return False
    if rule.when == "text_matches":
        return bool(rule.pattern and rule.pattern.search(text))
    if rule.when == "text_lacks":
        return not (rule.pattern and rule.pattern.search(text))
    return True


def run_unfair_tos(folder: Path, model: ClauseModel, playbook: Playbook) -> dict[str, Any]:
    """Per class: rows, the rules that cover it, recall, false flags on Other rows,
    precision and balanced accuracy (class against the rest); coverage of unfair rows."""
    rows = read_rows(folder / TASK / "test.tsv")
    texts = [r["text"] for r in rows]
    names, remapped = true_labels(texts, [(r.get("label") or r.get("answer") or "").strip()
                                          for r in rows])  # fmt: skip
    labels = np.array(names)
    scorer = IsolatedScorer(model)
    probs = scorer.ngram(texts).astype(np.float64)
    detected: list[set[str]] = [set() for _ in texts]
    wanted = {c for cats in CLASS_CATEGORIES.values() for c in cats}
    for category in sorted(wanted):
        j = model.categories.index(category)
        column = scorer.context(probs[:, j], j) if scorer.context_applies(j) else probs[:, j]
        for i in np.flatnonzero(column >= float(model.thresholds[j])):
            detected[i].add(category)
    per_class: dict[str, Any] = {}
    other = labels == OTHER
    covered_rows = 0
    for cls, rules in class_rules(playbook).items():
        mine = labels == cls
        entry: dict[str, Any] = {"rows": int(mine.sum()), "rules": [r.id for r in rules]}
        if rules:
            cats = CLASS_CATEGORIES[cls]
            flag = np.array([any(_fires(r, t, d, cats) for r in rules)
                             for t, d in zip(texts, detected, strict=True)])  # fmt: skip
            covered_rows += int(mine.sum())
            entry.update(
                recall=_r(flag[mine].mean() if mine.any() else None),
                other_flagged=_r(flag[other].mean() if other.any() else None),
                precision=_r(flag[mine].sum() / flag.sum() if flag.any() else None),
                balanced_accuracy=_r(balanced_accuracy(mine, flag)),
            )
        per_class[cls] = entry
    unfair = int((~other).sum())
    return {
        "rows": len(texts),
        "unfair_rows": unfair,
        "classes": per_class,
        "labels_renamed": remapped,
        "classes_covered": sum(1 for v in per_class.values() if v["rules"]),
        "classes_total": len(per_class),
        "unfair_rows_covered": round(covered_rows / unfair, 4) if unfair else None,
        "playbook": f"{playbook.name} {playbook.version}",
    }


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)
