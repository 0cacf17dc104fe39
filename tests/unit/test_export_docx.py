"""The review handed back in Word: notes from findings and reviewer comments, written as Word
comments on the right paragraphs of a copy of the draft (the original untouched), or of a
clean Word file for a text without one; each read back with the app's own Word reader.
The drafts are made by python-docx (resources/samples/generate_docx.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.docx_samples import generator, sample_bytes, write
from westfall_legal.errors import CorruptDocxError, KnownError, OutputError
from westfall_legal.handback.notes import clean_paragraphs, finding_text, review_notes
from westfall_legal.ingest.docx import AUTHOR, annotate_docx, read_docx, write_docx
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.text import plain_text

FINDING = {
    "rule": "uncapped-liability",
    "title": "Uncapped liability",
    "severity": "high",
    "explanation": "Nothing caps the Provider's liability.",
    "citations": ["k2"],
    "spans": [[5, 9]],
    "position": {"preferred": "Cap at twelve months' fees."},
}


def _span_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def test_notes_rest_on_their_clauses_in_text_order() -> None:
    clauses = [{"id": "k1", "char_start": 0, "char_end": 40},
               {"id": "k2", "char_start": 100, "char_end": 180}]  # fmt: skip
    unsigned = {**FINDING, "rule": "unsigned", "title": "Unsigned", "severity": "medium",
                "citations": [], "spans": [[300, 320], [330, 350]], "position": {}}  # fmt: skip
    nobody = {**unsigned, "rule": "missing", "title": "Missing", "spans": []}
    notes = review_notes([FINDING, unsigned, nobody], clauses, [(0, 40, "Check the parties.")],
                         ["Send back by Friday."])  # fmt: skip
    assert [(n.char_start, n.char_end, n.kind) for n in notes] == [
        (0, 0, "comment"), (0, 0, "finding"), (0, 40, "comment"), (100, 180, "finding"),
        (300, 350, "finding"),
    ]  # fmt: skip
    assert finding_text(FINDING) == (
        "High risk: Uncapped liability. Nothing caps the Provider's liability.\n"
        "Preferred position: Cap at twelve months' fees."
    )
    assert notes[2].text == "Reviewer's comment: Check the parties."


def test_a_copy_of_the_draft_gets_the_comments_on_the_right_paragraphs(tmp_path: Path) -> None:
    source = write(tmp_path, "msa.docx", sample_bytes())
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    draft = read_docx(source)
    cap = _span_of(draft.text, "LIMITATION OF LIABILITY")
    law = _span_of(draft.text, "Governing Law")
    body = [p for p in draft.paragraphs if p.part == "body"]
    last = body[-1]
    notes = [
        (*cap, "High risk: the cap."),
        (law[0], law[0], "A point note on governing law."),
        (last.char_start, last.char_end, "On the last paragraph."),
    ]
    out = tmp_path / "out" / "msa.reviewed.docx"
    assert annotate_docx(source, notes, out) == 3
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before  # the original untouched
    copy = read_docx(out)
    assert copy.text == draft.text  # the same draft, with the notes added
    assert len(copy.comments) == len(draft.comments) + 3
    ours = [c for c in copy.comments if c.author == AUTHOR]
    assert [c.text for c in ours] == [n[2] for n in notes]
    for c, (start, end, _) in zip(ours, notes, strict=True):
        first = next(p for p in copy.paragraphs if p.char_start <= start < p.char_end)
        last = next(p for p in copy.paragraphs if p.char_start < max(end, start + 1) <= p.char_end)
        # the whole paragraphs, from the first's words (Word's own number is not text a
        # comment can hold) to the last's end
        assert first.char_start <= c.char_start <= first.char_start + len(first.number) + 1
        assert c.char_end == last.char_end
    theirs = {(c.author, c.text) for c in draft.comments}
    assert theirs <= {(c.author, c.text) for c in copy.comments}  # the draft's own kept


def test_a_note_in_a_table_row_spans_the_row(tmp_path: Path) -> None:
    source = write(tmp_path, "msa.docx", sample_bytes())
    draft = read_docx(source)
    rows = [p for p in draft.paragraphs if p.part == "table"]
    assert len(rows) > 2, "the sample's fee table"
    row = rows[-1]
    out = tmp_path / "msa.reviewed.docx"
    annotate_docx(source, [(row.char_start + 1, row.char_start + 2, "On a cell.")], out)
    note = next(c for c in read_docx(out).comments if c.author == AUTHOR)
    assert (note.char_start, note.char_end) == (row.char_start, row.char_end)


def test_the_original_is_never_written_over(tmp_path: Path) -> None:
    source = write(tmp_path, "msa.docx", sample_bytes())
    with pytest.raises(OutputError, match="never writes over it"):
        annotate_docx(source, [(0, 5, "x")], tmp_path / "." / "msa.docx")
    assert source.read_bytes() == sample_bytes()


def test_a_corrupt_draft_is_refused_with_its_name(tmp_path: Path) -> None:
    source = write(tmp_path, "cut.docx", bytes(generator().truncated(sample_bytes())))
    with pytest.raises(CorruptDocxError, match=r"cut\.docx"):
        annotate_docx(source, [(0, 5, "x")], tmp_path / "out.docx")
    assert not (tmp_path / "out.docx").exists()


TEXT = """MASTER AGREEMENT

1. DEFINITIONS

"Services" means the consulting services described in each order. The
Provider shall perform them with non-
exclusive care.

2. Liability. The Provider's liability is capped at the fees paid.
"""


def test_a_clean_copy_of_a_text_with_its_headings_and_comments(tmp_path: Path) -> None:
    doc = plain_text(TEXT)
    paragraphs = clean_paragraphs(doc, build_sections(doc))
    texts = [(p[0][:30], p[3]) for p in paragraphs]
    assert texts[1] == ("1. DEFINITIONS", 1)  # a short paragraph that opens a section
    assert paragraphs[2][0].endswith("with non-exclusive care.")  # a broken word joined
    assert texts[3][1] == 0  # a long numbered paragraph is not a heading
    cap = _span_of(TEXT, "capped at the fees")
    out = tmp_path / "clean.docx"
    written = write_docx(paragraphs, [(*cap, "Medium risk: cap."), (0, 0, "On the whole.")],
                         out, title="clean")  # fmt: skip
    assert written == 2
    copy = read_docx(out)
    assert copy.text.split("\n\n") == [p[0] for p in paragraphs]
    notes = {c.text: copy.text[c.char_start : c.char_end] for c in copy.comments}
    assert notes["Medium risk: cap."].startswith("2. Liability.")
    assert notes["On the whole."] == "MASTER AGREEMENT"
    assert {c.author for c in copy.comments} == {AUTHOR}


def test_nothing_to_write_is_said(tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="no text"):
        write_docx([], [], tmp_path / "empty.docx", title="empty")
