"""``westfall evaluate``: the real review pipeline against CUAD-format gold data.

For each contract the app reads the PDF (or, with ``--source txt``, the .txt) exactly as
``westfall review`` does, keeping every candidate clause with its score; CUAD's gold spans
are projected onto the text the app read. Metric definitions: :mod:`.metrics` and docs/accuracy.md.
"""

from __future__ import annotations

import logging
import os
import re
import resource
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from westfall_legal import categories
from westfall_legal.analysis.dates import parse_date
from westfall_legal.analysis.durations import parse_duration
from westfall_legal.errors import KnownError
from westfall_legal.ingest.workers import exit_with_parent
from westfall_legal.models import Review
from westfall_legal.pipeline import Engines, analyse, analyse_text
from westfall_legal.report import dumps, write_atomic
from westfall_legal.settings import load as load_settings
from westfall_legal.training import cuad
from westfall_legal.training.groups import (
    RESAMPLES,
    DocStats,
    correction_table,
    group_table,
    length_band,
    year_band,
    year_of,
)
from westfall_legal.training.metrics import (
    CategoryAccumulator,
    SpanMatch,
    TokenIndex,
    calibration,
    macro_average,
    match_spans_offsets,
)

log = logging.getLogger(__name__)
EVAL_FLOOR = 0.001  # candidates scoring under this are left out of the ranking
FACT_COLUMNS = {
    "governing_law": "Governing Law",
    "agreement_date": "Agreement Date",
    "effective_date": "Effective Date",
    "expiration_date": "Expiration Date",
    "renewal_term": "Renewal Term",
    "notice_period": "Notice Period To Terminate Renewal",
}


@dataclass
class DocResult:
    name: str
    contract_type: str
    predicted_type: str | None = None
    pages: int = 0
    seconds: float = 0.0
    matches: dict[str, SpanMatch] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    error: str | None = None
    words: int = 0  # of the text the app read
    ocr_pages: int = 0
    year: int | None = None  # filed (CUAD's file name), else the first the opening names


def _review(contract: cuad.GoldContract, source: str, engines: Engines) -> tuple[Review, str]:
    txt = contract.txt_path.read_text(encoding="utf-8", errors="replace")
    if source == "txt" or contract.pdf_path.suffix.lower() == ".txt":  # no PDF: a bundle's text
        return analyse_text(txt, path=contract.txt_path, engines=engines, floor=EVAL_FLOOR), txt
    return analyse(contract.pdf_path, engines=engines, floor=EVAL_FLOOR), txt


_ENGINES: Engines | None = None  # one per worker process: the model loads once per worker


def evaluate_contract(contract: cuad.GoldContract, source: str) -> DocResult:
    """Review one contract and match its clauses against its gold spans."""
    global _ENGINES
    if _ENGINES is None:
        _ENGINES = Engines()
    result = DocResult(contract.name, contract.contract_type)
    start = time.perf_counter()
    try:
        review, txt = _review(contract, source, _ENGINES)
    except (KnownError, OSError) as exc:
        result.error = exc.message if isinstance(exc, KnownError) else str(exc)
        return result
    result.seconds = time.perf_counter() - start
    text = review.doc_text.text
    result.pages = max(1, len(review.document.pages))
    result.predicted_type = review.contract_type.label if review.contract_type else None
    projection = cuad.Projection(txt, text)
    index = TokenIndex(text)
    preds: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    for clause in review.clauses:
        preds[clause.category].append((clause.char_start, clause.char_end, clause.confidence))
    for category in categories.CATEGORIES:
        projected = (projection.project(segs) for segs in contract.spans.get(category, []))
        gold = [p[1] for p in projected if p is not None]
        result.matches[category] = match_spans_offsets(index, gold, preds.get(category, []))
    result.facts = {name: f.value for name, f in review.facts.items()}
    result.words = len(text.split())
    result.ocr_pages = sum(p.source == "ocr" for p in review.document.pages)
    result.year = year_of(contract.name, text[:3000])
    result.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _gold_fact(name: str, answer: str) -> str | None:
    """CUAD's normalised answer in our normal form; None where it cannot be compared."""
    answer = answer.strip()
    if not answer or "[]" in answer:
        return None
    if name == "governing_law":
        return answer.lower()
    if name.endswith("_date"):
        parsed = parse_date(answer)
        return parsed[0] if parsed else None
    parsed = parse_duration(answer)
    return parsed[0] if parsed else None


DURATION_FACTS = ("renewal_term", "notice_period")
_COUNTRIES = {"uk", "united kingdom", "canada", "usa", "us", "united states", "australia"}
_PREFIX = re.compile(r"^(?:the\s+)?(?:state|commonwealth|province|republic)\s+of\s+")


def _jurisdiction_parts(value: str) -> list[str]:
    """Comparable parts of a jurisdiction: "Province of Ontario, Canada" -> ["ontario"]."""
    value = value.lower().replace(";", ",").replace(" and ", ",")
    parts = [_PREFIX.sub("", p.strip()) for p in value.split(",") if p.strip()]
    kept = [p for p in parts if p not in _COUNTRIES]
    return list(dict.fromkeys(kept or parts))


def _duration_key(value: str) -> str:
    """One spelling per length of time: twelve months and one year are the same term."""
    m = re.fullmatch(r"P(\d+)M", value.upper())
    if m and int(m.group(1)) % 12 == 0:
        return f"P{int(m.group(1)) // 12}Y"
    return value.upper()


def same_fact(name: str, value: str, gold: str) -> bool:
    """Exact match after normalisation; a jurisdiction matches CUAD's "Ontario, Canada" or
    "England; Wales" when it names the same places, or the first (most specific) one; a
    duration matches the same length said in other units (``P12M`` and ``P1Y``)."""
    if name in DURATION_FACTS:
        return _duration_key(value) == _duration_key(gold)
    if name != "governing_law":
        return value.lower() == gold.lower()
    ours, theirs = _jurisdiction_parts(value), _jurisdiction_parts(gold)
    return ours == theirs or (len(ours) == 1 and ours[0] == theirs[0])


def fact_outcomes(r: DocResult, answers: dict[str, dict[str, str]]) -> dict[str, bool]:
    """Per key fact with a gold answer for this contract: whether the app's value matches."""
    out = {}
    for name, column in FACT_COLUMNS.items():
        gold = _gold_fact(name, answers.get(r.name, {}).get(column, ""))
        if gold is not None:
            value = r.facts.get(name)
            out[name] = value is not None and same_fact(name, str(value), gold)
    return out


def fact_accuracy(results: list[DocResult], answers: dict[str, dict[str, str]]) -> dict[str, Any]:
    outcomes = [fact_outcomes(r, answers) for r in results]
    out: dict[str, Any] = {}
    for name in FACT_COLUMNS:
        got = [o[name] for o in outcomes if name in o]
        out[name] = round(sum(got) / len(got), 4) if got else None
        out[f"{name}_support"] = len(got)
    return out


def source_group(r: DocResult, source: str) -> str:
    if r.ocr_pages:
        return "OCR'd"
    return "text file" if source == "txt" else "born-digital"


def weak_groups(
    results: list[DocResult],
    thresholds: dict[str, float],
    answers: dict[str, dict[str, str]],
    source: str,
    resamples: int,
) -> dict[str, Any]:
    """The per-group table (:mod:`.groups`) of the contracts that were read."""
    docs = []
    for r in results:
        if r.error is not None:
            continue
        outcomes = fact_outcomes(r, answers)
        groups = {"contract_type": r.contract_type, "source": source_group(r, source),
                  "length": length_band(r.words), "year": year_band(r.year)}  # fmt: skip
        docs.append(DocStats(groups, r.matches, sum(outcomes.values()), len(outcomes)))
    return group_table(docs, categories.CATEGORIES, thresholds, resamples=resamples)


def summarise(results: list[DocResult], thresholds: dict[str, float]) -> dict[str, Any]:
    ok = [r for r in results if r.error is None]
    per_category: dict[str, dict[str, Any]] = {}
    curves: dict[str, Any] = {}
    for category in categories.CATEGORIES:
        acc = CategoryAccumulator(category)
        for r in ok:
            acc.add_match(r.matches[category])
        doc = acc.doc_prf(thresholds.get(category, 0.5))
        curve = acc.curve()
        per_category[category] = {
            "doc_precision": doc.precision,
            "doc_recall": doc.recall,
            "doc_f1": doc.f1,
            "span_aupr": acc.aupr(),
            "span_p_at_80r": acc.precision_at_recall(0.8),
            "span_p_at_90r": acc.precision_at_recall(0.9),
            "support": acc.n_gold,
            "doc_support": acc.n_gold_docs,
        }
        curves[category] = {"precision": curve.precisions, "recall": curve.recalls}
    support = {c: int(v["support"]) for c, v in per_category.items()}
    keys = ["doc_precision", "doc_recall", "doc_f1", "span_aupr", "span_p_at_80r", "span_p_at_90r"]
    macro = {k: macro_average({c: v[k] for c, v in per_category.items()}, support) for k in keys}
    typed = [r for r in ok if r.predicted_type is not None]
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for r in typed:
        confusion[r.contract_type][r.predicted_type or "?"] += 1
    pages = sum(r.pages for r in ok)
    ece, reliability = calibration(
        (p.confidence, p.correct) for r in ok for m in r.matches.values() for p in m.preds
    )
    top_recall = [per_category[c]["doc_recall"] for c in categories.TOP_CATEGORIES]
    return {
        "macro": macro,
        "per_category": per_category,
        "top_categories_doc_recall": {
            c: per_category[c]["doc_recall"] for c in categories.TOP_CATEGORIES
        },
        "top_categories_min_doc_recall": min(
            (x for x in top_recall if x is not None), default=None
        ),
        "contract_type_accuracy": (
            sum(r.predicted_type == r.contract_type for r in typed) / len(typed) if typed else None
        ),
        "contract_type_confusion": {k: dict(v) for k, v in sorted(confusion.items())},
        "calibration": {"ece": ece, "reliability": reliability},
        "seconds_per_page": sum(r.seconds for r in ok) / pages if pages else None,
        "seconds_per_document": sum(r.seconds for r in ok) / len(ok) if ok else None,
        "peak_rss_mb": max((r.peak_rss_mb for r in ok), default=0.0),
        "documents": len(ok),
        "failed_documents": [{"name": r.name, "error": r.error} for r in results if r.error],
        "_curves": curves,
    }


@dataclass
class EvaluationRun:
    """What one ``westfall evaluate`` reads and writes."""

    out: Path
    gold: Path | None = None
    source: str = "pdf"
    html_out: Path | None = None
    split: str = "all"
    limit: int | None = None
    workers: int = 0
    quiet: bool = False
    resamples: int = RESAMPLES
    legalbench: Path | None = None
    legalbench_tasks: list[str] | None = None
    legalbench_cuad: Path | None = None
    llm_rows: int = 40
    pool_documents: list[dict[str, Any]] | None = None  # the feedback pool's, when asked


def run_evaluation(run: EvaluationRun) -> dict[str, Any]:
    """CUAD-format gold data and/or LegalBench, into one JSON report and one HTML page."""
    report: dict[str, Any] = {}
    curves: dict[str, Any] = {}
    if run.gold is not None:
        report, curves = _gold_report(run)
    if run.legalbench is not None:
        from westfall_legal.training.legalbench_report import legalbench_report

        report["legalbench"] = legalbench_report(
            run.legalbench, only=run.legalbench_tasks, cuad_dir=run.legalbench_cuad,
            llm_rows=run.llm_rows, quiet=run.quiet,
        )  # fmt: skip
    if run.pool_documents is not None:
        report["feedback_groups"] = correction_table(run.pool_documents)
    write_atomic(run.out, dumps(report))
    if run.html_out is not None:
        from westfall_legal.training.evaluate_html import evaluation_html

        write_atomic(run.html_out, evaluation_html(report, curves))
    if "per_category" in report:
        print_table(report)
    if "legalbench" in report:
        from westfall_legal.training.legalbench_report import print_legalbench

        print_legalbench(report["legalbench"])
    for line in report.get("groups", {}).get("warnings", []):
        print(f"warning: {line}")
    return report


def _gold_report(run: EvaluationRun) -> tuple[dict[str, Any], dict[str, Any]]:
    assert run.gold is not None
    contracts = cuad.read_gold(run.gold)
    if run.split == "validation":
        _, names = cuad.validation_split(contracts)
        keep = set(names)
        contracts = [c for c in contracts if c.name in keep]
    if run.limit:
        contracts = contracts[: run.limit]
    model = Engines().clauses(load_settings())
    thresholds = dict(zip(model.categories, model.thresholds.tolist(), strict=True))
    results: list[DocResult] = []
    workers = run.workers or max(1, os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers, initializer=exit_with_parent) as pool:
        sources = [run.source] * len(contracts)
        futures = pool.map(evaluate_contract, contracts, sources, chunksize=2)
        for i, result in enumerate(futures, 1):
            results.append(result)
            if not run.quiet:
                print(f"\r[{i}/{len(contracts)}] {result.name[:60]:60}", end="", file=sys.stderr)
    if not run.quiet:
        print(file=sys.stderr)
    report = summarise(results, thresholds)
    answers_path = run.gold.parent / "master_clauses.dev.csv"
    if not answers_path.exists():
        candidates = sorted(run.gold.parent.glob("master_clauses*.csv"))
        answers_path = candidates[0] if candidates else answers_path
    answers = dict(cuad.iter_master_answers(answers_path)) if answers_path.exists() else {}
    report["facts"] = fact_accuracy(results, answers)
    report["groups"] = weak_groups(results, thresholds, answers, run.source, run.resamples)
    report["model"] = {"id": model.version, "source": run.source, "split": run.split}
    report["peak_rss_mb"] = max(
        report["peak_rss_mb"], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    )
    curves = report.pop("_curves")
    return report, curves


def _fmt(x: float | None) -> str:
    return "   -" if x is None else f"{x:.3f}"


def print_table(report: dict[str, Any]) -> None:
    print(f"{'category':38} {'supp':>5} {'docP':>6} {'docR':>6} {'docF1':>6} "
          f"{'AUPR':>6} {'P@80':>6} {'P@90':>6}")  # fmt: skip
    rows = [*report["per_category"].items(), ("MACRO", {**report["macro"], "support": ""})]
    for category, v in rows:
        print(
            f"{category[:38]:38} {v['support']!s:>5} {_fmt(v['doc_precision']):>6} "
            f"{_fmt(v['doc_recall']):>6} {_fmt(v['doc_f1']):>6} {_fmt(v['span_aupr']):>6} "
            f"{_fmt(v['span_p_at_80r']):>6} {_fmt(v['span_p_at_90r']):>6}"
        )
    print(f"contract type accuracy: {_fmt(report['contract_type_accuracy'])}")
    print(f"calibration error (ECE over all ranked clauses): {_fmt(report['calibration']['ece'])}")
    facts = report.get("facts", {})
    print(
        "facts: "
        + ", ".join(f"{k} {_fmt(v)}" for k, v in facts.items() if not k.endswith("_support"))
    )
    failed = len(report["failed_documents"])
    print(
        f"seconds per page: {_fmt(report['seconds_per_page'])}; "
        f"documents: {report['documents']}; failed: {failed}"
    )
