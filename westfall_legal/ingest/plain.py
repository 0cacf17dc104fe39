"""Plain text contracts (.txt): read with a size limit, the encoding found, line ends made
``\\n``."""

from __future__ import annotations

import codecs
from pathlib import Path

from westfall_legal.errors import (
    EmptyFileError,
    UnsupportedFileError,
)
from westfall_legal.hashing import sha256_bytes
from westfall_legal.ingest.formats import read_bounded

MAX_TEXT_BYTES = 32 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_text_file(path: Path) -> tuple[str, str]:
    """The text of a .txt contract and the sha256 of its bytes.

    UTF-8 (or UTF-16/32 with a byte order mark); text that is not UTF-8 is read as Windows
    code page 1252, which every byte sequence decodes in. A file with NUL bytes and no byte
    order mark is not text and is refused.
    """
    data = read_bounded(
        path,
        MAX_TEXT_BYTES,
        lambda size: UnsupportedFileError(
            f"{path}: the text file is {size / 2**20:,.0f} MB; Westfall Legal reads text "
            f"files of up to {MAX_TEXT_BYTES // 2**20} MB.",
            hint="Split the file into its contracts and review each.",
        ),
    )
    text = _decode(path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    if not text.strip():
        raise EmptyFileError(f"{path}: the text file has no text.")
    return text, sha256_bytes(data)


def _decode(path: Path, data: bytes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break
    if b"\x00" in data:
        raise UnsupportedFileError(
            f"{path}: not a text file (it holds binary data).",
            hint="Check that the right file was saved, or save the contract as .docx or PDF.",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
