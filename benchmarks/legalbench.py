"""LegalBench's 38 cuad_* tasks through the clause model, clause by clause, and its time.

    python -m benchmarks.legalbench [--quick] [--json PATH]

Runs what ``westfall evaluate --legalbench ../shared/data/legalbench`` runs (``--quick``: the
first 5 tasks) and reports the macro balanced accuracy per stage on all rows and on the
unseen rows (those whose text does not occur in the 400 CUAD contracts the model trained on;
threshold chosen on each task's train rows), the shipped score at the model's own CUAD
thresholds, unfair_tos coverage by the playbook's rules, and the seconds (wall and CPU) for
the tasks. Definitions: docs/accuracy.md. Needs ../shared/data/legalbench and ../shared/data/cuad.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a file (python benchmarks/NAME.py), not as python -m benchmarks.NAME
    sys.path.insert(0, str(ROOT))

from benchmarks._report import report  # noqa: E402
from westfall_legal.training.legalbench_report import legalbench_report  # noqa: E402

LEGALBENCH = ROOT.parent / "shared" / "data" / "legalbench"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 tasks, not 38")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    if not (LEGALBENCH / "cuad_insurance" / "test.tsv").exists():
        print(f"no LegalBench task files at {LEGALBENCH}: nothing to measure")
        return 2
    only = sorted(p.name for p in LEGALBENCH.glob("cuad_*"))[:5] if args.quick else None
    lb = legalbench_report(LEGALBENCH, only=only, quiet=True)
    macro = lb["macro"]
    unseen_cuad = macro["shipped"].get("unseen_cuad", {})
    headline = {
        "tasks": len(lb["tasks"]),
        "rows": lb["rows"],
        "seen_rows": lb["seen"]["rows"],
        **{
            f"{stage}_ba_{part}": parts.get(part, {}).get("balanced_accuracy")
            for stage, parts in macro.items()
            if stage != "shipped"
            for part in ("train", "unseen")
        },
        "shipped_cuad_threshold_ba": macro["shipped"]["cuad"]["balanced_accuracy"],
        "shipped_cuad_threshold_ba_unseen": unseen_cuad.get("balanced_accuracy"),
        "unfair_tos_rows_covered": lb.get("unfair_tos", {}).get("unfair_rows_covered"),
        "seconds": lb["seconds"],
        "cpu_seconds": lb["cpu_seconds"],
    }
    report(headline, args.json, legalbench=lb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
