"""The draft view on the sample agreement as a Word draft (made by python-docx): Word's
numbers in the text, tracked insertions and deletions marked, the two reviewers' comments
in the margin, clauses shaded, and a clause, a search hit and a mouse selection found by
the review's own character spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from tests.docx_samples import sample_bytes, write
from westfall_legal.gui.draft_view import DELETED, INSERTED, DraftView
from westfall_legal.ingest.docx import read_docx
from westfall_legal.layout.paragraphs import draft_text
from westfall_legal.layout.text import plain_text
from westfall_legal.models import DocumentText
from westfall_legal.session.rows import ClauseRow


@pytest.fixture
def draft(tmp_path: Path) -> DocumentText:
    return draft_text(read_docx(write(tmp_path, "msa.docx", sample_bytes())))


def _row(doc: DocumentText, words: str, row_id: str, category: str) -> ClauseRow:
    start = doc.text.index(words)
    end = doc.text.index("\n\n", start)
    return ClauseRow(row_id, row_id, category, None, "", 0, 0.9, None, "proposed", "model",
                     doc.text[start:end], start, end, (), False)  # fmt: skip


def _view(qtbot: QtBot, doc: DocumentText, rows: list[ClauseRow]) -> DraftView:
    view = DraftView()
    qtbot.add_widget(view)
    view.resize(900, 600)
    view.show_draft(doc, rows)
    view.show()
    return view


def test_words_numbers_and_tracked_changes_as_word_shows_them(
    qtbot: QtBot, draft: DocumentText
) -> None:
    view = _view(qtbot, draft, [])
    shown = view.text.toPlainText()
    assert "12.1 Exclusion of Certain Damages." in shown  # Word's automatic number
    # every paragraph of the review's text is shown, in order, as it reads
    for p in draft.paragraphs[:40]:
        head = draft.text[p.char_start : min(p.char_end, p.char_start + 20)]
        assert view.shown_text(p.char_start, p.char_end).startswith(head)
    deletion = next(r for r in draft.revisions if r.kind == "deletion" and r.text.strip())
    insertion = next(r for r in draft.revisions if r.kind == "insertion")
    cursor = view._cursor(insertion.char_start, insertion.char_end)
    cursor.setPosition(cursor.selectionStart() + 1)
    assert cursor.charFormat().fontUnderline()
    assert cursor.charFormat().foreground().color() == INSERTED
    at = view.offsets.shown(deletion.char_start)
    struck = QTextCursor(view.text.document())
    struck.setPosition(at - len(deletion.text) + 1)
    assert struck.charFormat().fontStrikeOut()
    assert struck.charFormat().foreground().color() == DELETED
    assert deletion.text.strip() in shown  # the deleted words are there to read
    assert (
        deletion.text.strip() not in draft.text[deletion.char_start - 200 : deletion.char_end + 200]
    )


def test_comments_in_the_margin_show_their_anchor(qtbot: QtBot, draft: DocumentText) -> None:
    view = _view(qtbot, draft, [])
    assert view.margin.count() == len(draft.comments) == 2
    item = view.margin.item(0)
    comment = draft.comments[0]
    assert comment.text in item.text() and comment.author in item.text()
    view.margin.itemClicked.emit(item)
    assert view.selected_span() == (comment.char_start, comment.char_end)


def test_clauses_are_found_by_their_spans(qtbot: QtBot, draft: DocumentText) -> None:
    cap = _row(draft, "12.2 Cap on Liability", "c1", "Cap On Liability")
    law = _row(draft, "Governing Law.", "c2", "Governing Law")
    view = _view(qtbot, draft, [cap, law])
    assert len(view.text.extraSelections()) == 2
    view.select_clause("c2")
    assert view.selected_span() == (law.char_start, law.char_end)
    assert view.text.textCursor().selectedText().startswith(law.text[:30])
    hits = view.search("cap on liability")
    assert hits and all(draft.text[a:b].casefold() == "cap on liability" for a, b in hits)
    view.show_text_span(*hits[-1])
    assert view.selected_span() == hits[-1]
    # a click inside a clause says which clause; a drawn selection is the reviewer's span
    view.select_clause("c1")
    rect = view.text.cursorRect(view._cursor(cap.char_start + 8, cap.char_start + 8))
    with qtbot.wait_signal(view.clauseClicked) as clicked:
        qtbot.mouseClick(view.text.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert clicked.args == ["c1"]
    # a selection drawn with the mouse (as the text reports it on release: positions in
    # the text shown, deleted words included) is the reviewer's span in the review's text
    shown = view.offsets.shown(law.char_start + 5), view.offsets.shown(law.char_start + 30)
    with qtbot.wait_signal(view.spanSelected) as selected:
        view.text.released.emit(*shown)
    assert selected.args == [law.char_start + 5, law.char_start + 30]


def test_a_text_file_is_shown_by_its_blocks(qtbot: QtBot) -> None:
    doc = plain_text("AGREEMENT\n\n1. Term. One year.\n\n2. Law. New York.\n")
    view = _view(qtbot, doc, [])
    assert view.text.toPlainText().split("\n") == ["AGREEMENT", "1. Term. One year.",
                                                    "2. Law. New York."]  # fmt: skip
    assert not view.margin.isVisible()
