"""`westfall runs list|show ID`: the tracked training and evaluation runs, read back from the
MLflow store (:mod:`westfall_legal.tracking`; the ``tracking`` extra)."""

from __future__ import annotations

import argparse
from collections import defaultdict

from westfall_legal.cli.common import Passphrases
from westfall_legal.errors import ExitCode, KnownError
from westfall_legal.tracking import (
    RunRecord,
    get_run,
    list_runs,
    metric_history,
    shown,
    store_dir,
    tracking_uri,
)

CATEGORY = "category."


def _seconds(run: RunRecord) -> str:
    return "-" if run.seconds is None else f"{run.seconds:.0f} s"


def cmd_runs(args: argparse.Namespace, passphrases: Passphrases) -> int:
    if args.action == "show":
        if not args.run:
            raise KnownError("runs show needs a run id.", hint="List them: `westfall runs list`.")
        show(get_run(args.run))
        return ExitCode.OK
    runs = list_runs(limit=args.limit, command=args.command)
    where = shown(tracking_uri() or store_dir().as_uri())
    if not runs:
        print(f"no tracked runs in {where}")
        return ExitCode.OK
    print(f"{'run':12} {'command':14} {'status':8} {'started (UTC)':20} {'time':>7}  model")
    for r in runs:
        model = r.model
        made = f"{model.get('id', '')} {model.get('sha256', '')[:12]}".strip() or "-"
        print(f"{r.id[:12]:12} {r.command[:14]:14} {r.status[:8]:8} {r.started:20} "
              f"{_seconds(r):>7}  {made}")  # fmt: skip
    print(f"store: {where}")
    return ExitCode.OK


def show(run: RunRecord) -> None:
    print(f"run       {run.id} ({run.name})")
    print(f"command   {run.command}, {run.status}, started {run.started}, {_seconds(run)}")
    model = run.model
    if model:
        print(f"model     {model.get('id', '?')} sha256 {model.get('sha256', '?')}")
        print(f"          registered in {model.get('registry', '?')}"
              + (f", folder {model['folder']}" if "folder" in model else ""))  # fmt: skip
    data = {k[5:]: v for k, v in run.params.items() if k.startswith("data.")}
    params = {k: v for k, v in run.params.items() if not k.startswith("data.")}
    _section("data", data)
    _section("parameters", params)
    overall = {k: f"{v:.4g}" for k, v in run.metrics.items() if not k.startswith(CATEGORY)
               and "." + CATEGORY not in k and k != "loss"}  # fmt: skip
    _section("metrics", overall)
    _categories(run.metrics)
    if "loss" in run.metrics:
        curve = metric_history(run.id, "loss")
        print(f"loss      {len(curve)} points: step {curve[0][0]} {curve[0][1]:.4f} -> "
              f"step {curve[-1][0]} {curve[-1][1]:.4f}")  # fmt: skip
    _section("artifacts", {name: "" for name in run.artifacts})


def _section(title: str, values: dict[str, str]) -> None:
    if not values:
        return
    print(f"{title}:")
    for name in sorted(values):
        print(f"  {name:44} {values[name]}".rstrip())


def _categories(metrics: dict[str, float]) -> None:
    """Per-category metrics (``[SET.]category.NAME.FIGURE``) as one table per set."""
    tables: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for name, value in metrics.items():
        head, sep, rest = name.partition(CATEGORY)
        if not sep or (head and not head.endswith(".")):
            continue
        category, _, figure = rest.rpartition(".")
        tables[head.rstrip(".") or "evaluation"][category][figure] = value
    for title, rows in sorted(tables.items()):
        figures = sorted({f for row in rows.values() for f in row})
        print(f"per category ({title}):")
        print(f"  {'category':40} " + " ".join(f"{f[:13]:>13}" for f in figures))
        for category in sorted(rows):
            row = rows[category]
            if set(row) == {"support"} and not row["support"]:
                continue  # no gold clause of it: no figure
            cells = ("-" if row.get(f) is None else f"{row[f]:.3f}" for f in figures)
            print(f"  {category[:40]:40} " + " ".join(f"{c:>13}" for c in cells))


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """runs."""
    p = sub.add_parser("runs", help="tracked training and evaluation runs (MLflow)")
    p.add_argument("action", choices=("list", "show"))
    p.add_argument("run", nargs="?", help="show: a run id (or its first 6+ characters)")
    p.add_argument("--command", help="list: only the runs of this command (e.g. train-clauses)")
    p.add_argument("--limit", type=int, default=50, help="list: at most this many (default 50)")
    p.set_defaults(func=cmd_runs)
