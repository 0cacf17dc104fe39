"""Reading Word drafts: numbers, the text with changes accepted, revisions, comments, and
tables, headers, footnotes and text boxes (files from resources/samples/generate_docx.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.docx_samples import SAMPLE_DOCX, features_bytes, generator, sample_bytes, write
from westfall_legal.ingest.docx import read_docx
from westfall_legal.layout.paragraphs import draft_text
from westfall_legal.models import WordDraft


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> WordDraft:
    return read_docx(write(tmp_path_factory.mktemp("docx"), "msa.docx", sample_bytes()))


@pytest.fixture(scope="module")
def features(tmp_path_factory: pytest.TempPathFactory) -> WordDraft:
    return read_docx(write(tmp_path_factory.mktemp("docx"), "features.docx", features_bytes()))


def _markup_numbers() -> list[str]:
    """The numbers the PDF sample prints, in order, from its source markup."""
    g = generator()
    pdf = g.pdf_sample
    numbers = ["A.", "B.", "C."]  # the recitals
    for markup in (pdf.BODY, pdf.SCHEDULE_1, pdf.SCHEDULE_2_INTRO, pdf.SCHEDULE_2_REST):
        for para in pdf._paragraphs(markup):
            if m := pdf._ARTICLE_RE.match(para):
                numbers.append(f"ARTICLE {m[1]}")
            elif m := pdf._SECTION_RE.match(para):
                numbers.append(f"{m[1]}.{m[2]}")
            elif m := pdf._NUMBERED_RE.match(para):
                numbers.append(f"{m[1]}.")
            elif m := pdf._CLAUSE_RE.match(para):
                numbers.append(f"({m[1]})")
    return numbers


def test_the_committed_sample_is_the_generators_output() -> None:
    data = SAMPLE_DOCX.read_bytes()
    assert data == sample_bytes(), "run resources/samples/generate_docx.py"
    assert len(data) < 100_000


def test_the_sample_shows_the_numbers_the_pdf_prints(sample: WordDraft) -> None:
    numbers = [p.number for p in sample.paragraphs if p.number]
    assert numbers == _markup_numbers()
    # Schedule 2 restarts the schedules' list (a startOverride), "(a)" restarts under each.
    tail = numbers[numbers.index("16.11") + 1 :]
    assert tail[:6] == ["1.", "(a)", "(b)", "(c)", "(d)", "2."]
    assert tail[-8:] == ["9.", "1.", "2.", "3.", "(a)", "(b)", "(c)", "4."]


def test_each_number_starts_its_paragraph(sample: WordDraft) -> None:
    for p in sample.paragraphs:
        text = sample.text[p.char_start : p.char_end]
        assert not p.number or text.startswith(p.number), text[:40]
    article = next(p for p in sample.paragraphs if p.number == "ARTICLE 12")
    assert (
        sample.text[article.char_start : article.char_end] == "ARTICLE 12\nLIMITATION OF LIABILITY"
    )


def test_the_sample_reads_as_the_pdf_with_every_change_accepted(sample: WordDraft) -> None:
    """Every section of the draft reads exactly as the PDF's source prints it."""
    g = generator()
    by_number = {p.number: sample.text[p.char_start : p.char_end] for p in sample.paragraphs}
    checked = 0
    for para in g.pdf_sample._paragraphs(g.pdf_sample.BODY):
        if m := g.pdf_sample._SECTION_RE.match(para):
            expected = f"{m[1]}.{m[2]} {g.smart(m[3])} {g.smart(m[4])}".strip()
            assert by_number[f"{m[1]}.{m[2]}"] == expected
            checked += 1
    assert checked == 86  # 1.1 to 16.11
    assert "SIX (6)" not in by_number["12.2"] and "thirty (30)" not in by_number["14.1"]
    assert "sovereign immunity" not in sample.text
    assert "which shall not be unreasonably withheld, conditioned or delayed" in sample.text


def test_the_revisions_are_listed_with_author_date_and_span(sample: WordDraft) -> None:
    g = generator()
    found = [(r.kind, r.author, r.text) for r in sample.revisions]
    assert found == [
        ("deletion", g.CUSTOMER_COUNSEL, "SIX (6)"),
        ("insertion", g.CUSTOMER_COUNSEL, "TWELVE (12)"),
        ("deletion", g.PROVIDER_COUNSEL, "thirty (30)"),
        ("insertion", g.PROVIDER_COUNSEL, "ninety (90)"),
        ("deletion", g.PROVIDER_COUNSEL, g._WAIVER),
        ("insertion", g.CUSTOMER_COUNSEL, g._INSERTED),
    ]
    paragraphs = {p.index: p for p in sample.paragraphs}
    for r in sample.revisions:
        assert r.date == g.DATES[r.author]
        para = paragraphs[r.paragraph]
        assert para.char_start <= r.char_start <= r.char_end <= para.char_end
        if r.kind == "insertion":
            assert sample.text[r.char_start : r.char_end] == r.text
        else:
            assert r.char_start == r.char_end  # where the words were
    waiver = sample.revisions[4]
    assert sample.text[: waiver.char_start].endswith("inconvenient forum.")
    assert any("6 tracked changes" in w for w in sample.warnings)


def test_the_comments_keep_their_anchors(sample: WordDraft) -> None:
    g = generator()
    assert [(c.author, c.text) for c in sample.comments] == [
        (g.COMMENTS["12.2"][1], g.COMMENTS["12.2"][2]),
        (g.COMMENTS["14.1"][1], g.COMMENTS["14.1"][2]),
    ]
    for comment, section in zip(sample.comments, ("12.2", "14.1"), strict=True):
        assert sample.text[comment.char_start : comment.char_end] == g.COMMENTS[section][0]
        para = next(p for p in sample.paragraphs if p.index == comment.paragraph)
        assert para.number == section
        assert comment.date == g.DATES[comment.author]


def test_tables_read_row_by_row_and_headers_footers_are_left_out(sample: WordDraft) -> None:
    g = generator()
    (table,) = sample.tables
    assert table.page == 0 and len(table.rows) == len(g.pdf_sample.FEE_TABLE) + 1
    assert table.rows[1] == tuple(g.smart(c) for c in g.pdf_sample.FEE_TABLE[0])
    rows = [p for p in sample.paragraphs if p.part == "table"]
    assert len(rows) == len(table.rows)
    assert sample.text[rows[0].char_start : rows[0].char_end] == "Service Unit Fee (USD)"
    assert g.pdf_sample.HEADER_TEXT not in sample.text and "Page 1" not in sample.text


def test_the_document_text_keeps_paragraphs_as_blocks(sample: WordDraft) -> None:
    doc = draft_text(sample)
    assert doc.source == "docx" and doc.tokens == () and doc.revisions == sample.revisions
    assert doc.comments == sample.comments and doc.tables == sample.tables
    table_lines = [ln for ln in doc.lines if ln.in_table]
    assert len(table_lines) == len(sample.tables[0].rows)
    article = next(p for p in sample.paragraphs if p.number == "ARTICLE 1")
    lines = [ln for ln in doc.lines if ln.block == article.index]
    assert [doc.text[ln.char_start : ln.char_end] for ln in lines] == [
        "ARTICLE 1",
        "DEFINITIONS AND INTERPRETATION",
    ]  # a line break is a line of the same block
    assert all(ln.page == 0 and not ln.is_margin for ln in doc.lines)


FEATURES_TEXT = """\
ARTICLE I Definitions

Section 1.01 Scope. The Supplier shall deliver the Goods.

(A) first limb;

(B) second limb.

Section 1.02 Price. The price is fixed; see note and end.

(C) third limb: Section 1.02 does not restart (A) (lvlRestart 1).

ARTICLE II Term

Section 2.01 Duration. TWO YEARS

Text box: the Term may be extended once.

Renewal. This paragraph continues here after the deleted paragraph mark.

Stays here. Moved sentence.

• Apples and pears.

• Bananas.

v) five

vi) six

[1] The footnote text.

[i] The endnote text."""


def test_every_other_kind_of_content(features: WordDraft) -> None:
    """Style-linked legal numbering (isLgl, lvlRestart), bullets, a start of 5, a table of
    contents left out, hidden text left out, all caps shown, a text box after its
    paragraph, a deleted paragraph mark, a move, footnotes and endnotes at the end, and no
    header or footer."""
    assert features.text == FEATURES_TEXT
    parts = {features.text[p.char_start : p.char_end][:8]: p.part for p in features.paragraphs}
    assert parts["Text box"] == "textbox" and parts["[1] The "] == "footnote"
    assert parts["[i] The "] == "footnote"


def test_moves_deleted_marks_and_point_comments(features: WordDraft) -> None:
    mark, move_from, move_to = features.revisions
    assert (mark.kind, mark.text) == ("deletion", "\n")  # the paragraph mark
    assert features.text[: mark.char_start].endswith("Renewal. This paragraph")
    assert (move_from.kind, move_from.moved, move_from.text) == (
        "deletion",
        True,
        "Moved sentence. ",
    )
    assert (move_to.kind, move_to.moved) == ("insertion", True)
    assert features.text[move_to.char_start : move_to.char_end] == " Moved sentence."
    (point,) = features.comments
    assert point.char_start == point.char_end
    assert features.text[: point.char_start].endswith("• Apples")


def test_paragraph_indexes_count_every_paragraph_met(features: WordDraft) -> None:
    indexes = [p.index for p in features.paragraphs]
    assert indexes == sorted(indexes) and len(set(indexes)) == len(indexes)
    # The table of contents (paragraph 0) reads as nothing; the paragraph whose mark was
    # deleted and the one it joined are one paragraph, counted by its first.
    assert indexes[0] == 1 and 11 not in indexes
    doc = draft_text(features)
    notes = [ln for ln in doc.lines if ln.is_margin]
    assert [doc.text[ln.char_start : ln.char_end][:3] for ln in notes] == ["[1]", "[i]"]


def test_text_in_a_fallback_is_not_read_twice(tmp_path: Path) -> None:
    text = read_docx(write(tmp_path, "f.docx", features_bytes())).text
    assert text.count("Text box:") == 1
    assert not re.search(r"Draft (header|footer)", text)
