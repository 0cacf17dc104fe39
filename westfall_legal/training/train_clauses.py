"""Train the clause and contract-type model from CUAD: ``westfall train-clauses --cuad DIR``.

Steps: read every development contract from its PDF through the app's pipeline and label
its candidate clauses (:mod:`westfall_legal.training.dataset`); score every training
contract out of fold (k-fold over the training contracts, never the validation split) with
one logistic regression per category over TF-IDF features; fit the context re-scoring on
those scores (:mod:`westfall_legal.training.context_fit`) and choose each category's
document threshold on the re-scored ones; fit the classifier and a multinomial
contract-type model on all training contracts; evaluate on the fixed validation split;
save the model with its model card.

scikit-learn and scipy are training dependencies only (the ``train`` extra).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from westfall_legal.analysis.clause_model import ClauseModel, type_counts
from westfall_legal.analysis.features import Vectoriser, build_vocabulary, candidate_counts
from westfall_legal.analysis.stacked import StackedClauseModel
from westfall_legal.categories import CATEGORIES, TOP_CATEGORIES
from westfall_legal.errors import KnownError
from westfall_legal.training.context_fit import fit_context
from westfall_legal.training.dataset import ContractRecord
from westfall_legal.training.deps import sklearn_modules
from westfall_legal.training.metrics import (
    CategoryAccumulator,
    accumulate,
    best_threshold,
    macro_average,
    recall_threshold,
)
from westfall_legal.training.model_card import write_model_card

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Params:
    min_df: int = 3
    max_features: int = 60_000
    c: float = 8.0
    learner: str = "sgd"  # "sgd" (fast, log loss) or "liblinear" (exact logistic regression)
    alpha: float = 1e-6
    epochs: int = 12
    type_max_features: int = 30_000
    type_c: float = 1000.0
    folds: int = 5
    seed: int = 0
    top_recall: float = 0.95  # out-of-fold document recall the top ten categories' thresholds keep
    context: bool = True  # fit the context re-scoring (analysis/context.py)


def min_training(params: Params) -> int:
    """Training contracts the fit needs: one per fold, and ``min_df`` for the vocabularies."""
    return max(params.folds, params.min_df)


def check_trainable(types: Sequence[str], params: Params, *, source: Path, hint: str) -> None:
    """Refuse, with a clear error naming ``source``, a training set the fit cannot use:
    ``types`` are the contract types of its contracts (outside the validation split)."""
    if params.folds < 2:
        raise KnownError(f"--folds {params.folds}: the thresholds need 2 folds or more.",
                         hint="Leave --folds out (5) or give 2 or more.")  # fmt: skip
    need = min_training(params)
    if len(types) < need:
        raise KnownError(
            f"{source}: {len(types)} training contracts outside the validation split; "
            f"training needs at least {need}.",
            hint=hint,
        )
    if len(set(types)) < 2:
        raise KnownError(
            f"{source}: every training contract has the contract type {types[0]!r}; "
            "the contract-type model needs at least two types.",
            hint=hint,
        )


def _segment_counts(records: Sequence[ContractRecord]) -> list[Any]:
    out = []
    for r in records:
        texts = [r.text[s:e] for s, e, _ in r.segments]
        out += candidate_counts(texts, [h for *_, h in r.segments])
    return out


def label_matrix(records: Sequence[ContractRecord]) -> npt.NDArray[np.bool_]:
    """(candidates of all ``records`` in order, categories): the gold labels as booleans."""
    rows = [labels for r in records for labels in r.labels]
    y = np.zeros((len(rows), len(CATEGORIES)), dtype=bool)
    index = {c: i for i, c in enumerate(CATEGORIES)}
    for i, labels in enumerate(rows):
        for c in labels:
            y[i, index[c]] = True
    return y


def _csr(vec: Vectoriser, counts: Sequence[Any]) -> Any:
    _, sparse = sklearn_modules()
    indptr, indices, data = vec.rows(counts)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(counts), vec.size))


def fit_clause_weights(
    x: Any, y: npt.NDArray[np.bool_], params: Params
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    linear, _ = sklearn_modules()
    n_features, n_cat = x.shape[1], y.shape[1]
    w = np.zeros((n_features, n_cat), np.float32)
    b = np.full(n_cat, -10.0, np.float32)
    for j in range(n_cat):
        if y[:, j].sum() == 0:
            continue
        if params.learner == "sgd":
            clf = linear.SGDClassifier(
                loss="log_loss",
                alpha=params.alpha,
                max_iter=params.epochs,
                tol=None,
                random_state=params.seed,
            )
        else:
            clf = linear.LogisticRegression(C=params.c, solver="liblinear", max_iter=200)
        clf.fit(x, y[:, j])
        w[:, j] = clf.coef_[0]
        b[j] = clf.intercept_[0]
    return w, b


def fit_type(
    records: Sequence[ContractRecord], params: Params
) -> tuple[Vectoriser, npt.NDArray[np.float32], npt.NDArray[np.float32], list[str]]:
    linear, _ = sklearn_modules()
    counts = [type_counts(r.text) for r in records]
    vocab, idf = build_vocabulary(counts, params.min_df, params.type_max_features)
    vec = Vectoriser(vocab, idf)
    labels = sorted({r.contract_type for r in records})
    y = np.asarray([labels.index(r.contract_type) for r in records])
    clf = linear.LogisticRegression(C=params.type_c, max_iter=2000)
    clf.fit(_csr(vec, counts), y)
    w = np.asarray(clf.coef_.T, np.float32)
    b = np.asarray(clf.intercept_, np.float32)
    if len(labels) == 2:  # one logit for the second class: softmax([0, z]) is sigmoid(z)
        w = np.hstack([np.zeros_like(w), w])
        b = np.concatenate([np.zeros_like(b), b])
    return vec, w, b, labels


def fit_model(
    records: Sequence[ContractRecord],
    params: Params,
    thresholds: npt.NDArray[np.float32] | None = None,
    *,
    with_type: bool = True,
) -> ClauseModel:
    counts = _segment_counts(records)
    vocab, idf = build_vocabulary(counts, params.min_df, params.max_features)
    vec = Vectoriser(vocab, idf)
    w, b = fit_clause_weights(_csr(vec, counts), label_matrix(records), params)
    if with_type:
        type_vec, type_w, type_b, type_labels = fit_type(records, params)
    else:
        type_vec, type_w, type_b, type_labels = (
            Vectoriser({}, np.zeros(0, np.float32)),
            (np.zeros((0, 1), np.float32)),
            np.zeros(1, np.float32),
            ["?"],
        )
    return ClauseModel(
        categories=list(CATEGORIES),
        clause_vec=vec,
        clause_w=w,
        clause_b=b,
        thresholds=thresholds if thresholds is not None else np.full(len(CATEGORIES), 0.5),
        type_labels=type_labels,
        type_vec=type_vec,
        type_w=type_w,
        type_b=type_b,
    )


def record_probabilities(
    model: ClauseModel | StackedClauseModel, record: ContractRecord
) -> npt.NDArray[np.float32]:
    texts = [record.text[s:e] for s, e, _ in record.segments]
    headings = [h for _, _, h in record.segments]
    return model.clause_probabilities(texts, headings)


def out_of_fold(
    records: Sequence[ContractRecord],
    params: Params,
    progress: Callable[[str], None] = lambda _msg: None,
) -> list[npt.NDArray[np.float32]]:
    """Each record's candidate probabilities from a model fitted on the other folds."""
    order = np.random.default_rng(params.seed).permutation(len(records))
    folds = [order[k :: params.folds] for k in range(params.folds)]
    probs: list[npt.NDArray[np.float32]] = [np.zeros((0, 0), np.float32)] * len(records)
    for k, held in enumerate(folds):
        held_set = set(held.tolist())
        train = [r for i, r in enumerate(records) if i not in held_set]
        model = fit_model(train, params, with_type=False)
        for i in held:
            probs[i] = record_probabilities(model, records[i])
        progress(f"fold {k + 1}/{params.folds}")
    return probs


def document_thresholds(
    records: Sequence[ContractRecord], probs: Sequence[npt.NDArray[np.float32]], params: Params
) -> npt.NDArray[np.float32]:
    """Per-category document thresholds on out-of-fold document scores (best candidate).

    F1-optimal, except for the ten categories reviewers ask for most, where the threshold is
    lowered until the out-of-fold recall reaches ``params.top_recall`` (recall first).
    """
    doc_scores = np.asarray(
        [p.max(axis=0) if len(p) else np.zeros(len(CATEGORIES)) for p in probs], np.float32
    )
    thresholds = np.zeros(len(CATEGORIES), np.float32)
    for j, category in enumerate(CATEGORIES):
        labels = [category in r.gold for r in records]
        if not any(labels):
            thresholds[j] = 1.0
            continue
        column = doc_scores[:, j].tolist()
        thresholds[j] = best_threshold(column, labels)
        if category in TOP_CATEGORIES:
            thresholds[j] = min(thresholds[j], recall_threshold(column, labels, params.top_recall))
    return thresholds


def fit_shipped(
    records: Sequence[ContractRecord],
    params: Params,
    progress: Callable[[str], None] = lambda _msg: None,
    *,
    fit_records: Sequence[ContractRecord] | None = None,
) -> ClauseModel:
    """The whole model: out-of-fold scores, the context re-scoring fitted on them, document
    thresholds on the re-scored out-of-fold scores, and the classifier fitted on
    ``fit_records`` (default ``records``; retraining repeats feedback documents there)."""
    done = timed("out-of-fold scores", progress)
    oof = out_of_fold(records, params, progress)
    done()
    context = None
    if params.context:
        done = timed("context re-scoring", progress)
        context, oof = fit_context(records, oof, folds=params.folds, seed=params.seed,
                                   progress=progress)  # fmt: skip
        done()
    thresholds = document_thresholds(records, oof, params)
    done = timed("final fit", progress)
    model = fit_model(fit_records if fit_records is not None else records, params, thresholds)
    model.context = context
    done()
    return model


def context_categories(model: ClauseModel) -> list[str]:
    """The categories whose scores the model re-scores in context (for its manifest)."""
    if model.context is None:
        return []
    return [c for c, on in zip(model.categories, model.context.active, strict=True) if on]


def timed(label: str, progress: Callable[[str], None]) -> Callable[[], None]:
    start = time.perf_counter()

    def done() -> None:
        progress(f"{label}: {time.perf_counter() - start:.0f} s")

    return done


def score_records(
    model: ClauseModel | StackedClauseModel, records: Sequence[ContractRecord]
) -> tuple[dict[str, CategoryAccumulator], float | None]:
    """Each category's clauses over already-read contracts, merged as the app shows them and
    matched against their gold spans; and the contract-type accuracy (None without records)."""
    thresholds = model.thresholds.tolist()
    columns = {j: CategoryAccumulator(c) for j, c in enumerate(model.categories)}
    for r in records:
        accumulate(columns, r, record_probabilities(model, r), thresholds)
    right = sum(model.contract_type(r.text).label == r.contract_type for r in records)
    return {a.category: a for a in columns.values()}, right / len(records) if records else None


def evaluate_records(
    model: ClauseModel | StackedClauseModel, records: Sequence[ContractRecord]
) -> dict[str, float]:
    """Quick validation figures on already-read contracts (same rules as ``evaluate``)."""
    return validation_figures(model, records)[0]


def validation_figures(
    model: ClauseModel | StackedClauseModel, records: Sequence[ContractRecord]
) -> tuple[dict[str, float], dict[str, dict[str, float | None]]]:
    """:func:`evaluate_records`'s macro figures, and each category's own."""
    accs, type_accuracy = score_records(model, records)
    support = {c: a.n_gold for c, a in accs.items()}
    thresholds = dict(zip(model.categories, model.thresholds.tolist(), strict=True))

    def macro(values: dict[str, float | None]) -> float:
        return float(macro_average(values, support) or 0.0)

    per_category: dict[str, dict[str, float | None]] = {}
    for c, a in accs.items():
        prf = a.doc_prf(thresholds[c])
        per_category[c] = {"doc_precision": prf.precision, "doc_recall": prf.recall,
                           "doc_f1": prf.f1, "span_aupr": a.aupr(),
                           "support": float(a.n_gold)}  # fmt: skip
    return {
        "span_aupr": macro({c: a.aupr() for c, a in accs.items()}),
        "span_p_at_80r": macro({c: a.precision_at_recall(0.8) for c, a in accs.items()}),
        "span_p_at_90r": macro({c: a.precision_at_recall(0.9) for c, a in accs.items()}),
        "doc_f1": macro({c: a.doc_prf(thresholds[c]).f1 for c, a in accs.items()}),
        "doc_precision": macro({c: a.doc_prf(thresholds[c]).precision for c, a in accs.items()}),
        "doc_recall": macro({c: a.doc_prf(thresholds[c]).recall for c, a in accs.items()}),
        "contract_type_accuracy": type_accuracy if type_accuracy is not None else 0.0,
    }, per_category


def train_and_save(
    cuad_dir: Path,
    out: Path,
    *,
    params: Params | None = None,
    cache: Path | None = None,
    progress: Callable[[str], None] = print,
) -> dict[str, float]:
    """Reproduce the shipped model from the CUAD folder; return its validation figures."""
    from westfall_legal.training.cuad import VALIDATION_SIZE, read_gold, validation_split
    from westfall_legal.training.dataset import build_records

    params = params or Params()
    labels = cuad_dir / "labels.dev.jsonl"
    contracts = read_gold(labels)
    _, val_names = validation_split(contracts)
    need = VALIDATION_SIZE + min_training(params)
    hint = (
        f"{VALIDATION_SIZE} contracts are held out for validation, so the folder needs {need} "
        "or more: point --cuad at the full CUAD v1 folder (510 contracts)."
    )
    val_set = set(val_names)
    check_trainable([c.contract_type for c in contracts if c.name not in val_set], params,
                    source=labels, hint=hint)  # fmt: skip
    done = timed("read contracts", progress)
    records = build_records(
        contracts,
        cache=cache,
        progress=lambda i, n: progress(f"read {i}/{n}") if i % 50 == 0 or i == n else None,
    )
    done()
    failed = [r.name for r in records if r.error]
    train = [r for r in records if r.name not in val_set and r.error is None]
    val = [r for r in records if r.name in val_set and r.error is None]
    check_trainable([r.contract_type for r in train], params, source=labels,
                    hint=f"{len(failed)} of them could not be read. {hint}")  # fmt: skip
    model = fit_shipped(train, params, progress)
    figures, per_category = validation_figures(model, val)
    progress("validation: " + ", ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    extra: dict[str, object] = {
        "kind": "clause-classifier",
        "categories": list(CATEGORIES),
        "training_data": "CUAD v1 (The Atticus Project, CC BY 4.0): "
        f"{len(train)} development contracts; validation split of {len(val)} held out",
        "licence": "Model: AGPL-3.0-or-later (Westfall Legal); trained on CUAD v1, CC BY 4.0",
        "params": params.__dict__,
        "validation": figures,
        "validation_per_category": per_category,
        "context_categories": context_categories(model),
        "failed_contracts": failed,
    }
    model.save(out, extra)
    (out / "validation_split.txt").write_text("\n".join(val_names) + "\n", "utf-8")
    write_model_card(out)
    progress(f"wrote {out}")
    return figures
