"""load_document on generated documents: mixed PDFs, failing and cancelled OCR, streaming
progress, rotated pages and untagged images.

The orchestration tests use a fake OCR engine (fast, deterministic, fault-injectable); the
ones marked ``needs_tesseract`` run the real Tesseract and skip without it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from fakes.ocr import FakeOcr, NoWorkersOcr, ProcessFakeOcr
from PIL import Image

from tests.engines import needs_tesseract
from westfall_legal.errors import (
    Cancelled,
    CorruptDocumentError,
    KnownError,
    MissingDependencyError,
    NoTextError,
)
from westfall_legal.ingest import pdf
from westfall_legal.ingest.document import load_document
from westfall_legal.models import Box, Page
from westfall_legal.progress import CancelToken, ProgressEvent

WIDTH, HEIGHT = 612.0, 792.0
TEXT = (
    "1. Term. This Agreement between Northwind Holdings LLC and Brightline Consulting Inc. "
    "commences on the Effective Date and continues for thirty-six (36) months.\n\n"
    "2. Fees. Client shall pay the fees within forty-five (45) days after receipt of a "
    "correct invoice. Late payments bear interest at one percent per month."
)


def _text_page(doc: pymupdf.Document, text: str = TEXT) -> None:
    page = doc.new_page(width=WIDTH, height=HEIGHT)
    assert page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), text, fontsize=12) > 0


def _scan_of(text: str = TEXT) -> pymupdf.Pixmap:
    doc = pymupdf.open()
    _text_page(doc, text)
    pix = doc[0].get_pixmap(dpi=300, colorspace=pymupdf.csGRAY, alpha=False)
    doc.close()
    return pix


def _scan_page(doc: pymupdf.Document, pix: pymupdf.Pixmap) -> None:
    """A page that is only a picture of text, as a scanner makes it."""
    page = doc.new_page(width=WIDTH, height=HEIGHT)
    page.insert_image(page.rect, pixmap=pix)


def _pdf(path: Path, kinds: Sequence[str]) -> Path:
    """A PDF whose pages are ``"text"`` (text layer) or ``"scan"`` (image only)."""
    doc = pymupdf.open()
    pix = _scan_of()
    for kind in kinds:
        if kind == "text":
            _text_page(doc)
        else:
            _scan_page(doc, pix)
    doc.save(path)
    doc.close()
    return path


# --- orchestration, with the fake engine ---------------------------------------------------


def test_progress_has_one_event_per_page_and_sources_are_recorded(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "mixed.pdf", ["text", "scan", "text", "scan"])
    events: list[ProgressEvent] = []
    seen: list[int] = []
    fake = FakeOcr()

    def on_page(page: Page) -> None:
        seen.append(page.number)

    doc = load_document(path, ocr=fake, workers=2, progress=events.append, on_page=on_page)
    assert [p.source for p in doc.pages] == ["text-layer", "ocr", "text-layer", "ocr"]
    assert sorted(fake.started) == [2, 4]
    assert [(e.stage, e.done, e.total) for e in events] == [("ingest", n, 4) for n in (1, 2, 3, 4)]
    assert sorted(e.message for e in events) == [f"page {n}" for n in (1, 2, 3, 4)]
    assert sorted(seen) == [1, 2, 3, 4]
    assert all(p.error is None for p in doc.pages)


def test_pages_stream_before_the_last_page_is_read(tmp_path: Path) -> None:
    """The last page's OCR only goes on once page 1 has been handed on: if load_document
    held results back until every page was read, the gate would time out."""
    path = _pdf(tmp_path / "scan.pdf", ["scan", "scan", "scan"])
    page_one_reported = threading.Event()
    fake = FakeOcr(gate={3: page_one_reported})

    def on_page(page: Page) -> None:
        if page.number == 1:
            page_one_reported.set()

    doc = load_document(path, ocr=fake, workers=2, on_page=on_page)
    assert fake.gate_opened == {3: True}
    assert [p.number for p in doc.pages] == [1, 2, 3]


@pytest.mark.parametrize(
    "failure",
    [
        CorruptDocumentError("x.pdf: OCR failed on page 2 (Tesseract exited with status -11)."),
        CorruptDocumentError("x.pdf: OCR failed on page 2 (Tesseract took longer than 120 s)."),
        OSError(28, "No space left on device"),
    ],
    ids=["crash", "timeout", "disk-full"],
)
def test_a_failed_page_is_marked_and_the_rest_are_read(tmp_path: Path, failure: Exception) -> None:
    path = _pdf(tmp_path / "scan.pdf", ["scan", "scan", "scan"])
    events: list[ProgressEvent] = []
    doc = load_document(path, ocr=FakeOcr(fail={2: failure}), workers=2, progress=events.append)
    first, second, third = doc.pages
    assert second.source == "ocr" and second.words == () and second.ocr_confidence is None
    assert second.error is not None
    if isinstance(failure, KnownError):
        assert second.error == failure.message
    else:
        assert "No space left on device" in second.error
    for page in (first, third):
        assert page.error is None
        assert [w.text for w in page.words] == [f"word{page.number}"]
    assert [e.done for e in events] == [1, 2, 3]


def test_a_document_whose_every_page_fails_says_why(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", ["scan", "scan"])
    crash = CorruptDocumentError(
        "scan.pdf: OCR failed on page 1 (Tesseract exited with status -11)."
    )
    fake = FakeOcr(fail={1: crash, 2: crash})
    with pytest.raises(NoTextError) as caught:
        load_document(path, ocr=fake, workers=2)
    assert "OCR failed on 2 of them" in caught.value.message
    assert "status -11" in caught.value.message


def test_a_bug_in_the_engine_is_not_hidden_as_a_failed_page(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", ["scan", "scan"])
    with pytest.raises(ZeroDivisionError):
        load_document(path, ocr=FakeOcr(fail={2: ZeroDivisionError("bug")}), workers=2)


PAGE_S = 0.4  # the fake engine's time per page


def test_cancel_from_the_progress_callback_stops_within_a_page(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", ["scan"] * 10)
    cancel = CancelToken()
    fake = FakeOcr(delay_s=PAGE_S)
    cancelled_at: list[float] = []

    def progress(event: ProgressEvent) -> None:
        if not cancelled_at:  # after the first OCR page
            cancelled_at.append(time.perf_counter())
            cancel.cancel()

    with pytest.raises(Cancelled):
        load_document(path, ocr=fake, workers=2, progress=progress, cancel=cancel)
    stopped_after = time.perf_counter() - cancelled_at[0]
    # At most the pages already running finish (one per worker, at most one page's time).
    assert stopped_after < PAGE_S * 1.5 + 0.2
    assert len(fake.started) <= 4


def test_cancel_from_another_thread_while_a_page_is_read(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", ["scan"] * 10)
    cancel = CancelToken()
    fake = FakeOcr(delay_s=PAGE_S)
    timer = threading.Timer(PAGE_S * 1.5, cancel.cancel)
    start = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(Cancelled):
            load_document(path, ocr=fake, workers=2, cancel=cancel)
    finally:
        timer.cancel()
    assert time.perf_counter() - start < PAGE_S * 1.5 + PAGE_S + 0.3
    assert len(fake.started) <= 6


# --- pages in worker processes ---------------------------------------------------------------


def test_a_process_safe_engine_reads_pages_in_worker_processes(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", ["scan", "text", "scan", "scan", "scan"])
    fake = ProcessFakeOcr(tmp_path)
    events: list[ProgressEvent] = []
    doc = load_document(path, ocr=fake, workers=2, progress=events.append)
    assert fake.prepared == 1  # in this process, once, before the workers start
    ocr_pages = [p for p in doc.pages if p.source == "ocr"]
    assert [p.number for p in ocr_pages] == [1, 3, 4, 5]
    assert [p.words[0].text for p in ocr_pages] == ["word1", "word3", "word4", "word5"]
    pids = {p.words[1].text for p in ocr_pages}
    assert f"pid{os.getpid()}" not in pids and 1 <= len(pids) <= 2
    assert [e.done for e in events] == [1, 2, 3, 4, 5]


def test_errors_come_back_from_worker_processes_whole(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", ["scan", "scan", "scan"])
    crash = CorruptDocumentError("scan.pdf: OCR failed on page 2 (status -11).", hint="Re-scan.")
    doc = load_document(path, ocr=ProcessFakeOcr(tmp_path, {2: crash}), workers=2)
    assert [p.error for p in doc.pages] == [None, crash.message, None]
    missing = MissingDependencyError("scan.pdf: Tesseract OCR is not installed.", hint="apt")
    with pytest.raises(MissingDependencyError) as caught:
        load_document(path, ocr=ProcessFakeOcr(tmp_path, {3: missing}), workers=2)
    assert caught.value.user_line() == missing.user_line()


def test_a_page_that_kills_its_worker_fails_alone(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", ["scan"] * 5)
    fake = ProcessFakeOcr(tmp_path, {3: "exit"})  # pages 1 and 2 are read before it starts
    doc = load_document(path, ocr=fake, workers=2)
    third = doc.pages[2]
    assert third.words == () and third.error is not None
    assert "worker process stopped" in third.error
    assert fake.starts(3) == 2  # read again in a new pool before it was given up
    for page in doc.pages[:2] + doc.pages[3:]:
        assert page.error is None and page.words[0].text == f"word{page.number}"
        assert page.words[1].text != f"pid{os.getpid()}"  # still in worker processes


def test_when_no_worker_process_can_read_the_pages_are_read_in_threads(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _pdf(tmp_path / "scan.pdf", ["scan"] * 3)
    doc = load_document(path, ocr=NoWorkersOcr(tmp_path), workers=2)
    assert [p.error for p in doc.pages] == [None, None, None]
    assert {p.words[1].text for p in doc.pages} == {f"pid{os.getpid()}"}
    assert "reading in threads" in caplog.text


def test_cancel_stops_worker_processes_within_a_page(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", ["scan"] * 10)
    cancel = CancelToken()
    fake = ProcessFakeOcr(tmp_path, delay_s=PAGE_S)
    cancelled_at: list[float] = []

    def progress(event: ProgressEvent) -> None:
        if not cancelled_at:
            cancelled_at.append(time.perf_counter())
            cancel.cancel()

    with pytest.raises(Cancelled):
        load_document(path, ocr=fake, workers=2, progress=progress, cancel=cancel)
    assert time.perf_counter() - cancelled_at[0] < PAGE_S * 1.5 + 0.3
    assert sum(fake.starts(n) for n in range(1, 11)) <= 4


@needs_tesseract
@pytest.mark.slow
def test_tesseract_reads_scanned_pages_in_worker_processes(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", ["scan", "scan"])
    doc = load_document(path, workers=2)
    truth = _born_digital_boxes()
    for page in doc.pages:
        assert page.source == "ocr" and page.error is None
        (northwind,) = [w for w in page.words if w.text == "Northwind"]
        assert _centre(northwind.box) == pytest.approx(_centre(truth["Northwind"]), abs=3.0)


# --- text-layer boxes on rotated pages ------------------------------------------------------


def _ink(samples: bytes, width: int, height: int) -> np.ndarray:
    return np.frombuffer(samples, np.uint8).reshape(height, width) < 128


def _contains(outer: Box, inner: Box, slack: float) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_text_layer_boxes_are_on_the_page_as_displayed(tmp_path: Path, rotation: int) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=WIDTH, height=HEIGHT)
    page.insert_text((72, 100), "Northwind Holdings", fontsize=12)
    page.insert_text((300, 700), "Brightline Consulting", fontsize=12)
    page.set_rotation(rotation)
    path = tmp_path / f"rotated{rotation}.pdf"
    doc.save(path)
    doc.close()

    (raw,) = pdf.read_pages(path)
    displayed = (WIDTH, HEIGHT) if rotation in (0, 180) else (HEIGHT, WIDTH)
    assert (raw.width, raw.height) == displayed
    words = {w.text: w.box for w in raw.words}
    # Where the unrotated point (x, y) is shown, for each /Rotate (clockwise quarter turns).
    shown = {
        0: lambda x, y: (x, y),
        90: lambda x, y: (HEIGHT - y, x),
        180: lambda x, y: (WIDTH - x, HEIGHT - y),
        270: lambda x, y: (y, WIDTH - x),
    }[rotation]
    sx, sy = shown(72.0, 100.0)  # the start of "Northwind" on its baseline, on its box's edge
    x0, y0, x1, y1 = words["Northwind"]
    assert x0 - 0.5 <= sx <= x1 + 0.5 and y0 - 0.5 <= sy <= y1 + 0.5
    assert min(abs(sx - x0), abs(sx - x1), abs(sy - y0), abs(sy - y1)) < 0.5

    # Every word box has ink under it on the page as rendered, and all ink is in a box.
    dpi = 144
    samples, w_px, h_px = pdf.render_page_grey(path, 1, dpi)
    ink = _ink(samples, w_px, h_px)
    s = dpi / 72.0
    for text, box in words.items():
        region = ink[int(box[1] * s) : int(box[3] * s) + 1, int(box[0] * s) : int(box[2] * s) + 1]
        assert region.sum() > 20, text
    ys, xs = np.nonzero(ink)
    for y, x in zip(ys[::50], xs[::50], strict=True):
        point = (x / s, y / s, (x + 1) / s, (y + 1) / s)
        assert any(_contains(box, point, 1.0) for box in words.values())


# --- images without a resolution tag ---------------------------------------------------------


def _untagged_png(path: Path) -> Path:
    pix = _scan_of()
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    assert image.size == (2550, 3300)
    image.save(path)  # no dpi: PyMuPDF alone would take it as 96 dpi, a 1912 x 2475 pt page
    with Image.open(path) as saved:
        assert "dpi" not in saved.info
    return path


def test_an_untagged_scan_is_read_at_its_own_pixels(tmp_path: Path) -> None:
    path = _untagged_png(tmp_path / "scan.png")
    (raw,) = pdf.read_pages(path)
    assert (raw.width, raw.height, raw.words) == (WIDTH, HEIGHT, ())
    _, w_px, h_px = pdf.render_page_grey(path, 1, 300)
    assert (w_px, h_px) == (2550, 3300)  # not upsampled 3x to 7650 x 9900
    fake = FakeOcr()
    doc = load_document(path, ocr=fake)
    assert [(p.width, p.height, p.source) for p in doc.pages] == [(WIDTH, HEIGHT, "ocr")]


def test_an_untagged_multi_page_tiff(tmp_path: Path) -> None:
    letter = Image.new("L", (2550, 3300), 255)
    a5_at_200 = Image.new("L", (1166, 1654), 255)
    path = tmp_path / "pages.tiff"
    letter.save(path, save_all=True, append_images=[a5_at_200])
    sizes = [(r.width, r.height) for r in pdf.read_pages(path)]
    assert sizes == [(WIDTH, HEIGHT), pytest.approx((1166 * 72 / 200, 1654 * 72 / 200))]
    assert pdf.render_page_grey(path, 2, 300)[1:] == (1749, 2481)


# --- the real Tesseract -----------------------------------------------------------------------


def _born_digital_boxes() -> dict[str, Box]:
    doc = pymupdf.open()
    _text_page(doc)
    boxes = {str(w[4]): tuple(w[:4]) for w in doc[0].get_text("words")}
    doc.close()
    return boxes  # type: ignore[return-value]


def _centre(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


@needs_tesseract
@pytest.mark.slow
def test_mixed_pdf_ocrs_only_its_scanned_page(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "mixed.pdf", ["text", "scan", "text"])
    events: list[ProgressEvent] = []
    doc = load_document(path, workers=2, progress=events.append)
    assert [p.source for p in doc.pages] == ["text-layer", "ocr", "text-layer"]
    assert [e.done for e in events] == [1, 2, 3]
    scanned = doc.pages[1]
    assert scanned.error is None
    assert scanned.ocr_confidence is not None and scanned.ocr_confidence > 80
    texts = {w.text for w in scanned.words}
    assert {"Northwind", "Brightline", "invoice."} <= texts
    truth = _born_digital_boxes()
    (northwind,) = [w for w in scanned.words if w.text == "Northwind"]
    assert _centre(northwind.box) == pytest.approx(_centre(truth["Northwind"]), abs=3.0)
    assert [w.text for w in doc.pages[0].words] == [w.text for w in doc.pages[2].words]


@needs_tesseract
@pytest.mark.slow
def test_an_untagged_png_scan_is_ocred_onto_letter_pages(tmp_path: Path) -> None:
    path = _untagged_png(tmp_path / "scan.png")
    (page,) = load_document(path).pages
    assert (page.width, page.height, page.source, page.error) == (WIDTH, HEIGHT, "ocr", None)
    truth = _born_digital_boxes()
    for wanted in ("Northwind", "Brightline", "invoice."):
        (word,) = [w for w in page.words if w.text == wanted]
        assert _centre(word.box) == pytest.approx(_centre(truth[wanted]), abs=3.0), wanted


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize("angle", [90, 270])
def test_a_page_scanned_sideways_either_way_is_read_upright(tmp_path: Path, angle: int) -> None:
    """Turned clockwise, Tesseract alone reads the page as vertical text with high
    confidence; the words come out taller than wide, so OSD is asked and the page turned."""
    pix = _scan_of()
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples).rotate(angle, expand=True)
    path = tmp_path / f"sideways{angle}.png"
    image.save(path, dpi=(300, 300))
    (page,) = load_document(path).pages
    assert (page.width, page.height) == (HEIGHT, WIDTH)
    truth = _born_digital_boxes()
    cx, cy = _centre(truth["Northwind"])
    expected = (cy, WIDTH - cx) if angle == 90 else (HEIGHT - cy, cx)
    (word,) = [w for w in page.words if w.text == "Northwind"]
    assert _centre(word.box) == pytest.approx(expected, abs=3.0)
    assert page.ocr_confidence is not None and page.ocr_confidence > 80


def test_image_coverage_is_measured_only_where_it_decides(tmp_path: Path) -> None:
    doc = pymupdf.open()
    _scan_page(doc, _scan_of())  # a picture, no words: coverage decides
    page = doc.new_page(width=WIDTH, height=HEIGHT)  # a picture under a good text layer
    page.insert_image(page.rect, pixmap=_scan_of())
    assert page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), TEXT, fontsize=12) > 0
    path = tmp_path / "two.pdf"
    doc.save(path)
    doc.close()
    assert [r.image_coverage for r in pdf.read_pages(path)] == [1.0, 1.0]
    lazy = list(pdf.read_pages(path, coverage_below_words=8))
    assert [r.image_coverage for r in lazy] == [1.0, None]
    fake = FakeOcr()
    loaded = load_document(path, ocr=fake)
    assert [p.source for p in loaded.pages] == ["ocr", "text-layer"]
    assert fake.started == [1]
