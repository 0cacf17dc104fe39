"""What the clause table and the detail panel show of a clause (no Qt, nothing heavy: the
window imports this before the core is loaded)."""

from __future__ import annotations

from dataclasses import dataclass

from westfall_legal.categories import CATEGORIES

SEVERITIES = ("high", "medium", "low")
RANK = {s: n for n, s in enumerate(reversed(SEVERITIES), start=1)}


@dataclass(frozen=True, slots=True)
class ClauseRow:
    """One clause as the table and the detail panel show it."""

    id: str  # the store's id (what corrections name)
    ref: str  # the review's id ("k12")
    category: str
    original_category: str | None
    section: str
    page: int
    confidence: float | None
    risk: str | None  # the most severe finding that cites it
    status: str  # proposed / accepted / rejected
    source: str  # model / reviewer
    text: str
    char_start: int
    char_end: int
    comments: tuple[str, ...]
    needs_review: bool

    @property
    def reviewed(self) -> bool:
        return self.status != "proposed"


def canonical_category(name: str) -> str | None:
    """The CUAD category ``name`` spells, ignoring case and spaces; None if it is none."""
    want = " ".join(name.split()).casefold()
    return next((c for c in CATEGORIES if c.casefold() == want), None)
