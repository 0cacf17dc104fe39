"""A fax's streak found and taken out, leaving the letters it crosses (numpy only).

A fax machine with a dirty scanner or print head draws a thin dark line, solid or dotted,
across the whole page: through the text lines and through both margins. Tesseract reads the
letters it runs through as other letters, or the whole line as noise. A table's rule or an
underline is told apart by its length: it stays within the text block, while a streak runs
(nearly) from edge to edge of the sheet, margins included.

:func:`find_streaks` looks for such lines along the rows and along the columns: a row is
covered when nearly every short stretch of it (:data:`STREAK_BLOCK_300` px at 300 dpi)
holds ink, which a dotted line does as well as a solid one, and a streak is a thin band of
covered rows. :func:`remove_streaks` takes the band out column by column, from the rows
just outside it: where ink lies on both sides, a letter's stroke crosses the line, and the
band is filled in by a linear blend of the two; where ink lies on one side only (a letter's
foot standing on the line), the band's px stay as they are, the letter's with the line's;
where no ink lies beside it, the band and its grey edges are painted the paper's white.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Grey = npt.NDArray[np.uint8]

# Darker than this is ink (the fax's dots, rendered from 200 dpi, have grey rims).
STREAK_INK = 160
# A row is looked at in stretches this many px long (at 300 dpi): a dotted streak (a dot
# every 2-6 px) has ink in each, a line of text has none in its word gaps and margins.
STREAK_BLOCK_300 = 8
# A streak's rows have ink in at least this share of their stretches. Text lines and a
# table's rules stay within the text block: on the degraded set's 12 clean and 12 fax
# pages, the rows off the streak cover at most 0.85 (and the columns 0.35); the streaks'
# own rows 0.98-1.0.
STREAK_COVER = 0.95
# ... and the row each side of them (the grey edge of a line rendered from 200 dpi) is
# taken with them when it has ink in at least this share.
STREAK_RIM_COVER = 0.5
# A streak is thin: a band of covered rows thicker than this (at 300 dpi) is something else
# (a black border, a filled bar) and is left.
STREAK_MAX_WIDTH_300 = 9
# A page with more such bands than this is dark or patterned all over (a photo's desk, a
# page left unlit), not streaked: none of them is taken.
MAX_STREAKS = 3


def _coverage(ink: npt.NDArray[np.bool_], block: int, axis: int) -> npt.NDArray[np.float64]:
    """Each row's (``axis`` 1) or column's (``axis`` 0) share of ``block``-px stretches
    holding ink."""
    height, width = ink.shape
    if axis == 1:
        usable = width // block * block
        stretches = ink[:, :usable].reshape(height, usable // block, block).any(axis=2)
    else:
        usable = height // block * block
        stretches = ink[:usable].reshape(usable // block, block, width).any(axis=1)
    if usable == 0:
        return np.zeros(ink.shape[1 - axis])
    return np.asarray(stretches.mean(axis=axis), dtype=np.float64)


def _bands(cover: npt.NDArray[np.float64], dpi: float) -> list[tuple[int, int]]:
    """The thin runs of covered lines in ``cover`` (one share a row or a column), each
    with its grey edge: ``(first, last)``, both included."""
    rows = np.flatnonzero(cover >= STREAK_COVER)
    if rows.size == 0:
        return []
    rim = cover >= STREAK_RIM_COVER
    breaks = np.flatnonzero(np.diff(rows) > 1)
    starts = np.concatenate(([rows[0]], rows[breaks + 1]))
    ends = np.concatenate((rows[breaks], [rows[-1]]))
    widest = max(2, round(STREAK_MAX_WIDTH_300 * dpi / 300))
    last_row = len(rim) - 1
    bands: list[tuple[int, int]] = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if end - start + 1 > widest:
            continue
        # The line's grey edge: one more row each side when it is half covered.
        bands.append((start - int(start > 0 and rim[start - 1]),
                      end + int(end < last_row and rim[end + 1])))  # fmt: skip
    return [] if len(bands) > MAX_STREAKS else bands


def find_streaks(grey: Grey, dpi: float) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The streaks of ``grey`` that run from edge to edge of the page (see the module's
    notes): the bands of rows ``(first, last)``, both included, that run across it, and the
    bands of columns that run down it."""
    block = max(3, round(STREAK_BLOCK_300 * dpi / 300))
    ink = grey < STREAK_INK
    return _bands(_coverage(ink, block, 1), dpi), _bands(_coverage(ink, block, 0), dpi)


def _remove_band(out: Grey, first: int, last: int) -> None:
    """Take the streak in rows ``first``-``last`` out of ``out``, keeping the letters that
    cross it (in place; see the module's notes)."""
    height = out.shape[0]
    above = out[first - 1].astype(np.float32) if first > 0 else np.full(out.shape[1], 255.0)
    below = out[last + 1].astype(np.float32) if last < height - 1 else np.full(out.shape[1], 255.0)
    up, down = above < STREAK_INK, below < STREAK_INK
    crossed = up & down
    span = last - first + 2
    share = (np.arange(1, span, dtype=np.float32) / span)[:, None]
    blend = np.rint(above[None, crossed] * (1 - share) + below[None, crossed] * share)
    out[first : last + 1, crossed] = blend.astype(np.uint8)
    # Where no letter is near, the band and its grey edge just outside it go (those px are
    # lighter than ink, or a letter would lie beside the line there).
    out[max(first - 1, 0) : last + 2, ~(up | down)] = 255


def remove_streaks(grey: Grey, dpi: float) -> tuple[Grey, int]:
    """``grey`` without its streaks, along the rows and along the columns, and how many
    were taken out; ``grey`` itself when it has none."""
    rows, columns = find_streaks(grey, dpi)
    if not rows and not columns:
        return grey, 0
    out = grey.copy()
    for first, last in rows:
        _remove_band(out, first, last)
    turned = out.T  # a view: the columns' bands are painted into ``out`` itself
    for first, last in columns:
        _remove_band(turned, first, last)
    return out, len(rows) + len(columns)
