"""Read a document: the text layer where it is good, OCR where it is missing or garbage."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Protocol, runtime_checkable

from westfall_legal.errors import (
    Cancelled,
    CorruptDocumentError,
    KnownError,
    MissingDependencyError,
    NoTextError,
)
from westfall_legal.hashing import sha256_file
from westfall_legal.ingest import pdf
from westfall_legal.ingest.workers import exit_with_parent
from westfall_legal.models import Document, Page, Word
from westfall_legal.progress import CancelToken, ProgressCallback, ProgressEvent, no_progress

log = logging.getLogger(__name__)

MIN_WORDS_FOR_TEXT_LAYER = 8
MAX_GARBAGE_RATIO = 0.25
SCAN_COVERAGE = 0.5


class OcrEngine(Protocol):
    """Recognises one page; implemented by :class:`westfall_legal.ingest.ocr.TesseractOcr`."""

    def recognise(
        self, path: Path, number: int, width: float, height: float, password: str | None
    ) -> Page: ...


@runtime_checkable
class ProcessSafeOcr(OcrEngine, Protocol):
    """An engine that can be pickled into worker processes (TesseractOcr is one).

    ``prepare`` runs once in the app's own process before any page is handed out: it checks
    what every page needs (the Tesseract installation), so a missing piece is said once.
    """

    def prepare(self, path: Path) -> None: ...


def _is_garbage(word: Word) -> bool:
    text = word.text
    if "\ufffd" in text:
        return True
    # A control, format or whitespace character inside a word (the only whitespace that
    # str.isprintable() accepts is the plain space): one pass in C, not one per character.
    if " " in text or not text.isprintable():
        return True
    # Mis-encoded fonts come out as runs of symbols without a single letter or digit.
    return len(text) > 2 and not any(ch.isalnum() for ch in text)


def text_layer_is_good(raw: pdf.RawPage) -> bool:
    """A page keeps its text layer when it has enough words and few garbage ones."""
    if len(raw.words) < MIN_WORDS_FOR_TEXT_LAYER:
        # Few words over a page-sized picture is a scan; over white paper, a short page.
        return raw.image_coverage is None or raw.image_coverage < SCAN_COVERAGE
    garbage = sum(_is_garbage(w) for w in raw.words)
    return garbage / len(raw.words) <= MAX_GARBAGE_RATIO


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def load_document(
    path: Path,
    *,
    password: str | None = None,
    ocr: OcrEngine | None = None,
    workers: int = 0,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    on_page: Callable[[Page], None] | None = None,
) -> Document:
    """Read every page of ``path``; OCR the pages whose text layer is missing or garbage.

    Pages are reported through ``progress`` (and ``on_page``) as they finish. A page that
    OCR fails on is kept, empty, with its ``error``; the rest of the document goes on.
    """
    cancel = cancel or CancelToken()
    raw_pages = []
    report = pdf.ReadReport()
    for raw in pdf.read_pages(
        path, password, coverage_below_words=MIN_WORDS_FOR_TEXT_LAYER, report=report
    ):
        cancel.check()
        raw_pages.append(raw)
    total = len(raw_pages)
    pages: dict[int, Page] = {}
    to_ocr: list[pdf.RawPage] = []
    for raw in raw_pages:
        if text_layer_is_good(raw):
            pages[raw.number] = Page(
                raw.number, raw.width, raw.height, raw.words, tables=raw.tables
            )
        else:
            to_ocr.append(raw)

    done = 0

    def finished(page: Page) -> None:
        nonlocal done
        pages[page.number] = page
        done += 1
        if on_page is not None:
            on_page(page)
        progress(ProgressEvent("ingest", done, total, f"page {page.number}"))

    for number in sorted(pages):
        cancel.check()
        finished(pages[number])
    if to_ocr:
        if ocr is None:
            from westfall_legal.ingest.ocr import TesseractOcr

            ocr = TesseractOcr()
        _run_ocr(path, password, ocr, to_ocr, workers or default_workers(), finished, cancel)
    ordered = tuple(pages[n] for n in sorted(pages))
    if report.repaired and not any(p.words for p in ordered):
        raise CorruptDocumentError(
            f"{path}: the PDF is truncated or damaged: no text could be recovered from its "
            f"{total} page(s).",
            hint=pdf.TRUNCATED_HINT,
        )
    if not any(p.words for p in ordered):
        failed = [p for p in ordered if p.error]
        detail = ""
        if failed:
            reason = (failed[0].error or "").rstrip(".")
            detail = f"; OCR failed on {len(failed)} of them (page {failed[0].number}: {reason})"
        raise NoTextError(f"{path}: no text was found on any of its {total} page(s){detail}.")
    failed_pages = [p.number for p in ordered if p.error]
    if failed_pages:
        log.warning("OCR failed on page(s) %s of %s", failed_pages, path.name)
    log.info("read %d pages (%d by OCR)", total, len(to_ocr))
    warnings = damage_warnings(report.repaired, [r.number for r in raw_pages if r.blank])
    return Document(path=path, sha256=sha256_file(path), pages=ordered, warnings=warnings)


def page_ranges(numbers: list[int]) -> str:
    """``[5, 6, 7, 9]`` as ``"pages 5-7 and 9"``; one number as ``"page 5"``."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    parts = [f"{a}-{b}" if b > a else str(a) for a, b in runs]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return ("pages " if len(numbers) > 1 else "page ") + joined


def damage_warnings(repaired: bool, blank: list[int]) -> tuple[str, ...]:
    """What the reader must know about a PDF that MuPDF had to repair: which pages are
    empty (nothing drawn on them at all, a truncated file's lost pages), or that the pages
    must be checked against the original. Blank pages of an undamaged file are deliberate."""
    if not repaired:
        return ()
    if blank:
        empty = page_ranges(blank)
        verb = "are" if len(blank) > 1 else "is"
        return (
            f"this PDF was damaged and repaired; {empty} {verb} empty: the file is probably "
            "truncated, so get the complete file and review it again",
        )
    return (
        "this PDF was damaged and repaired: check its pages against the original before "
        "relying on the review",
    )


def process_context() -> BaseContext:
    """Worker processes come from a fork server: forking the app itself is unsafe once it
    runs threads (the GUI always does), and spawning each worker would import the OCR stack
    anew. The server starts once per app run (about 0.4 s); each pool then costs ~0.04 s."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["westfall_legal.ingest.ocr"])
    return context


def worker_pool(count: int) -> ProcessPoolExecutor:
    """``count`` OCR worker processes that end when this process ends, even by ``kill -9``
    (:func:`~westfall_legal.ingest.workers.exit_with_parent`); the fork server and the
    resource tracker then end too."""
    return ProcessPoolExecutor(
        max_workers=count, mp_context=process_context(), initializer=exit_with_parent
    )


def _read_page(
    ocr: OcrEngine, path: Path, password: str | None, number: int, width: float, height: float
) -> Page:
    """OCR one page; a failure that is the page's own becomes the page's ``error``."""
    try:
        return ocr.recognise(path, number, width, height, password)
    except (MissingDependencyError, Cancelled):
        raise  # a missing Tesseract fails every page: say it once
    except (KnownError, OSError) as exc:
        # A crash, a timeout, an unreadable page, no room for Tesseract's temporary
        # files: this page is lost, the others are not.
        reason = exc.message if isinstance(exc, KnownError) else f"OCR failed: {exc}"
        log.warning("OCR failed on page %d: %s", number, type(exc).__name__)
        return Page(number, width, height, (), "ocr", None, reason)


def _run_ocr(
    path: Path,
    password: str | None,
    ocr: OcrEngine,
    raws: list[pdf.RawPage],
    workers: int,
    finished: Callable[[Page], None],
    cancel: CancelToken,
) -> None:
    """OCR pages ``workers`` at a time (one single-threaded Tesseract each), streaming results.

    A :class:`ProcessSafeOcr` engine runs in worker processes, so its Python-side work
    (rendering, deskew, parsing) does not queue on one interpreter lock; other engines run
    in threads. Only ``workers`` pages are handed out at a time: cancelling waits for those
    (``Cancelled`` comes within about one page's time) and starts no more. Pages reach
    ``finished`` in page order as soon as each, and those before it, is read. A worker
    process that dies takes the pages it was reading with it: they are read again in a new
    pool, one at a time, and a page whose worker dies while it runs alone is marked failed.
    When the workers die before any page has come back, they cannot run here: the pages
    are read in threads.
    """
    count = min(workers, len(raws))
    in_processes = False
    if count > 1 and isinstance(ocr, ProcessSafeOcr):
        ocr.prepare(path)  # once here, not once per worker process
        in_processes = True
    order = [raw.number for raw in raws]
    waiting = deque(raws)
    running: dict[Future[Page], pdf.RawPage] = {}
    read: dict[int, Page] = {}
    suspects: set[int] = set()  # pages that were running when a worker died
    reported = 0

    def new_pool() -> Executor:
        nonlocal in_processes
        if in_processes:
            try:
                return worker_pool(count)
            except (OSError, NotImplementedError) as exc:  # no semaphores (/dev/shm) here
                log.warning("OCR runs in threads: no worker processes (%s)", exc)
                in_processes = False
        return ThreadPoolExecutor(max_workers=count)

    pool = new_pool()
    try:
        while waiting or running:
            cancel.check()
            while waiting and len(running) < (1 if suspects else count):
                raw = waiting.popleft()
                args = (ocr, path, password, raw.number, raw.width, raw.height)
                running[pool.submit(_read_page, *args)] = raw
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            settled = [_settle(f, running.pop(f), read, suspects, waiting) for f in done]
            if not all(settled):
                pool.shutdown(wait=True)  # the pages it still held are lost as well
                for future, raw in running.items():
                    _settle(future, raw, read, suspects, waiting)
                running.clear()
                if not read and reported == 0:
                    # Not one page came back: the workers cannot run here at all (a script
                    # that imports the app without an ``if __name__ == "__main__"`` guard is
                    # run again by each worker). Read the pages in this process instead.
                    log.warning("OCR worker processes failed to start; reading in threads")
                    in_processes = False
                    suspects.clear()
                    waiting = deque(raws)
                pool = new_pool()
            while reported < len(order) and order[reported] in read:
                cancel.check()
                finished(read.pop(order[reported]))
                reported += 1
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _settle(
    future: Future[Page],
    raw: pdf.RawPage,
    read: dict[int, Page],
    suspects: set[int],
    waiting: deque[pdf.RawPage],
) -> bool:
    """Keep a finished page; False when its worker process died (the pool is broken).

    A page lost that way is read again first, alone; lost again, it is given up."""
    try:
        read[raw.number] = future.result()
        suspects.discard(raw.number)
        return True
    except BrokenProcessPool:
        pass
    if raw.number in suspects:
        suspects.discard(raw.number)
        log.warning("OCR worker died twice on page %d", raw.number)
        reason = "OCR failed: the OCR worker process stopped while reading this page."
        read[raw.number] = Page(raw.number, raw.width, raw.height, (), "ocr", None, reason)
    else:
        suspects.add(raw.number)
        waiting.appendleft(raw)
    return False
