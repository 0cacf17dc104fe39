"""Bad Word and text files: each refused before parsing, with its own error, the file named,
the next step and its exit code."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from tests.docx_samples import generator, sample_bytes, write
from westfall_legal.errors import (
    CorruptDocxError,
    DocxTooLargeError,
    EmptyFileError,
    EncryptedDocxError,
    ExitCode,
    InputNotFoundError,
    UnsupportedFileError,
    WordBinaryError,
)
from westfall_legal.ingest import archive
from westfall_legal.ingest.docx import read_docx
from westfall_legal.ingest.plain import read_text_file


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """``data`` (a .docx) with some members' bytes replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, replace.get(info.filename, source.read(info)))
    return out.getvalue()


@pytest.mark.parametrize("name", ["old.doc", "renamed.docx"])
def test_a_word_97_document_is_told_to_be_saved_as_docx(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, generator().word97_doc())
    with pytest.raises(WordBinaryError) as caught:
        read_docx(path)
    error = caught.value
    assert str(path) in error.message and "Word 97-2003" in error.message
    assert "save it as a Word Document (.docx)" in error.hint
    assert error.exit_code == ExitCode.BAD_INPUT and "\n" not in error.user_line()


def test_a_password_protected_docx_says_how_to_remove_the_password(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.docx", generator().encrypted_docx())
    with pytest.raises(EncryptedDocxError) as caught:
        read_docx(path)
    error = caught.value
    assert str(path) in error.message and "password-protected" in error.message
    assert "remove the password" in error.hint and error.exit_code == ExitCode.ENCRYPTED


def test_a_truncated_docx_is_damaged(tmp_path: Path) -> None:
    path = write(tmp_path, "cut.docx", generator().truncated(sample_bytes()))
    with pytest.raises(CorruptDocxError) as caught:
        read_docx(path)
    error = caught.value
    assert str(path) in error.message and "damaged or truncated" in error.message
    assert "save it again as .docx" in error.hint and error.exit_code == ExitCode.BAD_INPUT


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    path = write(tmp_path, "bomb.docx", generator().zip_bomb(80 * 1024 * 1024))
    assert path.stat().st_size < 1_000_000
    start = time.perf_counter()
    with pytest.raises(DocxTooLargeError) as caught:
        read_docx(path)
    assert time.perf_counter() - start < 0.5  # nothing was inflated
    error = caught.value
    assert str(path) in error.message and "zip bomb" in error.message
    assert "word/document.xml" in error.message and error.exit_code == ExitCode.BAD_INPUT


def test_the_archive_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "msa.docx", sample_bytes())
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 100_000)
    with pytest.raises(DocxTooLargeError, match="expands to more than"):
        read_docx(path)
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 10**9)
    monkeypatch.setattr(archive, "MAX_MEMBERS", 5)
    with pytest.raises(DocxTooLargeError, match="parts"):
        read_docx(path)
    monkeypatch.setattr(archive, "MAX_MEMBERS", 5000)
    monkeypatch.setattr(archive, "MAX_FILE_BYTES", 1000)
    with pytest.raises(DocxTooLargeError, match="MB"):
        read_docx(path)


def test_xml_with_a_document_type_is_not_parsed(tmp_path: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document '
        b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    path = write(tmp_path, "dtd.docx", _rezip(sample_bytes(), {"word/document.xml": laughs}))
    with pytest.raises(CorruptDocxError, match="declares a document type"):
        read_docx(path)
    utf16 = laughs.decode().replace('"1.0"?>', '"1.0" encoding="UTF-16"?>').encode("utf-16")
    path = write(tmp_path, "dtd16.docx", _rezip(sample_bytes(), {"word/document.xml": utf16}))
    with pytest.raises(CorruptDocxError, match="declares a document type"):
        read_docx(path)


def test_a_member_that_lies_about_its_size_is_damaged(tmp_path: Path) -> None:
    """zipfile inflates a member only up to the size the central directory declares: a
    member declared small (to pass the limits) fails its CRC check instead of inflating."""
    data = bytearray(sample_bytes())
    name = b"word/document.xml"
    entry = next(
        i for i in range(len(data)) if data.startswith(b"PK\x01\x02", i)
        and data[i + 46 : i + 46 + len(name)] == name
    )  # fmt: skip
    data[entry + 24 : entry + 28] = (1000).to_bytes(4, "little")  # uncompressed size
    path = write(tmp_path, "liar.docx", bytes(data))
    with pytest.raises(CorruptDocxError, match="damaged or truncated"):
        read_docx(path)


def test_a_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hello")
    path = write(tmp_path, "not.docx", out.getvalue())
    with pytest.raises(CorruptDocxError) as caught:
        read_docx(path)
    assert str(path) in caught.value.message
    spreadsheet = _rezip(
        sample_bytes(),
        {"[Content_Types].xml": sample_zip_member("[Content_Types].xml").replace(
            b"wordprocessingml.document.main", b"spreadsheetml.sheet.main")},
    )  # fmt: skip
    path = write(tmp_path, "sheet.docx", spreadsheet)
    with pytest.raises(CorruptDocxError, match="not a Word document"):
        read_docx(path)


def sample_zip_member(name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(sample_bytes())) as z:
        return z.read(name)


def test_not_a_zip_empty_and_missing(tmp_path: Path) -> None:
    path = write(tmp_path, "text.docx", b"just some text, not a package")
    with pytest.raises(CorruptDocxError, match="not a ZIP package"):
        read_docx(path)
    with pytest.raises(EmptyFileError):
        read_docx(write(tmp_path, "empty.docx", b""))
    with pytest.raises(InputNotFoundError) as caught:
        read_docx(tmp_path / "missing.docx")
    assert caught.value.exit_code == ExitCode.INPUT_MISSING


# -- plain text ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"1. Term.\r\nThe term is one year.\r\n", "1. Term.\nThe term is one year.\n"),
        ("\ufeff1. Fees – €100.\n".encode(), "1. Fees – €100.\n"),
        ("1. Fees – €100.\n".encode("utf-16"), "1. Fees – €100.\n"),
        ("1. Fees – €100.\n".encode("cp1252"), "1. Fees – €100.\n"),
        (b"Page one\fPage two\rend", "Page one\nPage two\nend"),
    ],
)
def test_text_files_are_decoded_and_lines_normalised(
    tmp_path: Path, data: bytes, text: str
) -> None:
    read, sha256 = read_text_file(write(tmp_path, "c.txt", data))
    assert read == text and len(sha256) == 64


def test_bad_text_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UnsupportedFileError, match="binary data"):
        read_text_file(write(tmp_path, "bin.txt", b"PK\x03\x04\x00\x00binary"))
    with pytest.raises(EmptyFileError):
        read_text_file(write(tmp_path, "blank.txt", b" \n\n "))
    with pytest.raises(InputNotFoundError):
        read_text_file(tmp_path / "missing.txt")
    from westfall_legal.ingest import plain

    monkeypatch.setattr(plain, "MAX_TEXT_BYTES", 4)
    with pytest.raises(UnsupportedFileError, match="text files of up to"):
        read_text_file(write(tmp_path, "long.txt", b"long text"))
