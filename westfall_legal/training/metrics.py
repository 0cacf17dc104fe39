"""Pure metric code for clause-extraction evaluation (document, span and ranking metrics).

These are the product's stable metric definitions. Nothing here loads models or data: callers
feed gold spans and predicted clauses per document and category, and read figures back.

Tokens and span matching
    :mod:`westfall_legal.training.span_match` defines them (normalised tokens; when a
    prediction finds a gold span and when it is correct); its names are re-exported here.

Ranking metrics (per category, pooled over documents)
    Every prediction of the category in every document (each matched against its own document's
    gold spans) is ranked globally by confidence, descending. At each rank, recall is the number
    of *distinct* gold spans found by predictions at or above that rank over the number of gold
    spans, and precision is the number of correct predictions at or above the rank over the rank.
    Predictions with equal confidence form one point (the curve is taken after the whole tie
    group), so the result never depends on the order of ties.

    AUPR and precision at a recall level follow CUAD's ``evaluate.py`` (TheAtticusProject/cuad,
    ``evaluate.py``: ``get_precisions_recalls``, ``process_precisions``, ``get_aupr``,
    ``get_prec_at_recall``), applied to our ranked curve instead of CUAD's 0.99..0 confidence
    grid:

    * the curve starts with the point (recall 0, precision 1), as CUAD's
      ``precisions = [1]; recalls = [0]``;
    * precisions are interpolated (``process_precisions``): each is replaced by the maximum
      precision at that point or any later (higher-recall) point;
    * AUPR is the trapezoid area under the interpolated curve over recall (CUAD calls
      ``sklearn.metrics.auc``); it is 0.0 when there are no predictions;
    * precision at recall ``r`` (``get_prec_at_recall``) is the interpolated precision of the
      first point whose recall is ``>= r``, which is the maximum interpolated precision among
      points with recall ``>= r``; 0.0 when recall ``r`` is never reached.

    With no gold span in a category, recall (hence AUPR and precision at recall) is undefined and
    returned as ``None``; CUAD evaluates pooled over all categories and never meets the case.

Precision/recall/F1 at a threshold (:class:`PRF`, document level and span level)
    * precision = hits / predicted positives; when nothing is predicted it is 0.0 if gold
      positives exist, else undefined (``None``);
    * recall = found / gold positives; undefined (``None``) when there are no gold positives;
    * F1 is the harmonic mean (0.0 when both are 0); with no gold positives it is 0.0 if anything
      was predicted (every prediction is a false positive) and ``None`` otherwise.

    Undefined values are left out of :func:`macro_average`, which also skips every category with
    zero support.

Document level
    For each contract and category, gold says "present" when the contract has at least one gold
    span of the category; the prediction says "present" when any predicted clause of the
    category has confidence ``>=`` the category's threshold. :func:`best_threshold` picks the
    threshold that maximises F1 on (score, label) pairs, e.g. inside cross-validation folds.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from westfall_legal.analysis.clauses import clause_runs
from westfall_legal.training.span_match import (
    PredMatch,
    SpanMatch,
    TokenIndex,
    check_conf,
    match_spans,
    match_spans_offsets,
    normalise_tokens,
)

if TYPE_CHECKING:
    from westfall_legal.training.dataset import ContractRecord

__all__ = [
    "PRF",
    "RANK_FLOOR",
    "CategoryAccumulator",
    "PRCurve",
    "PredMatch",
    "SpanMatch",
    "TokenIndex",
    "accumulate",
    "best_threshold",
    "interpolate_precisions",
    "macro_average",
    "match_spans",
    "match_spans_offsets",
    "normalise_tokens",
    "pr_curve",
    "prf_at_threshold",
]


def interpolate_precisions(precisions: Sequence[float]) -> list[float]:
    """Each precision replaced by the max at it or any later point (CUAD process_precisions)."""
    out = list(precisions)
    for i in range(len(out) - 2, -1, -1):
        out[i] = max(out[i], out[i + 1])
    return out


@dataclass(frozen=True, slots=True)
class PRCurve:
    """A ranked precision/recall curve: one point per distinct confidence, descending.

    The points exclude CUAD's (recall 0, precision 1) anchor, which :meth:`aupr` and
    :meth:`precision_at_recall` add. ``recalls`` are all 0.0 when ``n_gold`` is 0.
    """

    confidences: tuple[float, ...]
    precisions: tuple[float, ...]
    recalls: tuple[float, ...]
    n_gold: int

    def _anchored(self) -> tuple[list[float], list[float]]:
        recalls = [0.0, *self.recalls]
        return recalls, interpolate_precisions([1.0, *self.precisions])

    def aupr(self) -> float | None:
        """Trapezoid area under the interpolated curve (CUAD get_aupr); None without gold."""
        if self.n_gold == 0:
            return None
        recalls, precs = self._anchored()
        return math.fsum(
            (recalls[i + 1] - recalls[i]) * (precs[i] + precs[i + 1]) / 2
            for i in range(len(recalls) - 1)
        )

    def precision_at_recall(self, recall: float) -> float | None:
        """Interpolated precision at the first point with recall >= ``recall`` (0.0 if none)."""
        if self.n_gold == 0:
            return None
        recalls, precs = self._anchored()
        return next((p for p, r in zip(precs, recalls, strict=True) if r >= recall), 0.0)


def pr_curve(preds: Iterable[tuple[float, bool, Iterable[Hashable]]], n_gold: int) -> PRCurve:
    """The ranked curve of ``(confidence, correct, keys of the gold spans found)`` predictions.

    Keys must identify gold spans across the pool (e.g. ``(document, gold index)``); recall
    counts distinct keys over ``n_gold``.
    """
    ranked = sorted(((check_conf(c), ok, keys) for c, ok, keys in preds), key=lambda x: -x[0])
    seen: set[Hashable] = set()
    confs: list[float] = []
    precs: list[float] = []
    recs: list[float] = []
    n_correct = 0
    for rank, (conf, ok, keys) in enumerate(ranked, start=1):
        n_correct += ok
        seen.update(keys)
        if rank < len(ranked) and ranked[rank][0] == conf:
            continue  # a tie group ends at its last member
        confs.append(conf)
        precs.append(n_correct / rank)
        recs.append(len(seen) / n_gold if n_gold else 0.0)
    if n_gold and len(seen) > n_gold:
        raise ValueError(f"{len(seen)} distinct gold spans found but n_gold is {n_gold}")
    return PRCurve(tuple(confs), tuple(precs), tuple(recs), n_gold)


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1 with the module's 0/0 conventions (None means undefined)."""

    precision: float | None
    recall: float | None
    f1: float | None
    n_pred: int  # predicted positives
    n_gold: int  # gold positives (the support)

    @classmethod
    def from_counts(cls, pred_hits: int, n_pred: int, gold_hits: int, n_gold: int) -> PRF:
        """From correct predictions of ``n_pred`` and found gold positives of ``n_gold``."""
        if n_pred:
            precision: float | None = pred_hits / n_pred
        else:
            precision = 0.0 if n_gold else None
        recall = gold_hits / n_gold if n_gold else None
        f1: float | None
        if precision is None or recall is None:
            f1 = 0.0 if n_pred else None
        elif precision + recall == 0:
            f1 = 0.0
        else:
            f1 = 2 * precision * recall / (precision + recall)
        return cls(precision, recall, f1, n_pred, n_gold)


def prf_at_threshold(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> PRF:
    """PRF when every item with ``score >= threshold`` is positive (a -inf score never is)."""
    if len(scores) != len(labels):
        raise ValueError("scores and labels differ in length")
    pos = [s >= threshold and s != -math.inf for s in scores]
    tp = sum(1 for p, y in zip(pos, labels, strict=True) if p and y)
    n_pred = sum(pos)
    n_gold = sum(1 for y in labels if y)
    return PRF.from_counts(tp, n_pred, tp, n_gold)


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """The threshold (``score >= t`` is positive) that maximises F1 over ``scores``/``labels``.

    Candidates are the distinct finite scores (a ``-inf`` score, e.g. a document with no
    prediction, is never positive); among thresholds of equal F1 the highest wins. When no
    threshold gives F1 > 0 (no positive labels, or none with a finite score) the result is just
    above the highest score, so that nothing is predicted positive.
    """
    if len(scores) != len(labels):
        raise ValueError("scores and labels differ in length")
    pairs = [(check_conf(s), bool(y)) for s, y in zip(scores, labels, strict=True)]
    finite = [p for p in pairs if math.isfinite(p[0])]
    if not finite:
        raise ValueError("no finite score to choose a threshold from")
    n_gold = sum(1 for _, y in pairs if y)
    finite.sort(key=lambda p: -p[0])
    best_t = math.nextafter(finite[0][0], math.inf)
    best_num, best_den = 0, 1  # F1 = 2tp / (2tp + fp + fn), compared exactly
    tp = fp = 0
    for i, (s, y) in enumerate(finite):
        tp += y
        fp += not y
        if i + 1 < len(finite) and finite[i + 1][0] == s:
            continue
        num, den = 2 * tp, 2 * tp + fp + (n_gold - tp)
        if num * best_den > best_num * den:
            best_t, best_num, best_den = s, num, den
    return best_t


def recall_threshold(scores: Sequence[float], labels: Sequence[bool], recall: float) -> float:
    """The highest threshold (``score >= t`` is positive) whose recall reaches ``recall``."""
    positives = sorted(
        (check_conf(s) for s, y in zip(scores, labels, strict=True) if y), reverse=True
    )
    if not positives:
        raise ValueError("no positive label to reach a recall on")
    needed = math.ceil(recall * len(positives) - 1e-9)
    return positives[max(needed, 1) - 1]


def macro_average(values: Mapping[str, float | None], support: Mapping[str, int]) -> float | None:
    """Mean of ``values`` over categories with ``support > 0`` and a defined (non-None) value.

    A category missing from ``support`` counts as zero support. None when none qualifies.
    """
    kept = [v for k, v in values.items() if support.get(k, 0) > 0 and v is not None]
    return math.fsum(kept) / len(kept) if kept else None


class CategoryAccumulator:
    """Pools one category's matches over documents for ranking, span and document metrics."""

    def __init__(self, category: str = "") -> None:
        self.category = category
        self._docs: list[SpanMatch] = []

    def add(self, gold: Sequence[str], preds: Sequence[tuple[str, float]]) -> SpanMatch:
        """Add one document by texts (:func:`match_spans`); returns its match."""
        match = match_spans(gold, preds)
        self.add_match(match)
        return match

    def add_offsets(
        self,
        text: str | TokenIndex,
        gold: Sequence[tuple[int, int]],
        preds: Sequence[tuple[int, int, float]],
    ) -> SpanMatch:
        """Add one document by offsets into one text (:func:`match_spans_offsets`)."""
        match = match_spans_offsets(text, gold, preds)
        self.add_match(match)
        return match

    def add_match(self, match: SpanMatch) -> None:
        """Add one document's already computed match."""
        self._docs.append(match)

    @property
    def n_docs(self) -> int:
        return len(self._docs)

    @property
    def n_gold(self) -> int:
        """Gold spans over all documents (the span-level support)."""
        return sum(d.n_gold for d in self._docs)

    @property
    def n_gold_docs(self) -> int:
        """Documents with at least one gold span (the document-level support)."""
        return sum(1 for d in self._docs if d.n_gold)

    def _pooled(self) -> list[tuple[float, bool, list[tuple[int, int]]]]:
        return [
            (p.confidence, p.correct, [(doc, g) for g in p.found])
            for doc, d in enumerate(self._docs)
            for p in d.preds
        ]

    def curve(self) -> PRCurve:
        """The ranked curve over every prediction of every document."""
        return pr_curve(self._pooled(), self.n_gold)

    def aupr(self) -> float | None:
        """CUAD-style AUPR; None when the category has no gold span."""
        return self.curve().aupr()

    def precision_at_recall(self, recall: float) -> float | None:
        """CUAD-style precision at ``recall`` (e.g. 0.8, 0.9); None without gold spans."""
        return self.curve().precision_at_recall(recall)

    def span_prf(self, threshold: float) -> PRF:
        """Span-level PRF of the predictions with confidence >= ``threshold``."""
        kept = [p for p in self._pooled() if p[0] >= threshold]
        found = {key for _, _, keys in kept for key in keys}
        return PRF.from_counts(sum(1 for p in kept if p[1]), len(kept), len(found), self.n_gold)

    def doc_scores(self) -> tuple[list[float], list[bool]]:
        """Per document: the highest prediction confidence (-inf if none) and gold presence."""
        scores = [max((p.confidence for p in d.preds), default=-math.inf) for d in self._docs]
        return scores, [d.n_gold > 0 for d in self._docs]

    def doc_prf(self, threshold: float) -> PRF:
        """Document-level PRF: present when any prediction has confidence >= ``threshold``."""
        scores, labels = self.doc_scores()
        return prf_at_threshold(scores, labels, threshold)


def calibration(
    preds: Iterable[tuple[float, bool]], bins: int = 10
) -> tuple[float | None, list[dict[str, float]]]:
    """Expected calibration error and the reliability table of (confidence, correct) pairs.

    Confidences fall in ``bins`` equal-width bins over [0, 1]; ECE is the mean, weighted by
    bin size, of |mean confidence - fraction correct|. ``None`` when there is nothing to rate.
    """
    counts = [0] * bins
    conf_sum = [0.0] * bins
    right = [0] * bins
    for conf, ok in preds:
        b = min(bins - 1, max(0, int(conf * bins)))
        counts[b] += 1
        conf_sum[b] += conf
        right[b] += ok
    total = sum(counts)
    if total == 0:
        return None, []
    table = []
    ece = 0.0
    for b in range(bins):
        if counts[b]:
            mean_conf = conf_sum[b] / counts[b]
            accuracy = right[b] / counts[b]
            ece += counts[b] / total * abs(mean_conf - accuracy)
            table.append(
                {"bin": b / bins, "count": counts[b], "confidence": mean_conf, "accuracy": accuracy}
            )
    return ece, table


RANK_FLOOR = 0.001  # candidates scored below this are not ranked (``evaluate``'s floor)


def accumulate(
    accs: Mapping[int, CategoryAccumulator],
    record: ContractRecord,
    probs: Any,
    thresholds: Sequence[float] | None = None,
) -> None:
    """Add one read contract's candidates, ranked by ``probs[:, j]``, to the accumulator of
    each category column ``j`` in ``accs``, against the contract's gold spans of it. With the
    model's ``thresholds``, adjacent candidates over a category's threshold are merged into
    one clause as the app shows them (:func:`~westfall_legal.analysis.clauses.clause_runs`)."""
    index = TokenIndex(record.text)
    segments = record.segments
    words = [len(record.text[s:e].split()) for s, e, _ in segments]
    for j, acc in accs.items():
        threshold = 2.0 if thresholds is None else thresholds[j]  # 2.0: never merge
        runs = clause_runs(probs[:, j], threshold, min(RANK_FLOOR, threshold), words)
        preds = [(segments[a][0], segments[b][1], conf) for a, b, conf in runs]
        acc.add_offsets(index, record.gold.get(acc.category, []), preds)
