"""Layout on real PDFs made here with PyMuPDF: a two-column page drawn line by line across
both columns, the scanned sample's fee table read by Tesseract, and a scanned signature page
with a pen signature on one signature line and none on the other."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pymupdf
import pytest
from PIL import Image, ImageDraw, ImageFilter

from tests.engines import needs_tesseract
from westfall_legal.ingest.document import load_document
from westfall_legal.layout.signatures import find_signature_blocks
from westfall_legal.layout.text import build_text

ROOT = Path(__file__).resolve().parents[2]
SCAN = ROOT / "resources" / "samples" / "master_services_agreement_scanned.pdf"

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


def _scan_page(number: int, folder: Path) -> Path:
    """Page ``number`` of the scanned sample as a PDF of its own (OCR one page, not 19)."""
    if not SCAN.exists():
        pytest.skip(f"{SCAN.name} not generated (resources/samples/generate.py --only scan)")
    path = folder / f"scan_page_{number}.pdf"
    with pymupdf.open(SCAN) as scan, pymupdf.open() as one:
        one.insert_pdf(scan, from_page=number - 1, to_page=number - 1)
        one.save(path)
    return path


@needs_tesseract
def test_the_scanned_fee_table_is_read_from_word_geometry(tmp_path: Path) -> None:
    document = load_document(_scan_page(19, tmp_path), workers=1)
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


SIGNATURE_PAGE = [
    (72, "IN WITNESS WHEREOF, the Parties have executed this Agreement as of the date above."),
    (120, "ACME SUPPLY CORPORATION"),
    (150, "By: ____________________________________"),
    (168, "Name: Jane Roe"),
    (186, "Title: Chief Executive Officer"),
    (250, "BETA RETAIL LLC"),
    (280, "By: ____________________________________"),
    (298, "Name: John Doe"),
    (316, "Title: President"),
]


def scanned_signature_page(path: Path, signed: tuple[bool, bool]) -> Path:
    """A 300 dpi image-only scan of two signature blocks; a pen signature drawn on the
    signature line of each block that ``signed`` says is signed, the other left blank."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    for y, text in SIGNATURE_PAGE:
        page.insert_text((72, y), text, fontsize=11, fontname="tiro")
    pix = page.get_pixmap(dpi=300, colorspace=pymupdf.csGRAY)
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    draw = ImageDraw.Draw(image)
    for baseline, sign in zip((150, 280), signed, strict=True):
        if not sign:
            continue
        scale = 300 / 72  # pt to px
        points = [
            (
                (110 + t * 1.6) * scale,
                (baseline - 6 - 7 * math.sin(t / 4.0) * math.cos(t / 9.0)) * scale,
            )
            for t in range(100)
        ]
        draw.line(points, fill=20, width=4, joint="curve")
        draw.line(
            [(130 * scale, (baseline - 14) * scale), (150 * scale, (baseline + 2) * scale)],
            fill=20,
            width=4,
        )
    image = image.filter(ImageFilter.GaussianBlur(0.7)).rotate(0.4, fillcolor=255)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80, dpi=(300, 300))
    out = pymupdf.open()
    out.new_page(width=612, height=792).insert_image(
        pymupdf.Rect(0, 0, 612, 792), stream=buffer.getvalue()
    )
    out.save(path)
    return path


@needs_tesseract
@pytest.mark.parametrize("signed", [(True, False), (False, True)])
def test_ink_on_a_scanned_signature_line_means_signed(
    tmp_path: Path, signed: tuple[bool, bool]
) -> None:
    path = scanned_signature_page(tmp_path / "signature.pdf", signed)
    document = load_document(path, workers=1)
    assert document.pages[0].source == "ocr" and document.pages[0].ink is not None
    blocks = find_signature_blocks(build_text(document))
    assert [(b.party, b.signatory) for b in blocks] == [
        ("ACME SUPPLY CORPORATION", "Jane Roe"),
        ("BETA RETAIL LLC", "John Doe"),
    ]
    assert [b.status for b in blocks] == ["signed" if s else "unsigned" for s in signed]


@needs_tesseract
def test_the_scanned_samples_blank_signature_lines_are_unsigned(tmp_path: Path) -> None:
    document = load_document(_scan_page(16, tmp_path), workers=1)
    blocks = find_signature_blocks(build_text(document))
    assert [(b.party, b.status) for b in blocks] == [
        ("HALLORAN PIKE DIGITAL SERVICES, INC.", "unsigned"),
        ("WEXCOMBE PROVISIONS CORPORATION", "unsigned"),
    ]
