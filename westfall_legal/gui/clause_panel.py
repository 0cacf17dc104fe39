"""The clause table: every clause of the document with its category, section, page,
confidence, risk and review state, filtered by category, risk, state, confidence and text.

The clauses the model is less sure of than the threshold are a group of their own at the end
of the list, whatever the order: a group row ("Below the 50% threshold: 6 clauses") that
opens and closes with a click, Enter, Space or the arrow keys, closed at first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
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


class ClausePanel(QWidget):
    """The filters above the table; ``clauseSelected`` says which clause the reviewer is on."""

    clauseSelected = Signal(str)
    thresholdChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ClauseModel(self)
        self.proxy = ClauseFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setAccessibleName("Clauses")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        for column in range(2, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(1, 110)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.category = QComboBox(self)
        self.category.setToolTip("Show one category")
        self.category.addItem(ALL_CATEGORIES)
        self.risk = QComboBox(self)
        self.risk.setToolTip("Show clauses by the findings that cite them")
        self.risk.addItems(["Any or none", "With a finding", *(s.capitalize() for s in SEVERITIES)])
        self.status = QComboBox(self)
        self.status.setToolTip("Show clauses by review state")
        self.status.addItems(["All states", *(t.capitalize() for t in STATUS_TEXT.values())])
        self.confidence = QSpinBox(self, suffix=" %", maximum=100)
        self.confidence.setValue(round(DEFAULT_THRESHOLD * 100))
        self.confidence.setToolTip(
            "Clauses the model is less sure of are drawn hatched and grouped under the list"
        )
        self._default_threshold = DEFAULT_THRESHOLD
        self.words = QLineEdit(self, placeholderText="Filter by words…", clearButtonEnabled=True)
        self.words.setAccessibleName("Filter by words")
        self.category.currentTextChanged.connect(self._filter)
        self.risk.currentIndexChanged.connect(self._filter)
        self.status.currentIndexChanged.connect(self._filter)
        self.confidence.valueChanged.connect(self._threshold_changed)
        self.words.textChanged.connect(self._filter)

        filters = QHBoxLayout()
        self.labels: dict[str, QLabel] = {}
        for text, widget in (
            ("&Category:", self.category),
            ("R&isk:", self.risk),
            ("S&tatus:", self.status),
            ("T&hreshold:", self.confidence),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
            self.labels[text.replace("&", "").rstrip(":").lower()] = label
            filters.addWidget(label)
            filters.addWidget(widget, 2 if widget is self.category else 1)

        # "The clauses of finding X" / "of fact Y": a filter set from the overview
        self.scope = QWidget(self)
        self.scope_label = QLabel(self.scope)
        self.scope_label.setWordWrap(True)
        show_all = QToolButton(self.scope)
        show_all.setText("Show all clauses")
        show_all.clicked.connect(self.clear_filters)
        bar = QHBoxLayout(self.scope)
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addWidget(self.scope_label, 1)
        bar.addWidget(show_all)
        self.scope.hide()

        self.apply_theme()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.words)
        layout.addWidget(self.scope)
        layout.addWidget(self.table)
        # the "below threshold" group's row spans the table; a click or a key opens it
        for signal in (
            self.proxy.layoutChanged,
            self.proxy.modelReset,
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
        ):
            signal.connect(self._span_group)
        self.table.clicked.connect(self._clicked)
        self.table.installEventFilter(self)

    def apply_theme(self) -> None:
        look = theme.current()
        self.scope.setStyleSheet(
            f"background: {look.panel}; color: {look.text}; border: 1px solid {look.border}; "
            "border-radius: 3px;"
        )

    def set_rows(self, rows: Sequence[ClauseRow]) -> None:
        keep = self.current_id()
        categories = sorted({r.category for r in rows})
        shown = self.category.currentText()
        if [self.category.itemText(i) for i in range(1, self.category.count())] != categories:
            self.category.blockSignals(True)
            self.category.clear()
            self.category.addItems([ALL_CATEGORIES, *categories])
            self.category.setCurrentText(shown if shown in categories else ALL_CATEGORIES)
            self.category.blockSignals(False)
        self.model.set_rows(rows)
        self._filter()
        self._show_weak_count()
        if keep:
            self.select(keep, notify=False)

    def _filter(self) -> None:
        risk = self.risk.currentIndex()
        status = self.status.currentIndex()
        self.proxy.set(
            category=None if self.category.currentIndex() <= 0 else self.category.currentText(),
            risk=None if risk == 0 else "any" if risk == 1 else SEVERITIES[risk - 2],
            status=None if status == 0 else list(STATUS_TEXT)[status - 1],
            words=self.words.text().strip(),
        )
        self._show_weak_count()

    def set_threshold(self, threshold: float, *, default: bool = False) -> None:
        """The confidence below which clauses are grouped as weak (0.0 to 1.0)."""
        if default:
            self._default_threshold = threshold
        self.confidence.setValue(round(threshold * 100))

    def threshold(self) -> float:
        return self.model.threshold

    def _threshold_changed(self) -> None:
        self.model.threshold = self.confidence.value() / 100
        self.proxy.invalidate()
        self._show_weak_count()
        emit(self.thresholdChanged, self.model.threshold)

    @property
    def weak_shown(self) -> bool:
        """Whether the "below threshold" group is open."""
        return self.proxy.show_weak

    def set_weak_shown(self, shown: bool) -> None:
        """Open (or close) the "below threshold" group."""
        if shown != self.proxy.show_weak:
            self.proxy.set(show_weak=shown)
            self._show_weak_count()

    def _show_weak_count(self) -> None:
        weak = sum(self.model.weak(r) and self.proxy.passes(r) for r in self.model.rows)
        shown = self.proxy.show_weak
        self.model.group_text = (
            f"{'▾' if shown else '▸'} Below the {self.model.threshold:.0%} threshold: {weak} "
            f"clause{'s' * (weak != 1)}, less sure (hatched) — "
            f"{'Enter hides them' if shown else 'Enter shows them'}"
        )
        self.model.changed()
        self._span_group()

    def group_row(self) -> int | None:
        """The group row's place in the table (None: no clause is below the threshold)."""
        if not self.model.rows:
            return None
        index = self.proxy.mapFromSource(self.model.index(len(self.model.rows), 0))
        return index.row() if index.isValid() else None

    def _span_group(self) -> None:
        self.table.clearSpans()
        at = self.group_row()
        if at is not None:
            self.table.setSpan(at, 0, 1, len(COLUMNS))

    def _clicked(self, index: QModelIndex) -> None:
        if self.model.is_group(self.proxy.mapToSource(index)):
            self.set_weak_shown(not self.weak_shown)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter, Space, → and ← on the group row open and close it."""
        pressed = isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
        if watched is self.table and pressed and self._on_group():
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
                self.set_weak_shown(not self.weak_shown)
                return True
            if key in (Qt.Key.Key_Right, Qt.Key.Key_Left):
                self.set_weak_shown(key == Qt.Key.Key_Right)
                return True
        return super().eventFilter(watched, event)

    def _on_group(self) -> bool:
        return self.model.is_group(self.proxy.mapToSource(self.table.currentIndex()))

    def show_only(self, ids: Sequence[str], label: str) -> None:
        """Show only the clauses ``ids`` (a finding's, a fact's), saying whose they are."""
        self.clear_filters()
        self.proxy.set(only=frozenset(ids))
        self.scope_label.setText(label)
        self.scope.show()

    def filter_risk(self, severity: str) -> None:
        self.clear_filters()
        self.risk.setCurrentIndex(2 + SEVERITIES.index(severity))

    def clear_filters(self) -> None:
        for box in (self.category, self.risk, self.status):
            box.setCurrentIndex(0)
        self.set_threshold(self._default_threshold)
        self.words.clear()
        self.scope.hide()
        self.proxy.set(only=None)
        self._show_weak_count()

    def _row(self, index: QModelIndex | QPersistentModelIndex) -> ClauseRow | None:
        """The clause of a table row (None: none, or the group row)."""
        return self.model.row_at(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def current_id(self) -> str | None:
        row = self._row(self.table.currentIndex())
        return row.id if row else None

    def visible_ids(self) -> list[str]:
        rows = (self._row(self.proxy.index(r, 0)) for r in range(self.proxy.rowCount()))
        return [row.id for row in rows if row is not None]

    def select(self, clause_id: str, *, notify: bool = True) -> bool:
        """Make a clause the current row (clearing the filters if they hide it)."""
        source = next((i for i, r in enumerate(self.model.rows) if r.id == clause_id), None)
        if source is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(source, 0))
        if not index.isValid():
            self.clear_filters()
            index = self.proxy.mapFromSource(self.model.index(source, 0))
        if not index.isValid():  # below the threshold: open the group
            self.set_weak_shown(True)
            index = self.proxy.mapFromSource(self.model.index(source, 0))
        self.blockSignals(not notify)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.blockSignals(False)
        self.table.scrollTo(index)
        return True

    def step(self, by: int) -> None:
        """Go to the next (``by`` = 1) or previous (-1) clause in the table's order."""
        ids = self.visible_ids()
        if not ids:
            return
        current = self.current_id()
        at = ids.index(current) + by if current in ids else (0 if by > 0 else len(ids) - 1)
        self.select(ids[max(0, min(len(ids) - 1, at))])

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():  # the group row: no clause ("")
            row = self._row(current)
            emit(self.clauseSelected, row.id if row else "")
