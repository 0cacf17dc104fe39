"""Image files: the size of page each image frame is read as, and the pixel limit.

Pillow reads the header of each frame (nothing is decoded here): its pixel size and its
resolution tag give the page it is read at (see :func:`image_dpi`).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from PIL import Image

from westfall_legal.errors import CorruptDocumentError, ImageTooLargeError

# Images: a resolution tag is trusted when it gives a plausible sheet of paper. Without one
# (PyMuPDF then assumes 96 dpi, which makes a 300 dpi letter scan a 26.6 x 34.4 in page that
# OCR would upsample 3x), the image is taken as a standard page at a usual scan resolution
# when its pixel size fits one, and as 300 dpi otherwise, so it is OCR'd at its own pixels.
DEFAULT_IMAGE_DPI = 300.0
MIN_TAGGED_DPI = 50.0  # below this a tag is a placeholder (Pillow writes 1 for "none")
MAX_PAGE_INCHES = 17.5  # longest side of tabloid / A3 with a margin
_PAPER_INCHES = ((8.5, 11.0), (8.27, 11.69), (8.5, 14.0), (5.83, 8.27), (11.0, 17.0))
_SCAN_DPIS = (300.0, 200.0, 400.0, 600.0, 150.0)
_PAPER_TOLERANCE = 0.04
# An image of more pixels is refused before it is decoded: a letter or A4 page scanned at
# 1,200 dpi is about 135 million. Pillow itself refuses more than 2 x Image.MAX_IMAGE_PIXELS.
MAX_IMAGE_PIXELS = 150_000_000
_PILLOW_PIXELS = re.compile(r"\((\d{1,15}) pixels\)")


def image_dpi(
    width_px: int, height_px: int, tagged: tuple[float, float] | None
) -> tuple[float, float]:
    """The (x, y) resolution to read a ``width_px`` x ``height_px`` image at.

    ``tagged`` is the image's own resolution tag, None when it has none.
    """
    if tagged is not None and min(tagged) >= MIN_TAGGED_DPI:
        x_dpi, y_dpi = float(tagged[0]), float(tagged[1])
        if max(width_px / x_dpi, height_px / y_dpi) <= MAX_PAGE_INCHES:
            return x_dpi, y_dpi
    short, long = sorted((width_px, height_px))
    for dpi in _SCAN_DPIS:
        for paper_short, paper_long in _PAPER_INCHES:
            if (
                abs(short / dpi - paper_short) <= _PAPER_TOLERANCE * paper_short
                and abs(long / dpi - paper_long) <= _PAPER_TOLERANCE * paper_long
            ):
                return dpi, dpi
    return DEFAULT_IMAGE_DPI, DEFAULT_IMAGE_DPI


def image_frames(path: Path) -> list[tuple[int, int, tuple[float, float]]]:
    """Each frame's pixel size and the resolution it is read at (see :func:`image_dpi`)."""
    frames = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                for index in range(getattr(image, "n_frames", 1)):
                    image.seek(index)
                    tag = image.info.get("dpi")
                    # PNG stores pixels per metre: 300 dpi reads back as 299.9994.
                    tagged = (round(float(tag[0]), 1), round(float(tag[1]), 1)) if tag else None
                    width, height = image.size
                    if width * height > MAX_IMAGE_PIXELS:
                        raise _too_large(path, f"{width:,} x {height:,} pixels")
                    frames.append((width, height, image_dpi(width, height, tagged)))
        except ImageTooLargeError:
            raise
        except Image.DecompressionBombError as exc:  # over Pillow's own limit: not decoded
            found = _PILLOW_PIXELS.search(str(exc))
            size = f"{int(found.group(1)):,} pixels" if found else "too many pixels"
            raise _too_large(path, size) from exc
        except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError...
            raise CorruptDocumentError(f"{path}: cannot be opened as IMAGE.") from exc
    return frames


def _too_large(path: Path, size: str) -> ImageTooLargeError:
    return ImageTooLargeError(
        f"{path}: the image is too large to read ({size}); Westfall Legal reads images of up "
        f"to {MAX_IMAGE_PIXELS:,} pixels (a letter or A4 page scanned at 1,200 dpi)."
    )


def image_page_size(frame: tuple[int, int, tuple[float, float]]) -> tuple[float, float]:
    width, height, (x_dpi, y_dpi) = frame
    return width * 72.0 / x_dpi, height * 72.0 / y_dpi
