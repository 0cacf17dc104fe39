"""The workspace end to end: open, review in the background, draw, navigate, fail, cancel."""

from __future__ import annotations

import time
from pathlib import Path

import pymupdf
import pytest
from gui_helpers import REVIEW_TIMEOUT_MS, REVIEWER, SAMPLE, review
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from westfall_legal.gui.main_window import MainWindow
from westfall_legal.gui.page_items import ClauseHighlight
from westfall_legal.gui.signals import emit
from westfall_legal.ingest.pdf import render_page_grey
from westfall_legal.progress import ProgressEvent
from westfall_legal.settings import Settings
from westfall_legal.store import Store


def test_the_event_loop_keeps_running_during_the_review(qtbot: QtBot, window: MainWindow) -> None:
    ticks: list[float] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    review(qtbot, window, SAMPLE)
    took = time.perf_counter() - started
    timer.stop()
    assert window.workspace is not None
    during = [t for t in ticks if t <= started + took]
    gaps = [b - a for a, b in zip([started, *during], during, strict=False)]
    # The timer fired all along: never starved for long, many times over the review.
    assert len(during) >= max(5, int(took / 0.010 * 0.25)), (len(during), took)
    assert max(gaps) < 0.5, max(gaps)


def test_every_clause_is_drawn_on_its_words(reviewed: MainWindow) -> None:
    ws = reviewed.workspace
    assert ws is not None
    view = reviewed.view
    assert view.pages == len(ws.review.document.pages) == 19
    assert reviewed.thumbs.count() == 19
    items = [i for i in view.scene().items() if isinstance(i, ClauseHighlight)]
    assert {i.clause_id for i in items} == {r.id for r in ws.rows}
    assert len(ws.rows) == len(reviewed.clauses.model.rows) > 20
    for row in ws.rows:  # each highlight covers its clause's first word, on its page
        boxes = ws.boxes(row.char_start, row.char_end)
        first_page = min(boxes)
        first_word = view.scene_rect(first_page, boxes[first_page][0])
        drawn = view.highlight_items(row.id)
        assert any(h.sceneBoundingRect().contains(first_word.center()) for h in drawn), row.ref
    # the findings are marked in the margin, one per finding that rests on text
    assert len(view.layer_items("markers")) >= 5


def test_selecting_a_row_scrolls_to_the_clause_and_flashes_it(
    qtbot: QtBot, reviewed: MainWindow
) -> None:
    ws = reviewed.workspace
    assert ws is not None
    far = max(ws.rows, key=lambda r: r.page)  # far down the document, out of view at first
    view = reviewed.view
    highlight = view.highlight_items(far.id)[0]
    seen = view.mapToScene(view.viewport().rect()).boundingRect()
    assert not seen.intersects(highlight.sceneBoundingRect())
    reviewed.clauses.table.setFocus()
    reviewed.clauses.select(far.id)
    seen = view.mapToScene(view.viewport().rect()).boundingRect()
    assert seen.intersects(highlight.sceneBoundingRect())
    assert view.flashed == far.id
    qtbot.waitUntil(lambda: not view._flash_timer.isActive(), timeout=3000)
    assert highlight.opacity() == 1.0
    assert far.category in reviewed.detail.title.text()
    qtbot.waitUntil(lambda: far.page in view.rendered_pages(), timeout=10_000)
    assert reviewed.thumbs.currentRow() + 1 == view.current_page


def test_clicking_a_highlight_selects_its_clause(reviewed: MainWindow) -> None:
    ws = reviewed.workspace
    assert ws is not None
    row = ws.rows[5]
    reviewed.clauses.select(row.id)
    item = reviewed.view.highlight_items(row.id)[0]
    reviewed.clauses.select(ws.rows[0].id, notify=False)
    point = reviewed.view.mapFromScene(item.sceneBoundingRect().center())
    reviewed.view.click_at(point)
    assert reviewed.clauses.current_id() in {
        r.id for r in ws.clauses_at(row.char_start, row.char_end)
    }


def test_filters_hide_rows_and_a_jump_clears_them(reviewed: MainWindow) -> None:
    panel = reviewed.clauses
    total = panel.proxy.rowCount()
    panel.risk.setCurrentIndex(1)  # any finding
    risky = panel.visible_ids()
    assert 0 < len(risky) < total
    ws = reviewed.workspace
    assert ws is not None
    assert all(ws.row(i) and ws.row(i).risk for i in risky)  # type: ignore[union-attr]
    plain = next(r for r in ws.rows if not r.risk)
    assert panel.select(plain.id)
    assert panel.current_id() == plain.id and panel.proxy.rowCount() == total
    panel.confidence.setValue(90)
    assert all((ws.row(i).confidence or 0) >= 0.9 for i in panel.visible_ids())  # type: ignore[union-attr]


def test_zoom_and_fit_width(reviewed: MainWindow) -> None:
    view = reviewed.view
    fit = view.zoom
    view.zoom_in()
    assert view.zoom == pytest.approx(fit * 1.25)
    view.fit_width()
    assert view.zoom == pytest.approx(fit)
    page = view.scene_rect(1, (0, 0, 612, 792))
    assert view.mapFromScene(page).boundingRect().width() <= view.viewport().width()


def test_find_in_document_goes_from_hit_to_hit(reviewed: MainWindow) -> None:
    reviewed.find_box.setText("governing   law")
    reviewed.corrector.find_next()
    hits = reviewed.corrector.hits
    assert len(hits) >= 1
    assert reviewed.view.layer_items("search")
    assert "1 of" in reviewed.status_text.text()


def test_summary_tab_lists_findings_and_a_citation_goes_to_the_clause(
    reviewed: MainWindow,
) -> None:
    summary = reviewed.summary
    assert "Service" in summary.contract.text()
    groups = [
        summary.findings.topLevelItem(i).text(0)
        for i in range(summary.findings.topLevelItemCount())
    ]  # type: ignore[union-attr]
    assert groups[0].startswith("High")
    high = summary.findings.topLevelItem(0).child(0)  # type: ignore[union-attr]
    citation = next(
        high.child(i)
        for i in range(high.childCount())
        if (high.child(i).data(0, Qt.ItemDataRole.UserRole) or ("",))[0] == "clause"
    )
    ref = citation.data(0, Qt.ItemDataRole.UserRole)[1]
    assert citation.text(0) == "→ §12 Uncapped Liability"  # named, not "[k40]"
    emit(summary.findings.itemClicked, citation, 0)
    ws = reviewed.workspace
    assert ws is not None
    row = ws.row(ref)
    assert row is not None
    assert reviewed.clauses.current_id() == row.id
    assert reviewed.view.flashed == row.id
    assert summary.facts.rowCount() >= 5
    assert summary.sentences.count() >= 3
    emit(summary.facts.itemClicked, summary.facts.item(0, 1))
    assert reviewed.view.layer_items("jump")


def test_a_file_that_is_not_a_pdf_gives_the_error_and_the_window_stays_usable(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    fake = tmp_path / "contract.pdf"
    fake.write_text("This is a letter, saved with the wrong name.\n")
    review(qtbot, window, fake)
    assert window.error_box is None  # said over the pages; nothing modal
    text = window.banner.text()
    assert "not a PDF" in text and "export it as PDF" in text
    assert window.workspace is None
    review(qtbot, window, SAMPLE)
    assert window.workspace is not None and window.workspace.rows


def test_cancel_stops_the_review_and_stores_nothing(
    qtbot: QtBot, window: MainWindow, store: Store, tmp_path: Path
) -> None:
    scan = _scan(tmp_path / "scan.tiff", pages=3)
    window.settings = window.settings.replace(ocr_workers=1)  # one page at a time
    window.open_file(scan)
    task = window.task
    assert task is not None and window.cancel_button.isVisible()
    read: list[int] = []
    task.on_progress(lambda event: read.append(event.done))
    with qtbot.waitSignal(window.reviewFinished, timeout=REVIEW_TIMEOUT_MS):
        qtbot.waitUntil(lambda: bool(read), timeout=REVIEW_TIMEOUT_MS)  # page 1 is read
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    assert task.done and not window.cancel_button.isVisible()
    assert max(read) < 3  # stopped before the last page
    assert window.workspace is None
    assert "cancelled" in window.status_text.text()
    assert all(m.documents == 0 for m in store.matters.list())


@pytest.mark.slow
def test_a_scan_is_drawn_on_its_ocr_words(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    scan = _scan(tmp_path / "page1.png", pages=1)
    review(qtbot, window, scan)
    ws = window.workspace
    assert ws is not None, window.status_text.text()
    assert ws.review.document.pages[0].source == "ocr"
    assert window.view.pages == 1 and ws.rows
    page = ws.review.document.pages[0]
    for item in window.view.highlight_items():
        rect = item.sceneBoundingRect()
        assert rect.left() >= 0 and rect.right() <= page.width + 2
    doubtful = ws.low_confidence(window.settings.review_threshold)
    assert len(window.view.layer_items("ocr-doubt")) == sum(len(b) for b in doubtful.values())
    qtbot.waitUntil(lambda: window.view.rendered_pages() == [1], timeout=20_000)


def _scan(path: Path, pages: int) -> Path:
    """The sample's first pages as a picture with no text layer (300 dpi, greyscale)."""
    frames = []
    for number in range(1, pages + 1):
        samples, width, height = render_page_grey(SAMPLE, number, 300)
        frames.append(Image.frombytes("L", (width, height), samples))
    frames[0].save(path, dpi=(300, 300), save_all=pages > 1, append_images=frames[1:])
    return path


def test_a_dropped_file_is_reviewed(qtbot: QtBot, window: MainWindow) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(SAMPLE))])
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.reviewFinished, timeout=REVIEW_TIMEOUT_MS):
        window.dropEvent(drop)
    assert window.workspace is not None
    assert window.workspace.review.document.path == SAMPLE


def test_a_protected_pdf_asks_for_its_password(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    locked = tmp_path / "locked.pdf"
    with pymupdf.open(SAMPLE) as doc:
        doc.save(locked, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="s3cret", owner_pw="o")
    review(qtbot, window, locked)
    asking = window.findChildren(QInputDialog)
    assert asking and window.workspace is None
    with qtbot.waitSignal(window.reviewFinished, timeout=REVIEW_TIMEOUT_MS):
        asking[-1].setTextValue("s3cret")
        asking[-1].accept()
    assert window.workspace is not None and window.view.pages == 19
    qtbot.waitUntil(lambda: bool(window.view.rendered_pages()), timeout=10_000)


def test_the_models_sentences_show_as_they_are_written(window: MainWindow) -> None:
    window.model_summary.progress(ProgressEvent("summary", 1, 8, "Fees are fixed for three years."))
    assert window.summary.sentences.item(0).text().startswith("Fees are fixed for three years.")
    assert "summary" in window.status_text.text()


@pytest.mark.llm
def test_the_review_shows_before_the_model_writes_its_summary(
    qtbot: QtBot, store: Store, active_llm: Path
) -> None:
    window = MainWindow(Settings(use_llm=True, summary_sections=2))
    qtbot.addWidget(window)
    window.show()
    window.set_store(store, REVIEWER)
    review(qtbot, window, SAMPLE)
    assert window.workspace is not None  # shown: the model has not written a word yet
    task = window.summary_task
    assert task is not None
    qtbot.waitUntil(lambda: not task.running, timeout=120_000)
    status = window.status_text.text()
    assert status.startswith("Summary written: "), status
    written = int(status.split(": ")[1].split()[0])
    assert 1 <= written <= 2 and window.summary.sentences.count() > written


def test_a_bug_opens_the_crash_dialog_and_saves_a_report(
    window: MainWindow, app_home: Path
) -> None:
    try:
        raise RuntimeError("the Supplier shall pay")
    except RuntimeError as exc:
        window.show_error(exc)
    box = window.error_box
    assert isinstance(box, QMessageBox) and box.icon() == QMessageBox.Icon.Critical
    reports = list((app_home / "crash-reports").glob("crash-*.txt"))
    assert len(reports) == 1 and "Supplier" not in reports[0].read_text()
    assert str(reports[0]) in box.informativeText()
