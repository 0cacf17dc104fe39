"""The reviewer's actions on the open document, each a QAction with its key: next and previous
clause, accept, reject, relabel, comment, add the selected words as a clause, make them the
clause's span, undo and redo. Each correction goes to the store through the
:class:`~westfall_legal.session.workspace.Workspace`; then every view is redrawn from the store's
state, so what is shown is what was stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence, QPen

from westfall_legal.errors import KnownError
from westfall_legal.gui.page_items import Highlight, Marker
from westfall_legal.gui.style import category_colour, severity_colour, strength
from westfall_legal.session.present import fact_input, fact_text
from westfall_legal.session.rows import ClauseRow, canonical_category

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLineEdit

    from westfall_legal.gui.clause_panel import ClausePanel
    from westfall_legal.gui.detail_panel import DetailPanel
    from westfall_legal.gui.document_view import DocumentView
    from westfall_legal.gui.legend import Legend
    from westfall_legal.gui.summary_tab import SummaryTab
    from westfall_legal.session.workspace import Workspace
    from westfall_legal.settings import Settings
    from westfall_legal.store import Correction

REJECTED = QColor("#dcdcdc")
SELECTION = QColor(40, 110, 220, 70)
SEARCH = QColor(255, 214, 0, 110)
JUMP = QColor(255, 140, 0, 80)

# name: (menu text, key, what it does); key sequences are made once a QApplication exists
ACTIONS: dict[str, tuple[str, str | QKeySequence.StandardKey, str]] = {
    "next": ("&Next clause", "J", "Go to the next clause in the table"),
    "previous": ("&Previous clause", "K", "Go to the previous clause in the table"),
    "accept": ("&Accept", "A", "The clause is right as it is"),
    "reject": ("&Reject", "R", "This is not such a clause"),
    "relabel": ("Re&label…", "L", "Type the right category in the picker, then Enter"),
    "comment": ("&Comment…", "C", "Write a note on the clause, then Enter"),
    "add_clause": ("Add as &new clause", "N", "The selected words are a clause the model missed"),
    "set_span": ("Make it the clause's &span", "S", "The clause is exactly the selected words"),
    "undo": ("&Undo", QKeySequence.StandardKey.Undo, "Undo your last correction"),
    "redo": ("Re&do", QKeySequence.StandardKey.Redo, "Make the undone correction again"),
}


DONE = {
    "accept": "Accepted",
    "reject": "Rejected",
    "relabel": "Relabelled",
    "span": "Changed the span of",
    "comment": "Commented on",
    "add": "Added",
    "fact": "Corrected the fact",
}


def said(ws: Workspace, made: Correction, undo: str = "Ctrl+Z", redo: str = "Ctrl+Shift+Z") -> str:
    """The status line after a correction: what was stored, as whom, what undoes it, and
    how far the review has come ("Rejected §12 Uncapped Liability. Stored as A. Reviewer
    (Ctrl+Z undoes it). 1 of 34 clauses reviewed.")."""
    action, ref, after = made.action, made.ref, made.after
    undone = action == "undo"
    if undone:  # the undo names what it cancelled
        action, after = made.before["action"], made.before.get("after")
    if action == "add":
        what = f"{after['category']} as a new clause" if isinstance(after, dict) else "a clause"
    elif action == "fact":
        value = after.get("value") if isinstance(after, dict) else after
        what = f"{str(ref).replace('_', ' ')}: {fact_text(str(ref), value)}"
    elif action == "comment" and made.target is None:
        what = "the document"
    else:
        what = ws.clause_name(ref) if ref else "the clause"
        if action == "relabel":
            what += f" as {after}"
    verb = DONE.get(action, action.capitalize())
    done, total = ws.reviewed()
    keys = f"{redo} makes it again" if undone else f"{undo} undoes it"
    head = f"Undone: {verb.lower()} {what}" if undone else f"{verb} {what}"
    again = " (made again)" if made.redoes else ""
    return f"{head}{again}. Stored as {made.reviewer} ({keys}). {done} of {total} clauses reviewed."


class Host(Protocol):
    """What the corrector uses of the window: its panels, the open workspace, the settings
    and the status line (the main window is one; a test may pass its own)."""

    clauses: ClausePanel
    detail: DetailPanel
    legend: Legend
    view: DocumentView
    summary: SummaryTab
    find_box: QLineEdit
    settings: Settings
    workspace: Workspace | None

    def status(self, text: str) -> None: ...

    def show_error(self, exc: BaseException) -> None: ...


class Corrector(QObject):
    refreshed = Signal()  # redrawn from the stored state (a correction made, undone, refused)

    def __init__(self, host: Host, parent: QObject) -> None:
        super().__init__(parent)
        self.w = host  # the panels are made after the corrector: read them when used
        self.selection: tuple[int, int] | None = None
        self.hits: list[tuple[int, int]] = []
        self.hit = -1
        self._query = ""
        slots: dict[str, Callable[[], object]] = {
            "next": lambda: self.w.clauses.step(1),
            "previous": lambda: self.w.clauses.step(-1),
            "accept": lambda: self._on_current(lambda ws, row: ws.accept(row.id)),
            "reject": lambda: self._on_current(lambda ws, row: ws.reject(row.id)),
            "relabel": lambda: self.w.detail.focus_picker(),
            "comment": lambda: self.w.detail.focus_comment(),
            "add_clause": self.add_clause,
            "set_span": self.set_span,
            "undo": lambda: self._run(lambda ws: ws.undo()),
            "redo": lambda: self._run(lambda ws: ws.redo()),
        }
        self.actions: dict[str, QAction] = {}
        for name, (text, key, tip) in ACTIONS.items():
            action = QAction(text, parent)
            action.setShortcut(QKeySequence(key))
            action.setToolTip(f"{tip} ({QKeySequence(key).toString()})")
            action.setStatusTip(tip)
            action.triggered.connect(slots[name])
            self.actions[name] = action
        self.update_actions()

    def connect_panels(self) -> None:
        self.w.clauses.thresholdChanged.connect(self.draw_highlights)
        self.w.detail.relabelRequested.connect(self.relabel)
        self.w.detail.commentRequested.connect(self.comment)

    @property
    def workspace(self) -> Workspace | None:
        return self.w.workspace

    def current(self) -> ClauseRow | None:
        ws, clause_id = self.workspace, self.w.clauses.current_id()
        return ws.row(clause_id) if ws and clause_id else None

    # Showing -------------------------------------------------------------------------------

    def document_opened(self) -> None:
        ws = self.workspace
        assert ws is not None
        self.selection, self.hits, self.hit, self._query = None, [], -1, ""
        self.w.view.word_span = ws.span_under
        self.w.view.set_layer(
            "ocr-doubt",
            ws.low_confidence(self.w.settings.review_threshold),
            QBrush(QColor(120, 120, 120, 90), Qt.BrushStyle.BDiagPattern),
            z=5,
        )
        self.w.summary.show_review(
            ws.data.get("contract_type"),
            ws.state.facts,
            ws.state.findings,
            ws.data.get("summary"),
            ws.clause_names(),
        )
        self.w.detail.show_selection(None)
        self.refresh()
        if ws.rows:
            self.w.clauses.select(self.w.clauses.visible_ids()[0], notify=False)
            self.show_detail()
            self.update_actions()

    def refresh(self) -> None:
        """Redraw the table, the highlights, the marks and the detail from the stored state."""
        ws = self.workspace
        if ws is None:
            return
        self.w.clauses.set_rows(ws.rows)
        self.draw_highlights()
        self.w.view.set_markers(self._markers(ws))
        self.show_legend()
        self.show_detail()
        self.w.detail.show_progress(*ws.reviewed())
        self.update_actions()
        self.refreshed.emit()  # the draft view's shading (draft_view.py)

    def draw_highlights(self) -> None:
        """Every clause on its words: its category's colour, fainter as the model is less
        sure, hatched below the threshold, grey once rejected."""
        ws = self.workspace
        if ws is None:
            return
        below = self.w.clauses.threshold()
        highlights = []
        for row in ws.rows:
            sure = "added by a reviewer" if row.confidence is None else f"{row.confidence:.0%}"
            weak = row.confidence is not None and row.confidence < below
            highlights.append(
                Highlight(
                    row.id,
                    REJECTED if row.status == "rejected" else category_colour(row.category),
                    ws.boxes(row.char_start, row.char_end),
                    f"{row.category} ({sure}{', below the threshold' if weak else ''})\n"
                    f"{row.section or row.ref}, page {row.page}",
                    strength=strength(row.confidence),
                    hatched=weak,
                    in_margin=row.status != "rejected",
                )
            )
        self.w.view.set_highlights(highlights)
        self.w.view.select_clause(self.w.clauses.current_id(), flash=False)
        self.show_legend()

    def show_legend(self, page: int = 0) -> None:
        """The legend names the categories highlighted on the page shown."""
        ws = self.workspace
        if ws is None:
            self.w.legend.clear()
            return
        page = page or self.w.view.current_page or 1
        on_page = [
            r.category
            for r in ws.rows
            if r.status != "rejected" and page in ws.boxes(r.char_start, r.char_end)
        ]
        self.w.legend.show_page(page, on_page, self.w.clauses.threshold())

    def _markers(self, ws: Workspace) -> list[Marker]:
        marks = []
        for finding in ws.state.findings:
            row = next((ws.row(ref) for ref in finding.get("citations", []) if ws.row(ref)), None)
            spans = finding.get("spans") or []
            span = (row.char_start, row.char_end) if row else (spans[0] if spans else None)
            if not span:
                continue
            boxes = ws.boxes(int(span[0]), int(span[1]))
            if boxes:
                page = min(boxes)
                tip = (
                    f"{finding['severity'].capitalize()}: {finding.get('title') or finding['rule']}"
                )
                marks.append(
                    Marker(page, boxes[page][0], severity_colour(finding["severity"]), tip)
                )
        return marks

    def update_actions(self) -> None:
        ws, row = self.workspace, self.current()
        on_row = row is not None
        for name in ("accept", "reject", "relabel", "comment"):
            self.actions[name].setEnabled(on_row)
        self.actions["next"].setEnabled(ws is not None)
        self.actions["previous"].setEnabled(ws is not None)
        self.actions["add_clause"].setEnabled(self.selection is not None)
        self.actions["set_span"].setEnabled(self.selection is not None and on_row)
        self.actions["undo"].setEnabled(bool(ws and ws.can_undo()))
        self.actions["redo"].setEnabled(bool(ws and ws.can_redo()))

    # Going places --------------------------------------------------------------------------

    def clause_selected(self, clause_id: str) -> None:
        self.w.view.select_clause(clause_id)
        self.show_detail()
        self.update_actions()

    def show_detail(self) -> None:
        """The current clause in the detail pane, with the findings that cite it."""
        row, ws = self.current(), self.workspace
        self.w.detail.show_row(row, ws.findings_of(row.ref) if ws and row else ())

    def go_to_ref(self, ref: str) -> None:
        row = self.workspace.row(ref) if self.workspace else None
        if row is None:
            self.w.status(f"There is no clause {ref} in this review.")
            return
        self.w.clauses.select(row.id)

    def open_finding(self, finding: Mapping[str, Any]) -> bool:
        """Select the first clause a finding cites (True); a finding that cites no clause
        is shown on the words it rests on (False: there is no clause to open)."""
        ws = self.workspace
        if ws is None:
            return False
        rows = [r for r in (ws.row(ref) for ref in finding.get("citations", [])) if r]
        if rows:
            self.w.clauses.select(rows[0].id)
            return True
        spans = finding.get("spans") or []
        if spans:
            self.go_to_span(int(spans[0][0]), int(spans[0][1]))
        return False

    def filter_by(self, kind: str, value: Any) -> bool:
        """Show in the clause list the clauses of a severity (``risk``), of a ``finding``
        (those it cites) or of a ``fact`` (those holding its words); False if there are none."""
        ws = self.workspace
        if ws is None:
            return False
        if kind == "risk":
            self.w.clauses.filter_risk(str(value))
            shown = self.w.clauses.visible_ids()
            if shown:
                self.w.clauses.select(shown[0])
            return True
        if kind == "finding":
            title = value.get("title") or value["rule"]
            ids = [r.id for r in (ws.row(ref) for ref in value.get("citations", [])) if r]
            label = f"The clauses cited by the {value['severity']} finding “{title}”"
        else:
            fact = ws.state.facts.get(str(value))
            if fact is None:
                return False
            ids = [r.id for r in ws.clauses_at(fact.char_start, fact.char_end)]
            value_text = fact_text(fact.name, fact.value)
            label = f"The clauses holding the fact {fact.name.replace('_', ' ')} ({value_text})"
        if not ids:
            self.w.status(f"{label[4:]}: there are none.")
            return False
        self.w.clauses.show_only(ids, f"{label}: {len(ids)}")
        self.w.clauses.select(ids[0])
        return True

    def go_to_span(self, char_start: int, char_end: int) -> None:
        if self.workspace is None:
            return
        boxes = self.workspace.boxes(char_start, char_end)
        self.w.view.set_layer("jump", boxes, QBrush(JUMP), z=1.5, merge=True)
        self.w.view.show_span(boxes)

    def select_span(self, char_start: int, char_end: int) -> None:
        """Words selected on the page: show them, and the clause(s) they belong to."""
        ws = self.workspace
        if ws is None:
            return
        self.selection = (char_start, char_end)
        boxes = ws.boxes(char_start, char_end)
        self.w.view.set_layer(
            "selection", boxes, QBrush(SELECTION), QPen(SELECTION.darker(150), 0.4), z=6
        )
        self.w.detail.show_selection(ws.text(char_start, char_end), min(boxes, default=0))
        inside = ws.clauses_at(char_start, char_end)
        if inside:
            self.w.clauses.select(inside[0].id)
            names = ", ".join(f"{r.category} ({r.ref})" for r in inside)
            self.w.status(f"The selection is in: {names}.")
        else:
            self.w.status("The selection is in no clause: press N to add it as one.")
        self.update_actions()

    def find_next(self) -> None:
        ws, query = self.workspace, self.w.find_box.text().strip()
        if ws is None or not query:
            self.w.view.set_layer("search", {}, QBrush(SEARCH))
            return
        if query != self._query:
            self._query, self.hits, self.hit = query, ws.search(query), -1
            boxes: dict[int, list[tuple[float, float, float, float]]] = {}
            for start, end in self.hits:
                for page, found in ws.boxes(start, end).items():
                    boxes.setdefault(page, []).extend(found)
            self.w.view.set_layer("search", boxes, QBrush(SEARCH), z=1.5, merge=True)
        if not self.hits:
            self.w.status(f"“{query}” is not in the document.")
            return
        self.hit = (self.hit + 1) % len(self.hits)
        self.w.view.show_span(ws.boxes(*self.hits[self.hit]))
        self.w.status(f"“{query}”: {self.hit + 1} of {len(self.hits)}")

    # Correcting ----------------------------------------------------------------------------

    def relabel(self, typed: str) -> None:
        row = self.current()
        if row is None:
            return
        category = canonical_category(typed)
        if category is None:
            self.w.status(f"“{typed}” is not a CUAD category: pick one from the list.")
            return
        if category != row.category:
            self._on_current(lambda ws, r: ws.relabel(r.id, category))
        self.w.clauses.table.setFocus()

    def comment(self, text: str) -> None:
        if self._on_current(lambda ws, r: ws.comment(text, r.id)):
            self.w.detail.comment.clear()
            self.w.clauses.table.setFocus()

    def add_clause(self) -> None:
        if self.selection is None:
            return
        category = canonical_category(self.w.detail.picker.currentText())
        if category is None:
            self.w.detail.focus_picker()
            self.w.status("Pick the new clause's category first, then press N again.")
            return
        start, end = self.selection
        if self._run(lambda ws: ws.add_clause(category, start, end)):
            added = (
                next((r for r in reversed(self.workspace.rows) if r.source == "reviewer"), None)
                if self.workspace
                else None
            )
            if added is not None:
                self.w.clauses.select(added.id)

    def set_span(self) -> None:
        if self.selection is not None:
            start, end = self.selection
            self._on_current(lambda ws, r: ws.change_span(r.id, start, end))

    def edit_fact(self, name: str, value: str) -> None:
        """Store a fact typed in the summary; a value the store refuses (not the fact's form)
        is said, and the cell goes back to the stored value."""
        self._run(lambda ws: ws.edit_fact(name, fact_input(name, value)))
        if self.workspace:
            self.w.summary.show_facts(self.workspace.state.facts)

    def _on_current(self, act: Callable[[Workspace, ClauseRow], Correction]) -> bool:
        row = self.current()
        return row is not None and self._run(lambda ws: act(ws, row))

    def _run(self, act: Callable[[Workspace], Correction]) -> bool:
        """One correction through the store; a refusal is shown and changes nothing."""
        ws = self.workspace
        if ws is None:
            return False
        try:
            made = act(ws)
        except KnownError as exc:
            self.w.show_error(exc)
            ws.refresh()
            return False
        finally:
            self.refresh()
        undo, redo = (self.actions[n].shortcut().toString() for n in ("undo", "redo"))
        self.w.status(said(ws, made, undo, redo))
        return True
