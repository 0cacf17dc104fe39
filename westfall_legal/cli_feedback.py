"""`westfall feedback-key|feedback-trust|export-feedback|import-feedback|feedback-pool|retrain|...`.

Feedback leaves the machine only as an anonymised, signed bundle; it comes back as a
candidate clause model that is switched on only when its comparison with the active model
passes the gate (README, "Feedback and retraining"). Training modules are imported when a
command needs them (they pull in the pipeline).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from westfall_legal import paths
from westfall_legal.cli_store import open_store
from westfall_legal.errors import ExitCode, KnownError
from westfall_legal.feedback import (
    Bundle,
    ExportPreview,
    Selection,
    import_bundle,
    pooled_bundles,
    preview_export,
    read_bundle,
    read_index,
    require_trusted,
    write_export,
)
from westfall_legal.store.signing import InstallationKeys, decode_key, encode_key


def cmd_feedback_key(args: argparse.Namespace) -> int:
    with open_store(create=True) as store:
        keys = InstallationKeys.of(store)
    print("encryption key (senders pass it as export-feedback --recipient KEY):")
    print(f"  {encode_key(keys.encryption_public)}")
    print(
        f"signing key (this installation signs its bundles with it): fingerprint {keys.fingerprint}"
    )
    print(f"  {encode_key(keys.signing_public)}")
    return ExitCode.OK


def _print_preview(preview: ExportPreview, *, show_originals: bool) -> None:
    counts = preview.counts
    print(
        f"{counts['documents']} documents, {counts['corrections']} corrections, "
        f"{counts['sft_examples']} chat examples, {counts['spans']} gold spans"
    )
    report = preview.report
    if not report.enabled:
        print("NOT anonymised (--no-anonymise): names and contact details are in the bundle")
    else:
        done = ", ".join(f"{k} {v}" for k, v in report.counts.items() if v)
        print(f"anonymised: {done or 'nothing found to replace'}")
        for name, per in report.per_document.items():
            source = preview.sources.get(name, "?")
            print(f"  {name} ({source}): " + ", ".join(f"{k} {v}" for k, v in per.items()))
    if show_originals and report.mapping:
        print("replacements (shown here only, never written into the bundle):")
        for original, placeholder in report.mapping.items():
            print(f"  {original!r} -> {placeholder}")
    quality = preview.quality
    thin = len(quality["too_few_examples"])
    print(
        f"quality: {len(quality['disagreements'])} disagreements, "
        f"{len(quality['duplicate_documents'])} duplicate documents, {thin} categories with "
        f"fewer than {quality['min_examples']} examples, "
        f"{len(quality['contract_types_missing'])} contract types missing"
    )
    if preview.skipped:
        print(f"left out: {preview.skipped} corrections about clauses of older reviews")


def cmd_export(args: argparse.Namespace) -> int:
    from westfall_legal.pipeline import label_schema

    if not args.out and not args.preview:
        raise KnownError("export-feedback needs --out FILE (or --preview to look first).")
    recipient = decode_key(args.recipient, "encryption key") if args.recipient else None
    selection = Selection(tuple(args.matter or ()), args.since, anonymise=not args.no_anonymise)
    with open_store() as store:
        preview = preview_export(store, selection, label_schema())
        _print_preview(preview, show_originals=args.preview)
        if args.preview:
            print("preview only: nothing was written")
            return ExitCode.OK
        result = write_export(store, preview, Path(args.out), recipient=recipient)
    sealed = f", encrypted to {result.encrypted_to}" if result.encrypted_to else ""
    print(f"wrote {result.path} (bundle {result.bundle_id}, signed by {result.signer}{sealed})")
    print(f"sha256 {result.sha256}")
    return ExitCode.OK


def cmd_import(args: argparse.Namespace) -> int:
    from westfall_legal.pipeline import label_schema

    with open_store(create=True) as store:
        result = import_bundle(
            store,
            Path(args.file),
            label_schema(contract_types=False),
            expect_signer=args.expect_signer,
            trust_once=args.trust_once,
        )
    signed = _signed_by(result.signer_name, result.signer)
    if result.already_imported:
        print(f"{args.file}: bundle {result.bundle_id} ({signed}) is in the pool already; "
              "nothing to do")  # fmt: skip
        return ExitCode.OK
    how = "decrypted and verified" if result.encrypted else "verified"
    print(
        f"{args.file}: {how}, {signed}; {len(result.documents)} documents "
        f"({len(result.new_documents)} new), {result.corrections} corrections added to the "
        "training pool"
    )
    return ExitCode.OK


def _signed_by(name: str, signer: str) -> str:
    if name == "trusted once":
        return f"signed by an unknown key {signer}, trusted for this import only"
    return f"signed by {name} ({signer})"


def cmd_trust(args: argparse.Namespace) -> int:
    if args.action == "add":
        if not args.key or not args.name:
            raise KnownError(
                "feedback-trust add needs the sender's signing KEY and --name.",
                hint='e.g. `westfall feedback-trust add KEY --name "Office B"`; the sender '
                "sees the key with `westfall feedback-key`.",
            )
        with open_store(create=True) as store:
            signer = store.signers.add(args.key, args.name)
        print(f"trusted: {signer.name} (fingerprint {signer.fingerprint})")
        return ExitCode.OK
    if args.action == "remove":
        if not args.key:
            raise KnownError("feedback-trust remove needs a fingerprint or a name.")
        with open_store() as store:
            signer = store.signers.remove(args.key)
        print(f"no longer trusted: {signer.name} (fingerprint {signer.fingerprint})")
        return ExitCode.OK
    with open_store(create=True) as store:
        signers = store.signers.list()
        own = InstallationKeys.of(store).fingerprint
    print(f"this installation: {own} (always trusted)")
    if not signers:
        print('no other signer is trusted: `westfall feedback-trust add KEY --name "Office B"`')
    for s in signers:
        print(f"{s.fingerprint}  {s.name}  (added {s.added[:10]})")
    return ExitCode.OK


def cmd_pool(args: argparse.Namespace) -> int:
    entries = read_index()
    if not entries:
        print("the training pool is empty: add bundles with `westfall import-feedback FILE`")
    for e in entries:
        counts = e["counts"]
        signed = _signed_by(str(e.get("signer_name", "a key trusted then")), e["signer"])
        print(
            f"{e['id']}  created {e['created'][:19]}  {signed}  "
            f"{counts['documents']} documents, {counts['corrections']} corrections"
        )
    return ExitCode.OK


def _bundles(args: argparse.Namespace) -> list[Bundle]:
    from westfall_legal.pipeline import label_schema

    if args.no_pool and not args.feedback:
        return []  # nothing to read: no passphrase asked
    schema = label_schema()
    with open_store() as store:
        keys = InstallationKeys.of(store)
        found = [] if args.no_pool else pooled_bundles(store, schema)
        for path in args.feedback or []:
            bundle = read_bundle(Path(path), keys, schema)
            require_trusted(store, bundle, trust_once=args.trust_once)
            found.append(bundle)
    return found


def cmd_retrain(args: argparse.Namespace) -> int:
    from westfall_legal.training.retrain import retrain
    from westfall_legal.training.train_clauses import Params

    bundles = _bundles(args)
    print(f"feedback: {len(bundles)} bundle(s)", file=sys.stderr)
    params = Params(folds=args.folds) if args.folds else Params()
    result = retrain(
        bundles,
        cuad_dir=Path(args.cuad),
        params=params,
        cache=Path(args.cache) if args.cache else None,
        weight=args.feedback_weight,
        model_id=args.id,
    )
    _print_comparison(result.comparison)
    return ExitCode.OK


def cmd_finetune(args: argparse.Namespace) -> int:
    from westfall_legal.training.finetune.lora import LoraParams
    from westfall_legal.training.finetune.run import FinetuneOptions, finetune

    bundles = _bundles(args)
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
    result = finetune(
        bundles, options=options, base_id=args.base, adapter_id=args.id,
        progress=lambda m: print(m, file=sys.stderr, flush=True),
    )  # fmt: skip
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


def cmd_clause_model(args: argparse.Namespace) -> int:
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
    return _compare(args)


def _compare(args: argparse.Namespace) -> int:
    from westfall_legal.training import clause_registry

    clause_registry.get(args.model)
    if not args.cuad:  # the comparison made when it was trained (or last compared)
        path = paths.user_models_dir() / args.model / "comparison.json"
        _print_comparison(json.loads(path.read_text("utf-8")))
        return ExitCode.OK
    from westfall_legal.training.retrain import recompare

    comparison = recompare(
        args.model,
        _bundles(args),
        cuad_dir=Path(args.cuad),
        against=args.against,
        cache=Path(args.cache) if args.cache else None,
    )
    _print_comparison(comparison)
    return ExitCode.OK


def cmd_drift(args: argparse.Namespace) -> int:
    from westfall_legal.feedback.drift import drift

    with open_store() as store:
        rows = drift(store)
    if not rows:
        print("no reviews in the store yet")
        return ExitCode.OK
    print(f"{'model':32} {'month':7} {'reviews':>7} {'clauses':>7} {'changed':>7} {'rate':>6} "
          f"{'accepted':>8}")  # fmt: skip
    for r in rows:
        rate = "-" if r.rate is None else f"{r.rate:.3f}"
        print(f"{r.model[:32]:32} {r.month:7} {r.reviews:7} {r.clauses:7} {r.changes:7} "
              f"{rate:>6} {r.accepts:8}")  # fmt: skip
    return ExitCode.OK


def _delta(x: float | None) -> str:
    return "-" if x is None else f"{x:+.3f}"


def add_feedback_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    key = sub.add_parser("feedback-key", help="this installation's public keys for bundles")
    key.set_defaults(func=cmd_feedback_key)

    ex = sub.add_parser("export-feedback", help="write corrections as a signed feedback bundle")
    ex.add_argument("--out", help="the bundle file to write (.wfb)")
    ex.add_argument("--matter", action="append", help="a matter (name or id); repeatable")
    ex.add_argument("--since", help="only corrections made on or after this date (YYYY-MM-DD)")
    ex.add_argument("--recipient", help="encrypt to this key (`westfall feedback-key` there)")
    ex.add_argument("--no-anonymise", action="store_true", help="keep names and contacts")
    ex.add_argument("--preview", action="store_true",
                    help="show what would be written and replaced; write nothing")  # fmt: skip
    ex.set_defaults(func=cmd_export)

    im = sub.add_parser("import-feedback", help="verify a bundle and add it to the pool")
    im.add_argument("file")
    im.add_argument("--expect-signer", help="refuse unless signed by this key fingerprint")
    im.add_argument("--trust-once", action="store_true",
                    help="import a bundle signed by an unknown key (check its fingerprint, "
                    "which the refusal shows, with the sender first)")  # fmt: skip
    im.set_defaults(func=cmd_import)

    tr = sub.add_parser("feedback-trust", help="the signer keys whose bundles are accepted")
    tr.add_argument("action", choices=("list", "add", "remove"))
    tr.add_argument("key", nargs="?",
                    help="add: the sender's signing key (`westfall feedback-key` there); "
                    "remove: a fingerprint or name")  # fmt: skip
    tr.add_argument("--name", help='add: who the key belongs to, e.g. "Office B"')
    tr.set_defaults(func=cmd_trust)

    pool = sub.add_parser("feedback-pool", help="list the imported bundles")
    pool.set_defaults(func=cmd_pool)

    def data_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--feedback", action="append", help="a bundle file; repeatable")
        p.add_argument("--no-pool", action="store_true", help="leave out the imported bundles")
        p.add_argument("--cache", help="cache file for the read CUAD contracts")
        p.add_argument("--trust-once", action="store_true",
                       help="accept --feedback bundles signed by an unknown key")  # fmt: skip

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

    dr = sub.add_parser("drift", help="corrections per clause reviewed, per model and month")
    dr.set_defaults(func=cmd_drift)

    cm = sub.add_parser("clause-model", help="clause-model versions: list, compare, switch")
    cm.add_argument("action", choices=("list", "compare", "activate", "rollback"))
    cm.add_argument("model", nargs="?", help="a registered model id")
    cm.add_argument("--force", action="store_true", help="activate: even if the gate failed")
    cm.add_argument("--against", help="compare: this model instead of the active one")
    cm.add_argument("--cuad", help="compare: evaluate again on this CUAD folder")
    data_options(cm)
    cm.set_defaults(func=cmd_clause_model)
