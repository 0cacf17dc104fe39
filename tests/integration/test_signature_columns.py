"""Signature blocks set side by side on a signature page: each party keeps its own
signatory, whatever order the PDF draws their lines in (PDFs drawn here with PyMuPDF, read
by the real ingest and layout)."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from westfall_legal.ingest.document import load_document
from westfall_legal.layout.signatures import find_signature_blocks
from westfall_legal.layout.text import build_text, plain_text

LEFT = ["ACME SUPPLY CORP.", "By: /s/ Jane Doe", "Name: Jane Doe", "Title: Chief Executive Officer"]
RIGHT = ["BETA RETAIL INC.", "By:", "Name:", "Title:"]
WITNESS = "IN WITNESS WHEREOF, the parties have executed this Agreement as of the Effective Date."


def _page(path: Path, *, row_by_row: bool) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 80), WITNESS, fontsize=10)
    cells = [
        (i, x, line) for x, lines in ((72, LEFT), (320, RIGHT)) for i, line in enumerate(lines)
    ]
    if row_by_row:  # left row 1, right row 1, left row 2...: the text runs across the blocks
        cells.sort(key=lambda c: (c[0], c[1]))
    for i, x, line in cells:
        page.insert_text((x, 140 + 16 * i), line, fontsize=10)
    doc.save(path)
    return path


@pytest.mark.parametrize("row_by_row", [True, False], ids=["drawn row by row", "block by block"])
def test_each_party_keeps_its_signatory(tmp_path: Path, row_by_row: bool) -> None:
    dt = build_text(load_document(_page(tmp_path / "signatures.pdf", row_by_row=row_by_row)))
    blocks = [(b.party, b.signatory, b.title, b.status) for b in find_signature_blocks(dt)]
    assert blocks == [
        ("ACME SUPPLY CORP.", "Jane Doe", "Chief Executive Officer", "signed"),
        ("BETA RETAIL INC.", None, None, "unsigned"),
    ]
    unsigned = find_signature_blocks(dt)[1]
    # The finding's span holds the blank signature line, and nothing of the other block
    cited = dt.text[unsigned.char_start : unsigned.char_end]
    assert "By:" in cited and "Jane Doe" not in cited


def test_a_conformed_signature_under_by_is_one_block() -> None:
    text = f"{WITNESS}\nACME SUPPLY CORP.\nBy:\n/s/ Jane Doe\nName: Jane Doe\nTitle: President\n"
    (block,) = find_signature_blocks(plain_text(text))
    assert (block.party, block.signatory, block.status) == (
        "ACME SUPPLY CORP.",
        "Jane Doe",
        "signed",
    )
