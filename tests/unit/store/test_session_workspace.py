"""The review session both front ends share (``westfall_legal.session``), without Qt: keeping
a review or reusing the identical stored one, the rows, and corrections with undo and redo
through the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from westfall_legal.models import Review
from westfall_legal.pipeline import analyse_text
from westfall_legal.report import review_json
from westfall_legal.session.workspace import Workspace, attach_review
from westfall_legal.settings import Settings
from westfall_legal.store import Store

TEXT = """MASTER SERVICES AGREEMENT

1. Term. This Agreement starts on January 1, 2025 and continues for three (3) years.

2. Governing Law. This Agreement is governed by the laws of the State of New York.

3. Limitation of Liability. Neither party's liability shall exceed the fees paid in the
twelve (12) months before the claim.

4. Assignment. Neither party may assign this Agreement without the prior written consent of
the other party.
"""


@pytest.fixture(scope="module")
def review() -> Review:
    return analyse_text(TEXT, path=Path("msa.txt"), settings=Settings(use_llm=False))


def test_an_identical_review_is_reused_and_a_changed_one_added(
    store: Store, review: Review
) -> None:
    matter = store.matters.create("Matter")
    first = attach_review(store, matter.id, review_json(review), size=10)
    assert not first.reused and first.new_document
    again = attach_review(store, matter.id, review_json(review), size=10)
    assert again.reused and again.document_id == first.document_id
    assert len(store.reviews.documents(matter.id)) == 1
    changed = review_json(review)
    changed["clauses"] = changed["clauses"][1:]  # another model's output
    other = attach_review(store, matter.id, changed, size=10)
    assert not other.reused and other.document_id == first.document_id


def test_rows_corrections_undo_and_redo(store: Store, review: Review) -> None:
    matter = store.matters.create("Matter")
    ws = Workspace.attach(store, matter.id, review, "Ann", size=None)
    assert sorted(r.ref for r in ws.rows) == sorted(c.id for c in review.clauses)
    law = next(r for r in ws.rows if r.category == "Governing Law")
    assert ws.section_label(law.char_start) == "2 Governing Law"
    assert ws.text(law.char_start, law.char_end) == law.text
    at = TEXT.index("laws of the State")
    assert ws.search("laws   of the state") == [(at, at + len("laws of the State"))]
    assert not ws.can_undo() and not ws.can_redo()
    ws.accept(law.id)
    assert ws.row(law.id).status == "accepted" and ws.reviewed() == (1, len(ws.rows))
    ws.undo()
    assert ws.row(law.id).status == "proposed" and ws.can_redo()
    ws.redo()
    assert ws.row(law.id).status == "accepted" and not ws.can_redo()
    reopened = Workspace.attach(store, matter.id, review, "Ann", size=None)
    assert reopened.reused and reopened.row(law.id).status == "accepted"
    assert reopened.can_undo()  # the history is the store's, not the window's
