"""westfall_legal.ingest.scan_cleanup on synthetic pages, without Tesseract.

The pages are drawn here with numpy and Pillow (rows of word-sized bars, full stops), and
photographed with Pillow's own perspective transform, so nothing in a test's input comes
from the OpenCV code under test.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image, ImageFilter

from westfall_legal.ingest import scan_cleanup as sc

DPI = 150
W, H = 1275, 1650  # US letter at 150 dpi
Grey = npt.NDArray[np.uint8]


def text_page(seed: int = 1) -> Grey:
    """A page of 'text': lines of word-sized dark bars with full stops, 1 in margins."""
    rng = np.random.default_rng(seed)
    page = np.full((H, W), 255, np.uint8)
    for top in range(150, H - 150, 30):
        x = 150
        while x < W - 250:
            length = int(rng.integers(20, 90))
            page[top : top + 14, x : x + length] = 20
            page[top + 4 : top + 10, x + 3 : x + length - 3 : 7] = 255  # letter gaps
            x += length + 12
        page[top + 10 : top + 14, x : x + 4] = 20  # a full stop ends each line
    return page


def lit(page: Grey, darkest: float) -> Grey:
    """``page`` under a light falling off linearly from left (1.0) to right (``darkest``),
    with a photo's grey ink and paper."""
    field = np.linspace(1.0, darkest, W, dtype=np.float32)[None, :]
    values = 40 + page.astype(np.float32) / 255 * 185
    return np.clip(values * field, 0, 255).astype(np.uint8)


def ink_share(binary: Grey, columns: slice) -> float:
    return float((binary[:, columns] < 128).mean())


def perspective_coefficients(
    source: list[tuple[float, float]], target: list[tuple[float, float]]
) -> list[float]:
    """Pillow's PERSPECTIVE data: the 8 coefficients that map target pixels to source."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return [float(c) for c in np.linalg.solve(np.array(rows), np.array(rhs))]


CORNERS = [(160.0, 120.0), (1330.0, 190.0), (1280.0, 1780.0), (110.0, 1700.0)]


def photographed(page: Grey) -> Grey:
    """``page`` on a dark desk (1500 x 1900 px), its corners at :data:`CORNERS`."""
    source = [(0.0, 0.0), (float(W), 0.0), (float(W), float(H)), (0.0, float(H))]
    coefficients = perspective_coefficients(source, CORNERS)
    size = (1500, 1900)
    sheet = Image.fromarray(page).transform(
        size, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BILINEAR, fillcolor=0
    )
    mask = Image.new("L", (W, H), 255).transform(
        size, Image.Transform.PERSPECTIVE, coefficients, fillcolor=0
    )
    desk = np.full((size[1], size[0]), 60, np.uint8)
    return np.where(np.asarray(mask) > 127, np.asarray(sheet), desk).astype(np.uint8)


# --- the decision --------------------------------------------------------------------------


def test_a_clean_page_is_left_exactly_as_it_is() -> None:
    page = text_page()
    cleaned, back, done = sc.clean_page(page, DPI)
    assert not done.changed and back is None
    assert cleaned is page
    assert done.spread > 0.97


def test_a_page_lit_from_one_side_takes_the_adaptive_path() -> None:
    page = lit(text_page(), darkest=0.35)
    assert sc.illumination_spread(page) < sc.UNEVEN_BELOW
    cleaned, back, done = sc.clean_page(page, DPI)
    assert done.evened and not done.warped and back is None
    # A global (Otsu) threshold loses the text where the light is low or drowns it in ink;
    # after the cleanup each side has about the ink of the page as drawn.
    truth = text_page() < 128
    left, right = slice(0, W // 3), slice(2 * W // 3, W)
    for side in (left, right):
        assert ink_share(cleaned, side) == pytest.approx(float(truth[:, side].mean()), rel=0.15)
    agree = float(((cleaned < 128) == truth).mean())
    assert agree > 0.97


def test_a_mild_fall_off_is_no_reason_to_binarise() -> None:
    page = lit(text_page(), darkest=0.93)
    assert sc.illumination_spread(page) > sc.UNEVEN_BELOW
    assert not sc.clean_page(page, DPI)[2].changed


def test_sauvola_keeps_ink_as_ink_and_paper_as_paper() -> None:
    page = text_page()
    binary = sc.sauvola(page, DPI)
    assert set(np.unique(binary)) <= {0, 255}
    assert float(((binary < 128) == (page < 128)).mean()) > 0.99


# --- the page in a photo --------------------------------------------------------------------


def test_the_corners_of_a_photographed_page_are_found() -> None:
    photo = photographed(text_page())
    corners = sc.find_page(photo)
    assert corners is not None
    # Found on a copy 384 px long (5x smaller): within a few of its pixels.
    assert np.abs(corners - np.array(CORNERS)).max() < 25


def test_the_unwarped_page_is_the_page_and_boxes_map_back_to_the_photo() -> None:
    page = text_page()
    photo = photographed(page)
    corners = sc.find_page(photo)
    assert corners is not None
    flat, back = sc.unwarp(photo, corners)
    assert flat.shape[1] / flat.shape[0] == pytest.approx(W / H, rel=0.03)
    # The centre of the page lands where the photo shows it; the page's own corners too.
    centre = sc.map_box_through(
        (flat.shape[1] / 2, flat.shape[0] / 2, flat.shape[1] / 2, flat.shape[0] / 2), back
    )
    expected = np.mean(CORNERS, axis=0)
    assert abs(centre[0] - expected[0]) < 30 and abs(centre[1] - expected[1]) < 30
    assert sc.map_box_through((0, 0, 0, 0), back)[:2] == pytest.approx(tuple(corners[0]), abs=1)
    # Straight again: the lines of text are level (each bar row's ink is in one band).
    rows = (flat[:, flat.shape[1] // 4 : 3 * flat.shape[1] // 4] < 128).mean(axis=1)
    assert (rows > 0.3).sum() > 0.25 * (rows > 0.02).sum()


def test_the_whole_cleanup_of_a_photo_unwarps_and_evens_it() -> None:
    photo = photographed(lit(text_page(), darkest=0.5))
    cleaned, back, done = sc.clean_page(photo, DPI)
    assert done.warped and done.evened and back is not None
    assert set(np.unique(cleaned)) <= {0, 255}


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(text_page(), id="a scan that fills the frame"),
        pytest.param(lit(text_page(), 0.35), id="a lighting gradient, no desk"),
        pytest.param(np.full((H, W), 90, np.uint8), id="a blank grey frame"),
    ],
)
def test_no_page_is_found_where_there_is_no_sheet_on_a_desk(image: Grey) -> None:
    assert sc.find_page(image) is None


def test_corners_come_in_reading_order() -> None:
    shuffled = np.array([[900, 1200], [10, 20], [20, 1100], [880, 30]])
    ordered = sc.order_corners(shuffled)
    assert ordered.tolist() == [[10, 20], [880, 30], [900, 1200], [20, 1100]]


# --- speckle --------------------------------------------------------------------------------


def speckled(page: Grey, share: float, seed: int = 2) -> Grey:
    noisy = page.copy()
    noisy[np.random.default_rng(seed).random(page.shape) < share] = 0
    return noisy


def test_a_fax_full_of_specks_is_despeckled_and_keeps_its_full_stops() -> None:
    page = text_page()
    noisy = speckled(page, 0.003)
    assert sc.speckle_count(noisy, DPI) >= sc.SPECKLE_PAGE
    cleaned, _, done = sc.clean_page(noisy, DPI)
    assert done.despeckled and done.smoothed and not done.evened
    assert np.array_equal(cleaned, sc.smooth(sc.despeckle(noisy, DPI), DPI))
    despeckled = sc.despeckle(noisy, DPI)
    # A speck with no text within 3 px goes (one nearer the text is taken for part of it).
    near_text = np.asarray(Image.fromarray(page).filter(ImageFilter.MinFilter(7))) < 128
    lone = (noisy < 128) & ~near_text
    # (At 150 dpi a speck of 1 px and a cluster of 3 are the limit: 4 specks chained within
    # 2 px of each other stay.)
    assert (despeckled[lone] == 255).mean() > 0.75
    assert (despeckled[page < 128] < 128).all()  # every mark of the text stays, full stops too


def test_a_clean_page_is_not_despeckled() -> None:
    assert sc.speckle_count(text_page(), DPI) < sc.SPECKLE_PAGE / 4
    assert sc.speckle_count(speckled(text_page(), 0.0002), DPI) < sc.SPECKLE_PAGE


# --- stamps ---------------------------------------------------------------------------------


def blurred(page: Grey, sigma: float = 5.0) -> Grey:
    """``page`` out of focus: its black strokes thick and mid-grey, as a stamp's are."""
    return np.asarray(Image.fromarray(page).filter(ImageFilter.GaussianBlur(sigma)), np.uint8)


# A stamp over the text: tests/unit/ingest/test_scan_cleanup_thin.py (at 300 dpi).


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(text_page(), id="a clean page"),
        pytest.param((255 - (255 - text_page()) // 2).astype(np.uint8), id="faint grey text"),
        pytest.param(blurred(text_page()), id="blurred text"),
    ],
)
def test_a_page_without_a_stamp_is_not_destamped(image: Grey) -> None:
    assert sc.stamp_share(image, DPI) <= sc.STAMP_PAGE
    assert not sc.clean_page(image, DPI)[2].destamped


@pytest.mark.parametrize(
    ("shape", "value"),
    [((1, 1), 255), ((3, 500), 0), ((500, 3), 128), ((64, 64), 0), ((1650, 1275), 255)],
)
def test_slivers_and_blank_images_pass_through_unchanged(
    shape: tuple[int, int], value: int
) -> None:
    image = np.full(shape, value, np.uint8)
    cleaned, back, done = sc.clean_page(image, DPI)
    assert cleaned is image and back is None and not done.changed
