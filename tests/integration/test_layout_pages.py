"""Layout on real PDFs made here with PyMuPDF: a two-column page drawn line by line across
both columns, and the scanned sample's fee table read by Tesseract."""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from westfall_legal.ingest.document import load_document
from westfall_legal.layout.text import build_text

ROOT = Path(__file__).resolve().parents[2]
SCAN = ROOT / "resources" / "samples" / "master_services_agreement_scanned.pdf"
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no Tesseract")

LEFT = (
    "7.1 Confidentiality. Each Party shall keep the other Party's Confidential Information "
    "secret and use it only to perform this Agreement, and shall protect it with at least "
    "the care it gives its own information of a like kind."
)
RIGHT = (
    "7.2 Exceptions. The obligations in Section 7.1 do not apply to information that is or "
    "becomes public through no fault of the receiving Party, or that it already knew."
)


def _wrap(text: str, width: float, fontsize: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and pymupdf.get_text_length(trial, fontsize=fontsize) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def two_column_pdf(path: Path) -> Path:
    """A page with a title across, two columns drawn line by line (left line 1, right line 1,
    left line 2, ...: the worst order for a reader that trusts the content stream), and a
    closing line across."""
    doc = pymupdf.open()
    page = doc.new_page()  # 595 x 842 pt
    page.insert_text(
        (72, 72), "TWO-COLUMN SUPPLY AGREEMENT BETWEEN THE PARTIES NAMED BELOW", fontsize=11
    )
    left, right = _wrap(LEFT, 210, 10), _wrap(RIGHT, 210, 10)
    for i in range(max(len(left), len(right))):
        if i < len(left):
            page.insert_text((72, 110 + 13 * i), left[i], fontsize=10)
        if i < len(right):
            page.insert_text((313, 110 + 13 * i), right[i], fontsize=10)
    y = 110 + 13 * max(len(left), len(right)) + 20
    page.insert_text(
        (72, y), "IN WITNESS WHEREOF, the Parties have signed this Agreement below.", fontsize=11
    )
    doc.save(path)
    return path


def test_a_two_column_page_reads_column_one_then_column_two(tmp_path: Path) -> None:
    path = two_column_pdf(tmp_path / "two_columns.pdf")
    with pymupdf.open(path) as doc:  # the content stream really does interleave them
        stream = [w[4] for w in doc[0].get_text("words", sort=False)]
    assert stream.index("7.2") < stream.index("Party's")
    dt = build_text(load_document(path))
    text = " ".join(dt.text.split())
    assert text.index("TWO-COLUMN") < text.index("7.1 Confidentiality")
    assert text.index(" ".join(LEFT.split())) < text.index(" ".join(RIGHT.split()))
    assert text.index("already knew.") < text.index("IN WITNESS WHEREOF")
    # each column is a paragraph of its own
    paragraphs = [" ".join(p.split()) for p in dt.text.split("\n\n")]
    assert " ".join(LEFT.split()) in paragraphs and " ".join(RIGHT.split()) in paragraphs


@needs_tesseract
def test_the_scanned_fee_table_is_read_from_word_geometry(tmp_path: Path) -> None:
    if not SCAN.exists():
        pytest.skip(f"{SCAN.name} not generated (resources/samples/generate.py --only scan)")
    page_19 = tmp_path / "fees.pdf"
    with pymupdf.open(SCAN) as scan, pymupdf.open() as one:
        one.insert_pdf(scan, from_page=18, to_page=18)
        one.save(page_19)
    document = load_document(page_19, workers=1)
    assert document.pages[0].source == "ocr"
    dt = build_text(document)
    (table,) = dt.tables
    assert table.rows[0] == ("Service", "Unit", "Fee (USD)")
    assert len(table.rows) == 9 and all(len(row) == 3 for row in table.rows)
    assert [row[2] for row in table.rows[1:]] == [
        "$48,500.00", "$21,750.00", "$285.00", "$210.00", "$165.00", "$36,000.00", "$325.00",
        "$2,400.00",
    ]  # fmt: skip
    assert table.rows[4][:2] == ("Software Engineer", "per hour")
    assert any(ln.in_table for ln in dt.lines) and "Quality Assurance Analyst" in dt.text
