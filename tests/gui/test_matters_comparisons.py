"""The Matters tab lists the comparisons kept in the selected matter (the versions' names,
when, the counts the store keeps), and Export… writes the very bytes `westfall comparison
export` writes; a tampered or vanished comparison, or a file that cannot be written, is said
as the window's errors are and the panel goes on working.

The comparison is a real one: two versions of a short contract reviewed by the pipeline,
compared by the core, and kept in a matter of the real (encrypted SQLite) store.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import PASSPHRASE
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from westfall_legal.cli import main as cli
from westfall_legal.gui.main_window import MainWindow
from westfall_legal.gui.matter_comparisons import ComparisonsList
from westfall_legal.store import ComparisonInfo, Store

SCREENSHOT = Path("/tmp/h/matters_comparisons.png")
V1 = """MASTER SERVICES AGREEMENT

1. Term. This Agreement runs for three (3) years from the Effective Date.

2. Fees. Customer shall pay the fees within thirty (30) days of invoice.

3. Limitation of Liability. In no event shall either party's aggregate liability exceed the
fees paid in the twelve months before the claim.

4. Governing Law. This Agreement is governed by the laws of the State of New York.
"""
V2 = V1.replace("three (3)", "five (5)").replace(
    "3. Limitation of Liability. In no event shall either party's aggregate liability exceed the\n"
    "fees paid in the twelve months before the claim.\n\n",
    "",
)


def keep_comparison(store: Store, matter: str, folder: Path, old: str, new: str) -> ComparisonInfo:
    """Review two versions (in ``folder``), keep both reviews and their comparison in the
    matter, as `westfall compare OLD NEW --matter` does."""
    from westfall_legal.handback.compare import compare
    from westfall_legal.handback.redline import compare_html, compare_json
    from westfall_legal.pipeline import Engines, analyse
    from westfall_legal.report import review_json
    from westfall_legal.settings import Settings

    folder.mkdir(parents=True, exist_ok=True)
    engines, reviews = Engines(), []
    for name, text in ((old, V1), (new, V2)):
        (folder / name).write_text(text, encoding="utf-8")
        review = analyse(folder / name, settings=Settings(use_llm=False), engines=engines,
                         with_llm=False)  # fmt: skip
        store.reviews.add(matter, review_json(review))
        reviews.append(review)
    data = compare_json(compare(*reviews))
    return store.comparisons.add(matter, data, compare_html(data))


@pytest.fixture
def kept(store: Store, tmp_path: Path) -> tuple[str, ComparisonInfo]:
    matter = store.matters.create("Acme lease")
    return matter.id, keep_comparison(store, matter.id, tmp_path / "v", "lease_v1.txt",
                                      "lease_v2.txt")  # fmt: skip


def shown(window: MainWindow, matter_id: str) -> ComparisonsList:
    window.tabs.setCurrentWidget(window.matters)
    window.matters.refresh(select=matter_id)
    return window.matters.comparisons


def rows(panel: ComparisonsList) -> list[QTreeWidgetItem]:
    found = (panel.tree.topLevelItem(i) for i in range(panel.tree.topLevelItemCount()))
    return [item for item in found if item is not None]


def save_as(monkeypatch: pytest.MonkeyPatch, out: Path, chosen: str = "") -> list[Any]:
    """The save dialog answers ``out``; returns the arguments it was asked with."""
    asked: list[Any] = []

    def answer(*args: Any, **_: Any) -> tuple[str, str]:
        asked.append(args)
        return str(out), chosen

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return asked


def cli_export(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli(["comparison", "export", *args])
    out, err = capsys.readouterr()
    return code, out + err


def test_the_matter_lists_its_comparison_and_exports_the_cli_bytes(
    qtbot: QtBot, window: MainWindow, store: Store, kept: tuple[str, ComparisonInfo],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    matter_id, info = kept
    panel = shown(window, matter_id)
    (item,) = rows(panel)
    assert item.text(0) == "lease_v1.txt → lease_v2.txt"
    assert item.text(1) == info.created[:16].replace("T", " ")
    c = store.comparisons.get(matter_id, info.id).data["counts"]
    assert c["changed"] >= 1 and c["removed"] >= 1  # the term changed, the cap went
    assert item.text(2).startswith(
        f"{c['changed']} changed, {c['added']} added, {c['removed']} removed, {c['moved']} moved;"
    )
    assert panel.export_button.isEnabled()
    window.resize(1440, 900)
    qtbot.waitExposed(window)
    if SCREENSHOT.parent.is_dir():
        assert window.grab().save(str(SCREENSHOT))

    mine = tmp_path / "mine"
    asked = save_as(monkeypatch, mine / "redline.html")
    panel.export_button.click()
    assert "Saved" in panel.message.text() and "redline" in panel.message.text()
    save_as(monkeypatch, mine / "as-json", "Comparison JSON (*.json)")  # the filter says JSON
    assert panel.export() == mine / "as-json.json"

    monkeypatch.setenv("WESTFALL_PASSPHRASE", PASSPHRASE)
    theirs = tmp_path / "theirs"
    code, said = cli_export(capsys, "Acme lease", info.id[:8], "--out", str(theirs))
    assert code == 0, said
    html, json_file = sorted(theirs.iterdir())
    assert Path(asked[0][2]).name == html.name  # the dialog offers the CLI's name
    assert (mine / "redline.html").read_bytes() == html.read_bytes()
    assert (mine / "as-json.json").read_bytes() == json_file.read_bytes()
    assert not window.findChildren(QMessageBox)


def test_a_comparison_kept_while_the_tab_was_hidden_is_listed_when_shown(
    window: MainWindow, store: Store, kept: tuple[str, ComparisonInfo], tmp_path: Path
) -> None:
    matter_id, _ = kept
    panel = shown(window, matter_id)
    window.tabs.setCurrentWidget(window.summary)
    with Store.open(PASSPHRASE) as other:  # as `westfall compare --matter` would, meanwhile
        keep_comparison(other, matter_id, tmp_path / "w", "msa.txt", "msa_final.txt")
    assert panel.tree.topLevelItemCount() == 1
    window.tabs.setCurrentWidget(window.matters)
    assert [r.text(0) for r in rows(panel)] == [
        "msa.txt → msa_final.txt",  # newest first
        "lease_v1.txt → lease_v2.txt",
    ]


def tamper(store: Store, comparison_id: str, column: str) -> None:
    """Flip a byte of one sealed column of the comparison's row, outside the app."""
    conn = sqlite3.connect(store.path, isolation_level=None)
    (blob,) = conn.execute(
        f"SELECT {column} FROM comparisons WHERE id = ?", [comparison_id]
    ).fetchone()
    changed = bytes(blob[:-1]) + bytes([blob[-1] ^ 1])
    conn.execute(f"UPDATE comparisons SET {column} = ? WHERE id = ?", [changed, comparison_id])
    conn.close()


def test_errors_are_said_and_the_panel_keeps_working(
    qtbot: QtBot, window: MainWindow, store: Store, kept: tuple[str, ComparisonInfo],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    matter_id, info = kept
    second = keep_comparison(store, matter_id, tmp_path / "w", "msa.txt", "msa_final.txt")
    panel = shown(window, matter_id)

    def select(comparison_id: str) -> None:
        for row in rows(panel):
            if row.toolTip(0).endswith(comparison_id):
                panel.tree.setCurrentItem(row)
        assert panel.selected == comparison_id

    def box_said() -> str:
        boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
        assert len(boxes) == 1
        text = f"{boxes[0].text()} {boxes[0].informativeText()}"
        boxes[0].close()
        qtbot.waitUntil(lambda: not any(b.isVisible() for b in window.findChildren(QMessageBox)))
        return text

    # a redline altered outside the app: refused with the store's next step
    tamper(store, info.id, "html")
    select(info.id)
    save_as(monkeypatch, tmp_path / "out" / "a.html")
    assert panel.export() is None
    assert "altered outside Westfall Legal" in box_said()
    assert not (tmp_path / "out" / "a.html").exists()
    select(second.id)  # the other comparison still exports
    assert panel.export() == tmp_path / "out" / "a.html"

    # a file that cannot be written (its folder is a file)
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    save_as(monkeypatch, tmp_path / "plain" / "b.html")
    assert panel.export() is None
    assert "cannot write" in box_said() and "cannot write" in panel.message.text()

    # a comparison deleted meanwhile (by another window's `matter delete`, say)
    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.execute("DELETE FROM comparisons WHERE id = ?", [second.id])
    conn.close()
    save_as(monkeypatch, tmp_path / "out" / "c.html")
    assert panel.export() is None
    assert "no comparison" in box_said() and "westfall comparison list" in panel.message.text()

    # a tampered listing: said once, in the panel and a box; the documents are still listed
    tamper(store, info.id, "listing")
    window.matters.refresh()
    assert "altered outside Westfall Legal" in box_said()
    assert panel.tree.topLevelItemCount() == 0 and not panel.export_button.isEnabled()
    assert "altered outside" in panel.message.text()
    assert window.matters.documents.topLevelItemCount() == len(store.reviews.documents(matter_id))
    assert window.matters.documents.topLevelItemCount() > 0
    window.tabs.setCurrentWidget(window.summary)
    window.tabs.setCurrentWidget(window.matters)  # read again: not said a second time
    assert not [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert window.isVisible()
