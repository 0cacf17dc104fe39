"""The PyMuPDF adapter: the only module that imports pymupdf.

It opens PDFs (and images, which PyMuPDF reads as one-page documents), checks them before
trusting them, extracts text-layer words with their boxes, and renders pages for OCR. Every
failure of PyMuPDF becomes one of the project's errors, naming the file and the next step.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from westfall_legal.errors import (
    CorruptDocumentError,
    EmptyFileError,
    EncryptedPdfError,
    InputNotFoundError,
    NotAPdfError,
    UnsupportedFileError,
    WrongPasswordError,
)
from westfall_legal.models import Word

log = logging.getLogger(__name__)

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")

# Ligatures (ﬁ, ﬀ) come out as their letters, so the text reads and searches as typed.
_WORD_FLAGS = pymupdf.TEXTFLAGS_WORDS & ~pymupdf.TEXT_PRESERVE_LIGATURES
pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


@dataclass(frozen=True, slots=True)
class RawPage:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    image_coverage: float  # fraction of the page area under images
    unreadable_chars: int  # characters PyMuPDF could not map to Unicode


def check_file(path: Path) -> str:
    """Validate a path before parsing it; return its kind, ``"pdf"`` or ``"image"``."""
    if not path.exists():
        raise InputNotFoundError.for_path(path)
    if path.is_dir():
        raise UnsupportedFileError(f"{path}: is a folder, not a document.")
    suffix = path.suffix.lower()
    if suffix not in PDF_SUFFIXES | IMAGE_SUFFIXES:
        raise UnsupportedFileError(f"{path}: unsupported file type {suffix or '(none)'}.")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputNotFoundError(f"{path}: cannot be read ({exc.strerror}).") from exc
    if size == 0:
        raise EmptyFileError(f"{path}: the file is empty (0 bytes).")
    if suffix in PDF_SUFFIXES:
        if b"%PDF-" not in head:
            raise NotAPdfError(f"{path}: not a PDF file.")
        return "pdf"
    if not head.startswith(_IMAGE_MAGIC):
        raise UnsupportedFileError(
            f"{path}: not a PNG, JPEG or TIFF image.",
            hint="Check that the right file was saved, or export it again as PDF or PNG.",
        )
    return "image"


@contextmanager
def open_document(path: Path, password: str | None = None) -> Iterator[pymupdf.Document]:
    """Open a PDF or image after :func:`check_file`; translate PyMuPDF's failures."""
    kind = check_file(path)
    try:
        doc = pymupdf.open(path)
    except Exception as exc:  # PyMuPDF raises FileDataError, RuntimeError, ValueError...
        raise CorruptDocumentError(f"{path}: cannot be opened as {kind.upper()}.") from exc
    try:
        if doc.needs_pass:
            if password is None:
                raise EncryptedPdfError(f"{path}: the PDF is password-protected.")
            if not doc.authenticate(password):
                raise WrongPasswordError(f"{path}: wrong password for this PDF.")
        if doc.page_count == 0:
            raise CorruptDocumentError(f"{path}: the document has no pages.")
        if kind == "image" and not doc.is_pdf:
            pdf_bytes = doc.convert_to_pdf()
            doc.close()
            doc = pymupdf.open("pdf", pdf_bytes)
        yield doc
    finally:
        doc.close()


def page_count(path: Path, password: str | None = None) -> int:
    with open_document(path, password) as doc:
        return int(doc.page_count)


def _page_words(page: pymupdf.Page) -> tuple[tuple[Word, ...], int]:
    raw = page.get_text("words", sort=False, flags=_WORD_FLAGS)
    words = []
    bad = 0
    for x0, y0, x1, y1, text, block, line, _ in raw:
        bad += text.count("\ufffd")
        words.append(Word(text, (float(x0), float(y0), float(x1), float(y1)), block, line))
    return tuple(words), bad


def _image_coverage(page: pymupdf.Page, area: float) -> float:
    if area <= 0:
        return 0.0
    covered = 0.0
    for info in page.get_image_info():
        x0, y0, x1, y1 = info["bbox"]
        covered += max(0.0, x1 - x0) * max(0.0, y1 - y0)
    return min(1.0, covered / area)


def read_pages(path: Path, password: str | None = None) -> Iterator[RawPage]:
    """Yield each page's text-layer words (possibly none) with its size."""
    with open_document(path, password) as doc:
        for index in range(doc.page_count):
            try:
                page = doc.load_page(index)
                words, bad = _page_words(page)
                rect = page.rect
                coverage = _image_coverage(page, float(rect.width * rect.height))
            except Exception as exc:
                raise CorruptDocumentError(
                    f"{path}: page {index + 1} cannot be read ({type(exc).__name__})."
                ) from exc
            yield RawPage(index + 1, float(rect.width), float(rect.height), words, coverage, bad)


def render_page_grey(
    path: Path, number: int, dpi: int, password: str | None = None
) -> tuple[bytes, int, int]:
    """Render page ``number`` (1-based) as 8-bit greyscale; return (samples, width, height)."""
    with open_document(path, password) as doc:
        try:
            page = doc.load_page(number - 1)
            pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
        except Exception as exc:
            raise CorruptDocumentError(
                f"{path}: page {number} cannot be rendered ({type(exc).__name__})."
            ) from exc
        return bytes(pix.samples), int(pix.width), int(pix.height)
