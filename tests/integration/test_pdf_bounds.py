"""Hostile numbers in a PDF cost no more than ordinary ones (found by
tests/integration/test_pdf_fuzz.py): a /Rotate of 2147483647 is read in one step."""

from __future__ import annotations

import time
from pathlib import Path

import pymupdf
import pytest

from westfall_legal.ingest import pdf


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
