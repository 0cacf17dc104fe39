"""Headings of bilingual contracts (issue 26, the `bilingual` family): a title with its
Chinese translation on the same line, and a number alone over its paragraph at the
paragraph's own left edge, where the text layer lost the heading's other script."""

from __future__ import annotations

from tests.unit.layout.test_section_families import _doc, _numbered
from westfall_legal.layout.bilingual import continues, without_translation
from westfall_legal.layout.sections import build_sections


def test_the_translation_after_a_title_is_not_part_of_it() -> None:
    assert without_translation("SHARING OF INVESTMENT 投资的分摊") == "SHARING OF INVESTMENT"
    assert without_translation("MARKETING REGIONS 销售区域：") == "MARKETING REGIONS"
    assert without_translation("投资的分摊") == "投资的分摊"  # a heading wholly in Chinese
    assert without_translation("Term and Termination") == "Term and Termination"
    dt = _doc(
        [
            (50, 100, "3. SHARING OF INVESTMENT 投资的分摊", 1),
            (50, 120, "3.1 Costs. Each party bears its own costs of the development.", 2),
            (50, 140, "4. MARKETING REGIONS 销售区域：", 3),
            (50, 160, "The Manufacturer markets the Products in the Territory.", 4),
        ]
    )
    assert _numbered(build_sections(dt)) == [
        ("3", "SHARING OF INVESTMENT"),
        ("3.1", "Costs"),
        ("4", "MARKETING REGIONS"),
    ]


def test_a_number_that_continues_the_numbering_heads_the_paragraph_below_it() -> None:
    dt = _doc(
        [
            (50, 100, "2.2 Specifications", 1),
            (50, 120, "2.2.1 Specification", 2),
            (50, 140, "EMV shall provide the Manufacturer with the Specifications.", 3),
            (50, 160, "2.2.2", 4),
            (50, 180, "Manufacturer shall keep detailed manufacturing records.", 5),
            (50, 200, "2.2.3", 6),
            (50, 220, "Manufacturer agrees not to alter the Products.", 7),
        ],
        [
            (50, 100, "2.2.4", 1),
            (50, 120, "Manufacturer warrants to EMV that the Products conform.", 2),
        ],
    )
    numbers = [n for n, _ in _numbered(build_sections(dt))]
    assert numbers == ["2.2", "2.2.1", "2.2.2", "2.2.3", "2.2.4"]


def test_a_stray_figure_at_the_left_edge_opens_nothing() -> None:
    dt = _doc(
        [
            (50, 100, "2.2 Specifications", 1),
            (50, 120, "The tolerance of the frame shall not exceed the figure below.", 2),
            (50, 140, "4.5", 3),  # not the next number: a figure, not a heading
            (50, 160, "The Manufacturer measures it at delivery.", 4),
        ]
    )
    assert [n for n, _ in _numbered(build_sections(dt))] == ["2.2"]


def test_what_continues_a_numbering() -> None:
    assert continues("2.2.2", (2, 2, 1))
    assert continues("2.3", (2, 2, 4)) and continues("3", (2, 2, 4)) and continues("3.", (2,))
    assert continues("2.2.1", (2, 2))
    assert not continues("2.2.3", (2, 2, 1)) and not continues("4.5", (2, 2))
    assert not continues("1.1", ())
