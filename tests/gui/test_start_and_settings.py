"""Starting: the unlock dialog, matters, the models and settings page, the crash report, and
``westfall-gui --screenshot`` run as the packaging check runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from gui_helpers import PASSPHRASE, REVIEWER, SAMPLE
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from westfall_legal import settings as settings_io
from westfall_legal.gui.errors import crash_report
from westfall_legal.gui.main_window import MainWindow
from westfall_legal.gui.page_items import line_rects
from westfall_legal.gui.recent import RecentPaths
from westfall_legal.gui.settings_page import SettingsPage
from westfall_legal.gui.signals import _Probe, emit
from westfall_legal.gui.unlock import UnlockDialog
from westfall_legal.session.rows import canonical_category
from westfall_legal.settings import Settings
from westfall_legal.store import MIN_PASSPHRASE, Store, core


def _submit(qtbot: QtBot, dialog: UnlockDialog, passphrase: str, confirm: str = "") -> None:
    dialog.passphrase.setText(passphrase)
    dialog.confirm.setText(confirm)
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=10_000)


def test_a_wrong_passphrase_is_refused_and_the_dialog_stays(qtbot: QtBot, app_home: Path) -> None:
    Store.create(PASSPHRASE).close()
    dialog = UnlockDialog(REVIEWER)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.creating
    _submit(qtbot, dialog, "wrong horse")
    qtbot.waitUntil(lambda: "passphrase" in dialog.error.text(), timeout=10_000)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.store is None and dialog.passphrase.text() == ""
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.passphrase.setText(PASSPHRASE)
        dialog.ok.click()
    assert dialog.store is not None and dialog.reviewer_name == REVIEWER
    dialog.store.close()


def test_the_first_run_sets_the_passphrase(qtbot: QtBot, app_home: Path) -> None:
    dialog = UnlockDialog("")
    qtbot.addWidget(dialog)
    assert dialog.creating and not Store.exists()
    dialog.passphrase.setText("one two three")
    dialog.confirm.setText("four five six")
    dialog.ok.click()
    assert "differ" in dialog.error.text() and not Store.exists()
    dialog.confirm.setText("one two three")
    dialog.ok.click()
    assert "name" in dialog.error.text()  # a correction records who made it
    dialog.reviewer.setText(REVIEWER)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.passphrase.setText("one two three")
        dialog.confirm.setText("one two three")
        dialog.ok.click()
    assert Store.exists() and dialog.store is not None
    dialog.store.close()
    Store.open("one two three").close()


def test_a_short_new_passphrase_is_refused_saying_why(qtbot: QtBot, app_home: Path) -> None:
    dialog = UnlockDialog(REVIEWER)
    qtbot.addWidget(dialog)
    assert dialog.creating
    said = [label.text() for label in dialog.findChildren(QLabel)]
    assert any(f"at least {MIN_PASSPHRASE} characters" in text for text in said)
    for weak, why in ((" ", "only spaces"), ("a", "too short"), ("   short ", "too short")):
        dialog.passphrase.setText(weak)
        dialog.confirm.setText(weak)
        dialog.ok.click()
        assert why in dialog.error.text() and f"at least {MIN_PASSPHRASE}" in dialog.error.text()
        assert dialog.ok.isEnabled() and dialog.task is None and not Store.exists()


def test_a_store_set_up_with_a_short_passphrase_still_unlocks(
    qtbot: QtBot, app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as before_the_rule:
        before_the_rule.setattr(core, "check_new_passphrase", lambda passphrase: None)
        Store.create("a").close()
    dialog = UnlockDialog(REVIEWER)
    qtbot.addWidget(dialog)
    assert not dialog.creating
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.passphrase.setText("a")
        dialog.ok.click()
    assert dialog.store is not None
    dialog.store.close()


def test_matters_are_created_and_listed(window: MainWindow, store: Store) -> None:
    panel = window.matters
    assert panel.matters.count() == 0
    panel.name.setText("Acme v Beta")
    panel.create_matter()
    assert panel.matters.count() == 1 and panel.matter_id is not None
    panel.name.setText("acme v beta")
    panel.create_matter()
    assert "already exists" in panel.message.text() and panel.matters.count() == 1
    assert [m.name for m in store.matters.list()] == ["Acme v Beta"]


def test_recent_paths_are_sealed_with_the_store(store: Store, tmp_path: Path) -> None:
    recent = RecentPaths(store)
    recent.remember("ab" * 32, tmp_path / "Secret Client v Other.pdf")
    assert b"Secret" not in recent.file.read_bytes()
    again = RecentPaths(store)
    assert again.path_for("ab" * 32) == (tmp_path / "Secret Client v Other.pdf").resolve()
    recent.file.write_text("not sealed")
    assert RecentPaths(store).paths() == []


def test_the_settings_page_saves_the_settings(qtbot: QtBot, app_home: Path, tmp_path: Path) -> None:
    page = SettingsPage(Settings())
    qtbot.addWidget(page)
    assert "No language model is active" in page.active.text()
    assert "CPU" in page.backend.text() or "GPU" in page.backend.text()
    page.threads.setValue(3)
    page.context.setValue(8192)
    assert page.ocr_repair.isChecked()
    page.ocr_repair.setChecked(False)
    page.playbook.setText(str(tmp_path / "missing.toml"))
    page.save()
    assert "not found" in page.message.text()
    page.playbook.clear()
    with qtbot.waitSignal(page.settingsSaved) as saved:
        page.save()
    assert saved.args is not None and saved.args[0].llm_threads == 3
    assert settings_io.load() == Settings(llm_threads=3, llm_context=8192, ocr_repair=False)


def test_the_crash_report_has_no_message_text() -> None:
    try:
        try:
            raise KeyError("Acme shall indemnify Beta")
        except KeyError as inner:
            raise ValueError("clause text: the Supplier's liability") from inner
    except ValueError as exc:
        report = crash_report(exc)
    assert "builtins.ValueError" in report and "builtins.KeyError" in report
    assert "test_start_and_settings.py" in report
    assert "Acme" not in report and "liability" not in report


def test_line_rects_merge_words_per_line() -> None:
    words = [(10, 10, 30, 20), (33, 10, 60, 20), (10, 24, 40, 34), (300, 24, 330, 34)]
    assert line_rects(words, pad=0) == [(10, 10, 60, 20), (10, 24, 40, 34), (300, 24, 330, 34)]


def test_categories_are_matched_whatever_the_case() -> None:
    assert canonical_category("  governing   LAW ") == "Governing Law"
    assert canonical_category("Governing") is None


@pytest.mark.slow
def test_screenshot_option_writes_the_window(tmp_path: Path, app_home: Path) -> None:
    target = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("WESTFALL_PASSPHRASE", None)
    done = subprocess.run(
        [sys.executable, "-m", "westfall_legal.gui.app", str(SAMPLE), "--no-llm",
         "--screenshot", str(target), "--size", "1200x800"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1200, 800)
    assert not Store.exists()  # a temporary store, gone with the process
    # the page is drawn: the middle of the view is not all one colour
    colours = {image.pixel(x, 400) for x in range(300, 700, 4)}
    assert len(colours) > 3


def test_emit_leaves_the_reference_count_of_true_alone() -> None:
    probe = _Probe()
    probe.ping.connect(lambda: None)
    before = sys.getrefcount(True)
    for _ in range(3000):  # more than True's references at start: raw emits would abort
        emit(probe.ping)
    assert abs(sys.getrefcount(True) - before) <= 2


def test_the_settings_page_shows_the_drift_of_the_clause_model(
    qtbot: QtBot, reviewed: MainWindow, store: Store
) -> None:
    ws = reviewed.workspace
    assert ws is not None
    ws.accept(ws.rows[0].id)
    ws.reject(ws.rows[1].id)
    ws.relabel(ws.rows[2].id, "Governing Law")
    ws.undo()
    reviewed.show_settings()
    page = reviewed.findChild(SettingsPage)
    assert page is not None and page.drift.rowCount() == 1
    cells = [page.drift.item(0, c).text() for c in range(page.drift.columnCount())]  # type: ignore[union-attr]
    assert cells[2:6] == ["1", str(len(ws.rows)), "1", "1"]  # one change (the reject), one accept
    page.close()
