"""The repair of misread words inside the real Tesseract engine: a scanned page whose
printed words are the misreadings a fax gives ("shail", "cach", "Agreerent") comes back
repaired, and as printed with the repair off."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from tests.engines import needs_tesseract
from westfall_legal.ingest.images import image_frames, image_page_size
from westfall_legal.ingest.ocr import TesseractOcr

pytestmark = [pytest.mark.slow, needs_tesseract]

PRINTED = (
    "1.1 The Seller shail deliver cach Product under this Agreerent within ten (10) days. "
    "The Buyer shall pay the price of $5,000,000 to Imprimis Corp. in full."
)


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    assert page.insert_textbox(pymupdf.Rect(72, 72, 540, 300), PRINTED, fontsize=12) > 0
    path = tmp_path_factory.mktemp("repair") / "scan.png"
    page.get_pixmap(dpi=300, colorspace=pymupdf.csGRAY, alpha=False).save(path)
    doc.close()
    return path


def _read(path: Path, engine: TesseractOcr) -> list[str]:
    page = engine.recognise(path, 1, *image_page_size(image_frames(path)[0]), None)
    return [w.text for w in page.words]


def test_misread_words_come_back_repaired_and_nothing_else_changes(scan: Path) -> None:
    printed = _read(scan, TesseractOcr(repair=False))
    assert {"shail", "cach", "Agreerent"} <= set(printed), printed
    repaired = _read(scan, TesseractOcr())
    assert len(repaired) == len(printed)
    changed = {(a, b) for a, b in zip(printed, repaired, strict=True) if a != b}
    assert changed == {("shail", "shall"), ("cach", "each"), ("Agreerent", "Agreement")}
    assert "$5,000,000" in repaired and "Imprimis" in repaired
