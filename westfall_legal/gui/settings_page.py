"""Models and settings: the active language model and the candidates in the registry (activate
one), where it runs (CPU or GPU), its threads and context size, the playbook file, and the
drift table (how often reviewers changed what each clause model version proposed)."""

from __future__ import annotations

import logging
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from westfall_legal import settings as settings_io
from westfall_legal.analysis.playbook import load_playbook
from westfall_legal.errors import KnownError
from westfall_legal.gui.signals import emit
from westfall_legal.llm.default_model import ensure_bundled_model
from westfall_legal.llm.engine import backend_label
from westfall_legal.llm.registry import Registry
from westfall_legal.settings import THEMES, Settings

if TYPE_CHECKING:
    from westfall_legal.store import Store

log = logging.getLogger(__name__)
DRIFT_COLUMNS = ("Clause model", "Month", "Reviews", "Clauses", "Changed", "Accepted", "Rate")
MODEL_COLUMNS = ("Model", "Kind", "Status", "Quantisation", "Size", "Licence")


def _spin(low: int, high: int, value: int, tip: str) -> QSpinBox:
    box = QSpinBox(minimum=low, maximum=high, value=value)
    box.setToolTip(tip)
    return box


class SettingsPage(QDialog):
    settingsSaved = Signal(object)  # the new Settings

    def __init__(
        self, current: Settings, store: Store | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Models and settings")
        self.settings = current
        self.registry: Registry | None = None
        self.message = QLabel(self)
        self.message.setWordWrap(True)

        self.active = QLabel(self)
        self.active.setWordWrap(True)
        self.backend = QLabel(self)
        self.models = QTableWidget(0, len(MODEL_COLUMNS), self)
        self.models.setAccessibleName("Language models")
        self.models.setHorizontalHeaderLabels(MODEL_COLUMNS)
        self.models.verticalHeader().hide()
        self.models.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.models.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.models.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.activate = QPushButton("Activate the selected model", self)
        self.activate.clicked.connect(self._activate)
        models = QGroupBox("Language model", self)
        box = QVBoxLayout(models)
        box.addWidget(self.active)
        box.addWidget(self.backend)
        box.addWidget(self.models)
        box.addWidget(self.activate, 0, Qt.AlignmentFlag.AlignRight)

        self.use_llm = QCheckBox("Write the summary with the language model", self)
        self.threads = _spin(1, 64, current.llm_threads, "Threads that generate text")
        self.batch_threads = _spin(1, 64, current.llm_batch_threads, "Threads that read the prompt")
        self.context = _spin(512, 131072, current.llm_context, "Tokens the model sees at once")
        self.context.setSingleStep(512)
        self.gpu_layers = _spin(
            -1, 999, current.llm_gpu_layers, "0: CPU only; -1: all layers on the GPU"
        )
        self.playbook = QLineEdit(
            current.playbook, self, placeholderText="the shipped default playbook"
        )
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._browse)
        playbook = QHBoxLayout()
        playbook.addWidget(self.playbook, 1)
        playbook.addWidget(browse)
        self.reviewer = QLineEdit(
            current.reviewer, self, placeholderText="Your name, as your corrections record it"
        )
        self.reviewer.setAccessibleName("Reviewer name")
        self.threshold = _spin(
            0,
            100,
            round(current.clause_threshold * 100),
            "Clauses the model is less sure of are hatched and grouped under the list",
        )
        self.threshold.setSuffix(" %")
        self.theme = QComboBox(self)
        self.theme.setAccessibleName("Theme")
        for name in THEMES:
            self.theme.addItem(name.replace("-", " ").capitalize(), name)
        self.theme.setCurrentIndex(max(0, self.theme.findData(current.theme)))
        self.theme.setToolTip("The window's colours; the highlight colours stay the same")
        self.ocr_repair = QCheckBox("Repair words a scan's OCR misread (English)", self)
        self.ocr_repair.setToolTip(
            'A word OCR read that is no word ("shail") becomes the contract word it clearly '
            "misreads; numbers and names are never changed. Off: the text as Tesseract read it."
        )
        self.ocr_repair.setChecked(current.ocr_repair)
        form = QFormLayout()
        form.addRow("Your name:", self.reviewer)
        form.addRow("Clause threshold:", self.threshold)
        form.addRow("Theme:", self.theme)
        form.addRow(self.ocr_repair)
        form.addRow(self.use_llm)
        form.addRow("Generation threads:", self.threads)
        form.addRow("Prompt threads:", self.batch_threads)
        form.addRow("Context size:", self.context)
        form.addRow("GPU layers:", self.gpu_layers)
        form.addRow("Playbook:", playbook)
        options = QGroupBox("Review settings", self)
        options.setLayout(form)
        self.use_llm.setChecked(current.use_llm)

        self.drift = QTableWidget(0, len(DRIFT_COLUMNS), self)
        self.drift.setAccessibleName("Drift: reviewers' changes per clause proposed")
        self.drift.setHorizontalHeaderLabels(DRIFT_COLUMNS)
        self.drift.verticalHeader().hide()
        self.drift.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.drift.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        drift = QGroupBox("Drift: reviewers' changes per clause proposed", self)
        QVBoxLayout(drift).addWidget(self.drift)
        drift.setToolTip(
            "Rejected, relabelled, re-spanned and added clauses per clause the model proposed, "
            "per clause model version and month (undone changes do not count)."
        )

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(models, 1)
        layout.addWidget(options)
        layout.addWidget(drift)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(720, 720)
        self.load_models()
        if store is not None:
            self.load_drift(store)

    def load_models(self) -> None:
        self.models.setRowCount(0)
        try:
            ensure_bundled_model()  # the desktop bundle's GGUF, registered on first use
            self.registry = Registry()
        except KnownError as exc:
            self.registry = None
            self.active.setText(exc.user_line())
            return
        active = self.registry.active()
        adapter = self.registry.active("adapter")
        if active is None:
            self.active.setText(
                "No language model is active: reviews are made without it (rules and the "
                "clause model only). Add one with `westfall models add FILE`."
            )
        else:
            extra = f", with adapter {adapter.id}" if adapter else ""
            self.active.setText(f"<b>Active:</b> {active.id} ({active.quantisation}{extra})")
        for entry in self.registry.entries.values():
            row = self.models.rowCount()
            self.models.insertRow(row)
            values = (
                entry.id,
                entry.kind,
                entry.status,
                entry.quantisation,
                f"{entry.size / 2**20:.0f} MB",
                entry.licence,
            )
            for column, value in enumerate(values):
                self.models.setItem(row, column, QTableWidgetItem(value))
        self.show_backend()

    def load_drift(self, store: Store) -> None:
        from westfall_legal.feedback.drift import drift

        try:
            rows = drift(store)
        except KnownError as exc:
            self.message.setText(exc.user_line())
            return
        self.drift.setRowCount(0)
        for row in rows:
            at = self.drift.rowCount()
            self.drift.insertRow(at)
            rate = "" if row.rate is None else f"{row.rate:.1%}"
            values = (
                row.model,
                row.month,
                row.reviews,
                row.clauses,
                row.changes,
                row.accepts,
                rate,
            )
            for column, value in enumerate(values):
                self.drift.setItem(at, column, QTableWidgetItem(str(value)))

    def show_backend(self) -> None:
        try:
            where = backend_label(self._values())
        except KnownError as exc:
            where = exc.user_line()
        self.backend.setText(f"<b>Runs on:</b> {where}")

    def _activate(self) -> None:
        rows = self.models.selectionModel().selectedRows()
        if self.registry is None or not rows:
            self.message.setText("Select a model in the table first.")
            return
        item = self.models.item(rows[0].row(), 0)
        if item is None:
            return
        model_id = item.text()
        try:
            self.registry.activate(model_id)
        except KnownError as exc:
            self.message.setText(exc.user_line())
            return
        self.message.setText(f"{model_id} is now active; the next review uses it.")
        self.load_models()

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Playbook", "", "Playbook (*.toml)")
        if name:
            self.playbook.setText(name)

    def _values(self) -> Settings:
        return self.settings.replace(
            use_llm=self.use_llm.isChecked(),
            llm_threads=self.threads.value(),
            llm_batch_threads=self.batch_threads.value(),
            llm_context=self.context.value(),
            llm_gpu_layers=self.gpu_layers.value(),
            playbook=self.playbook.text().strip(),
            reviewer=" ".join(self.reviewer.text().split()),
            clause_threshold=self.threshold.value() / 100,
            theme=str(self.theme.currentData()),
            ocr_repair=self.ocr_repair.isChecked(),
        )

    def save(self) -> None:
        new = self._values()
        try:
            if new.playbook:
                load_playbook(Path(new.playbook))  # a bad playbook is refused here, not mid-review
        except KnownError as exc:
            self.message.setText(exc.user_line())
            return
        try:
            where = settings_io.save(new)
        except OSError as exc:
            self.message.setText(f"The settings could not be saved ({exc.strerror}).")
            return
        changed = [
            f.name
            for f in fields(Settings)
            if getattr(new, f.name) != getattr(self.settings, f.name)
        ]
        self.settings = new
        self.message.setText(f"Saved to {where}" + (f" ({', '.join(changed)})" if changed else ""))
        self.show_backend()
        emit(self.settingsSaved, new)
