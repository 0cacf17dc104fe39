"""Phone photos and poor scans made readable: the only module that imports OpenCV.

Tesseract binarises a page with one global (Otsu) threshold. That fails on a phone photo,
where the paper under one edge is darker than the ink under the other, and on a page with a
shadow across it; a photo also shows the page as a quadrilateral on a desk. The steps here
run on a greyscale page before Tesseract, each only where the page needs it:

- :func:`find_page`: the page's four corners, when the image shows a sheet of paper on a
  darker background (a photo), and :func:`unwarp` to straighten it (a homography), with
  the map back to the image's own pixels for the word boxes.
- :func:`illumination_spread`: the page's lighting profile, from its background (the
  paper, with the text taken out by a grey-level closing on a small copy). An evenly lit
  scan is left exactly as it is; an uneven one is evened out (:func:`even_out`: divided by
  its background, then thresholded with Sauvola's local threshold).
- :func:`stamp_share` / :func:`remove_stamp`: on an evenly lit page of black text, the
  thick mid-grey strokes away from the black ink (a stamp in red or blue ink, seen in grey,
  or the shade of a fold) are painted white; the black text under a stamp stays.
- :func:`speckle_count` / :func:`despeckle`: the lone dots a fax or a dirty scanner leaves;
  they are taken out only on a page with many, so the full stops of a clean page stay, and
  such a page is then :func:`smooth`-ed, its broken bitonal strokes made whole grey ones.
  Before that, a fax's streak (a thin line from edge to edge of the sheet) is taken out
  of such a page, the letters it crosses kept (:mod:`westfall_legal.ingest.streaks`).

OpenCV (the headless build) rather than scikit-image: every step is one call into C++ with
no Python-level loop, which keeps the decision on a clean page to a few milliseconds and the
whole cleanup of a photo to about a tenth of Tesseract's time on it; it also has the
perspective functions (contours, polygon fit, homography) that scikit-image spreads over
several slower pure-Python modules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from westfall_legal.ingest import streaks
from westfall_legal.models import Box

# One thread, as Tesseract: the orchestrator runs one OCR worker process per core.
cv2.setNumThreads(1)

Grey = streaks.Grey
# A homography (3 x 3) from the cleaned image's pixels back to the rendered page's.
Homography = npt.NDArray[np.float64]

# The background is estimated on a copy about this many px on its long side: at 300 dpi a
# letter page shrinks 8.6x, so a 10 pt line of text is 4-5 px tall and a closing of
# _BACKGROUND_KERNEL px takes it out (and a paragraph's gaps too), keeping the paper.
_BACKGROUND_SIDE = 384
_BACKGROUND_KERNEL = 9
# Evenly lit when the darker paper (5th percentile of the background) is at least this share
# of the lighter (95th). Clean renders and flatbed scans: 0.97-1.0; a photo lit from one side,
# 0.3-0.6; a shadow across the page, 0.4-0.6.
UNEVEN_BELOW = 0.85
# Sauvola's threshold, T = m * (1 + k * (s / R - 1)), on a window this many px wide at 300 dpi.
SAUVOLA_WINDOW_300 = 41
SAUVOLA_K = 0.2
SAUVOLA_R = 128.0
_SAUVOLA_SHRINK = 4
# The page in a photo: a convex quadrilateral of this share of the image (less is a detail,
# more is a scan that fills the frame), clearly lighter than what lies around it.
MIN_PAGE_SHARE = 0.2
MAX_PAGE_SHARE = 0.93
MIN_PAGE_CONTRAST = 25.0  # grey levels between the paper and the desk
_PAGE_INSET = 3.0  # px of the background copy (about 30 at 300 dpi)
# Width over height of letter, A4 and legal paper; a page found within this share of one of
# them is taken to be that paper.
PAPER_ASPECTS = (8.5 / 11, 210 / 297, 8.5 / 14)
PAPER_ASPECT_TOLERANCE = 0.06
MIN_EDGE_SUPPORT = 0.7  # share of the outline that lies on an edge of the image
_PAGE_MARGIN = 0.01  # of the long side: a corner this near the frame is the frame's
# Lone specks: dark components with no more than SPECKLE_MAX_AREA_300 px of ink (at 300 dpi;
# a full stop of 8 pt text is about 30) within a window SPECKLE_REACH_300 px wide around them.
# The window is what tells a fax's noise from its text: a thin letter that the fax broke into
# pieces has its other pieces within a px or two, and stays; a dot of noise on the paper has
# nothing near it. Counted on every component of at most 12 px instead, as before, the broken
# letters of EDGAR's Courier pages were taken for noise (up to 19,000 "specks" a page) and
# painted white, and those pages read at 8-33% CER. A page with fewer than SPECKLE_PAGE lone
# specks is left alone. On the degraded set (12 pages a kind), pages of every other kind have
# 0-80 of them, and 200 dpi fax pages 2,500-8,000.
SPECKLE_MAX_AREA_300 = 12
SPECKLE_REACH_300 = 7
SPECKLE_PAGE = 500
# ... and a despeckled page is smoothed (a Gaussian blur of this sigma, in px at 300 dpi):
# the fax's threshold broke thin strokes into dots and dashes, and the blur gives Tesseract
# the strokes' grey density back, which its LSTM reads far better than the broken bitonal
# strokes. On the 12 fax pages, 3.6% CER against 8.9% with the old despeckle and no blur
# (sigma 1.2: 4.5%).
FAX_SMOOTH_300 = 1.5
# Stamps: strokes of STAMP_GREY (a red or blue ink in grey), at least STAMP_STROKE_300 px wide,
# further than STAMP_INK_REACH_300 px from black ink (the grey rims of black letters), over
# more than STAMP_PAGE of the black ink's px. A page with under MIN_INK_SHARE of black ink
# (next to blank) is never taken for a stamped one: the share's denominator is too small to
# trust. It was 0.005, and kept the stamps on EDGAR's Courier pages, whose thin strokes make
# 0.0027-0.0045 of the half-size page black; blurred and faint text are told apart by
# MIN_CRISP_SHARE below.
STAMP_GREY = (90, 190)
STAMP_STROKE_300 = 5
STAMP_INK_REACH_300 = 5
# On the degraded set's 12 pages a kind: stamped pages 0.37-6.83, folded ones 0.00-0.06, and
# clean, JPEG and blurred ones 0.00-0.04 (a page with a grey rule). It was 0.03, and a fold's
# shade (0.2-2.5 before the crisp-edge rule below) was painted white on 8 fold pages.
STAMP_PAGE = 0.1
# A stamp is inked on white paper: each of its strokes has a crisp edge, paper at least
# STAMP_PAPER light within STAMP_EDGE_300 px (at 300 dpi) of its mid-grey. The shade below a
# fold is a broad, smooth band, its mid-grey px 10-20 px from white paper: taken for a stamp,
# it was painted white with the rims of the thin letters inside it (a Courier page read
# 2.86% -> 3.65% CER).
STAMP_PAPER = 230
STAMP_EDGE_300 = 2
# ... and only on a page whose text is crisp: at least MIN_CRISP_SHARE of its dark px (under
# STAMP_GREY's top) truly black (under CRISP_BLACK). On the full degraded set (12 pages a
# kind) blurred pages have 0.000-0.055, stamped ones 0.21-0.53, clean ones 0.49-0.72; two
# blurred pages were taken for stamped ones and read worse (2.40% -> 16.78% CER).
CRISP_BLACK = 60
MIN_CRISP_SHARE = 0.12
MIN_INK_SHARE = 0.001


MIN_SIDE = 64  # px: an image narrower than this is left as it is


@dataclass(frozen=True)
class Cleanup:
    """What was done to a page, for the log and the benchmark (no document content)."""

    warped: bool = False
    evened: bool = False
    destamped: bool = False
    despeckled: bool = False
    spread: float = 1.0
    speckles: int = 0
    smoothed: bool = False
    streaks: int = 0  # the streaks taken out of a despeckled page (:mod:`.streaks`)

    @property
    def changed(self) -> bool:
        return self.warped or self.evened or self.destamped or self.despeckled or self.smoothed


# --- lighting ----------------------------------------------------------------------------


def background(grey: Grey) -> Grey:
    """The paper's brightness on a copy :data:`_BACKGROUND_SIDE` px long: the text closed
    away (a grey-level closing keeps the light paper around the dark ink), then smoothed."""
    factor = _BACKGROUND_SIDE / max(grey.shape)
    small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (_BACKGROUND_KERNEL, _BACKGROUND_KERNEL))
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    return np.asarray(cv2.GaussianBlur(closed, (0, 0), 3), dtype=np.uint8)


def illumination_spread(grey: Grey, paper: Grey | None = None) -> float:
    """The darker paper over the lighter (5th over 95th percentile of :func:`background`,
    ``paper`` when the caller has it already): 1.0 when evenly lit, lower the more the light
    falls off across the page."""
    paper = background(grey) if paper is None else paper
    low, high = np.percentile(paper, (5, 95))
    return float(low / high) if high > 0 else 1.0


def even_out(grey: Grey, dpi: float) -> Grey:
    """``grey`` with its lighting evened out (divided by its background) and binarised by
    Sauvola's local threshold: black ink on white paper, whatever the light."""
    size = (grey.shape[1], grey.shape[0])
    paper = cv2.resize(background(grey), size, interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(grey, np.maximum(paper, 1), scale=255)
    return sauvola(np.asarray(flat, dtype=np.uint8), dpi)


def sauvola(grey: Grey, dpi: float) -> Grey:
    """Sauvola's local threshold (ink 0, paper 255): the local mean ``m`` and standard
    deviation ``s`` over a window that scales with ``dpi``.

    ``m`` and ``s`` change slowly across a page, so they are taken on a copy shrunk
    :data:`_SAUVOLA_SHRINK` times (area averages of the pixels and of their squares, which
    keep both exact up to the window's edge) and the threshold is enlarged back: the same
    ink as at full size, in a fifth of the time."""
    height, width = grey.shape
    window = max(5, round(SAUVOLA_WINDOW_300 * dpi / 300 / _SAUVOLA_SHRINK) | 1)
    small = (max(1, width // _SAUVOLA_SHRINK), max(1, height // _SAUVOLA_SHRINK))
    squares = cv2.multiply(grey, grey, dtype=cv2.CV_32F)
    mean = cv2.resize(grey, small, interpolation=cv2.INTER_AREA).astype(np.float32)
    mean_sq = cv2.resize(squares, small, interpolation=cv2.INTER_AREA)
    mean, mean_sq = (np.asarray(cv2.blur(m, (window, window)), np.float32) for m in (mean, mean_sq))
    std = np.sqrt(np.maximum(mean_sq - mean * mean, 0.0))
    threshold = mean * (1.0 + SAUVOLA_K * (std / SAUVOLA_R - 1.0))
    levels = np.clip(np.rint(threshold), 0, 255).astype(np.uint8)
    full = cv2.resize(levels, (width, height), interpolation=cv2.INTER_LINEAR)
    return np.asarray(cv2.compare(grey, full, cv2.CMP_GT), dtype=np.uint8)


# --- speckle -------------------------------------------------------------------------------


def _lone_specks(grey: Grey, dpi: float) -> tuple[npt.NDArray[np.bool_], int]:
    """Where the lone specks' ink is, and how many there are: dark components (Otsu's
    threshold) with no more than :data:`SPECKLE_MAX_AREA_300` px of ink (scaled to ``dpi``)
    within a window :data:`SPECKLE_REACH_300` px wide around them. The ink is grown by the
    window, so each grown component holds a speck with all the ink near it; one holding
    little ink is lone."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    reach = max(3, round(SPECKLE_REACH_300 * dpi / 300) | 1)
    grown = cv2.dilate(ink, np.ones((reach, reach), np.uint8))
    count, labels = cv2.connectedComponents(grown, connectivity=8)
    inked = ink > 0
    area = np.bincount(labels[inked], minlength=count)
    lone = area <= max(2, round(SPECKLE_MAX_AREA_300 * (dpi / 300) ** 2))
    lone[0] = False  # the paper
    return np.asarray(lone[labels] & inked, dtype=np.bool_), int(lone.sum())


def speckle_count(grey: Grey, dpi: float) -> int:
    """About how many lone specks (dark dots with no other ink near them) the page has:
    counted on its middle quarter (half its width and height), where a fax's noise is as
    thick as anywhere and a clean page's text is, at a quarter of the time of the whole
    page."""
    height, width = grey.shape
    middle = grey[height // 4 : height - height // 4, width // 4 : width - width // 4]
    return 4 * _lone_specks(np.ascontiguousarray(middle), dpi)[1]


def despeckle(grey: Grey, dpi: float) -> Grey:
    """``grey`` with its lone specks painted with the paper's white; the pieces of a letter
    that a fax broke up stay, as each lies near the others."""
    out = grey.copy()
    out[_lone_specks(grey, dpi)[0]] = 255
    return out


def smooth(grey: Grey, dpi: float) -> Grey:
    """``grey`` blurred (:data:`FAX_SMOOTH_300`, scaled to ``dpi``): a fax's broken
    bitonal strokes back to continuous grey ones."""
    sigma = FAX_SMOOTH_300 * dpi / 300
    return np.asarray(cv2.GaussianBlur(grey, (0, 0), sigma), dtype=np.uint8)


# --- stamps -------------------------------------------------------------------------------


def _stamp_strokes(grey: Grey, dpi: float) -> npt.NDArray[np.uint8]:
    """Where mid-grey strokes with a crisp edge lie away from the black ink (255 there): the
    marks of a stamp in coloured ink, seen in grey, on a page of black text."""
    mid = cv2.inRange(grey, STAMP_GREY[0], STAMP_GREY[1])
    _, ink = cv2.threshold(grey, STAMP_GREY[0] - 1, 255, cv2.THRESH_BINARY_INV)
    reach = max(3, round(STAMP_INK_REACH_300 * dpi / 300) | 1)
    near_ink = cv2.dilate(ink, np.ones((reach, reach), np.uint8))
    lone = cv2.bitwise_and(mid, cv2.bitwise_not(near_ink))
    width = max(3, round(STAMP_STROKE_300 * dpi / 300) | 1)
    strokes = np.asarray(cv2.morphologyEx(lone, cv2.MORPH_OPEN, np.ones((width, width))), np.uint8)
    # Only the strokes with paper right beside them: a fold's smooth shade has none.
    _, paper = cv2.threshold(grey, STAMP_PAPER - 1, 255, cv2.THRESH_BINARY)
    edge = 2 * max(1, round(STAMP_EDGE_300 * dpi / 300)) + 1
    beside_paper = cv2.bitwise_and(strokes, cv2.dilate(paper, np.ones((edge, edge), np.uint8)))
    count, labels = cv2.connectedComponents(strokes, connectivity=8)
    crisp = np.zeros(count, np.uint8)
    crisp[labels[beside_paper > 0]] = 255
    crisp[0] = 0
    return np.asarray(crisp[labels], dtype=np.uint8)


def stamp_share(grey: Grey, dpi: float) -> float:
    """The stamp strokes' px over the black ink's, on a copy half the size (0.0 on a page
    with too little black ink to tell a stamp from faint text, or with blurred text)."""
    dark = int(np.count_nonzero(grey < STAMP_GREY[1]))
    if np.count_nonzero(grey < CRISP_BLACK) < MIN_CRISP_SHARE * dark:
        return 0.0  # blurred text: its strokes are all mid-grey, like a stamp's
    half = cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    ink = int(np.count_nonzero(half < STAMP_GREY[0]))
    if ink < MIN_INK_SHARE * half.size:
        return 0.0
    return np.count_nonzero(_stamp_strokes(np.asarray(half, np.uint8), dpi / 2)) / ink


def remove_stamp(grey: Grey, dpi: float) -> Grey:
    """``grey`` with the stamp's strokes (and their rims) painted with the paper's white;
    the black text under them stays."""
    strokes = cv2.dilate(_stamp_strokes(grey, dpi), np.ones((5, 5), np.uint8))
    _, lighter = cv2.threshold(grey, STAMP_GREY[0] - 1, 255, cv2.THRESH_BINARY)
    out = grey.copy()
    out[cv2.bitwise_and(strokes, lighter) > 0] = 255
    return out


# --- the page in a photo ------------------------------------------------------------------


def order_corners(points: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
    """Four points as top-left, top-right, bottom-right, bottom-left."""
    pts = np.asarray(points, dtype=np.float32).reshape(4, 2)
    total, diff = pts.sum(axis=1), pts[:, 1] - pts[:, 0]
    return np.array(
        [pts[total.argmin()], pts[diff.argmin()], pts[total.argmax()], pts[diff.argmax()]],
        dtype=np.float32,
    )


def find_page(grey: Grey, paper: Grey | None = None) -> npt.NDArray[np.float32] | None:
    """The four corners (top-left first, clockwise, in ``grey``'s pixels) of a sheet of
    paper photographed on a darker background; None when the image is not such a photo.

    The outline is looked for in the page's :func:`background` (``paper``, when the caller
    has it already), where the text is gone and a lighting gradient or a soft shadow has no
    edge: what edges are left are the page's own."""
    paper = background(grey) if paper is None else paper
    edges = np.asarray(cv2.dilate(cv2.Canny(paper, 15, 40), np.ones((3, 3), np.uint8)), np.uint8)
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    hull = cv2.convexHull(max(contours, key=lambda c: cv2.contourArea(cv2.convexHull(c))))
    height, width = paper.shape
    area = cv2.contourArea(hull)
    if not MIN_PAGE_SHARE * width * height <= area <= MAX_PAGE_SHARE * width * height:
        return None
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True).reshape(-1, 2)
    if len(quad) != 4 or not cv2.isContourConvex(quad):
        return None
    margin = _PAGE_MARGIN * max(width, height)
    xs, ys = quad[:, 0], quad[:, 1]
    if (
        xs.min() < margin
        or ys.min() < margin
        or xs.max() > width - 1 - margin
        or (ys.max() > height - 1 - margin)
    ):
        return None  # an edge of the frame, not of a sheet on a desk
    outline = np.zeros_like(paper)
    cv2.polylines(outline, [quad.astype(np.int32)], True, 255, 1)
    near_edges = np.asarray(cv2.dilate(edges, np.ones((5, 5), np.uint8)), np.uint8)  # the rim
    if np.count_nonzero(near_edges & outline) < MIN_EDGE_SUPPORT * np.count_nonzero(outline):
        return None  # a side runs where the image shows no edge: a guess, not the sheet
    inside = np.zeros_like(paper)
    cv2.fillPoly(inside, [quad.astype(np.int32)], 255)
    light, desk = cv2.mean(paper, mask=inside)[0], cv2.mean(paper, mask=255 - inside)[0]
    if light - desk < MIN_PAGE_CONTRAST:
        return None
    # The hull runs along the outer rim of the edge: step a little inside, off the desk.
    centre = quad.mean(axis=0)
    inward = quad + _PAGE_INSET * (centre - quad) / np.linalg.norm(centre - quad, axis=1)[:, None]
    return order_corners(inward * (max(grey.shape) / max(paper.shape)))


def page_size(corners: npt.NDArray[np.float32]) -> tuple[int, int]:
    """The width and height, in px, of the page within ``corners``: as tall as its longer
    side, and as wide as the paper size whose shape it is near (a photo taken at an angle
    foreshortens one side), else as its longer top or bottom side."""
    tl, tr, br, bl = corners
    width = max(math.dist(tl, tr), math.dist(bl, br))
    height = max(math.dist(tl, bl), math.dist(tr, br))
    for aspect in PAPER_ASPECTS:
        if abs(width / height - aspect) <= PAPER_ASPECT_TOLERANCE * aspect:
            return round(height * aspect), round(height)
    return round(width), round(height)


def unwarp(grey: Grey, corners: npt.NDArray[np.float32]) -> tuple[Grey, Homography]:
    """The page within ``corners`` made rectangular (:func:`page_size`), and the homography
    from its pixels back to ``grey``'s."""
    width, height = page_size(corners)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    forward = cv2.getPerspectiveTransform(corners, target)
    flat = cv2.warpPerspective(
        grey, forward, (width, height), flags=cv2.INTER_LINEAR, borderValue=255
    )
    back = np.asarray(np.linalg.inv(forward), dtype=np.float64)
    return np.asarray(flat, dtype=np.uint8), back


def map_box_through(box: Box, homography: Homography) -> Box:
    """The bounding box, in the target's pixels, of ``box``'s four corners mapped through
    ``homography``."""
    x0, y0, x1, y1 = box
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], dtype=np.float64)
    mapped = corners @ homography.T
    xs, ys = mapped[:, 0] / mapped[:, 2], mapped[:, 1] / mapped[:, 2]
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())


# --- the whole step -----------------------------------------------------------------------


def clean_page(grey: Grey, dpi: float) -> tuple[Grey, Homography | None, Cleanup]:
    """``grey`` made ready for Tesseract, the homography back to its pixels (None when the
    page was not unwarped), and what was done. A clean scan comes back as it was."""
    if min(grey.shape) < MIN_SIDE:
        return grey, None, Cleanup()  # a sliver, not a page: nothing here to clean
    warped = False
    back: Homography | None = None
    paper = background(grey)
    corners = find_page(grey, paper)
    if corners is not None:
        grey, back = unwarp(grey, corners)
        warped = True
    spread = illumination_spread(grey, None if warped else paper)
    evened = warped or spread < UNEVEN_BELOW
    destamped = False
    if evened:
        grey = even_out(grey, dpi)
    elif stamp_share(grey, dpi) > STAMP_PAGE:
        grey = remove_stamp(grey, dpi)
        destamped = True
    speckles = speckle_count(grey, dpi)
    despeckled = smoothed = speckles >= SPECKLE_PAGE
    lines = 0
    if despeckled:
        # A fax's streak too, only here: a clean page's rules and underlines are never
        # looked at.
        grey, lines = streaks.remove_streaks(grey, dpi)
        grey = smooth(despeckle(grey, dpi), dpi)
    done = Cleanup(
        warped, evened, destamped, despeckled, round(spread, 3), speckles, smoothed, lines
    )
    return grey, back, done
