"""The weekly accuracy report: how far reviewers agreed with the model, from the store's
corrections (``westfall report accuracy --since DATE``).

Each clause the model proposed that a reviewer acted on since the date counts once, as the
corrections still in effect (undone ones are not) left it, in the week of its last
correction:

- **agreed**: accepted, with its category and span unchanged;
- **rejected**, **relabelled** (counted against the model's category) or **span** changed;
- a clause the model **missed** (a reviewer added it) counts against the added category.

Agreement is agreed / (agreed + rejected + relabelled + span): the share of the model's
judged proposals the reviewers kept, with a 95% Wilson interval. It is set beside the
model's own evaluation figures (document precision per category, the nearest measured
figure: a category is flagged where the evaluation's precision lies above the agreement's
interval) and beside the change rate per model and month that :mod:`.drift` counts.
Comments, fact edits and clauses nobody acted on are not counted.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from westfall_legal.feedback.drift import DriftRow, drift
from westfall_legal.store import Correction, Store
from westfall_legal.store.corrections import in_effect

OUTCOMES = ("agreed", "rejected", "relabelled", "span", "missed")
JUDGED = ("agreed", "rejected", "relabelled", "span")  # the model's own proposals
Z95 = 1.959964


@dataclass(frozen=True)
class Judgement:
    """One clause as the reviewers left it."""

    category: str  # the model's category; for a missed clause, the one the reviewer added
    outcome: str  # one of OUTCOMES
    week: str  # ISO week of its last correction, "2026-W49"
    model: str  # "id (sha256 prefix)" of the model whose review it was


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def judged(self) -> int:
        return sum(self.counts[o] for o in JUDGED)

    @property
    def changes(self) -> int:
        return self.judged - self.counts["agreed"] + self.counts["missed"]

    @property
    def agreement(self) -> float | None:
        return self.counts["agreed"] / self.judged if self.judged else None

    def interval(self) -> tuple[float, float] | None:
        """The agreement's 95% Wilson score interval."""
        n = self.judged
        if not n:
            return None
        p = self.counts["agreed"] / n
        centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
        half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
        return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class AccuracyReport:
    since: str
    until: str
    judgements: tuple[Judgement, ...]
    overall: Tally
    per_category: dict[str, Tally]
    per_week: dict[str, Tally]  # oldest first
    per_category_week: dict[str, dict[str, Tally]]
    drift: tuple[DriftRow, ...]
    expected: dict[str, float]  # the evaluation's document precision per category (and macro)
    expected_source: str
    flagged: tuple[str, ...]  # categories whose agreement is below the evaluation's figure

    def most_corrected(self, n: int = 10) -> list[tuple[str, Tally]]:
        rows = [(c, t) for c, t in self.per_category.items() if t.changes]
        return sorted(rows, key=lambda r: (-r[1].changes, r[0]))[:n]


def week_of(stamp: str) -> str:
    year, week, _ = datetime.date.fromisoformat(stamp[:10]).isocalendar()
    return f"{year}-W{week:02d}"


def _model(model: Mapping[str, object] | None) -> str:
    if not model:
        return "unknown"
    return f"{model.get('id', '?')} ({str(model.get('sha256', ''))[:8]})"


def _outcome(corrections: list[Correction]) -> str | None:
    status, relabelled, span = "proposed", False, False
    for c in corrections:
        if c.action in ("accept", "reject"):
            status = "accepted" if c.action == "accept" else "rejected"
        relabelled |= c.action == "relabel"
        span |= c.action == "span"
    if status == "rejected":
        return "rejected"
    if relabelled:
        return "relabelled"
    if span:
        return "span"
    return "agreed" if status == "accepted" else None


def judgements(store: Store, since: str) -> list[Judgement]:
    """Every clause judged since ``since`` (YYYY-MM-DD), over all readable matters."""
    out: list[Judgement] = []
    for matter in store.matters.list():
        for document in store.reviews.documents(matter.id):
            history = in_effect(store.corrections.history(document.id))
            categories: dict[str, str] = {}
            for review in {c.review_id for c in history if c.review_id}:
                for a in store.reviews.annotations(document.id, review):
                    if a.kind == "clause":
                        categories[a.id] = str(a.data["category"])
            per_target: dict[str, list[Correction]] = defaultdict(list)
            for c in history:
                if c.action == "add" and c.created[:10] >= since:
                    out.append(Judgement(str(c.after["category"]), "missed", week_of(c.created),
                                         _model(c.model)))  # fmt: skip
                elif c.target in categories and c.action in ("accept", "reject", "relabel", "span"):
                    per_target[c.target].append(c)
            for target, made in per_target.items():
                outcome = _outcome(made)
                if outcome and made[-1].created[:10] >= since:
                    out.append(Judgement(categories[target], outcome, week_of(made[-1].created),
                                         _model(made[-1].model)))  # fmt: skip
    return out


def accuracy_report(
    store: Store,
    since: str,
    *,
    expected: Mapping[str, float] | None = None,
    expected_source: str = "",
    until: str | None = None,
) -> AccuracyReport:
    """The report's figures (module docstring); ``expected`` is the model's evaluation
    figure (document precision) per category, with "macro" for all of them."""
    found = judgements(store, since)
    overall = Tally()
    per_category: dict[str, Tally] = defaultdict(Tally)
    per_week: dict[str, Tally] = defaultdict(Tally)
    per_category_week: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for j in found:
        for tally in (overall, per_category[j.category], per_week[j.week],
                      per_category_week[j.category][j.week]):  # fmt: skip
            tally.counts[j.outcome] += 1
    expected = dict(expected or {})
    flagged = []
    for category, tally in per_category.items():
        figure, interval = expected.get(category), tally.interval()
        if figure is not None and interval is not None and figure > interval[1]:
            flagged.append(category)
    month = since[:7]
    return AccuracyReport(
        since=since,
        until=until or datetime.date.today().isoformat(),
        judgements=tuple(found),
        overall=overall,
        per_category=dict(sorted(per_category.items())),
        per_week=dict(sorted(per_week.items())),
        per_category_week={
            c: dict(sorted(w.items())) for c, w in sorted(per_category_week.items())
        },
        drift=tuple(r for r in drift(store) if r.month >= month),
        expected=expected,
        expected_source=expected_source,
        flagged=tuple(sorted(flagged)),
    )
