"""Reference resolution on the EDGAR gold set's harder families (issue 26, part 3).

Each test builds a small text and its section tree by hand (the tree is the section stage's
job; these tests are about what the references make of it): an item whose list the text does
not show (numbers the PDF lost), a list of exhibits whose lines the tree took for headings,
an exhibit label that continues a sentence from the line before, and references named apart
from another instrument.
"""

from __future__ import annotations

from westfall_legal.layout.text import plain_text
from westfall_legal.layout.xrefs import find_references
from westfall_legal.models import CrossReference, ExternalReference, Section


def _tree(text: str, heads: list[tuple[str | None, str]]) -> list[Section]:
    """Top-level sections opening at each ``(number, first words)``, each up to the next."""
    starts = [text.index(words) for _, words in heads]
    ends = [*starts[1:], len(text)]
    return [
        Section(f"s{i}", number, words, 1, None, start, end, 1)
        for i, ((number, words), start, end) in enumerate(zip(heads, starts, ends, strict=True))
    ]


def _run(
    text: str, heads: list[tuple[str | None, str]]
) -> tuple[list[CrossReference], list[ExternalReference], dict[str, str | None]]:
    sections = _tree(text, heads)
    refs, external = find_references(plain_text(text), sections)
    numbers = {s.id: s.number for s in sections}
    return refs, external, numbers


def _targets(text: str, heads: list[tuple[str | None, str]]) -> list[tuple[str, str | None]]:
    refs, _, numbers = _run(text, heads)
    return [(r.label, numbers.get(r.target or "")) for r in refs]


LOST = (
    "5.2 Indemnity by LMG. LMG shall indemnify TAG against third-party claims.\n\n"
    "5.3 Indemnity by TAG. TAG shall indemnify LMG against claims of infringement, and "
    "against claims of misuse of the software.\n\n"
    "5.4 Notice. TAG shall be notified of any claim described in Section 5.3(a).\n"
)


def test_an_item_whose_list_the_text_does_not_show_means_its_section() -> None:
    # the PDF lost 5.3's auto-numbered "(a)" and "(b)": the item cannot be checked
    heads = [("5.2", "5.2 Indemnity"), ("5.3", "5.3 Indemnity"), ("5.4", "5.4 Notice")]
    assert _targets(LOST, heads) == [("Section 5.3(a)", "5.3")]


def test_an_item_missing_from_a_list_the_text_shows_stays_unresolved() -> None:
    text = LOST.replace("against claims of infringement", "(a) against claims of infringement")
    text = text.replace("against claims of misuse", "(b) against claims of misuse")
    text = text.replace("Section 5.3(a)", "Section 5.3(f)")
    heads = [("5.2", "5.2 Indemnity"), ("5.3", "5.3 Indemnity"), ("5.4", "5.4 Notice")]
    assert _targets(text, heads) == [("Section 5.3(f)", None)]


def test_a_roman_item_does_not_show_a_list_of_letters() -> None:
    # "(i)" may be a letter or a numeral: alone it does not make 5.3 a list of letters
    text = LOST.replace("against claims of misuse", "(i) against claims of misuse")
    heads = [("5.2", "5.2 Indemnity"), ("5.3", "5.3 Indemnity"), ("5.4", "5.4 Notice")]
    assert _targets(text, heads) == [("Section 5.3(a)", "5.3")]


EXHIBITS = (
    "EXHIBITS\n\n"
    "Exhibit A List of Products\n"
    "Exhibit B The Territory\n"
    "Exhibit C Sublicense Agreement\n\n"
    "1. Territory. The Territory is set out in Exhibit B.\n\n"
    "2. Products. The Products are listed in Exhibit A.\n\n"
    "EXHIBIT B\n\nTHE TERRITORY\n\nNorth America.\n"
)
EXHIBIT_HEADS: list[tuple[str | None, str]] = [
    ("Exhibit A", "Exhibit A List"),
    ("Exhibit B", "Exhibit B The"),
    ("Exhibit C", "Exhibit C Sub"),
    ("1", "1. Territory"),
    ("2", "2. Products"),
    ("Exhibit B", "EXHIBIT B\n"),
]


def test_a_list_of_exhibits_names_them_and_is_never_their_target() -> None:
    refs, _, numbers = _run(EXHIBITS, EXHIBIT_HEADS)
    # the list's lines are references; Exhibit A and C are not attached: no target
    assert [(r.label, numbers.get(r.target or "")) for r in refs] == [
        ("Exhibit A", None),
        ("Exhibit B", "Exhibit B"),
        ("Exhibit C", None),
        ("Exhibit B", "Exhibit B"),
        ("Exhibit A", None),
    ]
    assert {r.target for r in refs} == {None, "s5"}  # the attached exhibit, not a list line


def test_two_exhibit_lines_are_not_yet_a_list() -> None:
    text = EXHIBITS.replace("Exhibit C Sublicense Agreement\n", "")
    heads = [h for h in EXHIBIT_HEADS if h[0] != "Exhibit C"]
    refs, _, numbers = _run(text, heads)
    assert [(r.label, numbers.get(r.target or "")) for r in refs] == [
        ("Exhibit B", "Exhibit B"),
        ("Exhibit A", "Exhibit A"),
    ]


def test_an_exhibit_label_continuing_the_line_before_is_not_the_exhibit() -> None:
    text = (
        "1. Licence. The technology is listed in Exhibit A.\n\n"
        "EXHIBIT A\n\nLICENSED TECHNOLOGY SPECIFICATION\n\nBasic services.\n\n"
        "EXHIBIT C\n\nFEES\n\nMAINTENANCE FEES: LICENSED TECHNOLOGY FOR THE SERVICES SPECIFIED IN\n"
        "EXHIBIT A AND CONFERENCING\n\nThe maintenance fee is $20,000 a year, as the parties "
        "agreed at the signing of this agreement, payable in advance each year of the term.\n"
    )
    heads: list[tuple[str | None, str]] = [
        ("1", "1. Licence"),
        ("Exhibit A", "EXHIBIT A\n\nLICENSED"),
        ("Exhibit C", "EXHIBIT C"),
        ("Exhibit A", "EXHIBIT A AND"),
    ]
    assert _targets(text, heads) == [("Exhibit A", "Exhibit A"), ("Exhibit A", "Exhibit A")]
    refs, _, _ = _run(text, heads)
    assert {r.target for r in refs} == {"s1"}  # the exhibit, never the fee line


def test_items_written_before_their_section_are_that_sections() -> None:
    text = (
        "7.2 Claims. Claims are notified at once.\n\n"
        "7.3 Indemnity. a. XENCOR indemnifies BII. b. BII indemnifies XENCOR (i) for its use, "
        "(ii) for its sales, (iii) for its recalls and (iv) for its trials.\n\n"
        "7.4 Limits. The cap does not apply to claims under clause (iii) and (iv) of Section "
        "7.3 b. regarding any use, nor to subsection (a) of this Section 7.2.\n"
    )
    heads: list[tuple[str | None, str]] = [
        ("7.2", "7.2 Claims"),
        ("7.3", "7.3 Indemnity"),
        ("7.4", "7.4 Limits"),
    ]
    assert _targets(text, heads) == [
        ("Clause 7.3(b)(iii)", "7.3"),
        ("Clause 7.3(b)(iv)", "7.3"),
        ("Section 7.3", "7.3"),
        ("Section 7.2(a)", "7.2"),
        ("Section 7.2", "7.2"),
    ]


def test_an_article_item_with_a_letter() -> None:
    text = "3.1 Scope. The scope.\n\n3.2 Processors. For processors other than those in this "
    text += "Article 3.2A(iii), the fee is agreed.\n"
    heads: list[tuple[str | None, str]] = [("3.1", "3.1 Scope"), ("3.2", "3.2 Processors")]
    assert _targets(text, heads) == [("Article 3.2A(iii)", "3.2")]


AMENDMENT = (
    "1. Definitions. Terms have the meanings in the Non-Competition Agreement.\n\n"
    "2. Non-Competition. Section 2 of the Non-Competition Agreement is deleted, and the "
    "provisions that relate to it, including Sections 5 and 6, are amended.\n\n"
    "3. Term. This Amendment lasts one year.\n\n"
    "4. Fees. The fees of Section 4.1 of the Services Agreement apply.\n\n"
    "5. Law. Sections 3 and 4.1 of this Agreement govern the fees.\n"
)
AMENDMENT_HEADS: list[tuple[str | None, str]] = [
    ("1", "1. Definitions"),
    ("2", "2. Non-Competition"),
    ("3", "3. Term"),
    ("4", "4. Fees"),
    ("5", "5. Law"),
]


def test_the_items_of_one_list_are_one_instruments() -> None:
    refs, external, _ = _run(AMENDMENT, AMENDMENT_HEADS)
    named = [(e.label, e.instrument) for e in external]
    # Section 5 is the Non-Competition Agreement's as Section 6 is, though this has a 5
    assert ("Section 5", "Non-Competition Agreement") in named
    assert ("Section 6", "Non-Competition Agreement") in named
    assert "Section 5" not in [r.label for r in refs]


def test_a_reference_said_to_be_this_agreements_stays_ours() -> None:
    refs, external, _ = _run(AMENDMENT, AMENDMENT_HEADS)
    # "Sections 3 and 4.1 of this Agreement": 4.1 is dangling, but never the Services
    # Agreement's 4.1 named before it
    assert [(r.label, r.dangling) for r in refs if r.label.startswith("Section 4")] == [
        ("Section 4.1", True)
    ]
    assert [e.label for e in external if e.instrument == "Services Agreement"] == ["Section 4.1"]


def test_an_instrument_ends_at_its_sentence() -> None:
    text = (
        "1. Fees. TAG reimburses LMG under Section 4.2 of the Administrative Services and "
        "Teaming Agreement. LMG invoices monthly.\n"
    )
    _, external, _ = _run(text, [("1", "1. Fees")])
    assert [e.instrument for e in external] == ["Administrative Services and Teaming Agreement"]


def test_of_two_sections_of_one_number_the_titled_one_with_text() -> None:
    # recitals numbered 1. to 3. above the articles: "Article 3" is the article
    recital = "Party A intends to authorise Party B to provide services, " * 5
    text = (
        f"WHEREAS\n\n1. {recital}\n\n2. {recital}\n\n3. {recital}\n\n"
        "1 Cooperation. The parties cooperate as set forth in Article 3 below.\n\n"
        f"3 Services. Party B provides the services. {recital}\n"
    )
    heads = ["WHEREAS", "1. Party", "2. Party", "3. Party", "1 Cooperation", "3 Services"]
    starts = [text.index(h) for h in heads]
    ends = [*starts[1:], len(text)]
    numbers = [None, "1", "2", "3", "1", "3"]
    titles = ["WHEREAS", None, None, None, "Cooperation", "Services"]
    sections = [
        Section(f"s{i}", n, t, 1, None, a, b, 1)
        for i, (n, t, a, b) in enumerate(zip(numbers, titles, starts, ends, strict=True))
    ]
    refs, _ = find_references(plain_text(text), sections)
    assert [(r.label, r.target) for r in refs] == [("Article 3", "s5")]


def test_a_list_of_references_opening_a_line_is_not_a_heading() -> None:
    # the section tree took the line for a heading "1"; its words are references
    text = (
        "1 Definitions. Terms are defined here, as the parties have agreed them at signing.\n\n"
        "3 Payments. Fees are paid monthly, in arrears, by wire transfer to the account.\n\n"
        "10 Survival. These survive termination:\n"
        "Section 1 (Definitions), Section 3 (Payments) and Section 10.\n"
    )
    heads: list[tuple[str | None, str]] = [
        ("1", "1 Definitions"),
        ("3", "3 Payments"),
        ("10", "10 Survival"),
        ("1", "Section 1 (Def"),
    ]
    assert _targets(text, heads) == [
        ("Section 1", "1"),
        ("Section 3", "3"),
        ("Section 10", "10"),
    ]
    refs, _, _ = _run(text, heads)
    assert refs[0].target == "s0"  # the section with text, not the line taken for one
