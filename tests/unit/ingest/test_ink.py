"""Ink maps: rules taken out, pen strokes and letters kept, counted per cell."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from westfall_legal.ingest.ink import CELL_PX, ink_map, may_hold_signature
from westfall_legal.models import Word

DPI = 300


def _page() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (int(8.5 * DPI), int(3 * DPI)), 255)
    return image, ImageDraw.Draw(image)


def test_rules_go_and_pen_strokes_stay() -> None:
    image, draw = _page()
    draw.line([(300, 600), (1500, 600)], fill=0, width=6)  # a signature line
    draw.line([(2000, 100), (2000, 800)], fill=0, width=6)  # a table's border
    wave = [(300 + x, 450 + 60 * np.sin(x / 40)) for x in range(0, 900, 5)]
    draw.line(wave, fill=0, width=8)  # a pen signature over the line
    ink = ink_map(np.asarray(image), DPI)
    assert ink.cell == CELL_PX * 2 * 72 / DPI  # 150 dpi pixels in cells of CELL_PX
    over_line = (72.0, 96.0, 360.0, 150.0)  # points: x 300-1500 px, y 400-625 px at 300 dpi
    assert ink.ink(over_line) > 1000
    blank_line = (400.0, 130.0, 470.0, 150.0)  # the rule alone, right of the signature
    assert ink.ink(blank_line) < 20
    assert ink.ink((470.0, 20.0, 490.0, 190.0)) < 20  # the border is gone too


def test_skip_boxes_leave_out_explained_ink() -> None:
    image, draw = _page()
    for x in range(300, 600, 10):  # short strokes, as letters have (a solid bar is a rule)
        draw.rectangle([(x, 300), (x + 4, 340)], fill=0)
    ink = ink_map(np.asarray(image), DPI)
    box = (60.0, 60.0, 160.0, 100.0)
    assert ink.ink(box) > 500
    assert ink.ink(box, skip=[(70.0, 70.0, 146.0, 88.0)]) < 100


def test_a_black_page_has_no_ink_reading() -> None:
    image = Image.new("L", (600, 600), 0)
    assert ink_map(np.asarray(image), DPI).ink((0.0, 0.0, 144.0, 144.0)) == 0


def _words(*texts: str) -> list[Word]:
    return [Word(t, (0.0, 0.0, 1.0, 1.0), block=1, line=1, conf=90.0) for t in texts]


def test_only_pages_with_a_signature_label_need_ink() -> None:
    assert may_hold_signature(_words("Acme", "Corp", "By:", "____"))
    assert may_hold_signature(_words("NAME:", "Jane", "Roe"))
    assert may_hold_signature(_words("By", ":", "Jane"))  # label and colon read apart
    assert not may_hold_signature(_words("delivered", "by", "the", "Supplier"))
    assert not may_hold_signature(_words("the", "name", "of", "the", "party", "by"))
    assert not may_hold_signature([])
