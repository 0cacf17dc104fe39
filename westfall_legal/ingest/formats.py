"""Which files Westfall Legal reads, by their names: each kind goes to its own reader."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

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
