"""Where the model is weak: the evaluation's figures per group of contracts, with intervals.

Groups: contract type, source (born-digital, OCR'd: any page read by OCR), length band (words
of the text the app read) and year band (the filing year in CUAD's file name, else the first
year the contract's opening names). Per group and overall, each with a 95% bootstrap interval
from resampling the group's contracts (:data:`RESAMPLES` draws, fixed seed):

* document F1 pooled over every (contract, category) decision at the model's thresholds (a
  macro over categories would judge each group on the categories its contracts happen to
  contain, and drop the false alarms in the others);
* span AUPR, the macro over the categories with gold spans in the group (as the report's);
* key-fact accuracy pooled over the six facts with a gold answer.

A group is flagged when its interval lies wholly below the overall figure (its upper bound
is under it): below by more than its interval; the size is printed beside every flag.
Groups of fewer than :data:`MIN_FLAG` contracts are listed but not judged: resampling one or
two contracts gives an interval of (almost) no width.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from westfall_legal.feedback.bundle import CORRECTIONS, SPANS
from westfall_legal.feedback.verify import Bundle
from westfall_legal.training.metrics import SpanMatch

RESAMPLES = 200
MIN_FLAG = 5  # contracts a group needs before its interval can flag it
SEED = 0
CHUNK = 25  # resamples computed at once (bounds memory on large pools)
KINDS = ("contract_type", "source", "length", "year")
METRICS = ("doc_f1", "span_aupr", "fact_accuracy")
LENGTH_BANDS = ((3000, "under 3k words"), (10000, "3k-10k words"), (25000, "10k-25k words"))
YEAR_BANDS = ((1999, "1999 or before"), (2004, "2000-2004"), (2009, "2005-2009"),
              (2014, "2010-2014"))  # fmt: skip
_FILED = re.compile(r"_\d{1,2}_\d{1,2}_((?:19|20)\d{2})\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
Floats = npt.NDArray[np.float64]


def length_band(words: int) -> str:
    return next((label for top, label in LENGTH_BANDS if words < top), "25k words or more")


def year_of(name: str, opening: str) -> int | None:
    """The filing year of a CUAD file name (``X_03_21_2005-EX-10...``), else the first year
    named in the contract's opening text."""
    found = _FILED.search(name) or _YEAR.search(opening)
    return int(found.group(1)) if found else None


def year_band(year: int | None) -> str:
    if year is None:
        return "unknown"
    return next((label for top, label in YEAR_BANDS if year <= top), "2015 or later")


@dataclass(frozen=True)
class DocStats:
    """What one evaluated contract adds to its groups' figures."""

    groups: dict[str, str]  # kind -> label
    matches: dict[str, SpanMatch]  # category -> its matching
    facts_right: int
    facts_total: int


class Pool:
    """The contracts' figures in arrays, so a resample is a weight per contract."""

    def __init__(self, docs: Sequence[DocStats], categories: Sequence[str],
                 thresholds: dict[str, float]) -> None:  # fmt: skip
        self.n = len(docs)
        self.gold = np.array([[d.matches[c].n_gold > 0 for c in categories] for d in docs], bool)
        self.pred = np.array(
            [[max((p.confidence for p in d.matches[c].preds), default=-1.0)
              >= thresholds.get(c, 0.5) for c in categories] for d in docs], bool,
        ).reshape(self.n, len(categories))  # fmt: skip
        self.n_gold = np.array([[d.matches[c].n_gold for c in categories] for d in docs], float)
        self.n_gold = self.n_gold.reshape(self.n, len(categories))
        self.facts = np.array([[d.facts_right, d.facts_total] for d in docs], float).reshape(-1, 2)
        self.ranked = [self._ranked(docs, c) for c in categories]

    @staticmethod
    def _ranked(docs: Sequence[DocStats], category: str) -> tuple[Floats, ...]:
        """One category's predictions over all contracts, by confidence descending: their
        contract, whether correct, how many gold spans each finds first, and the tie ends."""
        rows = []
        for k, d in enumerate(docs):
            seen: set[int] = set()
            for p in sorted(d.matches[category].preds, key=lambda p: -p.confidence):
                new = len(p.found - seen)
                seen |= p.found
                rows.append((-p.confidence, k, float(p.correct), float(new)))
        rows.sort(key=lambda r: r[0])  # stable: within a contract the order above holds
        if not rows:
            return (np.zeros(0),) * 4
        arr = np.array(rows, float)
        conf = -arr[:, 0]
        ends = np.r_[conf[1:] != conf[:-1], True].astype(float)
        return arr[:, 1], arr[:, 2], arr[:, 3], ends

    def figures(self, weights: Floats) -> dict[str, Floats]:
        """(resamples,) doc F1, span AUPR and fact accuracy for (resamples, contracts) weights."""
        has = weights @ self.gold.astype(float)  # (B, C) contracts with gold, weighted
        tp = weights @ (self.gold & self.pred).astype(float)
        npred = weights @ self.pred.astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            f1 = 2 * tp.sum(1) / (has.sum(1) + npred.sum(1))  # pooled over categories
            aupr = np.column_stack([self._aupr(weights, j) for j in range(len(self.ranked))])
            facts = (weights @ self.facts[:, 0]) / (weights @ self.facts[:, 1])
        return {"doc_f1": f1, "span_aupr": _nanmean(aupr), "fact_accuracy": facts}

    def _aupr(self, weights: Floats, j: int) -> Floats:
        doc, correct, new, ends = self.ranked[j]
        n_gold = weights @ self.n_gold[:, j]
        if not len(doc):
            return np.where(n_gold > 0, 0.0, np.nan)
        w = weights[:, doc.astype(int)]
        keep = ends.astype(bool)
        count = np.cumsum(w, axis=1)[:, keep]
        precision = np.where(count > 0, np.cumsum(w * correct, axis=1)[:, keep] / count, 0.0)
        recall = np.cumsum(w * new, axis=1)[:, keep] / n_gold[:, None]
        recall = np.column_stack([np.zeros(len(weights)), recall])
        precision = np.column_stack([np.ones(len(weights)), precision])
        precision = np.flip(np.maximum.accumulate(np.flip(precision, 1), axis=1), 1)
        area = np.sum(np.diff(recall, axis=1) * (precision[:, 1:] + precision[:, :-1]) / 2, 1)
        return np.where(n_gold > 0, area, np.nan)


def _nanmean(x: Floats) -> Floats:
    ok = ~np.isnan(x)
    out: Floats = np.where(ok.any(1), np.nansum(x, 1) / np.maximum(ok.sum(1), 1), np.nan)
    return out


def _interval(pool: Pool, members: npt.NDArray[np.intp], rng: np.random.Generator,
              resamples: int) -> dict[str, dict[str, float | None]]:  # fmt: skip
    point = np.zeros((1, pool.n))
    point[0, members] = 1.0
    at = pool.figures(point)
    draws: dict[str, list[Floats]] = defaultdict(list)
    for start in range(0, resamples, CHUNK):
        b = min(CHUNK, resamples - start)
        w = np.zeros((b, pool.n))
        picks = rng.integers(0, len(members), size=(b, len(members)))
        for i in range(b):
            np.add.at(w[i], members[picks[i]], 1.0)
        for k, v in pool.figures(w).items():
            draws[k].append(v)
    out: dict[str, dict[str, float | None]] = {}
    for k in METRICS:
        values = np.concatenate(draws[k])
        values = values[~np.isnan(values)]
        lo, hi = np.percentile(values, [2.5, 97.5]) if len(values) else (np.nan, np.nan)
        out[k] = {"value": _r(at[k][0]), "low": _r(lo), "high": _r(hi)}
    return out


def _r(x: float) -> float | None:
    return None if np.isnan(x) else round(float(x), 4)


def group_table(
    docs: Sequence[DocStats],
    categories: Sequence[str],
    thresholds: dict[str, float],
    *,
    resamples: int = RESAMPLES,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """The per-group table: overall, then per kind and group, with warnings."""
    interval = "95% percentile bootstrap over contracts"
    if not docs:  # every contract failed to read: nothing to group
        return {"overall": None, "groups": {}, "warnings": [], "resamples": resamples,
                "interval": interval, "min_flag_size": MIN_FLAG}  # fmt: skip
    pool = Pool(docs, categories, thresholds)
    rng = np.random.default_rng(SEED)
    overall = _interval(pool, np.arange(pool.n), rng, resamples)
    groups: dict[str, list[dict[str, Any]]] = {}
    for kind in KINDS:
        labels = Counter(d.groups.get(kind, "unknown") for d in docs)
        rows = []
        for label, size in sorted(labels.items(), key=lambda kv: (-kv[1], kv[0])):
            members = np.array([i for i, d in enumerate(docs)
                                if d.groups.get(kind, "unknown") == label], np.intp)  # fmt: skip
            rows.append({"group": label, "contracts": size,
                         **_interval(pool, members, rng, resamples)})  # fmt: skip
        groups[kind] = rows
        if progress:
            progress(f"groups: {kind} done")
    table = {"overall": overall, "groups": groups, "resamples": resamples,
             "interval": interval, "min_flag_size": MIN_FLAG}  # fmt: skip
    return flag_groups(table)


def flag_groups(table: dict[str, Any]) -> dict[str, Any]:
    """Flag each group whose interval lies wholly below the overall figure, and list the
    warnings with the group's size. Groups under ``min_flag_size`` contracts are not judged:
    a bootstrap over one or two contracts has (almost) no width and would flag by chance."""
    overall, warnings = table["overall"], []
    for kind, rows in table["groups"].items():
        for row in rows:
            row["flags"] = []
            if row["contracts"] < table["min_flag_size"]:
                row["too_few"] = True
                continue
            for m in METRICS:
                fig, ref = row[m], overall[m]["value"]
                if fig["high"] is not None and ref is not None and fig["high"] < ref:
                    row["flags"].append(m)
                    warnings.append(
                        f"{kind} '{row['group']}' ({row['contracts']} contracts): {m} "
                        f"{fig['value']:.3f} [{fig['low']:.3f}, {fig['high']:.3f}] is below "
                        f"the overall {ref:.3f}"
                    )
    table["warnings"] = warnings
    return table


# -- the feedback pool --------------------------------------------------------------------


def correction_table(documents: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Corrections per group of the feedback pool's documents. Each document: ``name``,
    ``contract_type``, ``words``, ``year`` (or None), ``source`` (or None) and
    ``corrections`` (how many reviewers' corrections it holds)."""
    total = sum(d["corrections"] for d in documents)
    out: dict[str, Any] = {"documents": len(documents), "corrections": total, "groups": {}}
    for kind in KINDS:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for d in documents:
            label = {
                "contract_type": d.get("contract_type") or "unknown",
                "source": d.get("source") or "unknown",
                "length": length_band(int(d.get("words") or 0)),
                "year": year_band(d.get("year")),
            }[kind]
            counts[label][0] += 1
            counts[label][1] += d["corrections"]
        out["groups"][kind] = [
            {"group": label, "documents": n, "corrections": c,
             "per_document": round(c / n, 2) if n else None,
             "share": round(c / total, 4) if total else None}
            for label, (n, c) in sorted(counts.items(), key=lambda kv: (-kv[1][1], kv[0]))
        ]  # fmt: skip
    return out


def pool_documents(bundles: Sequence[Bundle]) -> list[dict[str, Any]]:
    """The documents of feedback bundles, as :func:`correction_table` reads them: contract
    type and text from ``train/spans.jsonl``, corrections counted from ``corrections.jsonl``.
    Bundles carry no page sources, so every document's source is unknown."""
    out = []
    for bundle in bundles:
        counts = Counter(str(r.get("document")) for r in bundle.rows(CORRECTIONS))
        for record in bundle.rows(SPANS):
            name = str(record["filename"])
            text = bundle.text(name)
            out.append({"name": name, "contract_type": record.get("contract_type"),
                        "words": len(text.split()), "year": year_of(name, text[:3000]),
                        "source": None, "corrections": counts.get(name, 0)})  # fmt: skip
    return out
