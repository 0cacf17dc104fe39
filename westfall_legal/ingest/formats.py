"""Which files Westfall Legal reads, by their names: each kind goes to its own reader; and
the bounded read the Word and text readers share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from westfall_legal.errors import InputNotFoundError, KnownError, UnsupportedFileError

PDF_SUFFIXES = frozenset({".pdf"})
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
# .doc goes to the Word reader too: it tells a Word 97-2003 file to be saved as .docx (and
# reads a .docx that was given the old name).
WORD_SUFFIXES = frozenset({".docx", ".doc"})
TEXT_SUFFIXES = frozenset({".txt"})
READ_SUFFIXES = PDF_SUFFIXES | IMAGE_SUFFIXES | WORD_SUFFIXES | TEXT_SUFFIXES

Kind = Literal["pages", "word", "text"]


def kind_of(path: Path) -> Kind:
    """The reader for ``path``: PDF and images (and anything else, which the PDF reader
    refuses with its hint) have pages; Word drafts and text files do not."""
    suffix = path.suffix.lower()
    if suffix in WORD_SUFFIXES:
        return "word"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return "pages"


def read_bounded(
    path: Path,
    limit: int,
    too_large: Callable[[int], KnownError],
    *,
    folder: type[KnownError] = UnsupportedFileError,
) -> bytes:
    """The bytes of the file at ``path`` (a Word draft, a text file), refused with a clear
    error when it is a folder (``folder``), larger than ``limit`` bytes (``too_large(size)``,
    checked before anything is read), missing or unreadable."""
    try:
        if path.is_dir():
            raise folder(f"{path}: is a folder, not a document.")
        size = path.stat().st_size
        if size > limit:
            raise too_large(size)
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputNotFoundError.for_path(path) from exc
    except OSError as exc:
        raise InputNotFoundError(f"{path}: cannot be read ({exc.strerror}).") from exc
