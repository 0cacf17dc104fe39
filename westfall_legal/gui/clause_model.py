"""The clause list's data: one row per clause (category, section, page, confidence, risk,
review state) and, last, the "below threshold" group's row; and the filter that shows the
rows that pass the reviewer's filters, in the column's order with the group last."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QWidget,
)

from westfall_legal.gui import theme
from westfall_legal.gui.signals import emit
from westfall_legal.gui.style import (
    STATUS_TEXT,
    category_colour,
    faded,
    severity_colour,
    strength,
    swatch,
)
from westfall_legal.session.rows import SEVERITIES, ClauseRow

COLUMNS = ("Category", "Section", "Page", "Confidence", "Risk", "Status")
ALL_CATEGORIES = "All categories"
Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
DEFAULT_THRESHOLD = 0.5


class ClauseModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ClauseRow] = []
        self.threshold = DEFAULT_THRESHOLD  # below it a clause is "weak": hatched, grouped
        self.group_text = ""  # the "below threshold" group's row, the last one

    def weak(self, row: ClauseRow) -> bool:
        return row.confidence is not None and row.confidence < self.threshold

    def row_at(self, source_row: int) -> ClauseRow | None:
        """The clause of a row (None: the group row)."""
        return self.rows[source_row] if source_row < len(self.rows) else None

    def is_group(self, index: Index) -> bool:
        return index.isValid() and index.row() == len(self.rows)

    def changed(self) -> None:
        """Every row's data changed (not which rows there are)."""
        if self.rows:
            emit(self.dataChanged, self.index(0, 0), self.index(len(self.rows), len(COLUMNS) - 1))

    def set_rows(self, rows: Sequence[ClauseRow]) -> None:
        if [r.id for r in rows] == [r.id for r in self.rows]:
            self.rows = list(rows)
            self.changed()
            return
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() or not self.rows else len(self.rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if self.is_group(index):
            return self._group_data(index.column(), role)
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            colour = faded(category_colour(row.category), strength(row.confidence))
            return swatch(colour, hatched=self.weak(row))
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 4 and row.risk:
                return QBrush(severity_colour(row.risk).darker(130))
            if row.status == "rejected":
                return QBrush(QColor("#8a8f98"))
            ink = QColor(theme.current().text)  # fainter as the model is less sure
            ink.setAlphaF(strength(row.confidence))
            return QBrush(ink)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _group_data(self, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.group_text if column == 0 else ""
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(theme.current().panel))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(theme.current().text))
        if role == Qt.ItemDataRole.ToolTipRole:
            return "The clauses the model is less sure of: Enter, Space or a click opens them"
        return None

    def _tooltip(self, row: ClauseRow) -> str:
        was = f" (was {row.original_category})" if row.category != row.original_category else ""
        sure = "added by a reviewer" if row.confidence is None else f"{row.confidence:.0%} sure"
        below = f", below the {self.threshold:.0%} threshold" if self.weak(row) else ""
        notes = "".join(f"\n• {c}" for c in row.comments)
        section = f"\n{row.section}" if row.section else ""
        return f"{row.category}{was}: {sure}{below}{section}\n{row.ref}, page {row.page}{notes}"

    @staticmethod
    def _text(row: ClauseRow, column: int) -> str:
        if column == 0:
            return row.category + (" ⚑" if row.needs_review else "")
        if column == 1:
            return row.section
        if column == 2:
            return str(row.page)
        if column == 3:
            return "added" if row.confidence is None else f"{row.confidence:.0%}"
        if column == 4:
            return row.risk or ""
        return STATUS_TEXT.get(row.status, row.status)

    @staticmethod
    def _sort_key(row: ClauseRow, column: int) -> Any:
        if column == 2:
            return (row.page, row.char_start)
        if column == 3:
            return -1.0 if row.confidence is None else row.confidence
        if column == 4:
            return SEVERITIES.index(row.risk) if row.risk else len(SEVERITIES)
        if column == 1:
            return row.char_start
        return ClauseModel._text(row, column)


class ClauseFilter(QSortFilterProxyModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.category: str | None = None
        self.risk: str | None = None  # a severity, or "any" for every clause with a finding
        self.status: str | None = None
        self.only: frozenset[str] | None = None  # the clauses of a finding or a fact
        self.show_weak = False  # the "below threshold" group, collapsed at first
        self.words = ""
        self.setSortRole(SORT_ROLE)

    def set(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self, name, value)
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ClauseModel)
        row = model.row_at(source_row)
        if row is None:  # the group row: while a clause below the threshold passes
            return any(model.weak(r) and self.passes(r) for r in model.rows)
        return self.passes(row) and (self.show_weak or not model.weak(row))

    def passes(self, row: ClauseRow) -> bool:
        """Whether ``row`` passes the filters (the group aside)."""
        return (
            (self.category is None or row.category == self.category)
            and (
                self.risk is None
                or row.risk == self.risk
                or (self.risk == "any" and bool(row.risk))
            )
            and (self.status is None or row.status == self.status)
            and (self.only is None or row.id in self.only)
            and (not self.words or self.words.casefold() in row.text.casefold())
        )

    def lessThan(self, left: Index, right: Index) -> bool:
        """The column's order, with the group row and the clauses below the threshold under
        it last, either way."""
        model = self.sourceModel()
        assert isinstance(model, ClauseModel)

        def rank(index: Index) -> int:  # the clauses, the group row, the group's clauses
            row = model.row_at(index.row())
            return 1 if row is None else 2 if model.weak(row) else 0

        rank_a, rank_b = rank(left), rank(right)
        if rank_a != rank_b:
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return rank_a < rank_b if ascending else rank_a > rank_b
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        return bool(a < b)
