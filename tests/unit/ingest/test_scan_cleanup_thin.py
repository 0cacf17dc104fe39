"""The scan cleanup on pages of thin strokes (EDGAR's Courier), drawn here with OpenCV.

EDGAR text filings are set in Courier, whose strokes are 2-3 px at 300 dpi. Two rules of
``scan_cleanup`` failed on them: as a 200 dpi fax, the threshold breaks each letter into
dots and dashes, which the despeckle took for noise and painted white; and with a stamp
over them, their black ink was too little for the stamp check to look. These pages are
drawn with OpenCV's Hershey font at that stroke width (never with the code under test),
faxed as benchmarks/degrade.py does, and checked without Tesseract
(tests/integration/test_ocr_fax.py reads one).
"""

from __future__ import annotations

import cv2  # noqa: TID251 (to draw the test pages, as a scanner or fax would)
import numpy as np
import numpy.typing as npt
import pytest

from westfall_legal.ingest import scan_cleanup as sc

DPI = 300
W, H = 2550, 3300  # US letter at 300 dpi
Grey = npt.NDArray[np.uint8]


def thin_page(seed: int = 3, scale: float = 1.0, thinned: int = 2) -> Grey:
    """Lines of lower-case words in a Hershey font, about 10 pt, its strokes thinned (a
    ``thinned`` px square of paper spread over them) to Courier's 1-2 px."""
    rng = np.random.default_rng(seed)
    page = np.full((H, W), 255, np.uint8)
    letters = list("abcdefghijklmnopqrstuvwxyz")
    for baseline in range(300, H - 300, 50):
        words = ["".join(rng.choice(letters, int(rng.integers(2, 10)))) for _ in range(12)]
        font = cv2.FONT_HERSHEY_SIMPLEX
        cv2.putText(page, " ".join(words), (250, baseline), font, scale, 0, 1, cv2.LINE_AA)
    return np.asarray(cv2.dilate(page, np.ones((thinned, thinned), np.uint8)), np.uint8)


def faxed(page: Grey, seed: int = 4) -> Grey:
    """``page`` sent as a 200 dpi fax and rendered back at 300 dpi: noise, a fixed
    threshold, 0.35% salt and pepper, enlarged 1.5x with a linear filter (as MuPDF does)."""
    rng = np.random.default_rng(seed)
    size = (W * 2 // 3, H * 2 // 3)
    small = np.asarray(cv2.resize(page, size, interpolation=cv2.INTER_AREA), np.float32)
    noisy = small + rng.normal(0, 18, small.shape).astype(np.float32)
    bitonal = np.where(noisy < 135, 0, 255).astype(np.uint8)
    speckle = rng.random(small.shape)
    bitonal[speckle < 0.00175] = 0
    bitonal[speckle > 1 - 0.00175] = 255
    return np.asarray(cv2.resize(bitonal, (W, H), interpolation=cv2.INTER_LINEAR), np.uint8)


@pytest.fixture(scope="module")
def page() -> Grey:
    return thin_page()


@pytest.fixture(scope="module")
def fax(page: Grey) -> Grey:
    return faxed(page)


def text_zone(page: Grey) -> npt.NDArray[np.bool_]:
    """Within 3 px of the page's text."""
    return np.asarray(cv2.erode(page, np.ones((7, 7), np.uint8)) < 200)


# --- the fax -----------------------------------------------------------------------------


def test_a_fax_of_thin_letters_breaks_them_into_specks_of_a_few_px(page: Grey, fax: Grey) -> None:
    """Why counting small components is not enough: much of the letters' ink is in pieces
    no bigger than a speck of noise."""
    ink = (fax < 128).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] <= sc.SPECKLE_MAX_AREA_300
    small[0] = False
    in_small = small[labels] & (ink > 0)
    on_text = text_zone(page) & (ink > 0)
    assert in_small[on_text].mean() > 0.05


def test_a_fax_is_told_from_a_clean_page_of_the_same_letters(page: Grey, fax: Grey) -> None:
    assert sc.speckle_count(fax, DPI) >= 2 * sc.SPECKLE_PAGE
    assert sc.speckle_count(page, DPI) < sc.SPECKLE_PAGE / 10
    assert not sc.clean_page(page, DPI)[2].changed


def test_the_despeckle_takes_the_noise_and_keeps_the_broken_letters(page: Grey, fax: Grey) -> None:
    cleaned = sc.despeckle(fax, DPI)
    ink, kept = fax < 128, cleaned < 128
    zone = text_zone(page)
    assert kept[ink & zone].mean() > 0.99  # the pieces of the letters stay
    far = ~np.asarray(cv2.dilate(zone.astype(np.uint8), np.ones((9, 9), np.uint8)), bool)
    assert (ink & far).sum() > 5000  # the noise there was
    assert kept[ink & far].mean() < 0.05  # and is gone


def test_the_whole_cleanup_of_a_fax_despeckles_and_smooths_it(page: Grey, fax: Grey) -> None:
    cleaned, back, done = sc.clean_page(fax, DPI)
    assert done.despeckled and done.smoothed and not (done.evened or done.destamped)
    assert back is None and cleaned.shape == fax.shape
    # Smoothed: the broken strokes are grey strokes again, each letter one dark mass.
    zone = text_zone(page)
    assert len(np.unique(cleaned[zone])) > 100
    dark = (cleaned < 200).astype(np.uint8)
    pieces_after = cv2.connectedComponents(dark & zone.astype(np.uint8))[0]
    pieces_before = cv2.connectedComponents((fax < 128).astype(np.uint8) & zone)[0]
    assert pieces_after < 0.6 * pieces_before


# --- a stamp over thin letters; a fold is no stamp ---------------------------------------


def stamp(page: Grey, grey: int = 130) -> tuple[Grey, npt.NDArray[np.bool_]]:
    """A "RECEIVED" stamp in a frame, strokes 9-10 px, mid-grey (red ink), over the text."""
    ink = np.zeros((800, 1600), np.uint8)
    cv2.rectangle(ink, (12, 12), (1588, 788), 255, 10)
    cv2.putText(ink, "RECEIVED", (60, 400), cv2.FONT_HERSHEY_DUPLEX, 7, 255, 9)
    cv2.putText(ink, "12 MAR 2019", (90, 650), cv2.FONT_HERSHEY_DUPLEX, 4, 255, 6)
    turn = cv2.getRotationMatrix2D((800, 400), 12, 1.0)
    ink = np.asarray(cv2.warpAffine(ink, turn, (1600, 800)), np.uint8)
    mark = np.zeros(page.shape, bool)
    mark[1200:2000, 500:2100] = ink > 127
    out = page.copy()
    out[mark] = np.minimum(out[mark], grey)
    return out, mark


@pytest.mark.parametrize(
    ("thinned", "black"),
    [
        pytest.param(1, (0.01, 1.0), id="ordinary print"),
        # As little black ink as EDGAR's Courier pages: less than the 0.005 that kept their
        # stamps on.
        pytest.param(3, (0.0, 0.005), id="thin letters"),
    ],
)
def test_a_stamp_over_the_text_is_taken_out_and_the_text_stays(
    thinned: int, black: tuple[float, float]
) -> None:
    page = thin_page(scale=1.2, thinned=thinned)
    marked, mark = stamp(page)
    half = cv2.resize(marked, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    assert black[0] <= (half < sc.STAMP_GREY[0]).mean() < black[1]
    assert sc.stamp_share(marked, DPI) > sc.STAMP_PAGE
    cleaned, _, done = sc.clean_page(marked, DPI)
    assert done.destamped and not done.despeckled
    on_paper = mark & ~text_zone(page)
    assert (cleaned[on_paper] > 200).mean() > 0.9
    assert (cleaned[page < 60] < 128).mean() > 0.98  # the letters' black cores stay


def folded(page: Grey) -> Grey:
    """A crease across the page: a shaded band below it (35% at its darkest) and a line."""
    out = page.astype(np.float32)
    ys = np.arange(H, dtype=np.float32)[:, None] - 1650
    out *= 1.0 - 0.35 * np.exp(-((ys - 25) ** 2) / (2 * 20.0**2))
    out[1648:1652] = np.minimum(out[1648:1652], 100)
    return np.clip(out, 0, 255).astype(np.uint8)


def test_the_shade_of_a_fold_is_no_stamp(page: Grey) -> None:
    image = folded(page)
    assert sc.stamp_share(image, DPI) <= sc.STAMP_PAGE
    assert not sc.clean_page(image, DPI)[2].destamped
