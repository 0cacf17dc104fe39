"""Speed of a full review (no LLM) of born-digital contracts, stage by stage.

    python -m benchmarks.review [--quick] [--json PATH] [--encoder NAME]

Runs the real pipeline (PyMuPDF, layout, the shipped clause model) on the sample contract
and on CUAD PDFs from ../shared/data/cuad (skipped with a message where absent), a few
times each, and reports medians. Headline: ``seconds_per_30_pages`` (the issue's target is
at most 5 s for a 30-page contract) and ``pages_per_s``.

With ``--encoder NAME`` (a clause-encoder folder, as the ``clause_encoder`` setting names
it) every document is also reviewed with the encoder stacked, in the same run, side by side:
``encoder_s_per_30_pages`` against ``ngram_s_per_30_pages``, the process's peak memory
after each, and the encoder's tokens per second through llama.cpp against the same model
in transformers on the same candidates (``tokens_per_s``, ``llama_to_torch``).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a file (python benchmarks/NAME.py), not as python -m benchmarks.NAME
    sys.path.insert(0, str(ROOT))

from benchmarks._report import report  # noqa: E402
from westfall_legal.pipeline import Engines, analyse  # noqa: E402
from westfall_legal.settings import Settings  # noqa: E402

CUAD_PDFS = ROOT.parent / "shared" / "data" / "cuad" / "full_contract_pdf"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer documents and repeats")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--encoder", help="also time reviews with this clause encoder")
    parser.add_argument("--reference", type=Path,
                        help="the trained encoder in transformers format (a run's final/), "
                        "for the llama.cpp : transformers speed ratio")  # fmt: skip
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    files = [ROOT / "resources" / "samples" / "master_services_agreement.pdf"]
    if CUAD_PDFS.exists():
        cuad = sorted(p for p in CUAD_PDFS.rglob("*") if p.suffix.lower() == ".pdf")
        step = max(1, len(cuad) // (5 if args.quick else 20))
        files += cuad[::step]
    else:
        print(f"note: {CUAD_PDFS} not found; timing the sample only")
    settings = Settings(use_llm=False)  # the target excludes the LLM summary
    if args.encoder:
        with_encoder = settings.replace(clause_encoder=args.encoder)
        return _encoder(files, with_encoder, repeats, args.json, args.reference)
    rows = _timed(files, Engines(), settings, repeats)
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


def _timed(
    files: list[Path], engines: Engines, settings: Settings, repeats: int
) -> list[dict[str, Any]]:
    """Median seconds and stage seconds per document (the first review warms the caches)."""
    analyse(files[0], engines=engines, settings=settings)  # load the models, warm caches
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
    return rows


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _encoder(
    files: list[Path], settings: Settings, repeats: int, out: Path | None, reference: Path | None
) -> int:
    """The n-gram model alone, then stacked with the encoder, on the same documents."""
    plain = _timed(files, Engines(), settings.replace(clause_encoder=""), repeats)
    plain_peak = _peak_mb()
    engines = Engines()
    stacked = _timed(files, engines, settings, repeats)
    if engines.encoder_note:
        print(f"the encoder was not used: {engines.encoder_note}")
        return 1
    stacked_peak = _peak_mb()
    pages = sum(r["pages"] for r in plain)
    print(f"{'document':50} {'pages':>5} {'n-gram s':>9} {'stacked s':>9}")
    for a, b in zip(plain, stacked, strict=True):
        print(f"{a['file'][:50]:50} {a['pages']:5} {a['seconds']:9.3f} {b['seconds']:9.3f}")
    tokens = _tokens_per_s(files[-1], settings, reference)
    headline = {
        "ngram_s_per_30_pages": round(30 * sum(r["seconds"] for r in plain) / pages, 3),
        "encoder_s_per_30_pages": round(30 * sum(r["seconds"] for r in stacked) / pages, 3),
        "ngram_peak_mb": round(plain_peak, 1),
        "encoder_peak_mb": round(stacked_peak, 1),
        **tokens,
        "documents": len(plain),
    }
    report(
        headline,
        out,
        rows=[{"ngram": a, "stacked": b} for a, b in zip(plain, stacked, strict=True)],
    )
    return 0


def _tokens_per_s(path: Path, settings: Settings, reference: Path | None) -> dict[str, float]:
    """The encoder's tokens per second on one document's candidates: llama.cpp (the app's
    run time), and against transformers (training's) on the same inputs where ``reference``
    is given; one thread each."""
    from westfall_legal.analysis.segment import segment
    from westfall_legal.ingest.document import load_document
    from westfall_legal.layout.sections import build_sections
    from westfall_legal.layout.text import build_text
    from westfall_legal.llm.encoder import ClauseEncoder, candidate_input
    from westfall_legal.pipeline import clause_model_dir
    from westfall_legal.training.encoder.train import torch_scores

    doc_text = build_text(load_document(path))
    segments = segment(doc_text, build_sections(doc_text))
    texts = [doc_text.text[s.char_start : s.char_end] for s in segments]
    heads = [s.heading for s in segments]
    folder = clause_model_dir(settings.clause_encoder)
    encoder = ClauseEncoder(folder, quant=settings.encoder_quant, threads=1)
    inputs = [candidate_input(h, t, encoder.max_words) for t, h in zip(texts, heads, strict=True)]
    count = encoder.engine.count_tokens(inputs)
    start = time.perf_counter()
    encoder.probabilities(texts, heads)
    llama = count / (time.perf_counter() - start)
    print(f"{len(texts)} candidates, {count} tokens: llama.cpp {llama:.0f} tokens/s")
    figures = {"tokens_per_s": round(llama, 1)}
    if reference is not None:
        start = time.perf_counter()
        torch_scores(reference, inputs, max_tokens=encoder.max_tokens, threads=1)
        torch = count / (time.perf_counter() - start)
        print(f"transformers on the same inputs: {torch:.0f} tokens/s")
        figures |= {
            "torch_tokens_per_s": round(torch, 1),
            "llama_to_torch": round(llama / torch, 3),
        }
    return figures


if __name__ == "__main__":
    sys.exit(main())
