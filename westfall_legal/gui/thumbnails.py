"""Page thumbnails beside the page view: rendered in the background, a click goes to the page."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QWidget

from westfall_legal.gui.signals import emit
from westfall_legal.gui.tasks import Task
from westfall_legal.progress import CancelToken, ProgressCallback

WIDTH = 96  # pixels
Thumb = tuple[int, bytes, int, int]  # page number, RGB samples, width, height


class Thumbnails(QListWidget):
    pageRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(WIDTH, round(WIDTH * 1.3)))
        self.setSpacing(4)
        self.setFixedWidth(WIDTH + 40)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._generation = 0
        self.currentRowChanged.connect(self._picked)
        self._quiet = False
        self._task: Task[list[Thumb]] | None = None

    def load(
        self, path: Path, pages: Sequence[tuple[int, float, float]], password: str | None = None
    ) -> None:
        self._generation += 1
        generation = self._generation
        self.clear()
        for number, width, height in pages:
            blank = QPixmap(WIDTH, max(1, round(WIDTH * height / width)))
            blank.fill(QColor("white"))
            item = QListWidgetItem(QIcon(blank), str(number))
            item.setData(Qt.ItemDataRole.UserRole, number)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.addItem(item)
        numbers = [(n, WIDTH / w) for n, w, _ in pages]

        def render(_progress: ProgressCallback, cancel: CancelToken) -> list[Thumb]:
            from westfall_legal.ingest.pdf import render_page_rgb

            out = []
            for number, zoom in numbers:
                cancel.check()
                out.append((number, *render_page_rgb(path, number, zoom, password)))
            return out

        def done(result: list[Thumb]) -> None:
            if generation != self._generation or not shiboken6.isValid(self):
                return
            for row, (_number, samples, width, height) in enumerate(result):
                image = QImage(samples, width, height, width * 3, QImage.Format.Format_RGB888)
                self.item(row).setIcon(QIcon(QPixmap.fromImage(image.copy())))

        if self._task is not None:
            self._task.cancel()
        self._task = Task(render, name="thumbnails", pool=self._pool).on_success(done).start()

    def stop(self) -> None:
        """Drop the thumbnails being rendered (on closing)."""
        self._generation += 1
        if self._task is not None:
            self._task.cancel()

    def rendering(self) -> bool:
        return self._task is not None and self._task.running

    def show_page(self, number: int) -> None:
        """Mark the page the view shows (without asking the view to go there)."""
        self._quiet = True
        self.setCurrentRow(number - 1)
        self._quiet = False

    def _picked(self, row: int) -> None:
        if not self._quiet and row >= 0:
            emit(self.pageRequested, int(self.item(row).data(Qt.ItemDataRole.UserRole)))
