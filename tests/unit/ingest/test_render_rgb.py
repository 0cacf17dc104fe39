"""Display rendering: RGB pixels where a word box times the zoom lands on the word's ink."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from westfall_legal.errors import CorruptDocumentError
from westfall_legal.ingest.pdf import read_pages, render_page_rgb

SAMPLE = Path(__file__).resolve().parents[3] / "resources/samples/master_services_agreement.pdf"


def _dark_share(samples: bytes, width: int, box: tuple[float, ...], zoom: float) -> float:
    """The share of dark pixels inside ``box`` (points) on an RGB render at ``zoom``."""
    x0, y0, x1, y1 = (round(v * zoom) for v in box)
    dark = total = 0
    for y in range(y0, y1):
        for x in range(x0, x1):
            r, g, b = samples[(y * width + x) * 3 : (y * width + x) * 3 + 3]
            dark += r + g + b < 300
            total += 1
    return dark / max(total, 1)


def test_pdf_page_renders_rgb_at_the_zoom_with_words_on_their_boxes() -> None:
    page = next(read_pages(SAMPLE))
    samples, width, height = render_page_rgb(SAMPLE, 1, 1.5)
    assert (width, height) == (round(page.width * 1.5), round(page.height * 1.5))
    assert len(samples) == width * height * 3
    word = max(page.words, key=lambda w: len(w.text))
    assert _dark_share(samples, width, word.box, 1.5) > 0.05  # ink under the word's box
    margin = (5.0, 5.0, 40.0, 40.0)
    assert _dark_share(samples, width, margin, 1.5) == 0.0  # white paper in the margin


def test_image_page_renders_at_its_page_size_in_points(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    Image.new("L", (850, 1100), 255).save(path, dpi=(100, 100))  # 8.5 x 11 in at 100 dpi
    samples, width, height = render_page_rgb(path, 1, 2.0)
    assert (width, height) == (1224, 1584)  # 612 x 792 points, twice
    assert set(samples[:300]) == {255}


def test_a_missing_page_is_a_known_error(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    Image.new("L", (85, 110), 255).save(path)
    with pytest.raises(CorruptDocumentError):
        render_page_rgb(path, 2, 1.0)
    with pytest.raises(ValueError):
        render_page_rgb(path, 1, 0)
