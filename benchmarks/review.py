"""Speed of a full review (no LLM) of born-digital contracts, stage by stage.

    python benchmarks/review.py [--quick] [--json PATH]

Runs the real pipeline (PyMuPDF, layout, the shipped clause model) on the sample contract
and on CUAD PDFs from ../shared/data/cuad (skipped with a message where absent), a few
times each, and reports medians. Headline: ``seconds_per_30_pages`` (the issue's target is
at most 5 s for a 30-page contract) and ``pages_per_s``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _report import report  # noqa: E402  (benchmarks/ is the script's own folder)

from westfall_legal.pipeline import Engines, analyse  # noqa: E402
from westfall_legal.settings import Settings  # noqa: E402

CUAD_PDFS = ROOT.parent / "shared" / "data" / "cuad" / "full_contract_pdf"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer documents and repeats")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    files = [ROOT / "resources" / "samples" / "master_services_agreement.pdf"]
    if CUAD_PDFS.exists():
        cuad = sorted(p for p in CUAD_PDFS.rglob("*") if p.suffix.lower() == ".pdf")
        step = max(1, len(cuad) // (5 if args.quick else 20))
        files += cuad[::step]
    else:
        print(f"note: {CUAD_PDFS} not found; timing the sample only")
    engines = Engines()
    settings = Settings(use_llm=False)  # the target excludes the LLM summary
    analyse(files[0], engines=engines, settings=settings)  # load the model, warm caches
    rows = []
    for path in files:
        times, stages = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            review = analyse(path, engines=engines, settings=settings)
            times.append(time.perf_counter() - start)
            stages.append(review.timings)
        pages = len(review.document.pages)
        median = statistics.median(times)
        stage_median = {k: statistics.median(s[k] for s in stages) for k in stages[0]}
        rows.append({"file": path.name, "pages": pages, "seconds": median, **stage_median})
    print(f"{'document':50} {'pages':>5} {'s':>7} {'ingest':>7} {'layout':>7} {'analysis':>8}")
    for r in rows:
        print(f"{r['file'][:50]:50} {r['pages']:5} {r['seconds']:7.3f} {r['ingest']:7.3f} "
              f"{r['layout']:7.3f} {r['analysis']:8.3f}")  # fmt: skip
    total_pages = sum(r["pages"] for r in rows)
    total_s = sum(r["seconds"] for r in rows)
    per_page = total_s / total_pages
    headline = {
        "seconds_per_30_pages": round(30 * per_page, 3),
        "pages_per_s": round(total_pages / total_s, 2),
        "worst_seconds_per_page": round(max(r["seconds"] / r["pages"] for r in rows), 4),
        "documents": len(rows),
    }
    report(headline, args.json, rows=rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
