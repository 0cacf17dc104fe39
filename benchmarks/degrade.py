"""A degraded-scan test set, made from pages of CUAD's development PDFs (seeded, repeatable).

    python -m benchmarks.degrade [--pages N] [--seed S] [--out DIR] [--kinds K,K]

Each chosen page (a page of a development contract whose text layer holds plain prose) is
rendered at 300 dpi greyscale, then written once per degradation kind as an image file,
with the page's own text layer (whitespace normalised) as the reference in
``manifest.json``. Nothing here is committed: the set goes under ``out/degraded`` by
default, and is made again, identically, from the same seed.

The degradations are written with OpenCV and numpy, each drawn from a generator seeded by
``(seed, page, kind)``. augraphy, the usual library for this, was tried first: it pins the
GUI build of OpenCV (``opencv-python``, which clashes with the headless build the app uses
and pulls X11 libraries), plus matplotlib and numba, and its last release is from 2023.

Kinds:
- ``clean``: the render itself, the floor every other kind is measured against.
- ``gradient``: a phone photo's lighting: a linear fall-off to 30-45% brightness across the
  page and a vignette, lower contrast, sensor noise, a slight blur.
- ``perspective``: the page on a dark desk, its corners moved by up to 7% (a hand-held
  photo), evenly lit.
- ``photo``: both (a milder fall-off, to 50-65%, on a darker desk), with a shadow and JPEG
  at quality 70: the phone photo as lawyers get it.
- ``blur``: Gaussian blur, sigma 1.4-1.8 px (out of focus).
- ``jpeg``: JPEG at quality 8-14.
- ``shadow``: a soft-edged shadow (a hand or a phone) over a third of the page, 45-60%.
- ``fold``: a crease across the page: a dark line, a shaded band, the far side shifted.
- ``stamp``: a "RECEIVED" stamp in coloured ink (mid grey) over the text, turned.
- ``fax``: 200 dpi bitonal: downsampled, fixed threshold, speckle noise and a streak.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import pymupdf
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
CUAD = ROOT.parent / "shared" / "data" / "cuad"
OUT = ROOT / "out" / "degraded"
DPI = 300
FAX_DPI = 200
SEED = 26
# A page is taken when its text layer has this many characters, mostly letters and spaces
# (not a cover page, a table of figures or a broken text layer) and no picture on it.
MIN_CHARS, MAX_CHARS = 1200, 4500
MIN_PROSE_SHARE = 0.85

Grey = npt.NDArray[np.uint8]
Rng = np.random.Generator


def normalise(text: str) -> str:
    return " ".join(text.split())


# --- degradations: each takes the clean 300 dpi page and a seeded generator -------------


def _to_grey(values: npt.NDArray[Any]) -> Grey:
    return np.asarray(np.clip(np.rint(values), 0, 255), dtype=np.uint8)


def _lighting(
    shape: tuple[int, int], rng: Rng, darkest: tuple[float, float]
) -> npt.NDArray[np.float32]:
    """A multiplicative light field: a linear fall-off in a random direction and a vignette."""
    h, w = shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    along = (xs - w / 2) * np.cos(angle) + (ys - h / 2) * np.sin(angle)
    along = (along - along.min()) / (along.max() - along.min())
    field = 1.0 - (1.0 - rng.uniform(*darkest)) * along
    radius = np.hypot((xs - w / 2) / w, (ys - h / 2) / h)
    return np.asarray(field * (1.0 - 0.35 * radius**2), dtype=np.float32)


def _sensor(page: npt.NDArray[np.float32], rng: Rng, noise: float) -> Grey:
    return _to_grey(page + rng.normal(0.0, noise, page.shape).astype(np.float32))


def gradient(page: Grey, rng: Rng, darkest: tuple[float, float] = (0.30, 0.45)) -> Grey:
    ink, paper = rng.uniform(35, 60), rng.uniform(215, 235)  # a photo's black and white
    values = ink + (page.astype(np.float32) / 255.0) * (paper - ink)
    blurred = np.asarray(cv2.GaussianBlur(values, (0, 0), rng.uniform(0.7, 1.0)), np.float32)
    return _sensor(blurred * _lighting(page.shape, rng, darkest), rng, rng.uniform(3, 6))


def _on_desk(
    page: Grey, rng: Rng, jitter: float = 0.07, desk: tuple[float, float] = (40, 90)
) -> Grey:
    """``page`` photographed on a darker desk, its corners moved by up to ``jitter``."""
    h, w = page.shape
    margin = int(0.08 * max(h, w))
    cw, ch = w + 2 * margin, h + 2 * margin
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    moved = corners + margin + rng.uniform(-jitter, jitter, (4, 2)).astype(np.float32) * [w, h]
    matrix = cv2.getPerspectiveTransform(corners, moved.astype(np.float32))
    texture = cv2.GaussianBlur(rng.normal(0, 12, (ch, cw)).astype(np.float32), (0, 0), 6)
    background = _to_grey(rng.uniform(*desk) + texture)
    warped = cv2.warpPerspective(page, matrix, (cw, ch), flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(page, 255), matrix, (cw, ch), borderValue=0)
    out = np.where(mask > 127, warped, background)
    return np.asarray(out, dtype=np.uint8)


def perspective(page: Grey, rng: Rng) -> Grey:
    return _sensor(_on_desk(page, rng).astype(np.float32), rng, 3.0)


def _shadow_mask(shape: tuple[int, int], rng: Rng) -> npt.NDArray[np.float32]:
    """1 in the light, down to 0 under a soft-edged shadow over about a third of the page."""
    h, w = shape
    mask = np.zeros((h, w), np.float32)
    side = rng.integers(4)  # the shadow comes in from this edge
    depth = rng.uniform(0.25, 0.4)
    if side in (0, 1):
        edge = int(depth * h) if side == 0 else int((1 - depth) * h)
        points = [[0, 0], [w, 0], [w, edge + rng.integers(-h // 10, h // 10)], [0, edge]]
        if side == 1:
            points = [[0, h], [w, h], [w, edge + rng.integers(-h // 10, h // 10)], [0, edge]]
    else:
        edge = int(depth * w) if side == 2 else int((1 - depth) * w)
        far = 0 if side == 2 else w
        points = [[far, 0], [edge, 0], [edge + rng.integers(-w // 10, w // 10), h], [far, h]]
    cv2.fillPoly(mask, [np.array(points, dtype=np.int32)], 1.0)
    soft = cv2.GaussianBlur(mask, (0, 0), 0.02 * max(h, w))
    return np.asarray(1.0 - soft, dtype=np.float32)


def shadow(page: Grey, rng: Rng) -> Grey:
    strength = rng.uniform(0.45, 0.6)
    light = 1.0 - strength * (1.0 - _shadow_mask(page.shape, rng))
    return _sensor(page.astype(np.float32) * light, rng, 3.0)


def photo(page: Grey, rng: Rng) -> Grey:
    lit = gradient(page, rng, darkest=(0.5, 0.65))
    shaded = lit.astype(np.float32) * (1.0 - 0.3 * (1.0 - _shadow_mask(page.shape, rng)))
    desk = _on_desk(_to_grey(shaded), rng, jitter=0.05, desk=(15, 45))
    return jpeg_at(desk, 70)


def blur(page: Grey, rng: Rng) -> Grey:
    return _to_grey(cv2.GaussianBlur(page.astype(np.float32), (0, 0), rng.uniform(1.4, 1.8)))


def jpeg_at(page: Grey, quality: int) -> Grey:
    ok, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("OpenCV could not encode a JPEG")
    return np.asarray(cv2.imdecode(data, cv2.IMREAD_GRAYSCALE), dtype=np.uint8)


def jpeg(page: Grey, rng: Rng) -> Grey:
    return jpeg_at(page, int(rng.integers(8, 15)))


def fold(page: Grey, rng: Rng) -> Grey:
    h, w = page.shape
    y = int(rng.uniform(0.3, 0.7) * h)
    shift = int(rng.integers(2, 5))
    out = page.astype(np.float32)
    out[y + shift :] = out[y : h - shift]  # the far side of the crease sits a little lower
    out[y : y + shift] = 255.0
    ys = np.arange(h, dtype=np.float32)[:, None] - y
    band = 1.0 - 0.35 * np.exp(-((ys - 25) ** 2) / (2 * 20.0**2))  # shade below the crease
    tilt = rng.uniform(-0.02, 0.02)
    xs = np.arange(w, dtype=np.float32)[None, :]
    line = np.abs(ys - tilt * (xs - w / 2)) < 2.0
    out = out * band
    out[line] = np.minimum(out[line], rng.uniform(80, 120))
    return _sensor(out, rng, 2.0)


def stamp(page: Grey, rng: Rng) -> Grey:
    h, w = page.shape
    size = int(rng.uniform(0.28, 0.36) * w)
    ink = np.zeros((size, 2 * size), np.uint8)
    cv2.rectangle(ink, (12, 12), (2 * size - 12, size - 12), 255, 10)
    font = cv2.FONT_HERSHEY_DUPLEX
    cv2.putText(ink, "RECEIVED", (60, int(size * 0.5)), font, size / 110, 255, 9)
    day = f"{int(rng.integers(1, 29)):02} MAR 20{int(rng.integers(10, 24)):02}"
    cv2.putText(ink, day, (90, int(size * 0.82)), font, size / 190, 255, 6)
    turn = cv2.getRotationMatrix2D((size, size / 2), rng.uniform(-25, 25), 1.0)
    ink = np.asarray(cv2.warpAffine(ink, turn, (2 * size, size)), dtype=np.uint8)
    x = int(rng.uniform(0.1, 0.9) * w - size)
    y = int(rng.uniform(0.25, 0.75) * h - size / 2)
    x, y = max(0, min(x, w - 2 * size)), max(0, min(y, h - size))
    out = page.astype(np.float32)
    coverage = ink.astype(np.float32) / 255.0 * rng.uniform(0.85, 1.0)
    grey = rng.uniform(110, 150)  # red or blue ink, seen in grey
    region = out[y : y + size, x : x + 2 * size]
    out[y : y + size, x : x + 2 * size] = np.minimum(region, 255 - coverage * (255 - grey))
    return _to_grey(out)


def fax(page: Grey, rng: Rng) -> Grey:
    h, w = page.shape
    size = (w * FAX_DPI // DPI, h * FAX_DPI // DPI)
    small = np.asarray(cv2.resize(page, size, interpolation=cv2.INTER_AREA), np.float32)
    noisy = small + rng.normal(0, 18, small.shape).astype(np.float32)
    bitonal = np.where(noisy < rng.uniform(120, 150), 0, 255).astype(np.uint8)
    speckle = rng.random(small.shape)
    share = rng.uniform(0.002, 0.005)
    bitonal[speckle < share / 2] = 0
    bitonal[speckle > 1 - share / 2] = 255
    row = int(rng.integers(0, small.shape[0] - 3))
    bitonal[row : row + 2, :: int(rng.integers(2, 5))] = 0  # a dotted streak from the head
    return bitonal


def clean(page: Grey, rng: Rng) -> Grey:
    return page


KINDS: dict[str, Callable[[Grey, Rng], Grey]] = {
    "clean": clean,
    "gradient": gradient,
    "perspective": perspective,
    "photo": photo,
    "blur": blur,
    "jpeg": jpeg,
    "shadow": shadow,
    "fold": fold,
    "stamp": stamp,
    "fax": fax,
}


# --- the set --------------------------------------------------------------------------


def development_pdfs(cuad: Path = CUAD) -> list[Path]:
    """CUAD's development contracts (contract_types.dev.csv), in the file's order."""
    listing = cuad / "contract_types.dev.csv"
    if not listing.exists():
        raise SystemExit(f"{listing} not found: the CUAD development data is needed")
    with listing.open(newline="", encoding="utf-8") as handle:
        return [cuad / row["pdf_file"] for row in csv.DictReader(handle)]


def prose_page(page: pymupdf.Page) -> str | None:
    """The page's normalised text when it is plain prose worth measuring, else None."""
    if page.get_images():
        return None
    text = normalise(page.get_text("text"))
    if not MIN_CHARS <= len(text) <= MAX_CHARS:
        return None
    prose = sum(ch.isalpha() or ch == " " for ch in text) / len(text)
    return text if prose >= MIN_PROSE_SHARE else None


def choose_pages(count: int, seed: int) -> list[tuple[Path, int, str]]:
    """``count`` prose pages, at most one per contract, from contracts drawn by ``seed``."""
    pdfs = development_pdfs()
    order = np.random.default_rng(seed).permutation(len(pdfs))
    chosen: list[tuple[Path, int, str]] = []
    for index in order:
        path = pdfs[int(index)]
        with pymupdf.open(path) as doc:
            numbers = [n for n in range(1, doc.page_count) if n < doc.page_count - 1]
            for number in numbers:  # not the cover page, not the signature page
                text = prose_page(doc[number])
                if text is not None:
                    chosen.append((path, number + 1, text))
                    break
        if len(chosen) == count:
            break
    return chosen


def render(path: Path, number: int) -> Grey:
    with pymupdf.open(path) as doc:
        pix = doc[number - 1].get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY, alpha=False)
        return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).copy()


def page_words(path: Path, number: int) -> list[tuple[float, float, float, float, str]]:
    """The words of page ``number`` (1-based) of ``path``'s text layer: x0, y0, x1, y1 (pt)
    and the word, in the text layer's order."""
    with pymupdf.open(path) as doc:
        words = doc[number - 1].get_text("words")
    return [(float(w[0]), float(w[1]), float(w[2]), float(w[3]), str(w[4])) for w in words]


def page_seed(seed: int, name: str, number: int, kind: str) -> int:
    return zlib.crc32(f"{seed}:{name}:{number}:{kind}".encode())


def build(out: Path, pages: int, seed: int, kinds: list[str]) -> list[dict[str, Any]]:
    """Write the set under ``out``; return (and write) its manifest."""
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    chosen = choose_pages(pages, seed)
    for i, (path, number, text) in enumerate(chosen, start=1):
        clean_page = render(path, number)
        for kind in kinds:
            rng = np.random.default_rng(page_seed(seed, path.name, number, kind))
            image = KINDS[kind](clean_page, rng)
            dpi = FAX_DPI if kind == "fax" else DPI
            target = out / kind / f"p{i:02}.png"
            target.parent.mkdir(exist_ok=True)
            picture = Image.fromarray(image)
            if kind == "fax":
                picture = picture.convert("1", dither=Image.Dither.NONE)
            picture.save(target, dpi=(dpi, dpi))
            entries.append(
                {"kind": kind, "file": str(target.relative_to(out)), "source": path.name,
                 "page": number, "dpi": dpi, "truth": text}
            )  # fmt: skip
        print(f"page {i}/{len(chosen)}: {path.name[:60]} p.{number}", flush=True)
    manifest = {"seed": seed, "pages": len(chosen), "kinds": kinds, "entries": entries}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return entries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=12, help="source pages (default 12)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds")
    args = parser.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        parser.error(f"unknown kinds {unknown}; choose from {', '.join(KINDS)}")
    entries = build(args.out, args.pages, args.seed, kinds)
    print(f"{len(entries)} images under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
