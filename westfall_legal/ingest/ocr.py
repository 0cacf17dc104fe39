"""Tesseract OCR: the only module that imports pytesseract.

A page is rendered greyscale (through :mod:`westfall_legal.ingest.pdf`), deskewed by a
projection-profile estimate, and read with Tesseract's LSTM engine. Most pages are upright,
so orientation detection (OSD, a second Tesseract run of about a third of the recognition's
time) only runs when that reading is not convincing (few words, low confidence, or words
taller than wide); when OSD finds a quarter turn, the turned page is read again and the
better reading kept. Every word box is mapped back through the deskew and the
quarter turn to the page as rendered, then to PDF points, so boxes line up with the page the
user sees; a page with a ``By:`` or ``Name:`` label gets its ink
(:mod:`westfall_legal.ingest.ink`) with its words, for the signature check. The geometry
lives in small pure functions (:func:`estimate_skew`, :func:`rotation_matrix`,
:func:`quarter_turn_matrix`, :func:`map_box`) tested without Tesseract. Every failure of
Tesseract becomes one of the project's errors.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytesseract
from PIL import Image

from westfall_legal.errors import CorruptDocumentError, MissingDependencyError
from westfall_legal.ingest import ocr_order, ocr_repair, pdf, scan_cleanup
from westfall_legal.ingest.geometry import (
    Affine,
    compose,
    estimate_skew,
    map_box,
    quarter_turn_matrix,
    rotation_matrix,
    scale,
)
from westfall_legal.ingest.ink import ink_map, may_hold_signature
from westfall_legal.models import Box, Page, Word

# One thread per Tesseract process: the orchestrator runs several pages at once, and
# Tesseract's own OpenMP threads made pages 4.5x slower on a shared machine.
os.environ["OMP_THREAD_LIMIT"] = "1"

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "Install it: sudo apt-get install -y tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd"
)
OCR_FAILED_HINT = (
    "Tesseract could not read this page: check the scan (or re-scan it at 300 dpi); "
    "the other pages are still read."
)
MIN_DESKEW = 0.05  # degrees; smaller skews are left alone (resampling would only blur)
MIN_OSD_CONFIDENCE = 2.0  # below this Tesseract's orientation guess is not trusted
# An upright reading is convincing with at least this many words, this mean confidence, and
# this share of longer words wider than tall. Upright scans of the sample read at 94-95;
# the same pages turned 90 or 180 degrees at 36-37.
UPRIGHT_MIN_WORDS = 10
UPRIGHT_MIN_CONFIDENCE = 70.0
UPRIGHT_MIN_HORIZONTAL = 0.8
WORD_LEVEL = 5  # Tesseract TSV level of a word
_TRANSPOSE = {  # counter-clockwise quarter turns -> Pillow's transpose
    1: Image.Transpose.ROTATE_90,
    2: Image.Transpose.ROTATE_180,
    3: Image.Transpose.ROTATE_270,
}
_LANGUAGE = re.compile(r"^[A-Za-z_]+(\+[A-Za-z_]+)*$")
_FAILED_LANGUAGE = re.compile(r"Failed loading language '([^']+)'")


def osd_turns(rotate: int) -> int:
    """Counter-clockwise quarter turns that make a page upright, from OSD's ``Rotate``.

    Tesseract's ``Rotate: R`` is how far to turn the image clockwise.
    """
    return (-round(rotate / 90)) % 4


def words_from_data(
    data: Mapping[str, Sequence[Any]],
    to_page: Affine | Callable[[Box], Box],
    width: float,
    height: float,
) -> list[Word]:
    """Words of Tesseract's ``image_to_data`` dict, in reading order, boxes on the page
    (``to_page``: an affine map, or a function of a box, from Tesseract's pixels).

    Empty words and words without a confidence (-1) are dropped; ``block`` is unique per
    paragraph (``block_num * 1000 + par_num``) and ``line`` is Tesseract's line within it.
    The order is Tesseract's with its blocks put back in reading order
    (:func:`~westfall_legal.ingest.ocr_order.reading_order`), on the image Tesseract read,
    where lines are level (a photo's page unwarped, a page turned upright), before the boxes
    are mapped onto the page.
    """
    mapped: Callable[[Box], Box] = (
        to_page if callable(to_page) else lambda box: map_box(box, to_page)
    )
    read = []
    for i, raw in enumerate(data.get("text", ())):
        text = str(raw).strip()
        if not text or int(data["level"][i]) != WORD_LEVEL:
            continue
        conf = float(data["conf"][i])
        if conf < 0:
            continue
        left, top = float(data["left"][i]), float(data["top"][i])
        pixels = (left, top, left + float(data["width"][i]), top + float(data["height"][i]))
        block = int(data["block_num"][i]) * 1000 + int(data["par_num"][i])
        read.append(Word(text, pixels, block=block, line=int(data["line_num"][i]), conf=conf))
    words = []
    for word in ocr_order.reading_order(read):
        x0, y0, x1, y1 = mapped(word.box)
        box = (
            min(max(x0, 0.0), width),
            min(max(y0, 0.0), height),
            min(max(x1, 0.0), width),
            min(max(y1, 0.0), height),
        )
        words.append(replace(word, box=box))
    return words


# --- Tesseract ----------------------------------------------------------------------------


def _language_packages(languages: Sequence[str]) -> str:
    return " ".join(f"tesseract-ocr-{lang.lower().replace('_', '-')}" for lang in languages)


def _missing_language_error(where: str, languages: Sequence[str]) -> MissingDependencyError:
    names = ", ".join(repr(lang) for lang in languages)
    return MissingDependencyError(
        f"{where}Tesseract has no language data for {names}.",
        hint=f"Install it: sudo apt-get install -y {_language_packages(languages)}",
    )


def _not_installed(where: str) -> MissingDependencyError:
    return MissingDependencyError(f"{where}Tesseract OCR is not installed.", hint=INSTALL_HINT)


def _where(path: Path | None) -> str:
    """The start of a message: the file concerned, when there is one."""
    return f"{path}: " if path is not None else ""


@contextmanager
def _environment_errors(path: Path | None) -> Iterator[None]:
    """Translate a missing or unusable Tesseract binary into MissingDependencyError."""
    where = _where(path)
    try:
        yield
    except pytesseract.TesseractNotFoundError as exc:
        raise _not_installed(where) from exc
    except SystemExit as exc:  # pytesseract exits on a version string it cannot parse
        raise MissingDependencyError(
            f"{where}the installed Tesseract does not report a usable version ({exc}).",
            hint=INSTALL_HINT,
        ) from exc
    except PermissionError as exc:
        raise MissingDependencyError(
            f"{where}Tesseract OCR cannot be run ({exc.strerror}).", hint=INSTALL_HINT
        ) from exc


def tesseract_version() -> str:
    """The installed Tesseract's version, e.g. ``"5.3.0"``."""
    with _environment_errors(None):
        return str(pytesseract.get_tesseract_version())


def check_available(language: str = "eng", *, path: Path | None = None) -> None:
    """Raise MissingDependencyError unless Tesseract, ``language`` and OSD data are installed.

    ``path`` (the document about to be read) only goes into the message.
    """
    with _environment_errors(path):
        installed = set(pytesseract.get_languages(config=""))
    if not installed:
        # An empty list means `tesseract --list-langs` did not work as Tesseract's does.
        raise _not_installed(_where(path))
    missing = [lang for lang in (*language.split("+"), "osd") if lang not in installed]
    if missing:
        raise _missing_language_error(_where(path), missing)


def straighten(image: Image.Image) -> tuple[Image.Image, float]:
    """``image`` deskewed, and the skew undone (0.0 when under :data:`MIN_DESKEW`)."""
    skew = estimate_skew(np.asarray(image))
    if abs(skew) < MIN_DESKEW:
        return image, 0.0
    # Nearest neighbour: as accurate for Tesseract as bilinear on the sample scan (CER 1.25%
    # vs 1.27% on five skewed pages) at a fifth of the time, 0.02 s.
    rotated = image.rotate(-skew, resample=Image.Resampling.NEAREST, expand=True, fillcolor=255)
    return rotated, skew


def _as_bmp(image: Image.Image) -> Image.Image:
    """Have pytesseract hand ``image`` over as BMP: its temporary file takes ``image.format``,
    and uncompressed BMP is 15x quicker to write than PNG (the --dpi option gives the
    resolution that BMP does not carry)."""
    image.format = "BMP"
    return image


class TesseractOcr:
    """Reads one page at a time with Tesseract; safe to call from several threads, and
    picklable into worker processes (:class:`~westfall_legal.ingest.document.ProcessSafeOcr`)."""

    def __init__(
        self,
        dpi: int = 300,
        language: str = "eng",
        timeout_s: float = 120,
        cleanup: bool = True,
        repair: bool = True,
    ) -> None:
        if not _LANGUAGE.match(language):
            raise ValueError(f"not a Tesseract language: {language!r} (e.g. 'eng' or 'eng+deu')")
        if dpi <= 0 or timeout_s <= 0:
            raise ValueError("dpi and timeout_s must be positive")
        self.dpi = dpi
        self.language = language
        self.timeout_s = timeout_s
        self.cleanup = cleanup  # photos and poor scans (scan_cleanup); off: the bare page
        # Misread words repaired against the lexicon (ocr_repair), English pages only.
        self.repair = repair and language == "eng"
        self._checked = False
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        """Pickled into OCR worker processes: everything but the lock."""
        state = dict(self.__dict__)
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def prepare(self, path: Path) -> None:
        """Check once that Tesseract and its language data are installed (``path``, the
        document about to be read, goes into the message)."""
        with self._lock:
            if not self._checked:
                check_available(self.language, path=path)
                self._checked = True

    @contextmanager
    def _tesseract_errors(self, path: Path, number: int) -> Iterator[None]:
        """Translate Tesseract's failures on one page into the project's errors."""
        with _environment_errors(path):
            try:
                yield
            except pytesseract.TesseractError as exc:
                message = " ".join(str(exc.message).split())
                missing = _FAILED_LANGUAGE.findall(message)
                if missing:
                    raise _missing_language_error(_where(path), missing) from exc
                detail = f": {message[:200]}" if message else ""
                raise CorruptDocumentError(
                    f"{path}: OCR failed on page {number} "
                    f"(Tesseract exited with status {exc.status}{detail}).",
                    hint=OCR_FAILED_HINT,
                ) from exc
            except RuntimeError as exc:
                if "timeout" not in str(exc).lower():
                    raise
                raise CorruptDocumentError(
                    f"{path}: OCR failed on page {number} "
                    f"(Tesseract took longer than {self.timeout_s:g} s).",
                    hint=OCR_FAILED_HINT,
                ) from exc

    def _upright_turns(self, image: Image.Image, path: Path, number: int) -> int:
        """Counter-clockwise quarter turns that make the page upright (0 when unsure)."""
        with self._tesseract_errors(path, number):
            try:
                osd = pytesseract.image_to_osd(
                    _as_bmp(image),
                    config=f"--psm 0 --dpi {self.dpi}",
                    output_type=pytesseract.Output.DICT,
                    timeout=self.timeout_s,
                )
            except pytesseract.TesseractError as exc:
                if exc.status < 0 or _FAILED_LANGUAGE.search(str(exc.message)):
                    raise  # a crash (killed by a signal) or missing OSD data: translated above
                # OSD gives up on pages with little text ("Too few characters"): keep as is.
                log.debug("page %d: no orientation detected (%s)", number, exc.message)
                return 0
        if float(osd.get("orientation_conf", 0.0)) < MIN_OSD_CONFIDENCE:
            return 0
        return osd_turns(int(osd.get("rotate", 0)))

    def _read(
        self,
        image: Image.Image,
        turns: int,
        path: Path,
        number: int,
        size: tuple[float, float],
        unwarp: scan_cleanup.Homography | None = None,
    ) -> list[Word]:
        """Turn ``image`` ``turns`` quarter turns, deskew it, read it; boxes on the ``size``
        page (through ``unwarp`` first, when ``image`` is a photo's page made rectangular)."""
        to_original, _ = quarter_turn_matrix(turns, image.width, image.height)
        if turns:
            image = image.transpose(_TRANSPOSE[turns])
        straight, skew = straighten(image)
        if skew:
            back, _ = rotation_matrix(-skew, image.width, image.height)
            to_original = compose(to_original, back)
        image = straight
        log.debug("page %d: %d quarter turns, skew %.2f degrees", number, turns, skew)
        with self._tesseract_errors(path, number):
            data = pytesseract.image_to_data(
                _as_bmp(image),
                lang=self.language,
                config=f"--oem 1 --psm 3 --dpi {self.dpi}",
                output_type=pytesseract.Output.DICT,
                timeout=self.timeout_s,
            )
        to_points = scale(72.0 / self.dpi)
        if unwarp is None:
            return words_from_data(data, compose(to_points, to_original), *size)

        def to_page(box: Box) -> Box:
            on_photo = scan_cleanup.map_box_through(map_box(box, to_original), unwarp)
            return map_box(on_photo, to_points)

        return words_from_data(data, to_page, *size)

    def recognise(
        self, path: Path, number: int, width: float, height: float, password: str | None
    ) -> Page:
        """OCR page ``number`` (1-based) of ``path``, a ``width`` x ``height`` pt page."""
        self.prepare(path)
        samples, w_px, h_px = pdf.render_page_grey(path, number, self.dpi, password)
        rendered = image = Image.frombytes("L", (w_px, h_px), samples)
        unwarp = None
        if self.cleanup:
            cleaned, unwarp, done = scan_cleanup.clean_page(np.asarray(rendered), self.dpi)
            if done.changed:
                image = Image.fromarray(cleaned)
                log.debug("page %d: cleaned up (%s)", number, done)

        size = (width, height)
        words = self._read(image, 0, path, number, size, unwarp)
        if not reads_upright(words):
            turns = self._upright_turns(image, path, number)
            if turns:
                turned = self._read(image, turns, path, number, size, unwarp)
                if reading_score(turned) >= reading_score(words):
                    words = turned
        if self.repair:
            words, repaired = ocr_repair.repair_words(words)
            log.debug("page %d: %d misread words repaired", number, repaired)
        confidence = (
            round(sum(w.conf for w in words if w.conf is not None) / len(words), 1)
            if words
            else None
        )
        # For the signature check in layout, on the pages where it may find a block.
        ink = ink_map(np.asarray(rendered), self.dpi) if may_hold_signature(words) else None
        return Page(number, width, height, tuple(words), "ocr", confidence, None, ink=ink)


def reading_score(words: Sequence[Word]) -> float:
    """How much was read, confidently: the sum of the words' confidences (0-1 each)."""
    return sum((w.conf or 0.0) / 100.0 for w in words)


def reads_upright(words: Sequence[Word]) -> bool:
    """Whether a reading of the page as it stands is convincing enough to skip OSD."""
    if len(words) < UPRIGHT_MIN_WORDS:
        return False
    confidence = sum(w.conf or 0.0 for w in words) / len(words)
    if confidence < UPRIGHT_MIN_CONFIDENCE:
        return False
    # Tesseract reads some sideways pages as vertical text: their words are taller than wide.
    longer = [w.box for w in words if len(w.text) >= 4]
    if not longer:
        return False
    horizontal = sum(1 for x0, y0, x1, y1 in longer if x1 - x0 > y1 - y0)
    return horizontal / len(longer) >= UPRIGHT_MIN_HORIZONTAL
