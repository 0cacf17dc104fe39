"""What the page view draws over the pages: each clause's highlight on its words, the bars in
the right margin that stack the categories of a line side by side, and the findings' marks in
the left margin.

Where several clauses cover the same words (a preamble often carries four categories), their
colours are not blended into one: those words get one neutral shade, and each clause keeps
its own colour in a bar of its own in the margin, so every category stays readable. The
selected clause is drawn whole in its colour over the shade.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsRectItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from westfall_legal.gui import theme
from westfall_legal.gui.style import faded
from westfall_legal.models import Box

PageBoxes = Mapping[int, Sequence[Box]]
WordSpan = Callable[[int, Box], "tuple[int, int] | None"]
SHARED = QColor("#d3d7de")  # words under several clauses: one shade, the colours in the margin
BAR_WIDTH = 3.5  # a category's bar in the right margin, in points
BAR_STEP = 5.0  # from one bar to the next beside it
BAR_GAP = 8.0  # from the widest line on the page to the first bar


def line_rects(boxes: Sequence[Box], pad: float = 0.8) -> list[Box]:
    """Word boxes merged into one rectangle per run of neighbouring words on a line."""
    merged: list[Box] = []
    for x0, y0, x1, y1 in boxes:
        if merged:
            a0, b0, a1, b1 = merged[-1]
            overlap = min(y1, b1) - max(y0, b0)
            same_line = overlap > 0.5 * min(y1 - y0, b1 - b0)
            if same_line and a0 - 1 <= x0 <= a1 + 3 * (y1 - y0):
                merged[-1] = (a0, min(b0, y0), max(a1, x1), max(b1, y1))
                continue
        merged.append((x0, y0, x1, y1))
    return [(x0 - pad, y0 - pad, x1 + pad, y1 + pad) for x0, y0, x1, y1 in merged]


def lanes(extents: Sequence[tuple[str, float, float]]) -> dict[str, int]:
    """Each (id, top, bottom) its lane: the first one free of every extent it overlaps, so
    overlapping extents sit side by side and the rest share lane 0."""
    ends: list[float] = []  # the bottom of the last extent in each lane
    out: dict[str, int] = {}
    for name, top, bottom in sorted(extents, key=lambda e: (e[1], e[2], e[0])):
        lane = next((i for i, end in enumerate(ends) if end <= top), len(ends))
        if lane == len(ends):
            ends.append(bottom)
        else:
            ends[lane] = bottom
        out[name] = lane
    return out


@dataclass(frozen=True)
class Highlight:
    """A clause drawn on its words: its id, its colour, its boxes per page, its tooltip."""

    clause_id: str
    colour: QColor
    boxes: PageBoxes
    tooltip: str = ""
    strength: float = 1.0  # 1.0: the model is sure; lower is fainter (style.strength)
    hatched: bool = False  # below the threshold
    in_margin: bool = True  # a bar in the right margin (not for a rejected clause)


@dataclass(frozen=True)
class Marker:
    """A finding's mark in the page margin beside the line it rests on."""

    page: int
    box: Box
    colour: QColor
    tooltip: str


def _path(rects: Sequence[Box], top: float) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for x0, y0, x1, y1 in rects:
        path.addRect(QRectF(x0, top + y0, x1 - x0, y1 - y0))
    return path.simplified()  # one outline around touching lines


class ClauseHighlight(QGraphicsPathItem):
    """The highlight of one clause on one page, painted like a highlighter (multiply): fainter
    as the model is less sure of it, and hatched below the threshold. At rest it colours only
    the words no other clause covers (:meth:`set_shared`); selected, all of them."""

    def __init__(
        self,
        clause_id: str,
        colour: QColor,
        rects: list[Box],
        top: float,
        *,
        strength: float = 1.0,
        hatched: bool = False,
    ) -> None:
        super().__init__(_path(rects, top))
        self.clause_id = clause_id
        self.colour = colour
        self.strength = strength
        self.hatched = hatched
        self.own = self.path()  # the words no other clause covers
        self.setBrush(faded(colour, strength))
        self.setZValue(2)
        self.current = False
        self.set_current(False)

    def set_shared(self, shared: QPainterPath) -> None:
        """The words this clause shares with others: shaded once, not in its colour."""
        path = self.path()
        near = not shared.isEmpty() and path.boundingRect().intersects(shared.boundingRect())
        self.own = path.subtracted(shared) if near and path.intersects(shared) else path
        self.update()

    def set_current(self, current: bool) -> None:
        look = theme.current()
        self.current = current
        if current:
            self.setPen(QPen(self.colour.darker(190), 1.6))
        elif look.outline:
            self.setPen(QPen(self.colour.darker(170), look.outline))
        else:
            self.setPen(Qt.PenStyle.NoPen)
        self.setZValue(3 if current else 2)
        self.setOpacity(1.0 if current else look.resting)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        shown = self.path() if self.current else self.own
        painter.fillPath(shown, self.brush())
        if self.pen().style() != Qt.PenStyle.NoPen:
            painter.strokePath(self.path(), self.pen())
        if self.hatched:
            hatch = QBrush(self.colour.darker(150), Qt.BrushStyle.BDiagPattern)
            hatch.setTransform(painter.worldTransform().inverted()[0])  # the same on screen
            painter.fillPath(shown, hatch)


class MarginBar(QGraphicsRectItem):
    """A clause's category as a bar in the right margin, beside the lines it covers; bars of
    clauses on the same lines stand side by side. A click selects the clause."""

    def __init__(self, clause_id: str, rect: QRectF, colour: QColor, hatched: bool) -> None:
        super().__init__(rect)
        self.clause_id = clause_id
        self.colour = colour
        brush = QBrush(colour, Qt.BrushStyle.Dense4Pattern) if hatched else QBrush(colour)
        self.setBrush(brush)
        self.setPen(QPen(colour.darker(150), 0.4))
        self.setZValue(4)


def shared_path(paths: Sequence[QPainterPath]) -> QPainterPath:
    """Where two or more of ``paths`` overlap."""
    shared = QPainterPath()
    bounds = [p.boundingRect() for p in paths]
    for i, a in enumerate(paths):
        for j in range(i + 1, len(paths)):
            if bounds[i].intersects(bounds[j]) and a.intersects(paths[j]):
                both = a.intersected(paths[j])
                if not both.isEmpty():
                    shared = shared.united(both)
    return shared


class SharedShade(QGraphicsPathItem):
    """The one neutral shade over words that several clauses cover (multiplied, like the
    highlights, so the words stay black)."""

    def __init__(self, path: QPainterPath) -> None:
        super().__init__(path)
        self.setBrush(SHARED)
        self.setPen(Qt.PenStyle.NoPen)
        self.setZValue(1.9)
        self.setToolTip(
            "Several clauses cover these words: their categories are the bars in the right "
            "margin. Click to select one."
        )

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        painter.fillPath(self.path(), self.brush())


def margin_bars(
    page_items: Sequence[tuple[Highlight, ClauseHighlight]], right: float, limit: float
) -> list[MarginBar]:
    """One bar per clause on a page, from its first line to its last, side by side where
    clauses share lines; ``right`` is the right edge of the page's text, ``limit`` the
    page's width."""
    spans = {h.clause_id: item.boundingRect() for h, item in page_items if h.in_margin}
    placed = lanes([(name, span.top(), span.bottom()) for name, span in spans.items()])
    left = min(right + BAR_GAP, limit - BAR_STEP * (max(placed.values(), default=0) + 1))
    bars = []
    for h, _item in page_items:
        if h.clause_id not in placed:
            continue
        span = spans[h.clause_id]
        x = left + placed[h.clause_id] * BAR_STEP
        bar = MarginBar(
            h.clause_id,
            QRectF(x, span.top(), BAR_WIDTH, max(span.height(), 4.0)),
            faded(h.colour, h.strength),
            h.hatched,
        )
        bar.setToolTip(h.tooltip)
        bars.append(bar)
    return bars
