"""`westfall report accuracy --since DATE [--out FILE] [--evaluation FILE]`: the weekly
accuracy report from the store's corrections (:mod:`westfall_legal.feedback.accuracy_report`)
as one self-contained HTML page."""

from __future__ import annotations

import argparse
import datetime
import json
from pathlib import Path
from typing import Any

from westfall_legal.cli.common import Passphrases
from westfall_legal.errors import ExitCode, InputNotFoundError, KnownError, OutputError


def expected_figures(evaluation: Path | None) -> tuple[dict[str, float], str]:
    """Document precision per category (and "macro") to set agreement beside: from an
    ``evaluate`` JSON when given, else from the active clause model's manifest."""
    from westfall_legal.pipeline import clause_model_dir
    from westfall_legal.settings import load as load_settings

    if evaluation is not None:
        if not evaluation.is_file():
            raise InputNotFoundError.for_path(evaluation)
        try:
            data: dict[str, Any] = json.loads(evaluation.read_text("utf-8"))
            per = {c: v.get("doc_precision") for c, v in data["per_category"].items()}
            macro = data["macro"]["doc_precision"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise KnownError(
                f"{evaluation}: not an evaluation report ({exc}).",
                hint="Give the JSON `westfall evaluate --out` wrote.",
            ) from None
        source = f"{evaluation.name}, model {data.get('model', {}).get('id', '?')}"
    else:
        name = load_settings().clause_model
        manifest = clause_model_dir(name) / "manifest.json"
        try:
            data = json.loads(manifest.read_text("utf-8"))
        except (OSError, ValueError):
            return {}, f"no readable manifest for the clause model {name}"
        per = {
            c: v.get("doc_precision") for c, v in data.get("validation_per_category", {}).items()
        }
        macro = data.get("validation", {}).get("doc_precision")
        source = f"validation split of {name}"
    figures = {c: float(v) for c, v in per.items() if isinstance(v, int | float)}
    if isinstance(macro, int | float):
        figures["macro"] = float(macro)
    return figures, source


def cmd_report_accuracy(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.feedback.accuracy_html import accuracy_html
    from westfall_legal.feedback.accuracy_report import accuracy_report
    from westfall_legal.paths import write_atomic

    try:
        since = datetime.date.fromisoformat(args.since).isoformat()
    except ValueError:
        raise KnownError(
            f"--since {args.since!r} is not a date.", hint="Give it as YYYY-MM-DD."
        ) from None
    expected, source = expected_figures(Path(args.evaluation) if args.evaluation else None)
    with passphrases.open_store() as store:
        report = accuracy_report(store, since, expected=expected, expected_source=source)
    out = Path(args.out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, accuracy_html(report))
    except OSError as exc:
        raise OutputError(f"{out}: cannot write the report ({exc.strerror}).") from None
    o = report.overall
    agreement = "-" if o.agreement is None else f"{100 * o.agreement:.1f}%"
    print(f"{o.judged} clauses judged since {since}: agreement {agreement}, {o.changes} "
          f"corrections ({o.counts['missed']} missed clauses)")  # fmt: skip
    for category, tally in report.most_corrected(5):
        print(f"  {category}: {tally.changes} corrections")
    if report.flagged:
        print("below the model's evaluation: " + ", ".join(report.flagged))
    print(f"wrote {out}")
    return ExitCode.OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """report accuracy."""
    p = sub.add_parser("report", help="reports over the store: accuracy (reviewers' agreement)")
    kinds = p.add_subparsers(dest="report", required=True)
    acc = kinds.add_parser("accuracy", help="the model's agreement with reviewers, per week")
    acc.add_argument("--since", required=True, help="corrections from this date on (YYYY-MM-DD)")
    acc.add_argument("--out", default="accuracy-report.html", help="the HTML file to write")
    acc.add_argument("--evaluation",
                     help="an `evaluate` JSON to compare with (default: the active clause "
                     "model's validation figures)")  # fmt: skip
    acc.set_defaults(func=cmd_report_accuracy)
