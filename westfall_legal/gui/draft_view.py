"""The draft view: a Word draft (or a text file) reflowed as a document, not as pages.

Each paragraph of the draft as Word shows it (its automatic number at its start, as the
review reads it), tracked insertions underlined in green and tracked deletions struck
through in red at the place they were deleted from, the clauses shaded in their category's
colour, and the draft's comments in the margin beside the text (a click on one shows its
anchor). The same calls as the page view where a draft has no pages: a clause is selected
and shown by its span (``select_clause``), a search hit likewise (``show_text_span``), a
click on a clause says which (``clauseClicked``) and a selection with the mouse is the
reviewer's span (``spanSelected``), in the characters of the review's text.

The text shown holds characters the review's text does not (the deleted words, paragraph
breaks as Qt writes them); ``_Offsets`` maps between the two.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QColor, QMouseEvent, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QWidget,
)

from westfall_legal.gui.signals import emit
from westfall_legal.models import DocumentText, Revision
from westfall_legal.session.rows import ClauseRow

INSERTED = QColor("#0a6b2d")
DELETED = QColor("#b00020")
COMMENTED = QColor("#fff2a8")
MARGIN_WIDTH = 260


def category_colour(category: str) -> QColor:
    """A light shade per category, the same every time."""
    hue = sum(ord(c) * (n + 1) for n, c in enumerate(category)) % 360
    return QColor.fromHsv(hue, 60, 250)


class _Panel(Protocol):
    @property
    def clauseSelected(self) -> SignalInstance: ...

    def select(self, clause_id: str, *, notify: bool = True) -> bool: ...


class _Corrector(Protocol):
    @property
    def refreshed(self) -> SignalInstance: ...

    def select_span(self, char_start: int, char_end: int) -> None: ...


class _Workspace(Protocol):
    @property
    def rows(self) -> Sequence[ClauseRow]: ...


class Window(Protocol):
    """What the draft view uses of the main window."""

    @property
    def clauses(self) -> _Panel: ...
    @property
    def corrector(self) -> _Corrector: ...
    @property
    def find_box(self) -> QLineEdit: ...
    @property
    def workspace(self) -> _Workspace | None: ...


@dataclass(frozen=True, slots=True)
class _Piece:
    doc: int  # where it starts in the review's text
    shown: int  # where it starts in the text shown
    length: int


class _Offsets:
    """Positions in the review's text <-> positions in the text shown."""

    def __init__(self) -> None:
        self.pieces: list[_Piece] = []

    def add(self, doc: int, shown: int, length: int) -> None:
        if length > 0:
            self.pieces.append(_Piece(doc, shown, length))

    def shown(self, doc: int) -> int:
        i = max(bisect.bisect_right([p.doc for p in self.pieces], doc) - 1, 0)
        if not self.pieces:
            return 0
        p = self.pieces[i]
        return p.shown + min(max(doc - p.doc, 0), p.length)

    def doc(self, shown: int) -> int:
        i = max(bisect.bisect_right([p.shown for p in self.pieces], shown) - 1, 0)
        if not self.pieces:
            return 0
        p = self.pieces[i]
        return p.doc + min(max(shown - p.shown, 0), p.length)


class _Text(QTextBrowser):
    """The text, telling its owner where the mouse was released."""

    released = Signal(int, int)  # anchor and position of the selection in the text shown

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        cursor = self.textCursor()
        if cursor.hasSelection():
            emit(self.released, cursor.selectionStart(), cursor.selectionEnd())
        else:
            at = self.cursorForPosition(event.position().toPoint()).position()
            emit(self.released, at, at)


class DraftView(QWidget):
    clauseClicked = Signal(str)  # the clause row's id
    spanSelected = Signal(int, int)  # char_start, char_end in the review's text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = _Text(self)
        self.text.setOpenLinks(False)
        self.text.setAccessibleName("Draft")
        self.margin = QListWidget(self)
        self.margin.setAccessibleName("Comments in the draft")
        self.margin.setWordWrap(True)
        self.margin.setFixedWidth(MARGIN_WIDTH)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.margin)
        self.offsets = _Offsets()
        self.rows: list[ClauseRow] = []
        self.doc_text: DocumentText | None = None
        self._window: Window | None = None
        self._query, self._hits, self._hit = "", list[tuple[int, int]](), -1
        self.text.released.connect(self._released)
        self.margin.itemClicked.connect(self._comment_clicked)

    # what is shown -----------------------------------------------------------------------
    def show_draft(self, doc_text: DocumentText, rows: Sequence[ClauseRow] = ()) -> None:
        """Show the draft's paragraphs, tracked changes and comments, and ``rows`` shaded."""
        self.doc_text = doc_text
        self.offsets = _Offsets()
        document = QTextDocument(self)
        cursor = QTextCursor(document)
        deletions = sorted(
            (r for r in doc_text.revisions if r.kind == "deletion"), key=lambda r: r.char_start
        )
        blocks = _blocks(doc_text)
        for n, (start, end, small) in enumerate(blocks):
            if n:
                cursor.insertBlock()
            plain = QTextCharFormat()
            if small:
                plain.setFontPointSize(8.5)
                plain.setForeground(QColor("#556"))
            self._insert(cursor, doc_text.text, start, end, plain, deletions)
        self.text.setDocument(document)
        for r in doc_text.revisions:
            if r.kind == "insertion":
                self._format(r.char_start, r.char_end, _inserted(r))
        self.margin.clear()
        for c in doc_text.comments:
            item = QListWidgetItem(f"{c.author or '?'}: {c.text}")
            item.setData(Qt.ItemDataRole.UserRole, (c.char_start, c.char_end))
            item.setToolTip(doc_text.text[c.char_start : c.char_end] or c.text)
            self.margin.addItem(item)
            if c.char_end > c.char_start:
                fmt = QTextCharFormat()
                fmt.setBackground(COMMENTED)
                self._format(c.char_start, c.char_end, fmt)
        self.margin.setVisible(bool(doc_text.comments))
        self.set_rows(rows)

    def _insert(
        self,
        cursor: QTextCursor,
        text: str,
        start: int,
        end: int,
        plain: QTextCharFormat,
        deletions: list[Revision],
    ) -> None:
        """``text[start:end]``, with each deletion up to its end (taken from the front of
        ``deletions``) shown where it was."""
        at = start
        while deletions and deletions[0].char_start <= end:
            d = deletions.pop(0)
            where = min(max(d.char_start, at), end)
            self.offsets.add(at, cursor.position(), where - at)
            cursor.insertText(text[at:where], plain)
            struck = QTextCharFormat(plain)
            struck.setFontStrikeOut(True)
            struck.setForeground(DELETED)
            struck.setToolTip(_who(d, "deleted"))
            cursor.insertText(d.text.replace("\n", " "), struck)
            at = where
        self.offsets.add(at, cursor.position(), end - at)
        cursor.insertText(text[at:end], plain)

    def set_rows(self, rows: Sequence[ClauseRow]) -> None:
        """Shade each clause (a rejected one not) in its category's colour."""
        self.rows = list(rows)
        selections = []
        for row in self.rows:
            if row.status == "rejected":
                continue
            selection = QTextBrowser.ExtraSelection()
            selection.cursor = self._cursor(row.char_start, row.char_end)
            fmt = QTextCharFormat()
            fmt.setBackground(category_colour(row.category))
            fmt.setToolTip(f"{row.category} ({row.status})")
            selection.format = fmt
            selections.append(selection)
        self.text.setExtraSelections(selections)

    # in the window ------------------------------------------------------------------------
    def follow(self, window: Window) -> None:
        """Take the page view's part for drafts in ``window``: clicks and selections go to
        its clause panel and corrector, its clause panel's choice and its find box come
        here, and the shading follows each correction as soon as it is made (undone, or
        refused) and each time a clause is chosen."""
        self._window = window
        self.hide()
        self.clauseClicked.connect(window.clauses.select)
        self.spanSelected.connect(window.corrector.select_span)
        window.clauses.clauseSelected.connect(self._chosen)
        window.corrector.refreshed.connect(self._corrected)
        window.find_box.returnPressed.connect(self._find_next)

    def show_review(
        self, doc_text: DocumentText, rows: Sequence[ClauseRow], pages: QWidget
    ) -> None:
        """A document without pages (a draft, a text file) here, instead of ``pages``."""
        drafted = not doc_text.lines or doc_text.source != "pages"
        pages.setVisible(not drafted)
        self.setVisible(drafted)
        if drafted:
            self.show_draft(doc_text, rows)

    def _corrected(self) -> None:
        """The clauses shaded as the stored state has them now."""
        workspace = self._window.workspace if self._window is not None else None
        if self.isVisible() and workspace is not None:
            self.set_rows(workspace.rows)

    def _chosen(self, clause_id: str) -> None:
        if self.isVisible():
            self._corrected()
            self.select_clause(clause_id)

    def _find_next(self) -> None:
        if not self.isVisible() or self._window is None:
            return
        query = self._window.find_box.text()
        if query != self._query:
            self._query, self._hits, self._hit = query, self.search(query), -1
        if self._hits:
            self._hit = (self._hit + 1) % len(self._hits)
            self.show_text_span(*self._hits[self._hit])

    # moving about ------------------------------------------------------------------------
    def select_clause(self, clause_id: str | None) -> None:
        row = next((r for r in self.rows if r.id == clause_id), None)
        if row is not None:
            self.show_text_span(row.char_start, row.char_end)

    def show_text_span(self, char_start: int, char_end: int) -> None:
        """Select the review's characters ``[char_start, char_end)`` and scroll to them."""
        self.text.setTextCursor(self._cursor(char_start, char_end))
        self.text.ensureCursorVisible()

    def selected_span(self) -> tuple[int, int] | None:
        cursor = self.text.textCursor()
        if not cursor.hasSelection():
            return None
        return self.offsets.doc(cursor.selectionStart()), self.offsets.doc(cursor.selectionEnd())

    def search(self, query: str) -> list[tuple[int, int]]:
        """Every place of ``query`` (any case) in the review's text."""
        if self.doc_text is None or not query.strip():
            return []
        text, want = self.doc_text.text.casefold(), query.casefold()
        hits, at = [], text.find(want)
        while at >= 0:
            hits.append((at, at + len(want)))
            at = text.find(want, at + 1)
        return hits

    def shown_text(self, char_start: int, char_end: int) -> str:
        """What the view shows for the review's ``[char_start, char_end)`` (deleted words
        included), paragraphs on lines of their own."""
        return self._cursor(char_start, char_end).selectedText().replace("\u2029", "\n")

    # helpers -----------------------------------------------------------------------------
    def _cursor(self, char_start: int, char_end: int) -> QTextCursor:
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self.offsets.shown(char_start))
        cursor.setPosition(self.offsets.shown(char_end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _format(self, char_start: int, char_end: int, fmt: QTextCharFormat) -> None:
        self._cursor(char_start, char_end).mergeCharFormat(fmt)

    def _released(self, anchor: int, position: int) -> None:
        start, end = self.offsets.doc(anchor), self.offsets.doc(position)
        if end > start:
            emit(self.spanSelected, start, end)
            return
        under = [r for r in self.rows if r.char_start <= start < r.char_end]
        if under:
            emit(self.clauseClicked, min(under, key=lambda r: r.char_end - r.char_start).id)

    def _comment_clicked(self, item: QListWidgetItem) -> None:
        start, end = item.data(Qt.ItemDataRole.UserRole)
        self.show_text_span(start, max(end, start))


def _blocks(doc_text: DocumentText) -> list[tuple[int, int, bool]]:
    """The paragraphs shown: a draft's own (footnotes small); a text file's blocks."""
    if doc_text.paragraphs:
        return [(p.char_start, p.char_end, p.part == "footnote") for p in doc_text.paragraphs]
    out: list[tuple[int, int, int]] = []  # start, end, block
    for line in doc_text.lines:
        if out and line.block == out[-1][2]:
            out[-1] = (out[-1][0], line.char_end, line.block)
        else:
            out.append((line.char_start, line.char_end, line.block))
    return [(start, end, False) for start, end, _ in out]


def _who(r: Revision, did: str) -> str:
    when = f" on {r.date[:10]}" if r.date else ""
    return f"{did} by {r.author or 'an unnamed author'}{when}"


def _inserted(r: Revision) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(INSERTED)
    fmt.setFontUnderline(True)
    fmt.setToolTip(_who(r, "inserted"))
    return fmt
