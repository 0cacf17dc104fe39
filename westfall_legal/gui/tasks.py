"""Background work: a core call runs on a worker thread; its progress and result come back to
the GUI thread as Qt signals.

    Task(lambda progress, cancel: analyse(path, progress=progress, cancel=cancel))
        .on_progress(bar.show_event).on_success(show_review).on_failure(show_error).start()

The function gets the core's plain ``progress`` callback and ``CancelToken`` and must not
touch a widget (as Anki's ``QueryOp``: "do not call UI routines in op"); the callbacks run on
the GUI thread. Only this module knows about Qt threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from westfall_legal.gui.signals import emit
from westfall_legal.progress import CancelToken, ProgressCallback, ProgressEvent

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[ProgressCallback, CancelToken], T]

_live: set[Task[Any]] = set()  # started and not finished: kept alive until they report


class _Signals(QObject):
    """Created on the GUI thread, so signals emitted from the worker are queued to it."""

    progress = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()


class _Runner(QRunnable):
    def __init__(self, task: Task[Any]) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task.run_here()


class Task(Generic[T]):
    """One piece of background work; start it once."""

    def __init__(self, work: Work[T], *, name: str = "task", pool: QThreadPool | None = None):
        self.name = name
        self.signals = _Signals()
        self.token = CancelToken()
        self._work = work
        self._pool = pool or QThreadPool.globalInstance()
        self.started = False
        self.done = False
        self.signals.finished.connect(self._finished)

    def on_progress(self, callback: Callable[[ProgressEvent], None]) -> Task[T]:
        self.signals.progress.connect(callback)
        return self

    def on_success(self, callback: Callable[[T], None]) -> Task[T]:
        self.signals.succeeded.connect(callback)
        return self

    def on_failure(self, callback: Callable[[BaseException], None]) -> Task[T]:
        self.signals.failed.connect(callback)
        return self

    def on_finished(self, callback: Callable[[], None]) -> Task[T]:
        self.signals.finished.connect(callback)
        return self

    def start(self) -> Task[T]:
        if self.started:
            raise RuntimeError(f"task {self.name} was started already")
        self.started = True
        _live.add(self)
        self._pool.start(_Runner(self))
        return self

    def cancel(self) -> None:
        """Ask the work to stop; it raises ``Cancelled`` at its next check."""
        self.token.cancel()

    @property
    def running(self) -> bool:
        return self.started and not self.done

    def run_here(self) -> None:
        """The worker thread's side: run the work, report its outcome."""
        try:
            result = self._work(lambda event: emit(self.signals.progress, event), self.token)
        except BaseException as exc:  # reported to the GUI thread, which decides what to show
            log.debug("task %s failed: %s", self.name, type(exc).__name__)
            emit(self.signals.failed, exc)
        else:
            emit(self.signals.succeeded, result)
        finally:
            emit(self.signals.finished)

    def _finished(self) -> None:
        self.done = True
        _live.discard(self)


def cancel_all(wait_ms: int = 10_000) -> bool:
    """Cancel every running task and wait for the pools to drain (on quitting)."""
    pools = {task._pool for task in _live}
    for task in list(_live):
        task.cancel()
    return all(pool.waitForDone(wait_ms) for pool in pools)
