"""The scan cleanup against real Tesseract: a phone photo of a typeset contract page.

The page is typeset with PyMuPDF and rasterised at 300 dpi, then photographed here: lit from
one side (the paper falls to 16% brightness), grey ink on grey paper, on a dark desk, at an
angle (a homography). Read bare, Tesseract's global threshold loses the dark side; read by
the app, the page is found, unwarped and evened out, and the text comes back, each word's
box where the photo shows that word.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pymupdf
import pytest
from PIL import Image

from tests.engines import needs_tesseract
from westfall_legal.ingest.images import image_frames, image_page_size
from westfall_legal.ingest.ocr import TesseractOcr
from westfall_legal.models import Page

pytestmark = [
    pytest.mark.slow,
    needs_tesseract,
]

DPI = 300
TEXT = """SUPPLY AGREEMENT

This Supply Agreement is made on June 12, 2023 between Harrowgate Components Ltd., an \
Ohio corporation ("Supplier"), and Mistral Valley Foods Inc. ("Buyer").

1. Orders. Buyer may order Products by written purchase order. Supplier shall confirm or \
reject each order within five (5) business days after receipt.

2. Delivery. Supplier shall deliver the Products to the facility named in the order, at \
its own risk, within thirty (30) days after confirmation.

3. Warranty. Supplier warrants that the Products conform to the specifications for twelve \
(12) months after delivery and are free of defects in material and workmanship.
"""
# Where the page's corners land in the photo (px), on a 2900 x 3700 px image.
CORNERS = np.array([[230, 160], [2700, 260], [2640, 3520], [150, 3420]], dtype=np.float32)
PHOTO_SIZE = (2900, 3700)


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _difference(read: str, truth: str) -> float:
    """The share of characters that differ (1 - difflib's similarity ratio)."""
    return 1.0 - difflib.SequenceMatcher(None, _normalise(read), truth, autojunk=False).ratio()


class Photo:
    def __init__(self, folder: Path) -> None:
        doc = pymupdf.open()
        page = doc.new_page(width=612, height=792)
        assert page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), TEXT, fontsize=12) > 0
        self.truth = _normalise(page.get_text("text"))
        self.words = [(str(w[4]), tuple(float(v) for v in w[:4])) for w in page.get_text("words")]
        pix = page.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY, alpha=False)
        grey = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
        doc.close()
        h, w = grey.shape
        light = np.linspace(1.0, 0.3, w, dtype=np.float32)[None, :] ** 1.5
        lit = (45 + grey.astype(np.float32) / 255 * 180) * light
        flat = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
        self.forward = cv2.getPerspectiveTransform(flat, CORNERS)
        sheet = cv2.warpPerspective(lit, self.forward, PHOTO_SIZE, flags=cv2.INTER_LINEAR)
        mask = cv2.warpPerspective(np.ones_like(lit), self.forward, PHOTO_SIZE)
        photo: npt.NDArray[np.float32] = np.where(mask > 0.5, sheet, 30.0)
        noise = np.random.default_rng(26).normal(0, 3, photo.shape)
        self.path = folder / "photo.png"
        Image.fromarray(np.clip(photo + noise, 0, 255).astype(np.uint8)).save(
            self.path, dpi=(DPI, DPI)
        )
        self.size = image_page_size(image_frames(self.path)[0])

    def where(self, box: tuple[float, ...]) -> tuple[float, float]:
        """The centre, in pt on the photo, of a box in pt on the typeset page."""
        centre = np.array([[[(box[0] + box[2]) / 2, (box[1] + box[3]) / 2]]]) * DPI / 72
        x, y = cv2.perspectiveTransform(centre.astype(np.float32), self.forward)[0, 0]
        return float(x) * 72 / DPI, float(y) * 72 / DPI

    def read(self, engine: TesseractOcr) -> Page:
        return engine.recognise(self.path, 1, *self.size, None)


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> Photo:
    return Photo(tmp_path_factory.mktemp("photo"))


def test_a_phone_photo_reads_once_cleaned_up(photo: Photo) -> None:
    before = photo.read(TesseractOcr(cleanup=False))
    after = photo.read(TesseractOcr())
    bare = _difference(" ".join(w.text for w in before.words), photo.truth)
    cleaned = _difference(" ".join(w.text for w in after.words), photo.truth)
    assert bare > 0.10, f"the bare reading should fail on this photo ({bare:.1%} differs)"
    assert cleaned < 0.02, f"{cleaned:.1%} of the cleaned-up reading differs"
    assert after.ocr_confidence is not None and after.ocr_confidence > 85

    # Each distinctive word's box is where the photo shows that word (within 4 pt).
    found = {w.text: w.box for w in after.words}
    for text, box in photo.words:
        if text not in ("Harrowgate", "Mistral", "Warranty.", "workmanship."):
            continue
        x0, y0, x1, y1 = found[text]
        ex, ey = photo.where(box)
        assert abs((x0 + x1) / 2 - ex) < 4 and abs((y0 + y1) / 2 - ey) < 4, text
