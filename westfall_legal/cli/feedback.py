"""`westfall feedback-key|feedback-trust|export-feedback|import-feedback|feedback-pool|drift`.

Feedback leaves the machine only as an anonymised, signed bundle; it comes back as a
candidate clause model (the retraining commands are in :mod:`westfall_legal.cli.training`).
The feedback and store packages are imported when a command runs, so that ``--help`` stays
quick.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from westfall_legal.cli.common import Passphrases
from westfall_legal.errors import ExitCode, KnownError

if TYPE_CHECKING:
    from westfall_legal.feedback import Bundle, ExportPreview


def cmd_feedback_key(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.store.signing import InstallationKeys, encode_key

    with passphrases.open_store(create=True) as store:
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


def cmd_export(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.feedback import Selection, preview_export, write_export
    from westfall_legal.pipeline import label_schema
    from westfall_legal.store.signing import decode_key

    if not args.out and not args.preview:
        raise KnownError("export-feedback needs --out FILE (or --preview to look first).")
    recipient = decode_key(args.recipient, "encryption key") if args.recipient else None
    selection = Selection(tuple(args.matter or ()), args.since, anonymise=not args.no_anonymise)
    with passphrases.open_store() as store:
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


def cmd_import(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.feedback import import_bundle
    from westfall_legal.pipeline import label_schema

    with passphrases.open_store(create=True) as store:
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


def cmd_trust(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.store.signing import InstallationKeys

    if args.action == "add":
        if not args.key or not args.name:
            raise KnownError(
                "feedback-trust add needs the sender's signing KEY and --name.",
                hint='e.g. `westfall feedback-trust add KEY --name "Office B"`; the sender '
                "sees the key with `westfall feedback-key`.",
            )
        with passphrases.open_store(create=True) as store:
            signer = store.signers.add(args.key, args.name)
        print(f"trusted: {signer.name} (fingerprint {signer.fingerprint})")
        return ExitCode.OK
    if args.action == "remove":
        if not args.key:
            raise KnownError("feedback-trust remove needs a fingerprint or a name.")
        with passphrases.open_store() as store:
            signer = store.signers.remove(args.key)
        print(f"no longer trusted: {signer.name} (fingerprint {signer.fingerprint})")
        return ExitCode.OK
    with passphrases.open_store(create=True) as store:
        signers = store.signers.list()
        own = InstallationKeys.of(store).fingerprint
    print(f"this installation: {own} (always trusted)")
    if not signers:
        print('no other signer is trusted: `westfall feedback-trust add KEY --name "Office B"`')
    for s in signers:
        print(f"{s.fingerprint}  {s.name}  (added {s.added[:10]})")
    return ExitCode.OK


def cmd_pool(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.feedback import read_index

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


def training_bundles(args: argparse.Namespace, passphrases: Passphrases) -> list[Bundle]:
    """The feedback bundles a retraining command reads: the pool (unless --no-pool) and each
    --feedback file, verified and trusted."""
    from westfall_legal.feedback import pooled_bundles, read_bundle, require_trusted
    from westfall_legal.pipeline import label_schema
    from westfall_legal.store.signing import InstallationKeys

    if args.no_pool and not args.feedback:
        return []  # nothing to read: no passphrase asked
    schema = label_schema()
    with passphrases.open_store() as store:
        keys = InstallationKeys.of(store)
        found = [] if args.no_pool else pooled_bundles(store, schema)
        for path in args.feedback or []:
            bundle = read_bundle(Path(path), keys, schema)
            require_trusted(store, bundle, trust_once=args.trust_once)
            found.append(bundle)
    return found


def cmd_drift(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.feedback.drift import drift

    with passphrases.open_store() as store:
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


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """feedback-key, export-feedback, import-feedback, feedback-trust, feedback-pool."""
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


def add_drift_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    dr = sub.add_parser("drift", help="corrections per clause reviewed, per model and month")
    dr.set_defaults(func=cmd_drift)
