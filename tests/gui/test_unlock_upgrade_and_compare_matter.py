"""The unlock dialog shows an old store's upgrade (a bar and the count) while it opens; the
window's Compare with… keeps the comparison in the selected matter, as `westfall compare
--matter` does."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from gui_helpers import PASSPHRASE, REVIEW_TIMEOUT_MS, REVIEWER, SAMPLE, SAMPLES, review
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from westfall_legal.gui.handback_actions import HandbackJob
from westfall_legal.gui.main_window import MainWindow
from westfall_legal.gui.unlock import UnlockDialog
from westfall_legal.store import Store, migrations

SAMPLE_DOCX = SAMPLES / "master_services_agreement.docx"


def _review(n: int) -> dict[str, object]:
    text = f"1. Term. This lease runs for {n} years."
    return {
        "document": {"path": f"lease-{n}.pdf", "sha256": hashlib.sha256(text.encode()).hexdigest(),
                     "pages": []},
        "text": text, "clauses": [], "findings": [], "facts": {},
    }  # fmt: skip


def test_unlocking_an_old_store_shows_the_upgrade(
    qtbot: QtBot, app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrations, "FILL_BATCH", 2)
    with Store.create(PASSPHRASE, schema_version=3) as old:
        matter = old.matters.create("Old matter")
        for n in range(5):
            old.reviews.add(matter.id, _review(n))
    dialog = UnlockDialog(REVIEWER)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.upgrade.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.passphrase.setText(PASSPHRASE)
        dialog.ok.click()
    assert dialog.upgrade.maximum() == 5 and dialog.upgrade.value() == 5
    assert dialog.upgrade.accessibleName()
    assert dialog.store is not None and dialog.store.indexed and dialog.store.compares
    dialog.store.close()


def test_compare_keeps_the_comparison_in_the_selected_matter(
    qtbot: QtBot, window: MainWindow, store: Store, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    review(qtbot, window, SAMPLE)  # stored in the selected (or a new "Unfiled") matter
    matter_id = window.matters.matter_id
    assert matter_id is not None
    out = tmp_path / "msa.html"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(SAMPLE_DOCX), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.compare_action.trigger()
    job = window.findChild(HandbackJob)
    assert job is not None
    with qtbot.waitSignal(job.done, timeout=REVIEW_TIMEOUT_MS) as said:
        pass
    name = store.matters.get(matter_id).name
    assert f"It is kept in matter {name!r}." in str(said.args[0])
    (kept,) = store.comparisons.list(matter_id)
    assert kept.old_file == SAMPLE.name and kept.new_file == SAMPLE_DOCX.name
    assert kept.old_document_id is not None  # the PDF shown is in the matter
    assert kept.new_document_id is None  # the draft was compared, not reviewed into it
    assert store.comparisons.get(matter_id, kept.id).html == out.read_text(encoding="utf-8")
    assert list(window.matters.comparisons.infos) == [kept.id]  # listed at once, tab shown or not
    store.audit.verify()
