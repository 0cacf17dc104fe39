"""Two clause models side by side on the same held-out contracts, and the activation gate.

Per evaluation set (CUAD's fixed validation split; the feedback documents held out from
training) and per category: document-level F1 of each model at its own thresholds, the
delta with a 95% paired-bootstrap interval over documents, and span AUPR; then macro
averages as ``evaluate`` computes them (categories with gold spans in the set).

The gate (:func:`gate`) says whether the candidate may be switched on without ``--force``:
- on CUAD validation, macro document F1 and macro span AUPR drop by at most
  :data:`MACRO_TOLERANCE`, and no guarded category (``categories.TOP_CATEGORIES``) loses more
  than :data:`GUARDED_TOLERANCE` document F1;
- on the user's own held-out documents, macro document F1 does not drop (and there must be
  such documents: a model is not proven on the firm's work without them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from westfall_legal.analysis.clause_model import ClauseModel
from westfall_legal.categories import TOP_CATEGORIES
from westfall_legal.training.dataset import ContractRecord
from westfall_legal.training.metrics import macro_average
from westfall_legal.training.train_clauses import score_records

MACRO_TOLERANCE = 0.01
GUARDED_TOLERANCE = 0.05
BOOTSTRAP = 1000
SEED = 0
FEEDBACK_SET = "feedback_held_out"
CUAD_SET = "cuad_validation"


def _scores(model: ClauseModel, records: Sequence[ContractRecord]) -> dict[str, Any]:
    """Per category: AUPR, support, and per document (best score >= threshold, has gold)."""
    accs, type_accuracy = score_records(model, records)
    thresholds = dict(zip(model.categories, model.thresholds.tolist(), strict=True))
    out: dict[str, Any] = {}
    for category, acc in accs.items():
        scores, gold = acc.doc_scores()
        out[category] = {
            "aupr": acc.aupr(),
            "support": acc.n_gold,
            "pred": np.asarray([s >= thresholds[category] for s in scores], bool),
            "gold": np.asarray(gold, bool),
        }
    out["_type_accuracy"] = type_accuracy
    return out


def _f1(pred: npt.NDArray[np.bool_], gold: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """F1 along the last axis; NaN where nothing is predicted or gold."""
    tp = (pred & gold).sum(-1)
    wrong = (pred ^ gold).sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tp + wrong > 0, 2 * tp / (2 * tp + wrong), np.nan)


def _interval(
    a: npt.NDArray[np.bool_], b: npt.NDArray[np.bool_], gold: npt.NDArray[np.bool_]
) -> tuple[float, float] | None:
    """95% paired-bootstrap interval of F1(b) - F1(a) over documents."""
    n = len(gold)
    if n < 2:
        return None
    idx = np.random.default_rng(SEED).integers(0, n, size=(BOOTSTRAP, n))
    deltas = _f1(b[idx], gold[idx]) - _f1(a[idx], gold[idx])
    deltas = deltas[~np.isnan(deltas)]
    if len(deltas) < BOOTSTRAP // 2:
        return None
    low, high = np.percentile(deltas, [2.5, 97.5])
    return round(float(low), 4), round(float(high), 4)


def _value(x: float | None) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 4)


def compare_set(
    active: ClauseModel, candidate: ClauseModel, records: Sequence[ContractRecord]
) -> dict[str, Any]:
    """Both models on one set of contracts: per category and macro."""
    if not records:
        return {"documents": 0}
    a, b = _scores(active, records), _scores(candidate, records)
    per: dict[str, Any] = {}
    for category in candidate.categories:
        sa, sb = a.get(category), b[category]
        gold = sb["gold"]
        fa = _value(float(_f1(sa["pred"], gold))) if sa else None
        fb = _value(float(_f1(sb["pred"], gold)))
        per[category] = {
            "support": sb["support"],
            "doc_support": int(gold.sum()),
            "doc_f1": {"active": fa, "candidate": fb},
            "doc_f1_delta": None if fa is None or fb is None else round(fb - fa, 4),
            "doc_f1_delta_ci95": _interval(sa["pred"], sb["pred"], gold) if sa else None,
            "span_aupr": {"active": sa["aupr"] if sa else None, "candidate": sb["aupr"]},
        }
    support = {c: v["support"] for c, v in per.items()}
    macro = {}
    for key in ("doc_f1", "span_aupr"):
        pair = {
            who: macro_average({c: v[key][who] for c, v in per.items()}, support)
            for who in ("active", "candidate")
        }
        delta = None
        if pair["active"] is not None and pair["candidate"] is not None:
            delta = round(pair["candidate"] - pair["active"], 4)
        macro[key] = {**{k: _value(v) for k, v in pair.items()}, "delta": delta}
    macro["contract_type_accuracy"] = {
        "active": _value(a["_type_accuracy"]),
        "candidate": _value(b["_type_accuracy"]),
    }
    return {"documents": len(records), "macro": macro, "per_category": per}


def gate(sets: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Whether the candidate may be activated without --force, and why not."""
    reasons: list[str] = []
    cuad = sets.get(CUAD_SET, {})
    if cuad.get("documents"):
        for key in ("doc_f1", "span_aupr"):
            delta = cuad["macro"][key]["delta"]
            if delta is not None and delta < -MACRO_TOLERANCE:
                reasons.append(f"CUAD validation: macro {key} {delta:+.3f}")
        for category in TOP_CATEGORIES:
            row = cuad["per_category"].get(category, {})
            delta = row.get("doc_f1_delta")
            if delta is not None and delta < -GUARDED_TOLERANCE:
                reasons.append(f"CUAD validation: guarded category {category} doc F1 {delta:+.3f}")
    else:
        reasons.append("no CUAD validation contracts were evaluated")
    own = sets.get(FEEDBACK_SET, {})
    if not own.get("documents"):
        reasons.append("no held-out documents of your own: not proven on your work")
    else:
        delta = own["macro"]["doc_f1"]["delta"]
        if delta is None:
            reasons.append("held-out feedback documents have no gold clauses to compare on")
        elif delta < 0:
            reasons.append(f"your held-out documents: macro doc_f1 {delta:+.3f}")
    return {"passed": not reasons, "reasons": reasons}


def _cell(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def comparison_markdown(report: dict[str, Any]) -> str:
    """The comparison as a short Markdown report (``COMPARISON.md``, and the CLI)."""
    lines = [
        f"# {report['candidate']} against {report['active']}",
        "",
        f"Gate: {'PASSED' if report['gate']['passed'] else 'NOT PASSED'}",
        *[f"- {r}" for r in report["gate"]["reasons"]],
        "",
    ]
    for name, data in report["sets"].items():
        lines.append(f"## {name} ({data.get('documents', 0)} documents)")
        if not data.get("documents"):
            lines += ["", "(none)", ""]
            continue
        macro = data["macro"]
        lines += [
            "",
            "| | active | candidate | delta |",
            "|---|---|---|---|",
            *[
                f"| macro {k} | {_cell(v['active'])} | {_cell(v['candidate'])} | "
                f"{_cell(v.get('delta'))} |"
                for k, v in macro.items()
            ],
            "",
            "| category | docs | doc F1 active | doc F1 candidate | delta | 95% CI |",
            "|---|---|---|---|---|---|",
        ]
        for category, row in data["per_category"].items():
            if not row["doc_support"] and row["doc_f1"]["candidate"] is None:
                continue
            ci = row["doc_f1_delta_ci95"]
            lines.append(
                f"| {category} | {row['doc_support']} | {_cell(row['doc_f1']['active'])} | "
                f"{_cell(row['doc_f1']['candidate'])} | {_cell(row['doc_f1_delta'])} | "
                f"{'-' if ci is None else f'{ci[0]:+.3f} .. {ci[1]:+.3f}'} |"
            )
        lines.append("")
    return "\n".join(lines)
