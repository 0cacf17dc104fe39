"""The resolution an image is read at: its tag when plausible, else a guess from its size."""

from __future__ import annotations

import pytest

from westfall_legal.ingest.images import image_dpi


@pytest.mark.parametrize(
    ("size", "tagged", "expected"),
    [
        ((2550, 3300), (300.0, 300.0), (300.0, 300.0)),  # letter at 300, tagged
        ((1275, 1650), (150.0, 150.0), (150.0, 150.0)),  # a believable tag is kept
        ((816, 1056), (96.0, 96.0), (96.0, 96.0)),  # a real 96 dpi letter page
        ((2550, 3300), None, (300.0, 300.0)),  # untagged letter at 300 (the known gap)
        ((2480, 3508), None, (300.0, 300.0)),  # untagged A4 at 300
        ((3508, 2480), None, (300.0, 300.0)),  # landscape
        ((1700, 2200), None, (200.0, 200.0)),  # untagged letter at 200
        ((4960, 7016), None, (600.0, 600.0)),  # untagged A4 at 600
        ((2550, 3300), (72.0, 72.0), (300.0, 300.0)),  # 72 dpi would be a 35 x 46 in page
        ((2550, 3300), (96.0, 96.0), (300.0, 300.0)),  # so would 96 (26.6 x 34.4 in)
        ((2550, 3300), (1.0, 1.0), (300.0, 300.0)),  # Pillow's "no unit" placeholder
        ((1000, 700), None, (300.0, 300.0)),  # no standard page: its own pixels at 300
        ((3024, 4032), None, (300.0, 300.0)),  # a phone photo of a page
    ],
)
def test_image_dpi(
    size: tuple[int, int], tagged: tuple[float, float] | None, expected: tuple[float, float]
) -> None:
    assert image_dpi(*size, tagged) == expected
