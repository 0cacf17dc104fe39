"""A whole portfolio review: scan, review what is not finished yet, keep each outcome, then
write the sheet, the CSV and the dashboard from what the matter holds.

A run that is stopped (Ctrl-C, ``kill -9``, a power cut) is carried on by running it again
with the same folder, matter and output folder: the journal and the matter say which
documents are finished (:func:`~westfall_legal.portfolio.record.finished`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from westfall_legal.errors import NotInStoreError
from westfall_legal.portfolio.dashboard import Dashboard
from westfall_legal.portfolio.record import JOURNAL, Recorder, finished, read_journal
from westfall_legal.portfolio.rows import rows
from westfall_legal.portfolio.run import Progress, run_local
from westfall_legal.portfolio.scan import Item, Scan, scan
from westfall_legal.portfolio.sheets import SheetWriter, openpyxl
from westfall_legal.portfolio.task import Job, Outcome, model_sha256
from westfall_legal.settings import Settings
from westfall_legal.store import Store

log = logging.getLogger(__name__)


class Runner(Protocol):
    """Where the reviews run: a local process pool or a Dask cluster."""

    @property
    def sends_bytes(self) -> bool:
        """The documents' bytes travel with the jobs (workers without this disk)."""

    @property
    def ocr_workers(self) -> int:
        """Processes a worker may start for a scan's pages."""

    def __call__(
        self, jobs: Iterable[Job], settings: Settings, keep: Callable[[Outcome], object]
    ) -> None: ...


SCAN_PAGE_PROCESSES = 4  # at most: a scan-heavy stretch runs up to 4 OCR processes a core


@dataclass
class LocalRunner:
    """Worker processes on this machine. A worker reads a scan's pages in processes of its
    own (up to :data:`SCAN_PAGE_PROCESSES`): born-digital documents are the unit of work, a
    scan's pages are, so one long scan at the end of a run still uses every core."""

    workers: int
    sends_bytes: bool = False

    @property
    def ocr_workers(self) -> int:
        return min(self.workers, SCAN_PAGE_PROCESSES)

    def __call__(
        self, jobs: Iterable[Job], settings: Settings, keep: Callable[[Outcome], object]
    ) -> None:
        run_local(jobs, settings, self.workers, keep)


@dataclass(frozen=True)
class Result:
    documents: int  # distinct documents found
    duplicates: int  # further copies of them, not reviewed again
    skipped: int  # files that are no document
    already: int  # finished by an earlier run
    reviewed: int  # reviewed in this run
    failed: int  # of all documents, those whose row is an error
    pages: int  # pages read in this run
    seconds: float
    xlsx: Path
    csv: Path
    html: Path


def jobs(
    items: Iterable[Item], model: str, *, send_bytes: bool, ocr_workers: int = 1
) -> Iterator[Job]:
    """The jobs, made as they are handed out: a file's bytes are read only then."""
    for item in items:
        if not send_bytes:
            yield Job(item.sha256, str(item.path), model, path=str(item.path),
                      ocr_workers=ocr_workers)  # fmt: skip
            continue
        try:
            payload = item.path.read_bytes()
        except OSError as exc:  # gone or locked since the scan: a row with the error
            why = f"{item.path}: cannot be read ({exc.strerror})."
            yield Job(item.sha256, str(item.path), model, unreadable=why)
            continue
        yield Job(item.sha256, str(item.path), model, payload=payload)


def ensure_matter(store: Store, matter: str, stream: TextIO | None) -> None:
    try:
        store.matters.get(matter)
    except NotInStoreError:
        store.matters.create(matter)
        if stream is not None:
            print(f"portfolio: matter {matter!r} created", file=stream)


def review_portfolio(
    root: Path,
    *,
    store: Store,
    matter: str,
    out: Path,
    settings: Settings,
    runner: Runner,
    retry_failed: bool = False,
    stream: TextIO | None = sys.stderr,
) -> Result:
    openpyxl()  # say that the extra is missing before hours of work, not after
    found = scan(root)
    ensure_matter(store, matter, stream)
    model = model_sha256(settings)
    stored = {d.sha256: d for d in store.reviews.documents(matter)}
    journal = read_journal(out / JOURNAL)
    todo = [
        item
        for item in found.items
        if not finished(journal.get(item.sha256), stored, out, model, retry_failed=retry_failed)
    ]
    known = set(stored)
    del stored, journal  # the run may be long: keep nothing it does not need
    progress = Progress(len(found.items), already=len(found.items) - len(todo), stream=stream)
    if stream is not None:
        extra = f", {found.duplicates} duplicate copies" if found.duplicates else ""
        extra += f", {len(found.skipped)} other files" if found.skipped else ""
        print(
            f"portfolio: {len(found.items)} documents under {root}{extra}; "
            f"{progress.already} finished before, {len(todo)} to review",
            file=stream,
        )
    recorder = Recorder(store, matter, out, model, {i.sha256: i.size for i in todo}, known)

    def keep(outcome: Outcome) -> None:
        recorder.record(outcome)
        progress(outcome)

    try:
        todo_jobs = jobs(todo, model, send_bytes=runner.sends_bytes,
                         ocr_workers=runner.ocr_workers)  # fmt: skip
        runner(todo_jobs, settings, keep)
    finally:
        recorder.close()
    progress.show(last=True)
    return write_outputs(found, store, matter, out, progress)


def write_outputs(
    found: Scan, store: Store, matter: str, out: Path, progress: Progress | None = None
) -> Result:
    """The sheet, the CSV and the dashboard, from the matter and the journal."""
    journal = read_journal(out / JOURNAL)
    sheets = SheetWriter(out)
    dashboard = Dashboard()
    failed = 0
    for row in rows(found, journal, store, matter):
        sheets.add(row)
        dashboard.add(row)
        failed += bool(row.error) and row.values.get("sha256", "") != ""
    sheets.close()
    page = out / "portfolio.html"
    dashboard.write(page, f"Portfolio review: {found.root.name or found.root}")
    p = progress or Progress(len(found.items), stream=None)
    return Result(
        documents=len(found.items),
        duplicates=found.duplicates,
        skipped=len(found.skipped),
        already=p.already,
        reviewed=p.done,
        failed=failed,
        pages=p.pages,
        seconds=round(p.elapsed, 3),
        xlsx=sheets.xlsx,
        csv=sheets.csv,
        html=page,
    )
