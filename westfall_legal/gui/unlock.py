"""The unlock dialog: the passphrase opens the encrypted store; on the first run it sets one.

The key derivation takes a noticeable fraction of a second, so the store is opened in the
background; a wrong passphrase is said in the dialog, which stays open for another try. An
old store is upgraded as it opens (indexing its documents, about 1 s per 10,000): the dialog
says how far, with a bar, meanwhile.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from westfall_legal import paths
from westfall_legal.errors import KnownError
from westfall_legal.gui.errors import report_error
from westfall_legal.gui.tasks import Task
from westfall_legal.progress import CancelToken, ProgressCallback, ProgressEvent

if TYPE_CHECKING:
    from westfall_legal.store import Store

log = logging.getLogger(__name__)


class UnlockDialog(QDialog):
    def __init__(
        self, reviewer: str = "", path: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        from westfall_legal.store import MIN_PASSPHRASE, Store

        self.path = path or paths.store_file()
        self.creating = not Store.exists(self.path)
        self.store: Store | None = None
        self.setWindowTitle(
            "Westfall Legal: " + ("set a passphrase" if self.creating else "unlock")
        )
        intro = QLabel(
            "Your reviews are kept encrypted on this computer. Choose a passphrase to protect "
            f"them: at least {MIN_PASSPHRASE} characters (a few words are best). It cannot be "
            "recovered if you forget it."
            if self.creating
            else "Enter the passphrase that protects your reviews.",
            self,
        )
        intro.setWordWrap(True)
        self.passphrase = QLineEdit(self, echoMode=QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self, echoMode=QLineEdit.EchoMode.Password)
        self.reviewer = QLineEdit(
            reviewer, self, placeholderText="Your name, as corrections record it"
        )
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.upgrade = QProgressBar(self)  # shown only while an old store is upgraded
        self.upgrade.setAccessibleName("Store upgrade progress")
        self.upgrade.hide()

        form = QFormLayout()
        form.addRow("Passphrase:", self.passphrase)
        if self.creating:
            form.addRow("Repeat it:", self.confirm)
        else:
            self.confirm.hide()
        form.addRow("Reviewer:", self.reviewer)
        buttons = QDialogButtonBox(self)
        self.ok: QPushButton = buttons.addButton(
            "Create store" if self.creating else "Unlock", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.unlock)
        buttons.rejected.connect(self.reject)
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.upgrade)
        layout.addWidget(buttons)
        self.task: Task[Store] | None = None

    def unlock(self) -> None:
        passphrase = self.passphrase.text()
        if not passphrase:
            self.error.setText("Enter the passphrase.")
            return
        if self.creating:  # a store that exists opens with the passphrase it has, however short
            from westfall_legal.store import check_new_passphrase

            try:
                check_new_passphrase(passphrase)
            except KnownError as exc:
                self.error.setText(exc.user_line())
                self.confirm.clear()
                self.passphrase.setFocus()
                return
        if self.creating and self.confirm.text() != passphrase:
            self.error.setText("The two passphrases differ: type them again.")
            self.confirm.clear()
            return
        if not self.reviewer.text().strip():
            self.error.setText("Enter your name: every correction records who made it.")
            return
        self.error.setText("Creating the store…" if self.creating else "Unlocking…")
        self.ok.setEnabled(False)
        path, creating = self.path, self.creating

        def work(progress: ProgressCallback, _cancel: CancelToken) -> Store:
            from westfall_legal.store import Store

            if creating:
                return Store.create(passphrase, path)
            return Store.open(passphrase, path, progress=progress)

        self.task = Task(work, name="unlock").on_success(self._opened).on_failure(self._failed)
        self.task.on_progress(self._upgrading)
        self.task.start()

    def _upgrading(self, event: ProgressEvent) -> None:
        """An old store being upgraded as it opens: how far, in the dialog."""
        self.error.setText(
            f"Upgrading the store for this version: {event.message}, "
            f"{event.done:,} of {event.total:,}…"
        )
        self.upgrade.setRange(0, max(event.total, 1))
        self.upgrade.setValue(event.done)
        self.upgrade.show()

    def _opened(self, store: Store) -> None:
        self.store = store
        self.error.clear()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.upgrade.hide()
        self.ok.setEnabled(True)
        self.passphrase.clear()
        self.passphrase.setFocus()
        if isinstance(exc, KnownError):
            self.error.setText(exc.user_line())
        else:
            self.error.clear()
            report_error(self, exc)

    @property
    def reviewer_name(self) -> str:
        return self.reviewer.text().strip()
