"""The comparisons kept in the selected matter, under its documents in the Matters tab:
the two versions' names, when the comparison was made and its counts, as ``westfall
comparison list`` prints them; Export… (or a double-click) saves one, as its HTML redline or
its ``westfall.compare/1`` JSON, byte for byte what ``westfall comparison export`` writes.

The window keeps one there with Compare with… (:mod:`.handback_actions`) or
``westfall compare --matter``. The listing opens only the short sealed listing of each
comparison, so it is read on the GUI thread, as the matter's documents are; it is read
again whenever the tab is shown. A comparison the store refuses (a tampered row, one
deleted meanwhile) or a file that cannot be written is said as every error of the window
is (:func:`.errors.report_error`), and the panel keeps working.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from westfall_legal.errors import KnownError
from westfall_legal.gui.errors import report_error
from westfall_legal.session.comparisons import counts_line, write_kept_comparison

if TYPE_CHECKING:
    from westfall_legal.store import ComparisonInfo, Store

log = logging.getLogger(__name__)

REDLINE_FORMATS = {".html": "HTML redline (*.html)", ".json": "Comparison JSON (*.json)"}
ROLE = Qt.ItemDataRole.UserRole


def suggested_name(info: ComparisonInfo) -> str:
    """``old_vs_new.<id>.compare.html``, as ``westfall comparison export`` names it."""
    old, new = Path(info.old_file), Path(info.new_file)
    if old.stem.casefold() != new.stem.casefold():
        stem = f"{old.stem}_vs_{new.stem}"
    else:  # one name twice: the kinds tell them apart (the folders are not kept)
        stem = f"{old.stem}_{old.suffix[1:]}_vs_{new.suffix[1:]}"
    return f"{stem}.{info.id[:8]}.compare.html"


def ask_redline_path(parent: QWidget, title: str, suggested: Path) -> Path | None:
    """Where to save a comparison: the HTML redline, or the JSON (by the name's suffix, else
    by the filter chosen); None when cancelled."""
    name, chosen = QFileDialog.getSaveFileName(
        parent, title, str(suggested), ";;".join(REDLINE_FORMATS.values())
    )
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in REDLINE_FORMATS:  # the filter chosen says which
        path = path.with_name(path.name + (".json" if "json" in chosen.lower() else ".html"))
    return path


class ComparisonsList(QWidget):
    """One matter's comparisons, listed; Export… saves the one selected."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: Store | None = None
        self.matter_id: str | None = None
        self.infos: dict[str, ComparisonInfo] = {}
        self.folder: Path | None = None  # where the last export went
        self._reported: tuple[str, str] | None = None  # a listing error already shown
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Comparisons of the matter")
        self.tree.setHeaderLabels(["Versions", "Made on", "Changes"])
        self.tree.setRootIsDecorated(False)
        self.tree.setToolTip("Double-click to export the comparison")
        self.tree.itemActivated.connect(lambda _item, _column: self.export())
        self.tree.currentItemChanged.connect(lambda *_: self._enable())
        self.export_button = QPushButton("Export…", self)
        self.export_button.setAccessibleName("Export the comparison")
        self.export_button.setToolTip("Save the comparison as its HTML redline or its JSON")
        self.export_button.clicked.connect(lambda: self.export())
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        self._enable()

    def show_matter(self, store: Store | None, matter_id: str | None) -> None:
        """List ``matter_id``'s comparisons (none without a store or a matter)."""
        keep = self.selected
        self.store, self.matter_id = store, matter_id
        self.tree.clear()
        self.infos = {}
        if store is None or matter_id is None:
            self.message.clear()
            self._enable()
            return
        try:
            found = store.comparisons.list(matter_id)
        except KnownError as exc:  # a tampered listing: said once, the documents still shown
            self._refused(exc, listing=True)
            self._enable()
            return
        for info in reversed(found):  # newest first, as the documents
            when = info.created[:16].replace("T", " ")
            item = QTreeWidgetItem([f"{info.old_file} → {info.new_file}", when, counts_line(info)])
            item.setData(0, ROLE, info.id)
            item.setToolTip(0, f"Comparison {info.id}")
            item.setToolTip(2, item.text(2))
            self.infos[info.id] = info
            self.tree.addTopLevelItem(item)
            if info.id == keep:
                self.tree.setCurrentItem(item)
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)
        for column in range(2):
            self.tree.resizeColumnToContents(column)
        self.message.setText(
            "" if found else "No comparison kept: File > Compare with another version… keeps one."
        )
        self._reported = None
        self._enable()

    def refresh(self) -> None:
        self.show_matter(self.store, self.matter_id)

    @property
    def selected(self) -> str | None:
        item = self.tree.currentItem()
        return str(item.data(0, ROLE)) if item is not None else None

    def export(self, out: Path | None = None) -> Path | None:
        """Save the selected comparison to ``out`` (asked for when not given): its JSON for a
        ``.json`` name, else its redline. Returns the file written, or None."""
        chosen = self.selected
        if self.store is None or self.matter_id is None or chosen is None:
            return None
        info = self.infos[chosen]
        if out is None:
            out = self._ask(info)
            if out is None:
                return None
        try:
            kept = self.store.comparisons.get(self.matter_id, info.id)
            what = write_kept_comparison(kept, out)
        except KnownError as exc:
            self._refused(exc)
            return None
        self.folder = out.parent
        log.info("comparison %s exported (%s)", info.id, out.suffix)
        self.message.setText(f"Saved {out}: the {what} of {info.old_file} → {info.new_file}.")
        return out

    def _ask(self, info: ComparisonInfo) -> Path | None:
        start = (self.folder or Path.home()) / suggested_name(info)
        return ask_redline_path(self, "Export the comparison", start)

    def _refused(self, exc: KnownError, *, listing: bool = False) -> None:
        """Say it in the panel and as every error of the window; a listing error once."""
        self.message.setText(exc.user_line())
        seen = (str(self.matter_id), exc.message)
        if listing and self._reported == seen:
            return
        self._reported = seen if listing else None
        report_error(self, exc)

    def _enable(self) -> None:
        self.export_button.setEnabled(self.selected is not None)
