"""Checks on a Word file before any XML library sees it (standard library only).

A .docx is a ZIP archive of XML parts. Before it is parsed: the file itself is bounded; a
Word 97-2003 .doc and a password-protected .docx (both OLE compound files, magic
``D0 CF 11 E0``; the protected one holds an ``EncryptedPackage`` stream) are told apart and
refused with their next step; the archive's members are counted and their declared sizes
and compression ratios bounded (a zip bomb is refused before anything is inflated). The
declared sizes are enough: :mod:`zipfile` never inflates a member past its declared size (a
member that lies fails its CRC check, which is then a damaged file). XML parts are refused
if they carry a document type declaration: Word never writes one, and it is where entity
expansion attacks live.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from westfall_legal.errors import (
    CorruptDocxError,
    DocxTooLargeError,
    EmptyFileError,
    EncryptedDocxError,
    InputNotFoundError,
    WordBinaryError,
)
from westfall_legal.ingest.formats import read_bounded

MAX_FILE_BYTES = 256 * 1024 * 1024  # the .docx on disk
MAX_MEMBERS = 5_000
MAX_XML_BYTES = 64 * 1024 * 1024  # one XML part, inflated
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # every member, inflated
MAX_RATIO = 200  # inflated / compressed, for a member over RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# OLE directory entries hold their names in UTF-16LE.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_XML_SUFFIXES = (".xml", ".rels")
_MIB = 1024 * 1024


def read_word_file(path: Path) -> bytes:
    """The bytes of a Word file, after refusing what is not a .docx that can be read."""
    data = read_bounded(
        path,
        MAX_FILE_BYTES,
        lambda size: DocxTooLargeError(
            f"{path}: the Word file is {size / _MIB:,.0f} MB; Westfall Legal reads Word "
            f"files of up to {MAX_FILE_BYTES // _MIB} MB."
        ),
        folder=InputNotFoundError,
    )
    if not data:
        raise EmptyFileError(f"{path}: the file is empty (0 bytes).")
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise EncryptedDocxError(f"{path}: the Word file is password-protected.")
        raise WordBinaryError(f"{path}: a Word 97-2003 document (.doc), not a .docx.")
    if not data.startswith(ZIP_MAGIC):
        raise CorruptDocxError(f"{path}: not a Word .docx file (it is not a ZIP package).")
    check_archive(path, data)
    return data


def check_archive(path: Path, data: bytes) -> None:
    """Refuse a damaged archive, a zip bomb and XML with a document type declaration."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_sizes(path, members)
            for info in members:
                if info.filename.lower().endswith(_XML_SUFFIXES):
                    _check_xml(path, info.filename, archive.read(info))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise CorruptDocxError(f"{path}: the Word file is damaged or truncated ({exc}).") from exc
    except NotImplementedError as exc:  # a compression method zipfile does not have
        raise CorruptDocxError(f"{path}: the Word file cannot be unpacked ({exc}).") from exc


def _check_sizes(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise DocxTooLargeError(
            f"{path}: the Word file holds {len(members):,} parts (a .docx has a few dozen; "
            f"at most {MAX_MEMBERS:,} are read)."
        )
    total = 0
    for info in members:
        total += info.file_size
        is_xml = info.filename.lower().endswith(_XML_SUFFIXES)
        ratio = info.file_size / max(info.compress_size, 1)
        if (is_xml and info.file_size > MAX_XML_BYTES) or (
            info.file_size > RATIO_FROM and ratio > MAX_RATIO
        ):
            raise DocxTooLargeError(
                f"{path}: the part {info.filename[:80]!r} of the Word file expands from "
                f"{info.compress_size:,} to {info.file_size:,} bytes (a zip bomb)."
            )
        if total > MAX_TOTAL_BYTES:
            raise DocxTooLargeError(
                f"{path}: the Word file expands to more than {MAX_TOTAL_BYTES // _MIB} MB "
                "(a zip bomb)."
            )


_DOCTYPE = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def _check_xml(path: Path, name: str, xml: bytes) -> None:
    # "<!DOCTYPE" can only be markup: in text Word writes "&lt;", so the whole part is searched.
    if any(marker in xml for marker in _DOCTYPE):
        raise CorruptDocxError(
            f"{path}: the part {name[:80]!r} of the Word file declares a document type, which "
            "Word never writes; it was not read."
        )
