"""A fax's streak is taken out and a table's rules, an underline and the letters stay."""

from __future__ import annotations

import cv2  # noqa: TID251 (to draw the test pages, as a scanner or fax would)
import numpy as np
import numpy.typing as npt
import pytest

from tests.engines import needs_tesseract
from westfall_legal.ingest import scan_cleanup as sc
from westfall_legal.ingest import streaks

DPI = 200
W, H = 1700, 2200  # US letter at 200 dpi, a fax's resolution
STREAK_X = 900  # the streak's two columns: 900 and 901
RULES_Y = (1500, 1600, 1700, 1800)  # the table's rules, from x = 200 to 1500
Grey = npt.NDArray[np.uint8]


def bare_page(seed: int = 5) -> Grey:
    """Lines of words between 1-inch margins, an underline and a ruled table."""
    rng = np.random.default_rng(seed)
    page = np.full((H, W), 255, np.uint8)
    letters = list("abcdefghijklmnopqrstuvwxyz")
    font = cv2.FONT_HERSHEY_SIMPLEX
    for baseline in range(250, 1400, 45):
        words = ["".join(rng.choice(letters, int(rng.integers(2, 9)))) for _ in range(10)]
        cv2.putText(page, " ".join(words), (200, baseline), font, 1.0, 0, 2, cv2.LINE_AA)
    cv2.line(page, (600, 1255), (1100, 1255), 0, 2)  # an underline across the streak
    for y in RULES_Y:
        cv2.line(page, (200, y), (1500, y), 0, 2)
    for x in (200, 700, 1500):
        cv2.line(page, (x, RULES_Y[0]), (x, RULES_Y[-1]), 0, 2)
    return page


def streaked(page: Grey) -> Grey:
    """``page`` with a dotted streak down the whole of it (a dot every 3 px, 2 px wide)
    through the text, the underline and the table."""
    out = page.copy()
    out[::3, STREAK_X : STREAK_X + 2] = 0
    return out


def specked(page: Grey, seed: int = 6) -> Grey:
    """``page`` with a fax's lone dots of noise on it (2 x 2 px, 6,000 of them)."""
    rng = np.random.default_rng(seed)
    out = page.copy()
    ys, xs = rng.integers(0, H - 2, 6000), rng.integers(0, W - 2, 6000)
    for dy in (0, 1):
        for dx in (0, 1):
            out[ys + dy, xs + dx] = 0
    return out


@pytest.fixture(scope="module")
def bare() -> Grey:
    return bare_page()


@pytest.fixture(scope="module")
def page(bare: Grey) -> Grey:
    return streaked(bare)


def test_the_streak_is_found_and_the_rules_are_not(page: Grey) -> None:
    across, bands = streaks.find_streaks(page, DPI)
    assert across == []  # the table's rules span 0.76 of the page's width
    assert len(bands) == 1
    first, last = bands[0]
    assert first <= STREAK_X and last >= STREAK_X + 1 and last - first <= 3


def test_a_page_without_a_streak_has_none(bare: Grey) -> None:
    assert streaks.remove_streaks(bare, DPI) == (bare, 0)


def test_the_streak_goes_and_the_rules_and_letters_stay(bare: Grey, page: Grey) -> None:
    out, count = streaks.remove_streaks(page, DPI)
    assert count == 1
    band = slice(STREAK_X - 1, STREAK_X + 3)
    # Gone in the margins and between the lines of text.
    assert (out[:150, band] == 255).all()
    assert (out[H - 150 :, band] == 255).all()
    assert (out[1900:2000, band] == 255).all()
    # The table's rules and the underline cross it whole.
    for y in (*RULES_Y, 1255):
        assert (out[y, STREAK_X - 6 : STREAK_X + 8] < 128).all(), y
    # Everything off the streak is as it was: letters, rules, margins.
    off = np.ones(W, bool)
    off[band] = False
    assert np.array_equal(out[:, off], page[:, off])

    # ... and on it, the page is near what it was before the streak: the letters crossed
    # are kept, the line's ink is gone.
    def wrong(image: Grey) -> int:
        return int(np.count_nonzero((image[:, band] < 128) != (bare[:, band] < 128)))

    assert wrong(out) < 0.1 * wrong(page)


def test_the_cleanup_takes_a_streak_off_a_fax_only(page: Grey) -> None:
    cleaned, _, done = sc.clean_page(page, DPI)
    assert not done.changed and done.streaks == 0
    assert cleaned is page  # a clean page's rules and lines are never looked at
    fax = specked(page)
    cleaned, _, done = sc.clean_page(fax, DPI)
    assert done.despeckled and done.streaks == 1
    # The margin above the text: the noise and the streak gone alike, bar the blur's rims.
    assert cleaned[20:150, STREAK_X - 1 : STREAK_X + 3].min() > 200


@needs_tesseract
def test_tesseract_reads_the_line_a_streak_ran_through() -> None:
    pytesseract = pytest.importorskip("pytesseract")
    from PIL import Image

    text = "the supplier shall deliver the goods"
    line = np.full((120, 1500), 255, np.uint8)
    cv2.putText(line, text, (60, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 0, 3, cv2.LINE_AA)
    line[64:67, ::4] = 0  # a dotted streak through the letters, edge to edge
    out, count = streaks.remove_streaks(line, 300)
    assert count == 1
    read = pytesseract.image_to_string(Image.fromarray(out), config="--psm 7 --dpi 300")
    assert " ".join(read.split()) == text
