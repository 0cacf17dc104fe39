"""The review handed back in Word, as ``westfall export-docx`` and the window's Export for
Word both write it: a Word draft gets a copy of itself with the notes as comments on their
words (the original is never touched); any other document a clean .docx of the reviewed
text, numbered as read, with the same comments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from westfall_legal.models import Review


@dataclass(frozen=True, slots=True)
class WordCopy:
    comments: int  # the notes written as Word comments
    paragraphs: int | None  # a clean file's paragraphs; None for a copy of the draft

    def how(self, *, count: bool = False) -> str:
        """What was written, for a status line ("a copy of the draft", ...)."""
        if self.paragraphs is None:
            return "a copy of the draft"
        counted = f" ({self.paragraphs} paragraphs)" if count else ""
        return f"a clean Word file of the reviewed text{counted}"


def write_word_copy(
    review: Review, source: Path, notes: Sequence[tuple[int, int, str]], out: Path
) -> WordCopy:
    """Write the Word copy of ``review`` (read from ``source``) with ``notes`` to ``out``."""
    from westfall_legal.handback.notes import clean_paragraphs
    from westfall_legal.ingest.docx import annotate_docx, write_docx

    if review.doc_text.source == "docx":
        return WordCopy(annotate_docx(source, notes, out), None)
    paragraphs = clean_paragraphs(review.doc_text, review.sections)
    return WordCopy(write_docx(paragraphs, notes, out, title=source.stem), len(paragraphs))
