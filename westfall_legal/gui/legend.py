"""The legend over the page view: which colour is which category on the page shown, and what
faint, hatched and the margin bars mean."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from westfall_legal.gui import theme
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
        self.categories: list[str] = []
        self._shown: tuple[int, float] | None = None
        self.apply_theme()
        self.hide()

    def apply_theme(self) -> None:
        look = theme.current()
        self.setStyleSheet(
            f"QLabel#highlight-legend {{ background: {look.panel}; color: {look.text}; "
            f"border-bottom: 1px solid {look.border}; padding: 3px 8px; }}"
        )
        if self._shown is not None:
            self.show_page(self._shown[0], self.categories, self._shown[1])

    def show_page(self, page: int, categories: Sequence[str], threshold: float) -> None:
        self.categories = list(dict.fromkeys(categories))
        self._shown = (page, threshold)
        shown = " &nbsp; ".join(_chip(category_colour(c).name(), c) for c in self.categories)
        bars = " ".join(
            f"<span style='color:{colour}'>&#9612;</span>{name}"
            for name, colour in SEVERITY_COLOURS.items()
        )
        key = (
            f"<span style='color:{theme.current().muted}'>Fainter: the model is less sure · "
            f"&#9636; hatched: below {threshold:.0%} · right margin: a bar per clause, side by "
            f"side where clauses share words (shaded grey) · left margin: a finding ({bars}) · "
            "grey hatch: OCR unsure</span>"
        )
        head = f"<b>Page {page}:</b> {shown}" if shown else f"<b>Page {page}:</b> no clause"
        self.setText(f"{head}<br>{key}")
        self.show()

    def clear(self) -> None:
        self.categories, self._shown = [], None
        self.setText("")
        self.hide()
