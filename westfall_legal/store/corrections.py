"""Reviewers' corrections: accept, reject, relabel, change span, add a missed clause, edit a
fact, comment, undo and redo. Each is an event (who, when, before, after, the model
corrected), stored sealed and audited; undo is one more event that cancels an earlier one,
never an erase, and redo makes the undone correction again as a new event that names the
undo it answers. Both live here, beside the corrections (as Anki keeps undo in its
collection), so every front end and every session of the app sees the same history.

The state a reviewer sees (:meth:`Corrections.state`) is the latest review's annotations with
every correction that was not undone applied in order (:func:`fold`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from westfall_legal.errors import NotInStoreError, StoreError
from westfall_legal.review_json import FindingJson
from westfall_legal.store.common import now, random_id
from westfall_legal.store.facts import check_fact
from westfall_legal.store.records import (
    Action,
    Annotation,
    ClauseState,
    Correction,
    DocumentInfo,
    DocumentState,
    FactState,
    ReviewInfo,
)

if TYPE_CHECKING:
    from westfall_legal.store.core import Store


def _clause(a: Annotation) -> ClauseState:
    d = a.data
    return ClauseState(
        id=a.id,
        ref=a.ref,
        category=d["category"],
        text=d["text"],
        char_start=d["char_start"],
        char_end=d["char_end"],
        page=d.get("page", 0),
        confidence=d.get("confidence"),
        source="model",
        status="proposed",
        original_category=d["category"],
    )


def _fact(a: Annotation) -> FactState:
    d = a.data
    return FactState(
        id=a.id,
        name=a.ref,
        value=d.get("value"),
        text=d.get("text", ""),
        char_start=d.get("char_start", 0),
        char_end=d.get("char_end", 0),
        page=d.get("page", 0),
        confidence=d.get("confidence"),
        source="model",
        status="proposed",
        original_value=d.get("value"),
    )


def in_effect(corrections: Sequence[Correction]) -> list[Correction]:
    """The corrections still in effect, in order: not undos, not undone."""
    undone = {c.undoes for c in corrections if c.action == "undo"}
    return [c for c in corrections if c.action != "undo" and c.id not in undone]


def fold(
    document: DocumentInfo,
    review: ReviewInfo | None,
    annotations: list[Annotation],
    corrections: list[Correction],
) -> DocumentState:
    """Apply every correction that was not undone, in order, to a review's annotations."""
    clauses = {a.id: _clause(a) for a in annotations if a.kind == "clause"}
    facts = {a.ref: _fact(a) for a in annotations if a.kind == "fact"}
    findings = tuple(cast(FindingJson, a.data) for a in annotations if a.kind == "finding")
    comments: list[str] = []
    for c in in_effect(corrections):
        if c.action == "add":
            a = c.after
            clauses[c.id] = ClauseState(
                id=c.id,
                ref=c.id,
                category=a["category"],
                text=a["text"],
                char_start=a["char_start"],
                char_end=a["char_end"],
                page=a["page"],
                confidence=None,
                source="reviewer",
                status="accepted",
                original_category=None,
                corrections=(c.id,),
            )
            continue
        if c.action == "comment" and c.target is None:
            comments.append(c.after)
            continue
        if c.action == "fact" and c.ref not in facts:  # a fact the model missed
            a = c.after
            facts[str(c.ref)] = FactState(
                id=c.id,
                name=str(c.ref),
                value=a["value"],
                text="",
                char_start=0,
                char_end=0,
                page=0,
                confidence=None,
                source="reviewer",
                status="accepted",
                corrections=(c.id,),
            )
            continue
        item: ClauseState | FactState | None = clauses.get(c.target or "")
        if item is None:
            item = next((f for f in facts.values() if f.id == c.target), None)
        if item is None:
            continue  # it belongs to an older review of the document
        item = _apply(item, c)
        if isinstance(item, ClauseState):
            clauses[item.id] = item
        else:
            facts[item.name] = item
    ordered = sorted(clauses.values(), key=lambda s: (s.char_start, s.char_end, s.id))
    return DocumentState(
        document, review, tuple(ordered), facts, findings, tuple(comments), tuple(corrections)
    )


def _apply(item: ClauseState | FactState, c: Correction) -> ClauseState | FactState:
    changes: dict[str, Any] = {"corrections": (*item.corrections, c.id)}
    if c.action in ("accept", "reject"):
        changes["status"] = "accepted" if c.action == "accept" else "rejected"
    elif c.action == "relabel" and isinstance(item, ClauseState):
        changes["category"] = c.after
    elif c.action == "span":
        changes.update(char_start=c.after["char_start"], char_end=c.after["char_end"])
        changes.update(text=c.after["text"], page=c.after["page"])
    elif c.action == "fact" and isinstance(item, FactState):
        changes.update(value=c.after["value"], status="accepted")
    elif c.action == "comment":
        changes["comments"] = (*item.comments, c.after)
    return dataclasses.replace(item, **changes)


def check_span_order(char_start: int, char_end: int) -> None:
    """Refuse a reversed or empty span before it is looked up in a document's text."""
    if char_start > char_end:
        raise StoreError(
            f"the span {char_start}-{char_end} is reversed: its start is after its end.",
            hint=f"Give the start first: {char_end} {char_start}.",
        )
    if char_start == char_end:
        raise StoreError(
            f"the span {char_start}-{char_end} is empty.",
            hint="Give an end after the start (the end offset is not included).",
        )


class Corrections:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._redoing: str | None = None  # the undo that the correction being made redoes

    # Reading -------------------------------------------------------------------------------

    def history(self, document_id: str) -> list[Correction]:
        """Every correction event of a document, in the order they were made."""
        store = self._store
        out = []
        with store.read():
            for cid, mid, created, blob in store.db.execute(
                "SELECT id, matter_id, created, body FROM corrections WHERE document_id = ? "
                "ORDER BY rowid",
                [document_id],
            ):
                b = store.unseal(mid, "corrections", cid, "body", blob)
                out.append(
                    Correction(
                        id=cid,
                        document_id=document_id,
                        created=created,
                        action=b["action"],
                        reviewer=b["reviewer"],
                        target=b["target"],
                        ref=b["ref"],
                        before=b["before"],
                        after=b["after"],
                        review_id=b["review"],
                        model=b["model"],
                        undoes=b.get("undoes"),
                        redoes=b.get("redoes"),
                    )
                )
        return out

    def state(self, document_id: str) -> DocumentState:
        """The document as its reviewers left it (see :func:`fold`)."""
        reviews = self._store.reviews
        with self._store.read():
            document = reviews.document(document_id)
            review = reviews.latest(document_id)
            annotations = reviews.annotations(document_id, review.id) if review else []
            return fold(document, review, annotations, self.history(document_id))

    def body_digest(self, correction_id: str) -> str:
        store = self._store
        mid, blob = store.db.execute(
            "SELECT matter_id, body FROM corrections WHERE id = ?", [correction_id]
        ).fetchone()
        plain = store.open_bytes(mid, "corrections", correction_id, "body", blob)
        return store.audit.digest([(correction_id, plain)])

    # Corrections ---------------------------------------------------------------------------

    def accept(self, document_id: str, target: str, *, reviewer: str) -> Correction:
        return self._on_item(document_id, "accept", target, reviewer, lambda i: "accepted")

    def reject(self, document_id: str, target: str, *, reviewer: str) -> Correction:
        return self._on_item(document_id, "reject", target, reviewer, lambda i: "rejected")

    def relabel(self, document_id: str, target: str, category: str, *, reviewer: str) -> Correction:
        if not category.strip():
            raise StoreError("relabel needs a category.", hint="Give one of the CUAD categories.")
        return self._on_item(
            document_id, "relabel", target, reviewer, lambda i: category.strip(), clause_only=True
        )

    def change_span(
        self, document_id: str, target: str, char_start: int, char_end: int, *, reviewer: str
    ) -> Correction:
        def after(item: ClauseState | FactState) -> dict[str, Any]:
            return self._span(document_id, char_start, char_end)

        return self._on_item(document_id, "span", target, reviewer, after, clause_only=True)

    def add_clause(
        self, document_id: str, category: str, char_start: int, char_end: int, *, reviewer: str
    ) -> Correction:
        """A clause the model missed, at ``[char_start, char_end)`` of the document text."""
        if not category.strip():
            raise StoreError("a clause needs a category.", hint="Give one of the CUAD categories.")
        with self._store.write():
            span = self._span(document_id, char_start, char_end)
            return self._record(
                document_id,
                "add",
                reviewer,
                None,
                None,
                None,
                {"category": category.strip(), **span},
            )

    def edit_fact(self, document_id: str, name: str, value: Any, *, reviewer: str) -> Correction:
        """Set a key fact's value (a fact the model missed is added); the value must take
        the fact's form (:func:`~westfall_legal.store.facts.check_fact`)."""
        value = check_fact(name, value)
        with self._store.write():
            state = self.state(document_id)
            fact = state.facts.get(name)
            before = {"value": fact.value} if fact else None
            target = fact.id if fact else None
            return self._record(
                document_id, "fact", reviewer, target, name, before, {"value": value}
            )

    def comment(
        self, document_id: str, text: str, *, reviewer: str, target: str | None = None
    ) -> Correction:
        """A note on a clause or fact (``target``), or on the whole document."""
        if not text.strip():
            raise StoreError("the comment is empty.", hint="Write the note to keep.")
        if target is not None:
            return self._on_item(document_id, "comment", target, reviewer, lambda i: text)
        with self._store.write():
            return self._record(document_id, "comment", reviewer, None, None, None, text)

    def undo(
        self, document_id: str, *, reviewer: str, correction_id: str | None = None
    ) -> Correction:
        """Cancel a correction (default: the reviewer's latest one still in effect)."""
        with self._store.write():
            live = in_effect(self.history(document_id))
            if correction_id is None:
                mine = [c for c in live if c.reviewer == reviewer]
                if not mine:
                    raise NotInStoreError(f"{reviewer} has no correction to undo on this document.")
                victim = mine[-1]
            else:
                found = [c for c in live if c.id == correction_id]
                if not found:
                    raise NotInStoreError(
                        f"no correction {correction_id} in effect on this document (it does not "
                        "exist, was undone already, or is itself an undo)."
                    )
                victim = found[0]
            return self._record(
                document_id,
                "undo",
                reviewer,
                victim.target,
                victim.ref,
                {"action": victim.action, "after": victim.after},
                {"action": victim.action, "after": victim.before},
                undoes=victim.id,
            )

    def undoable(self, document_id: str, *, reviewer: str) -> bool:
        """Whether ``reviewer`` has a correction in effect that :meth:`undo` would cancel."""
        return any(c.reviewer == reviewer for c in in_effect(self.history(document_id)))

    def redoable(self, document_id: str, *, reviewer: str) -> Correction | None:
        """The undo that :meth:`redo` would answer: ``reviewer``'s latest undo not redone
        yet, as long as they have made no other correction since (a new correction ends
        what can be redone, as in every editor)."""
        stack: list[Correction] = []
        for c in self.history(document_id):
            if c.reviewer != reviewer:
                continue
            if c.action == "undo":
                stack.append(c)
            elif c.redoes is not None:
                stack = [u for u in stack if u.id != c.redoes]
            else:
                stack.clear()
        return stack[-1] if stack else None

    def redo(self, document_id: str, *, reviewer: str) -> Correction:
        """Make again the correction ``reviewer``'s latest undo cancelled: a new, audited
        correction of the same kind, on the clause or fact as it stands now."""
        with self._store.write():
            undo = self.redoable(document_id, reviewer=reviewer)
            if undo is None:
                raise NotInStoreError(f"{reviewer} has nothing to redo on this document.")
            action, after, target = undo.before["action"], undo.before["after"], undo.target
            self._redoing = undo.id
            try:
                if action in ("accept", "reject"):
                    verb = self.accept if action == "accept" else self.reject
                    return verb(document_id, str(target), reviewer=reviewer)
                if action == "relabel":
                    return self.relabel(document_id, str(target), after, reviewer=reviewer)
                if action == "comment":
                    return self.comment(document_id, after, reviewer=reviewer, target=target)
                if action == "span":
                    return self.change_span(document_id, str(target), after["char_start"],
                                            after["char_end"], reviewer=reviewer)  # fmt: skip
                if action == "add":
                    return self.add_clause(document_id, after["category"], after["char_start"],
                                           after["char_end"], reviewer=reviewer)  # fmt: skip
                return self.edit_fact(document_id, str(undo.ref), after["value"], reviewer=reviewer)
            finally:
                self._redoing = None

    # Internals -----------------------------------------------------------------------------

    def _span(self, document_id: str, char_start: int, char_end: int) -> dict[str, Any]:
        check_span_order(char_start, char_end)
        text = self._store.reviews.text(document_id)
        if not 0 <= char_start < char_end <= len(text):
            raise StoreError(
                f"the span {char_start}-{char_end} is outside the document's text (0-{len(text)}).",
                hint="Give character offsets into the review's text, start before end.",
            )
        state = self.state(document_id)
        before = [c for c in state.clauses if c.char_start <= char_start and c.page]
        page = before[-1].page if before else (state.clauses[0].page if state.clauses else 0)
        return {
            "char_start": char_start,
            "char_end": char_end,
            "text": text[char_start:char_end],
            "page": page,
        }

    def _on_item(
        self,
        document_id: str,
        action: Action,
        target: str,
        reviewer: str,
        after: Any,
        *,
        clause_only: bool = False,
    ) -> Correction:
        with self._store.write():
            state = self.state(document_id)
            item: ClauseState | FactState | None = next(
                (c for c in state.clauses if target in (c.id, c.ref)), None
            )
            if item is None and not clause_only:
                item = next((f for f in state.facts.values() if target in (f.id, f.name)), None)
            if item is None:
                kind = "clause" if clause_only else "clause or fact"
                raise NotInStoreError(
                    f"document {state.document.file_name}: no {kind} {target!r} in its latest "
                    "review.",
                    hint="Use a clause id from the review JSON (e.g. k12) or a fact name.",
                )
            before = _before(item, action)
            name = item.ref if isinstance(item, ClauseState) else item.name
            return self._record(document_id, action, reviewer, item.id, name, before, after(item))

    def _record(
        self,
        document_id: str,
        action: Action,
        reviewer: str,
        target: str | None,
        ref: str | None,
        before: Any,
        after: Any,
        *,
        undoes: str | None = None,
    ) -> Correction:
        store = self._store
        if not reviewer.strip():
            raise StoreError(
                "a correction needs the reviewer's name.", hint="Pass --reviewer NAME."
            )
        document = store.reviews.document(document_id)
        matter_id = store.matters.open_id(document.matter_id)
        review = store.reviews.latest(document_id)
        correction = Correction(
            id=random_id(),
            document_id=document_id,
            created=now(),
            action=action,
            reviewer=reviewer.strip(),
            target=target,
            ref=ref,
            before=before,
            after=after,
            review_id=review.id if review else None,
            model=review.model if review else None,
            undoes=undoes,
            redoes=self._redoing,
        )
        body = {
            "action": action,
            "reviewer": correction.reviewer,
            "target": target,
            "ref": ref,
            "before": before,
            "after": after,
            "review": correction.review_id,
            "model": correction.model,
            "undoes": undoes,
        }
        if self._redoing is not None:
            body["redoes"] = self._redoing
        sealed = store.seal(matter_id, "corrections", correction.id, "body", body)
        store.db.execute(
            "INSERT INTO corrections (id, matter_id, document_id, created, body) "
            "VALUES (?, ?, ?, ?, ?)",
            [correction.id, matter_id, document_id, correction.created, sealed],
        )
        store.audit.append(
            matter_id,
            "correction",
            {
                "correction": correction.id,
                "document": document_id,
                **body,
                "digest": self.body_digest(correction.id),
            },
        )
        return correction


def _before(item: ClauseState | FactState, action: Action) -> Any:
    if action in ("accept", "reject"):
        return item.status
    if action == "relabel" and isinstance(item, ClauseState):
        return item.category
    if action == "span":
        return {
            "char_start": item.char_start,
            "char_end": item.char_end,
            "text": item.text,
            "page": item.page,
        }
    return None
