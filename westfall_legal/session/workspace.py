"""One open document: the pipeline's review of it, what the store holds of it, and the
reviewer's corrections. No Qt here: the GUI's widgets read rows and boxes from a
:class:`Workspace` and call its correction methods, which go straight to the store (undo
and redo too: they live in ``store.corrections``). The CLI keeps its reviews through the
same :func:`attach_review`, so both front ends store a review the same way.

The review gives the pages and where every character of the text sits on them (so a clause
the reviewer added or re-spanned is drawn on its words like the model's); the store gives the
clauses as the reviewers left them (:meth:`Corrections.state`).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from westfall_legal.models import Box, Review, Section
from westfall_legal.report import review_json
from westfall_legal.review_json import FindingJson, ReviewJson
from westfall_legal.session.rows import RANK, ClauseRow
from westfall_legal.store import ClauseState, Correction, DocumentState, Store
from westfall_legal.store.corrections import Corrections

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attached:
    document_id: str
    reused: bool  # the document's latest stored review was the same output: it is kept
    new_document: bool
    annotations: int


def attach_review(store: Store, matter: str, data: ReviewJson, *, size: int | None) -> Attached:
    """Keep a review (its ``westfall.review/1`` JSON) in the matter (name or id), unless the
    document's latest stored review is the same output (same model, same clauses): then
    that one is kept, with its corrections, and nothing is added."""
    doc = store.reviews.by_sha256(matter, data["document"]["sha256"])  # the keyed index
    if doc is not None:
        latest = store.reviews.latest(doc.id)
        if latest is not None and latest.model == data["model"]:
            annotations = store.reviews.annotations(doc.id, latest.id)
            stored = [
                (a.ref, a.data["category"], a.data["char_start"], a.data["char_end"])
                for a in annotations
                if a.kind == "clause"
            ]
            fresh = [
                (c["id"], c["category"], c["char_start"], c["char_end"]) for c in data["clauses"]
            ]
            if stored == fresh:
                log.info("document %s: the stored review is kept", doc.id)
                return Attached(doc.id, True, False, len(annotations))
    saved = store.reviews.add(matter, data, size=size)
    return Attached(saved.document.id, False, saved.new_document, saved.annotations)


class Workspace:
    """A reviewed document open for correction, as ``reviewer``."""

    def __init__(
        self,
        store: Store,
        document_id: str,
        review: Review,
        reviewer: str,
        *,
        data: ReviewJson | None = None,
        reused: bool = False,
    ) -> None:
        self.store = store
        self.document_id = document_id
        self.review = review
        self.reviewer = reviewer
        self.data = data if data is not None else review_json(review)
        self.reused = reused  # the stored review was the same, so earlier corrections apply
        self._by_ref = {c.id: c for c in review.clauses}
        self._sections = {s.id: s for s in review.sections}
        self.state: DocumentState
        self.rows: list[ClauseRow] = []
        self.refresh()

    @classmethod
    def attach(
        cls, store: Store, matter_id: str, review: Review, reviewer: str, *, size: int | None
    ) -> Workspace:
        """Store ``review`` in the matter (see :func:`attach_review`) and open it."""
        data = review_json(review)
        attached = attach_review(store, matter_id, data, size=size)
        return cls(store, attached.document_id, review, reviewer, data=data,
                   reused=attached.reused)  # fmt: skip

    # Reading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.state = self.store.corrections.state(self.document_id)
        risk: dict[str, str] = {}
        for finding in self.state.findings:
            for ref in finding.get("citations", []):
                old = risk.get(ref)
                if old is None or RANK[finding["severity"]] > RANK[old]:
                    risk[ref] = finding["severity"]
        self.rows = [self._row(c, risk.get(c.ref)) for c in self.state.clauses]

    def _row(self, c: ClauseState, risk: str | None) -> ClauseRow:
        model = self._by_ref.get(c.ref) if c.source == "model" else None
        return ClauseRow(
            id=c.id,
            ref=c.ref,
            category=c.category,
            original_category=c.original_category,
            section=self.section_label(c.char_start),
            page=c.page,
            confidence=c.confidence,
            risk=risk,
            status=c.status,
            source=c.source,
            text=c.text,
            char_start=c.char_start,
            char_end=c.char_end,
            comments=c.comments,
            needs_review=bool(model and model.needs_review),
        )

    def row(self, clause_id: str) -> ClauseRow | None:
        return next((r for r in self.rows if clause_id in (r.id, r.ref)), None)

    def section_label(self, char_start: int) -> str:
        """The innermost section holding ``char_start``: its full number and the title of
        the nearest section that has one ("5.4(d) Acceptance of Deliverables")."""
        inside = [s for s in self.review.sections if s.char_start <= char_start < s.char_end]
        if not inside:
            return ""
        section: Section | None = max(inside, key=lambda s: (s.level, s.char_start))
        title = None
        while section is not None and not title:  # "(d)" has no title: its parent's
            title = section.title
            section = self._sections.get(section.parent or "")
        return " ".join(p for p in (self.section_number(char_start), title) if p)

    def clause_name(self, ref: str) -> str:
        """A clause as a reader names it: its section's number and its category
        ("§12.3 Cap On Liability"), or its category and page where no section is numbered;
        the id itself only when there is no such clause."""
        row = self.row(ref)
        if row is None:
            return ref
        number = self.section_number(row.char_start)
        return f"§{number} {row.category}" if number else f"{row.category} (page {row.page})"

    def clause_names(self) -> dict[str, str]:
        """:meth:`clause_name` of every clause, by id."""
        return {r.ref: self.clause_name(r.ref) for r in self.rows}

    def section_number(self, char_start: int) -> str:
        """The full number of the innermost numbered section holding ``char_start``: a
        lettered item takes its parents' numbers in front ("16.1(a)")."""
        inside = [
            s for s in self.review.sections if s.char_start <= char_start < s.char_end and s.number
        ]
        if not inside:
            return ""
        s = max(inside, key=lambda s: (s.level, s.char_start))
        number = s.number or ""
        parent = self._sections.get(s.parent or "")
        while number.startswith("(") and parent is not None:
            if parent.number:
                number = parent.number + number
            parent = self._sections.get(parent.parent or "")
        return number

    def findings_of(self, ref: str) -> list[FindingJson]:
        """The findings that cite clause ``ref``, the most severe first."""
        cited = [f for f in self.state.findings if ref in f.get("citations", [])]
        return sorted(cited, key=lambda f: -RANK.get(f["severity"], 0))

    def reviewed(self) -> tuple[int, int]:
        """(clauses accepted or rejected, clauses)."""
        return sum(r.reviewed for r in self.rows), len(self.rows)

    def text(self, char_start: int, char_end: int) -> str:
        return self.review.doc_text.text[char_start:char_end]

    # Geometry ------------------------------------------------------------------------------

    def boxes(self, char_start: int, char_end: int) -> dict[int, list[Box]]:
        """The word boxes of a span, per page (a span may run over a page break)."""
        out: dict[int, list[Box]] = defaultdict(list)
        for token in self.review.doc_text.tokens_in(char_start, char_end):
            out[token.page].append(token.box)
        return dict(out)

    def span_under(self, page: int, rect: Box) -> tuple[int, int] | None:
        """The text span of the words on ``page`` that ``rect`` touches (None: no word)."""
        x0, y0, x1, y1 = rect
        hits = [
            t
            for t in self.review.doc_text.tokens
            if t.page == page
            and t.box[0] < x1
            and t.box[2] > x0
            and t.box[1] < y1
            and t.box[3] > y0
        ]
        if not hits:
            return None
        return min(t.char_start for t in hits), max(t.char_end for t in hits)

    def clauses_at(self, char_start: int, char_end: int) -> list[ClauseRow]:
        """The clauses that overlap a span, in reading order."""
        return [r for r in self.rows if r.char_start < char_end and r.char_end > char_start]

    def low_confidence(self, below: float) -> dict[int, list[Box]]:
        """OCR words read with less than ``below`` confidence, per page."""
        out: dict[int, list[Box]] = defaultdict(list)
        for token in self.review.doc_text.tokens:
            if token.conf is not None and token.conf < below:
                out[token.page].append(token.box)
        return dict(out)

    def search(self, query: str) -> list[tuple[int, int]]:
        """Every place ``query`` occurs (any case, any run of spaces between its words)."""
        words = query.split()
        if not words:
            return []
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
        return [m.span() for m in pattern.finditer(self.review.doc_text.text)]

    # Corrections ---------------------------------------------------------------------------

    def accept(self, clause_id: str) -> Correction:
        return self._do(lambda c: c.accept(self.document_id, clause_id, reviewer=self.reviewer))

    def reject(self, clause_id: str) -> Correction:
        return self._do(lambda c: c.reject(self.document_id, clause_id, reviewer=self.reviewer))

    def relabel(self, clause_id: str, category: str) -> Correction:
        return self._do(
            lambda c: c.relabel(self.document_id, clause_id, category, reviewer=self.reviewer)
        )

    def comment(self, text: str, clause_id: str | None = None) -> Correction:
        return self._do(
            lambda c: c.comment(self.document_id, text, reviewer=self.reviewer, target=clause_id)
        )

    def add_clause(self, category: str, char_start: int, char_end: int) -> Correction:
        return self._do(
            lambda c: c.add_clause(
                self.document_id, category, char_start, char_end, reviewer=self.reviewer
            )
        )

    def change_span(self, clause_id: str, char_start: int, char_end: int) -> Correction:
        return self._do(
            lambda c: c.change_span(
                self.document_id, clause_id, char_start, char_end, reviewer=self.reviewer
            )
        )

    def edit_fact(self, name: str, value: Any) -> Correction:
        return self._do(
            lambda c: c.edit_fact(self.document_id, name, value, reviewer=self.reviewer)
        )

    def can_undo(self) -> bool:
        return self.store.corrections.undoable(self.document_id, reviewer=self.reviewer)

    def can_redo(self) -> bool:
        return self.store.corrections.redoable(self.document_id, reviewer=self.reviewer) is not None

    def undo(self) -> Correction:
        """Undo this reviewer's latest correction still in effect (the store records it)."""
        return self._do(lambda c: c.undo(self.document_id, reviewer=self.reviewer))

    def redo(self) -> Correction:
        """Make again the correction the latest undo cancelled (a new, audited correction)."""
        return self._do(lambda c: c.redo(self.document_id, reviewer=self.reviewer))

    def _do(self, make: Callable[[Corrections], Correction]) -> Correction:
        made = make(self.store.corrections)
        self.refresh()
        return made
