"""Document decisions from the n-gram and encoder scores, compared 2-fold by contract.

The encoder ranks candidates better than the n-gram model, but the blend's document
thresholds fitted on a few dozen contracts decide no better (docs/models.md). This module
measures, on contracts neither model saw, split in two halves by contract, the document
macro-F1 of several ways to decide (``VARIANTS``), each fitted on one half and scored on
the other, both ways. A category is found in a contract when its best candidate's score
reaches the category's threshold (the rule ``document_thresholds`` optimises).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from westfall_legal.analysis.stacked import logit
from westfall_legal.categories import CATEGORIES, TOP_CATEGORIES
from westfall_legal.training.dataset import ContractRecord
from westfall_legal.training.encoder.stack import DEFAULT_FLOOR, _blended, best_share
from westfall_legal.training.metrics import PRF, recall_threshold
from westfall_legal.training.train_clauses import Params, document_thresholds

Scores = npt.NDArray[np.float32]
VARIANTS = (
    "ngram", "ngram_half", "ngram_offset",
    "blend_half", "blend_ngram_t", "blend_shrunk", "blend_offset",
)  # fmt: skip
OFFSETS: tuple[float, ...] = tuple(x / 4 for x in range(-8, 9))  # logit shifts tried, -2..2


def document_scores(scores: Sequence[Scores]) -> Scores:
    """(contracts, categories): each contract's best candidate score per category."""
    out: Scores = np.asarray(
        [p.max(axis=0) if len(p) else np.zeros(len(CATEGORIES)) for p in scores], np.float32
    )
    return out


def macro_prf(
    records: Sequence[ContractRecord], doc: Scores, thresholds: Scores
) -> dict[str, float]:
    """Document precision, recall and F1, macro over the categories present in ``records``
    (``thresholds`` may differ per contract: one row per contract)."""
    gold = np.asarray([[c in r.gold for c in CATEGORIES] for r in records], bool)
    found = doc >= thresholds
    figures: dict[str, list[float]] = {"precision": [], "recall": [], "f1": []}
    top: list[float] = []
    for j, category in enumerate(CATEGORIES):
        if not gold[:, j].any():
            continue
        tp = int((found[:, j] & gold[:, j]).sum())
        prf = PRF.from_counts(tp, int(found[:, j].sum()), tp, int(gold[:, j].sum()))
        for name in figures:
            figures[name].append(float(getattr(prf, name) or 0.0))
        if category in TOP_CATEGORIES:
            top.append(float(prf.recall or 0.0))
    out = {f"doc_{k}": float(np.mean(v)) if v else 0.0 for k, v in figures.items()}
    out["top_min_recall"] = min(top, default=0.0)
    return out


def recall_first(
    records: Sequence[ContractRecord], doc: Scores, thresholds: Scores, recall: float
) -> Scores:
    """``thresholds`` lowered, for the ten categories reviewers ask for most, until their
    document recall over ``records`` reaches ``recall`` (the n-gram model's own rule)."""
    out = thresholds.astype(np.float32).copy()
    for j, category in enumerate(CATEGORIES):
        labels = [category in r.gold for r in records]
        if category in TOP_CATEGORIES and any(labels):
            out[j] = min(out[j], recall_threshold(doc[:, j].tolist(), labels, recall))
    return out


def shrink(fitted: Scores, prior: Scores, share: float = 0.5) -> Scores:
    """Thresholds ``share`` of the way, in logit, from ``fitted`` toward ``prior``."""
    z = (1 - share) * logit(fitted) + share * logit(prior)
    out: Scores = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
    return out


def shifted(thresholds: Scores, offset: float) -> Scores:
    """``thresholds`` moved by ``offset`` in logit."""
    out: Scores = (1.0 / (1.0 + np.exp(-(logit(thresholds) + offset)))).astype(np.float32)
    return out


def best_offset(records: Sequence[ContractRecord], doc: Scores, prior: Scores) -> float:
    """The one logit shift of ``prior`` (shared by every category) with the best document
    macro-F1 on ``records``: one parameter fitted, not 41."""

    def f1(o: float) -> tuple[float, float]:  # ties: the smaller shift
        return macro_prf(records, doc, shifted(prior, o))["doc_f1"], -abs(o)

    return float(max(OFFSETS, key=f1))


def decisions_2fold(
    records: Sequence[ContractRecord],
    ngram: Sequence[Scores],
    encoder: Sequence[Scores],
    ngram_thresholds: Scores,
    *,
    floor: float = DEFAULT_FLOOR,
    params: Params | None = None,
) -> dict[str, dict[str, float]]:
    """Each variant's document figures over ``records``, 2-fold by contract (alternate
    contracts), the blend's share chosen on the fitting half by candidate macro AP."""
    params = params or Params()
    n = len(records)
    halves = [list(range(0, n, 2)), list(range(1, n, 2))]
    rows: dict[str, Scores] = {v: np.zeros((n, len(CATEGORIES)), np.float32) for v in VARIANTS}
    docs: dict[str, Scores] = {}
    shares: list[float] = []
    offsets: list[float] = []
    for fit, score in ((0, 1), (1, 0)):
        fit_r = [records[i] for i in halves[fit]]
        share = best_share(records, ngram, encoder, halves[fit], floor=floor)
        shares.append(share)
        blend = [_blended(ngram[i], encoder[i], share, floor) for i in range(n)]
        t_ngram_half = document_thresholds(fit_r, [ngram[i] for i in halves[fit]], params)
        t_blend_half = document_thresholds(fit_r, [blend[i] for i in halves[fit]], params)
        fit_doc = document_scores([blend[i] for i in halves[fit]])
        offset = best_offset(fit_r, fit_doc, ngram_thresholds)
        offsets.append(offset)
        ngram_doc = document_scores([ngram[i] for i in halves[fit]])
        ngram_shift = best_offset(fit_r, ngram_doc, ngram_thresholds)
        chosen: dict[str, Scores] = {
            "ngram": ngram_thresholds,
            "ngram_half": t_ngram_half,
            "ngram_offset": shifted(ngram_thresholds, ngram_shift),
            "blend_half": t_blend_half,
            "blend_ngram_t": ngram_thresholds,
            "blend_shrunk": shrink(t_blend_half, ngram_thresholds),
            "blend_offset": recall_first(
                fit_r, fit_doc, shifted(ngram_thresholds, offset), params.top_recall
            ),
        }
        for variant, t in chosen.items():
            rows[variant][halves[score]] = t
        for variant in VARIANTS:
            source = ngram if variant.startswith("ngram") else blend
            docs.setdefault(variant, np.zeros((n, len(CATEGORIES)), np.float32))
            docs[variant][halves[score]] = document_scores([source[i] for i in halves[score]])
    out = {v: macro_prf(records, docs[v], rows[v]) for v in VARIANTS}
    out["shares"] = {"half0": shares[0], "half1": shares[1]}
    out["offsets"] = {"half0": offsets[0], "half1": offsets[1]}
    return out
