"""`westfall review`'s inputs: what a folder holds, and a report name of its own for each file."""

from __future__ import annotations

from pathlib import Path

import pytest

from westfall_legal.cli.review import expand, report_stems
from westfall_legal.errors import InputNotFoundError


def _touch(path: Path, data: bytes = b"%PDF-1.7\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_distinct_names_are_kept() -> None:
    files = [Path("in/a.pdf"), Path("in/b.png")]
    assert report_stems(files) == {files[0]: "a", files[1]: "b"}


def test_the_same_name_from_two_folders_takes_the_folder_name(tmp_path: Path) -> None:
    one = _touch(tmp_path / "acme" / "contract.pdf")
    two = _touch(tmp_path / "globex" / "contract.pdf")
    other = _touch(tmp_path / "acme" / "lease.pdf")
    stems = report_stems([one, two, other])
    assert stems == {one: "acme_contract", two: "globex_contract", other: "lease"}


def test_names_that_differ_only_in_case_or_suffix_clash(tmp_path: Path) -> None:
    pdf = _touch(tmp_path / "in" / "Contract.pdf")
    png = _touch(tmp_path / "in" / "contract.png")
    stems = report_stems([pdf, png])
    assert len({s.casefold() for s in stems.values()}) == 2  # same folder: a hash tells them apart
    assert stems[pdf].startswith("Contract-") and stems[png].startswith("contract-")
    assert stems == report_stems([pdf, png])  # the same file gets the same name every run


def test_a_folder_prefix_that_meets_another_name_falls_back_to_a_hash(tmp_path: Path) -> None:
    one = _touch(tmp_path / "x" / "acme" / "contract.pdf")
    two = _touch(tmp_path / "y" / "acme" / "contract.pdf")
    three = _touch(tmp_path / "z" / "acme_contract.pdf")
    stems = report_stems([one, two, three])
    assert len({s.casefold() for s in stems.values()}) == 3
    assert stems[three] == "acme_contract"


def test_a_folder_lists_what_it_cannot_review(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    good = _touch(folder / "a.pdf")
    draft = _touch(folder / "notes.docx", b"PK")
    old_word = _touch(folder / "old.doc", b"\xd0\xcf\x11\xe0")  # reviewed: it fails with its hint
    text = _touch(folder / "readme.txt", b"hello")
    _touch(folder / "letter.odt", b"PK")
    _touch(folder / ".DS_Store", b"\0")
    (folder / "old").mkdir()
    found = expand([str(folder), str(good)])  # a file named twice is reviewed once
    assert found.files == [good, draft, old_word, text]
    assert len(found.skipped) == 2, found.skipped
    odt, sub = found.skipped
    assert "letter.odt" in odt and "save it as .docx or PDF" in odt
    assert "old" in sub and "folder" in sub


def test_a_folder_without_documents_is_an_error(tmp_path: Path) -> None:
    _touch(tmp_path / "in" / "notes.odt", b"PK")
    with pytest.raises(InputNotFoundError):
        expand([str(tmp_path / "in")])
