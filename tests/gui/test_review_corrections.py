"""Keyboard review: every correction goes through the store (and its audit log), and the
table, the highlights and the progress bar show what was stored."""

from __future__ import annotations

from gui_helpers import REVIEWER, SAMPLE, review
from PySide6.QtCore import QRectF, Qt
from pytestqt.qtbot import QtBot

from westfall_legal.gui.main_window import MainWindow
from westfall_legal.gui.signals import emit
from westfall_legal.gui.style import category_colour
from westfall_legal.session.rows import ClauseRow
from westfall_legal.session.workspace import Workspace
from westfall_legal.store import Store


def _ws(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def _stored(store: Store, window: MainWindow, clause_id: str) -> tuple[str, str]:
    state = store.corrections.state(_ws(window).document_id)
    clause = next(c for c in state.clauses if c.id == clause_id)
    return clause.category, clause.status


def _table_text(window: MainWindow, clause_id: str, column: int) -> str:
    model = window.clauses.model
    row = next(i for i, r in enumerate(model.rows) if r.id == clause_id)
    return str(model.data(model.index(row, column)))


def _go_to(qtbot: QtBot, window: MainWindow, row: ClauseRow) -> None:
    window.clauses.select(row.id)
    window.clauses.table.setFocus()
    qtbot.waitUntil(window.clauses.table.hasFocus, timeout=2000)


def test_accept_relabel_undo_redo_with_the_keyboard(
    qtbot: QtBot, reviewed: MainWindow, store: Store
) -> None:
    ws = _ws(reviewed)
    target = next(r for r in ws.rows if r.category != "Governing Law")
    _go_to(qtbot, reviewed, target)
    table = reviewed.clauses.table

    qtbot.keyClick(table, Qt.Key.Key_A)
    assert _stored(store, reviewed, target.id) == (target.category, "accepted")
    assert "accepted" in _table_text(reviewed, target.id, 5)
    assert reviewed.detail.progress.value() == 1

    qtbot.keyClick(table, Qt.Key.Key_L)  # to the category picker, type ahead, Enter
    picker = reviewed.detail.picker
    assert picker.hasFocus() or picker.lineEdit().hasFocus()  # type: ignore[union-attr]
    line = picker.lineEdit()
    assert line is not None
    line.clear()
    qtbot.keyClicks(line, "governing law")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert _stored(store, reviewed, target.id) == ("Governing Law", "accepted")
    assert _table_text(reviewed, target.id, 0).startswith("Governing Law")
    events = [e.payload for e in store.audit.entries() if e.event == "correction"]
    assert [(p or {}).get("action") for p in events] == ["accept", "relabel"]
    assert (events[-1] or {})["reviewer"] == REVIEWER
    assert reviewed.view.highlight_items(target.id)[0].colour == category_colour("Governing Law")

    qtbot.keyClick(reviewed.clauses.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _stored(store, reviewed, target.id) == (target.category, "accepted")
    assert _table_text(reviewed, target.id, 0).startswith(target.category)
    assert reviewed.corrector.actions["redo"].isEnabled()

    reviewed.corrector.actions["redo"].trigger()
    assert _stored(store, reviewed, target.id) == ("Governing Law", "accepted")
    reviewed.corrector.actions["undo"].trigger()
    reviewed.corrector.actions["undo"].trigger()
    assert _stored(store, reviewed, target.id) == (target.category, "proposed")
    assert reviewed.detail.progress.value() == 0
    assert not reviewed.corrector.actions["undo"].isEnabled()
    actions = [
        (e.payload or {}).get("action") for e in store.audit.entries() if e.event == "correction"
    ]
    assert actions == ["accept", "relabel", "undo", "relabel", "undo", "undo"]
    store.audit.verify()


def test_reject_and_next_clause_and_a_bad_category(
    qtbot: QtBot, reviewed: MainWindow, store: Store
) -> None:
    ws = _ws(reviewed)
    first = reviewed.clauses.visible_ids()[0]
    _go_to(qtbot, reviewed, ws.row(first))  # type: ignore[arg-type]
    qtbot.keyClick(reviewed.clauses.table, Qt.Key.Key_R)
    assert _stored(store, reviewed, first)[1] == "rejected"
    qtbot.keyClick(reviewed.clauses.table, Qt.Key.Key_J)
    second = reviewed.clauses.current_id()
    assert second == reviewed.clauses.visible_ids()[1]
    qtbot.keyClick(reviewed.clauses.table, Qt.Key.Key_K)
    assert reviewed.clauses.current_id() == first
    reviewed.corrector.relabel("Not A Category")
    assert "not a CUAD category" in reviewed.status_text.text()
    assert _stored(store, reviewed, first)[1] == "rejected"


def test_comment_then_add_a_missed_clause_from_words_selected_on_the_page(
    qtbot: QtBot, reviewed: MainWindow, store: Store
) -> None:
    ws = _ws(reviewed)
    row = ws.rows[3]
    _go_to(qtbot, reviewed, row)
    qtbot.keyClick(reviewed.clauses.table, Qt.Key.Key_C)
    qtbot.keyClicks(reviewed.detail.comment, "Check against the side letter")
    qtbot.keyClick(reviewed.detail.comment, Qt.Key.Key_Return)
    stored = ws.row(row.id)
    assert stored is not None and stored.comments == ("Check against the side letter",)
    assert "side letter" in reviewed.detail.comments.text()

    # a band drawn over the first recital's words
    view = reviewed.view
    assert not reviewed.corrector.actions["add_clause"].isEnabled()
    (page, boxes), *_ = ws.boxes(*ws.search("Provider is engaged in the business")[0]).items()
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    view.select_band(QRectF(view.scene_rect(page, (x0 + 1, y0 + 1, x1 - 1, y1 - 1))))
    start, end = reviewed.corrector.selection or (0, 0)
    assert "Provider is engaged" in ws.text(start, end)
    assert view.layer_items("selection")
    reviewed.detail.picker.setCurrentText("Parties")
    before = len(ws.rows)
    reviewed.corrector.actions["add_clause"].trigger()
    assert len(ws.rows) == before + 1
    added = next(r for r in ws.rows if r.source == "reviewer")
    assert added.category == "Parties" and added.status == "accepted"
    assert reviewed.clauses.current_id() == added.id
    assert view.highlight_items(added.id)
    state = store.corrections.state(ws.document_id)
    assert any(c.source == "reviewer" and c.char_start == start for c in state.clauses)

    # the same words as the span of an existing clause
    reviewed.clauses.select(row.id)
    reviewed.corrector.actions["set_span"].trigger()
    moved = ws.row(row.id)
    assert moved is not None and (moved.char_start, moved.char_end) == (start, end)


def test_a_fact_edited_in_the_summary_is_stored(reviewed: MainWindow, store: Store) -> None:
    facts = reviewed.summary.facts
    row = next(r for r in range(facts.rowCount()) if facts.item(r, 0).text() == "governing law")  # type: ignore[union-attr]
    facts.item(row, 1).setText("Delaware")  # type: ignore[union-attr]
    state = store.corrections.state(_ws(reviewed).document_id)
    assert state.facts["governing_law"].value == "Delaware"


def test_a_fact_of_the_wrong_form_is_refused_and_not_left_in_the_table(
    reviewed: MainWindow, store: Store
) -> None:
    facts, doc = reviewed.summary.facts, _ws(reviewed).document_id
    rows = {facts.item(r, 0).text(): r for r in range(facts.rowCount())}  # type: ignore[union-attr]
    name = next(n for n in ("agreement_date", "effective_date") if n.replace("_", " ") in rows)
    row, before = rows[name.replace("_", " ")], store.corrections.state(doc)
    facts.item(row, 1).setText("not a date")  # type: ignore[union-attr]
    assert "YYYY-MM-DD" in reviewed.status_text.text()
    after = store.corrections.state(doc)
    assert after.facts[name].value == before.facts[name].value
    assert after.corrections == before.corrections
    assert facts.item(row, 1).text() == str(before.facts[name].value)  # type: ignore[union-attr]
    facts.item(row, 1).setText("2025-03-31")  # type: ignore[union-attr]
    assert store.corrections.state(doc).facts[name].value == "2025-03-31"


def test_opening_the_same_document_again_keeps_its_corrections(
    qtbot: QtBot, reviewed: MainWindow, store: Store
) -> None:
    ws = _ws(reviewed)
    row = ws.rows[0]
    ws.accept(row.id)
    matters = reviewed.matters
    assert matters.documents.topLevelItemCount() == 1
    sha = ws.review.document.sha256
    with qtbot.waitSignal(reviewed.reviewFinished, timeout=60_000):
        emit(matters.documentRequested, sha)
    again = _ws(reviewed)
    assert again is not ws and again.reused
    assert again.document_id == ws.document_id
    assert again.row(row.id).status == "accepted"  # type: ignore[union-attr]
    assert len(store.reviews.documents(matters.matter_id or "")) == 1
    assert "kept" in reviewed.status_text.text()
    review(qtbot, reviewed, SAMPLE)  # File > Open of the same file does the same
    assert _ws(reviewed).reused


def test_the_status_line_says_what_each_correction_stored(
    qtbot: QtBot, reviewed: MainWindow
) -> None:
    ws = _ws(reviewed)
    target = ws.rows[3]
    name = ws.clause_name(target.ref)
    _go_to(qtbot, reviewed, target)
    table = reviewed.clauses.table
    status = reviewed.status_text

    qtbot.keyClick(table, Qt.Key.Key_R)
    assert status.text() == (
        f"Rejected {name}. Stored as {REVIEWER} (Ctrl+Z undoes it). "
        f"1 of {len(ws.rows)} clauses reviewed."
    )
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert status.text().startswith(f"Undone: rejected {name}. Stored as {REVIEWER}")
    assert status.text().endswith(f"0 of {len(ws.rows)} clauses reviewed.")
    redo = reviewed.corrector.actions["redo"]
    assert redo.shortcut().toString() in status.text()
    redo.trigger()
    assert status.text().startswith(f"Rejected {name} (made again).")
    reviewed.corrector.relabel("governing law")
    assert status.text().startswith(f"Relabelled {ws.clause_name(target.ref)} as Governing Law.")
