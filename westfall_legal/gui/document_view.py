"""The page view: pages rendered by PyMuPDF (through ``ingest.pdf.render_page_rgb``) into a
QGraphicsScene, with the clause highlights drawn on the pipeline's own word boxes.

Scene units are PDF points; pages are stacked top to bottom with a gap. Each page is rendered
in the background when it comes into view, at the zoom it is shown at, and dropped again when
it is far out of view. A drag draws a band: the words under it are the reviewer's selection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import shiboken6
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from westfall_legal.gui.signals import emit
from westfall_legal.gui.style import PAGE_BACKGROUND, faded
from westfall_legal.gui.tasks import Task
from westfall_legal.models import Box
from westfall_legal.progress import CancelToken, ProgressCallback

GAP = 14.0  # points between pages
MIN_ZOOM, MAX_ZOOM = 0.25, 6.0
MAX_RENDER_SCALE = 4.0
KEEP_PAGES = 3  # rendered pages kept this far from the visible ones
FLASHES = 6
RESTING = 0.55  # opacity of the clauses not selected, so overlapping ones stay readable

PageBoxes = Mapping[int, Sequence[Box]]
WordSpan = Callable[[int, Box], "tuple[int, int] | None"]


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


@dataclass(frozen=True)
class Highlight:
    """A clause drawn on its words: its id, its colour, its boxes per page, its tooltip."""

    clause_id: str
    colour: QColor
    boxes: PageBoxes
    tooltip: str = ""
    strength: float = 1.0  # 1.0: the model is sure; lower is fainter (style.strength)
    hatched: bool = False  # below the threshold


@dataclass(frozen=True)
class Marker:
    """A finding's mark in the page margin beside the line it rests on."""

    page: int
    box: Box
    colour: QColor
    tooltip: str


@dataclass
class _Page:
    number: int
    width: float
    height: float
    top: float
    frame: QGraphicsRectItem
    image: QGraphicsPixmapItem
    scale: float = 0.0  # pixels per point of the image shown
    pending: float = 0.0  # the scale of a render under way
    items: list[QGraphicsItem] = field(default_factory=list)


class ClauseHighlight(QGraphicsPathItem):
    """The highlight of one clause on one page, painted like a highlighter (multiply): fainter
    as the model is less sure of it, and hatched below the threshold."""

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
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.WindingFill)
        for x0, y0, x1, y1 in rects:
            path.addRect(QRectF(x0, top + y0, x1 - x0, y1 - y0))
        super().__init__(path.simplified())  # one outline around touching lines
        self.clause_id = clause_id
        self.colour = colour
        self.strength = strength
        self.hatched = hatched
        self.setBrush(faded(colour, strength))
        self.setPen(Qt.PenStyle.NoPen)
        self.setZValue(2)
        self.setOpacity(RESTING)
        self.current = False

    def set_current(self, current: bool) -> None:
        self.current = current
        self.setPen(QPen(self.colour.darker(190), 1.6) if current else Qt.PenStyle.NoPen)
        self.setZValue(3 if current else 2)
        self.setOpacity(1.0 if current else RESTING)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        super().paint(painter, option, widget)
        if self.hatched:
            hatch = QBrush(self.colour.darker(150), Qt.BrushStyle.BDiagPattern)
            hatch.setTransform(painter.worldTransform().inverted()[0])  # the same on screen
            painter.fillPath(self.path(), hatch)


class DocumentView(QGraphicsView):
    spanSelected = Signal(int, int)  # char_start, char_end of the words under a drawn band
    clauseClicked = Signal(str)
    pageChanged = Signal(int)
    zoomChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setBackgroundBrush(QColor(PAGE_BACKGROUND))
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # fit width holds
        self._fitting = True  # keep the width fitted as the view is resized, until a zoom
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one render at a time; the scene is what matters
        self._path: Path | None = None
        self._password: str | None = None
        self._generation = 0  # bumped per document, so a late render of the last one is dropped
        self._pages: list[_Page] = []
        self._highlights: dict[str, list[ClauseHighlight]] = {}
        self._layers: dict[str, list[QGraphicsItem]] = {}
        self._current: str | None = None
        self._zoom = 1.0
        self._band = QRectF()
        self._page_shown = 0
        self.word_span: WordSpan | None = None
        self.flashed: str | None = None  # the clause flashed last (tests read it)
        self._flash_left = 0
        self._flash_timer = QTimer(self, interval=110)
        self._flash_timer.timeout.connect(self._flash_step)
        self._render_timer = QTimer(self, singleShot=True, interval=40)
        self._render_timer.timeout.connect(self._render_visible)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(self._scrolled)
        self.rubberBandChanged.connect(self._band_changed)

    # Pages ---------------------------------------------------------------------------------

    def load(
        self, path: Path, pages: Sequence[tuple[int, float, float]], password: str | None = None
    ) -> None:
        """Show the pages (number, width, height in points) of ``path``; render them lazily."""
        self.clear()
        self._path, self._password = path, password
        top = 0.0
        for number, width, height in pages:
            frame = QGraphicsRectItem(0, top, width, height)
            frame.setBrush(QColor("white"))
            frame.setPen(QPen(QColor("#2f3540"), 0.6))
            image = QGraphicsPixmapItem(frame)
            image.setPos(0, top)
            image.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
            self.scene().addItem(frame)
            self._pages.append(_Page(number, width, height, top, frame, image))
            top += height + GAP
        widest = max((p.width for p in self._pages), default=0.0)
        self.scene().setSceneRect(-GAP, -GAP, widest + 2 * GAP, top + GAP)
        self.fit_width()

    def clear(self) -> None:
        self._generation += 1
        self._flash_timer.stop()
        self.scene().clear()
        self._pages, self._highlights, self._layers, self._current = [], {}, {}, None
        self._path = None

    @property
    def pages(self) -> int:
        return len(self._pages)

    @property
    def current_page(self) -> int:
        return self._page_shown

    def rendered_pages(self) -> list[int]:
        return [p.number for p in self._pages if p.scale > 0]

    def rendering(self) -> bool:
        """Whether a render is under way or due, or a flash going (a screenshot waits)."""
        busy = self._render_timer.isActive() or self._flash_timer.isActive()
        return busy or any(p.pending for p in self._pages)

    def _page(self, number: int) -> _Page | None:
        return next((p for p in self._pages if p.number == number), None)

    def scene_rect(self, page: int, box: Box) -> QRectF:
        found = self._page(page)
        top = found.top if found else 0.0
        return QRectF(box[0], top + box[1], box[2] - box[0], box[3] - box[1])

    def _visible(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def _scrolled(self) -> None:
        self._render_timer.start()
        seen = self._visible()
        middle = seen.top() + seen.height() / 3
        number = next((p.number for p in self._pages if p.top + p.height + GAP > middle), 0)
        if number and number != self._page_shown:
            self._page_shown = number
            emit(self.pageChanged, number)

    def _render_visible(self) -> None:
        if self._path is None:
            return
        seen = self._visible()
        scale = min(
            MAX_RENDER_SCALE, max(0.5, round(self._zoom * self.devicePixelRatioF() * 4) / 4)
        )
        shown = [
            i
            for i, p in enumerate(self._pages)
            if p.top < seen.bottom() and p.top + p.height > seen.top()
        ]
        for index, page in enumerate(self._pages):
            near = bool(shown) and shown[0] - KEEP_PAGES <= index <= shown[-1] + KEEP_PAGES
            if index in shown and page.scale < scale * 0.95 and page.pending != scale:
                self._render(page, scale)
            elif not near and page.scale:
                page.image.setPixmap(QPixmap())
                page.scale = 0.0

    def _render(self, page: _Page, scale: float) -> None:
        path, password, number, generation = (
            self._path,
            self._password,
            page.number,
            self._generation,
        )
        assert path is not None
        page.pending = scale

        def done(result: tuple[bytes, int, int]) -> None:
            if generation != self._generation or not shiboken6.isValid(page.image):
                return  # another document, or the window closed, since it was asked for
            samples, width, height = result
            image = QImage(samples, width, height, width * 3, QImage.Format.Format_RGB888)
            page.image.setPixmap(QPixmap.fromImage(image.copy()))
            page.image.setScale(1 / scale)
            page.scale, page.pending = scale, 0.0

        def failed(exc: BaseException) -> None:  # the page stays white; the review is intact
            if generation == self._generation:
                page.pending = 0.0
                page.frame.setToolTip(f"This page could not be shown: {exc}")

        def work(_progress: ProgressCallback, _cancel: CancelToken) -> tuple[bytes, int, int]:
            from westfall_legal.ingest.pdf import render_page_rgb  # PyMuPDF: after the window

            return render_page_rgb(path, number, scale, password)

        Task(
            work,
            name=f"render page {number}",
            pool=self._pool,
        ).on_success(done).on_failure(failed).start()

    # Zoom ----------------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, zoom: float, *, fitting: bool = False) -> None:
        self._fitting = fitting
        self._zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        self.setTransform(QTransform.fromScale(self._zoom, self._zoom))
        self._render_timer.start()
        emit(self.zoomChanged, self._zoom)

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom * 1.25)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom / 1.25)

    def fit_width(self) -> None:
        widest = max((p.width for p in self._pages), default=0.0)
        if widest:
            self.set_zoom(max(self.viewport().width() - 4, 50) / (widest + 2 * GAP), fitting=True)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.set_zoom(self._zoom * (1.15 if event.angleDelta().y() > 0 else 1 / 1.15))
            event.accept()
        else:
            super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fitting:
            self.fit_width()
        self._render_timer.start()

    # Highlights and marks ------------------------------------------------------------------

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        """Draw every clause on its words (replacing the clauses drawn before)."""
        for items in self._highlights.values():
            for item in items:
                self.scene().removeItem(item)
        self._highlights = {}
        for h in highlights:
            items = []
            for number, boxes in h.boxes.items():
                page = self._page(number)
                if page is None or not boxes:
                    continue
                item = ClauseHighlight(
                    h.clause_id,
                    h.colour,
                    line_rects(boxes),
                    page.top,
                    strength=h.strength,
                    hatched=h.hatched,
                )
                item.setToolTip(h.tooltip)
                self.scene().addItem(item)
                items.append(item)
            self._highlights[h.clause_id] = items
        if self._current in self._highlights:
            for item in self._highlights[self._current]:
                item.set_current(True)

    def highlight_items(self, clause_id: str | None = None) -> list[ClauseHighlight]:
        if clause_id is not None:
            return list(self._highlights.get(clause_id, []))
        return [i for items in self._highlights.values() for i in items]

    def set_layer(
        self,
        name: str,
        boxes: PageBoxes,
        brush: QBrush,
        pen: QPen | None = None,
        z: float = 1.0,
        *,
        merge: bool = False,
    ) -> None:
        """A named layer of rectangles (OCR doubt, search hits, the selection), replaced whole."""
        for item in self._layers.pop(name, []):
            self.scene().removeItem(item)
        items: list[QGraphicsItem] = []
        for number, page_boxes in boxes.items():
            for x0, y0, x1, y1 in line_rects(page_boxes) if merge else page_boxes:
                rect = self.scene_rect(number, (x0, y0, x1, y1))
                item = self.scene().addRect(rect, pen or QPen(Qt.PenStyle.NoPen), brush)
                item.setZValue(z)
                items.append(item)
        self._layers[name] = items

    def set_markers(self, markers: Sequence[Marker]) -> None:
        """Severity bars in the left margin, beside the first line a finding rests on."""
        for item in self._layers.pop("markers", []):
            self.scene().removeItem(item)
        items: list[QGraphicsItem] = []
        for m in markers:
            page = self._page(m.page)
            if page is None:
                continue
            left = max(6.0, m.box[0] - 22)
            rect = QRectF(left, page.top + m.box[1], 7, max(8.0, m.box[3] - m.box[1]))
            item = self.scene().addRect(rect, QPen(m.colour.darker(140), 0.5), m.colour)
            item.setToolTip(m.tooltip)
            item.setZValue(4)
            items.append(item)
        self._layers["markers"] = items

    def layer_items(self, name: str) -> list[QGraphicsItem]:
        return list(self._layers.get(name, []))

    # Going to a place ----------------------------------------------------------------------

    def select_clause(self, clause_id: str | None, *, flash: bool = True) -> None:
        """Outline a clause, scroll it into view and flash it."""
        for item in self._highlights.get(self._current or "", []):
            item.set_current(False)
        self._current = clause_id
        items = self._highlights.get(clause_id or "", [])
        for item in items:
            item.set_current(True)
        if items:
            self.show_rect(items[0].sceneBoundingRect())
            if flash:
                self._flash(clause_id or "")

    def show_rect(self, rect: QRectF) -> None:
        """Scroll so that ``rect`` (scene) starts a little below the top of the view."""
        seen = self._visible()
        if seen.contains(rect) and rect.top() > seen.top() + 20 / self._zoom:
            return
        y = rect.top() - 60 / self._zoom + seen.height() / 2
        self.centerOn(QPointF(seen.center().x(), y))

    def show_span(self, boxes: PageBoxes) -> None:
        for number in sorted(boxes):
            if boxes[number]:
                x0, y0, x1, y1 = boxes[number][0]
                self.show_rect(self.scene_rect(number, (x0, y0, x1, y1)))
                return

    def show_page(self, number: int) -> None:
        page = self._page(number)
        if page is not None:
            seen = self._visible()
            self.centerOn(QPointF(seen.center().x(), page.top - GAP / 2 + seen.height() / 2))

    def _flash(self, clause_id: str) -> None:
        self.flashed = clause_id
        self._flash_left = FLASHES
        self._flash_timer.start()

    def _flash_step(self) -> None:
        self._flash_left -= 1
        for item in self._highlights.get(self.flashed or "", []):
            rest = 1.0 if item.current else RESTING
            item.setOpacity(0.15 if self._flash_left % 2 else rest)
        if self._flash_left <= 0:
            self._flash_timer.stop()

    # Selecting words -----------------------------------------------------------------------

    def _band_changed(self, rect: QRect, start: QPointF, end: QPointF) -> None:
        if not rect.isNull():
            self._band = QRectF(start, end).normalized()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._band = QRectF()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        band, self._band = self._band, QRectF()
        if band.width() * self._zoom > 4 or band.height() * self._zoom > 4:
            self.select_band(band)
        elif event.button() == Qt.MouseButton.LeftButton:
            self.click_at(event.position().toPoint())

    def select_band(self, band: QRectF) -> None:
        """Select the words under ``band`` (scene) on the page its middle is on."""
        middle = band.center().y()
        page = next((p for p in self._pages if p.top <= middle <= p.top + p.height + GAP), None)
        if page is None or self.word_span is None:
            return
        box = (band.left(), band.top() - page.top, band.right(), band.bottom() - page.top)
        span = self.word_span(page.number, box)
        if span is not None:
            emit(self.spanSelected, *span)

    def click_at(self, pos: QPoint) -> None:
        for item in self.items(pos):
            if isinstance(item, ClauseHighlight):
                emit(self.clauseClicked, item.clause_id)
                return
