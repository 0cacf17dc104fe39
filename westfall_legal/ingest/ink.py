"""Ink maps of scanned pages: where the page is dark, for the signature check.

Layout stays pure: it never sees pixels. At OCR time the rendered page is binarised (Otsu)
at INK_DPI, straight runs of ink longer than RULE_PX across or down (signature lines, table
borders, underlines) are taken out, and what is left is counted per square cell of CELL_PX
pixels. Layout then asks how much ink lies on a signature line that no word explains.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from westfall_legal.ingest.geometry import binarise
from westfall_legal.models import InkMap, Word

INK_DPI = 150.0  # the map's pixels: plenty for pen strokes, a quarter of 300 dpi's work
CELL_PX = 12  # a cell's side in those pixels (5.76 pt)
RULE_PX = 30  # a straight run of ink this long (0.2 in) is a rule, not a pen stroke


def _rules(ink: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """The pixels of ``ink`` in runs of RULE_PX or more along its rows."""
    edges = np.diff(np.pad(ink, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)  # row-major: the n-th end closes the n-th start
    mask = np.zeros_like(ink)
    long = ends - starts >= RULE_PX
    for row, start, end in zip(rows[long], starts[long], ends[long], strict=True):
        mask[row, start:end] = True
    return mask


_SIGNATURE_LABEL = re.compile(r"(by|name)\s*:", re.IGNORECASE)
_LABEL_WORD = ("by", "name")


def may_hold_signature(words: Sequence[Word]) -> bool:
    """Whether layout could find a signature block among ``words`` (a page's, in reading
    order): every block starts at a ``By:`` or ``Name:`` label
    (:mod:`westfall_legal.layout.signatures`), read as one word or as the label and a colon.
    Only such pages need an ink map (0.04 s a page, 2% of OCR time)."""
    for i, word in enumerate(words):
        if _SIGNATURE_LABEL.match(word.text):
            return True
        label = word.text.lower() in _LABEL_WORD
        if label and i + 1 < len(words) and words[i + 1].text.startswith(":"):
            return True
    return False


def ink_map(grey: npt.NDArray[Any], dpi: float) -> InkMap:
    """The ink map of a page rendered at ``dpi`` as 8-bit greyscale (origin top left)."""
    step = max(1, round(dpi / INK_DPI))
    ink = binarise(np.asarray(grey)[::step, ::step])
    if int(np.count_nonzero(ink)) * 2 > ink.size:
        ink = np.zeros_like(ink)  # a dark page (a photo, a negative): no reading of ink
    ink &= ~_rules(ink)
    ink &= ~_rules(ink.T).T
    height, width = ink.shape
    rows, columns = math.ceil(height / CELL_PX), math.ceil(width / CELL_PX)
    padded = np.zeros((rows * CELL_PX, columns * CELL_PX), dtype=np.uint16)
    padded[:height, :width] = ink
    counts = padded.reshape(rows, CELL_PX, columns, CELL_PX).sum(axis=(1, 3))
    cell = CELL_PX * step * 72.0 / dpi
    return InkMap(cell, columns, rows, np.minimum(counts, 255).astype(np.uint8).tobytes())
