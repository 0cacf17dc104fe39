"""File > Export feedback and File > Import feedback: the anonymisation preview comes first.

The export dialog builds the bundle in memory (``feedback.preview_export``) and shows what it
will carry and what anonymisation replaced, original -> placeholder (on this screen only: the
originals are never written); "Export…" then signs and writes exactly what was previewed.
Store calls stay on the GUI thread (one connection per thread); a preview takes about a
second per few documents.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
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

if TYPE_CHECKING:
    from westfall_legal.feedback import ExportPreview, ExportResult, ImportResult
    from westfall_legal.gui.main_window import MainWindow


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
    """Choose matters, a date and a recipient; preview; export."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.preview_: ExportPreview | None = None
        self.exported: ExportResult | None = None
        self.setWindowTitle("Export feedback")
        self.resize(720, 560)
        self.matters = QListWidget()
        if window.store is not None:
            for matter in window.store.matters.list():
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

    def preview(self) -> bool:
        """Build the bundle in memory and show it; False (with the error shown) if it fails."""
        from westfall_legal.feedback import Selection, preview_export
        from westfall_legal.pipeline import label_schema

        store = self.window_.store
        if store is None:
            return False
        selection = Selection(
            self._selection(), self.since.text().strip() or None, self.anonymise.isChecked()
        )
        try:
            preview = preview_export(store, selection, label_schema())
        except KnownError as exc:
            self.window_.show_error(exc)
            return False
        self.preview_ = preview
        self._show(preview)
        self.export_button.setEnabled(bool(preview.documents))
        return True

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
        self.details.addWidget(_table(["kind", "replaced"], replaced))
        mapping = [[orig, ph] for orig, ph in sorted(preview.report.mapping.items())]
        self.details.addWidget(QLabel("Original -> placeholder (shown here only, never written):"))
        self.details.addWidget(_table(["original", "placeholder"], mapping))

    def _choose_and_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export feedback", "feedback.wfb", "Feedback bundles (*.wfb)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> ExportResult | None:
        """Sign (and encrypt) the previewed bundle into ``path``."""
        from westfall_legal.feedback import write_export
        from westfall_legal.store.signing import decode_key

        store = self.window_.store
        if store is None or self.preview_ is None:
            return None
        try:
            key = self.recipient.text().strip()
            recipient = decode_key(key, "encryption key") if key else None
            self.exported = write_export(store, self.preview_, path, recipient=recipient)
        except KnownError as exc:
            self.window_.show_error(exc)
            return None
        self.window_.status(f"Feedback written to {path} (bundle {self.exported.bundle_id}).")
        return self.exported


def open_export(window: MainWindow) -> QWidget:
    dialog = ExportDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


TRUST_ONCE = "once"
TRUST_ALWAYS = "always"


def ask_trust(window: MainWindow, fingerprint: str) -> tuple[str, str] | None:
    """Show an unknown signer's fingerprint; (choice, name) or None to refuse the bundle."""
    box = QMessageBox(window)
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


def import_file(
    window: MainWindow, path: Path, ask: Callable[[str], tuple[str, str] | None] | None = None
) -> ImportResult | None:
    """Verify and pool one bundle; the error (tampered, unknown version...) is shown. An
    unknown signer's fingerprint is shown first (``ask``), and the user decides."""
    from westfall_legal.feedback import import_bundle, read_bundle
    from westfall_legal.pipeline import label_schema
    from westfall_legal.store.signing import InstallationKeys

    store = window.store
    if store is None:
        window.status("Unlock the store first: imported feedback is kept in it.")
        return None
    schema = label_schema(contract_types=False)
    try:
        result = import_bundle(store, path, schema)
    except UntrustedSignerError as exc:
        bundle = read_bundle(path, InstallationKeys.of(store), schema)
        answer = (ask or (lambda fp: ask_trust(window, fp)))(bundle.signer)
        if answer is None:
            window.show_error(exc)
            return None
        try:
            if answer[0] == TRUST_ALWAYS:
                store.signers.add(bundle.signer_key, answer[1])
            result = import_bundle(store, path, schema, trust_once=True)
        except KnownError as again:
            window.show_error(again)
            return None
    except KnownError as exc:
        window.show_error(exc)
        return None
    if result.already_imported:
        window.status(f"{path.name}: this bundle is in the training pool already.")
    else:
        signed = result.signer_name if result.signer_name != "trusted once" else (
            "an unknown key, trusted for this import only")  # fmt: skip
        window.status(
            f"{path.name}: verified, signed by {signed} ({result.signer}); "
            f"{len(result.documents)} documents, {result.corrections} corrections added to "
            "the training pool."
        )
    return result


def open_import(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(
        window, "Import feedback", "", "Feedback bundles (*.wfb);;All files (*)"
    )
    if path:
        result = import_file(window, Path(path))
        if result is not None:
            QMessageBox.information(window, "Import feedback", window.status_text.text())
