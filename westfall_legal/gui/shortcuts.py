"""Help > Keyboard shortcuts (F1): every action of the window with its key, read from the
menus themselves (so the sheet cannot fall behind them), then the keys that are not menu
actions (the mouse wheel, the category picker, moving between panels)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

OTHER_KEYS = (
    ("Anywhere", "Tab, Shift+Tab", "Move between the lists, the page and the boxes"),
    ("Anywhere", "Alt + underlined letter", "Open a menu, or go to a labelled box"),
    ("Page", "Ctrl + mouse wheel", "Zoom the pages"),
    (
        "Page",
        "Drag over words",
        "Select them (then N adds them as a clause, S makes them the span)",
    ),
    ("Clause list", "Enter, Space or → on “below threshold”", "Open or close the group"),
    ("Category picker", "Type, then Enter", "Relabel the clause with the highlighted category"),
    ("Comment box", "Enter", "Save the comment on the clause"),
    ("Overview", "Enter on a finding", "Open its clause"),
)


def _name(text: str) -> str:
    return text.replace("&", "").rstrip("…").strip()


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(where, keys, what) for every menu action with a key, in menu order; then the
    window's other keyed actions; then :data:`OTHER_KEYS`."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def walk(menu: QMenu, where: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{where} › {_name(sub.title())}")
            elif not action.isSeparator():
                seen.add(id(action))
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                if keys:
                    rows.append((where, keys, _name(action.text())))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, _name(menu.title()))
    for action in window.findChildren(QAction):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys and id(action) not in seen and action.text():
            rows.append(("Window", keys, _name(action.text())))
    rows.extend(OTHER_KEYS)
    return rows


class ShortcutsSheet(QDialog):
    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(("Where", "Keys", "What it does"))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for at, row in enumerate(rows):
            for column, text in enumerate(row):
                self.table.setItem(at, column, QTableWidgetItem(text))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(760, 640)
        self.table.setFocus()

    def keys(self) -> list[str]:
        """The keys listed (tests read them)."""
        items = (self.table.item(r, 1) for r in range(self.table.rowCount()))
        return [item.text() for item in items if item is not None]


def show_shortcuts(window: QMainWindow) -> ShortcutsSheet:
    sheet = ShortcutsSheet(window)
    sheet.open()
    return sheet
