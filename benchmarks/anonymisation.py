"""Anonymisation of feedback bundles: recall of names on CUAD validation contracts, leaks.

    python -m benchmarks.anonymisation [--quick] [--json PATH] [--misses]

Scores against the hand-made list in tests/data/anonymisation_names.json (the organisations
and people named in 15 of CUAD's 70 validation contracts, read by hand): each contract's
text is anonymised as a one-document export does it, from its text alone. A name is caught
when none of its occurrences remains (case aside, any whitespace, whole words). Also counted:
organisation and person spans replaced that are no listed name (the cost in context), and
what the export's leak check would still report (an export it reports on is refused).

The sample contract (resources/samples) is read through the app's ingest and layout stages
and anonymised with its signature blocks, as an export does; its names are the generator's
(resources/samples/generate.py). Without ``--quick``, the other 55 validation contracts are
anonymised too, for speed, replacements per kind and leak-check reports (no recall: their
names are not listed).

Headline: ``recall`` (CUAD list), ``names``, ``missed``, ``sample_leaks`` (sample names left
plus leak-check reports), ``replaced_not_names`` / ``replaced_name_spans`` (on the 15),
``leak_check_reports`` (CUAD), ``mb_per_s``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a file (python benchmarks/NAME.py), not as python -m benchmarks.NAME
    sys.path.insert(0, str(ROOT))

from benchmarks._report import report  # noqa: E402
from westfall_legal.feedback.anonymise import Anonymiser  # noqa: E402
from westfall_legal.training import anonymisation_gold as gold  # noqa: E402

CUAD = ROOT.parent / "shared" / "data" / "cuad"
NAMES = ROOT / "tests" / "data" / "anonymisation_names.json"
SPLIT = ROOT / "westfall_legal" / "data" / "models" / "clauses-v1" / "validation_split.txt"
SAMPLE = ROOT / "resources" / "samples" / "master_services_agreement.pdf"
# The sample's names (resources/samples/generate.py: PROVIDER, CUSTOMER, SIGNATORIES,
# SCHEDULE_1 part C), with the short forms its text uses.
SAMPLE_NAMES = (
    "Halloran Pike Digital Services, Inc.", "Halloran Pike", "Wexcombe Provisions Corporation",
    "Wexcombe", "Calloway Larder Group, Inc.", "Brightmere Pantry Holdings LLC",
    "Ostrander Fine Foods Corporation", "Margaret A. Lindqvist", "Theodore R. Asante",
)  # fmt: skip


def _texts() -> dict[str, Path]:
    """CUAD file name -> its .txt."""
    out = {}
    for line in (CUAD / "labels.dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[row["filename"]] = CUAD / row["txt_file"]
    return out


def sample() -> dict[str, object]:
    """The sample read as the app reads it, anonymised with its signature blocks."""
    from westfall_legal.ingest.document import load_document
    from westfall_legal.layout.signatures import find_signature_blocks
    from westfall_legal.layout.text import build_text

    text = build_text(load_document(SAMPLE))
    blocks = [{"party": b.party, "signatory": b.signatory} for b in find_signature_blocks(text)]
    anonymiser = Anonymiser()
    anonymiser.learn(text.text, {"structure": {"signature_blocks": blocks}})
    done = anonymiser.text(text.text).text
    left = [n for n in SAMPLE_NAMES if gold.occurrences(n, done)]
    absent = [n for n in SAMPLE_NAMES if not gold.occurrences(n, text.text)]
    checked = anonymiser.leaks(done)
    return {"names": len(SAMPLE_NAMES), "left": left, "absent_from_text": absent,
            "leak_check": checked, "leaks": len(left) + len(checked)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the 15 listed contracts only")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--misses", action="store_true", help="list misses and non-names")
    args = parser.parse_args()
    sample_figures = sample()
    print(f"sample contract: {sample_figures['names']} names, leaks {sample_figures['leaks']}"
          f" {sample_figures['left']} {sample_figures['leak_check']}")  # fmt: skip
    if not (CUAD / "labels.dev.jsonl").exists():
        print(f"skipped CUAD: {CUAD} not found (CUAD is only on development machines)")
        report({"sample_leaks": sample_figures["leaks"]}, args.json, sample=sample_figures)
        return 0
    texts = _texts()
    listed = gold.load_gold(NAMES)
    total = gold.Score()
    seconds = 0.0
    contracts: dict[str, object] = {}
    print(f"{'contract':58} {'names':>5} {'caught':>6} {'recall':>6} {'spans':>5} {'not':>4}")

    def row(label: str, score: gold.Score) -> str:
        not_names = sum(score.not_names.values())
        return (f"{label[:58]:58} {score.names:>5} {score.caught:>6} {score.recall:6.3f} "
                f"{score.replaced:>5} {not_names:>4}")  # fmt: skip

    for contract in listed:
        text = texts[contract.file].read_text(encoding="utf-8")
        start = time.perf_counter()
        result, _ = gold.score(text, contract.names)
        seconds += time.perf_counter() - start
        total.add(result)
        contracts[contract.file] = {**result.figures(), "not_names": dict(result.not_names)}
        print(row(contract.file, result))
    print(row(f"all {len(listed)} listed contracts", total))
    others: dict[str, object] = {}
    if not args.quick:
        others = _the_others(texts, {c.file for c in listed})
        seconds += float(others.pop("seconds"))  # type: ignore[arg-type]
    characters = total.characters + int(others.get("characters", 0))  # type: ignore[call-overload]
    if args.misses:
        print("missed:", total.missed)
        print("replaced, not a listed name:", dict(total.not_names.most_common()))
        print("leak check on the 15:", total.leak_check)
    headline = {
        "recall": round(total.recall, 4),
        "names": total.names,
        "missed": len(total.missed),
        "sample_leaks": sample_figures["leaks"],
        "replaced_name_spans": total.replaced,
        "replaced_not_names": sum(total.not_names.values()),
        "leak_check_reports": len(total.leak_check) + int(others.get("leak_check_reports", 0)),  # type: ignore[call-overload]
        "mb_per_s": round(characters / 1e6 / seconds, 3) if seconds else None,
    }
    report(headline, args.json, sample=sample_figures, cuad=total.figures(),
           contracts=contracts, not_names=dict(total.not_names.most_common()),
           other_validation=others)  # fmt: skip
    return 0


def _the_others(texts: dict[str, Path], listed: set[str]) -> dict[str, object]:
    """The validation contracts not listed: replacements per kind, leak-check reports."""
    names = [n.strip() for n in SPLIT.read_text(encoding="utf-8").splitlines() if n.strip()]
    kinds: Counter[str] = Counter()
    reports: dict[str, list[str]] = {}
    seconds = 0.0
    characters = 0
    for name in names:
        if name in listed:
            continue
        text = texts[name].read_text(encoding="utf-8")
        start = time.perf_counter()
        anonymiser = Anonymiser()
        anonymiser.learn(text, {})
        done = anonymiser.text(text)
        seconds += time.perf_counter() - start
        characters += len(text)
        kinds.update(done.kinds)
        leaks = anonymiser.leaks(done.text)
        if leaks:
            reports[name] = leaks
    print(f"other {len(names) - len(listed)} validation contracts: replaced {dict(kinds)}, "
          f"leak-check reports in {len(reports)}")  # fmt: skip
    return {"contracts": len(names) - len(listed), "replaced": dict(kinds),
            "leak_check_reports": sum(len(v) for v in reports.values()), "reports": reports,
            "seconds": seconds, "characters": characters}  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
