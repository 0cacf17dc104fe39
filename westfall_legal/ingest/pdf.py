"""The PyMuPDF adapter: the only module that imports pymupdf.

It opens PDFs (and images, which PyMuPDF reads as one-page documents), checks them before
trusting them, extracts text-layer words with their boxes, and renders pages for OCR. Every
failure of PyMuPDF becomes one of the project's errors, naming the file and the next step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pymupdf.table

from westfall_legal.errors import (
    CorruptDocumentError,
    EmptyFileError,
    EncryptedPdfError,
    ImageTooLargeError,
    InputNotFoundError,
    KnownError,
    NotAPdfError,
    UnsupportedFileError,
    WrongPasswordError,
)
from westfall_legal.ingest.formats import IMAGE_SUFFIXES, PDF_SUFFIXES
from westfall_legal.ingest.images import MAX_IMAGE_PIXELS, image_frames, image_page_size
from westfall_legal.models import Box, Table, Word

log = logging.getLogger(__name__)

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# Documents that are not read but can be saved as .docx or PDF by the program that made them.
SAVE_AS_SUFFIXES = {".odt", ".rtf", ".pages", ".wpd"}
TRUNCATED_HINT = (
    "An interrupted download or copy cuts a PDF short: download or export it again, or ask "
    "the sender for a new copy."
)

# Ligatures (ﬁ, ﬀ) come out as their letters, so the text reads and searches as typed.
_WORD_FLAGS = pymupdf.TEXTFLAGS_WORDS & ~pymupdf.TEXT_PRESERVE_LIGATURES
pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)
pymupdf.no_recommend_layout()  # find_tables would print an advertisement on stdout


def _no_header(self: object, y_tolerance: float = 3) -> None:
    return None


# find_tables looks above every table for a header row, pulling each line's text box out
# character by character: 80% of its time (0.19 s -> 0.034 s on the sample's fee table).
# The review takes a table's rows as printed and never uses that header.
pymupdf.table.Table._get_header = _no_header  # type: ignore[method-assign]


def _norm_rotation(rotate: int) -> int:
    """A page's /Rotate as 0, 90, 180 or 270 (anything else is 0), as PyMuPDF gives it."""
    rotate %= 360
    return rotate if rotate % 90 == 0 else 0


# PyMuPDF brings /Rotate into 0-359 by adding or taking 360 in a loop, and asks for it
# several times a page: a damaged or hostile /Rotate 2147483647 cost 0.3 s a call and
# more than a second a page (a 6 kB file, 1.4 s of CPU). The same answer in one step:
pymupdf.JM_norm_rotation = _norm_rotation

# Tables: find_tables (about 30 ms a table region) runs only where the text layer looks
# like one: a run of TABLE_MIN_ROWS rows, each of several text-layer lines side by side
# (three or more, or two that are each under SHORT_CELL of the page width), with ruling
# lines (vector drawings) across the region.
TABLE_MIN_ROWS = 3
SHORT_CELL = 0.45
ROW_TOLERANCE = 2.0  # pt between the bottoms of the cells of one row
TABLE_MARGIN = 8.0  # pt around a region, so that the table's outer rules are in it
MIN_CELL = 12.0  # pt: a narrower line (a bullet, "(a)") is not a cell


@dataclass(frozen=True, slots=True)
class RawPage:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    image_coverage: float | None  # fraction of the page under images; None: not measured
    unreadable_chars: int  # characters PyMuPDF could not map to Unicode
    tables: tuple[Table, ...] = ()
    blank: bool = False  # nothing at all is drawn on it: no text, no image, no vector ink


@dataclass(slots=True)
class ReadReport:
    """What :func:`read_pages` learnt about the file as a whole, filled in as it reads."""

    repaired: bool = False  # MuPDF rebuilt a damaged file (a truncated download, say)


def check_file(path: Path) -> str:
    """Validate a path before parsing it; return its kind, ``"pdf"`` or ``"image"``."""
    if not path.exists():
        raise InputNotFoundError.for_path(path)
    if path.is_dir():
        raise UnsupportedFileError(f"{path}: is a folder, not a document.")
    suffix = path.suffix.lower()
    if suffix not in PDF_SUFFIXES | IMAGE_SUFFIXES:
        hint = None
        if suffix in SAVE_AS_SUFFIXES:
            hint = (
                f"Westfall Legal does not read {suffix} files: open it in the program that made "
                "it (Word, LibreOffice, Pages), save it as .docx or PDF, and review that file."
            )
        raise UnsupportedFileError(
            f"{path}: unsupported file type {suffix or '(none)'}.", hint=hint
        )
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
def open_document(
    path: Path, password: str | None = None, *, as_pdf: bool = True
) -> Iterator[pymupdf.Document]:
    """Open a PDF or image after :func:`check_file`; translate PyMuPDF's failures.

    An image is converted to a PDF unless ``as_pdf`` is False.
    """
    kind = check_file(path)
    try:
        doc = pymupdf.open(path)
    except Exception as exc:  # PyMuPDF raises FileDataError, RuntimeError, ValueError...
        raise CorruptDocumentError(f"{path}: cannot be opened as {kind.upper()}.") from exc
    try:
        try:
            _check_opened(doc, path, password)
            if as_pdf and kind == "image" and not doc.is_pdf:
                pdf_bytes = doc.convert_to_pdf()
                doc.close()
                doc = pymupdf.open("pdf", pdf_bytes)
        except (KnownError, MemoryError):
            raise
        except Exception as exc:  # a truncated PDF: "code=7: Invalid number of pages"
            raise CorruptDocumentError(
                f"{path}: the {kind.upper()} is truncated or damaged: its pages cannot be found.",
                hint=TRUNCATED_HINT,
            ) from exc
        yield doc
    finally:
        doc.close()


def _check_opened(doc: pymupdf.Document, path: Path, password: str | None) -> None:
    if doc.needs_pass:
        if password is None:
            raise EncryptedPdfError(f"{path}: the PDF is password-protected.")
        if not doc.authenticate(password):
            raise WrongPasswordError(f"{path}: wrong password for this PDF.")
    if doc.page_count == 0:
        if doc.is_pdf and doc.is_repaired:
            raise CorruptDocumentError(
                f"{path}: the PDF is truncated or damaged: none of its pages could be recovered.",
                hint=TRUNCATED_HINT,
            )
        raise CorruptDocumentError(f"{path}: the document has no pages.")


def _page_words(page: pymupdf.Page) -> tuple[tuple[Word, ...], int]:
    """Text-layer words, boxes in the coordinates of the page as displayed.

    PyMuPDF gives words on a page with /Rotate in the unrotated page's coordinates, while
    ``page.rect`` and rendering are as displayed: the rotation matrix maps them across.
    """
    raw = page.get_text("words", sort=False, flags=_WORD_FLAGS)
    matrix = page.rotation_matrix if page.rotation % 360 else None
    words = []
    bad = 0
    for x0, y0, x1, y1, text, block, line, _ in raw:
        bad += text.count("\ufffd")
        if matrix is not None:
            x0, y0, x1, y1 = pymupdf.Rect(x0, y0, x1, y1) * matrix
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


def read_pages(
    path: Path,
    password: str | None = None,
    *,
    coverage_below_words: int | None = None,
    report: ReadReport | None = None,
) -> Iterator[RawPage]:
    """Yield each page's text-layer words (possibly none) with its size.

    The image coverage of a page (a second pass over its content, a quarter of the time of
    reading its words) is only measured when the page has fewer than
    ``coverage_below_words`` words, when that is given. An image's pages are all picture
    (no words, fully covered), sized by ``images.image_dpi``. ``report`` learns whether
    MuPDF had to repair the file; a page without words is checked for anything drawn on it
    (``blank``): a truncated PDF that MuPDF repairs keeps its page count, its lost pages blank.
    """
    if check_file(path) == "image":
        with open_document(path, password, as_pdf=False) as doc:
            count = int(doc.page_count)
        frames = image_frames(path)
        if len(frames) != count:
            raise CorruptDocumentError(f"{path}: the image's frames cannot all be read.")
        for index, frame in enumerate(frames):
            width, height = image_page_size(frame)
            yield RawPage(index + 1, width, height, (), 1.0, 0)
        return
    with open_document(path, password) as doc:
        if doc.is_repaired:
            log.info("MuPDF repaired a damaged PDF (%d pages)", doc.page_count)
            if report is not None:
                report.repaired = True
        for index in range(doc.page_count):
            try:
                page = doc.load_page(index)
                words, bad = _page_words(page)
                rect = page.rect
                coverage = None
                if coverage_below_words is None or len(words) < coverage_below_words:
                    coverage = _image_coverage(page, float(rect.width * rect.height))
                blank = not words and not page.get_bboxlog()  # no text, image or path drawn
            except Exception as exc:
                raise CorruptDocumentError(
                    f"{path}: page {index + 1} cannot be read ({type(exc).__name__})."
                ) from exc
            tables = _page_tables(page, index + 1, words)
            yield RawPage(
                index + 1,
                float(rect.width),
                float(rect.height),
                words,
                coverage,
                bad,
                tables,
                blank,
            )


def table_regions(words: Sequence[Word], width: float) -> list[Box]:
    """Where a page's text layer looks like a table (see TABLE_MIN_ROWS): one pass over the
    words. A wrapped cell adds a row of one line; a run goes on over one such row. Bullets
    and list labels (lines under MIN_CELL wide) are not cells."""
    lines: list[list[float]] = []  # x0, y0, x1, y1 of each text-layer line
    key = None
    for w in words:  # a line's words come one after another, left to right
        if (w.block, w.line) != key:
            key = (w.block, w.line)
            lines.append(list(w.box))
        else:
            lines[-1][2] = w.box[2]
    rows: list[list[list[float]]] = []
    for box in sorted((b for b in lines if b[2] - b[0] >= MIN_CELL), key=lambda b: b[3]):
        if rows and box[3] - rows[-1][0][3] <= ROW_TOLERANCE:
            rows[-1].append(box)
        else:
            rows.append([box])
    regions: list[Box] = []
    run: list[list[list[float]]] = []
    pending: list[list[float]] = []
    for row in [*rows, []]:
        short = all(b[2] - b[0] < SHORT_CELL * width for b in row)
        if len(row) >= 3 or (len(row) == 2 and short):
            run += [pending, row] if pending else [row]
            pending = []
        elif run and not pending and row:
            pending = row
        else:
            if pending and pending[0][1] - max(b[3] for b in run[-1]) <= ROW_TOLERANCE * 4:
                run.append(pending)  # the wrapped cell of the last row
            if sum(1 for r in run if len(r) >= 2) >= TABLE_MIN_ROWS:
                boxes = [b for r in run for b in r]
                regions.append(
                    (
                        min(b[0] for b in boxes),
                        min(b[1] for b in boxes),
                        max(b[2] for b in boxes),
                        max(b[3] for b in boxes),
                    )
                )
            run, pending = [], []
    return regions


def _ruled(drawings: list[dict[str, object]], region: pymupdf.Rect) -> bool:
    """Whether ruling lines make a grid over ``region``: three or more distinct positions
    across and down (a box alone, or the rules under a heading, do not)."""
    across: set[int] = set()
    down: set[int] = set()
    for path in drawings:
        if not region.intersects(pymupdf.Rect(path["rect"])):
            continue
        for item in path["items"]:  # type: ignore[attr-defined]
            if item[0] == "l":
                (x0, y0), (x1, y1) = item[1], item[2]
                if abs(y1 - y0) < 1 <= abs(x1 - x0):
                    across.add(round(y0))
                elif abs(x1 - x0) < 1 <= abs(y1 - y0):
                    down.add(round(x0))
            elif item[0] == "re":
                r = pymupdf.Rect(item[1])
                if r.height >= 3:
                    down.update((round(r.x0), round(r.x1)) if r.width >= 3 else (round(r.x0),))
                if r.width >= 3:
                    across.update((round(r.y0), round(r.y1)) if r.height >= 3 else (round(r.y0),))
    return len(across) >= 3 and len(down) >= 3


def _grid_clip(drawings: list[dict[str, object]], clip: pymupdf.Rect) -> pymupdf.Rect:
    """``clip`` (the words' extent) grown to the rules drawn within its height: a last column
    wider than its text keeps its right-hand rule, so PyMuPDF reads it as a column. A rule
    taller than the region (a page border) does not grow it."""
    grown = pymupdf.Rect(clip)
    for path in drawings:
        rect = pymupdf.Rect(path["rect"])
        if rect.intersects(clip) and rect.y0 >= clip.y0 - 1 and rect.y1 <= clip.y1 + 1:
            grown |= rect
    return pymupdf.Rect(grown.x0 - 1, grown.y0 - 1, grown.x1 + 1, grown.y1 + 1)


def _page_tables(page: pymupdf.Page, number: int, words: Sequence[Word]) -> tuple[Table, ...]:
    """The ruled tables of a text-layer page, found by PyMuPDF where the words suggest one.

    A failure of the table finder loses the tables of that page, never the page.
    """
    regions = table_regions(words, float(page.rect.width))
    if not regions:
        return ()
    tables: list[Table] = []
    try:
        drawings = page.get_cdrawings()
        for region in regions:
            x0, y0, x1, y1 = region
            clip = pymupdf.Rect(
                x0 - TABLE_MARGIN, y0 - TABLE_MARGIN, x1 + TABLE_MARGIN, y1 + TABLE_MARGIN
            )
            if not _ruled(drawings, clip):
                continue
            clip = _grid_clip(drawings, clip)
            for found in page.find_tables(clip=clip).tables:
                rows = tuple(
                    tuple(" ".join((cell or "").split()) for cell in row) for row in found.extract()
                )
                if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                    box = pymupdf.Rect(found.bbox)
                    if page.rotation % 360:
                        box = box * page.rotation_matrix
                    tables.append(Table(number, (box.x0, box.y0, box.x1, box.y1), rows))
    except Exception as exc:  # PyMuPDF's table finder raises anything on odd pages
        log.warning("page %d: tables not read (%s)", number, type(exc).__name__)
        return ()
    return tuple(tables)


def render_page_grey(
    path: Path, number: int, dpi: int, password: str | None = None
) -> tuple[bytes, int, int]:
    """Render page ``number`` (1-based) as 8-bit greyscale; return (samples, width, height).

    The page is the one :func:`read_pages` gave: an image is rendered at ``dpi`` for the
    size it was read at (so an untagged 300 dpi scan at ``dpi=300`` keeps its own pixels),
    straight from the image without converting it to PDF.
    """
    return _render(path, number, dpi / 72, password, pymupdf.csGRAY)


def render_page_rgb(
    path: Path, number: int, zoom: float, password: str | None = None
) -> tuple[bytes, int, int]:
    """Render page ``number`` (1-based) for display: packed 8-bit RGB rows, ``zoom`` pixels
    per PDF point; return (samples, width, height).

    Word boxes (in points, see :func:`read_pages`) times ``zoom`` land on the pixels, for
    PDF pages and image pages alike.
    """
    if zoom <= 0:
        raise ValueError(f"zoom must be positive, not {zoom}")
    return _render(path, number, zoom, password, pymupdf.csRGB)


def _render(
    path: Path, number: int, scale: float, password: str | None, colorspace: pymupdf.Colorspace
) -> tuple[bytes, int, int]:
    """Page ``number`` at ``scale`` pixels per point of the size :func:`read_pages` gave."""
    if check_file(path) == "image":
        return _render_image(path, number, scale, colorspace)
    with open_document(path, password) as doc:
        return _pixmap(doc, path, number, lambda rect: pymupdf.Matrix(scale, scale), colorspace)


def _render_image(
    path: Path, number: int, scale: float, colorspace: pymupdf.Colorspace
) -> tuple[bytes, int, int]:
    frames = image_frames(path)
    if not 1 <= number <= len(frames):
        raise CorruptDocumentError(f"{path}: has no page {number}.")
    width_pt, height_pt = image_page_size(frames[number - 1])
    target_w = max(1, round(width_pt * scale))
    target_h = max(1, round(height_pt * scale))
    with open_document(path, as_pdf=False) as doc:
        return _pixmap(
            doc,
            path,
            number,
            lambda rect: pymupdf.Matrix(target_w / rect.width, target_h / rect.height),
            colorspace,
        )


def _pixmap(
    doc: pymupdf.Document,
    path: Path,
    number: int,
    matrix_for: Callable[[pymupdf.Rect], pymupdf.Matrix],
    colorspace: pymupdf.Colorspace,
) -> tuple[bytes, int, int]:
    """Render page ``number`` in ``colorspace`` through the matrix its rectangle calls for.

    A page of more than MAX_IMAGE_PIXELS at that scale is refused before it is rendered:
    a damaged or hostile /MediaBox of 6,000 points square took 1.25 GB and 9 s at 300 dpi.
    """
    try:
        page = doc.load_page(number - 1)
        rect = page.rect
        matrix = matrix_for(rect)
        box = (rect * matrix).irect
        width, height = int(box.width), int(box.height)
    except Exception as exc:
        raise CorruptDocumentError(
            f"{path}: page {number} cannot be rendered ({type(exc).__name__})."
        ) from exc
    if width * height > MAX_IMAGE_PIXELS:
        raise ImageTooLargeError(
            f"{path}: page {number} is too large to render ({width:,} x {height:,} pixels); "
            f"Westfall Legal renders pages of up to {MAX_IMAGE_PIXELS:,} pixels.",
            hint=(
                f"The page is {rect.width / 72:,.0f} x {rect.height / 72:,.0f} inches: print it "
                "to a new PDF on letter or A4 paper, and review that file."
            ),
        )
    try:
        pix = page.get_pixmap(matrix=matrix, colorspace=colorspace, alpha=False)
    except Exception as exc:
        raise CorruptDocumentError(
            f"{path}: page {number} cannot be rendered ({type(exc).__name__})."
        ) from exc
    return bytes(pix.samples), int(pix.width), int(pix.height)
