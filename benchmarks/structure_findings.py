"""Precision and recall of the two structure findings on 30 hand-labelled CUAD contracts.

    python -m benchmarks.structure_findings [--quick] [--json PATH] [--misses]

"Cross-reference to a section that does not exist" and "Signature block appears unsigned",
computed as a review computes them (the default playbook's conditions over the layout
stage), scored against tests/data/structure_findings.json (30 CUAD training-split
contracts; see westfall_legal/training/structure_gold.py for what counts). ``--quick``
scores the first 10 contracts; ``--misses`` lists every false alarm and miss.
Headline: ``dangling_precision``, ``dangling_recall``, ``unsigned_precision``,
``unsigned_recall``, ``contracts``.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a file (python benchmarks/NAME.py), not as python -m benchmarks.NAME
    sys.path.insert(0, str(ROOT))

from benchmarks._report import report  # noqa: E402
from westfall_legal.ingest.document import load_document  # noqa: E402
from westfall_legal.training import structure_gold  # noqa: E402

CUAD = ROOT.parent / "shared" / "data" / "cuad"
LABELS = ROOT / "tests" / "data" / "structure_findings.json"


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def one(path: Path) -> structure_gold.Found:
    return structure_gold.findings_of(load_document(path), structure_gold.default_playbook())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the first 10 contracts only")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--misses", action="store_true", help="list false alarms and misses")
    parser.add_argument("--cuad", type=Path, default=CUAD, help="the CUAD folder")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    pdf_root = args.cuad / "full_contract_pdf"
    if not pdf_root.exists():
        print(f"skipped: {pdf_root} not found (CUAD is only on development machines)")
        return 0
    labels = structure_gold.load_labels(args.labels)
    files = sorted(labels)[:10] if args.quick else sorted(labels)
    pdfs = {_nfc(p.name): p for p in pdf_root.rglob("*") if p.suffix.lower() == ".pdf"}
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        found = list(pool.map(one, [pdfs[_nfc(f)] for f in files]))
    total = structure_gold.Score()
    per: dict[str, dict[str, float | None]] = {}
    print(f"{'contract':52} {'flagged':>7} {'real':>4} {'unsigned':>8} {'right':>5}")
    for file, f in zip(files, found, strict=True):
        s = structure_gold.score(file, labels[file], f)
        per[file] = s.figures()
        total.add(s)
        print(f"{file[:52]:52} {s.flagged_refs:>7} {s.true_refs:>4} "
              f"{s.unsigned_blocks:>8} {s.true_blocks:>5}")  # fmt: skip
    figures = total.figures()
    print(
        f"dangling: {total.flagged_refs} flagged, {total.true_refs} real, "
        f"{total.found_refs}/{total.gold_refs} real ones found; unsigned: "
        f"{total.unsigned_blocks} flagged, {total.true_blocks} right, "
        f"{total.found_unsigned}/{total.gold_unsigned} unsigned lines found"
    )
    if args.misses:
        print("\n".join(total.misses))
    report({**figures, "contracts": len(files)}, args.json, contracts=per)
    return 0


if __name__ == "__main__":
    sys.exit(main())
