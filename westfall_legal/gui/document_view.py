"""The page view: the pages of a document stacked top to bottom in a QGraphicsScene, with
the clause highlights, margin bars and marks (``page_items``) drawn on the pipeline's own
word boxes; the pages' images come from ``page_render``.

Scene units are PDF points; pages are stacked top to bottom with a gap. A drag draws a band:
the words under it are the reviewer's selection.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from westfall_legal.gui import theme
from westfall_legal.gui.page_items import (
    ClauseHighlight,
    Highlight,
    MarginBar,
    Marker,
    PageBoxes,
    SharedShade,
    WordSpan,
    line_rects,
    margin_bars,
    shared_path,
)
from westfall_legal.gui.page_render import Page, PageRenderer
from westfall_legal.gui.signals import emit
from westfall_legal.models import Box

GAP = 14.0  # points between pages
MIN_ZOOM, MAX_ZOOM = 0.25, 6.0
FLASHES = 6


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
        self.setBackgroundBrush(QColor(theme.current().page_background))
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # fit width holds
        self._fitting = True  # keep the width fitted as the view is resized, until a zoom
        self.renderer = PageRenderer(self)
        self.preferred_zoom: float | None = None  # a document opens at it (None: fit width)
        self._pages: list[Page] = []
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
        self.renderer.open(path, password)
        top = 0.0
        for number, width, height in pages:
            frame = QGraphicsRectItem(0, top, width, height)
            frame.setBrush(QColor("white"))
            frame.setPen(QPen(QColor("#2f3540"), 0.6))
            image = QGraphicsPixmapItem(frame)
            image.setPos(0, top)
            image.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
            self.scene().addItem(frame)
            self._pages.append(Page(number, width, height, top, frame, image))
            top += height + GAP
        widest = max((p.width for p in self._pages), default=0.0)
        self.scene().setSceneRect(-GAP, -GAP, widest + 2 * GAP, top + GAP)
        if self.preferred_zoom:
            self.set_zoom(self.preferred_zoom)
        else:
            self.fit_width()

    def clear(self) -> None:
        self.renderer.close()
        self._flash_timer.stop()
        self.scene().clear()
        self._pages, self._highlights, self._layers, self._current = [], {}, {}, None

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

    def _page(self, number: int) -> Page | None:
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
        scale = self._zoom * self.devicePixelRatioF()
        self.renderer.render_visible(self._pages, self._visible(), scale)

    # Zoom ----------------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return self._zoom

    @property
    def fitting(self) -> bool:
        """Whether the pages are fitted to the view's width (kept so as it is resized)."""
        return self._fitting

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
        """Draw every clause on its words (replacing the clauses drawn before): words under
        several clauses in one shade, each clause's category in its bar in the right margin."""
        for items in self._highlights.values():
            for item in items:
                self.scene().removeItem(item)
        self._highlights = {}
        on_page: dict[int, list[tuple[Highlight, ClauseHighlight]]] = {}
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
                on_page.setdefault(number, []).append((h, item))
            self._highlights[h.clause_id] = items
        self._stack(on_page)
        if self._current in self._highlights:
            for item in self._highlights[self._current]:
                item.set_current(True)

    def _stack(self, on_page: dict[int, list[tuple[Highlight, ClauseHighlight]]]) -> None:
        """The shade over shared words and the margin bars, page by page."""
        shades: list[QGraphicsItem] = []
        bars: list[QGraphicsItem] = []
        for number, drawn in on_page.items():
            page = self._page(number)
            assert page is not None
            shared = shared_path([item.path() for _, item in drawn])
            for _, item in drawn:
                item.set_shared(shared)
            if not shared.isEmpty():
                shades.append(SharedShade(shared))
            right = max(item.path().boundingRect().right() for _, item in drawn)  # the text's edge
            bars.extend(margin_bars(drawn, right, page.width))
        self._replace_layer("shared", shades)
        self._replace_layer("bars", bars)

    def _replace_layer(self, name: str, items: list[QGraphicsItem]) -> None:
        for old in self._layers.pop(name, []):
            self.scene().removeItem(old)
        for item in items:
            self.scene().addItem(item)
        self._layers[name] = items

    def apply_theme(self) -> None:
        """The space around the pages and the highlights' strength in the current theme."""
        self.setBackgroundBrush(QColor(theme.current().page_background))
        for item in self.highlight_items():
            item.set_current(item.current)

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
            rest = 1.0 if item.current else theme.current().resting
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
            if isinstance(item, ClauseHighlight | MarginBar):
                emit(self.clauseClicked, item.clause_id)
                return
