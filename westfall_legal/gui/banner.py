"""The banner over the page view: what the reader must know about the file before trusting
its review (a damaged PDF that was repaired, and which of its pages are empty), or why a file
could not be opened at all (said here, in the window, so that nothing blocks it)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from westfall_legal.gui.style import SEVERITY_COLOURS


class WarningBanner(QLabel):
    """Hidden until a document has warnings; shows them, one a line, until the next one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("document-warnings")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        colour = SEVERITY_COLOURS["high"]
        self.setStyleSheet(
            f"QLabel#document-warnings {{ background: #fdecee; color: {colour}; "
            f"border: 2px solid {colour}; padding: 6px 10px; font-weight: 600; }}"
        )
        self.hide()

    def show_warnings(self, warnings: Sequence[str]) -> None:
        lines = [f"Warning: {w[:1].upper()}{w[1:]}." for w in warnings]
        self.setText("\n".join(lines))
        self.setVisible(bool(lines))

    def show_problem(self, headline: str, hint: str) -> None:
        """A file that could not be opened: what is wrong, then what to do."""
        self.setText(f"{headline}\n{hint}" if hint else headline)
        self.show()
