"""The pages' images: each page is rendered by PyMuPDF (through
``ingest.pdf.render_page_rgb``) in the background when it comes into view, at the zoom it is
shown at, and dropped again when it is far out of view. A render that comes back after the
document changed (or the window closed) is dropped."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QRectF, QThreadPool
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPixmapItem, QGraphicsRectItem

from westfall_legal.gui.tasks import Task
from westfall_legal.progress import CancelToken, ProgressCallback

MAX_RENDER_SCALE = 4.0
KEEP_PAGES = 3  # rendered pages kept this far from the visible ones


@dataclass
class Page:
    """One page in the scene: its size and top in points, its frame and its image."""

    number: int
    width: float
    height: float
    top: float
    frame: QGraphicsRectItem
    image: QGraphicsPixmapItem
    scale: float = 0.0  # pixels per point of the image shown
    pending: float = 0.0  # the scale of a render under way
    items: list[QGraphicsItem] = field(default_factory=list)


class PageRenderer(QObject):
    """Renders the pages of one document at a time, one page at a time."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one render at a time; the scene is what matters
        self.path: Path | None = None
        self._password: str | None = None
        self._generation = 0  # bumped per document, so a late render of the last one is dropped

    def open(self, path: Path, password: str | None) -> None:
        self._generation += 1
        self.path, self._password = path, password

    def close(self) -> None:
        self._generation += 1
        self.path = None

    def render_visible(self, pages: list[Page], seen: QRectF, scale: float) -> None:
        """Render the pages that ``seen`` (scene) shows at ``scale``; drop those far away."""
        if self.path is None:
            return
        scale = min(MAX_RENDER_SCALE, max(0.5, round(scale * 4) / 4))
        shown = [
            i
            for i, p in enumerate(pages)
            if p.top < seen.bottom() and p.top + p.height > seen.top()
        ]
        for index, page in enumerate(pages):
            near = bool(shown) and shown[0] - KEEP_PAGES <= index <= shown[-1] + KEEP_PAGES
            if index in shown and page.scale < scale * 0.95 and page.pending != scale:
                self._render(page, scale)
            elif not near and page.scale:
                page.image.setPixmap(QPixmap())
                page.scale = 0.0

    def _render(self, page: Page, scale: float) -> None:
        path, password, number, generation = (
            self.path,
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
