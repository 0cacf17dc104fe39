"""GUI fixtures: Qt offscreen, the cheap KDF, an unlocked store and a main window on it.

Reviews run with ``Settings(use_llm=False)`` (and every test has a fresh, model-less data
folder anyway), so a review of the born-digital sample takes about a second.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import FAST_KDF, PASSPHRASE, REVIEWER, SAMPLE, review
from pytestqt.qtbot import QtBot

from westfall_legal.gui.main_window import MainWindow
from westfall_legal.settings import Settings
from westfall_legal.store import Store, keys


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform says what it cannot do (size hints, raise(), grabbing the
    # keyboard) whenever a window or a popup is shown.
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore("^This plugin does not support "))


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "DEFAULT_KDF", FAST_KDF)


@pytest.fixture
def store(app_home: Path) -> Iterator[Store]:
    opened = Store.create(PASSPHRASE)
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot: QtBot, store: Store) -> MainWindow:
    shown = MainWindow(Settings(use_llm=False))
    qtbot.addWidget(shown)
    shown.show()
    shown.set_store(store, REVIEWER)
    return shown


@pytest.fixture
def reviewed(qtbot: QtBot, window: MainWindow) -> MainWindow:
    """The window with the born-digital sample reviewed and shown."""
    review(qtbot, window, SAMPLE)
    assert window.workspace is not None, window.status_text.text()
    return window
