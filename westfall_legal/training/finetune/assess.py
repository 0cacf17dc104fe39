"""Does the legal adapter help? Verification questions scored side by side, never trained on.

The review would use the adapter as a verifier: asked "is this candidate clause a
CATEGORY clause?" for candidates the clause classifier proposes, its P(Yes) re-ranks them.
So the comparison is on such questions, with known answers, from data the adapter never
saw: CUAD's fixed validation split (per category, candidates drawn uniformly from those
the classifier scores above the floor: :func:`~.sft.review_questions`) and the yes/no rows
of the feedback documents held out from training. Per question set and category, each ranking's AUPR
(CUAD's interpolated, trapezoid, as ``evaluate``):

- ``classifier``: the clause classifier's probability (what the review uses today);
- ``adapter``: the adapted model's P(Yes);
- ``ensemble``: their mean;

and the ensemble's gain over the classifier with a 95% bootstrap interval over questions.
The gate (:func:`verdict`) lets the adapter be switched on only where the ensemble
measurably beats the classifier pooled and loses little on the guarded categories.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from westfall_legal.categories import TOP_CATEGORIES
from westfall_legal.llm.clause_verify import NO, YES, yes_probability
from westfall_legal.llm.engine import LlmEngine
from westfall_legal.progress import CancelToken
from westfall_legal.training.finetune.sft import Pair, SftExample
from westfall_legal.training.metrics import pr_curve

BOOTSTRAP = 500
SEED = 0
GUARDED_TOLERANCE = 0.02
SYSTEMS = ("classifier", "adapter", "ensemble")


@dataclass(frozen=True)
class Scored:
    category: str
    gold: bool
    classifier: float | None  # None for feedback rows (no classifier score travels)
    adapter: float

    def score(self, system: str) -> float | None:
        if system == "adapter":
            return self.adapter
        if self.classifier is None:
            return None
        return self.classifier if system == "classifier" else (self.classifier + self.adapter) / 2


def aupr(rows: Sequence[Scored], system: str) -> float | None:
    preds = []
    for i, r in enumerate(rows):
        score = r.score(system)
        if score is None:
            return None
        preds.append((min(1.0, max(0.0, score)), r.gold, [i] if r.gold else []))
    n_gold = sum(r.gold for r in rows)
    return pr_curve(preds, n_gold).aupr() if n_gold else None


def _interval(rows: Sequence[Scored], a: str, b: str) -> tuple[float, float] | None:
    """95% bootstrap interval of AUPR(b) - AUPR(a), resampling questions."""
    rng = random.Random(SEED)
    deltas = []
    for _ in range(BOOTSTRAP):
        sample = [rows[rng.randrange(len(rows))] for _ in rows]
        x, y = aupr(sample, a), aupr(sample, b)
        if x is not None and y is not None:
            deltas.append(y - x)
    if len(deltas) < BOOTSTRAP // 2:
        return None
    deltas.sort()
    return (deltas[int(0.025 * len(deltas))], deltas[int(0.975 * len(deltas)) - 1])


def summarise(rows: Sequence[Scored]) -> dict[str, Any]:
    """Pooled and per-category AUPR per system, the ensemble's gain and its interval."""
    by_category: dict[str, list[Scored]] = defaultdict(list)
    for r in rows:
        by_category[r.category].append(r)
    out: dict[str, Any] = {
        "questions": len(rows),
        "yes": sum(r.gold for r in rows),
        "pooled": {s: aupr(rows, s) for s in SYSTEMS},
        "per_category": {
            c: {"questions": len(rs), **{s: aupr(rs, s) for s in SYSTEMS}}
            for c, rs in sorted(by_category.items())
        },
    }
    if rows and rows[0].classifier is not None:
        out["ensemble_gain_interval"] = _interval(rows, "classifier", "ensemble")
    right = sum((r.adapter >= 0.5) == r.gold for r in rows)
    out["adapter_accuracy"] = right / len(rows) if rows else None
    return out


def verdict(cuad: dict[str, Any]) -> dict[str, Any]:
    """Whether the review may use the adapter as a verifier (``activate`` without --force):
    the ensemble must beat the classifier pooled, with the 95% interval of its gain above
    zero (it costs the review time, so it must measurably help), and lose no more than
    :data:`GUARDED_TOLERANCE` on any guarded category."""
    reasons = []
    pooled = cuad["pooled"]
    interval = cuad.get("ensemble_gain_interval")
    if pooled["ensemble"] is None or pooled["classifier"] is None:
        reasons.append("no CUAD questions with a Yes answer to compare on")
    elif interval is None or interval[0] <= 0:
        span = f"[{interval[0]:+.3f}, {interval[1]:+.3f}]" if interval else "not measured"
        reasons.append(
            f"pooled AUPR: ensemble {pooled['ensemble']:.3f} vs the classifier's "
            f"{pooled['classifier']:.3f}, gain interval {span}: not measurably better"
        )
    for category in TOP_CATEGORIES:
        figures = cuad["per_category"].get(category)
        if not figures or figures["ensemble"] is None or figures["classifier"] is None:
            continue
        if figures["ensemble"] < figures["classifier"] - GUARDED_TOLERANCE:
            reasons.append(
                f"{category}: ensemble {figures['ensemble']:.3f} below the classifier's "
                f"{figures['classifier']:.3f}"
            )
    return {"passed": not reasons, "reasons": reasons}


def score_questions(
    engine: LlmEngine,
    pairs: Sequence[Pair],
    held_out: Sequence[SftExample],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: CancelToken | None = None,
) -> tuple[list[Scored], list[Scored], float]:
    """(CUAD questions, held-out feedback questions, seconds per question) for ``engine``.

    Questions about one clause are asked one after another, so llama.cpp reuses the
    clause's evaluated prefix.
    """
    yes_no = [e for e in held_out if e.label is not None]
    total = len(pairs) + len(yes_no)
    ordered = sorted(pairs, key=lambda p: (p.contract, p.text, p.category))
    start = time.perf_counter()
    cuad: list[Scored] = []
    for i, p in enumerate(ordered):
        if cancel is not None:
            cancel.check()
        cuad.append(
            Scored(p.category, p.gold, p.score, yes_probability(engine, p.text, p.category))
        )
        if progress:
            progress(i + 1, total)
    feedback = []
    for i, e in enumerate(yes_no, len(ordered)):
        if cancel is not None:
            cancel.check()
        p_yes = engine.choice_probabilities(e.prompt, [YES, NO])[0]
        feedback.append(Scored(e.category, bool(e.label), None, p_yes))
        if progress:
            progress(i + 1, total)
    seconds = (time.perf_counter() - start) / max(1, total)
    return cuad, feedback, seconds
