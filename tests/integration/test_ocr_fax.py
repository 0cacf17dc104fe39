"""The scan cleanup against real Tesseract: a page of thin Courier sent as a 200 dpi fax.

EDGAR's text filings are set in a thin Courier. Sent as a fax (200 dpi, noise, a fixed
threshold, salt and pepper), each letter breaks into dots and dashes. Read bare, Tesseract
finds almost no text on such a page; the despeckle used to take the letters' pieces for
noise and paint them white (69% of the text differed on this page); now only the specks
with no ink near them go, and the page is smoothed before Tesseract reads it.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest
from PIL import Image

from tests.engines import needs_tesseract
from westfall_legal.ingest.images import image_frames, image_page_size
from westfall_legal.ingest.ocr import TesseractOcr

pytestmark = [
    pytest.mark.slow,
    needs_tesseract,
]

TEXT = """1.2 The Supplier shall deliver the Products to the facility named in each purchase \
order, at its own risk, within thirty (30) days after the order is confirmed in writing.
1.3 The Buyer may reject any Products that do not conform to the specifications by \
written notice given within ten (10) business days after delivery.
1.4 Each party shall keep confidential all information received from the other party \
under this Agreement and shall use it only to perform this Agreement.
1.5 This Agreement is governed by the laws of the State of Delaware, without regard to its \
conflict of laws rules."""


def _difference(read: str, truth: str) -> float:
    """The share of characters that differ (1 - difflib's similarity ratio)."""
    return (
        1.0 - difflib.SequenceMatcher(None, " ".join(read.split()), truth, autojunk=False).ratio()
    )


@pytest.fixture(scope="module")
def fax(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The page as a 1-bit 200 dpi PNG, and its text."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    assert (
        page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), TEXT, fontname="cour", fontsize=10) > 0
    )
    truth = " ".join(page.get_text("text").split())
    pix = page.get_pixmap(dpi=300, colorspace=pymupdf.csGRAY, alpha=False)
    grey = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
    doc.close()
    thin = cv2.dilate(grey, np.ones((2, 2), np.uint8))  # EDGAR's Courier: 1-2 px strokes
    rng = np.random.default_rng(4)
    h, w = thin.shape
    small = np.asarray(
        cv2.resize(thin, (w * 2 // 3, h * 2 // 3), interpolation=cv2.INTER_AREA), np.float32
    )
    noisy = small + rng.normal(0, 18, small.shape).astype(np.float32)
    bitonal = np.where(noisy < 135, 0, 255).astype(np.uint8)
    speckle = rng.random(small.shape)
    bitonal[speckle < 0.00175] = 0
    bitonal[speckle > 1 - 0.00175] = 255
    path = tmp_path_factory.mktemp("fax") / "fax.png"
    Image.fromarray(bitonal).convert("1", dither=Image.Dither.NONE).save(path, dpi=(200, 200))
    return path, truth


def test_a_fax_of_thin_courier_reads_once_cleaned_up(fax: tuple[Path, str]) -> None:
    path, truth = fax
    size = image_page_size(image_frames(path)[0])
    bare = TesseractOcr(cleanup=False).recognise(path, 1, *size, None)
    cleaned = TesseractOcr().recognise(path, 1, *size, None)
    before = _difference(" ".join(w.text for w in bare.words), truth)
    after = _difference(" ".join(w.text for w in cleaned.words), truth)
    assert before > 0.3, f"the bare reading should fail on this fax ({before:.1%} differs)"
    assert after < 0.15, f"{after:.1%} of the cleaned-up reading differs"
