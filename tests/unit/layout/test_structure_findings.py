"""The false alarms the structure findings raised on CUAD, one family per test.

Each family was found on the hand-labelled contracts of tests/data/structure_findings.json:
an EDGAR exhibit header, list items of the same clause, a statute's or another document's
section, an attachment filed separately, a heading the section tree missed, and a conformed
``/s/`` signature. A real broken reference must still be flagged.
"""

from __future__ import annotations

from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.signatures import find_signature_blocks
from westfall_legal.layout.text import plain_text
from westfall_legal.layout.xrefs import find_cross_references
from westfall_legal.models import CrossReference


def _refs(*paragraphs: str) -> list[CrossReference]:
    dt = plain_text("\n\n".join(paragraphs))
    return find_cross_references(dt, build_sections(dt))


def _dangling(*paragraphs: str) -> list[str]:
    return [r.label for r in _refs(*paragraphs) if r.dangling]


BODY = (
    "1. Definitions. Terms have the meanings below.",
    "2. Services. The Supplier shall provide the services.",
)


def test_an_edgar_exhibit_header_is_not_a_reference() -> None:
    refs = _refs("EXHIBIT 10.37", "SUPPLY AGREEMENT", *BODY)
    assert [r.label for r in refs] == []


def test_a_word_after_exhibit_is_not_an_exhibit_id() -> None:
    legend = "A COMPLETE VERSION OF THIS EXHIBIT HAS BEEN FILED SEPARATELY WITH THE COMMISSION."
    assert [r.label for r in _refs(legend, *BODY)] == []


def test_clause_letters_naming_list_items_of_the_same_clause_are_not_dangling() -> None:
    text = (
        "3. Change of Control. A Change of Control means (a) a merger, (b) a sale of assets, "
        "(c) a transfer of shares, or any transaction that would cause any of the situations "
        "described in clauses (a) through (c) to occur."
    )
    refs = _refs(*BODY, text)
    assert {r.label for r in refs} == {"Clause (a)", "Clause (c)"}
    assert not any(r.dangling for r in refs)


def test_an_item_in_another_list_style_is_the_sentences_own_enumeration() -> None:
    text = "4. Indemnity. Section 2 will not apply (1) to claims under Section 1 or (2) to fees."
    assert [r.label for r in _refs(*BODY, text)] == ["Section 2", "Section 1"]


def test_a_list_item_of_a_section_resolves_to_that_section() -> None:
    text = (
        "3. Scope. The Supplier agrees to do the following:\ni) offer services;\nii) tender "
        "requests;\nv) provide customer service.\n\n4. Solicitation. Except as in Section "
        "3(v), no party shall solicit."
    )
    refs = {r.label: r for r in _refs(*BODY, text)}
    assert refs["Section 3(v)"].target is not None and not refs["Section 3(v)"].dangling


def test_statutes_and_other_documents_sections_are_not_references() -> None:
    text = (
        "3. Securities. Shares are issued under Section 4(a)(2) of the Securities Act and "
        "Section 11(f) of the 1933 Act, as provided in Section 2.2(a) of the Supplement and "
        "Section 2.10 of the SDA, pursuant to article 58 of the petroleum code and Section 513(i) "
        "and Section 512 of the Internal Revenue Code."
    )
    assert [r.label for r in _refs(*BODY, text)] == []


def test_a_schedule_attached_separately_is_not_dangling() -> None:
    refs = _refs(*BODY, "3. Prices. The prices are set out in Schedule B attached hereto.")
    assert [(r.label, r.target, r.dangling) for r in refs] == [("Schedule B", None, False)]


def test_a_heading_the_section_tree_missed_is_located_not_dangling() -> None:
    refs = _refs(
        *BODY, "17.0 DEFAULT\nA party in default pays.", "18. Survival. Paragraph 17 survives."
    )
    ref = next(r for r in refs if r.label == "Paragraph 17")
    assert not ref.dangling


def test_a_real_broken_reference_is_still_dangling() -> None:
    text = "3. Assignment. A change of control is an assignment for purposes of this Section 3.9."
    assert _dangling(*BODY, text) == ["Section 3.9"]


def test_a_conformed_signature_is_signed() -> None:
    text = "\n\n".join(
        [
            "IN WITNESS WHEREOF the parties have signed.",
            "CAPSUGEL US, LLC",
            "By:\n/s/ Amit Patel\nName: Amit Patel\nTitle: President",
            "NETGEAR, INC.",
            "By: /S/ AC Mann",
        ]
    )
    blocks = find_signature_blocks(plain_text(text))
    assert blocks and all(b.status == "signed" for b in blocks)


def test_the_html_report_lists_only_references_that_point_nowhere() -> None:
    from westfall_legal.report.page import _structure_html

    refs = _refs(
        *BODY,
        "3. Prices. The prices are set out in Schedule B attached hereto.",
        "4. Assignment. A change of control is an assignment under this Section 4.9.",
    )
    structure = {
        "cross_references": [
            {"text": r.text, "label": r.label, "target": r.target, "dangling": r.dangling}
            for r in refs
        ]
    }
    html = "".join(_structure_html(structure))
    assert "(1 pointing nowhere)" in html and "<li>Section 4.9</li>" in html
    assert "Schedule B" not in html
    older = {"cross_references": [{"text": "Schedule B", "target": None}]}  # stored before
    assert "(1 pointing nowhere)" in "".join(_structure_html(older))
