"""Matters and their documents: pick the matter new reviews go into, create one, and open a
stored document again (the file is read again from where it was last opened). Under the
documents, the comparisons kept in the matter, each to export (:mod:`.matter_comparisons`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from westfall_legal.errors import KnownError
from westfall_legal.gui.matter_comparisons import ComparisonsList
from westfall_legal.gui.signals import emit

if TYPE_CHECKING:
    from westfall_legal.store import Store

ROLE = Qt.ItemDataRole.UserRole
DEFAULT_MATTER = "Unfiled"


class MattersPanel(QWidget):
    matterChanged = Signal(str)  # matter id
    documentRequested = Signal(str)  # sha256 of a stored document to open again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: Store | None = None
        self.matters = QListWidget(self)
        self.matters.setAccessibleName("Matters")
        self.matters.currentItemChanged.connect(self._matter_picked)
        self.name = QLineEdit(self, placeholderText="New matter name")
        self.name.setAccessibleName("New matter name")
        self.name.returnPressed.connect(self.create_matter)
        add = QPushButton("Create", self)
        add.clicked.connect(self.create_matter)
        self.documents = QTreeWidget(self)
        self.documents.setAccessibleName("Documents of the matter")
        self.documents.setHeaderLabels(["Document", "Pages", "Reviewed on"])
        self.documents.setRootIsDecorated(False)
        self.documents.itemActivated.connect(self._document_picked)
        self.documents.setToolTip("Double-click to open the document again")
        self.comparisons = ComparisonsList(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        new = QHBoxLayout()
        new.addWidget(self.name, 1)
        new.addWidget(add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("<b>Matters</b>"))
        layout.addWidget(self.matters, 1)
        layout.addLayout(new)
        layout.addWidget(QLabel("<b>Documents of the matter</b>"))
        layout.addWidget(self.documents, 2)
        layout.addWidget(QLabel("<b>Comparisons of the matter</b>"))
        layout.addWidget(self.comparisons, 1)
        layout.addWidget(self.message)

    def set_store(self, store: Store | None) -> None:
        self.store = store
        self.refresh()

    @property
    def matter_id(self) -> str | None:
        item = self.matters.currentItem()
        return str(item.data(ROLE)) if item else None

    def refresh(self, select: str | None = None) -> None:
        keep = select or self.matter_id
        self.matters.blockSignals(True)
        self.matters.clear()
        if self.store is not None:
            for matter in self.store.matters.list(include_closed=False):
                item = QListWidgetItem(f"{matter.name}  ({matter.documents})")
                item.setData(ROLE, matter.id)
                self.matters.addItem(item)
                if matter.id == keep:
                    self.matters.setCurrentItem(item)
        if self.matters.currentItem() is None and self.matters.count():
            self.matters.setCurrentRow(0)
        self.matters.blockSignals(False)
        self._show_documents()

    def matter_for_review(self) -> str:
        """The matter to store a review in: the selected one, or a new "Unfiled" one."""
        assert self.store is not None
        if self.matter_id is None:
            known = [
                m for m in self.store.matters.list(include_closed=False) if m.name == DEFAULT_MATTER
            ]
            matter_id = known[0].id if known else self.store.matters.create(DEFAULT_MATTER).id
            self.refresh(select=matter_id)
        return str(self.matter_id)

    def create_matter(self) -> None:
        if self.store is None:
            return
        try:
            matter = self.store.matters.create(self.name.text())
        except KnownError as exc:
            self.message.setText(exc.user_line())
            return
        self.name.clear()
        self.message.clear()
        self.refresh(select=matter.id)
        emit(self.matterChanged, matter.id)

    def _matter_picked(
        self, item: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        self._show_documents()
        if item is not None:
            emit(self.matterChanged, str(item.data(ROLE)))

    def showEvent(self, event: QShowEvent) -> None:
        """Comparisons kept while the tab was hidden (Compare with…, the CLI) are listed."""
        super().showEvent(event)
        self.comparisons.show_matter(self.store, self.matter_id)

    def _show_documents(self) -> None:
        self.documents.clear()
        self.comparisons.show_matter(self.store, self.matter_id)
        if self.store is None or self.matter_id is None:
            return
        for doc in reversed(self.store.reviews.documents(self.matter_id)):
            item = QTreeWidgetItem([doc.file_name, str(doc.pages), doc.created[:10]])
            item.setData(0, ROLE, doc.sha256)
            self.documents.addTopLevelItem(item)
        self.documents.resizeColumnToContents(0)

    def _document_picked(self, item: QTreeWidgetItem, _column: int) -> None:
        emit(self.documentRequested, str(item.data(0, ROLE)))
