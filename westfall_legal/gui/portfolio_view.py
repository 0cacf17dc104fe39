"""The portfolio table: one row per contract of a matter, the columns of portfolio.xlsx
(``westfall_legal.portfolio.rows``), sortable, filtered by text and by key clause; a
double-click (or Enter) asks for that contract's review (``documentRequested(sha256)``),
which the main window opens from the store.

The rows come from the core (:func:`~westfall_legal.portfolio.rows.stored_rows`); reading
them (one stored review each) belongs in the background for a large matter, as every
long call of the GUI does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from westfall_legal.categories import TOP_CATEGORIES
from westfall_legal.errors import Cancelled
from westfall_legal.gui.feedback import own_connection
from westfall_legal.gui.signals import emit
from westfall_legal.gui.tasks import Task
from westfall_legal.portfolio.rows import COLUMNS, Row, stored_rows
from westfall_legal.progress import CancelToken, ProgressCallback
from westfall_legal.store import Store

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SHA_ROLE = Qt.ItemDataRole.UserRole + 2
ANY_CLAUSE = "All contracts"
SHOWN = tuple(c for c in COLUMNS if c not in ("sha256", "Review", "Duplicates"))


class PortfolioModel(QAbstractTableModel):
    def __init__(self, rows: Sequence[Row] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = list(rows)

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SHOWN)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return SHOWN[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        value = row.values.get(SHOWN[index.column()], "")
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            return value if isinstance(value, int | float) else str(value or "").casefold()
        if role == SHA_ROLE:
            return row.values.get("sha256", "")
        if role == Qt.ItemDataRole.ToolTipRole and SHOWN[index.column()] in ("Error", "Parties"):
            return str(value or "")
        return None

    def row(self, number: int) -> Row:
        return self._rows[number]


class PortfolioFilter(QSortFilterProxyModel):
    """Rows whose text holds every word typed, and that have the chosen key clause."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words: list[str] = []
        self.clause = ""
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        self.words = text.casefold().split()
        self.invalidate()

    def set_clause(self, clause: str) -> None:
        self.clause = "" if clause == ANY_CLAUSE else clause
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, PortfolioModel):
            return True
        row = model.row(source_row)
        if self.clause and row.values.get(self.clause) != "yes":
            return False
        text = " ".join(str(v) for v in row.values.values() if v).casefold()
        return all(word in text for word in self.words)


class PortfolioView(QWidget):
    """The table with its filters; ``documentRequested`` carries a contract's sha256."""

    documentRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PortfolioModel(parent=self)
        self.proxy = PortfolioFilter(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Filter: file, party, law, clause words…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter the contracts")
        self.search.textChanged.connect(self._text_changed)
        self.clause = QComboBox(self)
        self.clause.addItems([ANY_CLAUSE, *TOP_CATEGORIES])
        self.clause.setAccessibleName("Only contracts with this clause")
        self.clause.currentTextChanged.connect(self._clause_changed)
        self.count = QLabel(self)
        self.table = QTableView(self)
        self.table.setAccessibleName("Contracts of the matter")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.doubleClicked.connect(self._open)
        self.table.installEventFilter(self)
        self.table.horizontalHeader().setStretchLastSection(True)
        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.clause, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.proxy.rowsInserted.connect(self._counted)
        self.proxy.rowsRemoved.connect(self._counted)
        self.proxy.modelReset.connect(self._counted)
        self.proxy.layoutChanged.connect(self._counted)

        self.loading: Task[list[Row]] | None = None

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self._counted()

    def load(self, store: Store, matter: str) -> Task[list[Row]]:
        """Read the matter's rows in the background (one stored review each, on a connection
        of the worker's own) and show them; a load still running is cancelled."""
        if self.loading is not None and self.loading.running:
            self.loading.cancel()

        def work(_progress: ProgressCallback, cancel: CancelToken) -> list[Row]:
            rows = []
            with own_connection(store) as own:
                for row in stored_rows(own, matter):
                    cancel.check()
                    rows.append(row)
            return rows

        task: Task[list[Row]] = Task(work, name="portfolio")
        self.loading = task
        self.count.setText("Reading the matter's reviews…")

        def shown(rows: list[Row]) -> None:
            if self.loading is task:  # not a load the user has since replaced
                self.set_rows(rows)

        def failed(exc: BaseException) -> None:
            if self.loading is task and not isinstance(exc, Cancelled):
                self.count.setText(f"The matter's reviews could not be read: {exc}")

        return task.on_success(shown).on_failure(failed).start()

    def _text_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._counted()

    def _clause_changed(self, clause: str) -> None:
        self.proxy.set_clause(clause)
        self._counted()

    def _counted(self, *_: object) -> None:
        self.count.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()} contracts")

    def _open(self, index: QModelIndex) -> None:
        sha256 = str(self.proxy.data(index, SHA_ROLE) or "")
        if sha256:
            emit(self.documentRequested, sha256)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter on the table opens the current contract, as a double-click does."""
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.table.currentIndex().isValid()
        ):
            self._open(self.table.currentIndex())
            return True
        return super().eventFilter(watched, event)
