"""Drift: per model version and month, how often reviewers had to change what it proposed.

From the audit log: each ``review.stored`` entry names the model and the review; each
``correction`` entry names the model whose output was corrected and the action. The rate is
changes (reject, relabel, span, add: the model was wrong or missed something) per clause
the model proposed; accepts are counted apart (confirmations), comments, fact edits and
undos are not counted, and an undone change does not count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from westfall_legal.store import Store

CHANGES = ("reject", "relabel", "span", "add")


@dataclass(frozen=True)
class DriftRow:
    model: str  # "id (sha256 prefix)"
    month: str  # YYYY-MM
    reviews: int
    clauses: int  # clauses the model proposed in those reviews
    changes: int
    accepts: int

    @property
    def rate(self) -> float | None:
        return self.changes / self.clauses if self.clauses else None


def _model(model: object) -> str:
    if not isinstance(model, dict):
        return "unknown"
    return f"{model.get('id', '?')} ({str(model.get('sha256', ''))[:8]})"


def drift(store: Store) -> list[DriftRow]:
    """One row per model version and month, oldest first."""
    reviews: dict[tuple[str, str], int] = defaultdict(int)
    clauses: dict[tuple[str, str], int] = defaultdict(int)
    changes: dict[tuple[str, str], int] = defaultdict(int)
    accepts: dict[tuple[str, str], int] = defaultdict(int)
    entries = store.audit.entries()
    undone = {
        str(e.payload.get("undoes"))
        for e in entries
        if e.event == "correction" and e.payload and e.payload.get("action") == "undo"
    }
    for e in entries:
        if not e.payload:
            continue
        key = (_model(e.payload.get("model")), e.created[:7])
        if e.event == "review.stored":
            document = str(e.payload["document"])
            annotations = store.reviews.annotations(document, str(e.payload["review"]))
            reviews[key] += 1
            clauses[key] += sum(a.kind == "clause" for a in annotations)
        elif e.event == "correction" and e.payload.get("correction") not in undone:
            action = e.payload.get("action")
            if action in CHANGES:
                changes[key] += 1
            elif action == "accept":
                accepts[key] += 1
    keys = sorted({*reviews, *changes, *accepts}, key=lambda k: (k[1], k[0]))
    return [DriftRow(m, month, reviews[(m, month)], clauses[(m, month)], changes[(m, month)],
                     accepts[(m, month)]) for m, month in keys]  # fmt: skip
