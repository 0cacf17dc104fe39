"""Footnotes of a PDF stay in the text but out of clauses and headings, as a Word draft's
do (PDFs drawn here with PyMuPDF, read by the real ingest and layout)."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from westfall_legal.ingest.document import load_document
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.text import build_text

BODY = [
    "3. PAYMENT",
    "3.1 The Customer shall pay each invoice within thirty days of its date, by wire",
    "transfer to the account the Supplier names in writing from time to time.1",
    "3.2 Amounts not paid when due bear interest at the rate set out in Schedule 2,",
    "calculated daily and compounded monthly, until paid in full by the Customer.",
    "3.3 The Supplier may suspend the Services on ten days' notice while any undisputed",
    "amount remains unpaid after its due date, without liability to the Customer.",
]
NOTES = [
    "1 See Section 4.2 of the Master Agreement between the parties dated 1 March 2024.",
    "2 Interest is computed on the basis of a year of 365 days.",
]


def _pdf(path: Path, *, note_size: float) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()  # 595 x 842
    for i, line in enumerate(BODY):
        page.insert_text((72, 90 + 16 * i), line, fontsize=11)
    for i, line in enumerate(NOTES):
        page.insert_text((72, 700 + 11 * i), line, fontsize=note_size)
    doc.save(path)
    return path


def test_a_footnote_is_kept_out_of_running_text_and_headings(tmp_path: Path) -> None:
    dt = build_text(load_document(_pdf(tmp_path / "notes.pdf", note_size=7.5)))
    notes = [dt.text[ln.char_start : ln.char_end] for ln in dt.lines if ln.is_margin]
    assert notes == NOTES  # both notes, nothing of the body
    assert "See Section 4.2" in dt.text  # still in the text a reviewer reads
    numbers = [s.number for s in build_sections(dt)]
    assert "1" not in numbers and "2" not in numbers and "3.1" in numbers


def test_lines_in_the_body_type_are_not_footnotes(tmp_path: Path) -> None:
    dt = build_text(load_document(_pdf(tmp_path / "no_notes.pdf", note_size=11)))
    assert not any(ln.is_margin for ln in dt.lines)
