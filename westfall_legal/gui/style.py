"""Colours the workspace uses: one per clause category (the same in the page view, the table
and the detail panel), one per finding severity, and the little swatches that show them."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from westfall_legal.categories import CATEGORIES

GOLDEN_ANGLE = 137.508  # successive hues as far apart as they can be

SEVERITY_COLOURS = {"high": "#c62828", "medium": "#ef8f00", "low": "#f2c94c"}
STATUS_TEXT = {"proposed": "to review", "accepted": "✓ accepted", "rejected": "✗ rejected"}


@cache
def category_colour(category: str) -> QColor:
    """A light highlighter colour, stable per category (CUAD order; others by their hash)."""
    index = CATEGORIES.index(category) if category in CATEGORIES else sum(category.encode())
    hue = round(index * GOLDEN_ANGLE) % 360
    return QColor.fromHsv(hue, 95, 255)


def strength(confidence: float | None) -> float:
    """How strongly a clause is drawn: 1.0 when the model is sure (or a reviewer added it),
    down to 0.25 at no confidence, so a 5% clause looks nothing like a 100% one."""
    return 1.0 if confidence is None else 0.25 + 0.75 * max(0.0, min(1.0, confidence))


def faded(colour: QColor, amount: float) -> QColor:
    """``colour`` blended towards white: ``amount`` 1.0 is the colour, 0.0 white."""
    return QColor.fromRgbF(
        1 - (1 - colour.redF()) * amount,
        1 - (1 - colour.greenF()) * amount,
        1 - (1 - colour.blueF()) * amount,
    )


def severity_colour(severity: str | None) -> QColor:
    return QColor(SEVERITY_COLOURS.get(severity or "", "#9e9e9e"))


@cache
def _swatch(name: str, size: int, hatched: bool) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(name).darker(160))
    painter.setBrush(QColor(name))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    if hatched:
        painter.setBrush(QBrush(QColor(name).darker(170), Qt.BrushStyle.BDiagPattern))
        painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


def swatch(colour: QColor, size: int = 14, *, hatched: bool = False) -> QIcon:
    """A small rounded square of ``colour`` (hatched: below the threshold) for a table cell
    or a label."""
    return _swatch(colour.name(), size, hatched)
