"""File > Export feedback previews what anonymisation replaced and writes that bundle; File >
Import feedback verifies it and refuses a tampered one."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from westfall_legal.feedback import ImportResult
from westfall_legal.gui.feedback import Ask, ExportDialog, FeedbackHost, import_file
from westfall_legal.gui.main_window import MainWindow
from westfall_legal.gui.menus import feedback_host
from westfall_legal.store import Store

TIMEOUT_MS = 60_000


def _host(window: MainWindow) -> FeedbackHost:
    host = feedback_host(window)
    assert host is not None
    return host


def _preview(qtbot: QtBot, dialog: ExportDialog) -> bool:
    """Preview in the background; whether it was shown."""
    with qtbot.waitSignal(dialog.previewed, timeout=TIMEOUT_MS) as shown:
        dialog.preview()
    return bool(shown.args and shown.args[0])


def _import(
    qtbot: QtBot, window: MainWindow, path: Path, ask: Ask | None = None
) -> ImportResult | None:
    importer = import_file(_host(window), path, ask)
    qtbot.waitUntil(lambda: importer.done, timeout=TIMEOUT_MS)
    return importer.result


def _corrected(window: MainWindow, store: Store) -> None:
    ws = window.workspace
    assert ws is not None
    row = ws.rows[0]
    store.corrections.reject(ws.document_id, row.id, reviewer="A. Reviewer")


def test_export_previews_the_replacements_then_writes_the_bundle(
    qtbot: QtBot, reviewed: MainWindow, store: Store, tmp_path: Path
) -> None:
    _corrected(reviewed, store)
    dialog = ExportDialog(_host(reviewed))
    qtbot.addWidget(dialog)
    assert not dialog.export_button.isEnabled()
    assert _preview(qtbot, dialog)
    assert dialog.preview_ is not None and len(dialog.preview_.documents) == 1
    mapping = dialog.preview_.report.mapping
    assert any("HALLORAN" in original.upper() for original in mapping)  # a party of the sample
    assert dialog.export_button.isEnabled() and "1 documents" in dialog.summary.text()
    result = dialog.export_to(tmp_path / "out.wfb")
    assert result is not None and result.path.exists()
    with zipfile.ZipFile(result.path) as bundle:
        members = bundle.namelist()
        raw = b"".join(bundle.read(m) for m in members)
    assert "manifest.json" in members and "signature" in members
    assert b"HALLORAN PIKE" not in raw.upper()  # the original is on the screen, not in the file

    imported = _import(qtbot, reviewed, result.path)
    assert imported is not None and imported.corrections >= 1
    assert "verified" in reviewed.status_text.text()


def test_a_tampered_bundle_is_refused_with_the_member_named(
    qtbot: QtBot, reviewed: MainWindow, store: Store, tmp_path: Path
) -> None:
    _corrected(reviewed, store)
    dialog = ExportDialog(_host(reviewed))
    qtbot.addWidget(dialog)
    assert _preview(qtbot, dialog)
    result = dialog.export_to(tmp_path / "out.wfb")
    assert result is not None
    tampered = tmp_path / "tampered.wfb"
    with zipfile.ZipFile(result.path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data + b"\n" if name == "corrections.jsonl" else data)
    assert _import(qtbot, reviewed, tampered) is None
    assert reviewed.error_box is not None and "corrections.jsonl" in reviewed.error_box.text()


def test_the_feedback_menu_entries_are_enabled(reviewed: MainWindow) -> None:
    texts = {a.text(): a.isEnabled() for a in reviewed.menuBar().actions()[0].menu().actions()}
    assert texts["&Export feedback…"] and texts["&Import feedback…"]


def test_a_bundle_from_an_unknown_key_shows_its_fingerprint_and_asks(
    qtbot: QtBot, reviewed: MainWindow, store: Store, tmp_path: Path
) -> None:
    """Issue 24: an unknown signer is refused unless the user, shown the fingerprint,
    trusts it (once, or remembered under a name)."""
    from westfall_legal.feedback import Selection, export_feedback
    from westfall_legal.pipeline import label_schema
    from westfall_legal.store.signing import InstallationKeys

    other = Store.create("another passphrase", tmp_path / "other" / "store.sqlite3")
    try:
        _corrected(reviewed, store)
        out = tmp_path / "theirs.wfb"
        export_feedback(store, out, Selection(), label_schema())
        sender = InstallationKeys.of(store).fingerprint
        reviewed.store, mine = other, reviewed.store
        shown: list[str] = []

        def refuse(fingerprint: str) -> None:
            shown.append(fingerprint)
            return None

        assert _import(qtbot, reviewed, out, ask=refuse) is None
        assert shown == [sender]
        assert reviewed.error_box is not None
        assert "unknown key" in reviewed.error_box.text()
        result = _import(qtbot, reviewed, out, ask=lambda fp: ("always", "Office A"))
        assert result is not None and result.signer_name == "Office A"
        assert f"signed by Office A ({sender})" in reviewed.status_text.text()
        assert [s.name for s in other.signers.list()] == ["Office A"]
        reviewed.store = mine
    finally:
        other.close()


def test_the_preview_and_the_import_run_off_the_gui_thread(
    qtbot: QtBot,
    reviewed: MainWindow,
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 23: the GUI thread keeps its event loop while a preview and an import run; the
    store's work for them happens on another thread, on a connection of its own."""
    import westfall_legal.feedback as feedback

    gui_thread = threading.get_ident()
    seen: dict[str, tuple[int, object]] = {}

    def spy(name: str) -> None:
        real = getattr(feedback, name)

        def wrapped(store: Store, *args: object, **kwargs: object) -> object:
            seen[name] = (threading.get_ident(), store.db)
            return real(store, *args, **kwargs)

        monkeypatch.setattr(feedback, name, wrapped)

    spy("preview_export")
    spy("import_bundle")
    _corrected(reviewed, store)
    dialog = ExportDialog(_host(reviewed))
    qtbot.addWidget(dialog)
    dialog.preview()
    assert not dialog.preview_button.isEnabled()  # returned at once, the work under way
    assert "Building the bundle" in dialog.summary.text()
    qtbot.waitUntil(lambda: dialog.preview_ is not None, timeout=TIMEOUT_MS)
    result = dialog.export_to(tmp_path / "out.wfb")
    assert result is not None
    importer = import_file(_host(reviewed), result.path)
    assert not importer.done and "Verifying out.wfb" in reviewed.status_text.text()
    qtbot.waitUntil(lambda: importer.done, timeout=TIMEOUT_MS)
    assert importer.result is not None and importer.result.corrections >= 1
    for name in ("preview_export", "import_bundle"):
        thread, db = seen[name]
        assert thread != gui_thread and db is not store.db, name
    store.matters.list()  # the window's own connection still works
