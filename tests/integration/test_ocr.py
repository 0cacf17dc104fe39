"""westfall_legal.ingest.ocr against real Tesseract, on scans made here from a born-digital PDF.

A one-page contract is typeset with PyMuPDF, rasterised at 300 dpi, and turned into
image-only PDFs: skewed by 1.5 degrees, and turned a quarter. OCR must find most words, and
put each word's box where that word's ink is on the scan (the ink box of the word on the
born-digital page, carried through the same rotation) to within 2 pt. PyMuPDF's own word
boxes are font boxes (ascender to descender), taller than the ink by about 4 pt, so the
ink box, measured on the born-digital raster, is the ground truth.

The tests that need the Tesseract binary skip without it; the fault-injection tests that
fake pytesseract's functions run everywhere.
"""

from __future__ import annotations

import io
import math
import os
import stat
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pymupdf
import pytesseract
import pytest
from PIL import Image

from tests.engines import TESSERACT, needs_tesseract
from westfall_legal.errors import CorruptDocumentError, ExitCode, MissingDependencyError
from westfall_legal.ingest import geometry, pdf
from westfall_legal.ingest.ocr import TesseractOcr, check_available, tesseract_version
from westfall_legal.models import Box, Page

APT_LINE = "sudo apt-get install -y tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd"

DPI = 300
WIDTH, HEIGHT = 612.0, 792.0  # US letter, pt
SKEW = 1.5  # degrees, counter-clockwise as displayed
CONTRACT = """MASTER SERVICES AGREEMENT

This Master Services Agreement (the "Agreement") is entered into as of March 3, 2024 by and \
between Northwind Holdings LLC, a Delaware limited liability company ("Client"), and \
Brightline Consulting Inc., a California corporation ("Provider").

1. Term. This Agreement commences on the Effective Date and continues for a period of \
thirty-six (36) months unless terminated earlier in accordance with Section 9.

2. Fees. Client shall pay Provider the fees set forth in each Statement of Work within \
forty-five (45) days after receipt of a correct invoice. Late payments bear interest at one \
percent per month.

3. Confidentiality. Each party shall hold the other party's Confidential Information in \
strict confidence and shall not disclose it to any third party without prior written consent.

4. Governing Law. This Agreement is governed by the laws of the State of New York, without \
regard to its conflict of laws principles.
"""
DISTINCTIVE = ("Northwind", "Brightline", "Delaware", "thirty-six", "Confidentiality.", "invoice.")


@dataclass(frozen=True)
class Original:
    pdf: Path
    raster: Image.Image  # the born-digital page at 300 dpi, greyscale
    words: list[tuple[str, Box]]  # every word with its ink box, pt


def _ink_box(raster: npt.NDArray[np.uint8], box: Box) -> Box:
    """The box of the ink (< 128) inside a PyMuPDF word box, widened 1 pt sideways, in pt."""
    s = DPI / 72.0
    x0, y0 = max(0, int((box[0] - 1) * s)), max(0, int(box[1] * s))
    x1, y1 = math.ceil((box[2] + 1) * s), math.ceil(box[3] * s)
    ys, xs = np.nonzero(raster[y0:y1, x0:x1] < 128)
    return (
        (x0 + xs.min()) / s,
        (y0 + ys.min()) / s,
        (x0 + xs.max() + 1) / s,
        (y0 + ys.max() + 1) / s,
    )


def _image_pdf(path: Path, image: Image.Image) -> Path:
    """An image-only PDF whose page is the image at 300 dpi, like a scanner makes."""
    doc = pymupdf.open()
    page = doc.new_page(width=image.width * 72 / DPI, height=image.height * 72 / DPI)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    page.insert_image(page.rect, stream=buf.getvalue())
    doc.save(path)
    doc.close()
    return path


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Original:
    folder = tmp_path_factory.mktemp("ocr")
    doc = pymupdf.open()
    page = doc.new_page(width=WIDTH, height=HEIGHT)
    left = page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), CONTRACT, fontsize=12)
    assert left > 0, "the contract text did not fit on the page"
    path = folder / "born.pdf"
    doc.save(path)
    pix = page.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY, alpha=False)
    raster = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    grey = np.asarray(raster)
    words = [(str(w[4]), _ink_box(grey, w[:4])) for w in page.get_text("words")]
    doc.close()
    assert raster.size == (2550, 3300)
    return Original(path, raster, words)


def _rotate_about_centre(box: Box, degrees: float) -> Box:
    """Where a box lands when the page is turned ``degrees`` counter-clockwise about its
    centre (as ``Image.rotate`` turns it), as an axis-aligned box."""
    a = math.radians(degrees)
    cx, cy = WIDTH / 2, HEIGHT / 2
    x0, y0, x1, y1 = box
    points = [
        (cx + (x - cx) * math.cos(a) + (y - cy) * math.sin(a),
         cy - (x - cx) * math.sin(a) + (y - cy) * math.cos(a))
        for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
    ]  # fmt: skip
    return (
        min(p[0] for p in points),
        min(p[1] for p in points),
        max(p[0] for p in points),
        max(p[1] for p in points),
    )


def _quarter_turn(box: Box) -> Box:
    """Where a box lands when the page is turned 90 degrees counter-clockwise (landscape)."""
    x0, y0, x1, y1 = box
    return (y0, WIDTH - x1, y1, WIDTH - x0)


@dataclass(frozen=True)
class Scan:
    path: Path
    width: float
    height: float
    truth: Callable[[Box], Box]  # born-digital box -> box on this scan


@pytest.fixture(scope="module")
def scans(original: Original) -> dict[str, Scan]:
    folder = original.pdf.parent
    skewed = original.raster.rotate(SKEW, resample=Image.Resampling.BICUBIC, fillcolor=255)
    turned = original.raster.rotate(90, expand=True)
    return {
        "skewed": Scan(
            _image_pdf(folder / "skewed.pdf", skewed),
            WIDTH,
            HEIGHT,
            lambda box: _rotate_about_centre(box, SKEW),
        ),
        "turned": Scan(_image_pdf(folder / "turned.pdf", turned), HEIGHT, WIDTH, _quarter_turn),
    }


@pytest.fixture(scope="module")
def read(scans: dict[str, Scan]) -> dict[str, Page]:
    """Each scan OCR'd once (a second or two each), shared by the tests below."""
    if TESSERACT is None:
        pytest.skip("Tesseract OCR is not installed")
    engine = TesseractOcr()
    return {
        name: engine.recognise(scan.path, 1, scan.width, scan.height, None)
        for name, scan in scans.items()
    }


def _recall(original: Original, page: Page) -> float:
    expected = Counter(text.lower() for text, _ in original.words)
    found = Counter(w.text.lower() for w in page.words)
    return sum((expected & found).values()) / sum(expected.values())


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize("name", ["skewed", "turned"])
def test_most_words_are_read(original: Original, read: dict[str, Page], name: str) -> None:
    page = read[name]
    assert page.source == "ocr"
    assert page.error is None
    assert _recall(original, page) >= 0.9
    assert page.ocr_confidence is not None and page.ocr_confidence > 80
    assert all(w.conf is not None and 0 <= w.conf <= 100 for w in page.words)


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize("name", ["skewed", "turned"])
def test_word_boxes_land_on_the_ink(
    original: Original, scans: dict[str, Scan], read: dict[str, Page], name: str
) -> None:
    page, scan = read[name], scans[name]
    assert (page.width, page.height) == (scan.width, scan.height)
    for wanted in DISTINCTIVE:
        (truth_box,) = [scan.truth(box) for text, box in original.words if text == wanted]
        matches = [w for w in page.words if w.text.lower() == wanted.lower()]
        assert len(matches) == 1, f"{wanted!r} read {len(matches)} times"
        got = matches[0].box
        assert got == pytest.approx(truth_box, abs=2.0), wanted
        if name == "skewed":
            # The axis-aligned box of a turned word is bigger than the word: same growth.
            assert got[2] - got[0] == pytest.approx(truth_box[2] - truth_box[0], abs=2.0)
            assert got[3] - got[1] == pytest.approx(truth_box[3] - truth_box[1], abs=2.0)


@needs_tesseract
@pytest.mark.slow
def test_words_keep_reading_order_and_paragraphs(read: dict[str, Page]) -> None:
    words = read["turned"].words
    texts = [w.text for w in words]
    assert texts[:3] == ["MASTER", "SERVICES", "AGREEMENT"]
    assert texts.index("Term.") < texts.index("Fees.") < texts.index("Governing")
    # A paragraph keeps one block number; the numbered clauses are different paragraphs.
    by_text = {w.text: w for w in words}
    assert by_text["Term."].block != by_text["Fees."].block
    assert by_text["Northwind"].block == by_text["Brightline"].block
    assert by_text["Northwind"].line != by_text["Brightline"].line


def test_estimate_skew_on_the_rendered_scan(scans: dict[str, Scan]) -> None:
    samples, width, height = pdf.render_page_grey(scans["skewed"].path, 1, DPI)
    image = np.frombuffer(samples, np.uint8).reshape(height, width)
    assert geometry.estimate_skew(image) == pytest.approx(SKEW, abs=0.1)


@needs_tesseract
@pytest.mark.slow
def test_two_page_tiff(original: Original, tmp_path: Path) -> None:
    path = tmp_path / "scan.tiff"
    upside_down = original.raster.rotate(180)
    original.raster.save(
        path, save_all=True, append_images=[upside_down], dpi=(DPI, DPI), compression="tiff_lzw"
    )
    raws = list(pdf.read_pages(path))
    assert [(r.number, r.width, r.height, r.words) for r in raws] == [
        (1, WIDTH, HEIGHT, ()),
        (2, WIDTH, HEIGHT, ()),
    ]
    engine = TesseractOcr()
    pages = [engine.recognise(path, r.number, r.width, r.height, None) for r in raws]
    assert [p.number for p in pages] == [1, 2]
    for page in pages:
        assert page.source == "ocr"
        assert _recall(original, page) >= 0.9
    # The upside-down page was turned for Tesseract and its boxes turned back.
    (truth_box,) = [box for text, box in original.words if text == "Northwind"]
    (word,) = [w for w in pages[1].words if w.text == "Northwind"]
    x0, y0, x1, y1 = truth_box
    assert word.box == pytest.approx((WIDTH - x1, HEIGHT - y1, WIDTH - x0, HEIGHT - y0), abs=2.0)


@needs_tesseract
def test_version_and_availability() -> None:
    assert tesseract_version()[0].isdigit()
    check_available("eng")


# --- fault injection ----------------------------------------------------------------------


def _script(folder: Path, body: str) -> str:
    """A fake `tesseract` that answers --version and --list-langs like the real one."""
    path = folder / "tesseract"
    real = f'case "$1" in --version|--list-langs) exec "{TESSERACT}" "$@";; esac'
    path.write_text(f"#!/bin/sh\n{real}\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_missing_tesseract(
    original: Original, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "nonexistent"))
    with pytest.raises(MissingDependencyError) as caught:
        TesseractOcr().recognise(original.pdf, 1, WIDTH, HEIGHT, None)
    assert caught.value.message == f"{original.pdf}: Tesseract OCR is not installed."
    assert caught.value.hint == f"Install it: {APT_LINE}"
    assert caught.value.exit_code == ExitCode.MISSING_DEPENDENCY
    with pytest.raises(MissingDependencyError, match="not installed"):
        check_available()
    with pytest.raises(MissingDependencyError, match="not installed"):
        tesseract_version()


def test_tesseract_that_cannot_be_run(
    original: Original, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_executable = tmp_path / "tesseract"
    not_executable.write_text("not a program")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(not_executable))
    with pytest.raises(MissingDependencyError) as caught:
        TesseractOcr().recognise(original.pdf, 1, WIDTH, HEIGHT, None)
    assert APT_LINE in caught.value.hint


@needs_tesseract
def test_missing_language_data(original: Original) -> None:
    with pytest.raises(MissingDependencyError) as caught:
        TesseractOcr(language="eng+zzz").recognise(original.pdf, 1, WIDTH, HEIGHT, None)
    assert "'zzz'" in caught.value.message
    assert str(original.pdf) in caught.value.message
    assert caught.value.hint == "Install it: sudo apt-get install -y tesseract-ocr-zzz"


@needs_tesseract
def test_tesseract_crash(
    original: Original, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        pytesseract.pytesseract, "tesseract_cmd", _script(tmp_path, "kill -SEGV $$")
    )
    with pytest.raises(CorruptDocumentError) as caught:
        TesseractOcr().recognise(original.pdf, 1, WIDTH, HEIGHT, None)
    assert caught.value.message.startswith(f"{original.pdf}: OCR failed on page 1 (")
    assert "status -11" in caught.value.message
    assert "scan" in caught.value.hint


@needs_tesseract
def test_tesseract_timeout(
    original: Original, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        pytesseract.pytesseract, "tesseract_cmd", _script(tmp_path, "exec sleep 30")
    )
    with pytest.raises(CorruptDocumentError, match=r"OCR failed on page 1 \(.*longer than 0.5 s"):
        TesseractOcr(timeout_s=0.5).recognise(original.pdf, 1, WIDTH, HEIGHT, None)


class FakeTesseract:
    """Stands in for pytesseract's functions; records the images it is given."""

    def __init__(self, osd: dict[str, Any] | Exception, data: dict[str, list[Any]] | Exception):
        self.osd, self.data = osd, data
        self.images: list[tuple[int, int]] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(pytesseract, "get_languages", lambda config="": ["eng", "osd"])
        monkeypatch.setattr(pytesseract, "image_to_osd", self.image_to_osd)
        monkeypatch.setattr(pytesseract, "image_to_data", self.image_to_data)

    def image_to_osd(self, image: Image.Image, **kwargs: Any) -> dict[str, Any]:
        assert kwargs["timeout"] == 120
        if isinstance(self.osd, Exception):
            raise self.osd
        return self.osd

    def image_to_data(self, image: Image.Image, **kwargs: Any) -> dict[str, list[Any]]:
        assert kwargs["lang"] == "eng"
        assert kwargs["config"].startswith("--oem 1 --psm 3")
        assert os.environ["OMP_THREAD_LIMIT"] == "1"
        self.images.append(image.size)
        if isinstance(self.data, Exception):
            raise self.data
        return self.data


ONE_WORD: dict[str, list[Any]] = {
    "level": [1, 5],
    "block_num": [0, 1],
    "par_num": [0, 1],
    "line_num": [0, 1],
    "left": [0, 300],
    "top": [0, 300],
    "width": [2550, 600],
    "height": [3300, 60],
    "conf": [-1, 91],
    "text": ["", "Agreement"],
}


def test_osd_giving_up_means_upright(original: Original, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeTesseract(
        pytesseract.TesseractError(1, "Too few characters. Skipping this page! Error"),
        ONE_WORD,
    )
    fake.install(monkeypatch)
    page = TesseractOcr().recognise(original.pdf, 1, WIDTH, HEIGHT, None)
    assert fake.images == [(2550, 3300)]  # not turned (and not deskewed: the page is straight)
    assert [(w.text, w.block, w.line, w.conf) for w in page.words] == [("Agreement", 1001, 1, 91.0)]
    assert page.words[0].box == pytest.approx((72.0, 72.0, 216.0, 86.4))
    assert page.ocr_confidence == 91.0


@pytest.mark.parametrize(
    ("confidence", "sizes"),
    [(0.5, [(2550, 3300)]), (12.0, [(2550, 3300), (3300, 2550)])],
)
def test_osd_is_trusted_only_when_confident(
    original: Original,
    monkeypatch: pytest.MonkeyPatch,
    confidence: float,
    sizes: list[tuple[int, int]],
) -> None:
    # The page is read as it stands first; an empty reading asks OSD, and only a confident
    # quarter turn has the turned page read again.
    fake = FakeTesseract({"rotate": 90, "orientation_conf": confidence}, {})
    fake.install(monkeypatch)
    page = TesseractOcr().recognise(original.pdf, 1, WIDTH, HEIGHT, None)
    assert fake.images == sizes
    assert page.words == ()
    assert page.ocr_confidence is None


def _words_data(count: int, conf: float, size: tuple[int, int]) -> dict[str, list[Any]]:
    """Tesseract data of ``count`` words of ``size`` px (width, height), one per line."""
    return {
        "level": [5] * count,
        "block_num": [1] * count,
        "par_num": [1] * count,
        "line_num": list(range(1, count + 1)),
        "left": [300] * count,
        "top": [300 + 80 * i for i in range(count)],
        "width": [size[0]] * count,
        "height": [size[1]] * count,
        "conf": [conf] * count,
        "text": ["Agreement"] * count,
    }


def test_a_convincing_upright_reading_skips_osd(
    original: Original, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeTesseract(AssertionError("OSD must not run"), _words_data(12, 95.0, (300, 50)))
    fake.install(monkeypatch)
    page = TesseractOcr().recognise(original.pdf, 1, WIDTH, HEIGHT, None)
    assert fake.images == [(2550, 3300)]
    assert len(page.words) == 12 and page.ocr_confidence == 95.0


@pytest.mark.parametrize(
    "data",
    [
        _words_data(12, 40.0, (300, 50)),
        _words_data(12, 95.0, (50, 300)),
        _words_data(5, 95.0, (300, 50)),
    ],
    ids=["low-confidence", "vertical-words", "few-words"],
)
def test_an_unconvincing_reading_asks_osd(
    original: Original, monkeypatch: pytest.MonkeyPatch, data: dict[str, list[Any]]
) -> None:
    fake = FakeTesseract({"rotate": 180, "orientation_conf": 9.0}, data)
    fake.install(monkeypatch)
    TesseractOcr().recognise(original.pdf, 1, WIDTH, HEIGHT, None)
    assert fake.images == [(2550, 3300), (2550, 3300)]  # read, OSD says upside down, read again


def test_language_that_fails_to_load(original: Original, monkeypatch: pytest.MonkeyPatch) -> None:
    message = (
        "Error opening data file /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata "
        "Failed loading language 'chi_sim' Tesseract couldn't load any languages!"
    )
    FakeTesseract({}, pytesseract.TesseractError(1, message)).install(monkeypatch)
    with pytest.raises(MissingDependencyError) as caught:
        TesseractOcr().recognise(original.pdf, 1, WIDTH, HEIGHT, None)
    assert caught.value.hint == "Install it: sudo apt-get install -y tesseract-ocr-chi-sim"


def test_pytesseract_timeout_error(original: Original, monkeypatch: pytest.MonkeyPatch) -> None:
    FakeTesseract({}, RuntimeError("Tesseract process timeout")).install(monkeypatch)
    with pytest.raises(CorruptDocumentError, match="longer than 120 s"):
        TesseractOcr().recognise(original.pdf, 1, WIDTH, HEIGHT, None)


def test_unparseable_version(monkeypatch: pytest.MonkeyPatch) -> None:
    def bad_version(**_: Any) -> None:
        raise SystemExit('Invalid tesseract version: "banana"')

    monkeypatch.setattr(pytesseract, "get_tesseract_version", bad_version)
    with pytest.raises(MissingDependencyError, match="usable version"):
        tesseract_version()


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="language"):
        TesseractOcr(language="eng; rm -rf /")
    with pytest.raises(ValueError):
        TesseractOcr(dpi=0)
