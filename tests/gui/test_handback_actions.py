"""Issue 20: File > Compare with another version… and File > Export for Word… run the real
compare and Word export on the sample agreement (its PDF and its Word draft) in the
background, with the file dialogs answered by the test; the redline and the Word copy are
written where chosen and the status line says so; Cancel writes nothing; a bad file is shown
as every error is."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from gui_helpers import REVIEW_TIMEOUT_MS, SAMPLE, SAMPLES, review
from jsonschema import Draft202012Validator
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from westfall_legal import paths
from westfall_legal.gui.handback_actions import HandbackJob
from westfall_legal.gui.main_window import MainWindow

SAMPLE_DOCX = SAMPLES / "master_services_agreement.docx"
AUTHOR = "Westfall Legal review"


def _answer(monkeypatch: pytest.MonkeyPatch, opened: list[Path], saved: Path, kind: str) -> None:
    """The open dialogs answer ``opened`` in turn, the save dialog ``saved`` (filter ``kind``)."""
    answers: Iterator[Path] = iter(opened)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(next(answers, "")), "")
    )
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), kind))


def _run(qtbot: QtBot, window: MainWindow, trigger: str) -> tuple[HandbackJob, str]:
    """Trigger the File menu's action; wait for its job; (the job, the status said)."""
    getattr(window, trigger).trigger()
    job = window.findChild(HandbackJob)
    assert job is not None, window.status_text.text()
    with qtbot.waitSignal(job.done, timeout=REVIEW_TIMEOUT_MS) as said:
        pass
    return job, str(said.args[0]) if said.args else ""


def test_compare_the_pdf_shown_with_its_word_draft_saves_the_redline(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    review(qtbot, window, SAMPLE)
    assert window.workspace is not None
    out = tmp_path / "redlines" / "msa"
    _answer(monkeypatch, [SAMPLE_DOCX], out, "HTML redline (*.html)")
    assert window.compare_action.text().replace("&", "") == "Compare with another version…"
    _, said = _run(qtbot, window, "compare_action")
    page = tmp_path / "redlines" / "msa.html"  # the filter's suffix added
    assert said == window.status_text.text()
    assert str(page) in said, said
    assert "0 clauses changed, 0 added, 0 removed" in said and "3 risks appeared" in said
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<script" not in text
    assert "master_services_agreement.pdf → master_services_agreement.docx" in text
    assert text.count("Unsettled tracked changes inside a high-risk clause") == 3
    assert window.workspace.review.document.path == SAMPLE  # the review shown stays


def test_compare_with_nothing_open_asks_for_both_versions_and_writes_valid_json(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "msa.compare"
    _answer(monkeypatch, [SAMPLE_DOCX, SAMPLE], out, "Comparison JSON (*.json)")
    _, said = _run(qtbot, window, "compare_action")
    written = tmp_path / "msa.compare.json"
    assert str(written) in said
    data = json.loads(written.read_text(encoding="utf-8"))
    schema = json.loads(paths.resource_path("schema", "compare.schema.json").read_text("utf-8"))
    Draft202012Validator(schema).validate(data)
    assert (data["old"]["kind"], data["new"]["kind"]) == ("docx", "pdf")
    assert {r["change"] for r in data["risks"]} == {"went away"}  # the draft's tracked changes


def test_cancelling_a_comparison_writes_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "cancelled.html"
    _answer(monkeypatch, [SAMPLE, SAMPLE_DOCX], out, "")
    window.compare_action.trigger()
    job = window.findChild(HandbackJob)
    assert job is not None and job.dialog.isVisible()
    with qtbot.waitSignal(job.done, timeout=REVIEW_TIMEOUT_MS) as said:
        button = job.dialog.findChild(QPushButton)
        assert button is not None and button.text() == "Cancel"
        button.click()
    assert said.args == ["Cancelled; nothing was written."]
    assert not out.exists() and not list(tmp_path.iterdir())


def test_a_corrupt_word_file_is_shown_as_an_error_and_nothing_is_written(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "draft_v2.docx"
    bad.write_bytes(b"PK\x03\x04 this is not a whole Word file")
    out = tmp_path / "redline.html"
    _answer(monkeypatch, [SAMPLE, bad], out, "")
    _run(qtbot, window, "compare_action")
    assert window.error_box is not None
    assert "draft_v2.docx" in window.error_box.text()
    assert window.error_box.informativeText()  # the next step
    assert "draft_v2.docx" in window.status_text.text()
    assert not out.exists()


def test_choosing_nothing_starts_nothing(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(monkeypatch, [], tmp_path / "never.html", "")
    window.compare_action.trigger()
    assert window.findChild(HandbackJob) is None
    window.export_docx_action.trigger()
    assert window.findChild(HandbackJob) is None
    assert "Open a document first" in window.status_text.text()


def _comments(path: Path) -> list[tuple[str, str]]:
    """(author, text) of each comment of a Word file."""
    document = docx.Document(io.BytesIO(path.read_bytes()))
    return [(c.author, c.text) for c in document.comments]


@pytest.fixture
def source(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> Path:
    """A copy of the sample Word draft, reviewed and shown in ``window``."""
    copy = tmp_path / "msa.docx"
    copy.write_bytes(SAMPLE_DOCX.read_bytes())
    review(qtbot, window, copy)
    return copy


def test_export_for_word_of_the_draft_shown_carries_findings_and_comments(
    qtbot: QtBot, window: MainWindow, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = window.workspace
    assert ws is not None
    row = ws.rows[0]
    ws.comment("Check this with the client.", row.id)
    ws.comment("Send back by Friday.")
    findings = len(ws.state.findings)
    assert findings > 0
    out = tmp_path / "out" / "msa.reviewed"
    _answer(monkeypatch, [], out, "")
    assert window.export_docx_action.text().replace("&", "") == "Export for Word…"
    _, said = _run(qtbot, window, "export_docx_action")
    written = out.with_name("msa.reviewed.docx")
    assert str(written) in said and "a copy of the draft" in said
    assert f"({findings} findings, 2 reviewer comments)" in said
    ours = [text for author, text in _comments(written) if author == AUTHOR]
    assert len(ours) == findings + 2
    assert "Reviewer's comment: Check this with the client." in ours
    assert "Reviewer's comment on the document: Send back by Friday." in ours
    theirs = [a for a, _ in _comments(written) if a != AUTHOR]
    assert len(theirs) == len(_comments(source))  # the draft's own comments kept
    assert source.read_bytes() == SAMPLE_DOCX.read_bytes()  # the original unchanged


def test_export_for_word_of_a_pdf_is_a_clean_word_file(
    qtbot: QtBot, reviewed: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = reviewed
    assert window.workspace is not None
    rejected = window.workspace.rows[0]
    window.workspace.reject(rejected.id)
    out = tmp_path / "msa.reviewed.docx"
    _answer(monkeypatch, [], out, "")
    _, said = _run(qtbot, window, "export_docx_action")
    assert "a clean Word file of the reviewed text" in said, said
    document = docx.Document(str(out))
    assert any("MASTER SERVICES AGREEMENT" in p.text for p in document.paragraphs)
    comments = _comments(out)
    assert comments and all(author == AUTHOR for author, _ in comments)
    findings = window.workspace.state.findings
    assert len(comments) == len(findings)


def test_the_original_cannot_be_the_word_copy(
    qtbot: QtBot, window: MainWindow, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(monkeypatch, [], source, "")
    _run(qtbot, window, "export_docx_action")
    assert window.error_box is not None and "msa.docx" in window.error_box.text()
    assert source.read_bytes() == SAMPLE_DOCX.read_bytes()


def test_the_status_line_counts_the_scans_misreadings_apart() -> None:
    from westfall_legal.gui.handback_actions import _counts

    data = {
        "counts": {"changed": 3, "added": 0, "removed": 0, "moved": 1, "ocr_ignored": 41},
        "risks": [{"change": "appeared"}],
        "facts": [],
    }
    assert _counts(data).endswith("; 41 OCR differences ignored (greyed in the redline)")
    data["counts"]["ocr_ignored"] = 0
    assert "OCR" not in _counts(data)
