"""File > Export feedback and File > Import feedback: the anonymisation preview comes first.

The export dialog builds the bundle in memory (``feedback.preview_export``) and shows what it
will carry and what anonymisation replaced, original -> placeholder (on this screen only: the
originals are never written); "Export…" then signs and writes exactly what was previewed.

The preview (anonymising every document) and the import (decrypting, unpacking and checking a
bundle) run in the background (``gui/tasks.py``). The store's connection belongs to the GUI
thread, so the worker opens a connection of its own to the same unlocked store, as a second
process would (SQLite's locking keeps them apart), and closes it when done.

The dialogs get what they use of the window, no more (:class:`FeedbackHost`): the store, a
parent for their windows, the status line and the error display.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from westfall_legal.errors import KnownError, UntrustedSignerError
from westfall_legal.gui.signals import emit
from westfall_legal.gui.tasks import Task
from westfall_legal.progress import CancelToken, ProgressCallback

if TYPE_CHECKING:
    from westfall_legal.feedback import ExportPreview, ExportResult, ImportResult, Selection
    from westfall_legal.store import Store

Ask = Callable[[str], "tuple[str, str] | None"]


@dataclass(frozen=True)
class FeedbackHost:
    """What the feedback dialogs use of the main window."""

    store: Store
    parent: QWidget  # their windows' parent
    say: Callable[[str], None]  # the status line
    show_error: Callable[[BaseException], None]


def own_connection(store: Store) -> Store:
    """``store``, unlocked, on a connection of the calling (worker) thread's own: the GUI
    thread keeps using its connection meanwhile (``store/backup.py`` opens one the same way)."""
    from westfall_legal.store.core import Store
    from westfall_legal.store.db import connect

    return Store(connect(store.path), store.path, store.keyring, store.store_id)


def _preview_work(store: Store, selection: Selection) -> Callable[..., ExportPreview]:
    def work(_progress: ProgressCallback, _cancel: CancelToken) -> ExportPreview:
        from westfall_legal.feedback import preview_export
        from westfall_legal.pipeline import label_schema

        with own_connection(store) as own:
            return preview_export(own, selection, label_schema())

    return work


def _table(headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    return table


class ExportDialog(QDialog):
    """Choose matters, a date and a recipient; preview (in the background); export."""

    previewed = Signal(bool)  # the preview is shown (True) or failed (False)

    def __init__(self, host: FeedbackHost) -> None:
        super().__init__(host.parent)
        self.host = host
        self.preview_: ExportPreview | None = None
        self.task: Task[ExportPreview] | None = None
        self.exported: ExportResult | None = None
        self.setWindowTitle("Export feedback")
        self.resize(720, 560)
        self.matters = QListWidget()
        self.matters.setAccessibleName("Matters to export")
        for matter in host.store.matters.list():
            item = QListWidgetItem(matter.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.matters.addItem(item)
        self.since = QLineEdit()
        self.since.setPlaceholderText("YYYY-MM-DD (empty: every correction)")
        self.anonymise = QCheckBox("Anonymise (parties, people, contact details, accounts)")
        self.anonymise.setChecked(True)
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("the recipient's public key (empty: not encrypted)")
        form = QFormLayout()
        form.addRow("Matters", self.matters)
        form.addRow("Corrections since", self.since)
        form.addRow("", self.anonymise)
        form.addRow("Encrypt to", self.recipient)
        self.summary = QLabel("Preview the bundle to see what it will carry.")
        self.summary.setWordWrap(True)
        self.details = QVBoxLayout()
        self.preview_button = QPushButton("Preview")
        self.preview_button.clicked.connect(self.preview)
        self.export_button = QPushButton("Export…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._choose_and_export)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.preview_button, self.export_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addLayout(self.details, 1)
        layout.addLayout(buttons)

    def _selection(self) -> tuple[str, ...]:
        items = [self.matters.item(i) for i in range(self.matters.count())]
        return tuple(i.text() for i in items if i.checkState() == Qt.CheckState.Checked)

    def preview(self) -> Task[ExportPreview]:
        """Build the bundle in memory in the background; ``previewed`` says when it is shown
        (True) or failed (False, the error shown)."""
        from westfall_legal.feedback import Selection

        selection = Selection(
            self._selection(), self.since.text().strip() or None, self.anonymise.isChecked()
        )
        self.preview_button.setEnabled(False)
        self.export_button.setEnabled(False)
        self.summary.setText("Building the bundle and anonymising its documents…")
        task = Task(_preview_work(self.host.store, selection), name="feedback preview")
        task.on_success(self._previewed).on_failure(self._failed)
        self.task = task.start()
        return task

    def _previewed(self, preview: ExportPreview) -> None:
        if not shiboken6.isValid(self):
            return  # closed meanwhile
        self.preview_ = preview
        self._show(preview)
        self.preview_button.setEnabled(True)
        self.export_button.setEnabled(bool(preview.documents))
        emit(self.previewed, True)

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.preview_button.setEnabled(True)
        self.summary.setText("The preview failed: nothing was exported.")
        self.host.show_error(exc)
        emit(self.previewed, False)

    def _show(self, preview: ExportPreview) -> None:
        while self.details.count():
            item = self.details.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        counts = ", ".join(f"{v} {k}" for k, v in preview.counts.items())
        thin = preview.quality.get("too_few_examples") or {}
        self.summary.setText(
            f"<b>{len(preview.documents)} documents</b> ({counts})."
            + (f" {preview.skipped} corrections on older reviews left out." * bool(preview.skipped))
            + (f" {len(thin)} categories have too few examples." if thin else "")
            + ("" if preview.report.enabled else " <b>Not anonymised.</b>")
        )
        replaced = [[kind, str(n)] for kind, n in sorted(preview.report.counts.items())]
        self.details.addWidget(QLabel("Replaced, per kind:"))
        kinds = _table(["kind", "replaced"], replaced)
        kinds.setAccessibleName("Replacements per kind")
        self.details.addWidget(kinds)
        mapping = [[orig, ph] for orig, ph in sorted(preview.report.mapping.items())]
        self.details.addWidget(QLabel("Original -> placeholder (shown here only, never written):"))
        originals = _table(["original", "placeholder"], mapping)
        originals.setAccessibleName("Originals and their placeholders")
        self.details.addWidget(originals)

    def _choose_and_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export feedback", "feedback.wfb", "Feedback bundles (*.wfb)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> ExportResult | None:
        """Sign (and encrypt) the previewed bundle into ``path`` (quick: the preview did the
        work)."""
        from westfall_legal.feedback import write_export
        from westfall_legal.store.signing import decode_key

        if self.preview_ is None:
            return None
        try:
            key = self.recipient.text().strip()
            recipient = decode_key(key, "encryption key") if key else None
            self.exported = write_export(self.host.store, self.preview_, path, recipient=recipient)
        except KnownError as exc:
            self.host.show_error(exc)
            return None
        self.host.say(f"Feedback written to {path} (bundle {self.exported.bundle_id}).")
        return self.exported


def open_export(host: FeedbackHost) -> ExportDialog:
    dialog = ExportDialog(host)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


TRUST_ONCE = "once"
TRUST_ALWAYS = "always"


def ask_trust(parent: QWidget, fingerprint: str) -> tuple[str, str] | None:
    """Show an unknown signer's fingerprint; (choice, name) or None to refuse the bundle."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unknown signer")
    box.setText(f"This bundle is signed by a key this installation does not know:\n\n"
                f"{fingerprint}")  # fmt: skip
    box.setInformativeText(
        "Check the fingerprint with the sender (File > Feedback key shows it on their "
        "machine) before you accept their corrections."
    )
    name = QLineEdit(box)
    name.setPlaceholderText("Who the key belongs to, e.g. Office B")
    name.setAccessibleName("Who the key belongs to")
    box.layout().addWidget(name)  # type: ignore[union-attr]
    always = box.addButton("Trust and remember", QMessageBox.ButtonRole.AcceptRole)
    once = box.addButton("Trust this bundle only", QMessageBox.ButtonRole.YesRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is always and name.text().strip():
        return TRUST_ALWAYS, name.text().strip()
    if clicked in (always, once):
        return TRUST_ONCE, ""
    return None


@dataclass(frozen=True)
class _Untrusted:
    """The worker's answer for a bundle signed by an unknown key: the user decides."""

    error: UntrustedSignerError
    signer: str  # the fingerprint shown
    signer_key: str  # base64, as the bundle's manifest gives it


def _import_work(
    store: Store, path: Path, trust: tuple[str, str, str] | None
) -> Callable[..., ImportResult | _Untrusted]:
    """Verify and pool ``path`` on a connection of the worker's own; ``trust``: the user's
    answer for an unknown signer (choice, name, the signer's key; None: not asked yet)."""

    def work(_progress: ProgressCallback, _cancel: CancelToken) -> ImportResult | _Untrusted:
        from westfall_legal.feedback import import_bundle, read_bundle
        from westfall_legal.pipeline import label_schema
        from westfall_legal.store.signing import InstallationKeys

        schema = label_schema(contract_types=False)
        with own_connection(store) as own:
            if trust is None:
                try:
                    return import_bundle(own, path, schema)
                except UntrustedSignerError as exc:
                    bundle = read_bundle(path, InstallationKeys.of(own), schema)
                    return _Untrusted(exc, bundle.signer, bundle.signer_key)
            if trust[0] == TRUST_ALWAYS:
                own.signers.add(trust[2], trust[1])
            return import_bundle(own, path, schema, trust_once=True)

    return work


class Importer(QObject):
    """One bundle verified and pooled in the background; an unknown signer's fingerprint is
    shown first (``ask``) and the user decides. ``finished`` carries the ImportResult, or
    None (refused, or failed with the error shown)."""

    finished = Signal(object)

    def __init__(self, host: FeedbackHost, path: Path, ask: Ask | None = None) -> None:
        super().__init__(host.parent)
        self.host, self.path = host, path
        self.ask: Ask = ask or (lambda fp: ask_trust(host.parent, fp))
        self.result: ImportResult | None = None
        self.message = ""
        self.done = False

    def start(self, trust: tuple[str, str, str] | None = None) -> Importer:
        self.host.say(f"Verifying {self.path.name}…")
        task = Task(_import_work(self.host.store, self.path, trust), name="feedback import")
        task.on_success(self._answered).on_failure(self._failed)
        task.start()
        return self

    def _answered(self, answer: ImportResult | _Untrusted) -> None:
        if isinstance(answer, _Untrusted):
            trust = self.ask(answer.signer)
            if trust is None:
                self._failed(answer.error)
            else:
                self.start((*trust, answer.signer_key))
            return
        self.result = answer
        if answer.already_imported:
            self.message = f"{self.path.name}: this bundle is in the training pool already."
        else:
            signed = answer.signer_name if answer.signer_name != "trusted once" else (
                "an unknown key, trusted for this import only")  # fmt: skip
            self.message = (
                f"{self.path.name}: verified, signed by {signed} ({answer.signer}); "
                f"{len(answer.documents)} documents, {answer.corrections} corrections added "
                "to the training pool."
            )
        self.host.say(self.message)
        self._finish()

    def _failed(self, exc: BaseException) -> None:
        self.host.show_error(exc)
        self.host.say(f"{self.path.name} was not imported.")
        self._finish()

    def _finish(self) -> None:
        self.done = True
        emit(self.finished, self.result)


def import_file(host: FeedbackHost, path: Path, ask: Ask | None = None) -> Importer:
    """Verify and pool one bundle in the background (see :class:`Importer`)."""
    return Importer(host, path, ask).start()


def open_import(host: FeedbackHost) -> Importer | None:
    path, _ = QFileDialog.getOpenFileName(
        host.parent, "Import feedback", "", "Feedback bundles (*.wfb);;All files (*)"
    )
    if not path:
        return None
    importer = import_file(host, Path(path))

    def tell(result: ImportResult | None) -> None:
        if result is not None:
            QMessageBox.information(host.parent, "Import feedback", importer.message)

    importer.finished.connect(tell)
    return importer
