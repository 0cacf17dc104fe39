"""The local model's summary sentences, written in the background once a review shows: they
stream into the overview as the model writes them and replace its summary, with their
citations, when it is done (the review JSON's summary too, which Export review writes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from westfall_legal.errors import KnownError
from westfall_legal.gui.tasks import Task
from westfall_legal.progress import CancelToken, ProgressCallback, ProgressEvent

if TYPE_CHECKING:
    from westfall_legal.gui.summary_tab import SummaryTab
    from westfall_legal.models import Review
    from westfall_legal.pipeline import Engines
    from westfall_legal.session.workspace import Workspace
    from westfall_legal.settings import Settings


class ModelSummary(QObject):
    def __init__(
        self,
        tab: SummaryTab,
        say: Callable[[str], None],
        show_error: Callable[[BaseException], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tab, self.say, self.show_error = tab, say, show_error
        self.task: Task[Review] | None = None
        self._engines: Engines | None = None
        self._open: Callable[[], Workspace | None] = lambda: None

    def start(
        self,
        review: Review,
        settings: Settings,
        engines: Engines,
        open_workspace: Callable[[], Workspace | None],
    ) -> None:
        """Write ``review``'s summary; ``open_workspace`` gives the review shown when it is
        done (another document's: the sentences are dropped)."""
        self._engines, self._open = engines, open_workspace

        def work(progress: ProgressCallback, cancel: CancelToken) -> Review:
            from westfall_legal.pipeline import summarise_review

            return summarise_review(
                review, settings=settings, engines=engines, progress=progress, cancel=cancel
            )

        task = Task(work, name="summary")
        task.on_progress(self.progress).on_success(self._written).on_failure(self._failed)
        self.task = task.start()

    def cancel(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()

    def progress(self, event: ProgressEvent) -> None:
        if event.stage == "summary":
            self.say(f"Writing the summary: {event.done} of {event.total} sections…")
            if event.message:
                self.tab.add_sentence(event.message, [], "llm")

    def _written(self, review: Review) -> None:
        from westfall_legal.report import summary_json

        ws = self._open()
        if ws is None or ws.data.get("document", {}).get("sha256") != review.document.sha256:
            return  # another document is open now
        summary = summary_json(review.summary)  # the summary's part of the review JSON
        ws.data["summary"] = summary  # what Export review writes
        self.tab.show_review(
            ws.data.get("contract_type"),
            ws.state.facts,
            ws.state.findings,
            summary,
            ws.clause_names(),
        )
        sentences = summary["sentences"] if summary else []
        written = sum(1 for s in sentences if s["source"] == "llm")
        error = self._engines.llm_error if self._engines is not None else None
        if written == 0 and error:  # no model installed, or it did not load
            self.say(
                f"The summary is the rule-based one: {error} "
                "Then choose it in File > Models and settings."
            )
        else:
            self.say(f"Summary written: {written} sentences by the local model.")

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, KnownError) and exc.exit_code == 130:
            return  # cancelled by opening another document
        self.show_error(exc)
