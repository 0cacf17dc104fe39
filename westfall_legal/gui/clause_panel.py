"""The clause table: every clause of the document with its category, section, page,
confidence, risk and review state, filtered by category, risk, state, confidence and text.

The clauses the model is less sure of than the threshold are a group of their own at the end
of the list, whatever the order: a group row ("Below the 50% threshold: 6 clauses") that
opens and closes with a click, Enter, Space or the arrow keys, closed at first."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
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
from westfall_legal.gui.clause_model import (
    ALL_CATEGORIES,
    COLUMNS,
    DEFAULT_THRESHOLD,
    ClauseFilter,
    ClauseModel,
)
from westfall_legal.gui.signals import emit
from westfall_legal.gui.style import (
    STATUS_TEXT,
)
from westfall_legal.session.rows import SEVERITIES, ClauseRow


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
        again = index == self.table.currentIndex()  # Qt says nothing: say it (notify)
        self.blockSignals(not notify)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.blockSignals(False)
        if again and notify:
            emit(self.clauseSelected, clause_id)
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
