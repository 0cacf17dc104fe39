"""Speed and robustness of the layout stage on CUAD's PDFs.

    python -m benchmarks.layout [--quick] [--json PATH]
    python -m benchmarks.layout --gold [--scan] [--misses] [--json PATH]

Each PDF is read by the ingest stage (not timed; it finds the ruled tables), then the whole
layout stage is timed: the document text with provenance, reading order, running heads,
tables, the section tree, definitions, cross-references and signature blocks. Every
exception counts as an error: the figure to hold is zero errors over all 470 contracts.
Headline: ``pages_per_s`` (layout only), ``errors``, ``documents``, ``tables``.

``--gold`` scores the layout instead, against the hand-made gold set in
tests/data/layout_gold.json (12 CUAD contracts) and the sample agreement's true structure
(resources/samples/generate.py): section precision/recall (number and title; ``P#``/``R#``
on number alone), cross-reference resolution accuracy and definition recall, per contract
and in total. ``--scan`` adds the scanned sample (OCR, a few minutes); ``--misses`` lists
what was missed.

``--edgar`` scores the EDGAR gold set (tests/data/layout_gold_edgar.json: 52 development
contracts, the layout families of issue 26; one is a scan, OCR'd in about two minutes):
per contract, per layout family, and for the ``tune`` and ``heldout`` halves (the held-out
contracts' misses were not read while the rules were tuned). Headline: ``section_recall``,
``section_precision``, ``xref_resolved`` (internal references that resolve) and
``external_as_dangling`` (external references called dangling; target 0) over the whole
set, and the same four for the held-out part. ``--gold --edgar`` does both.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a file (python benchmarks/NAME.py), not as python -m benchmarks.NAME
    sys.path.insert(0, str(ROOT))

from benchmarks._report import report  # noqa: E402
from westfall_legal.ingest.document import load_document  # noqa: E402
from westfall_legal.layout.definitions import find_definitions  # noqa: E402
from westfall_legal.layout.sections import build_sections  # noqa: E402
from westfall_legal.layout.signatures import find_signature_blocks  # noqa: E402
from westfall_legal.layout.text import build_text  # noqa: E402
from westfall_legal.layout.xrefs import find_cross_references  # noqa: E402
from westfall_legal.training import layout_gold  # noqa: E402
from westfall_legal.training.layout_gold import nfc  # noqa: E402

CUAD_PDFS = ROOT.parent / "shared" / "data" / "cuad" / "full_contract_pdf"
GOLD = ROOT / "tests" / "data" / "layout_gold.json"
EDGAR_GOLD = ROOT / "tests" / "data" / "layout_gold_edgar.json"
SAMPLES = ROOT / "resources" / "samples"


def one(path: Path) -> dict[str, Any]:
    row: dict[str, Any] = {"file": path.name, "pages": 0, "seconds": 0.0, "error": None}
    try:
        doc = load_document(path)
        row["pages"] = len(doc.pages)
        start = time.perf_counter()
        text = build_text(doc)
        sections = build_sections(text)
        definitions = find_definitions(text, sections)
        xrefs = find_cross_references(text, sections)
        blocks = find_signature_blocks(text)
        row["seconds"] = time.perf_counter() - start
        row.update(
            sections=len(sections),
            definitions=len(definitions),
            cross_references=len(xrefs),
            dangling=sum(x.target is None for x in xrefs),
            signature_blocks=len(blocks),
            tables=len(text.tables),
        )
    except Exception as exc:  # the benchmark counts every failure
        row["error"] = f"{type(exc).__name__}: {exc}"
        row["trace"] = traceback.format_exc(limit=3)
    return row


def _sample_truth() -> dict[str, list[tuple[str, str | None]]]:
    sys.path.insert(0, str(SAMPLES))
    import generate  # type: ignore[import-not-found]  # resources/samples/generate.py

    truth: dict[str, list[tuple[str, str | None]]] = generate.true_structure()
    return truth


def _headline(score: layout_gold.Score) -> dict[str, Any]:
    f = score.figures()
    keys = ("section_recall", "section_precision", "xref_resolved", "external_as_dangling")
    return {k: f[k] for k in keys}


def _edgar_headline(found: dict[str, Any]) -> dict[str, Any]:
    return {**found["headline"], **{f"heldout_{k}": v for k, v in found["heldout"].items()}}


def edgar(args: argparse.Namespace) -> dict[str, Any]:
    """The EDGAR gold set: per contract, per family, tune and held-out halves."""
    pdfs = layout_gold.pdfs_by_name(CUAD_PDFS)
    contracts = layout_gold.load_gold(EDGAR_GOLD)
    if args.split:
        contracts = [c for c in contracts if c.split == args.split]
    scored: list[tuple[layout_gold.GoldContract, layout_gold.Score]] = []
    print(layout_gold.HEADER + "  split")
    for i, contract in enumerate(contracts, 1):
        found = layout_gold.structure_of(load_document(pdfs[nfc(contract.file)], workers=1))
        score = layout_gold.score(contract, found)
        scored.append((contract, score))
        print(layout_gold.row(contract.file, contract.kind, score), f" {contract.split}")
        print(f"  [{i}/{len(contracts)}]", file=sys.stderr, flush=True)
    total = layout_gold.Score()
    halves = {"tune": layout_gold.Score(), "heldout": layout_gold.Score()}
    for contract, score in scored:
        total.add(score)
        halves.setdefault(contract.split, layout_gold.Score()).add(score)
    print(layout_gold.row(f"EDGAR gold set ({len(scored)} contracts)", "", total))
    for name, half in halves.items():
        print(layout_gold.row(f"  {name}", "", half))
    families = layout_gold.by_family(scored)
    counts = {f: sum(f in c.families for c, _ in scored) for f in families}
    print("\n" + layout_gold.FAMILY_HEADER)
    for name, fam in families.items():
        print(layout_gold.family_row(name, counts[name], fam))
    if args.misses:
        print("\n".join(total.misses))
    return {
        "headline": _headline(total),
        "heldout": _headline(halves["heldout"]),
        "tune": _headline(halves["tune"]),
        "total": total.figures(),
        "families": {n: {"contracts": counts[n], **f.figures()} for n, f in families.items()},
        "contracts": {c.file: s.figures() for c, s in scored},
    }


def gold(args: argparse.Namespace) -> int:
    """Section P/R, cross-reference accuracy and definition recall against the gold sets."""
    if args.edgar:
        if not CUAD_PDFS.exists():
            print(f"skipped: {CUAD_PDFS} not found (CUAD is only on development machines)")
            return 0
        edgar_found = edgar(args)
        if not args.gold:
            report(_edgar_headline(edgar_found), args.json, edgar=edgar_found)
            return 0
    runs: list[tuple[layout_gold.GoldContract, Path]] = []
    if CUAD_PDFS.exists():
        pdfs = {p.name: p for p in CUAD_PDFS.rglob("*") if p.suffix.lower() == ".pdf"}
        runs += [(c, pdfs[c.file]) for c in layout_gold.load_gold(GOLD)]
    else:
        print(f"note: {CUAD_PDFS} not found; scoring the sample only")
    truth = _sample_truth()
    names = ["master_services_agreement.pdf"]
    if args.scan:
        names.append("master_services_agreement_scanned.pdf")
    runs += [(layout_gold.sample_gold(n, truth), SAMPLES / n) for n in names]
    total = layout_gold.Score()
    figures: dict[str, dict[str, float | None]] = {}
    print(layout_gold.HEADER)
    for contract, path in runs:
        found = layout_gold.structure_of(load_document(path))
        score = layout_gold.score(contract, found)
        figures[contract.file] = score.figures()
        print(layout_gold.row(contract.file, contract.kind, score))
        if contract.file.startswith("master_services"):
            continue  # the CUAD total is the gold set's; the sample is reported on its own
        total.add(score)
    print(layout_gold.row("CUAD gold set (12 contracts)", "", total))
    if args.misses:
        print("\n".join(total.misses))
    if args.edgar:
        cuad = total.figures()
        report(
            _edgar_headline(edgar_found), args.json, cuad=cuad, contracts=figures, edgar=edgar_found
        )
    else:
        report({"cuad": total.figures()}, args.json, contracts=figures)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every 10th contract only")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gold", action="store_true", help="score against the gold sets")
    parser.add_argument("--scan", action="store_true", help="--gold: add the scanned sample")
    parser.add_argument("--misses", action="store_true", help="--gold: list the misses")
    parser.add_argument("--edgar", action="store_true", help="score the EDGAR gold set")
    parser.add_argument("--split", choices=("tune", "heldout"), help="--edgar: one half only")
    args = parser.parse_args()
    if args.gold or args.edgar:
        return gold(args)
    if not CUAD_PDFS.exists():
        print(f"skipped: {CUAD_PDFS} not found (CUAD is only on development machines)")
        return 0
    files = sorted(p for p in CUAD_PDFS.rglob("*") if p.suffix.lower() == ".pdf")
    if args.quick:
        files = files[::10]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        rows = list(pool.map(one, files, chunksize=4))
    ok = [r for r in rows if r["error"] is None]
    errors = [r for r in rows if r["error"] is not None]
    pages = sum(int(r["pages"]) for r in ok)
    seconds = sum(float(r["seconds"]) for r in ok)
    worst = sorted(ok, key=lambda r: -float(r["seconds"]))[:5]
    print(f"{'slowest documents':60} {'pages':>5} {'s':>7} {'sections':>8} {'xrefs':>6}")
    for r in worst:
        print(f"{str(r['file'])[:60]:60} {r['pages']:>5} {float(r['seconds']):7.3f} "
              f"{r['sections']:>8} {r['cross_references']:>6}")  # fmt: skip
    for r in errors:
        print(f"ERROR {r['file']}: {r['error']}\n{r['trace']}")
    headline = {
        "pages_per_s": round(pages / seconds, 1) if seconds else None,
        "errors": len(errors),
        "documents": len(rows),
        "pages": pages,
        "worst_seconds": round(float(worst[0]["seconds"]), 3) if worst else None,
        "tables": sum(int(r["tables"]) for r in ok),
        "documents_with_tables": sum(1 for r in ok if int(r["tables"])),
        "dangling_share": round(
            sum(int(r["dangling"]) for r in ok)
            / max(1, sum(int(r["cross_references"]) for r in ok)),
            3,
        ),
    }
    report(headline, args.json, rows=rows)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
