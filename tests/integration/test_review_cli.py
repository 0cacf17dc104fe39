"""`westfall review` end to end: the sample reviewed for real, and each bad input refused."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pymupdf
import pytest

from tests.engines import needs_tesseract
from tests.review_types import mismatches
from westfall_legal.cli import main
from westfall_legal.errors import ExitCode
from westfall_legal.review_json import ReviewJson

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "master_services_agreement.pdf"
SCHEMA = json.loads((ROOT / "westfall_legal/data/schema/review.schema.json").read_text())


def _contract_pdf(path: Path, pages: int = 2, password: str | None = None) -> Path:
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page()
        page.insert_text(
            (72, 100),
            f"{n + 1}. GOVERNING LAW\nThis Agreement shall be governed by the laws of the\n"
            "State of Delaware, without regard to its conflict of laws principles.",
            fontsize=11,
        )
    if password:
        doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=password, owner_pw="o")
    else:
        doc.save(path)
    return path


def _review(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["review", "-q", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_sample_review_fills_the_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _review(capsys, str(SAMPLE), "--out", str(tmp_path), "--no-llm")
    assert code == 0, err
    data = json.loads((tmp_path / "master_services_agreement.review.json").read_text())
    jsonschema.validate(data, SCHEMA)
    assert mismatches(data, ReviewJson) == []  # and the types the code reads it through
    assert (tmp_path / "master_services_agreement.review.html").read_text().startswith("<!DOCTYPE")
    categories = {c["category"] for c in data["clauses"]}
    assert {"Governing Law", "Cap On Liability", "Anti-Assignment"} <= categories
    assert data["facts"]["governing_law"]["value"] == "New York"
    assert data["facts"]["agreement_date"]["value"] == "2025-03-03"
    facts = {name: fact["value"] for name, fact in data["facts"].items()}
    assert facts["term"] == "P3Y" and facts["expiration_date"] == "2028-03-03"
    assert facts["renewal_term"] == "P1Y" and facts["notice_period"] == "P30D"
    assert data["contract_type"]["label"]
    # Provenance: every clause's text is exactly its span of the document text, boxes on its page.
    for clause in data["clauses"]:
        assert data["text"][clause["char_start"] : clause["char_end"]] == clause["text"]
        assert clause["page"] >= 1 and clause["boxes"]
        for x0, y0, x1, y1 in clause["boxes"]:
            assert 0 <= x0 < x1 <= 612.5 and 0 <= y0 < y1 <= 792.5
    # Running headers and footers never enter a clause.
    assert not any("Page 3 of" in c["text"] for c in data["clauses"])
    assert "master_services_agreement.pdf" in out


def test_schema_rejects_a_broken_review() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"schema": "westfall.review/1", "clauses": "nope"}, SCHEMA)


def _bad_input_cases(tmp: Path) -> list[tuple[Path, list[str], int, str]]:
    corrupt = tmp / "corrupt.pdf"
    good = _contract_pdf(tmp / "good.pdf").read_bytes()
    corrupt.write_bytes(good[:9] + bytes(range(256)) * 8)  # a PDF header over garbage
    empty = tmp / "empty.pdf"
    empty.write_bytes(b"")
    renamed = tmp / "letter.pdf"
    renamed.write_text("Dear Sir, this is a Word document saved under the wrong name.\n")
    locked = _contract_pdf(tmp / "locked.pdf", password="s3cret")
    return [
        (corrupt, [], ExitCode.BAD_INPUT, "damaged"),
        (empty, [], ExitCode.BAD_INPUT, "empty"),
        (renamed, [], ExitCode.BAD_INPUT, "not a PDF"),
        (locked, [], ExitCode.ENCRYPTED, "--password"),
        (locked, ["--password", "wrong"], ExitCode.ENCRYPTED, "wrong password"),
        (tmp / "missing.pdf", [], ExitCode.INPUT_MISSING, "no such file"),
    ]


@pytest.mark.parametrize(
    "case", range(6), ids=["corrupt", "empty", "renamed", "locked", "wrong-pw", "missing"]
)
def test_bad_input_one_clear_line_nothing_written(
    case: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, extra, expected_code, words = _bad_input_cases(tmp_path)[case]
    out_dir = tmp_path / "out"
    code, _, err = _review(capsys, str(path), "--out", str(out_dir), *extra)
    assert code == expected_code
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0] and words in lines[0]
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_password_opens_a_protected_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = _contract_pdf(tmp_path / "locked.pdf", password="s3cret")
    code, _, err = _review(
        capsys,
        str(locked),
        "--out",
        str(tmp_path / "o"),
        "--password",
        "s3cret",
        "--format",
        "json",
    )
    assert code == 0, err
    data = json.loads((tmp_path / "o" / "locked.review.json").read_text())
    assert data["facts"]["governing_law"]["value"] == "Delaware"


def test_one_bad_file_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _contract_pdf(folder / "a.pdf")
    (folder / "b.pdf").write_bytes(b"")
    code, out, err = _review(capsys, str(folder), "--out", str(tmp_path / "o"), "--format", "json")
    assert code == ExitCode.BAD_INPUT
    assert (tmp_path / "o" / "a.review.json").exists()
    assert not (tmp_path / "o" / "b.review.json").exists()
    assert "b.pdf" in err and "a.pdf" in out


def test_unknown_format_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _review(capsys, str(SAMPLE), "--out", str(tmp_path), "--format", "docx")
    assert code != 0 and "docx" in err


@needs_tesseract
def test_scanned_contract_is_read_by_ocr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    digital = pymupdf.open(_contract_pdf(tmp_path / "digital.pdf", pages=1))
    pix = digital[0].get_pixmap(dpi=300, colorspace=pymupdf.csGRAY)
    scan = pymupdf.open()
    page = scan.new_page(width=digital[0].rect.width, height=digital[0].rect.height)
    page.insert_image(page.rect, pixmap=pix)
    scan.save(tmp_path / "scan.pdf")
    code, _, err = _review(
        capsys, str(tmp_path / "scan.pdf"), "--out", str(tmp_path / "o"), "--format", "json"
    )
    assert code == 0, err
    data = json.loads((tmp_path / "o" / "scan.review.json").read_text())
    jsonschema.validate(data, SCHEMA)
    assert mismatches(data, ReviewJson) == []  # and the types the code reads it through
    assert data["document"]["pages"][0]["source"] == "ocr"
    assert data["document"]["pages"][0]["ocr_confidence"] > 80
    law = data["facts"]["governing_law"]
    assert law["value"] == "Delaware" and law["page"] == 1


def test_a_review_in_two_steps_leaves_the_models_sentences_to_the_second() -> None:
    from westfall_legal.pipeline import LATER, analyse, summarise_review
    from westfall_legal.settings import Settings

    first = analyse(SAMPLE, with_llm=False)
    assert first.summary is not None and first.summary.note == LATER
    assert first.summary.sentences and first.findings  # the rule part is there at once
    second = summarise_review(first, settings=Settings())  # no model in this data folder
    assert second.summary is not None and "no language model is active" in str(second.summary.note)
    assert second.clauses == first.clauses and "summary" in second.timings


def test_sections_carry_their_boxes_page_by_page(tmp_path: Path) -> None:
    assert (
        main(["review", str(SAMPLE), "--out", str(tmp_path), "--format", "json", "--no-llm", "-q"])
        == 0
    )
    data = json.loads((tmp_path / "master_services_agreement.review.json").read_text())
    sections = data["structure"]["sections"]
    definitions = next(s for s in sections if s["title"] == "Definitions")
    pages = [int(b[0]) for b in definitions["boxes"]]
    assert len(pages) >= 2 and pages == sorted(pages)  # the definitions run over a page break
    for _page, x0, y0, x1, y1 in definitions["boxes"]:
        assert 0 <= x0 < x1 <= 612 and 0 <= y0 < y1 <= 792
    assert data["structure"]["numbering_issues"] == []  # the sample is numbered cleanly
