"""`westfall review` of Word drafts and text files end to end: the sample agreement as a
.docx reviewed like its PDF, the review JSON's new fields, and each bad Word file's exit code.

Where the two reviews differ, the PDF reading does: it cuts paragraphs at page breaks (so a
few clause candidates are cut differently and one cross-reference split over a page, "Section
7.2(b)", is not found in the PDF), and its text has line breaks inside paragraphs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.docx_samples import SAMPLE_DOCX, SAMPLE_PDF, generator, write
from tests.review_types import mismatches
from westfall_legal.cli import main
from westfall_legal.errors import ExitCode
from westfall_legal.review_json import ReviewJson

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "westfall_legal/data/schema/review.schema.json").read_text())


@pytest.fixture(scope="module")
def reviews(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The sample reviewed as PDF, as Word draft and as plain text (the PDF's text)."""
    out = tmp_path_factory.mktemp("out")
    folder = tmp_path_factory.mktemp("in")
    pdf = folder / "msa_pdf.pdf"
    pdf.write_bytes(SAMPLE_PDF.read_bytes())
    draft = folder / "msa_docx.docx"
    draft.write_bytes(SAMPLE_DOCX.read_bytes())
    assert main(["review", "-q", "--no-llm", "--format", "json", "--out", str(out), str(pdf)]) == 0
    data = json.loads((out / "msa_pdf.review.json").read_text())
    (folder / "msa_txt.txt").write_text(data["text"], encoding="utf-8")
    pdf.unlink()  # the folder review below: the draft and the text file
    code = main(["review", "-q", "--no-llm", "--out", str(out), str(folder)])
    assert code == 0
    return {
        kind: json.loads((out / f"msa_{kind}.review.json").read_text())
        for kind in ("pdf", "docx", "txt")
    }


def _numbers(data: dict[str, Any]) -> list[tuple[str | None, str | None, int]]:
    return [(s["number"], s["title"], s["level"]) for s in data["structure"]["sections"]]


def _clauses(data: dict[str, Any]) -> list[tuple[str, str | None]]:
    numbers = {s["id"]: s["number"] for s in data["structure"]["sections"]}
    return sorted((c["category"], numbers.get(c["section"])) for c in data["clauses"])


def test_the_draft_has_the_pdfs_sections_clauses_facts_and_findings(
    reviews: dict[str, dict[str, Any]],
) -> None:
    pdf, draft = reviews["pdf"], reviews["docx"]
    for data in (pdf, draft):
        jsonschema.validate(data, SCHEMA)
        assert mismatches(data, ReviewJson) == []
    assert mismatches(data, ReviewJson) == []  # and the types the code reads it through
    assert _numbers(draft) == _numbers(pdf)  # 203 sections: numbers, titles, levels
    assert len(_numbers(draft)) == 203
    assert {c for c, _ in _clauses(draft)} == {c for c, _ in _clauses(pdf)}
    same = set(_clauses(draft)) & set(_clauses(pdf))
    assert len(same) >= len(_clauses(pdf)) - 3  # three candidates cut at the PDF's page breaks
    assert {k: f["value"] for k, f in draft["facts"].items()} == {
        k: f["value"] for k, f in pdf["facts"].items()
    }
    assert {f["rule"] for f in pdf["findings"]} <= {f["rule"] for f in draft["findings"]}
    assert len(draft["structure"]["definitions"]) == len(pdf["structure"]["definitions"])
    dangling = [r["label"] for r in draft["structure"]["cross_references"] if r["dangling"]]
    assert dangling == ["Section 14.7"]
    assert [t["rows"] for t in draft["structure"]["tables"]] == [
        t["rows"] for t in pdf["structure"]["tables"]
    ]
    assert draft["document"]["pages"] == [] and draft["structure"]["tables"][0]["page"] == 0
    assert any("tracked changes" in w for w in draft["document"]["warnings"])


def test_the_draft_review_gives_paragraphs_revisions_and_comments(
    reviews: dict[str, dict[str, Any]],
) -> None:
    g = generator()
    draft = reviews["docx"]
    text = draft["text"]
    for clause in draft["clauses"]:
        assert text[clause["char_start"] : clause["char_end"]] == clause["text"]
        assert clause["paragraph"] >= 0 and clause["boxes"] == []
    revisions = draft["structure"]["revisions"]
    assert [(r["kind"], r["author"]) for r in revisions][:2] == [
        ("deletion", g.CUSTOMER_COUNSEL),
        ("insertion", g.CUSTOMER_COUNSEL),
    ]
    assert {r["author"] for r in revisions} == {g.CUSTOMER_COUNSEL, g.PROVIDER_COUNSEL}
    for r in revisions:
        if r["kind"] == "insertion":
            assert text[r["char_start"] : r["char_end"]] == r["text"]
    paragraphs = draft["structure"]["paragraphs"]
    assert len(paragraphs) == 257 and paragraphs[0]["part"] == "body"
    for para in paragraphs:
        assert text[para["char_start"] : para["char_end"]].startswith(para["number"])
    numbered = [p["number"] for p in paragraphs if p["number"]]
    assert numbered[:5] == ["A.", "B.", "C.", "ARTICLE 1", "1.1"]
    assert {c["paragraph"] for c in draft["clauses"]} <= {p["index"] for p in paragraphs}
    anchors = [text[c["char_start"] : c["char_end"]] for c in draft["comments"]]
    assert anchors == [g.COMMENTS["12.2"][0], g.COMMENTS["14.1"][0]]
    flagged = [f for f in draft["findings"] if f["rule"] == "tracked-changes-in-high-risk-clause"]
    assert len(flagged) == 3  # the cap, termination for convenience, assignment
    assert any("Daniel Okafor" in f["explanation"] for f in flagged)
    broken = json.loads(json.dumps(draft))
    broken["structure"]["revisions"][0]["kind"] = "edit"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)
    for kind in ("pdf", "txt"):  # the new fields are a Word draft's only
        data = reviews[kind]
        assert "comments" not in data and "revisions" not in data["structure"]
        assert "paragraphs" not in data["structure"]
        assert all("paragraph" not in c for c in data["clauses"])


def test_a_text_file_reviews_like_the_pdf_it_came_from(
    reviews: dict[str, dict[str, Any]],
) -> None:
    pdf, txt = reviews["pdf"], reviews["txt"]
    jsonschema.validate(txt, SCHEMA)
    assert mismatches(txt, ReviewJson) == []
    assert _numbers(txt) == _numbers(pdf)
    # The text keeps the PDF's running heads and page numbers as lines of running text.
    assert {c for c, _ in _clauses(txt)} == {c for c, _ in _clauses(pdf)}
    assert len(set(_clauses(txt)) & set(_clauses(pdf))) >= len(_clauses(pdf)) - 3
    assert txt["facts"].keys() == pdf["facts"].keys()


def _review(capsys: pytest.CaptureFixture[str], path: Path, out: Path) -> tuple[int, str]:
    code = main(["review", "-q", "--no-llm", "--out", str(out), str(path)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "make", "code", "said"),
    [
        ("old.doc", "word97_doc", ExitCode.BAD_INPUT, "save it as a Word Document (.docx)"),
        ("locked.docx", "encrypted_docx", ExitCode.ENCRYPTED, "remove the password"),
        ("cut.docx", "truncated", ExitCode.BAD_INPUT, "damaged or truncated"),
        ("bomb.docx", "zip_bomb", ExitCode.BAD_INPUT, "zip bomb"),
    ],
)
def test_each_bad_word_file_gets_one_line_and_its_exit_code(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    make: str,
    code: int,
    said: str,
) -> None:
    maker = getattr(generator(), make)
    if make == "truncated":
        data = maker(SAMPLE_DOCX.read_bytes())
    elif make == "zip_bomb":
        data = maker(40 * 1024 * 1024)
    else:
        data = maker()
    path = write(tmp_path, name, data)
    got, err = _review(capsys, path, tmp_path / "out")
    assert got == code, err
    line = err.strip()
    assert "\n" not in line and str(path) in line and said in line
    assert not (tmp_path / "out").exists()  # a failed review writes nothing
