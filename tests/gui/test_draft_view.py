"""The draft view on the sample agreement as a Word draft (made by python-docx): Word's
numbers in the text, tracked insertions and deletions marked, the two reviewers' comments
in the margin, clauses shaded, and a clause, a search hit and a mouse selection found by
the review's own character spans."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from gui_helpers import SAMPLE, review
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.docx_samples import sample_bytes, write
from westfall_legal.gui.draft_view import DELETED, INSERTED, DraftView
from westfall_legal.gui.main_window import MainWindow
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


class _Panel(QObject):
    clauseSelected = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.selected: list[str] = []

    def select(self, clause_id: str, *, notify: bool = True) -> bool:
        self.selected.append(clause_id)
        return True


class _Corrector(QObject):
    refreshed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[tuple[int, int]] = []

    def select_span(self, char_start: int, char_end: int) -> None:
        self.spans.append((char_start, char_end))


def test_in_the_window_it_stands_in_for_the_pages(qtbot: QtBot, draft: DocumentText) -> None:
    cap = _row(draft, "12.2 Cap on Liability", "c1", "Cap On Liability")
    law = _row(draft, "Governing Law.", "c2", "Governing Law")
    pages, find_box = QWidget(), QLineEdit()
    qtbot.add_widget(pages)
    qtbot.add_widget(find_box)
    window = SimpleNamespace(clauses=_Panel(), corrector=_Corrector(), find_box=find_box,
                             workspace=SimpleNamespace(rows=[cap, law]))  # fmt: skip
    view = DraftView()
    qtbot.add_widget(view)
    view.follow(window)  # type: ignore[arg-type]
    assert view.isHidden()
    view.show_review(draft, [cap], pages)
    assert not view.isHidden()
    assert pages.isHidden() and len(view.text.extraSelections()) == 1
    window.clauses.clauseSelected.emit("c2")  # the clause panel's choice, shown here
    assert view.selected_span() == (law.char_start, law.char_end)
    assert len(view.text.extraSelections()) == 2  # the workspace's rows, refreshed
    view.text.released.emit(
        view.offsets.shown(cap.char_start + 3), view.offsets.shown(cap.char_start + 3)
    )
    assert window.clauses.selected == ["c1"]  # a click on a clause, to the clause panel
    find_box.setText("Statement of Work")
    hits = view.search("statement of work")
    assert len(hits) > 2
    find_box.returnPressed.emit()
    assert view.selected_span() == hits[0]
    find_box.returnPressed.emit()
    assert view.selected_span() == hits[1]
    view.show_review(plain_text_of_pages(), [], pages)  # a PDF's review: the pages again
    assert view.isHidden() and not pages.isHidden()


def plain_text_of_pages() -> DocumentText:
    doc = plain_text("1. Term. One year.\n")
    return DocumentText(doc.text, doc.tokens, doc.lines, source="pages")


def test_the_window_shows_a_word_draft_reflowed(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """Open the sample as a Word draft in the main window: the draft view, not the pages,
    with its clauses; a clause chosen in the clause panel is shown in the draft."""
    if not hasattr(window, "draft"):
        pytest.skip("the main window does not show drafts yet (the DraftView wiring hunk)")
    review(qtbot, window, write(tmp_path, "msa.docx", sample_bytes()))
    assert window.workspace is not None, window.status_text.text()
    draft = window.draft
    assert not draft.isHidden() and window.view.isHidden()
    rows = window.workspace.rows
    assert rows and len(draft.text.extraSelections()) == sum(r.status != "rejected" for r in rows)
    assert "12.1 Exclusion of Certain Damages." in draft.text.toPlainText()
    row = rows[len(rows) // 2]
    window.clauses.select(row.id)
    assert draft.selected_span() == (row.char_start, row.char_end)
    review(qtbot, window, SAMPLE)  # a PDF: the pages again
    assert draft.isHidden() and not window.view.isHidden()
