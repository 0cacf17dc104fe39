"""The main window: the page view between the thumbnails and the review tabs (clauses with
their detail, summary and risk, matters), the menus, and the review running in the background
with its progress and a cancel button in the status bar."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from westfall_legal.errors import EncryptedPdfError, KnownError, WrongPasswordError
from westfall_legal.gui import tasks, theme, window_state
from westfall_legal.gui.banner import WarningBanner
from westfall_legal.gui.clause_panel import ClausePanel
from westfall_legal.gui.corrections import Corrector
from westfall_legal.gui.detail_panel import DetailPanel
from westfall_legal.gui.document_view import DocumentView
from westfall_legal.gui.draft_view import DraftView
from westfall_legal.gui.errors import report_error
from westfall_legal.gui.legend import Legend
from westfall_legal.gui.matters import MattersPanel
from westfall_legal.gui.menus import build_menus
from westfall_legal.gui.model_summary import ModelSummary
from westfall_legal.gui.portfolio_view import PortfolioView
from westfall_legal.gui.recent import RecentPaths
from westfall_legal.gui.signals import emit
from westfall_legal.gui.summary_tab import SummaryTab
from westfall_legal.gui.tasks import Task
from westfall_legal.gui.thumbnails import Thumbnails
from westfall_legal.progress import CancelToken, ProgressCallback, ProgressEvent
from westfall_legal.settings import Settings

if TYPE_CHECKING:  # the core is loaded once the window is up
    from westfall_legal.gui.settings_page import SettingsPage
    from westfall_legal.models import Review
    from westfall_legal.pipeline import Engines
    from westfall_legal.session.workspace import Workspace
    from westfall_legal.store import Store

log = logging.getLogger(__name__)

OPEN_FILTER = "Contracts (*.pdf *.docx *.txt *.png *.jpg *.jpeg *.tif *.tiff);;All files (*)"
STAGES = {
    "ingest": "Reading page",
    "ocr": "Reading page",
    "layout": "Finding the structure",
    "analysis": "Finding clauses, facts and risks",
    "verify": "Checking uncertain clauses with the legal adapter",
    "summary": "Writing the summary",
}


class MainWindow(QMainWindow):
    reviewFinished = Signal()  # a review is shown (or failed, or was cancelled)
    open_action: QAction  # made with the menus (menus.py)
    export_action: QAction
    print_action: QAction
    compare_action: QAction  # File > Compare with another version… (handback_actions.py)
    export_docx_action: QAction  # File > Export for Word…
    thumbnails_action: QAction
    shortcuts_sheet: QDialog | None = None  # the last one shown (F1)
    recent_menu: QMenu

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or Settings()
        self._engines: Engines | None = None
        self.store: Store | None = None
        self.recent: RecentPaths | None = None
        self.reviewer = ""
        self.workspace: Workspace | None = None
        self.task: Task[Review] | None = None
        self.error_box: QMessageBox | None = None  # the last error shown (tests read it)
        self._queued: tuple[Path, str | None] | None = None
        self._passwords: dict[Path, str] = {}  # PDF passwords typed this session, never saved
        self._started = 0.0
        self.layout_prefs: QSettings | None = None  # where the layout is kept (remember_layout)
        self.default_zoom: float | None = None  # a document opens at it the first time (None: fit)
        theme.apply(self.settings.theme)
        self.setWindowTitle("Westfall Legal")
        self.setAcceptDrops(True)
        self.resize(1440, 900)

        self.view = DocumentView(self)
        self.banner = WarningBanner(self)  # a damaged file's warnings, over its pages
        self.legend = Legend(self)  # what the highlight colours and marks mean
        self.thumbs = Thumbnails(self)
        self.clauses = ClausePanel(self)
        self.summary = SummaryTab(self)
        self.model_summary = ModelSummary(self.summary, self.status, self.show_error, self)
        self.matters = MattersPanel(self)
        self.corrector = Corrector(self, self)
        self.detail = DetailPanel(self.corrector.actions, self)
        self.corrector.connect_panels()
        self.clauses.set_threshold(self.settings.clause_threshold, default=True)

        review_split = QSplitter(Qt.Orientation.Vertical, self)
        review_split.addWidget(self.clauses)
        review_split.addWidget(self.detail)
        review_split.setSizes([430, 420])
        self.review_split = review_split
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.summary, "Overview")  # what needs attention, first
        self.tabs.addTab(review_split, "Clauses")
        self.tabs.addTab(self.matters, "Matters")
        self.portfolio = PortfolioView(self)  # the matter as one table, as portfolio.xlsx
        self.tabs.addTab(self.portfolio, "Portfolio")
        centre = QWidget(self)
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.legend)
        column.addWidget(self.view, 1)
        self.draft = DraftView(self)  # a Word draft or a text file, reflowed (no pages)
        column.addWidget(self.draft, 1)
        split = QSplitter(self)
        split.addWidget(self.thumbs)
        split.addWidget(centre)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        split.setSizes([136, 700, 600])
        self.main_split = split
        self.setCentralWidget(split)

        self.status_text = QLabel(self)
        self.progress = QProgressBar(self, textVisible=True)
        self.progress.setMaximumWidth(260)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel_review)
        self.reviewer_button = QToolButton(self)
        self.reviewer_button.setAutoRaise(True)
        self.reviewer_button.setToolTip(
            "Every correction records this name. Click to change it (Settings)."
        )
        self.reviewer_button.clicked.connect(lambda: self.show_settings(name=True))
        bar = self.statusBar()
        bar.addWidget(self.status_text, 1)
        bar.addPermanentWidget(self.reviewer_button)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self._set_running(False)

        self.find_box = QLineEdit(
            self, placeholderText="Find in document (Ctrl+F)", clearButtonEnabled=True
        )
        self.find_box.setMaximumWidth(260)
        self.find_box.setAccessibleName("Find in document")
        self.view.setAccessibleName("Pages")
        self.view.setAccessibleDescription(
            "The document's pages with the clauses highlighted; F1 lists the keys"
        )
        self.thumbs.setAccessibleName("Page thumbnails")
        self.tabs.setAccessibleName("Review")
        self.find_box.returnPressed.connect(self.corrector.find_next)
        build_menus(self)

        self.view.clauseClicked.connect(self.clauses.select)
        self.draft.follow(self)
        self.view.spanSelected.connect(self.corrector.select_span)
        self.view.pageChanged.connect(self.thumbs.show_page)
        self.view.pageChanged.connect(self.corrector.show_legend)
        self.thumbs.pageRequested.connect(self.view.show_page)
        self.clauses.clauseSelected.connect(self.corrector.clause_selected)
        self.summary.clauseRequested.connect(self.corrector.go_to_ref)
        self.summary.findingRequested.connect(self.open_finding)
        self.summary.filterRequested.connect(self.filter_clauses)
        self.summary.spanRequested.connect(self.corrector.go_to_span)
        self.summary.factEdited.connect(self.corrector.edit_fact)
        self.matters.documentRequested.connect(self.open_stored)
        self.portfolio.documentRequested.connect(self.open_stored)
        self.matters.matterChanged.connect(self._portfolio_shown)
        self.tabs.currentChanged.connect(self._portfolio_shown)

    def _portfolio_shown(self, *_: object) -> None:
        """The Portfolio tab shows the selected matter's contracts, read when it is shown."""
        matter = self.matters.matter_id
        if self.tabs.currentWidget() is self.portfolio and self.store is not None and matter:
            self.portfolio.load(self.store, matter)

    # The store -----------------------------------------------------------------------------

    def set_store(self, store: Store, reviewer: str, *, named: bool = True) -> None:
        """Work in ``store`` as ``reviewer`` (``named``: a name the reviewer gave, not the
        system user's, which the status bar then offers to change)."""
        self.store = store
        self.recent = RecentPaths(store)
        self.matters.set_store(store)
        self.set_reviewer(reviewer, named=named)
        self.status(f"Store unlocked; reviewing as {reviewer}.")

    def set_reviewer(self, name: str, *, named: bool = True) -> None:
        """The name every correction from now on records (the open review's too)."""
        self.reviewer = name
        if self.workspace is not None:
            self.workspace.reviewer = name
            self.corrector.update_actions()  # undo and redo are each reviewer's own
        self.reviewer_button.setText(
            f"Reviewer: {name}" if named else f"Reviewer: {name} (system user: set your name)"
        )

    def open_finding(self, finding: dict[str, Any]) -> None:
        """A finding clicked in the overview: its clause in the list, on the page, in detail."""
        if self.corrector.open_finding(finding):
            self.tabs.setCurrentWidget(self.review_split)

    def filter_clauses(self, kind: str, value: object) -> None:
        """The overview asks for the clauses of a severity, a finding or a fact."""
        if self.corrector.filter_by(kind, value):
            self.tabs.setCurrentWidget(self.review_split)

    def status(self, text: str) -> None:
        self.status_text.setText(text)

    def show_error(self, exc: BaseException) -> None:
        self.error_box = report_error(self, exc)
        if isinstance(exc, KnownError):
            self.status(exc.user_line())

    # Opening and reviewing -----------------------------------------------------------------

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open a contract", "", OPEN_FILTER)
        if name:
            self.open_file(Path(name))

    def open_stored(self, sha256: str) -> None:
        path = self.recent.path_for(sha256) if self.recent else None
        if path is None or not path.exists():
            where = f" (last seen at {path})" if path else ""
            self.status(
                f"The file of this document is not where it was{where}: open it with File > Open."
            )
            return
        self.open_file(path)

    def open_file(self, path: Path, password: str | None = None) -> None:
        """Review ``path`` in the background (a running review is cancelled first)."""
        if self.store is None:
            self.status("Unlock the store first: reviews are kept in it.")
            return
        if self.task is not None and self.task.running:
            self._queued = (path, password)
            self.task.cancel()
            return
        settings, engines = self.settings, self.engines
        self.model_summary.cancel()

        def work(progress: ProgressCallback, cancel: CancelToken) -> Review:
            from westfall_legal.pipeline import analyse

            # The review shows at once; the model's summary sentences follow (model_summary).
            return analyse(
                path, settings=settings, engines=engines, password=password,
                progress=progress, cancel=cancel, with_llm=False,
            )  # fmt: skip

        self._started = time.perf_counter()
        self._set_running(True)
        self.status(f"Reviewing {path.name}…")
        self.summary.sentences.clear()
        self.task = Task(work, name="review")
        self.task.on_progress(self._progress).on_success(self._reviewed)
        self.task.on_failure(lambda exc: self._review_failed(exc, path)).on_finished(self._finished)
        self.task.start()

    def cancel_review(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()
            self.status("Cancelling…")

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setRange(0, 0)

    def _progress(self, event: ProgressEvent) -> None:
        label = STAGES.get(event.stage, event.stage.capitalize())
        if event.total > 1:
            self.progress.setRange(0, event.total)
            self.progress.setValue(event.done)
            self.progress.setFormat(f"{label} %v of %m")
        else:
            self.progress.setRange(0, 0)
            self.progress.setFormat(label)
        self.status(f"{label}…")
        if event.stage == "summary" and event.message:  # the model's sentences as it writes
            self.summary.add_sentence(event.message, [])

    def _reviewed(self, review: Review) -> None:
        from westfall_legal.session.workspace import Workspace

        if self.store is None:
            return
        path = review.document.path
        try:
            matter = self.matters.matter_for_review()
            size = path.stat().st_size if path.exists() else None
            workspace = Workspace.attach(self.store, matter, review, self.reviewer, size=size)
        except KnownError as exc:
            self.show_error(exc)
            return
        self._remember_zoom()  # the document shown until now
        sha256 = review.document.sha256
        zoom = self.recent.zoom_for(sha256) if self.recent is not None else None
        self.view.preferred_zoom = self.default_zoom if zoom is None else (zoom or None)
        if self.recent is not None:
            self.recent.remember(sha256, path)
        self.workspace = workspace
        pages = [(p.number, p.width, p.height) for p in review.document.pages]
        password = self.password_of(path)
        self.view.load(path, pages, password)
        self.draft.show_review(review.doc_text, workspace.rows, self.view)
        self.thumbs.load(path, pages, password)
        self.banner.show_warnings(review.document.warnings)
        self.corrector.document_opened()
        self.tabs.setCurrentWidget(self.summary)  # the overview: what needs attention
        self.matters.refresh()
        seconds = time.perf_counter() - self._started
        earlier = workspace.reused and workspace.state.corrections
        kept = " Earlier corrections of this document are kept." if earlier else ""
        note = (
            f" ({self.engines.llm_error})"
            if self.settings.use_llm and self.engines.llm_error
            else ""
        )
        damaged = " Read the warning over the pages." if review.document.warnings else ""
        self.status(
            f"{path.name}: {len(workspace.rows)} clauses, {len(workspace.state.findings)} "
            f"findings, reviewed in {seconds:.1f} s.{damaged}{kept}{note}"
        )
        self.setWindowTitle(f"{path.name} — Westfall Legal")
        if self.settings.use_llm:
            self.model_summary.start(review, self.settings, self.engines, lambda: self.workspace)

    def password_of(self, path: Path) -> str | None:
        """The password of a protected PDF typed this session (None: none typed)."""
        return self._passwords.get(path)

    def _review_failed(self, exc: BaseException, path: Path) -> None:
        if isinstance(exc, EncryptedPdfError):
            self._ask_password(path, retry=isinstance(exc, WrongPasswordError))
            return
        if isinstance(exc, KnownError) and exc.exit_code == 130:
            self.status("Review cancelled; nothing was stored.")
        elif isinstance(exc, KnownError):  # the file's fault: said over the pages, not in a box
            shown = self.workspace
            still = (
                f" The review of {shown.review.document.path.name} is still shown."
                if shown is not None
                else ""
            )
            self.banner.show_problem(f"{path.name} could not be opened: {exc.message}", exc.hint)
            self.status(f"{path.name} could not be opened (see above the pages).{still}")
        else:
            self.show_error(exc)
            self.status("The review failed (see the report).")

    def _ask_password(self, path: Path, *, retry: bool) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Password-protected PDF")
        dialog.setLabelText(
            ("Wrong password. " if retry else "") + f"{path.name} is protected; its password:"
        )
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.textValueSelected.connect(lambda text: self._open_with_password(path, text))
        dialog.open()

    def _open_with_password(self, path: Path, password: str) -> None:
        self._passwords[path] = password
        self.open_file(path, password)

    def _finished(self) -> None:
        self._set_running(False)
        queued, self._queued = self._queued, None
        if queued is not None:
            self.open_file(*queued)
        else:
            emit(self.reviewFinished)

    def show_settings(self, *, name: bool = False) -> SettingsPage:
        """The settings page (``name``: with the reviewer's name to type)."""
        from westfall_legal.gui.settings_page import SettingsPage

        page = SettingsPage(self.settings, self.store, self)
        page.settingsSaved.connect(self._settings_saved)
        page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if not page.reviewer.text():
            page.reviewer.setText(self.reviewer)
        page.open()
        if name:
            page.reviewer.setFocus()
            page.reviewer.selectAll()
        return page

    def _settings_saved(self, settings: Settings) -> None:
        self.settings = settings
        if settings.reviewer and settings.reviewer != self.reviewer:
            self.set_reviewer(settings.reviewer)
        self.clauses.set_threshold(settings.clause_threshold, default=True)
        if settings.theme != theme.current().name:
            self.apply_theme(settings.theme)
        if self.task is None or not self.task.running:
            self._engines = None  # the next review loads the models the new settings name

    def apply_theme(self, name: str) -> None:
        """Draw the window in theme ``name`` now (light, dark or high-contrast)."""
        theme.apply(name)
        self.legend.apply_theme()
        self.clauses.apply_theme()
        self.view.apply_theme()
        self.corrector.refresh()
        self.status(f"Theme: {name.replace('-', ' ')}.")

    def remember_layout(self, prefs: QSettings) -> None:
        """Give the window the layout kept in ``prefs`` and keep it there on closing."""
        self.layout_prefs = prefs
        window_state.restore(self, prefs)

    @property
    def summary_task(self) -> Task[Review] | None:
        """The local model writing the summary of the review shown (tests wait on it)."""
        return self.model_summary.task

    @property
    def engines(self) -> Engines:
        """The engines reviews share (the clause model and the LLM stay loaded between them)."""
        if self._engines is None:
            from westfall_legal.pipeline import Engines

            self._engines = Engines()
        return self._engines

    # Drag and drop, closing ----------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(QUrl.toLocalFile(u)) for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.open_file(files[0])

    def _remember_zoom(self) -> None:
        """Keep the zoom the open document is read at, for the next time it is opened."""
        if self.workspace is not None and self.recent is not None and self.view.pages:
            sha256 = self.workspace.review.document.sha256
            self.recent.remember_zoom(sha256, None if self.view.fitting else self.view.zoom)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._remember_zoom()
        if self.layout_prefs is not None:
            window_state.save(self, self.layout_prefs)
        self.view.clear()
        self.thumbs.stop()
        tasks.cancel_all()
        if self.store is not None:
            self.store.close()
            self.store = None
        super().closeEvent(event)
