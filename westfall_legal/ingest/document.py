"""Read a document: the text layer where it is good, OCR where it is missing or garbage."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

from westfall_legal.errors import Cancelled, KnownError, MissingDependencyError, NoTextError
from westfall_legal.hashing import sha256_file
from westfall_legal.ingest import pdf
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
    for raw in pdf.read_pages(path, password, coverage_below_words=MIN_WORDS_FOR_TEXT_LAYER):
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
    return Document(path=path, sha256=sha256_file(path), pages=ordered)


def _run_ocr(
    path: Path,
    password: str | None,
    ocr: OcrEngine,
    raws: list[pdf.RawPage],
    workers: int,
    finished: Callable[[Page], None],
    cancel: CancelToken,
) -> None:
    """OCR pages in a pool (one single-threaded Tesseract per worker), streaming results.

    Pages are handed to ``finished`` in page order as soon as each (and those before it) is
    read. Cancelling stops the pages not yet started; the ones running (at most one per
    worker) are waited for, so ``Cancelled`` comes within about one page's time.
    """

    def one(raw: pdf.RawPage) -> Page:
        if cancel.cancelled:
            return Page(raw.number, raw.width, raw.height, (), "ocr", None, "cancelled")
        try:
            return ocr.recognise(path, raw.number, raw.width, raw.height, password)
        except (MissingDependencyError, Cancelled):
            raise  # a missing Tesseract fails every page: say it once
        except (KnownError, OSError) as exc:
            # A crash, a timeout, an unreadable page, no room for Tesseract's temporary
            # files: this page is lost, the others are not.
            reason = exc.message if isinstance(exc, KnownError) else f"OCR failed: {exc}"
            log.warning("OCR failed on page %d: %s", raw.number, type(exc).__name__)
            return Page(raw.number, raw.width, raw.height, (), "ocr", None, reason)

    pool = ThreadPoolExecutor(max_workers=min(workers, len(raws)))
    try:
        futures: list[Future[Page]] = [pool.submit(one, raw) for raw in raws]
        for future in futures:
            cancel.check()
            page = future.result()
            cancel.check()
            finished(page)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
