"""OCR engines without Tesseract: one word per page, optionally slow, failing or gated
(``FakeOcr``); in worker processes, optionally killing them (``ProcessFakeOcr``,
``NoWorkersOcr``); and one whose every page runs a long child program (``SlowOcr``)."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

from westfall_legal.models import Page, Word


class FakeOcr:
    """An OcrEngine that reads one word per page, optionally slowly or failing."""

    def __init__(
        self,
        *,
        delay_s: float = 0.0,
        fail: dict[int, Exception] | None = None,
        gate: dict[int, threading.Event] | None = None,
    ) -> None:
        self.delay_s = delay_s
        self.fail = fail or {}
        self.gate = gate or {}
        self.started: list[int] = []
        self.gate_opened: dict[int, bool] = {}

    def recognise(
        self, path: Path, number: int, width: float, height: float, password: str | None
    ) -> Page:
        self.started.append(number)
        if number in self.gate:
            self.gate_opened[number] = self.gate[number].wait(timeout=5.0)
        time.sleep(self.delay_s)
        if number in self.fail:
            raise self.fail[number]
        word = Word(f"word{number}", (72.0, 72.0, 120.0, 84.0), block=1, line=1, conf=90.0)
        return Page(number, width, height, (word,), "ocr", 90.0)


class ProcessFakeOcr:
    """A ProcessSafeOcr fake: each page says which process read it; ``fail`` maps a page to
    an error to raise or to ``"exit"`` (the worker process dies). Every start leaves a file
    in ``log_dir``, so the test sees what the worker processes did."""

    def __init__(
        self, log_dir: Path, fail: dict[int, Exception | str] | None = None, delay_s: float = 0
    ) -> None:
        self.log_dir = log_dir
        self.fail = fail or {}
        self.delay_s = delay_s
        self.prepared = 0

    def prepare(self, path: Path) -> None:
        self.prepared += 1

    def starts(self, number: int) -> int:
        return len(list(self.log_dir.glob(f"page{number}-*")))

    def recognise(
        self, path: Path, number: int, width: float, height: float, password: str | None
    ) -> Page:
        (self.log_dir / f"page{number}-{time.perf_counter_ns()}").touch()
        time.sleep(self.delay_s)
        failure = self.fail.get(number)
        if failure == "exit":
            os._exit(1)
        if isinstance(failure, Exception):
            raise failure
        words = (
            Word(f"word{number}", (72.0, 72.0, 120.0, 84.0), block=1, line=1, conf=90.0),
            Word(f"pid{os.getpid()}", (130.0, 72.0, 180.0, 84.0), block=1, line=1, conf=90.0),
        )
        return Page(number, width, height, words, "ocr", 90.0)


class NoWorkersOcr(ProcessFakeOcr):
    """Dies in any process but the one that made it: as when worker processes cannot run
    the app (a script without a ``__main__`` guard)."""

    def __init__(self, log_dir: Path) -> None:
        super().__init__(log_dir)
        self.home = os.getpid()

    def recognise(
        self, path: Path, number: int, width: float, height: float, password: str | None
    ) -> Page:
        if os.getpid() != self.home:
            os._exit(1)
        return super().recognise(path, number, width, height, password)


class SlowOcr:
    """A ProcessSafeOcr whose every page runs a long child program, as Tesseract does."""

    def prepare(self, path: Path) -> None:
        pass

    def recognise(
        self, path: Path, number: int, width: float, height: float, password: str | None
    ) -> Page:
        subprocess.run(["sleep", "300"], check=False)
        raise RuntimeError("not reached in the test")
