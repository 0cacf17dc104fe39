"""The legend over the page view: which colour is which category on the page shown, and what
faint, hatched and the margin bars mean."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from westfall_legal.gui.style import SEVERITY_COLOURS, category_colour


def _chip(colour: str, text: str) -> str:
    return (
        f"<span style='background-color:{colour}; color:{colour}'>&nbsp;&#9608;&nbsp;</span>"
        f"&nbsp;{html.escape(text)}"
    )


class Legend(QLabel):
    """One or two lines: the categories highlighted on the page shown, then the key to the
    marks (hidden while no document is open)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("highlight-legend")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAccessibleName("Highlight legend")
        self.setStyleSheet(
            "QLabel#highlight-legend { background: #f6f7f9; color: #1d2430; "
            "border-bottom: 1px solid #d5d9e0; padding: 3px 8px; }"
        )
        self.categories: list[str] = []
        self.hide()

    def show_page(self, page: int, categories: Sequence[str], threshold: float) -> None:
        self.categories = list(dict.fromkeys(categories))
        shown = " &nbsp; ".join(_chip(category_colour(c).name(), c) for c in self.categories)
        bars = " ".join(
            f"<span style='color:{colour}'>&#9612;</span>{name}"
            for name, colour in SEVERITY_COLOURS.items()
        )
        key = (
            f"<span style='color:#556'>Fainter: the model is less sure · &#9636; hatched: below "
            f"{threshold:.0%} · margin bar: a finding ({bars}) · grey hatch: OCR unsure</span>"
        )
        head = f"<b>Page {page}:</b> {shown}" if shown else f"<b>Page {page}:</b> no clause"
        self.setText(f"{head}<br>{key}")
        self.show()

    def clear(self) -> None:
        self.categories = []
        self.setText("")
        self.hide()
