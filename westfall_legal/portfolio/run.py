"""A portfolio run on this machine: the documents still to review, handed to a pool of
worker processes a few at a time (memory stays flat whatever the data room's size), each
outcome kept by the parent as it comes back, and a progress line.

A worker process that dies (a crash in a PDF library, the kernel's OOM killer) breaks the
pool: the documents it held are handed out again in a new pool, and one that was running
each time the pool broke :data:`MAX_ATTEMPTS` times becomes a row with that error.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import TextIO

from westfall_legal.errors import ExitCode
from westfall_legal.ingest.workers import exit_with_parent
from westfall_legal.portfolio.task import Job, Outcome, Task, review_job
from westfall_legal.settings import Settings

MAX_ATTEMPTS = 3
IN_FLIGHT_PER_WORKER = 2  # jobs handed out per worker: enough to keep it busy, no more


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


@dataclass
class Progress:
    """Documents done, pages per second and the time left, on one line of ``stream``."""

    total: int
    already: int = 0  # finished by an earlier run
    stream: TextIO | None = field(default_factory=lambda: sys.stderr)
    every_s: float = 5.0  # a plain line this often when ``stream`` is not a terminal
    done: int = 0
    failed: int = 0
    pages: int = 0
    start: float = field(default_factory=time.monotonic)
    _shown: float = 0.0

    def __call__(self, outcome: Outcome) -> None:
        self.done += 1
        self.failed += not outcome.ok
        self.pages += outcome.pages
        self.show()

    @property
    def elapsed(self) -> float:
        return max(time.monotonic() - self.start, 1e-6)

    def line(self) -> str:
        elapsed = self.elapsed
        left = self.total - self.already - self.done
        eta = "-" if not self.done else _duration(elapsed / self.done * left)
        failed = f", {self.failed} failed" if self.failed else ""
        return (
            f"portfolio: {self.already + self.done}/{self.total} documents{failed}, "
            f"{self.pages / elapsed:.1f} pages/s, {self.done / elapsed * 3600:.0f} contracts/h, "
            f"ETA {eta}"
        )

    def show(self, *, last: bool = False) -> None:
        if self.stream is None:
            return
        if self.stream.isatty():
            self.stream.write("\r" + self.line().ljust(100) + ("\n" if last else ""))
            self.stream.flush()
        elif last or time.monotonic() - self._shown >= self.every_s:
            self._shown = time.monotonic()
            print(self.line(), file=self.stream, flush=True)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s"


def _init_worker() -> None:
    """A worker ignores Ctrl-C (the parent decides; nothing is half-kept) and ends when
    the parent ends, even by ``kill -9``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent()


def _pool(workers: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["westfall_legal.portfolio.task"])
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker)


def died(job: Job, how: str) -> Outcome:
    """The row of a document whose review kept killing the process that ran it."""
    return Outcome(
        job.sha256,
        job.shown,
        None,
        None,
        error=f"{job.shown}: not reviewed: {how} (a crash in a document library, or not "
        "enough memory); try it alone with `westfall review`.",
        code=ExitCode.BUG,
    )


def run_local(
    jobs: Iterable[Job],
    settings: Settings,
    workers: int,
    keep: Callable[[Outcome], object],
    task: Task = review_job,
) -> None:
    """Review ``jobs`` on ``workers`` processes; ``keep`` gets each outcome, in this process,
    as soon as it is back. Ctrl-C (KeyboardInterrupt) stops at once: what was kept stays.
    ``task`` is what a worker does with a job (:func:`~.task.no_review` times the dispatch)."""
    pending: Iterator[Job] = iter(jobs)
    retry: list[Job] = []
    running: dict[Future[Outcome], Job] = {}
    pool = _pool(workers)
    try:
        while True:
            while len(running) < workers * IN_FLIGHT_PER_WORKER:
                job = retry.pop() if retry else next(pending, None)
                if job is None:
                    break
                running[pool.submit(task, job, settings)] = job
            if not running:
                return
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                job = running.pop(future)
                try:
                    keep(future.result())
                except BrokenProcessPool:
                    broken = True
                    retry.append(job)
            if broken:  # every job the pool still held is lost with it
                retry.extend(running.values())
                running.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                again = [replace(j, attempt=j.attempt + 1) for j in retry]
                retry = [j for j in again if j.attempt <= MAX_ATTEMPTS]
                for job in again:
                    if job.attempt > MAX_ATTEMPTS:
                        keep(died(job, f"the review process died {MAX_ATTEMPTS} times"))
                pool = _pool(workers)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
