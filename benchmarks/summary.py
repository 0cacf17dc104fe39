"""Quoted summaries with the default model, and the faithfulness checker's figures.

    python -m benchmarks.summary [--quick] [--json PATH]

Reviews CUAD's 70 validation contracts (``--quick``: the first 5) from their PDFs with the
active model in quotation mode, and reports: the share of the model's first answers that
pass the quotation check (``quote_pass_rate``), the share of picked key sections that end
with a line (``sections_covered``), the median seconds per contract for the summary
(``summary_s``), and that every shown quotation passes the check (``failing_lines``, which
must be 0). Then the checker's precision and recall on the faithfulness set's test half
(its rules were tuned on the dev half): ``checker_precision``, ``checker_recall``.
Needs ../shared/data/cuad; run `westfall models install-default` first.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a file (python benchmarks/NAME.py), not as python -m benchmarks.NAME
    sys.path.insert(0, str(ROOT))

from benchmarks._report import report  # noqa: E402
from westfall_legal.llm.faithfulness import load_set, measure  # noqa: E402
from westfall_legal.llm.quote import check_quote  # noqa: E402
from westfall_legal.llm.summary import quotable  # noqa: E402
from westfall_legal.models import Clause, Section  # noqa: E402
from westfall_legal.pipeline import Engines, analyse  # noqa: E402
from westfall_legal.settings import load  # noqa: E402
from westfall_legal.training.cuad import read_gold, validation_split  # noqa: E402

CUAD = ROOT.parent / "shared" / "data" / "cuad"


def _source(clause: Clause, sections: dict[str, Section], text: str) -> str:
    """The words a line may quote: the clause's, or for a heading-only clause the words under
    its heading (``summary.quotable``)."""
    return quotable(clause, sections.get(clause.section or ""), text).text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 contracts, not 70")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    if not (CUAD / "labels.dev.jsonl").exists():
        print(f"no CUAD data at {CUAD}: nothing to measure")
        return 2
    gold = {c.name: c for c in read_gold(CUAD / "labels.dev.jsonl")}
    _, names = validation_split(list(gold.values()))
    names = names[:5] if args.quick else names
    settings = load().replace(summary_mode="quote")
    engines = Engines()
    asked = passed = lines = failing = 0
    seconds: list[float] = []
    per: list[dict[str, object]] = []
    print(f"{'contract':48} {'asked':>5} {'model':>5} {'lines':>5} {'s':>6}")
    for name in names:
        path = gold[name].pdf_path
        started = time.perf_counter()
        review = analyse(path, settings=settings, engines=engines)
        summary = review.summary
        if summary is None or summary.model_id is None:
            print(f"{name[:48]:48} no model summary ({summary.note if summary else 'none'})")
            continue
        clauses = {c.id: c for c in review.clauses}
        sections = {x.id: x for x in review.sections}
        quotes = [s for s in summary.sentences if s.quote is not None]
        bad = sum(check_quote(s.quote or "", _source(clauses[s.clause_ids[0]], sections,
                                                     review.doc_text.text)) is None
                  for s in quotes)  # fmt: skip
        asked, passed = asked + summary.asked, passed + summary.passed
        lines, failing = lines + len(quotes), failing + bad
        seconds.append(summary.seconds)
        per.append(
            {"contract": name, "asked": summary.asked, "passed": summary.passed,
             "lines": len(quotes), "failing": bad, "summary_s": summary.seconds,
             "review_s": round(time.perf_counter() - started, 2)}
        )  # fmt: skip
        print(f"{name[:48]:48} {summary.asked:5} {summary.passed:5} {len(quotes):5} "
              f"{summary.seconds:6.1f}")  # fmt: skip
    test = measure(r for r in load_set() if r.split == "test")
    headline = {
        "quote_pass_rate": round(passed / asked, 3) if asked else None,
        "sections_covered": round(lines / asked, 3) if asked else None,
        "summary_s": round(statistics.median(seconds), 2) if seconds else None,
        "checker_precision": round(test.precision, 3),
        "checker_recall": round(test.recall, 3),
        "failing_lines": failing,
        "contracts": len(per),
    }
    print(
        f"{len(per)} contracts: {passed}/{asked} first answers passed the quotation check, "
        f"{lines}/{asked} key sections have a line, {failing} shown lines fail the check; "
        f"checker on the set's test half ({test.rows} rows): precision {test.precision:.3f}, "
        f"recall {test.recall:.3f}"
    )
    report(headline, args.json, contracts=per, checker_by_kind=test.by_kind)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
