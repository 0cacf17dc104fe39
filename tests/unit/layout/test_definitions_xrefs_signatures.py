"""Definitions, cross-references and signature blocks on generated text."""

from __future__ import annotations

from pathlib import Path

import pytest

from westfall_legal.layout.definitions import find_definitions
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.signatures import find_signature_blocks
from westfall_legal.layout.text import build_text, plain_text
from westfall_legal.layout.xrefs import find_cross_references, roman_to_int
from westfall_legal.models import Document, DocumentText, InkMap, Page, Word

CONTRACT = "\n\n".join(
    [
        "This SUPPLY AGREEMENT (this “Agreement”) is made between Acme Inc. (the “Supplier”) "
        'and Beta LLC ("Buyer").',
        "ARTICLE I DEFINITIONS",
        "1.1 Definitions.",
        "“Confidential Information” means all information disclosed under this Agreement,\n"
        "whether oral or written.",
        '"Fees" shall mean the amounts in Schedule 2.',
        "“Business Day” has the meaning given in Section 5.2(b).",
        "ARTICLE II SUPPLY",
        "2.1 Supply. The Supplier shall supply the goods (hereinafter “Goods”) to the Buyer.",
        "2.2 Price. The Buyer shall pay the Fees subject to Sections 5.2 and 5.3 and Article IV.",
        "(a) first item, subject to paragraph (c);",
        "(b) second item, subject to clause 7 and Exhibit A;",
        "(c) third item.",
        "ARTICLE III TERM",
        "5.2 Payment. The Buyer pays each Business Day.",
        "(a) by wire;",
        "(b) by cheque, except under Section 14.7.",
        "5.3 Late Payment. Confidential Information stays confidential.",
        "7. Notices. Notices go by post.",
        "ARTICLE IV LIABILITY",
        "4.1 Cap. The Supplier's liability is capped.",
        "Schedule 2 Fees",
        "The Fees are 100 dollars.",
        "Exhibit A Form of Order",
    ]
)


@pytest.fixture(scope="module")
def doc() -> DocumentText:
    return plain_text(CONTRACT)


def _defs(dt: DocumentText) -> dict[str, tuple[str, str | None, int]]:
    """term -> (definition text, section number, number of uses)."""
    sections = {s.id: s.number for s in build_sections(dt)}
    return {
        d.term: (dt.text[d.char_start : d.char_end], sections.get(d.section or ""), len(d.uses))
        for d in find_definitions(dt, build_sections(dt))
    }


def test_every_definition_form_with_its_span_and_section(doc: DocumentText) -> None:
    defs = _defs(doc)
    assert {"Agreement", "Supplier", "Buyer", "Goods"} <= defs.keys()  # parenthetical forms
    text, section, _ = defs["Confidential Information"]
    assert text.startswith("“Confidential Information” means") and text.endswith("or written.")
    assert section == "1.1"
    assert defs["Fees"][0] == '"Fees" shall mean the amounts in Schedule 2.'  # straight quotes
    assert defs["Business Day"][0].startswith("“Business Day” has the meaning")
    assert defs["Goods"][0] == (
        "The Supplier shall supply the goods (hereinafter “Goods”) to the Buyer."
    )
    assert defs["Goods"][1] == "2.1"
    assert defs["Buyer"][0].startswith("This SUPPLY AGREEMENT") and defs["Buyer"][1] is None


def test_uses_are_linked_and_quotes_are_not_uses(doc: DocumentText) -> None:
    defs = {d.term: d for d in find_definitions(doc, build_sections(doc))}
    ci = defs["Confidential Information"]
    assert len(ci.uses) == 1
    start, end = ci.uses[0]
    assert doc.text[start:end] == "Confidential Information" and start > ci.char_end
    fees = defs["Fees"]
    assert len(fees.uses) == 3  # "pay the Fees", the "Schedule 2 Fees" heading, "The Fees are"
    assert all(doc.text[s:e] == "Fees" for s, e in fees.uses)
    assert len(defs["Business Day"].uses) == 1


def test_plain_quotes_and_lowercase_words_in_parentheses_are_not_definitions() -> None:
    dt = plain_text("The words “include” and “including” are not limiting (see “as is” terms).")
    assert find_definitions(dt, []) == []


def _refs(dt: DocumentText) -> dict[str, str | None]:
    """reference label -> number of the target section (None when dangling)."""
    sections = build_sections(dt)
    numbers = {s.id: s.number for s in sections}
    return {
        r.label: numbers[r.target] if r.target else None
        for r in find_cross_references(dt, sections)
    }


def test_references_resolve_to_their_sections(doc: DocumentText) -> None:
    refs = _refs(doc)
    assert refs["Schedule 2"] == "Schedule 2"
    assert refs["Exhibit A"] == "Exhibit A"
    assert refs["Section 5.3"] == "5.3"
    assert refs["Article IV"] == "IV"
    assert refs["Clause 7"] == "7"


def test_sub_clause_reference_resolves_to_the_lettered_node(doc: DocumentText) -> None:
    sections = build_sections(doc)
    by_id = {s.id: s for s in sections}
    refs = {r.label: r for r in find_cross_references(doc, sections)}
    target = by_id[refs["Section 5.2(b)"].target or ""]
    assert target.number == "(b)"
    assert by_id[target.parent or ""].number == "5.2"
    # A bare "paragraph (c)" is the sibling (c) under 2.2, not some other (c).
    para = by_id[refs["Paragraph (c)"].target or ""]
    assert para.number == "(c)" and by_id[para.parent or ""].number == "2.2"


def test_list_of_sections_gives_one_reference_each(doc: DocumentText) -> None:
    refs = [r for r in find_cross_references(doc, build_sections(doc)) if "5.2" in r.label]
    texts = [r.text for r in refs]
    assert "Sections 5.2" in texts
    later = [r for r in find_cross_references(doc, build_sections(doc)) if r.text == "5.3"]
    assert later and later[0].label == "Section 5.3" and later[0].target is not None


def test_dangling_reference_has_no_target(doc: DocumentText) -> None:
    refs = {r.label: r for r in find_cross_references(doc, build_sections(doc))}
    assert refs["Section 14.7"].target is None
    assert doc.text[refs["Section 14.7"].char_start : refs["Section 14.7"].char_end] == (
        "Section 14.7"
    )


def test_headings_and_statutes_are_not_references() -> None:
    text = "\n\n".join(
        [
            "Section 5.2 Fees",
            "The parties rely on Sections 5-1401 and 5-1402 of the General Obligations Law.",
            "A work made for hire under 17 U.S.C. section 101.",
            "Section 9 of the Securities Act of 1933 applies.",
        ]
    )
    dt = plain_text(text)
    assert find_cross_references(dt, build_sections(dt)) == []


def test_roman_numerals() -> None:
    assert [roman_to_int(r) for r in ("IV", "IX", "XIV", "XL", "Q")] == [4, 9, 14, 40, None]


def _signature_page(lines: list[str]) -> Document:
    words = []
    for i, line in enumerate(lines):
        x, y = 72.0, 100.0 + 20 * i
        for w in line.split():
            words.append(Word(w, (x, y, x + 6 * len(w), y + 10), block=i, line=0))
            x += 6 * len(w) + 4
    return Document(Path("x.pdf"), "0" * 64, (Page(3, 612.0, 792.0, tuple(words)),))


def test_signature_blocks_party_signatory_status_and_box() -> None:
    doc = _signature_page(
        [
            "IN WITNESS WHEREOF, the Parties have signed this Agreement.",
            "SUPPLIER:",
            "ACME INC.",
            "By: ______________________",
            "Name: Jane Doe",
            "Title: President",
            "BUYER:",
            "Beta Holdings LLC",
            "By: /s/ John Roe",
            "Name: John Roe",
            "Date: March 3, 2025",
            "By:",
            "Name: ____________",
        ]
    )
    blocks = find_signature_blocks(build_text(doc))
    assert [(b.party, b.signatory, b.status) for b in blocks] == [
        ("ACME INC.", "Jane Doe", "unsigned"),
        ("Beta Holdings LLC", "John Roe", "signed"),
        (None, None, "unsigned"),  # nothing after "By:", nobody typed, under IN WITNESS
    ]
    first = blocks[0]
    assert first.page == 3 and first.title == "President"
    assert first.box == (72.0, 140.0, 226.0, 210.0)  # "ACME INC." down to "Title:", all words


def test_signature_by_a_name_or_conformed_line_without_by() -> None:
    text = "\n\n".join(
        [
            "IN WITNESS WHEREOF the parties sign.",
            "ACME CORPORATION",
            "By: Jane Doe",
            "Title: CEO",
            "Widget Co.",
            "/s/ Sam Poe",
            "Name: Sam Poe",
        ]
    )
    blocks = find_signature_blocks(plain_text(text))
    assert [(b.party, b.signatory, b.status, b.box) for b in blocks] == [
        ("ACME CORPORATION", None, "signed", None),
        ("Widget Co.", "Sam Poe", "signed", None),
    ]


def test_a_blank_born_digital_block_is_unsigned_only_in_the_execution_part() -> None:
    """EDGAR filings draw the signature rule as a line, not as text: "By:" reads blank."""
    text = "\n\n".join(
        [
            "IN WITNESS WHEREOF, the parties have executed this Agreement.",
            "INVENTEC CORPORATION",
            "By:",
            "Name:",
            "Title:",
            "SONOS, INC.",
            "By:",
            "Name: Craig Shelburne",  # a blank line over a typed name: cannot tell
            "Alpha Inc. Beta Inc.",
            "By:_____________ By:_____________",  # two blocks side by side
            "NUVEEN FUND",
            "By",  # no colon
            "Name:",
            "Exhibit C – Form of Notice",
            "Dated:",
            "GAMMA LLC",
            "By:",
            "Name:",
        ]
    )
    blocks = find_signature_blocks(plain_text(text))
    assert [(b.party, b.status) for b in blocks] == [
        ("INVENTEC CORPORATION", "unsigned"),
        ("SONOS, INC.", "unknown"),
        ("Alpha Inc. Beta Inc.", "unsigned"),
        ("NUVEEN FUND", "unsigned"),
        ("GAMMA LLC", "unknown"),  # a form of notice in an exhibit
    ]
    without = find_signature_blocks(plain_text("INVENTEC CORPORATION\n\nBy:\n\nName:"))
    assert [b.status for b in without] == ["unknown"]  # no execution part: cannot tell


def test_scanned_signature_without_underscores_is_unknown_and_specks_are_trimmed() -> None:
    """OCR drops a blank signature line's underscores: only the ink check can decide then."""
    dt = plain_text("ACME INC.\n\nBy:\n\nName: . Jane Doe\n\nTitle: , CEO")
    [block] = find_signature_blocks(dt)
    assert (block.party, block.signatory, block.title, block.status) == (
        "ACME INC.",
        "Jane Doe",
        "CEO",
        "unknown",
    )


def test_a_space_before_the_sub_clause_and_another_agreements_sections() -> None:
    text = "\n\n".join(
        [
            "4. Fees.",
            "(b) Royalty.",
            "The advance against the fee in Section 4 (b) is not refundable.",
            "Net Sales are as defined in Sections 6.1 (a)-(f) of the Sublicense Agreement.",
            "Survival under Section 8.2 of the Separation and Distribution Agreement.",
            "As provided in Section 4 of the Agreement.",
        ]
    )
    dt = plain_text(text)
    sections = build_sections(dt)
    refs = find_cross_references(dt, sections)
    by_id = {s.id: s for s in sections}
    assert [(r.label, r.text) for r in refs] == [
        ("Section 4(b)", "Section 4 (b)"),
        ("Section 4", "Section 4"),
    ]
    assert by_id[refs[0].target or ""].number == "(b)"
    assert by_id[refs[1].target or ""].number == "4"


def _scanned_signature_page(
    ink_cells: dict[tuple[int, int], int], mark: str = "", mark_conf: float = 30.0
) -> Document:
    """An OCR'd page: two blocks, their "By:" lines at y 150 and 280, and an ink map."""
    words: list[Word] = []
    lines = [
        (120, "ACME SUPPLY CORPORATION"), (150, f"By: {mark}".strip()), (168, "Name: Jane Roe"),
        (250, "BETA RETAIL LLC"), (280, "By:"), (298, "Name: John Doe"),
    ]  # fmt: skip
    for n, (y, text) in enumerate(lines):
        x = 72.0
        for w in text.split():
            conf = mark_conf if w == mark else 95.0
            words.append(Word(w, (x, y - 9, x + 6 * len(w), y), block=n, line=0, conf=conf))
            x += 6 * len(w) + 4
    cell, columns, rows = 6.0, 102, 132
    counts = bytearray(columns * rows)
    for (row, col), n in ink_cells.items():
        counts[row * columns + col] = n
    ink = InkMap(cell, columns, rows, bytes(counts))
    page = Page(1, 612.0, 792.0, tuple(words), source="ocr", ink=ink)
    return Document(Path("scan.pdf"), "0" * 64, (page,))


def test_ink_on_the_signature_line_of_a_scan_decides_its_status() -> None:
    pen = {(24, col): 60 for col in range(17, 40)}  # y 144-150, x 102-240: on the first line
    blocks = find_signature_blocks(build_text(_scanned_signature_page(pen)))
    assert [b.status for b in blocks] == ["signed", "unsigned"]
    dust = {(24, 20): 60}  # one speck: neither a signature nor a clean line
    blocks = find_signature_blocks(build_text(_scanned_signature_page(dust)))
    assert [b.status for b in blocks] == ["unknown", "unsigned"]


def test_ink_explained_by_a_confident_word_is_not_a_signature() -> None:
    # Ink under "By:" and under a typed name read surely on the line is text, no pen stroke.
    typed = {(24, col): 60 for col in (12, 13, 14, 16, 17, 18, 19)}  # "By:" 72-90, "Jane" 94-118
    page = _scanned_signature_page(typed, mark="Jane", mark_conf=95.0)
    blocks = find_signature_blocks(build_text(page))
    assert [b.status for b in blocks] == ["unsigned", "unsigned"]
    # A signature that OCR misread as a word (low confidence) is still ink on the line.
    pen = {(24, col): 60 for col in range(17, 40)}
    blocks = find_signature_blocks(build_text(_scanned_signature_page(pen, mark="Mfrbk")))
    assert blocks[0].status == "signed"
