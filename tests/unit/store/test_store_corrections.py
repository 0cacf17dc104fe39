"""Corrections: every kind, in order, undo as a new event, and what the reviewer then sees."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from store_helpers import PASSPHRASE, PLANTED, populate, review_json

from westfall_legal.errors import NotInStoreError, StoreError
from westfall_legal.store import ClauseState, Store


def test_every_kind_of_correction_and_the_state_it_leaves(store: Store) -> None:
    _, saved = populate(store)
    doc = saved.document.id
    state = store.corrections.state(doc)
    by_ref = {c.ref: c for c in state.clauses}
    assert by_ref["c1"].status == "accepted"
    assert by_ref["c1"].comments == ()  # the comment was the last correction: undone
    assert by_ref["c2"].status == "rejected"
    c3 = by_ref["c3"]
    assert (c3.category, c3.original_category) == (PLANTED["category"], "Indemnification")
    text = store.reviews.text(doc)
    assert (c3.char_start, c3.char_end, c3.text) == (0, 20, text[:20])
    added = [c for c in state.clauses if c.source == "reviewer"]
    assert len(added) == 1 and added[0].category == "Insurance"
    assert (added[0].text, added[0].status, added[0].confidence) == (text[30:60], "accepted", None)
    fact = state.facts["governing_law"]
    assert (fact.value, fact.original_value, fact.status) == ("Xylophonia", "Ruritania", "accepted")
    assert [c.action for c in state.corrections] == [
        "accept",
        "reject",
        "relabel",
        "span",
        "add",
        "fact",
        "comment",
        "undo",
    ]
    first = state.corrections[0]
    assert first.before == "proposed" and first.after == "accepted"
    assert first.reviewer == PLANTED["reviewer"] and first.model == {
        "id": "clauses-v1",
        "sha256": "ab" * 32,
    }
    assert state.findings[0]["rule"] == "uncapped"


def test_undo_is_a_new_event_and_can_target_any_correction(store: Store) -> None:
    _, saved = populate(store)
    doc = saved.document.id
    fix = store.corrections
    relabel = next(c for c in fix.history(doc) if c.action == "relabel")
    undo = fix.undo(doc, reviewer="Second Reviewer", correction_id=relabel.id)
    assert (undo.undoes, undo.ref, undo.before["after"]) == (relabel.id, "c3", PLANTED["category"])
    c3 = next(c for c in fix.state(doc).clauses if c.ref == "c3")
    assert c3.category == "Indemnification" and c3.char_end == 20  # the span change stays
    history = fix.history(doc)
    assert len(history) == 9 and relabel in history  # nothing erased
    with pytest.raises(NotInStoreError, match="in effect"):
        fix.undo(doc, reviewer="R", correction_id=relabel.id)  # already undone
    with pytest.raises(NotInStoreError, match="in effect"):
        fix.undo(doc, reviewer="R", correction_id=undo.id)  # an undo is not undone
    with pytest.raises(NotInStoreError, match="nobody has no correction"):
        fix.undo(doc, reviewer="nobody")
    # Undo the reviewer's latest in-effect correction by default, one after another.
    fix.undo(doc, reviewer=PLANTED["reviewer"])  # the fact edit
    fix.undo(doc, reviewer=PLANTED["reviewer"])  # the added clause
    state = fix.state(doc)
    assert state.facts["governing_law"].value == "Ruritania"
    assert all(c.source == "model" for c in state.clauses)


def test_comments_on_the_document_and_on_a_fact(store: Store) -> None:
    _, saved = populate(store)
    doc = saved.document.id
    store.corrections.comment(doc, "whole-document note", reviewer="R")
    store.corrections.comment(doc, "check the law", reviewer="R", target="governing_law")
    state = store.corrections.state(doc)
    assert state.comments == ("whole-document note",)
    assert state.facts["governing_law"].comments == ("check the law",)


def test_a_fact_the_model_missed_can_be_added_and_edited(store: Store) -> None:
    _, saved = populate(store)
    doc = saved.document.id
    store.corrections.edit_fact(doc, "notice_period", "P30D", reviewer="R")
    store.corrections.edit_fact(doc, "notice_period", "P60D", reviewer="R")
    fact = store.corrections.state(doc).facts["notice_period"]
    assert (fact.value, fact.source, len(fact.corrections)) == ("P60D", "reviewer", 2)


def test_bad_corrections_are_refused_and_store_nothing(store: Store) -> None:
    _, saved = populate(store)
    doc = saved.document.id
    fix = store.corrections
    count = len(fix.history(doc))
    with pytest.raises(NotInStoreError, match="no clause 'c99'"):
        fix.relabel(doc, "c99", "Insurance", reviewer="R")
    with pytest.raises(NotInStoreError, match="no clause or fact 'nope'"):
        fix.accept(doc, "nope", reviewer="R")
    with pytest.raises(StoreError, match="outside the document's text"):
        fix.change_span(doc, "c1", 10, 10**6, reviewer="R")
    with pytest.raises(StoreError, match="reviewer's name"):
        fix.accept(doc, "c1", reviewer="  ")
    with pytest.raises(StoreError, match="needs a category"):
        fix.relabel(doc, "c1", " ", reviewer="R")
    with pytest.raises(NotInStoreError):
        fix.accept("0000000000000000", "c1", reviewer="R")
    assert len(fix.history(doc)) == count
    store.audit.verify()


def test_a_new_review_of_the_same_file_is_a_new_review_of_the_same_document(store: Store) -> None:
    matter, saved = populate(store)
    again = store.reviews.add(matter.id, review_json())
    assert again.document.id == saved.document.id and not again.new_document
    assert again.document.reviews == 2
    state = store.corrections.state(saved.document.id)
    assert state.review is not None and state.review.id == again.review_id
    # Corrections of the older review's clauses stay in the history, not in the new state;
    # the clause a reviewer added stays.
    assert {c.status for c in state.clauses if c.source == "model"} == {"proposed"}
    assert any(c.source == "reviewer" for c in state.clauses)
    assert len(state.corrections) == 8
    other = store.reviews.add(matter.id, review_json(name="other.pdf", extra=" Other."))
    assert other.new_document
    assert store.reviews.find(matter.name, "OTHER.PDF").id == other.document.id
    assert store.reviews.find(matter.name, other.document.sha256[:12]).id == other.document.id
    with pytest.raises(NotInStoreError, match="no document matches"):
        store.reviews.find(matter.name, "missing.pdf")


def test_a_review_without_a_document_is_refused(store: Store) -> None:
    matter = store.matters.create("m")
    with pytest.raises(StoreError, match="missing 'document'"):
        store.reviews.add(matter.id, {"clauses": []})


def test_a_reversed_span_is_called_reversed_not_outside(store: Store) -> None:
    _, saved = populate(store)
    doc, fix = saved.document.id, store.corrections
    count = len(fix.history(doc))
    with pytest.raises(StoreError, match="span 20-5 is reversed") as caught:
        fix.change_span(doc, "c1", 20, 5, reviewer="R")
    assert "outside" not in caught.value.message and "5 20" in caught.value.hint
    with pytest.raises(StoreError, match="span 60-30 is reversed"):
        fix.add_clause(doc, "Insurance", 60, 30, reviewer="R")
    with pytest.raises(StoreError, match="span 7-7 is empty"):
        fix.change_span(doc, "c1", 7, 7, reviewer="R")
    assert len(fix.history(doc)) == count


def test_the_no_such_clause_hint_shows_a_real_clause_id(store: Store) -> None:
    _, saved = populate(store)
    with pytest.raises(NotInStoreError) as caught:
        store.corrections.accept(saved.document.id, "nope", reviewer="R")
    assert "k12" in caught.value.hint and "c12" not in caught.value.hint


def test_redo_makes_every_kind_again_in_the_reverse_order_of_the_undos(store: Store) -> None:
    _, saved = populate(store)  # ends with the comment undone
    doc, who = saved.document.id, PLANTED["reviewer"]
    fix = store.corrections
    before = fix.state(doc)
    for _ in range(6):  # fact, add, span, relabel, reject, accept
        fix.undo(doc, reviewer=who)
    assert not fix.undoable(doc, reviewer=who)
    assert fix.redoable(doc, reviewer="Someone Else") is None  # redo is per reviewer
    made = [fix.redo(doc, reviewer=who) for _ in range(7)]
    assert [c.action for c in made] == [
        "accept", "reject", "relabel", "span", "add", "fact", "comment"
    ]  # fmt: skip
    assert all(c.redoes for c in made)
    after = fix.state(doc)

    def shown(clauses: Sequence[ClauseState]) -> list[tuple[object, ...]]:
        return [(c.ref if c.source == "model" else "added", c.category, c.status, c.char_start,
                 c.char_end) for c in clauses]  # fmt: skip

    assert shown(after.clauses) == shown(before.clauses)  # as before the undos
    assert next(c for c in after.clauses if c.ref == "c1").comments == (PLANTED["comment"],)
    assert after.facts["governing_law"].value == "Xylophonia"
    with pytest.raises(NotInStoreError, match="nothing to redo"):
        fix.redo(doc, reviewer=who)


def test_a_new_correction_ends_redo_and_redo_outlives_the_session(
    store: Store, store_path: Path
) -> None:
    matter = store.matters.create("M")
    doc = store.reviews.add(matter.id, review_json(), size=1).document.id
    fix = store.corrections
    fix.accept(doc, "c1", reviewer="R")
    fix.undo(doc, reviewer="R")
    fix.reject(doc, "c2", reviewer="R")  # a new correction: the undone accept is gone for good
    assert fix.redoable(doc, reviewer="R") is None
    fix.undo(doc, reviewer="R")
    store.close()
    reopened = Store.open(PASSPHRASE, store_path)
    try:
        redo = reopened.corrections.redo(doc, reviewer="R")  # a new session of the app
        assert redo.action == "reject" and redo.redoes is not None
        assert reopened.corrections.history(doc)[-1].redoes == redo.redoes  # stored sealed
    finally:
        reopened.close()
