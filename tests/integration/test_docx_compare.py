"""`westfall compare` and `westfall export-docx` end to end, on Word files made by
python-docx and checked through LibreOffice where it is installed.

The second version of the sample agreement is the first with three edits a lawyer makes in
Word: the initial term changed from three to five years (3.1), the cap on liability (12.2)
deleted, so that Word renumbers 12.3 onwards, and the counterparts clause moved before the
entire-agreement clause. The compare must find exactly those; the PDF of the same contract
against its Word draft must differ in nothing but the tracked changes the PDF cannot have.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest

from tests.docx_samples import SAMPLE_PDF, generator, sample_bytes, write
from westfall_legal.cli import main
from westfall_legal.errors import ExitCode
from westfall_legal.ingest.docx import AUTHOR, read_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NO_SOFFICE = "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"


def _edited() -> bytes:
    document = docx.Document(io.BytesIO(sample_bytes()))
    paragraphs = document.paragraphs
    term = next(p for p in paragraphs if p.text.startswith("Initial Term."))
    for run in term.runs:
        run.text = run.text.replace("three (3) years", "five (5) years")
    cap = next(p for p in paragraphs if p.text.startswith("Cap on Liability."))
    cap._p.getparent().remove(cap._p)
    entire = next(p for p in paragraphs if p.text.startswith("Entire Agreement."))
    counterparts = next(p for p in paragraphs if p.text.startswith("Counterparts and"))
    entire._p.addprevious(counterparts._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _compare(old: Path, new: Path, out: Path, *extra: str) -> dict[str, Any]:
    code = main(["compare", "-q", "--out", str(out), *extra, str(old), str(new)])
    assert code == ExitCode.OK
    (found,) = out.glob("*.compare.json")
    return json.loads(found.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("versions")
    return write(folder, "msa_v1.docx", sample_bytes()), write(folder, "msa_v2.docx", _edited())


def test_compare_finds_the_planted_edits(versions: tuple[Path, Path], tmp_path: Path) -> None:
    data = _compare(*versions, tmp_path)
    changed = {c["label"] for c in data["clauses"] if c["status"] == "changed"}
    removed = {c["label"] for c in data["clauses"] if c["status"] == "removed"}
    moved = {c["label"] for c in data["clauses"] if c["moved"]}
    assert changed == {"3.1 Initial Term"}
    assert removed == {"12.2 Cap on Liability"}
    assert not [c for c in data["clauses"] if c["status"] == "added"]
    assert len(moved) == 1 and "Counterparts" in moved.pop()
    renumbered = {(c["old"]["number"], c["new"]["number"]) for c in data["clauses"]
                  if c["renumbered"]}  # fmt: skip
    assert ("12.3", "12.2") in renumbered and ("12.4", "12.3") in renumbered
    term = next(c for c in data["clauses"] if c["status"] == "changed")
    assert ["delete", "three (3)"] in term["redline"] and ["insert", "five (5)"] in term["redline"]
    facts = {f["name"]: (f["old"], f["new"]) for f in data["facts"]}
    assert facts["term"] == ("P3Y", "P5Y")
    page = next(tmp_path.glob("*.compare.html")).read_text(encoding="utf-8")
    assert "<del>three (3)</del> <ins>five (5)</ins>" in page
    assert "Cap on Liability" in page and "<script" not in page


def test_the_pdf_and_its_word_draft_differ_only_in_tracked_changes(tmp_path: Path) -> None:
    pdf = write(tmp_path, "msa.pdf", SAMPLE_PDF.read_bytes())
    draft = write(tmp_path, "msa.docx", sample_bytes())
    data = _compare(pdf, draft, tmp_path / "out")
    assert data["old"]["kind"] == "pdf" and data["new"]["kind"] == "docx"
    assert data["counts"]["changed"] == data["counts"]["added"] == data["counts"]["removed"] == 0
    assert data["counts"]["unchanged"] > 150 and not data["facts"]
    assert {r["name"] for r in data["risks"]} == {"tracked-changes-in-high-risk-clause"}
    assert {r["change"] for r in data["risks"]} == {"appeared"}
    assert (tmp_path / "out" / "msa_pdf_vs_docx.compare.html").exists()


def test_bad_inputs_to_compare_name_the_file(
    versions: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = versions[0]
    doc = write(tmp_path, "old.doc", bytes(generator().word97_doc()))
    cut = write(tmp_path, "cut.docx", bytes(generator().truncated(sample_bytes())))
    cases = [
        (doc, ExitCode.BAD_INPUT, "save it as a Word Document (.docx)"),
        (cut, ExitCode.BAD_INPUT, "cut.docx"),
        (tmp_path / "missing.pdf", ExitCode.INPUT_MISSING, "missing.pdf: no such file"),
        (tmp_path, ExitCode.BAD_INPUT, "is a folder"),
    ]
    for bad, code, said in cases:
        assert main(["compare", "-q", "--out", str(tmp_path / "o"), str(good), str(bad)]) == code
        err = capsys.readouterr().err
        assert said in err and err.count("\n") == 1, err
    assert not (tmp_path / "o").exists()  # nothing written for a failed compare


def _libreoffice_copy(path: Path, folder: Path) -> Path:
    """``path`` opened by LibreOffice and saved again as .docx (its own writer)."""
    assert SOFFICE is not None
    folder.mkdir()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{folder}/profile", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return folder / path.name


@pytest.mark.skipif(SOFFICE is None, reason=NO_SOFFICE)
def test_export_docx_opens_in_libreoffice_with_comments_on_their_clauses(tmp_path: Path) -> None:
    source = write(tmp_path, "msa.docx", sample_bytes())
    out = tmp_path / "msa.reviewed.docx"
    assert main(["export-docx", "-q", "--no-llm", "--out", str(out), str(source)]) == 0
    assert source.read_bytes() == sample_bytes()  # the original is never modified
    review_args = ["review", "-q", "--no-llm", "--format", "json", "--out", str(tmp_path)]
    assert main([*review_args, str(source)]) == 0
    review = json.loads((tmp_path / "msa.review.json").read_text(encoding="utf-8"))
    reopened = read_docx(_libreoffice_copy(out, tmp_path / "lo"))
    assert reopened.text == review["text"]  # LibreOffice kept the draft as it was
    ours = [c for c in reopened.comments if c.author == AUTHOR]
    assert len(ours) == len(review["findings"]) > 3
    clauses = {c["id"]: c for c in review["clauses"]}
    paragraphs = review["structure"]["paragraphs"]
    for finding in review["findings"]:
        note = next(c for c in ours if finding["explanation"] in c.text)
        cited = [clauses[k] for k in finding["citations"]] or [
            {"char_start": a, "char_end": b} for a, b in finding["spans"]
        ]
        # the comment spans the paragraphs that hold what the finding rests on
        start, end = min(c["char_start"] for c in cited), max(c["char_end"] for c in cited)
        first = next(p for p in paragraphs if p["char_start"] <= start < p["char_end"])
        last = next(p for p in paragraphs if p["char_start"] < end <= p["char_end"])
        words = first["char_start"] + len(first["number"]) + 1  # after Word's own number
        assert first["char_start"] <= note.char_start <= max(start, words)
        assert note.char_end == last["char_end"]
    theirs = [c for c in reopened.comments if c.author != AUTHOR]
    assert {c.author for c in theirs} == {"Priya Raman", "Daniel Okafor"}  # the draft's own


@pytest.mark.skipif(SOFFICE is None, reason=NO_SOFFICE)
def test_export_docx_of_a_pdf_is_a_clean_word_file(tmp_path: Path) -> None:
    pdf = write(tmp_path, "msa.pdf", SAMPLE_PDF.read_bytes())
    out = tmp_path / "msa.clean.docx"
    assert main(["export-docx", "-q", "--no-llm", "--out", str(out), str(pdf)]) == 0
    reopened = read_docx(_libreoffice_copy(out, tmp_path / "lo"))
    ours = [c for c in reopened.comments if c.author == AUTHOR]
    assert len(ours) >= 3
    assert "12.1 Exclusion of Certain Damages" in reopened.text
    assert "Page 1 of" not in reopened.text  # running footers left out
    uncapped = next(c for c in ours if "Uncapped liability" in c.text)
    assert "LIMITATION OF LIABILITY" in reopened.text[uncapped.char_start : uncapped.char_end]


def test_export_docx_bad_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path, "msa.docx", sample_bytes())
    assert main(["export-docx", "-q", "--no-llm", "--out", str(source), str(source)]) == (
        ExitCode.BAD_INPUT
    )
    assert "never writes over it" in capsys.readouterr().err
    assert source.read_bytes() == sample_bytes()
    wrong = str(tmp_path / "x.pdf")
    assert main(["export-docx", "-q", "--no-llm", "--out", wrong, str(source)]) == 4
    assert "must be named .docx" in capsys.readouterr().err
    doc = write(tmp_path, "old.doc", bytes(generator().word97_doc()))
    assert main(["export-docx", "-q", "--no-llm", str(doc)]) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert "old.doc" in err and "save it as a Word Document (.docx)" in err


def _cuad_text(cuad_dir: Path) -> str:
    """The first development contract with a dozen numbered clauses."""
    with (cuad_dir / "contract_types.dev.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        text = (cuad_dir / "full_contract_txt" / row["txt_file"]).read_text(encoding="utf-8")
        if len(re.findall(r"(?m)^\s*\d{1,2}\.\d?\s+[A-Z]", text)) >= 12:
            return text
    pytest.skip("no CUAD development contract with a dozen numbered clauses")


def test_a_cuad_contract_as_text_and_as_word_reads_alike_and_an_edit_is_found(
    cuad_dir: Path, tmp_path: Path
) -> None:
    """A real contract (CUAD) as its .txt and as a Word file made from it by python-docx:
    nothing differs; one word changed in the Word file: that clause, and nothing else."""
    text = _cuad_text(cuad_dir)
    blocks = [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]
    blocks = ["".join(c for c in b if c >= " ") for b in blocks]
    txt = tmp_path / "contract.txt"
    txt.write_text("\n\n".join(blocks), encoding="utf-8")
    target = max(
        range(len(blocks) // 2, len(blocks)),
        key=lambda i: len(blocks[i]) * (" shall " in blocks[i]),
    )
    for name, edit in (("same", False), ("edited", True)):
        document = docx.Document()
        for i, block in enumerate(blocks):
            document.add_paragraph(
                block.replace(" shall ", " may ", 1) if edit and i == target else block
            )
        document.save(str(tmp_path / f"{name}.docx"))
    same = _compare(txt, tmp_path / "same.docx", tmp_path / "o1")
    assert same["old"]["kind"] == "text" and same["new"]["kind"] == "docx"
    assert same["counts"]["unchanged"] > 20
    assert same["counts"]["changed"] == same["counts"]["added"] == same["counts"]["removed"] == 0
    edited = _compare(txt, tmp_path / "edited.docx", tmp_path / "o2")
    changed = [c for c in edited["clauses"] if c["status"] != "unchanged"]
    assert len(changed) == 1 and changed[0]["status"] == "changed"
    assert ["delete", "shall"] in changed[0]["redline"] and ["insert", "may"] in changed[0][
        "redline"
    ]


def test_export_docx_from_a_matter_carries_the_reviewers_comments(
    tmp_path: Path, app_home: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """A draft reviewed into a matter, a reviewer's comments on a clause and on the whole
    document: the Word copy made from the matter has them, on that clause's paragraphs."""
    from westfall_legal.store import KdfParams, keys

    fast = KdfParams(algorithm="argon2id", salt="", iterations=1, lanes=1, memory_cost=8)
    monkeypatch.setattr(keys, "DEFAULT_KDF", fast)
    monkeypatch.setenv("WESTFALL_PASSPHRASE", "tin roof rusted")
    source = write(tmp_path, "msa.docx", sample_bytes())
    assert main(["matter", "create", "Acme"]) == 0
    out = tmp_path / "out"
    review_args = ["review", "-q", "--no-llm", "--format", "json", "--out", str(out)]
    assert main([*review_args, "--matter", "Acme", str(source)]) == 0
    data = json.loads((out / "msa.review.json").read_text(encoding="utf-8"))
    law = next(c for c in data["clauses"] if c["category"] == "Governing Law")
    base = ["correct", "--matter", "Acme", "--document", "msa.docx", "--reviewer", "Ann Lee"]
    assert main([*base, "--clause", law["id"], "comment", "Ask for Delaware law."]) == 0
    assert main([*base, "comment", "Send back by Friday."]) == 0
    copy = tmp_path / "msa.reviewed.docx"
    assert main(["export-docx", "-q", "--no-llm", "--matter", "Acme", "--out", str(copy),
                 str(source)]) == 0  # fmt: skip
    assert "2 reviewer comments" in capsys.readouterr().out
    notes = {c.text: c for c in read_docx(copy).comments if c.author == AUTHOR}
    on_law = notes["Reviewer's comment: Ask for Delaware law."]
    assert on_law.char_start <= law["char_start"] + 12 and on_law.char_end >= law["char_end"] - 1
    assert "Reviewer's comment on the document: Send back by Friday." in notes
    assert len(notes) == len(data["findings"]) + 2
    # a file not in the matter is refused with its name and the next step
    other = write(tmp_path, "other.docx", _edited())
    code = main(["export-docx", "-q", "--no-llm", "--matter", "Acme", str(other)])
    assert code == ExitCode.STORE
    err = capsys.readouterr().err
    assert "other.docx: this file is not in matter 'Acme'" in err and "review --matter" in err
    # compare --matter keeps both versions' reviews in the matter
    assert (
        main(["compare", "-q", "--out", str(out), "--matter", "Acme", str(source), str(other)]) == 0
    )
    assert "stored in matter 'Acme'" in capsys.readouterr().out
