"""The one job of a portfolio worker: review a document and hand back its review JSON and
HTML, or the error that stopped it. The same function runs in a local worker process and
on a Dask worker; it never touches the store and is given no passphrase or key.

A worker loads the clause model once (per process) and checks that its sha256 is the one
the client reviews with, so that every row of a portfolio comes from the same model.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from westfall_legal.crash import save_crash_report
from westfall_legal.errors import ExitCode, KnownError, ModelError
from westfall_legal.hashing import sha256_bytes
from westfall_legal.pipeline import Engines, analyse
from westfall_legal.report import review_html, review_json
from westfall_legal.settings import Settings

if TYPE_CHECKING:
    from westfall_legal.review_json import ReviewJson

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One document to review. ``path``: where the worker reads it (a local pool, on the
    same machine); ``payload``: its bytes (a cluster, whose workers do not share the disk).
    ``shown`` is the client's path of it, used in the review and in any error line."""

    sha256: str
    shown: str
    model_sha256: str
    path: str | None = None
    payload: bytes | None = None
    attempt: int = 1
    ocr_workers: int = 1  # processes for a scan's pages (1 on a Dask worker: no children)
    unreadable: str = ""  # the client could not read the file: the row's error


@dataclass(frozen=True)
class Outcome:
    """What a worker hands back: the review (JSON and HTML) or the error, and the counts
    the progress line and the sheet need. Nothing in it is a key or a passphrase."""

    sha256: str
    shown: str
    data: ReviewJson | None
    html: str | None
    pages: int = 0
    ocr_pages: int = 0
    seconds: float = 0.0
    error: str | None = None
    code: int = ExitCode.OK

    @property
    def ok(self) -> bool:
        return self.error is None


Task = Callable[[Job, Settings], Outcome]  # what a worker does with a job

_engines: Engines | None = None  # one per worker process: the models load once


def engines() -> Engines:
    global _engines
    if _engines is None:
        _engines = Engines()
    return _engines


def worker_settings(settings: Settings, ocr_workers: int = 1) -> Settings:
    """A worker's settings: born-digital documents fill the cores one per process; a scan's
    pages are read by ``ocr_workers`` processes of the worker's own (so that the last scans
    of a run do not leave cores idle); no language model (its summary sentences are for
    the review of one contract, later)."""
    return settings.replace(ocr_workers=max(1, ocr_workers), use_llm=False)


def model_sha256(settings: Settings) -> str:
    """The sha256 of the clause model the client reviews with, which workers must match."""
    return engines().clauses(worker_settings(settings)).sha256


def review_job(job: Job, settings: Settings) -> Outcome:
    """Review one document; every failure becomes an :class:`Outcome` with its error."""
    start = time.perf_counter()
    read_at = job.path or job.shown  # where the worker reads it: errors name job.shown
    if job.unreadable:
        return _failed(job, job.unreadable, ExitCode.INPUT_MISSING, start)
    try:
        if job.payload is None:
            return _review(Path(read_at), job, settings, start)
        if sha256_bytes(job.payload) != job.sha256:
            raise KnownError(
                f"{job.shown}: the bytes that reached the worker are not the file's "
                "(sha256 differs).",
                hint="Run the same command again; the document is sent anew.",
            )
        with tempfile.TemporaryDirectory(prefix="westfall-portfolio-") as folder:
            path = Path(folder) / f"document{Path(job.shown).suffix.lower()}"
            read_at = str(path)
            path.write_bytes(job.payload)
            return _review(path, job, settings, start)
    except KnownError as exc:
        line = exc.user_line().replace(read_at, job.shown)
        return _failed(job, line, exc.exit_code, start)
    except Exception as exc:  # a bug, in this document's review only
        saved = save_crash_report(exc)  # the traceback only, never the message (text)
        where = f"; a crash report was saved on the worker at {saved}" if saved else ""
        line = (
            f"{job.shown}: unexpected error ({type(exc).__name__}); this is a bug in Westfall "
            f"Legal, not your document{where}."
        )
        return _failed(job, line, ExitCode.BUG, start)


def no_review(job: Job, settings: Settings) -> Outcome:
    """A job's trip without the review: what the dispatch alone costs per document (the
    benchmark's scheduler overhead). The payload is hashed, as a worker checks it."""
    if job.payload is not None:
        sha256_bytes(job.payload)
    return Outcome(job.sha256, job.shown, None, None, error="not reviewed (dispatch timing)")


def _failed(job: Job, line: str, code: int, start: float) -> Outcome:
    seconds = round(time.perf_counter() - start, 3)
    return Outcome(job.sha256, job.shown, None, None, seconds=seconds, error=line, code=code)


def _review(path: Path, job: Job, settings: Settings, start: float) -> Outcome:
    settings = worker_settings(settings, job.ocr_workers)
    model = engines().clauses(settings)
    if job.model_sha256 and model.sha256 != job.model_sha256:
        raise ModelError(
            f"{job.shown}: this worker's clause model (sha256 {model.sha256[:12]}) is not the "
            f"client's ({job.model_sha256[:12]}).",
            hint="Install the same Westfall Legal version and model files on every worker.",
        )
    review = analyse(path, settings=settings, engines=engines())
    data = review_json(review)
    data["document"]["path"] = job.shown  # the client's path, not the worker's copy
    pages = data["document"]["pages"]
    return Outcome(
        sha256=job.sha256,
        shown=job.shown,
        data=data,
        html=review_html(data),
        pages=len(pages),
        ocr_pages=sum(p["source"] == "ocr" for p in pages),
        seconds=round(time.perf_counter() - start, 3),
    )
