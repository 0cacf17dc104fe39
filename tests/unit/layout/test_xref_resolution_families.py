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
