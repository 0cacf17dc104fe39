"""The GUI started with ``WESTFALL_PASSPHRASE`` opens an old-schema store as the unlock
dialog does: the upgrade runs on a worker thread, and the dialog shows how far with its bar
(nothing to type); a wrong passphrase from the environment is an error, not a question."""

from __future__ import annotations

import hashlib
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import PASSPHRASE, REVIEWER
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from westfall_legal.errors import StoreError
from westfall_legal.gui import app
from westfall_legal.gui.main_window import MainWindow
from westfall_legal.gui.unlock import UnlockDialog, unlock_with
from westfall_legal.progress import ProgressEvent
from westfall_legal.store import Store, migrations

DOCUMENTS = 5


def old_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """A schema-3 store (no document index, no comparisons) at the default path, holding
    five reviews; the upgrade reports every two documents."""
    monkeypatch.setattr(migrations, "FILL_BATCH", 2)
    with Store.create(PASSPHRASE, schema_version=3) as old:
        matter = old.matters.create("Old matter")
        for n in range(DOCUMENTS):
            text = f"1. Term. This lease runs for {n} years."
            old.reviews.add(matter.id, {
                "document": {"path": f"lease-{n}.pdf", "pages": [],
                             "sha256": hashlib.sha256(text.encode()).hexdigest()},
                "text": text, "clauses": [], "findings": [], "facts": {},
            })  # fmt: skip
        assert not old.indexed and not old.compares


def watch(monkeypatch: pytest.MonkeyPatch) -> tuple[list[dict[str, Any]], list[bool]]:
    """What the dialog showed at each progress event; on which thread the schema moved."""
    shown: list[dict[str, Any]] = []
    on_gui_thread: list[bool] = []
    upgrading, migrate = UnlockDialog._upgrading, migrations.migrate

    def seen(dialog: UnlockDialog, event: ProgressEvent) -> None:
        upgrading(dialog, event)
        bar = (dialog.upgrade.value(), dialog.upgrade.maximum())
        shown.append({"event": (event.done, event.total), "visible": dialog.isVisible(),
                      "bar": bar, "said": dialog.error.text(),
                      "typing": dialog.passphrase.isVisible()})  # fmt: skip

    def moved(*args: Any, **kwargs: Any) -> list[str]:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return migrate(*args, **kwargs)

    monkeypatch.setattr(UnlockDialog, "_upgrading", seen)
    monkeypatch.setattr(migrations, "migrate", moved)
    return shown, on_gui_thread


def check_shown(shown: list[dict[str, Any]], on_gui_thread: list[bool]) -> None:
    assert on_gui_thread == [False]  # the upgrade ran off the GUI thread
    assert shown, "no upgrade progress was shown"
    last = shown[-1]
    assert last["event"] == (DOCUMENTS, DOCUMENTS) and last["bar"] == (DOCUMENTS, DOCUMENTS)
    assert all(s["visible"] and not s["typing"] for s in shown)
    assert f"{DOCUMENTS} of {DOCUMENTS}" in last["said"] and "Upgrading the store" in last["said"]


def test_a_given_passphrase_shows_the_upgrade_as_the_dialog_does(
    qtbot: QtBot, app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_store(monkeypatch)
    shown, on_gui_thread = watch(monkeypatch)
    store = unlock_with(PASSPHRASE)
    try:
        check_shown(shown, on_gui_thread)
        assert store.indexed and store.compares
        assert len(store.reviews.documents(store.matters.list()[0].id)) == DOCUMENTS
    finally:
        store.close()
    with Store.open(PASSPHRASE) as again:  # upgraded once: nothing to show the next time
        assert again.indexed and again.compares


def test_a_wrong_passphrase_from_the_environment_is_an_error_not_a_question(
    qtbot: QtBot, app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_store(monkeypatch)
    with pytest.raises(StoreError) as refused:
        unlock_with("not the passphrase at all")
    assert refused.value.user_line()
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_the_window_started_with_the_passphrase_shows_the_upgrade(
    qtbot: QtBot, app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``westfall-gui`` itself, with WESTFALL_PASSPHRASE: the same progress, then the window
    gets the upgraded store (the event loop that would follow is not entered)."""
    old_store(monkeypatch)
    shown, on_gui_thread = watch(monkeypatch)
    windows: list[tuple[MainWindow, Store]] = []
    set_store = MainWindow.set_store

    def kept(window: MainWindow, store: Store, reviewer: str, *, named: bool = True) -> None:
        qtbot.addWidget(window)
        windows.append((window, store))
        set_store(window, store, reviewer, named=named)

    monkeypatch.setattr(MainWindow, "set_store", kept)
    monkeypatch.setattr(QApplication, "exec", lambda *_: 0)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    monkeypatch.setenv(app.PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.setenv(app.REVIEWER_ENV, REVIEWER)
    assert app.main([]) == 0
    ((window, store),) = windows
    try:
        check_shown(shown, on_gui_thread)
        assert store.indexed and store.compares
        assert window.store is store and window.matters.matters.count() == 1
    finally:
        store.close()
