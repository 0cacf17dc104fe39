"""`westfall compare` against a scan: OCR noise reported as changes, and planted edits found.

    python -m benchmarks.compare_ocr [--quick] [--json PATH] [--seed N]

(also run by ``python -m benchmarks.docx``, whose headline carries
``compare_ocr_false_changes`` and ``compare_ocr_recall``).

A lawyer's most common compare: the executed copy comes back as a scan, and must match the
agreed draft. Pairs are built from CUAD development contracts (contract_types.dev.csv, in
the order of benchmarks/degrade.py's seeded draw), from their first pages (4 each; --quick:
2 contracts of 3 pages, else 5 contracts):

- **the scan**: each page rendered at 300 dpi greyscale by ``benchmarks.degrade.render`` and
  degraded lightly by one of its seeded degradations (a shadow, a fold, a phone's uneven
  light, JPEG at quality 40), then put in an image-only PDF, so the app reads it by OCR;
- **the draft**: the same pages' text layer as a .txt file (one paragraph per text block,
  running heads, feet and page numbers left out, as a Word draft has none), with four
  edits planted in four paragraphs (seeded): a number changed ("thirty (30)" → "sixty
  (60)", else a figure doubled), a sentence deleted, "shall" → "may", and "shall" →
  "shall not";
- **the digital PDF**: the same pages of the contract's own PDF.

Two pairs per contract: draft → scan and digital PDF → scan, each compared twice, strict
(every word difference is a change: the behaviour before OCR tolerance) and OCR-tolerant
(the default). A reported clause (changed, added or removed) is right when its draft side
holds a planted edit; every other reported clause is a false change (OCR noise reported as
a change). Recall: the planted edits a reported clause holds, of all planted.

With ``include_sample`` the sample agreement's scan is compared with its Word draft and its
PDF too (resources/samples: no edits there, every reported clause is false).
"""

from __future__ import annotations

import argparse
import io
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pymupdf
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a file (python benchmarks/NAME.py), not as python -m benchmarks.NAME
    sys.path.insert(0, str(ROOT))

from benchmarks import degrade  # noqa: E402
from benchmarks._report import report  # noqa: E402
from westfall_legal.handback.compare import Comparison, compare  # noqa: E402
from westfall_legal.models import Review  # noqa: E402
from westfall_legal.pipeline import Engines, analyse  # noqa: E402
from westfall_legal.settings import Settings  # noqa: E402

SAMPLES = ROOT / "resources" / "samples"
FITZ: Any = pymupdf  # PyMuPDF's Document and Page methods are untyped
MIN_PAGE_CHARS = 800
MARGIN = 0.075  # of the page's height, top and bottom: running heads, feet, page numbers
_NUMBER_WORD = re.compile(
    r"\b(one|two|three|five|ten|fifteen|thirty|sixty|ninety)\s\((\d{1,3})\)", re.IGNORECASE
)
_FIGURE = re.compile(r"(?<=[a-z,] )\d{2,3}(?= [a-z])")
_SENTENCE_END = re.compile(r"[a-z)]\. (?=[A-Z])")
_SHALL = re.compile(r" shall (?!not)")
_OTHER = {
    "one": ("two", 2), "two": ("three", 3), "three": ("five", 5), "five": ("ten", 10),
    "ten": ("fifteen", 15), "fifteen": ("thirty", 30), "thirty": ("sixty", 60),
    "sixty": ("ninety", 90), "ninety": ("thirty", 30),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Edit:
    kind: str  # number, sentence, may, not
    at: int  # where it is in the draft's text


@dataclass(frozen=True, slots=True)
class Built:
    name: str
    draft: Path  # the .txt with the planted edits
    digital: Path  # the same pages of the contract's PDF
    scan: Path  # the image-only PDF
    edits: tuple[Edit, ...]
    pages: int


# -- the draft and its edits ------------------------------------------------------------------
def _blocks(page: Any) -> list[str]:
    """The page's text blocks as a Word draft holds them: no running head or foot, no page
    number (a block in the page's top or bottom :data:`MARGIN`)."""
    out = []
    top, bottom = MARGIN * page.rect.height, (1 - MARGIN) * page.rect.height
    for block in page.get_text("blocks", sort=True):
        if block[6] != 0 or block[3] < top or block[1] > bottom:  # a picture, a margin
            continue
        lines = [" ".join(line.split()) for line in block[4].splitlines()]
        text = "\n".join(line for line in lines if line)
        if text:
            out.append(text)
    return out


def _number(block: str) -> str | None:
    m = _NUMBER_WORD.search(block)
    if m:
        word, figure = _OTHER[m.group(1).lower()]
        word = word.capitalize() if m.group(1)[0].isupper() else word
        return block[: m.start()] + f"{word} ({figure})" + block[m.end() :]
    m = _FIGURE.search(block)
    if m:
        return block[: m.start()] + str(int(m.group()) * 2) + block[m.end() :]
    return None


def _sentence(block: str) -> tuple[str, int] | None:
    """The block without one of its sentences (not its first), and where it was."""
    ends = [m.end() for m in _SENTENCE_END.finditer(block)]
    for a, b in zip(ends, [*ends[1:], len(block)][: len(ends)], strict=True):
        if len(block[a:b].split()) >= 8 and b < len(block):
            return block[:a] + block[b:], a
    return None


def plant(blocks: list[str], rng: random.Random) -> tuple[list[str], dict[int, tuple[str, int]]]:
    """The blocks with four edits, each in its own block: ``{block: (kind, offset in it)}``."""
    out = list(blocks)
    edits: dict[int, tuple[str, int]] = {}
    order = list(range(len(blocks)))
    rng.shuffle(order)

    def first(kind: str, test: Callable[[str], tuple[str, int] | None]) -> None:
        for i in order:
            if i in edits:
                continue
            done = test(out[i])
            if done is not None:
                out[i] = done[0]
                edits[i] = (kind, done[1])
                return

    def number(b: str) -> tuple[str, int] | None:
        new = _number(b)
        at = next((k for k, (x, y) in enumerate(zip(b, new or b, strict=False)) if x != y), 0)
        return (new, at) if new else None

    def modal(b: str, to: str) -> tuple[str, int] | None:
        m = _SHALL.search(b)
        return (b[: m.start()] + f" {to} " + b[m.end() :], m.start() + 1) if m else None

    for kind, test in (
        ("number", number),
        ("sentence", _sentence),
        ("may", lambda b: modal(b, "may")),
        ("not", lambda b: modal(b, "shall not")),
    ):
        first(kind, test)
    return out, edits


# -- the scan -----------------------------------------------------------------------------------
LIGHT: dict[str, Callable[[degrade.Grey, degrade.Rng], degrade.Grey]] = {
    "shadow": degrade.shadow,
    "fold": degrade.fold,
    "gradient": lambda page, rng: degrade.gradient(page, rng, darkest=(0.55, 0.7)),
    "jpeg40": lambda page, rng: degrade.jpeg_at(page, 40),
}


def scan_pdf(source: Path, pages: int, target: Path, seed: int) -> list[str]:
    """Pages 1..``pages`` of ``source`` rendered, degraded lightly, as an image-only PDF;
    returns the degradation of each page."""
    kinds = []
    out = FITZ.open()
    with FITZ.open(source) as doc:
        sizes = [(doc[n].rect.width, doc[n].rect.height) for n in range(pages)]
    for number in range(1, pages + 1):
        kind = sorted(LIGHT)[degrade.page_seed(seed, source.name, number, "light") % len(LIGHT)]
        rng = np.random.default_rng(degrade.page_seed(seed, source.name, number, kind))
        image = LIGHT[kind](degrade.render(source, number), rng)
        buffer = io.BytesIO()
        Image.fromarray(image).save(buffer, format="PNG", dpi=(degrade.DPI, degrade.DPI))
        width, height = sizes[number - 1]
        page = out.new_page(width=width, height=height)
        page.insert_image(page.rect, stream=buffer.getvalue())
        kinds.append(kind)
    out.save(target)
    out.close()
    return kinds


def build(folder: Path, count: int, pages: int, seed: int) -> list[Built]:
    """``count`` pairs from the development contracts whose first ``pages`` pages have a
    text layer of prose and take all four edits."""
    built: list[Built] = []
    pdfs = degrade.development_pdfs()
    order = np.random.default_rng(seed).permutation(len(pdfs))
    for index in order:
        source = pdfs[int(index)]
        with FITZ.open(source) as doc:
            if doc.page_count < pages + 1:
                continue
            texts = [doc[n].get_text("text") for n in range(pages)]
            if any(len(t) < MIN_PAGE_CHARS or doc[n].get_images() for n, t in enumerate(texts)):
                continue
            blocks = [b for n in range(pages) for b in _blocks(doc[n])]
            edited, planted = plant(blocks, random.Random(f"{seed}:{source.name}"))
            if len(planted) < 4:
                continue
            n = len(built)
            digital = folder / f"c{n}.pdf"
            part = FITZ.open()
            part.insert_pdf(doc, from_page=0, to_page=pages - 1)
            part.save(digital)
            part.close()
        edits, at = [], 0
        for i, block in enumerate(edited):
            if i in planted:
                edits.append(Edit(planted[i][0], at + planted[i][1]))
            at += len(block) + 2
        draft = folder / f"c{n}.txt"
        draft.write_text("\n\n".join(edited) + "\n", encoding="utf-8")
        scan = folder / f"c{n}_scan.pdf"
        scan_pdf(source, pages, scan, seed)
        built.append(Built(source.name, draft, digital, scan, tuple(edits), pages))
        print(f"built pair {n + 1}/{count}: {source.name[:60]}, {pages} pages", flush=True)
        if len(built) == count:
            break
    return built


# -- scoring -------------------------------------------------------------------------------------
def score(comparison: Comparison, edits: Sequence[Edit]) -> tuple[int, set[int]]:
    """(false changes, the planted edits found) of one compare whose old side is the draft."""
    false = 0
    found: set[int] = set()
    for entry in comparison.entries:
        if entry.status == "unchanged":
            continue
        old = entry.old
        hits = {k for k, e in enumerate(edits) if old and old.char_start <= e.at <= old.char_end}
        found |= hits
        false += not hits
    return false, found


def measure(
    pairs: Sequence[tuple[str, Review, Review, Sequence[Edit]]],
) -> dict[str, Any]:
    """Strict and tolerant figures over ``(name, old, new, planted edits)`` pairs."""
    figures: dict[str, Any] = {"pairs": []}
    totals = {"strict": [0, 0], "tolerant": [0, 0]}  # false changes, found
    planted = ignored = 0
    for name, old, new, edits in pairs:
        row: dict[str, Any] = {"pair": name, "planted": len(edits)}
        for mode in ("strict", "tolerant"):
            comparison = compare(old, new, ocr_tolerant=mode == "tolerant")
            false, found = score(comparison, edits)
            totals[mode][0] += false
            totals[mode][1] += len(found)
            row[f"{mode}_false"] = false
            row[f"{mode}_found"] = sorted(edits[k].kind for k in found)
            if mode == "tolerant":
                row["ocr_ignored"] = comparison.counts.get("ocr_ignored", 0)
                ignored += row["ocr_ignored"]
        planted += len(edits)
        figures["pairs"].append(row)
        print(
            f"{name[:56]:56} false {row['strict_false']:3} → {row['tolerant_false']:3}  "
            f"found {len(row['strict_found'])}/{len(edits)} → {len(row['tolerant_found'])}/"
            f"{len(edits)}  ignored {row['ocr_ignored']}",
            flush=True,
        )
    for mode, (wrong, right) in totals.items():
        suffix = "" if mode == "tolerant" else "_strict"
        figures[f"compare_ocr_false_changes{suffix}"] = wrong
        figures[f"compare_ocr_recall{suffix}"] = round(right / planted, 4) if planted else None
    figures["compare_ocr_planted"] = planted
    figures["compare_ocr_ignored"] = ignored
    return figures


def run(quick: bool, seed: int, include_sample: bool = False) -> dict[str, Any]:
    """Build the pairs, review them (OCR on one process), and measure."""
    settings, engines = Settings().replace(use_llm=False, ocr_workers=1), Engines()

    def review(path: Path) -> Review:
        return analyse(path, settings=settings, engines=engines, with_llm=False)

    started = time.perf_counter()
    pairs: list[tuple[str, Review, Review, Sequence[Edit]]] = []
    with tempfile.TemporaryDirectory(prefix="bench-compare-ocr-") as tmp:
        built = build(Path(tmp), 2 if quick else 5, 3 if quick else 4, seed)
        for b in built:
            scan = review(b.scan)
            pairs.append((f"{b.name[:40]} draft→scan", review(b.draft), scan, b.edits))
            pairs.append((f"{b.name[:40]} pdf→scan", review(b.digital), scan, ()))
    if include_sample:
        scan = review(SAMPLES / "master_services_agreement_scanned.pdf")
        for suffix in ("docx", "pdf"):
            old = review(SAMPLES / f"master_services_agreement.{suffix}")
            pairs.append((f"sample {suffix}→scan", old, scan, ()))
    figures = measure(pairs)
    figures["compare_ocr_pages"] = sum(b.pages for b in built)
    figures["compare_ocr_s"] = round(time.perf_counter() - started, 1)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 contracts of 3 pages")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--seed", type=int, default=20, help="the pages' and edits' seed")
    parser.add_argument("--sample", action="store_true", help="the sample agreement's scan too")
    args = parser.parse_args()
    if not (degrade.CUAD / "contract_types.dev.csv").exists():
        print(f"CUAD development data not found at {degrade.CUAD}: nothing to measure")
        return 2
    figures = run(args.quick, args.seed, args.sample)
    pairs = figures.pop("pairs")
    report(figures, args.json, pairs=pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
