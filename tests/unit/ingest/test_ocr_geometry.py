"""The pure geometry of westfall_legal.ingest.ocr: skew estimation and box mapping.

No Tesseract here: skew is measured on synthetic pages rotated by known angles, and the
box maps are checked against what Pillow actually does to a dot.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from westfall_legal.ingest.geometry import (
    IDENTITY,
    apply,
    compose,
    estimate_skew,
    invert,
    map_box,
    quarter_turn_matrix,
    rotation_matrix,
    scale,
)
from westfall_legal.ingest.ocr import osd_turns, words_from_data

SENTENCE = (
    "the parties agree that this agreement shall be governed by the laws of the state "
    "and each party shall keep confidential information in strict confidence for a "
    "period of five years after termination or expiry of the term"
)
WORDS = SENTENCE.split()


def _text_page(kind: str, size: tuple[int, int] = (1700, 2200)) -> Image.Image:
    """A white page of text-like lines: real glyphs, or black bars shaped like words."""
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    rng = np.random.default_rng(7)
    font = ImageFont.load_default(size=30)
    y = 160
    while y < size[1] - 200:
        x = 150.0
        # Now and then a short last line of a paragraph.
        stop = size[0] * 0.5 if rng.random() < 0.15 else size[0] - 200.0
        while x < stop:
            word = str(rng.choice(WORDS))
            if kind == "text":
                draw.text((x, y), word, fill=0, font=font)
                x += font.getlength(word) + 16
            else:
                length = 14 * len(word)
                draw.rectangle((x, y + 6, x + length, y + 26), fill=0)
                x += length + 16
        y += 48
    return page


@pytest.fixture(scope="module", params=["text", "bars"])
def page(request: pytest.FixtureRequest) -> Image.Image:
    return _text_page(str(request.param))


@pytest.mark.parametrize("angle", [-4.5, -1.3, -0.25, 0.0, 0.4, 1.7, 3.05])
def test_estimate_skew_recovers_known_angles(page: Image.Image, angle: float) -> None:
    skewed = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert estimate_skew(np.asarray(skewed)) == pytest.approx(angle, abs=0.1)


def test_estimate_skew_on_a_rotated_and_expanded_page() -> None:
    # A scanner's skew with the page's white margin grown around it (expand=True).
    skewed = _text_page("text").rotate(
        -2.2, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255
    )
    assert estimate_skew(np.asarray(skewed)) == pytest.approx(-2.2, abs=0.1)


def test_estimate_skew_straightens_what_it_measures() -> None:
    skewed = _text_page("text").rotate(1.1, resample=Image.Resampling.BICUBIC, fillcolor=255)
    angle = estimate_skew(np.asarray(skewed))
    straight = skewed.rotate(-angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert estimate_skew(np.asarray(straight)) == pytest.approx(0.0, abs=0.1)


def test_estimate_skew_on_grey_paper_with_grey_ink() -> None:
    # A dull scan: paper at 200, ink at 90, a little noise.
    page = np.asarray(_text_page("bars").rotate(-0.8, fillcolor=255), dtype=np.float64)
    dull = 90 + (page / 255.0) * 110 + np.random.default_rng(1).normal(0, 6, page.shape)
    assert estimate_skew(np.clip(dull, 0, 255).astype(np.uint8)) == pytest.approx(-0.8, abs=0.1)


def test_estimate_skew_of_a_blank_page_is_zero() -> None:
    assert estimate_skew(np.full((800, 600), 255, np.uint8)) == 0.0
    assert abs(estimate_skew(np.full((800, 600), 0, np.uint8))) <= 5.0  # all ink: no crash


def test_estimate_skew_without_text_lines_is_zero() -> None:
    sideways = _text_page("text").rotate(90, expand=True)
    assert estimate_skew(np.asarray(sideways)) == 0.0
    speckle = np.where(np.random.default_rng(3).random((1500, 1200)) < 0.05, 0, 255)
    assert estimate_skew(speckle.astype(np.uint8)) == 0.0


def test_estimate_skew_rejects_non_images() -> None:
    with pytest.raises(ValueError, match="2-D"):
        estimate_skew(np.zeros(10))


def _dot_image(size: tuple[int, int], centre: tuple[int, int]) -> Image.Image:
    image = Image.new("L", size, 255)
    x, y = centre
    ImageDraw.Draw(image).rectangle((x - 4, y - 4, x + 4, y + 4), fill=0)  # pixels x-4..x+4
    return image


def _dot_centre(image: Image.Image) -> tuple[float, float]:
    """The ink-weighted centre of the dot, in continuous coordinates (pixel centres +0.5)."""
    ink = 255.0 - np.asarray(image, dtype=np.float64)
    ys, xs = np.nonzero(ink > 0)
    weights = ink[ys, xs]
    return (
        float(np.average(xs + 0.5, weights=weights)),
        float(np.average(ys + 0.5, weights=weights)),
    )


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_quarter_turn_matrix_matches_pillow_transpose(turns: int) -> None:
    original = _dot_image((300, 200), (60, 40))
    before = _dot_centre(original)  # (60.5, 40.5)
    methods = (
        None,
        Image.Transpose.ROTATE_90,
        Image.Transpose.ROTATE_180,
        Image.Transpose.ROTATE_270,
    )
    method = methods[turns]
    turned = original if method is None else original.transpose(method)
    back, size = quarter_turn_matrix(turns, *original.size)
    assert size == turned.size
    assert apply(back, *_dot_centre(turned)) == pytest.approx(before, abs=1e-6)


@pytest.mark.parametrize("angle", [1.5, -3.2, 0.37, 90.0, -178.0])
def test_rotation_matrix_matches_pillow_rotate_expand(angle: float) -> None:
    original = _dot_image((420, 300), (330, 70))
    before = _dot_centre(original)
    rotated = original.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    back, size = rotation_matrix(angle, *original.size)
    assert size == rotated.size
    # Bicubic resampling smears the dot, but its centre stays put to a fraction of a pixel.
    assert apply(back, *_dot_centre(rotated)) == pytest.approx(before, abs=0.15)


def test_points_round_trip_through_turn_and_deskew() -> None:
    width, height = 2550, 3300
    to_upright, upright_size = quarter_turn_matrix(3, width, height)
    deskew_back, _ = rotation_matrix(-1.7, *upright_size)
    to_original = compose(to_upright, deskew_back)
    forward = invert(to_original)
    for point in [(0.0, 0.0), (100.0, 2000.0), (2549.5, 12.25), (1275.0, 1650.0)]:
        assert apply(to_original, *apply(forward, *point)) == pytest.approx(point, abs=1e-9)
    assert compose(forward, to_original) == pytest.approx(IDENTITY, abs=1e-12)


def test_compose_applies_inner_first() -> None:
    shift = (1.0, 0.0, 10.0, 0.0, 1.0, 20.0)
    assert apply(compose(scale(2.0), shift), 1.0, 1.0) == (22.0, 42.0)
    assert apply(compose(shift, scale(2.0)), 1.0, 1.0) == (12.0, 22.0)


def test_map_box_gives_the_axis_aligned_box_of_the_turned_rectangle() -> None:
    back, (width, height) = rotation_matrix(30.0, 1000, 1000)
    cx, cy = width / 2, height / 2  # the rotated (expanded) image's centre
    x0, y0, x1, y1 = map_box((cx - 100, cy - 20, cx + 100, cy + 20), back)
    # A 200 x 40 rectangle turned 30 degrees about its centre, the original's centre.
    half_w = (200 * math.cos(math.radians(30)) + 40 * math.sin(math.radians(30))) / 2
    half_h = (200 * math.sin(math.radians(30)) + 40 * math.cos(math.radians(30))) / 2
    assert (x0, y0, x1, y1) == pytest.approx(
        (500 - half_w, 500 - half_h, 500 + half_w, 500 + half_h), abs=1e-9
    )


def test_map_box_through_a_quarter_turn_is_exact() -> None:
    back, _ = quarter_turn_matrix(1, 300, 200)  # turned image is 200 x 300
    # In the turned image a box at the top-left came from the original's top-right.
    assert map_box((0.0, 0.0, 20.0, 50.0), back) == (250.0, 0.0, 300.0, 20.0)


def test_invert_rejects_a_degenerate_map() -> None:
    with pytest.raises(ValueError):
        invert((1.0, 2.0, 0.0, 2.0, 4.0, 0.0))


@pytest.mark.parametrize(("rotate", "turns"), [(0, 0), (90, 3), (180, 2), (270, 1)])
def test_osd_rotate_means_turn_clockwise(rotate: int, turns: int) -> None:
    # Tesseract prints "Rotate: 90" for a page turned 90 degrees counter-clockwise:
    # three more counter-clockwise quarter turns make it upright.
    assert osd_turns(rotate) == turns


def _data(
    *rows: tuple[int, int, int, int, int, int, int, int, int, int, float, str],
) -> dict[str, list[object]]:
    keys = [
        *("level", "page_num", "block_num", "par_num", "line_num", "word_num"),
        *("left", "top", "width", "height", "conf", "text"),
    ]
    return {key: [row[i] for row in rows] for i, key in enumerate(keys)}


def test_words_from_data_keeps_words_in_order_and_maps_boxes() -> None:
    data = _data(
        (1, 1, 0, 0, 0, 0, 0, 0, 2550, 3300, -1, ""),
        (2, 1, 1, 0, 0, 0, 300, 300, 900, 100, -1, ""),
        (3, 1, 1, 1, 0, 0, 300, 300, 900, 100, -1, ""),
        (4, 1, 1, 1, 1, 0, 300, 300, 900, 50, -1, ""),
        (5, 1, 1, 1, 1, 1, 300, 300, 150, 50, 96, "Term."),
        (5, 1, 1, 1, 1, 2, 480, 300, 30, 50, 95, " "),
        (5, 1, 1, 1, 1, 3, 520, 300, 120, 50, -1, "ghost"),
        (5, 1, 1, 2, 1, 1, 300, 400, 150, 50, 80, "This"),
        (5, 1, 3, 1, 2, 1, 600, 500, 150, 50, 71, "Agreement"),  # a line below: its own block
    )
    words = words_from_data(data, scale(72 / 300), 612.0, 792.0)
    assert [w.text for w in words] == ["Term.", "This", "Agreement"]
    assert [(w.block, w.line) for w in words] == [(1001, 1), (1002, 1), (3001, 2)]
    assert [w.conf for w in words] == [96.0, 80.0, 71.0]
    assert words[0].box == pytest.approx((72.0, 72.0, 108.0, 84.0))


def test_words_from_data_joins_a_lines_end_in_tesseracts_pixels() -> None:
    # "Agreement" on the row of "This", read as a block of its own: the end of that line
    data = _data(
        (5, 1, 1, 2, 1, 1, 300, 400, 150, 50, 80, "This"),
        (5, 1, 2, 1, 1, 1, 300, 500, 150, 50, 90, "Next"),
        (5, 1, 3, 1, 2, 1, 480, 400, 150, 50, 71, "Agreement"),
    )
    words = words_from_data(data, scale(72 / 300), 612.0, 792.0)
    assert [w.text for w in words] == ["This", "Agreement", "Next"]
    assert words[1].box == pytest.approx((115.2, 96.0, 151.2, 108.0))  # mapped to the page


def test_words_from_data_maps_back_through_a_turn_and_clamps_to_the_page() -> None:
    # The page (612 x 792 pt at 300 dpi: 2550 x 3300 px) was turned a quarter
    # counter-clockwise for Tesseract; a word at the turned image's top-left corner sits at
    # the original page's top-right corner.
    to_original, (w_px, h_px) = quarter_turn_matrix(1, 2550, 3300)
    assert (w_px, h_px) == (3300, 2550)
    data = _data((5, 1, 1, 1, 1, 1, -10, 0, 110, 30, 90, "Exhibit"))
    (word,) = words_from_data(data, compose(scale(72 / 300), to_original), 612.0, 792.0)
    assert word.box == pytest.approx((604.8, 0.0, 612.0, 24.0))


def test_words_from_data_of_an_empty_result() -> None:
    assert words_from_data({}, IDENTITY, 612.0, 792.0) == []
