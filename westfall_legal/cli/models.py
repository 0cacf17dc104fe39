"""`westfall models`: the local language models, their registry and their checks.

The comparison of a LoRA adapter runs training code: it is in
:mod:`westfall_legal.cli.training`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from westfall_legal.cli.common import Passphrases
from westfall_legal.errors import ExitCode, KnownError

if TYPE_CHECKING:
    from westfall_legal.llm.registry import Registry


def cmd_models(args: argparse.Namespace, passphrases: Passphrases) -> int:
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
        from westfall_legal.cli.training import compare_adapter

        print(compare_adapter(registry.get(args.target), args))
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


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
