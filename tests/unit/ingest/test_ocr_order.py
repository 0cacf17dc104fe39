"""Tesseract's blocks put back in the page's reading order (ingest/ocr_order.py)."""

from __future__ import annotations

from westfall_legal.ingest.ocr_order import reading_order
from westfall_legal.models import Word


def line(text: str, block: int, number: int, x: float, y: float) -> list[Word]:
    """Words of ``text`` from ``x`` on, 6 pt per character, on a line 8 pt high at ``y``."""
    words = []
    for token in text.split():
        words.append(Word(token, (x, y, x + 6 * len(token), y + 8), block, number, 90.0))
        x += 6 * (len(token) + 1)
    return words


def texts(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def test_a_line_cut_off_into_its_own_block_joins_its_line() -> None:
    words = [
        *line("respect to each other.", 1, 1, 48, 55),
        *line("an employee, agent,", 1, 2, 48, 65),
        *line("purpose and shall not", 1, 3, 48, 75),
        *line("partner or legal representative", 2, 1, 174, 64),  # after "agent," on the page
    ]
    out = reading_order(words)
    assert texts(out) == (
        "respect to each other. an employee, agent, partner or legal representative "
        "purpose and shall not"
    )
    joined = next(w for w in out if w.text == "partner")
    assert (joined.block, joined.line) == (1, 2)  # one line for the layout stage
    assert joined.box == words[-4].box and joined.conf == 90.0


def test_a_block_read_after_the_one_below_it_moves_before_it() -> None:
    words = [
        *line("earthquakes, strikes or shortages of materials", 1, 1, 48, 216),
        *line("direct the provision of Corio Services", 2, 1, 48, 240),
        *line("term of the Agreement.", 2, 2, 48, 248),
        *line("Subcontract. Commerce One understands and agrees", 3, 1, 48, 230),
    ]
    assert texts(reading_order(words)) == (
        "earthquakes, strikes or shortages of materials Subcontract. Commerce One "
        "understands and agrees direct the provision of Corio Services term of the Agreement."
    )


def test_blocks_side_by_side_keep_tesseract_order() -> None:
    words = [
        *line("CORIO, INC.", 1, 1, 14, 395),
        *line("By: /s/ George", 1, 2, 14, 410),
        *line("COMMERCE ONE, INC.", 2, 1, 300, 395),
        *line("By: /s/ Mark", 2, 2, 300, 410),
    ]
    assert reading_order(words) == words


def test_what_lies_between_keeps_a_line_end_apart() -> None:
    words = [
        *line("Name: GEORGE", 1, 1, 14, 426),
        *line("x", 2, 1, 100, 430),  # half a line lower: not on the row, but in the gap
        *line("MARK", 3, 1, 112, 426),
    ]
    assert reading_order(words) == words
    without = [w for w in words if w.block != 2]
    assert [(w.block, w.line) for w in reading_order(without)] == [(1, 1), (1, 1), (1, 1)]


def test_a_number_in_the_left_margin_is_left_to_the_layout_stage() -> None:
    words = [*line("14.10", 1, 1, 14, 332), *line("Complete Understanding.", 2, 1, 48, 333)]
    assert reading_order(words) == words
    # read first, before the page's text above it: it stays where Tesseract put it
    words = [
        *line("5.", 1, 1, 14, 800),
        *line("Term and Termination.", 2, 1, 48, 156),
        *line("Entire Agreement.", 3, 1, 48, 800),
    ]
    assert reading_order(words) == words


def test_a_far_away_block_on_the_same_row_is_not_a_line_end() -> None:
    words = [*line("Title: CEO", 1, 1, 14, 449), *line("Date:", 2, 1, 400, 449)]
    assert reading_order(words) == words
    assert reading_order([]) == []
