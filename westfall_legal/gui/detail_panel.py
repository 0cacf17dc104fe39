"""The clause in detail, and the controls that correct it: accept, reject, relabel (a category
picker with type-ahead), comment, the words selected on the page (add them as a missed clause,
or make them the clause's span), undo and redo, and how much of the document is reviewed.

The buttons carry the main window's actions, so a button and its key do the same thing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from westfall_legal.categories import CATEGORIES
from westfall_legal.gui import theme
from westfall_legal.gui.signals import emit
from westfall_legal.gui.style import STATUS_TEXT, category_colour, severity_colour
from westfall_legal.session.rows import ClauseRow, canonical_category


def _button(action: QAction) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class DetailPanel(QWidget):
    relabelRequested = Signal(str)  # a category typed or picked in the picker
    commentRequested = Signal(str)

    def __init__(self, actions: Mapping[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("No clause selected", self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.facts = QLabel(self)
        self.facts.setWordWrap(True)
        self.text = QPlainTextEdit(self, readOnly=True)
        self.text.setAccessibleName("Clause text")
        self.text.setMinimumHeight(70)
        self.comments = QLabel(self)
        self.comments.setWordWrap(True)
        self.findings = QLabel(self)  # the findings that cite the clause, whole
        self.findings.setWordWrap(True)
        self.findings.setTextFormat(Qt.TextFormat.RichText)
        self.findings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.picker = QComboBox(self, editable=True)
        self.picker.addItems(CATEGORIES)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.picker.setCurrentIndex(-1)
        self.picker.setToolTip("Type a few letters of the category, then Enter (L)")
        completer = QCompleter(list(CATEGORIES), self.picker)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.picker.setCompleter(completer)
        line = self.picker.lineEdit()
        assert line is not None
        line.setPlaceholderText("Category…")
        line.returnPressed.connect(self._entered)
        completer.activated.connect(self.relabelRequested)

        self.comment = QLineEdit(self, placeholderText="Comment on this clause, then Enter (C)")
        self.comment.setAccessibleName("Comment")
        self.comment.returnPressed.connect(self._comment)

        self.selection = QLabel("Draw a box over words on the page to select them.", self)
        self.selection.setWordWrap(True)
        self.progress = QProgressBar(self, textVisible=True)
        self.show_progress(0, 0, opened=False)

        buttons = QHBoxLayout()
        for name in ("accept", "reject", "relabel"):
            buttons.addWidget(_button(actions[name]))
        buttons.addStretch(1)
        buttons.addWidget(_button(actions["undo"]))
        buttons.addWidget(_button(actions["redo"]))

        edit = QFormLayout()
        edit.addRow("Category:", self.picker)
        edit.addRow("Comment:", self.comment)

        selected = QGroupBox("Selected words", self)
        grid = QGridLayout(selected)
        grid.addWidget(self.selection, 0, 0, 1, 2)
        grid.addWidget(_button(actions["add_clause"]), 1, 0)
        grid.addWidget(_button(actions["set_span"]), 1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.findings)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.comments)
        layout.addLayout(buttons)
        layout.addLayout(edit)
        layout.addWidget(selected)
        layout.addWidget(self.progress)

    def show_row(self, row: ClauseRow | None, findings: Sequence[Mapping[str, Any]] = ()) -> None:
        """A clause in full: category, where it is (its section title whole), how sure the
        model is, its state, the findings citing it with their whole explanations, its text."""
        self.findings.setText(
            "<br>".join(
                f"<b style='color:{severity_colour(f['severity']).darker(120).name()}'>"
                f"{f['severity'].capitalize()}</b> · <b>{html.escape(f.get('title') or f['rule'])}"
                f"</b>: {html.escape(f['explanation'])}"
                for f in findings
            )
        )
        self.findings.setVisible(bool(findings))
        if row is None:
            self.title.setText("No clause selected")
            self.facts.clear()
            self.text.clear()
            self.comments.clear()
            return
        hue = category_colour(row.category)  # darker on a light window, as it is on dark
        colour = hue.darker(150).name() if theme.current().name == "light" else hue.name()
        was = ""
        if row.original_category and row.category != row.original_category:
            muted = theme.current().muted
            was = f" <span style='color:{muted}'>(model: {row.original_category})</span>"
        self.title.setText(f"<b style='color:{colour}'>{row.category}</b>{was}")
        parts = [
            "" if row.source == "model" else "added by a reviewer",
            f"page {row.page}",
            html.escape(row.section),
            "" if row.confidence is None else f"confidence {row.confidence:.0%}",
            STATUS_TEXT.get(row.status, row.status),
            f"<span style='color:{theme.current().muted}'>id {row.ref}</span>",
        ]
        if row.risk:
            parts.append(f"<b style='color:{severity_colour(row.risk).name()}'>{row.risk} risk</b>")
        if row.needs_review:
            parts.append("⚑ OCR unsure: check it against the page")
        self.facts.setText(" · ".join(p for p in parts if p))
        self.text.setPlainText(re.sub(r"(?<!\n)\n(?!\n)", " ", row.text))  # lines as paragraphs
        self.comments.setText("\n".join(f"💬 {c}" for c in row.comments))
        self.picker.setCurrentText(row.category)

    def show_selection(self, text: str | None, page: int = 0) -> None:
        if not text:
            self.selection.setText("Draw a box over words on the page to select them.")
            return
        short = " ".join(text.split())
        short = short if len(short) <= 160 else short[:157] + "…"
        self.selection.setText(f"Page {page}: “{short}”")

    def show_progress(self, done: int, total: int, *, opened: bool = True) -> None:
        """How much is reviewed (and no count at all while no document is open)."""
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if not opened:
            self.progress.setFormat("No document open")
        elif not total:
            self.progress.setFormat("No clauses found in this document")
        else:
            self.progress.setFormat(f"{done} of {total} clauses reviewed")

    def focus_picker(self) -> None:
        self.picker.setFocus(Qt.FocusReason.ShortcutFocusReason)
        line = self.picker.lineEdit()
        if line is not None:
            line.selectAll()

    def focus_comment(self) -> None:
        self.comment.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def completion(self, typed: str) -> str | None:
        """What Enter takes: the completion highlighted in the list, else the first one the
        list shows for ``typed`` (None: nothing completes it)."""
        completer = self.picker.completer()
        if completer is None:
            return None
        popup = completer.popup()
        if popup is not None and popup.isVisible() and popup.currentIndex().isValid():
            return str(popup.currentIndex().data())
        completer.setCompletionPrefix(typed.strip())
        if typed.strip() and completer.completionCount() > 0:
            completer.setCurrentRow(0)
            return completer.currentCompletion()
        return None

    def _entered(self) -> None:
        typed = self.picker.currentText()
        if canonical_category(typed) is None:
            typed = self.completion(typed) or typed
            self.picker.setCurrentText(typed)
        emit(self.relabelRequested, typed)

    def _comment(self) -> None:
        text = self.comment.text().strip()
        if text:
            emit(self.commentRequested, text)
