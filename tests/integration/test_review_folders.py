"""`westfall review` on damaged files and on folders: a truncated PDF is a clear error or a
warning in every output, one file's failure (a bug included) never stops the others, a
folder's unsupported files are named, and two inputs never write the same report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pymupdf
import pytest

from westfall_legal import models, pipeline
from westfall_legal.cli import main
from westfall_legal.errors import ExitCode, KnownError
from westfall_legal.ingest.document import load_document

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "master_services_agreement.pdf"
SCHEMA = json.loads((ROOT / "westfall_legal/data/schema/review.schema.json").read_text())
SECRET = "Blue Heron Clause 77"  # text of the file whose review hits a bug


def _contract_pdf(path: Path, law: str = "Delaware") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text(
        (72, 100),
        f"1. GOVERNING LAW\nThis Agreement shall be governed by the laws of the\n"
        f"State of {law}, without regard to its conflict of laws principles.",
        fontsize=11,
    )
    doc.save(path)
    return path


def _cut(path: Path, percent: int) -> Path:
    data = SAMPLE.read_bytes()
    path.write_bytes(data[: len(data) * percent // 100])
    return path


def _review(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["review", "-q", "--no-llm", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_pdf_cut_in_half_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _cut(tmp_path / "cut.pdf", 40)
    code, _, err = _review(capsys, str(path), "--out", str(tmp_path / "o"))
    assert code == ExitCode.BAD_INPUT
    (line,) = err.strip().splitlines()
    assert str(path) in line and "truncated" in line and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_a_repaired_pdf_warns_in_the_terminal_the_json_and_the_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _cut(tmp_path / "cut.pdf", 80)
    code, out, err = _review(capsys, str(path), "--out", str(tmp_path / "o"))
    assert code == ExitCode.OK, err
    assert "19 pages" in out
    assert "warning" in err and "damaged and repaired" in err and "pages 10-19 are empty" in err
    data = json.loads((tmp_path / "o" / "cut.review.json").read_text())
    jsonschema.validate(data, SCHEMA)
    (warning,) = data["document"]["warnings"]
    assert "pages 10-19 are empty" in warning
    html = (tmp_path / "o" / "cut.review.html").read_text()
    assert "class='warning'" in html and "pages 10-19 are empty" in html


def test_an_intact_review_has_an_empty_warning_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _contract_pdf(tmp_path / "a.pdf")
    code, _, err = _review(capsys, str(path), "--out", str(tmp_path / "o"), "--format", "json")
    assert code == ExitCode.OK and "warning" not in err
    data = json.loads((tmp_path / "o" / "a.review.json").read_text())
    assert data["document"]["warnings"] == []


def _cuad_pdfs(cuad_dir: Path, count: int) -> list[Path]:
    return sorted((cuad_dir / "full_contract_pdf").rglob("*.pdf"))[:count]


@pytest.mark.parametrize("percent", [5, 30, 50, 70, 80, 90])
def test_truncated_cuad_contracts_fail_clearly_or_warn(
    cuad_dir: Path, tmp_path: Path, percent: int
) -> None:
    """A real contract cut short: a known error or a warning, never a crash or silence."""
    outcomes = []
    for source in _cuad_pdfs(cuad_dir, 8):
        data = source.read_bytes()
        path = tmp_path / "cut.pdf"
        path.write_bytes(data[: len(data) * percent // 100])
        try:
            document = load_document(path, workers=1)
        except KnownError as exc:
            assert str(path) in exc.message and exc.exit_code == ExitCode.BAD_INPUT
            outcomes.append("error")
            continue
        assert document.warnings and "damaged and repaired" in document.warnings[0], source
        outcomes.append("warning")
    assert len(outcomes) == 8
    assert percent < 70 or "warning" in outcomes  # most cuts this late are repaired


@pytest.fixture
def buggy_analyse(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``analyse`` with a bug that shows on one file only (b.pdf)."""
    real = pipeline.analyse

    def analyse(path: Path, **kwargs: Any) -> models.Review:
        if path.name == "b.pdf":
            raise ZeroDivisionError(f"division by zero near {SECRET!r}")
        return real(path, **kwargs)

    monkeypatch.setattr(pipeline, "analyse", analyse)
    yield


def test_a_bug_on_one_file_does_not_stop_the_others(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str], buggy_analyse: None
) -> None:
    folder = tmp_path / "in"
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        _contract_pdf(folder / name)
    (folder / "d.pdf").write_bytes(b"")
    out_dir = tmp_path / "o"
    code, out, err = _review(capsys, str(folder), "--out", str(out_dir), "--format", "json")
    assert code == ExitCode.BUG  # the first failure's code, given at the end
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.review.json", "c.review.json"]
    assert "a.pdf" in out and "c.pdf" in out
    assert "Traceback" not in err and SECRET not in err and SECRET not in out
    lines = err.strip().splitlines()
    assert any("b.pdf" in line and "unexpected error (ZeroDivisionError)" in line for line in lines)
    assert any("d.pdf" in line and "empty" in line for line in lines)
    summary = lines[-1]
    assert summary.startswith("westfall: 2 of 4 files reviewed; 2 failed:")
    assert "b.pdf (unexpected error (ZeroDivisionError))" in summary and "d.pdf (" in summary
    (report,) = (app_home / "crash-reports").iterdir()
    text = report.read_text()
    assert "ZeroDivisionError" in text and "analyse" in text and SECRET not in text


def test_a_folders_unsupported_files_get_a_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    _contract_pdf(folder / "a.pdf")
    (folder / "terms.odt").write_bytes(b"PK\x03\x04")
    (folder / "notes.rtf").write_text("{\\rtf1 a note}\n")
    (folder / ".DS_Store").write_bytes(b"\0")
    code, out, err = _review(capsys, str(folder), "--out", str(tmp_path / "o"), "--format", "json")
    assert code == ExitCode.OK, err
    assert "a.pdf" in out
    lines = err.strip().splitlines()
    skipped = [line for line in lines if line.startswith("westfall: skipped ")]
    assert len(skipped) == 2 and all("save it as .docx or PDF" in line for line in skipped)
    assert "notes.rtf" in skipped[0] and "terms.odt" in skipped[1]
    assert ".DS_Store" not in err
    assert lines[-1] == (
        "westfall: 1 of 1 files reviewed; 2 skipped (not a document Westfall Legal reads)."
    )


def test_two_files_of_one_name_write_two_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = _contract_pdf(tmp_path / "acme" / "contract.pdf", "Delaware")
    two = _contract_pdf(tmp_path / "globex" / "contract.pdf", "New York")
    out_dir = tmp_path / "o"
    code, out, err = _review(capsys, str(one), str(two), "--out", str(out_dir), "--format", "json")
    assert code == ExitCode.OK, err
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == ["acme_contract.review.json", "globex_contract.review.json"]
    laws = {
        name: json.loads((out_dir / name).read_text())["facts"]["governing_law"]["value"]
        for name in names
    }
    assert laws == {
        "acme_contract.review.json": "Delaware",
        "globex_contract.review.json": "New York",
    }
    assert "named acme_contract: another input is also called contract" in out
    assert "named globex_contract" in out
