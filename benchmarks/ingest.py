"""Speed of the ingest stage on born-digital PDFs, against bare PyMuPDF word extraction.

    python -m benchmarks.ingest [--quick] [--json PATH]

For each file (the sample contract, and CUAD PDFs from ../shared/data/cuad/full_contract_pdf
where present; --quick takes fewer), times ``load_document`` (open and check the file, every
page's words with boxes, the image-coverage and garbage checks that decide text layer vs
OCR, the sha256 of the file) against the bare minimum, ``pymupdf.open`` and
``page.get_text("words")`` on every page. The two alternate, several times each; medians.
Files with a page that would need OCR are left out (this measures the text-layer path; see
benchmarks/ocr.py for OCR). Headline: ``ratio`` (bare pages/s / ingest pages/s: how many
times slower the ingest stage is than bare extraction) and ``pages_per_s`` (ingest).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import pymupdf

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a file (python benchmarks/NAME.py), not as python -m benchmarks.NAME
    sys.path.insert(0, str(ROOT))

from benchmarks._report import report  # noqa: E402
from westfall_legal.errors import KnownError  # noqa: E402
from westfall_legal.ingest.document import load_document  # noqa: E402
from westfall_legal.models import Page  # noqa: E402

SAMPLE = ROOT / "resources" / "samples" / "master_services_agreement.pdf"
CUAD_PDFS = ROOT.parent / "shared" / "data" / "cuad" / "full_contract_pdf"


class NeedsOcr(Exception):
    pass


class RefuseOcr:
    """An OCR engine that stops the document: the file has a page without a text layer."""

    def recognise(
        self, path: Path, number: int, width: float, height: float, password: str | None
    ) -> Page:
        raise NeedsOcr(f"{path.name}: page {number} needs OCR")


def bare(path: Path) -> int:
    words = 0
    with pymupdf.open(path) as doc:
        for page in doc:
            words += len(page.get_text("words"))
    return words


def ingest(path: Path) -> int:
    doc = load_document(path, ocr=RefuseOcr(), workers=1)
    return sum(len(p.words) for p in doc.pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer documents and repeats")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    repeats = 3 if args.quick else 5
    files = [SAMPLE]
    if CUAD_PDFS.exists():
        cuad = sorted(p for p in CUAD_PDFS.rglob("*") if p.suffix.lower() == ".pdf")
        step = max(1, len(cuad) // (5 if args.quick else 30))
        files += cuad[::step]
    else:
        print(f"note: {CUAD_PDFS} not found; timing the sample only")
    rows: list[dict[str, Any]] = []
    skipped: list[str] = []
    for path in files:
        try:
            words = ingest(path)  # also warms the OS file cache for both
        except (NeedsOcr, KnownError) as exc:
            skipped.append(str(exc))
            continue
        with pymupdf.open(path) as doc:
            pages = doc.page_count
        bare_s: list[float] = []
        ingest_s: list[float] = []
        for n in range(repeats):
            for which in ("bare", "ingest") if n % 2 == 0 else ("ingest", "bare"):
                start = time.perf_counter()
                if which == "bare":
                    bare(path)
                else:
                    ingest(path)
                (bare_s if which == "bare" else ingest_s).append(time.perf_counter() - start)
        rows.append(
            {
                "file": path.name,
                "pages": pages,
                "words": words,
                "bare_s": statistics.median(bare_s),
                "ingest_s": statistics.median(ingest_s),
            }
        )
    for reason in skipped:
        print(f"skipped (scanned pages): {reason}")
    print(f"{'document':50} {'pages':>5} {'bare s':>7} {'ingest s':>8} {'x':>5}")
    for r in rows:
        slowdown = r["ingest_s"] / r["bare_s"]
        print(f"{r['file'][:50]:50} {r['pages']:5} {r['bare_s']:7.3f} {r['ingest_s']:8.3f} "
              f"{slowdown:5.2f}")  # fmt: skip
    pages = sum(r["pages"] for r in rows)
    bare_pps = pages / sum(r["bare_s"] for r in rows)
    ingest_pps = pages / sum(r["ingest_s"] for r in rows)
    headline = {
        "ratio": round(bare_pps / ingest_pps, 3),
        "pages_per_s": round(ingest_pps, 1),
        "bare_pages_per_s": round(bare_pps, 1),
        "pages": pages,
        "documents": len(rows),
        "skipped_scanned": len(skipped),
        "repeats": repeats,
    }
    report(headline, args.json, rows=rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
