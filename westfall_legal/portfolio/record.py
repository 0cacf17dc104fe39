"""The parent's side of a portfolio run: each outcome kept, in an order that survives a
``kill -9`` at any instant, and the journal a later run reads to carry on.

For a reviewed document: its HTML review is written (atomically), then its journal line
(appended and fsynced), then the review is kept in the encrypted matter (one transaction).
A run killed between two of these steps leaves the document unfinished (no stored review),
so the next run reviews it again and overwrites the HTML; a stored review is never added
twice: a document new to the matter is added once, by the one run that records it, and
for one the matter held before :func:`~westfall_legal.session.workspace.attach_review`
keeps the identical stored review.
A document that failed is finished too: its journal line holds the error, and it is tried
again only with ``--retry-failed``.

The journal (``portfolio.journal.jsonl`` in the output folder) holds no document text: the
sha256, the path, counts, timings and the error line of each document.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from westfall_legal.errors import OutputError
from westfall_legal.portfolio.task import Outcome
from westfall_legal.report import write_atomic
from westfall_legal.session.workspace import attach_review
from westfall_legal.store import DocumentInfo, Store

JOURNAL = "portfolio.journal.jsonl"
REVIEWS = "reviews"  # the HTML reviews, in the output folder
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def review_name(path: Path | str, sha256: str) -> str:
    """The HTML review's file name: the stem made safe, then a piece of the sha256 (two
    files of one name in different folders get their own)."""
    stem = _UNSAFE.sub("_", Path(path).stem)[:60].strip("._") or "document"
    return f"{stem}-{sha256[:10]}.html"


@dataclass(frozen=True)
class Entry:
    """A journal line: how a document ended."""

    sha256: str
    path: str
    status: str  # "reviewed" or "failed"
    model: str = ""
    pages: int = 0
    ocr_pages: int = 0
    seconds: float = 0.0
    error: str = ""
    code: int = 0
    html: str = ""  # the HTML review, relative to the output folder


def read_journal(path: Path) -> dict[str, Entry]:
    """The last line of each document; a line cut short by a crash is passed over."""
    found: dict[str, Entry] = {}
    if not path.exists():
        return found
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                raw = json.loads(line)
                entry = Entry(**raw)
            except (ValueError, TypeError):
                continue  # the torn last line of a killed run
            found[entry.sha256] = entry
    return found


class Journal:
    """Appends lines, each flushed and fsynced before the store is written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fh: IO[str] = path.open("a", encoding="utf-8")
            if self._fh.tell() and not _ends_with_newline(path):
                self._fh.write("\n")  # after a torn line, start a fresh one
        except OSError as exc:
            raise OutputError(f"{path}: cannot write the journal ({exc.strerror}).") from exc

    def append(self, entry: Entry) -> None:
        try:
            self._fh.write(json.dumps(entry.__dict__, ensure_ascii=False) + "\n")
            self._fh.flush()
            os.fsync(self._fh.fileno())
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write the journal ({exc.strerror}).") from exc

    def close(self) -> None:
        self._fh.close()


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def finished(
    entry: Entry | None,
    stored: dict[str, DocumentInfo],
    out: Path,
    model: str,
    *,
    retry_failed: bool = False,
) -> bool:
    """Whether a document needs no review in this run: it failed before (unless asked to
    retry), or its review by this model is in the matter and its HTML review is written."""
    if entry is None:
        return False
    if entry.status == "failed":
        return not retry_failed and entry.model == model
    return entry.sha256 in stored and entry.model == model and (out / entry.html).exists()


class Recorder:
    """Keeps each outcome (the parent process only: it holds the open store)."""

    def __init__(
        self,
        store: Store,
        matter: str,
        out: Path,
        model: str,
        sizes: dict[str, int],
        stored: set[str],
    ) -> None:
        self.store = store
        self.matter = matter
        self.out = out
        self.model = model
        self.sizes = sizes  # sha256 -> the file's bytes, for the store's document row
        self.stored = stored  # the sha256 of the documents the matter held at the start
        self.journal = Journal(out / JOURNAL)

    def record(self, outcome: Outcome) -> Entry:
        common: dict[str, Any] = {
            "sha256": outcome.sha256,
            "path": outcome.shown,
            "model": self.model,
            "pages": outcome.pages,
            "ocr_pages": outcome.ocr_pages,
            "seconds": outcome.seconds,
        }
        if outcome.data is None or outcome.html is None:
            entry = Entry(status="failed", error=outcome.error or "", code=outcome.code, **common)
            self.journal.append(entry)
            return entry
        html = f"{REVIEWS}/{review_name(outcome.shown, outcome.sha256)}"
        write_atomic(self.out / html, outcome.html)
        entry = Entry(status="reviewed", html=html, **common)
        self.journal.append(entry)
        size = self.sizes.get(outcome.sha256)
        if outcome.sha256 in self.stored:  # keep the identical stored review, if it is one
            attach_review(self.store, self.matter, outcome.data, size=size)
        else:  # new to the matter: no stored review to compare with (half the store's work)
            self.store.reviews.add(self.matter, outcome.data, size=size)
        return entry

    def close(self) -> None:
        self.journal.close()
