"""Which pages keep their text layer: enough words, few garbage ones, not a scan."""

from __future__ import annotations

import pytest

from westfall_legal.ingest.document import _is_garbage, text_layer_is_good
from westfall_legal.ingest.pdf import RawPage
from westfall_legal.models import Word

BOX = (72.0, 72.0, 100.0, 84.0)


def _page(texts: list[str], coverage: float | None = 0.0) -> RawPage:
    words = tuple(Word(t, BOX) for t in texts)
    return RawPage(1, 612.0, 792.0, words, coverage, 0)


@pytest.mark.parametrize(
    ("text", "garbage"),
    [
        ("Agreement", False),
        ("“Client”", False),
        ("naïve", False),
        ("$1,000.00", False),
        ("(a)", False),
        ("—", False),  # a lone dash is punctuation, not garbage
        ("\ufffd\ufffd", True),  # unmapped glyphs
        ("a\tb", True),
        ("a b", True),
        ("a\u00a0b", True),  # no-break space inside a word
        ("x\u200by", True),  # zero-width space (a format character)
        ("\x07bell", True),
        ("§¶†‡", True),  # a mis-encoded font: symbols without a letter or digit
        ("***", True),
    ],
)
def test_is_garbage(text: str, garbage: bool) -> None:
    assert _is_garbage(Word(text, BOX)) is garbage


def test_a_page_of_words_keeps_its_text_layer() -> None:
    assert text_layer_is_good(_page(["This", "Agreement", "is", "made"] * 3))


def test_a_quarter_garbage_is_tolerated_and_more_is_not() -> None:
    good = ["This", "Agreement", "is", "made"] * 3  # 12 words
    assert text_layer_is_good(_page(good + ["§¶†‡"] * 4))  # 4 / 16 = 25%
    assert not text_layer_is_good(_page(good + ["§¶†‡"] * 5))  # 5 / 17


@pytest.mark.parametrize(
    ("coverage", "good"), [(0.9, False), (0.5, False), (0.1, True), (None, True)]
)
def test_few_words_over_a_picture_is_a_scan(coverage: float | None, good: bool) -> None:
    assert text_layer_is_good(_page(["Page", "3"], coverage)) is good
