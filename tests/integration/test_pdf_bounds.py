# mypy: disallow-untyped-calls=False
"""Hostile numbers in a PDF cost no more than ordinary ones: a /Rotate of 2147483647 is
read in one step (found by tests/integration/test_pdf_fuzz.py), and a page too large to
render at the resolution asked is refused before it is rendered."""

from __future__ import annotations

import time
from pathlib import Path

import pymupdf
import pytest

from westfall_legal.errors import ExitCode, ImageTooLargeError
from westfall_legal.ingest import pdf
from westfall_legal.ingest.document import load_document
from westfall_legal.ingest.images import MAX_IMAGE_PIXELS
from westfall_legal.models import Page


def _page_pdf(path: Path, rotate: str) -> Path:
    """One A4 page of text whose /Rotate is ``rotate``: the fuzz's minimal failing input."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 100), "1. Term. This Agreement continues for three years.")
    doc.xref_set_key(page.xref, "Rotate", rotate)
    doc.save(path)
    doc.close()
    return path


def _on_page(page: pdf.RawPage) -> bool:
    return bool(page.words) and all(
        -1 <= x0 <= x1 <= page.width + 1 and -1 <= y0 <= y1 <= page.height + 1
        for x0, y0, x1, y1 in (w.box for w in page.words)
    )


def test_a_huge_rotate_costs_no_more_than_an_upright_page(tmp_path: Path) -> None:
    path = _page_pdf(tmp_path / "rotate.pdf", "2147483647")
    start = time.process_time()
    (page,) = pdf.read_pages(path)
    pdf.render_page_rgb(path, 1, 0.05)
    spent = time.process_time() - start
    assert spent < 0.15, f"{spent:.2f} s of CPU"  # was 0.7-1.4 s: 0.2-0.3 s a rotation asked
    assert (page.width, page.height) == (842, 595)  # 2147483647 % 360 = 127: turned 90
    assert _on_page(page)


@pytest.mark.parametrize(
    ("rotate", "displayed"),
    [
        ("0", (595, 842)),
        ("90", (842, 595)),
        ("-90", (842, 595)),
        ("450", (842, 595)),
        ("180", (595, 842)),
        ("45", (842, 595)),  # MuPDF turns the page to the nearest quarter turn
        ("2147483610", (842, 595)),  # 90 modulo 360
        ("-2147483648", (842, 595)),  # 232 modulo 360: 270
    ],
)
def test_any_rotate_reads_the_page_as_displayed_with_its_words_on_it(
    tmp_path: Path, rotate: str, displayed: tuple[int, int]
) -> None:
    (page,) = pdf.read_pages(_page_pdf(tmp_path / "rotate.pdf", rotate))
    assert (page.width, page.height) == displayed and _on_page(page)


def _large_page_pdf(path: Path, side: float) -> Path:
    """A page of text, then a "scan" ``side`` points square (3,000: 41.7 inches): a tiny
    grey picture over all of it, which the reader sends to OCR."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 100), "1. Term. This Agreement continues for three years.")
    scan = doc.new_page(width=side, height=side)
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 8, 8), False)
    pix.set_rect(pix.irect, (200,))
    scan.insert_image(scan.rect, pixmap=pix)
    doc.save(path)
    doc.close()
    return path


def test_a_page_too_large_to_render_is_refused_before_rendering(tmp_path: Path) -> None:
    path = _large_page_pdf(tmp_path / "large.pdf", 3000)  # 12,500 pixels square at 300 dpi
    with pytest.raises(ImageTooLargeError) as caught:
        pdf.render_page_grey(path, 2, 300)  # was 156 million pixels, twice over in memory
    error = caught.value
    assert "page 2 is too large to render (12,500 x 12,500 pixels)" in error.message
    assert f"{MAX_IMAGE_PIXELS:,} pixels" in error.message and str(path) in error.message
    assert "42 x 42 inches" in error.hint and error.exit_code == ExitCode.BAD_INPUT
    samples, width, height = pdf.render_page_grey(path, 2, 72)  # under the limit: rendered
    assert (width, height) == (3000, 3000) and len(samples) == width * height
    assert pdf.render_page_rgb(path, 2, 0.5)[1:] == (1500, 1500)  # the GUI's view of it


class _RenderingOcr:
    """Renders each page as Tesseract would, at 300 dpi; reads nothing."""

    def recognise(
        self, path: Path, number: int, width: float, height: float, password: str | None
    ) -> Page:
        pdf.render_page_grey(path, number, 300, password)
        return Page(number, width, height, (), "ocr", 0.0)


def test_a_page_too_large_for_ocr_is_lost_alone(tmp_path: Path) -> None:
    document = load_document(_large_page_pdf(tmp_path / "large.pdf", 3000), ocr=_RenderingOcr())
    first, large = document.pages
    assert first.words and first.error is None
    assert large.error and "too large to render" in large.error
