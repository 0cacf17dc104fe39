"""Word's automatic numbers from plain numbering definitions (no .docx involved)."""

from __future__ import annotations

import pytest

from westfall_legal.ingest.word_numbering import (
    Level,
    Numbering,
    NumDef,
    bullet_text,
    format_number,
    letters,
    roman,
)

LEGAL = {
    0: Level("decimal", "ARTICLE %1", suffix="nothing"),
    1: Level("decimal", "%1.%2"),
    2: Level("lowerLetter", "(%3)"),
    3: Level("lowerRoman", "(%4)"),
}


def _numbers(numbering: Numbering, steps: list[tuple[str, int]]) -> list[str]:
    return [numbering.next(num, ilvl)[0] for num, ilvl in steps]


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (1, "decimal", "1"),
        (3, "lowerLetter", "c"),
        (26, "lowerLetter", "z"),
        (27, "lowerLetter", "aa"),  # Word repeats the letter, unlike a spreadsheet's "AA"
        (54, "upperLetter", "BBB"),
        (4, "lowerRoman", "iv"),
        (1994, "upperRoman", "MCMXCIV"),
        (7, "decimalZero", "07"),
        (12, "decimalZero", "12"),
        (2, "ordinal", "2nd"),
        (13, "ordinal", "13th"),
        (5, "none", ""),
        (5, "japaneseCounting", "5"),  # formats not computed read as figures
    ],
)
def test_formats(n: int, fmt: str, shown: str) -> None:
    assert format_number(n, fmt) == shown


def test_letters_and_roman_of_zero_stay_figures() -> None:
    assert letters(0) == "0" and roman(0) == "0" and roman(49) == "xlix"


def test_a_multilevel_list_counts_and_restarts_lower_levels() -> None:
    numbering = Numbering({"0": LEGAL}, {"1": NumDef("0")})
    steps = [("1", 0), ("1", 1), ("1", 2), ("1", 2), ("1", 3), ("1", 1), ("1", 2), ("1", 0)]
    steps += [("1", 1)]
    assert _numbers(numbering, steps) == [
        "ARTICLE 1", "1.1", "(a)", "(b)", "(i)", "1.2", "(a)", "ARTICLE 2", "2.1",
    ]  # fmt: skip


def test_the_separator_follows_the_level_suffix() -> None:
    numbering = Numbering({"0": LEGAL}, {"1": NumDef("0")})
    assert numbering.next("1", 0) == ("ARTICLE 1", "")
    assert numbering.next("1", 1) == ("1.1", " ")  # a tab reads as a space


def test_lvl_restart_names_the_level_that_restarts_it() -> None:
    levels = {**LEGAL, 2: Level("upperLetter", "(%3)", restart=1)}  # restarts after level 1 only
    numbering = Numbering({"0": levels}, {"1": NumDef("0")})
    steps = [("1", 0), ("1", 1), ("1", 2), ("1", 1), ("1", 2), ("1", 0), ("1", 2)]
    assert _numbers(numbering, steps) == [
        "ARTICLE 1",
        "1.1",
        "(A)",
        "1.2",
        "(B)",
        "ARTICLE 2",
        "(A)",
    ]
    never = {0: Level("decimal", "%1."), 1: Level("decimal", "%2)", restart=0)}
    numbering = Numbering({"0": never}, {"1": NumDef("0")})
    assert _numbers(numbering, [("1", 1), ("1", 0), ("1", 1)]) == ["1)", "1.", "2)"]


def test_nums_of_one_abstract_share_counters_until_a_start_override() -> None:
    schedule = {0: Level("decimal", "%1."), 1: Level("lowerLetter", "(%2)")}
    nums = {"3": NumDef("2"), "4": NumDef("2"), "5": NumDef("2", starts={0: 1})}
    numbering = Numbering({"2": schedule}, nums)
    steps = [("3", 0), ("3", 1), ("3", 0), ("4", 0), ("5", 0), ("5", 1), ("5", 0)]
    assert _numbers(numbering, steps) == ["1.", "(a)", "2.", "3.", "1.", "(a)", "2."]


def test_start_values_and_whole_level_overrides() -> None:
    levels = {0: Level("lowerRoman", "%1)", start=5)}
    nums = {"1": NumDef("0"), "2": NumDef("0", levels={0: Level("upperLetter", "%1.", start=3)})}
    numbering = Numbering({"0": levels}, nums)
    # The override changes how num 2 shows the level; the count is the abstract's (7th: G).
    assert _numbers(numbering, [("1", 0), ("1", 0), ("2", 0)]) == ["v)", "vi)", "G."]


def test_legal_numbering_shows_every_level_in_figures() -> None:
    levels = {
        0: Level("upperRoman", "ARTICLE %1"),
        1: Level("decimalZero", "Section %1.%2", legal=True),
        2: Level("lowerLetter", "(%3)"),
    }
    numbering = Numbering({"0": levels}, {"1": NumDef("0")})
    steps = [("1", 0), ("1", 0), ("1", 1), ("1", 2)]
    assert _numbers(numbering, steps) == ["ARTICLE I", "ARTICLE II", "Section 2.01", "(a)"]


def test_a_level_not_used_yet_shows_its_start() -> None:
    numbering = Numbering({"0": LEGAL}, {"1": NumDef("0")})
    assert numbering.next("1", 1)[0] == "1.1"  # "1.1" straight away, no ARTICLE before it


def test_bullets_none_and_missing_lists() -> None:
    levels = {0: Level("bullet", "\uf0b7"), 1: Level("bullet", "o"), 2: Level("none", "Note")}
    numbering = Numbering({"0": levels}, {"1": NumDef("0")})
    assert _numbers(numbering, [("1", 0), ("1", 1), ("1", 2)]) == ["•", "o", "Note"]
    assert numbering.next("9", 0) == ("", "")  # no such num: Word shows no number
    assert numbering.next("1", 7) == ("", "")  # no such level
    assert bullet_text("") == "•"


def test_style_level_finds_the_level_linked_to_a_style() -> None:
    levels = {0: Level("decimal", "%1.", style="Heading1"), 1: Level("decimal", "%1.%2")}
    numbering = Numbering({"0": levels}, {"1": NumDef("0"), "2": NumDef("missing")})
    assert numbering.style_level("1", "Heading1") == 0
    assert numbering.style_level("1", "Heading2") is None
    assert numbering.style_level("2", "Heading1") is None
    assert numbering.style_level("3", "Heading1") is None
