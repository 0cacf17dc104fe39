"""Section detection for the layout families of the EDGAR gold set (issue 26): numbers alone
on a line or in a left column, three- and four-level numbering, numbering that restarts in an
exhibit, bare top-level numbers, and tables of contents."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.text import build_text
from westfall_legal.models import Document, DocumentText, Page, Section, Word

Placed = tuple[float, float, str, int]  # x, y, text, block


def _doc(*pages: Sequence[Placed]) -> DocumentText:
    """Pages of lines placed at (x, y) in the blocks given; a running head and a page number
    frame each page (the margins the text builder marks)."""
    built = []
    for number, lines in enumerate(pages, 1):
        placed = [(72.0, 30.0, "ACME Cooperation Agreement", 900), *lines]
        placed.append((300.0, 760.0, str(number), 901))
        words = []
        for row, (x, y, text, block) in enumerate(placed):
            for w in text.split():
                words.append(Word(w, (x, y, x + 6 * len(w), y + 10), block=block, line=row))
                x += 6 * len(w) + 4
        built.append(Page(number, 612.0, 792.0, tuple(words)))
    return build_text(Document(Path("x.pdf"), "0" * 64, tuple(built)))


def _numbered(sections: list[Section]) -> list[tuple[str | None, str | None]]:
    return [(s.number, s.title) for s in sections if s.number and not s.number.startswith("(")]


def test_a_number_alone_on_its_line_heads_the_sentence_below_it() -> None:
    dt = _doc(
        [
            (72, 100, "1. Definitions", 1),
            (72, 120, "1.44", 2),
            (90, 132, "“CSR Notification Date” has the meaning set forth in Section 12.6.", 2),
            (72, 150, "1.45", 3),
            (90, 162, "Appointment. The Company appoints the Agent for the Territory.", 3),
        ]
    )
    assert _numbered(build_sections(dt)) == [
        ("1", "Definitions"),
        ("1.44", None),
        ("1.45", "Appointment"),
    ]


def test_a_number_in_a_left_column_beside_its_text() -> None:
    dt = _doc(
        [
            (72, 100, "2.", 1),
            (100, 100, "Exclusive Cooperation", 2),
            (72, 120, "2.1", 3),
            (110, 120, "8% of the fees shall be paid to Party A within ten days.", 4),
            (72, 140, "2.2", 5),
            (110, 140, "Party B shall keep records of the services it provides.", 6),
        ]
    )
    assert _numbered(build_sections(dt)) == [
        ("2", "Exclusive Cooperation"),
        ("2.1", None),
        ("2.2", None),
    ]


def test_four_levels_nest_under_each_other() -> None:
    dt = _doc(
        [
            (72, 100, "7. Billing", 1),
            (72, 120, "7.4 Modes of distribution are the following two.", 2),
            (72, 140, "7.4.1 Rules for content cooperation", 3),
            (90, 160, "7.4.1.1", 4),
            (122, 160, "All communication fees belong to Party A in full.", 5),
            (90, 180, "7.4.1.2", 6),
            (122, 180, "Party B bears its own costs of the services.", 7),
        ]
    )
    sections = build_sections(dt)
    by_id = {s.id: s for s in sections}
    deepest = next(s for s in sections if s.number == "7.4.1.2")
    chain = [deepest.number]
    node = deepest
    while node.parent:
        node = by_id[node.parent]
        chain.append(node.number)
    assert chain == ["7.4.1.2", "7.4.1", "7.4", "7"]


def test_numbering_restarts_inside_an_exhibit() -> None:
    dt = _doc(
        [
            (72, 100, "1. Term. This Agreement runs for two years.", 1),
            (72, 120, "2. Fees. The fees are set out in Exhibit A.", 2),
        ],
        [
            (250, 100, "EXHIBIT A", 3),
            (72, 120, "1. Scope. The services cover the hosting of the site.", 4),
            (72, 140, "2. Price. The price is fixed for the term.", 5),
        ],
    )
    sections = build_sections(dt)
    by_id = {s.id: s for s in sections}
    ones = [s for s in sections if s.number == "1"]
    assert [s.page for s in ones] == [1, 2]
    assert ones[0].parent is None
    assert by_id[ones[1].parent or ""].number == "Exhibit A"


def test_a_bare_top_level_number_with_a_title_but_not_an_address() -> None:
    dt = _doc(
        [
            (72, 100, "1 Definitions", 1),
            (72, 120, "The following words have the meanings given to them.", 1),
            (72, 140, "2 Cooperation between the Parties in the Course of a Project", 2),
            (72, 160, "The Parties shall cooperate in good faith.", 2),
            (72, 180, "Notices go to the Company at:", 3),
            (72, 200, "35 West Wacker Drive", 4),
            (72, 220, "3 Payments", 5),
            (72, 240, "The fees are payable monthly.", 5),
        ]
    )
    assert [n for n, _ in _numbered(build_sections(dt))] == ["1", "2", "3"]


def test_a_table_of_contents_is_not_the_sections_it_lists() -> None:
    contents = [(250.0, 80.0, "TABLE OF CONTENTS", 1)]
    for row, (number, title) in enumerate(
        [("1.1", "Definitions"), ("1.2", "Term"), ("2.1", "Fees"), ("2.2", "Taxes")]
    ):
        y = 100.0 + 30 * row
        contents += [(72.0, y, number, 10 + row), (110.0, y, title, 20 + row)]
        contents.append((540.0, y, str(row + 2), 30 + row))
    body = [
        (72, 100, "1. General", 1),
        (72, 120, "1.1 Definitions. Words have the meanings given here.", 2),
        (72, 140, "1.2 Term. The term is two years.", 3),
    ]
    sections = build_sections(_doc(contents, body))
    assert [(s.number, s.page) for s in sections if s.number] == [
        ("1", 2),
        ("1.1", 2),
        ("1.2", 2),
    ]


def test_a_column_of_section_numbers_but_not_a_numbered_list() -> None:
    column = _doc(
        [
            (72, 100, "6.", 1),
            (72, 130, "6.1", 2),
            (72, 160, "6.2", 3),
            (110, 200, "The parties agree to the following terms and conditions.", 4),
        ]
    )
    assert [n for n, _ in _numbered(build_sections(column))] == ["6", "6.1", "6.2"]
    listed = _doc(
        [
            (72, 100, "The economic terms are:", 1),
            (77, 130, "1.", 2),
            (77, 160, "2.", 3),
            (77, 190, "3.", 4),
            (77, 220, "Each is to be agreed by the parties.", 5),
        ]
    )
    assert _numbered(build_sections(listed)) == []


def test_a_number_glued_to_its_text() -> None:
    dt = _doc(
        [
            (72, 100, "11.1 Services. Each party provides services under agreements.", 1),
            (99, 120, "11.1.1.Igene or its Affiliates will provide utilities.", 2),
            (99, 140, "11.1.2.T&L or its Affiliates will provide waste treatment.", 3),
        ]
    )
    assert [n for n, _ in _numbered(build_sections(dt))] == ["11.1", "11.1.1", "11.1.2"]


def test_a_title_wrapped_over_two_lines() -> None:
    dt = _doc(
        [
            (72, 100, "SECTION 2. Retention of Capital Resources; Compensation; Sale", 1),
            (72, 112, "and Delivery of the Shares. Subject to the terms the Company sells", 1),
            (72, 124, "the Shares to the Agent on the Closing Date.", 1),
            (72, 140, "SECTION 3. Capital Resources represents and warrants to the", 2),
            (72, 152, "Company and the Association that it holds every licence required:", 2),
            (72, 168, "SECTION 4. The Supplier shall deliver the Products in their", 3),
            (72, 180, "Packaging. Delivery is made at the Buyer's warehouse and is final.", 3),
        ]
    )
    assert _numbered(build_sections(dt)) == [
        ("2", "Retention of Capital Resources; Compensation; Sale and Delivery of the Shares"),
        ("3", None),
        ("4", None),
    ]


def test_a_list_of_references_after_a_colon_is_not_a_heading() -> None:
    dt = _doc(
        [
            (72, 100, "10.4 Surviving Provisions", 1),
            (72, 120, "The following provisions survive expiration for any reason:", 2),
            (72, 132, "Section 1 (Definitions), Section 3 (Payments) and Section 5;", 2),
            (72, 144, "Section 6.4 (Process for Defense), Section 6.5 (Disclaimer);", 2),
            (72, 156, "and Section 11 (Miscellaneous).", 2),
            (72, 176, "11 Miscellaneous", 3),
            (72, 196, "11.1 Termination of this Agreement", 4),
            (72, 216, "Either party may end this Agreement on notice.", 5),
        ]
    )
    assert _numbered(build_sections(dt)) == [
        ("10.4", "Surviving Provisions"),
        ("11", "Miscellaneous"),
        ("11.1", "Termination of this Agreement"),
    ]


def test_a_redaction_or_the_next_heading_is_not_an_exhibits_title() -> None:
    dt = _doc(
        [
            (72, 100, "1. Term. This Agreement runs for two years.", 1),
            (72, 130, "Exhibit 2", 2),
            (72, 150, "[Cecmeeessl", 3),
            (72, 170, "The prices are set out in the table below.", 3),
            (72, 200, "Appendix 2:", 4),
            (72, 212, "Appendix 2.1: Project Plan and Price", 4),
        ]
    )
    titles = {n: t for n, t in _numbered(build_sections(dt))}
    assert titles["Exhibit 2"] is None
    assert titles["Appendix 2"] is None


def test_a_list_of_exhibits_is_not_the_exhibits() -> None:
    dt = _doc(
        [
            (72, 100, "1. Term. This Agreement runs for two years.", 1),
            (72, 130, "List of Appendices:", 2),
            (72, 142, "Appendix 1: Material and Product", 2),
            (72, 154, "Appendix 2: Project Plan", 2),
            (72, 166, "Appendix 3: Members of the Project Team and of the Steering Committee", 2),
        ],
        [
            (72, 100, "Appendix 1: Material and Product", 3),
            (72, 120, "The Material is the cell line described below.", 4),
        ],
    )
    assert [(n, s.page) for s in build_sections(dt) if (n := s.number)] == [
        ("1", 1),
        ("Appendix 1", 2),
    ]


def test_an_exhibit_heading_repeated_atop_its_pages_is_one_exhibit() -> None:
    dt = _doc(
        [(72, 100, "The parties have signed this Agreement.", 7)],
        [(72, 100, "EXHIBIT A", 1), (72, 120, "SPECIFICATIONS", 1)],
        [(72, 100, "EXHIBIT A", 2), (72, 120, "1. Overview. The service searches the web.", 3)],
        [(72, 100, "EXHIBIT A", 4), (72, 120, "2. Capacity. It answers ten queries a second.", 5)],
        [(72, 100, "EXHIBIT B", 6), (72, 120, "PRICES", 6)],
    )
    assert [(n, s.page) for s in build_sections(dt) if (n := s.number)] == [
        ("Exhibit A", 2),
        ("1", 3),
        ("Exhibit A", 4),  # after its own numbered sections: a new heading, kept
        ("2", 4),
        ("Exhibit B", 5),
    ]


def test_a_capitals_line_running_on_into_an_exhibit_reference() -> None:
    dt = _doc(
        [
            (72, 100, "EXHIBIT C", 1),
            (72, 120, "MAINTENANCE FEES: LICENSED TECHNOLOGY FOR THE SERVICES SPECIFIED IN", 2),
            (72, 132, "EXHIBIT A", 2),
            (72, 144, "The Maintenance Fee is $20,000 a year.", 2),
        ]
    )
    assert [s.number for s in build_sections(dt) if s.number] == ["Exhibit C"]


def test_exhibit_labels_atop_the_first_page_label_the_document() -> None:
    dt = _doc(
        [
            (54, 229, "1. Term. This Agreement runs for two years.", 1),  # read before the top
            (476, 51, "EXHIBIT 10(l)", 2),
            (279, 72, "EXHIBIT II", 3),
            (218, 92, "RATE AGREEMENT BETWEEN THE PARTIES", 4),
            (72, 112, "This Agreement is made on 1 November 2002.", 5),
        ],
        [(250, 100, "EXHIBIT A", 6), (72, 120, "PRICES", 6)],
    )
    assert [s.number for s in build_sections(dt) if s.number] == ["1", "Exhibit A"]


def test_titles_in_sentence_case_brand_names_and_ending_in_a_figure() -> None:
    dt = _doc(
        [
            (72, 100, "7.1 Source Code delivery. D2 shall deliver the source code.", 1),
            (72, 120, "7.2 Confidentiality and security.", 2),
            (72, 132, "The source code is kept in escrow.", 2),
            (72, 150, "8.1 eDiets Content. eDiets provides the diet content.", 3),
            (72, 170, "10.1 By D2. D2 agrees to indemnify the Licensee.", 4),
            (72, 190, "10.2 Billing cycle: the month in which the fees fall due.", 5),
            (72, 210, "10.3 Licensee shall pay. The fee is due on signature.", 6),
        ]
    )
    assert _numbered(build_sections(dt)) == [
        ("7.1", "Source Code delivery"),
        ("7.2", "Confidentiality and security"),
        ("8.1", "eDiets Content"),
        ("10.1", "By D2"),
        ("10.2", None),  # a term defined, not a title
        ("10.3", None),  # a short sentence
    ]


def test_a_column_of_zeros_in_a_table_is_not_a_table_of_contents() -> None:
    rows = [(250.0, 60.0, "EXHIBIT C", 1), (72.0, 80.0, "The delivery schedule is below.", 2)]
    rows += [(72.0, 100.0 + 20 * r, f"Product {r} Item {r} Estimated", 10 + r) for r in range(5)]
    rows += [(540.0, 100.0 + 20 * r, "0", 20 + r) for r in range(5)]
    assert [s.number for s in build_sections(_doc(rows)) if s.number] == ["Exhibit C"]


def test_roman_caps_headings_long_caps_titles_blanks_and_underlines() -> None:
    dt = _doc(
        [
            (72, 100, "I. DEFINITIONS", 1),
            (86, 120, "1.1. Affiliate means a company that controls a Party.", 2),
            (72, 140, "II. SERVICES TO BE PROVIDED TO THE JOINT VENTURE BY THE PARTIES.", 3),
            (72, 160, "The Trademark License Agreement is dated as of [ ].", 4),
            (277, 180, "ARTICLE III", 5),
            (260, 192, "GRANT OF LICENSE", 5),
            (72, 212, "3.1 International Deployment, Hosting & Maintenance Obligations of", 6),
            (90, 224, "--------------------------------------------------------------", 6),
            (72, 236, "Inktomi. Microsoft may require Inktomi to purchase new equipment", 6),
            (72, 248, "for the hosting of the service in every country of the Territory.", 6),
            (72, 268, "I. Smith is the Licensor's contact for notices.", 7),
        ]
    )
    assert _numbered(build_sections(dt)) == [
        ("I", "DEFINITIONS"),
        ("1.1", None),
        ("II", "SERVICES TO BE PROVIDED TO THE JOINT VENTURE BY THE PARTIES"),
        ("III", "GRANT OF LICENSE"),
        ("3.1", "International Deployment, Hosting & Maintenance Obligations of Inktomi"),
    ]


def test_numbered_recitals_are_not_sections() -> None:
    dt = _doc(
        [
            (50, 100, "WHEREAS", 1),
            (50, 120, "1. Party A is a company incorporated under the laws of China.", 2),
            (50, 140, "2. Party B is a limited liability company in Beijing.", 3),
            (50, 160, "The Parties unanimously agree to amend the Original Agreement:", 4),
            (50, 180, "1. Party A appoints Party B as its exclusive service provider.", 5),
            (50, 200, "2. Party B accepts the appointment.", 6),
        ]
    )
    assert [(s.number, s.char_start > 0) for s in build_sections(dt) if s.number] == [
        ("1", True),
        ("2", True),
    ]
    assert all(s.page == 1 for s in build_sections(dt))
    first = next(s for s in build_sections(dt) if s.number == "1")
    assert dt.text[first.char_start :].startswith("1. Party A appoints")


def test_an_appendix_numbers_its_articles_in_sentences() -> None:
    dt = _doc(
        [
            (250, 100, "Article 1 Definitions", 1),
            (50, 120, "Words have the meanings given below.", 2),
            (50, 140, "Appendix 2:", 3),
            (50, 160, "Article 1 it will comply with the relevant laws and regulations.", 4),
            (50, 180, "Article 2 it will operate its business according to relevant laws.", 5),
            (50, 200, "Article 5 of the Regulations applies to the service as well.", 6),
        ]
    )
    assert [s.number for s in build_sections(dt) if s.number] == ["1", "Appendix 2", "1", "2"]


def test_a_numbered_list_of_phrases_under_a_colon_is_not_sections() -> None:
    sites = _doc(
        [
            (72, 100, "2. Promotion. CNET will run a banner on each of the following Sites:", 1),
            (72, 120, "1. CNET.COM ([XXXXX] impressions per month)", 2),
            (72, 132, "2. SEARCH.COM ([XXXXX] impressions per month)", 2),
            (72, 144, "3. SHAREWARE.COM ([XXXXX] impressions; this is a single unit)", 2),
            (72, 164, "3. Fees. The Company pays the fees monthly.", 3),
        ]
    )
    assert [n for n, _ in _numbered(build_sections(sites))] == ["2", "3"]
    statements = _doc(
        [
            (72, 100, "Assumptions:", 1),
            (72, 112, "1. Microsoft provisioned capacity is [*]", 1),
            (72, 124, "2. Inktomi provisioned capacity is [*]", 1),
        ]
    )
    assert [n for n, _ in _numbered(build_sections(statements))] == ["1", "2"]
