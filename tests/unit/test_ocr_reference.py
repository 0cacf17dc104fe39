"""The degraded-scan benchmark's fair reference (benchmarks/ocr_degraded.py): the text
layer's words in the order the page shows them, rules drawn in characters dropped, quotes
and dashes plain, and an order-blind word measure beside CER."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository: benchmarks/
from benchmarks.ocr_degraded import bag_error, fair_text, is_rule, visual_lines


def word(
    x: float, y: float, text: str, height: float = 10.0
) -> tuple[float, float, float, float, str]:
    return (x, y, x + 6.0 * len(text), y + height, text)


def test_words_are_read_in_the_order_the_page_shows_them() -> None:
    # A text layer that lists the running head and the page number last, and a section
    # number in the left margin after its line's text (as EDGAR PDFs do).
    layer = [
        word(120, 100, "The"), word(150, 100, "Supplier"), word(210, 100.5, "shall"),
        word(120, 114, "deliver"), word(170, 114, "goods."),
        word(72, 100, "1.2"),
        word(250, 60, "Confidential"),
        word(300, 740, "-"), word(306, 740, "2"), word(312, 740, "-"),
    ]  # fmt: skip
    assert visual_lines(layer) == [
        "Confidential", "1.2 The Supplier shall", "deliver goods.", "- 2 -"
    ]  # fmt: skip


def test_a_line_is_not_merged_with_the_next() -> None:
    lines = visual_lines([word(72, 100, "one"), word(72, 111, "two"), word(90, 122, "three")])
    assert lines == ["one", "two", "three"]


@pytest.mark.parametrize(
    ("token", "rule"),
    [("-----", True), ("___", True), ("==-==", True), ("--", False), ("-", False),
     ("1-2-3", False), ("co-op", False), ("$---", False)],
)  # fmt: skip
def test_rules_are_runs_of_dashes_underscores_or_equals(token: str, rule: bool) -> None:
    assert is_rule(token) is rule


def test_fair_text_drops_rules_and_reads_typographic_marks_plainly() -> None:
    text = "By: ------------ \u201cBuyer\u201d\u00a0shall\u2019s  pay \u2013 all ____ fees ==="
    assert fair_text(text) == 'By: "Buyer" shall\'s pay - all fees'


def test_the_bag_error_is_blind_to_order_and_counts_missing_and_extra_words() -> None:
    truth = "the supplier shall deliver the goods"
    assert bag_error("deliver the goods the supplier shall", truth) == 0.0
    assert bag_error(truth, truth) == 0.0
    # One word misread: one missing and one extra of 12 words in all.
    assert bag_error("the supplier shall deliver the g00ds", truth) == pytest.approx(2 / 12)
    assert bag_error("", truth) == 1.0
    assert bag_error("", "") == 0.0
