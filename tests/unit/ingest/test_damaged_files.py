"""Damaged and awkward input: a truncated PDF is refused with a clear error or read with a
warning that names its empty pages; a huge image is refused as too large; a Word or text
file is told to be saved as PDF. The PDFs are the sample cut short here."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest

from westfall_legal.errors import (
    CorruptDocumentError,
    ExitCode,
    ImageTooLargeError,
    UnsupportedFileError,
)
from westfall_legal.ingest import pdf
from westfall_legal.ingest.document import damage_warnings, load_document, page_ranges
from westfall_legal.ingest.images import MAX_IMAGE_PIXELS

SAMPLE = (
    Path(__file__).resolve().parents[3] / "resources" / "samples" / "master_services_agreement.pdf"
)


def _cut(tmp_path: Path, percent: int) -> Path:
    data = SAMPLE.read_bytes()
    path = tmp_path / f"cut{percent}.pdf"
    path.write_bytes(data[: len(data) * percent // 100])
    return path


def _png(path: Path, width: int, height: int) -> Path:
    """A white 1-bit PNG of any size, written row by row (a 20000 px square is 50 kB)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    pack = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    body = b"".join(pack.compress(row) for _ in range(height)) + pack.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
    return path


@pytest.mark.parametrize("percent", [5, 20, 35, 50])
def test_a_pdf_cut_to_half_or_less_is_a_clear_error(tmp_path: Path, percent: int) -> None:
    path = _cut(tmp_path, percent)
    with pytest.raises(CorruptDocumentError) as caught:
        list(pdf.read_pages(path))  # was RuntimeError: code=7: Invalid number of pages
    error = caught.value
    assert str(path) in error.message and "truncated" in error.message
    assert error.exit_code == ExitCode.BAD_INPUT and "download" in error.hint


@pytest.mark.parametrize("percent", [70, 80, 90])
def test_a_repaired_pdf_says_which_pages_are_empty(tmp_path: Path, percent: int) -> None:
    document = load_document(_cut(tmp_path, percent))
    (warning,) = document.warnings
    assert "damaged and repaired" in warning
    found = re.search(r"pages (\d+)-(\d+) are empty", warning)
    assert found, warning
    first, last = int(found.group(1)), int(found.group(2))
    assert last == len(document.pages) == 19 and 1 < first < last
    assert all(not p.words for p in document.pages[first - 1 :])
    assert all(p.words for p in document.pages[: first - 1])


def test_an_intact_pdf_has_no_warnings() -> None:
    report = pdf.ReadReport()
    pages = list(pdf.read_pages(SAMPLE, report=report))
    assert not report.repaired and not any(p.blank for p in pages)
    assert load_document(SAMPLE).warnings == ()


def test_blank_pages_of_an_undamaged_file_are_not_a_warning() -> None:
    assert damage_warnings(False, [3, 4]) == ()
    assert "check its pages against the original" in damage_warnings(True, [])[0]
    assert "page 7 is empty" in damage_warnings(True, [7])[0]


@pytest.mark.parametrize(
    ("numbers", "text"),
    [
        ([5], "page 5"),
        ([5, 6, 7], "pages 5-7"),
        ([9, 2, 3], "pages 2-3 and 9"),
        ([1, 3, 5, 6], "pages 1, 3 and 5-6"),
    ],
)
def test_page_ranges(numbers: list[int], text: str) -> None:
    assert page_ranges(numbers) == text


def test_a_huge_image_is_too_large_not_damaged(tmp_path: Path) -> None:
    path = _png(tmp_path / "huge.png", 20_000, 20_000)
    with pytest.raises(ImageTooLargeError) as caught:
        list(pdf.read_pages(path))
    error = caught.value
    assert str(path) in error.message and "too large" in error.message
    assert "400,000,000 pixels" in error.message and f"{MAX_IMAGE_PIXELS:,}" in error.message
    assert "damaged" not in error.user_line() and error.exit_code == ExitCode.BAD_INPUT


def test_an_image_over_the_limit_names_its_size(tmp_path: Path) -> None:
    path = _png(tmp_path / "large.png", 12_500, 12_500)  # 156 million: under Pillow's own limit
    with pytest.raises(ImageTooLargeError, match="12,500 x 12,500 pixels"):
        list(pdf.read_pages(path))
    with pytest.raises(ImageTooLargeError):
        pdf.render_page_rgb(path, 1, 0.1)


@pytest.mark.parametrize("suffix", [".odt", ".rtf", ".ODT"])
def test_other_word_processor_files_are_told_to_be_saved_as_docx(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"contract{suffix}"
    path.write_bytes(b"PK\x03\x04 not read")
    with pytest.raises(UnsupportedFileError) as caught:
        pdf.check_file(path)
    assert str(path) in caught.value.message and "save it as .docx or PDF" in caught.value.hint


def test_other_unsupported_files_keep_the_general_hint(tmp_path: Path) -> None:
    path = tmp_path / "song.mp3"
    path.write_bytes(b"ID3")
    with pytest.raises(UnsupportedFileError) as caught:
        pdf.check_file(path)
    assert caught.value.hint == UnsupportedFileError.default_hint
