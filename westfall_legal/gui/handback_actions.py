"""File > Compare with another version… and File > Export for Word…: what ``westfall
compare`` and ``westfall export-docx`` do, run in the background with a progress dialog and
its Cancel button.

- **Compare**: the document shown is the earlier version, the file chosen the later one (the
  other side's turn of the draft); with no document shown, both are asked for. Where to save
  the redline is asked first (the self-contained HTML page, or the ``westfall.compare/1``
  JSON); both versions are then reviewed without the language model, as the command does,
  compared, and the file written. The status line says where, with the counts. With a
  matter selected in the Matters tab, the comparison (JSON and redline) is also kept in it,
  as ``westfall compare --matter`` keeps it.
- **Export for Word**: the review shown, with the reviewers' corrections (rejected clauses
  left out) and their comments, as Word comments authored "Westfall Legal review": on a
  copy of a Word draft, or on a clean .docx of the text of a PDF, a scan or a text file.
  The original is never modified.

The core does the work (:mod:`westfall_legal.handback`, :mod:`westfall_legal.ingest.docx`);
errors are shown as every other error of the window (``MainWindow.show_error``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from westfall_legal.errors import Cancelled
from westfall_legal.gui.matter_comparisons import ask_redline_path
from westfall_legal.gui.signals import emit
from westfall_legal.gui.tasks import Task, Work
from westfall_legal.progress import CancelToken, ProgressCallback, ProgressEvent

if TYPE_CHECKING:
    from westfall_legal.gui.main_window import MainWindow
    from westfall_legal.session.workspace import Workspace
    from westfall_legal.settings import Settings
    from westfall_legal.store import Store

log = logging.getLogger(__name__)

VERSIONS_FILTER = "Contracts (*.pdf *.docx *.txt *.png *.jpg *.jpeg *.tif *.tiff);;All files (*)"
WORD_FILTER = "Word document (*.docx)"


class HandbackJob(QObject):
    """One comparison or Word export in the background. ``done`` carries the status line
    said at the end (written, failed or cancelled)."""

    done = Signal(str)

    def __init__(self, window: MainWindow, title: str, work: Work[str]) -> None:
        super().__init__(window)
        self.window = window
        self.result: str | None = None  # the status line of a success
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, window)
        self.dialog.setWindowTitle("Westfall Legal")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.task: Task[str] = Task(work, name="handback")
        self.task.on_progress(self._progress).on_success(self._succeeded)
        self.task.on_failure(self._failed).on_finished(self._finished)

    def start(self) -> HandbackJob:
        self.task.start()
        self.dialog.show()
        return self

    def cancel(self) -> None:
        if self.task.running:
            self.task.cancel()
            self.dialog.setLabelText("Cancelling…")

    def _progress(self, event: ProgressEvent) -> None:
        from westfall_legal.gui.main_window import STAGES

        label = STAGES.get(event.stage, event.stage.capitalize())
        where = f"{event.message}: " if event.message else ""
        count = f" {event.done} of {event.total}" if event.total > 1 else ""
        if event.total > 1:
            self.dialog.setRange(0, event.total)
            self.dialog.setValue(event.done)
        else:
            self.dialog.setRange(0, 0)
        self.dialog.setLabelText(f"{where}{label}{count}…")

    def _succeeded(self, said: str) -> None:
        self.result = said
        self.window.status(said)
        self.window.matters.refresh()  # a comparison kept in the matter is listed at once

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self.window.status("Cancelled; nothing was written.")
        else:
            self.window.show_error(exc)

    def _finished(self) -> None:
        self.dialog.reset()
        self.dialog.hide()
        emit(self.done, self.result or self.window.status_text.text())
        self.deleteLater()


# Compare ---------------------------------------------------------------------------------


def _labelled(progress: ProgressCallback, label: str) -> ProgressCallback:
    def say(event: ProgressEvent) -> None:
        progress(ProgressEvent(event.stage, event.done, event.total, label))

    return say


def compare_work(
    old: Path,
    new: Path,
    out: Path,
    settings: Settings,
    passwords: dict[Path, str],
    keep: tuple[Store, str] | None = None,
) -> Work[str]:
    """Review both versions (no language model), compare them, write ``out`` (JSON for a
    ``.json`` name, else the HTML redline), and keep both in ``keep`` (the store, a matter
    id) when given; returns the status line."""

    def work(progress: ProgressCallback, cancel: CancelToken) -> str:
        from westfall_legal.handback.compare import compare
        from westfall_legal.handback.redline import compare_html, compare_json
        from westfall_legal.pipeline import Engines, analyse
        from westfall_legal.report import dumps, write_atomic

        engines = Engines()  # its own: a review may be running in the window meanwhile
        reviews = []
        for side, path in (("earlier", old), ("later", new)):
            cancel.check()
            reviews.append(
                analyse(path, settings=settings.replace(use_llm=False), engines=engines,
                        password=passwords.get(path), cancel=cancel, with_llm=False,
                        progress=_labelled(progress, f"The {side} version ({path.name})"))
            )  # fmt: skip
        cancel.check()
        progress(ProgressEvent("compare", 0, 1, "Aligning the clauses"))
        data = compare_json(compare(*reviews))
        cancel.check()
        json_out, html = out.suffix.lower() == ".json", compare_html(data)
        write_atomic(out, dumps(data) if json_out else html)
        log.info("comparison written (%s)", out.suffix)
        what = "comparison" if json_out else "redline"
        kept = _keep(keep, data, html)
        return f"{old.name} → {new.name}: {_counts(data)}. The {what} is saved to {out}.{kept}"

    return work


def _keep(keep: tuple[Store, str] | None, data: dict[str, Any], html: str) -> str:
    """Keep the comparison in the matter (on a connection of the worker's own); what to add
    to the status line."""
    if keep is None:
        return ""
    from westfall_legal.errors import KnownError
    from westfall_legal.gui.feedback import own_connection

    store, matter_id = keep
    try:
        with own_connection(store) as own:
            own.comparisons.add(matter_id, data, html)
            name = own.matters.get(matter_id).name
    except KnownError as exc:  # the file is written: say why it is not kept, do not fail
        return f" It is not kept in the matter: {exc.user_line()}"
    return f" It is kept in matter {name!r}."


def _counts(data: dict[str, Any]) -> str:
    c = data["counts"]
    risks = data["risks"]
    came = sum(r["change"] == "appeared" for r in risks)
    return (
        f"{c['changed']} clauses changed, {c['added']} added, {c['removed']} removed, "
        f"{c['moved']} moved; {len(data['facts'])} key facts changed; {came} risks appeared, "
        f"{len(risks) - came} went away"
        + (f"; {c['ocr_ignored']} OCR differences ignored (greyed in the redline)"
           if c.get("ocr_ignored") else "")
    )  # fmt: skip


def _ask_open(window: MainWindow, title: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(window, title, "", VERSIONS_FILTER)
    return Path(name) if name else None


def _ask_redline(window: MainWindow, old: Path, new: Path) -> Path | None:
    suggested = new.with_name(f"{old.stem}_vs_{new.stem}.compare.html")
    return ask_redline_path(window, "Save the comparison", suggested)


def choose_compare(window: MainWindow) -> HandbackJob | None:
    """Ask for the versions and where to save, then compare in the background."""
    ws = window.workspace
    if ws is not None:
        old: Path | None = ws.review.document.path
        new = _ask_open(window, f"Compare {ws.review.document.path.name} with a later version")
    else:
        old = _ask_open(window, "Compare: the earlier version")
        new = _ask_open(window, "Compare: the later version") if old else None
    if old is None or new is None:
        return None
    out = _ask_redline(window, old, new)
    if out is None:
        return None
    passwords = {p: pw for p in (old, new) if (pw := window.password_of(p))}
    matter = window.matters.matter_id
    keep = (window.store, matter) if window.store is not None and matter else None
    work = compare_work(old, new, out, window.settings, passwords, keep)
    window.status(f"Comparing {old.name} with {new.name}…")
    return HandbackJob(window, f"Comparing {old.name} with {new.name}…", work).start()


# Export for Word -------------------------------------------------------------------------

Notes = list[tuple[int, int, str]]


def review_notes_of(ws: Workspace) -> tuple[Notes, int, int]:
    """The notes of the review shown as the reviewers left it: (notes, findings, reviewer
    comments), as ``westfall export-docx --matter`` takes them from the store."""
    from westfall_legal.handback.notes import reviewed_notes

    notes, mine = reviewed_notes(ws.state)
    return [n.anchored() for n in notes], len(ws.state.findings), mine


def export_work(ws: Workspace, out: Path) -> Work[str]:
    """Write the Word copy of the review shown to ``out``; returns the status line."""
    review = ws.review
    source = review.document.path
    notes, findings, mine = review_notes_of(ws)  # read here, on the GUI thread

    def work(progress: ProgressCallback, cancel: CancelToken) -> str:
        from westfall_legal.session.word_copy import write_word_copy

        progress(ProgressEvent("word", 0, 1, "Writing the Word copy"))
        cancel.check()
        copy = write_word_copy(review, source, notes, out)
        return (
            f"Saved {out}, {copy.how()}, with {copy.comments} comments ({findings} findings, "
            f"{mine} reviewer comments); {source.name} is unchanged."
        )

    return work


def choose_export_docx(window: MainWindow) -> HandbackJob | None:
    """Ask where to save the Word copy of the review shown, then write it in the background."""
    ws = window.workspace
    if ws is None:
        window.status("Open a document first: there is no review to export for Word.")
        return None
    source = ws.review.document.path
    suggested = source.with_name(f"{source.stem}.reviewed.docx")
    name, _ = QFileDialog.getSaveFileName(window, "Export for Word", str(suggested), WORD_FILTER)
    if not name:
        return None
    out = Path(name)
    if out.suffix.lower() != ".docx":
        out = out.with_name(out.name + ".docx")
    work = export_work(ws, out)  # the original is refused as ``out`` by the core
    return HandbackJob(window, f"Writing the Word copy of {source.name}…", work).start()
