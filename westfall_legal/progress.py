"""Progress reporting and cancellation, with no Qt: plain callbacks and a token."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from westfall_legal.errors import Cancelled


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    stage: str  # "ingest", "ocr", "layout", "analysis", "llm", ...
    done: int
    total: int
    message: str = ""


ProgressCallback = Callable[[ProgressEvent], None]


def no_progress(event: ProgressEvent) -> None:
    """The default progress callback: ignores everything."""


class CancelToken:
    """Set from any thread; checked by long work between units (a page, a clause)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled("Cancelled by the user.")
