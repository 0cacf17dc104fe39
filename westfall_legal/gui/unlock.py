"""The unlock dialog: the passphrase opens the encrypted store; on the first run it sets one.

The key derivation takes a noticeable fraction of a second, so the store is opened in the
background; a wrong passphrase is said in the dialog, which stays open for another try. An
old store is upgraded as it opens (indexing its documents, about 1 s per 10,000): the dialog
says how far, with a bar, meanwhile.

With a passphrase given beforehand (``WESTFALL_PASSPHRASE``), :func:`unlock_with` opens the
store through the same dialog: in the background, the dialog shown only while an old store is
upgraded (the same words and bar, nothing to type), and an error raised rather than asked
again.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, Qt
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
from westfall_legal.errors import KnownError, StoreError
from westfall_legal.gui.errors import report_error
from westfall_legal.gui.tasks import Task
from westfall_legal.progress import CancelToken, ProgressCallback, ProgressEvent

if TYPE_CHECKING:
    from westfall_legal.store import Store

log = logging.getLogger(__name__)


class UnlockDialog(QDialog):
    def __init__(
        self,
        reviewer: str = "",
        path: Path | None = None,
        parent: QWidget | None = None,
        *,
        passphrase: str | None = None,
    ) -> None:
        """``passphrase``: given beforehand (:func:`unlock_with`): nothing is asked, and a
        failure closes the dialog (``failure``) instead of asking again."""
        super().__init__(parent)
        from westfall_legal.store import MIN_PASSPHRASE, Store

        self.path = path or paths.store_file()
        self.creating = not Store.exists(self.path)
        self.store: Store | None = None
        self.given = passphrase is not None
        self.failure: BaseException | None = None
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

        fields = QWidget(self)
        form = QFormLayout(fields)
        form.setContentsMargins(0, 0, 0, 0)
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
        layout.addWidget(fields)
        layout.addWidget(self.error)
        layout.addWidget(self.upgrade)
        layout.addWidget(buttons)
        self.task: Task[Store] | None = None
        if passphrase is not None:
            self.passphrase.setText(passphrase)
            intro.setText("Opening the encrypted store with the passphrase given…")
            fields.hide()
            buttons.hide()
            self.setModal(True)  # when shown: the window waits for its store

    def unlock(self) -> None:
        passphrase = self.passphrase.text()
        if not self.given and not self._checked(passphrase):
            return
        self.error.setText("Creating the store…" if self.creating else "Unlocking…")
        self.ok.setEnabled(False)
        path, creating = self.path, self.creating

        def work(progress: ProgressCallback, _cancel: CancelToken) -> Store:
            from westfall_legal.store import Store

            if creating:  # Store.create refuses a passphrase too short
                return Store.create(passphrase, path)
            return Store.open(passphrase, path, progress=progress)

        self.task = Task(work, name="unlock").on_success(self._opened).on_failure(self._failed)
        self.task.on_progress(self._upgrading)
        self.task.start()

    def _checked(self, passphrase: str) -> bool:
        """What was typed will do; else the dialog says why, for another try."""
        if not passphrase:
            self.error.setText("Enter the passphrase.")
            return False
        if self.creating:  # a store that exists opens with the passphrase it has, however short
            from westfall_legal.store import check_new_passphrase

            try:
                check_new_passphrase(passphrase)
            except KnownError as exc:
                self.error.setText(exc.user_line())
                self.confirm.clear()
                self.passphrase.setFocus()
                return False
        if self.creating and self.confirm.text() != passphrase:
            self.error.setText("The two passphrases differ: type them again.")
            self.confirm.clear()
            return False
        if not self.reviewer.text().strip():
            self.error.setText("Enter your name: every correction records who made it.")
            return False
        return True

    def _upgrading(self, event: ProgressEvent) -> None:
        """An old store being upgraded as it opens: how far, in the dialog."""
        self.error.setText(
            f"Upgrading the store for this version: {event.message}, "
            f"{event.done:,} of {event.total:,}…"
        )
        self.upgrade.setRange(0, max(event.total, 1))
        self.upgrade.setValue(event.done)
        self.upgrade.show()
        if self.given and not self.isVisible():  # shown only for an upgrade
            self.show()

    def reject(self) -> None:
        """Esc or the close button while a given passphrase opens the store: it goes on (an
        upgrade is all or nothing, and the window waits for its store)."""
        if self.given and self.store is None and self.failure is None:
            return
        super().reject()

    def _opened(self, store: Store) -> None:
        self.store = store
        self.error.clear()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if self.given:  # nothing to type again: the caller says it
            self.failure = exc
            self.reject()
            return
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


def unlock_with(passphrase: str, path: Path | None = None, parent: QWidget | None = None) -> Store:
    """The store at ``path`` opened (created on first use) with ``passphrase``, as the dialog
    opens it: on a worker thread while the GUI's events run, and an old store's upgrade
    shown in the dialog with its bar. Raises what the store raised (a wrong passphrase is
    not asked again: it came from the environment)."""
    dialog = UnlockDialog(path=path, parent=parent, passphrase=passphrase)
    waiting = QEventLoop()
    dialog.finished.connect(waiting.quit)
    dialog.unlock()  # its outcome comes as a queued signal, so not before the loop runs
    waiting.exec()
    dialog.deleteLater()
    if dialog.store is not None:
        return dialog.store
    if dialog.failure is not None:
        raise dialog.failure
    raise StoreError(f"{dialog.path}: the store was not opened.")  # closed from outside
