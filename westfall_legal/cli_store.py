"""`westfall matter|store|correct|verify-audit`, and `review --matter`, over the encrypted store.

The passphrase comes from ``WESTFALL_PASSPHRASE`` (scripts, tests) or a prompt; a new one
(first run, ``store passwd``) from ``WESTFALL_NEW_PASSPHRASE`` or a prompt asked twice. It is
never logged or echoed.
"""

from __future__ import annotations

import argparse
import difflib
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from westfall_legal import paths
from westfall_legal.errors import (
    ExitCode,
    KnownError,
    PassphraseRequiredError,
    StoreError,
    StoreNotFoundError,
)
from westfall_legal.store import Correction, Store, backup, restore
from westfall_legal.training.cuad import CATEGORIES

PASSPHRASE_ENV = "WESTFALL_PASSPHRASE"
NEW_PASSPHRASE_ENV = "WESTFALL_NEW_PASSPHRASE"
REVIEWER_ENV = "WESTFALL_REVIEWER"
_unlocked: dict[Path, str] = {}  # the passphrase that opened a store, for the next file


def _ask(prompt: str, env: str, *, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise PassphraseRequiredError(f"a passphrase is needed and {env} is not set.")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat it: ") != first:
        raise StoreError("the two passphrases differ; nothing was changed.", hint="Try again.")
    return first


def open_store(*, create: bool = False) -> Store:
    """Unlock the store in the data folder (creating it, with a new passphrase, if asked)."""
    path = paths.store_file()
    if not path.exists():
        if not create:
            raise StoreNotFoundError(f"{path}: no store yet.")
        store = Store.create(_ask("New store passphrase: ", PASSPHRASE_ENV, confirm=True), path)
        print(f"created the encrypted store {path}", file=sys.stderr)
        return store
    passphrase = os.environ.get(PASSPHRASE_ENV) or _unlocked.get(path)
    passphrase = passphrase or _ask(f"Passphrase for {path}: ", PASSPHRASE_ENV)
    store = Store.open(passphrase, path)
    _unlocked[path] = passphrase
    return store


def store_review(matter: str, path: Path, data: dict[str, Any]) -> None:
    """`westfall review FILE --matter NAME`: keep the review JSON in that matter."""
    with open_store() as store:
        size = path.stat().st_size if path.exists() else None
        saved = store.reviews.add(matter, data, size=size)
    verb = "stored in" if saved.new_document else "added as a new review to"
    print(
        f"{path}: {verb} matter {matter!r} (document {saved.document.id}, "
        f"{saved.annotations} annotations)"
    )


# matter ------------------------------------------------------------------------------------


def cmd_matter(args: argparse.Namespace) -> int:
    with open_store(create=args.action == "create") as store:
        if args.action == "list":
            matters = store.matters.list()
            if not matters:
                print("no matters yet: create one with `westfall matter create NAME`")
            for m in matters:
                state = f"closed {m.closed[:10]}" if m.closed else "open"
                print(f"{m.id}  {m.name:40} {m.documents:4} documents  {state}")
            return ExitCode.OK
        if not args.name:
            raise KnownError(
                f"`westfall matter {args.action}` needs the matter's name.",
                hint=f"Run `westfall matter {args.action} NAME`.",
            )
        if args.action == "create":
            matter = store.matters.create(args.name)
            print(f"matter {matter.name!r} created ({matter.id})")
        elif args.action == "show":
            _show(store, args.name)
        elif args.action in ("close", "reopen"):
            change = store.matters.close if args.action == "close" else store.matters.reopen
            matter = change(args.name)
            print(f"matter {matter.name!r} {'closed' if matter.closed else 'reopened'}")
        elif args.action == "delete":
            return _delete(store, args.name, args.yes)
    return ExitCode.OK


def _show(store: Store, name: str) -> None:
    matter = store.matters.get(name)
    print(f"matter {matter.name!r} ({matter.id}), {'closed' if matter.closed else 'open'}")
    for doc in store.reviews.documents(matter.id):
        state = store.corrections.state(doc.id)
        counts = {
            s: sum(c.status == s for c in state.clauses)
            for s in ("proposed", "accepted", "rejected")
        }
        print(
            f"  {doc.id}  {doc.file_name}  {doc.pages} pages, {doc.reviews} reviews, "
            f"{len(state.clauses)} clauses ({counts['accepted']} accepted, "
            f"{counts['rejected']} rejected), {len(state.corrections)} corrections"
        )


def _delete(store: Store, name: str, yes: bool) -> int:
    matter = store.matters.get(name)
    if not yes:
        if not sys.stdin.isatty():
            raise KnownError(
                f"deleting matter {matter.name!r} destroys it for good.",
                hint="Add --yes to confirm in a script.",
            )
        answer = input(f"Delete matter {matter.name!r} and destroy its key for good? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing deleted")
            return ExitCode.OK
    rows = store.matters.delete(matter.id)
    print(
        f"matter {matter.name!r} deleted: its key was destroyed and {sum(rows.values())} rows "
        "removed. Backups made before now still hold it: destroy them too."
    )
    return ExitCode.OK


# store -------------------------------------------------------------------------------------


def cmd_store(args: argparse.Namespace) -> int:
    if args.action == "restore":
        if not args.target:
            raise KnownError("`westfall store restore` needs the backup file.")
        passphrase = _ask("Passphrase of the backup: ", PASSPHRASE_ENV)
        store, safety = restore(Path(args.target), passphrase, paths.store_file())
        store.close()
        _unlocked[store.path] = passphrase
        kept = f"; the replaced store was kept as {safety}" if safety else ""
        print(f"store restored from {args.target}{kept}")
        return ExitCode.OK
    with open_store() as store:
        if args.action == "passwd":
            new = _ask("New passphrase: ", NEW_PASSPHRASE_ENV, confirm=True)
            store.change_passphrase(new)
            _unlocked[store.path] = new
            print("passphrase changed (keys re-wrapped; old backups keep the old passphrase)")
        elif args.action == "rekey":
            if not args.target:
                raise KnownError("`westfall store rekey` needs the matter's name.")
            rows = store.matters.rekey(args.target)
            print(f"matter {args.target!r}: new data key; {rows} rows re-encrypted")
        elif args.action == "backup":
            if not args.target:
                raise KnownError("`westfall store backup` needs the file to write.")
            print(f"backup written to {backup(store, Path(args.target))}")
    return ExitCode.OK


def cmd_verify_audit(args: argparse.Namespace) -> int:
    with open_store() as store:
        report = store.audit.reset_head() if args.reset_head else store.audit.verify()
    sealed = f", {report.sealed} of deleted matters (sealed)" if report.sealed else ""
    print(
        f"audit log verifies: {report.entries} entries{sealed}; head at entry "
        f"{report.head_seq}; {report.checked_objects} reviews and corrections match"
    )
    return ExitCode.OK


# correct -----------------------------------------------------------------------------------

ARITY = {
    "accept": 0,
    "reject": 0,
    "relabel": 1,
    "span": 2,
    "add": 3,
    "fact": 1,
    "comment": 1,
    "undo": (0, 1),
    "list": 0,
}


def _category(raw: str) -> str:
    by_fold = {c.casefold(): c for c in CATEGORIES}
    if raw.strip().casefold() in by_fold:
        return by_fold[raw.strip().casefold()]
    close = difflib.get_close_matches(raw, CATEGORIES, n=3)
    raise KnownError(
        f"{raw!r} is not a CUAD category.",
        hint=f"Did you mean {' or '.join(repr(c) for c in close)}?"
        if close
        else "Use one of the 41 CUAD category names.",
    )


def _int(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise KnownError(
            f"{raw!r} is not a character offset.", hint="Give whole numbers."
        ) from None


def apply_correction(store: Store, document_id: str, spec: dict[str, Any]) -> Correction | None:
    """One correction from a spec: ``action``, ``values``, ``clause``/``fact``, ``reviewer``."""
    action, values = spec["action"], [str(v) for v in spec.get("values", [])]
    arity = ARITY.get(action)
    if arity is None:
        raise KnownError(f"unknown correction {action!r}.", hint=f"Use one of: {', '.join(ARITY)}.")
    low, high = arity if isinstance(arity, tuple) else (arity, arity)
    if not low <= len(values) <= high:
        raise KnownError(
            f"`{action}` takes {low if low == high else f'{low} or {high}'} values, "
            f"got {len(values)}."
        )
    fix = store.corrections
    reviewer, target = str(spec.get("reviewer") or ""), spec.get("clause") or spec.get("fact")
    if action == "add":
        return fix.add_clause(
            document_id, _category(values[0]), _int(values[1]), _int(values[2]), reviewer=reviewer
        )
    if action == "comment":
        return fix.comment(document_id, values[0], reviewer=reviewer, target=target)
    if action == "undo":
        return fix.undo(document_id, reviewer=reviewer, correction_id=values[0] if values else None)
    if action == "fact":
        if not spec.get("fact"):
            raise KnownError(
                "`fact` needs --fact NAME.", hint="e.g. --fact governing_law fact 'New York'"
            )
        return fix.edit_fact(document_id, spec["fact"], values[0], reviewer=reviewer)
    if not target:
        raise KnownError(
            f"`{action}` needs --clause ID (or --fact NAME).",
            hint="Clause ids are in the review JSON, e.g. c12.",
        )
    if action == "relabel":
        return fix.relabel(document_id, target, _category(values[0]), reviewer=reviewer)
    if action == "span":
        return fix.change_span(
            document_id, target, _int(values[0]), _int(values[1]), reviewer=reviewer
        )
    return (fix.accept if action == "accept" else fix.reject)(
        document_id, target, reviewer=reviewer
    )


def _describe(c: Correction) -> str:
    on = f" {c.ref}" if c.ref else ""
    change = (
        f"{json.dumps(c.before, ensure_ascii=False)} -> {json.dumps(c.after, ensure_ascii=False)}"
    )
    return f"{c.id}  {c.created[:19]}  {c.reviewer}: {c.action}{on}  {change}"


def cmd_correct(args: argparse.Namespace) -> int:
    reviewer = args.reviewer or os.environ.get(REVIEWER_ENV, "")
    with open_store() as store:
        document = store.reviews.find(args.matter, args.document)
        if args.batch:
            specs = _batch(Path(args.batch))
        elif args.action:
            specs = [
                {
                    "action": args.action,
                    "values": args.values,
                    "clause": args.clause,
                    "fact": args.fact,
                }
            ]
        else:
            raise KnownError("say which correction to make.", hint="e.g. `... --clause c3 accept`")
        if specs and specs[0]["action"] == "list":
            for c in store.corrections.history(document.id):
                print(_describe(c))
            return ExitCode.OK
        if not reviewer:
            raise KnownError(
                "a correction needs the reviewer's name.",
                hint=f"Pass --reviewer NAME or set {REVIEWER_ENV}.",
            )
        for spec in specs:
            made = apply_correction(store, document.id, {"reviewer": reviewer, **spec})
            if made is not None:
                print(_describe(made), flush=True)
    return ExitCode.OK


def _batch(path: Path) -> list[dict[str, Any]]:
    """JSON lines: {"action": ..., "values": [...], "clause"/"fact": ..., "reviewer": ...}."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        specs = [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as exc:
        raise KnownError(
            f"{path}: cannot read the corrections ({exc}).",
            hint='One JSON object per line, e.g. {"action": "accept", "clause": "c3"}.',
        ) from None
    if not all(isinstance(s, dict) and "action" in s for s in specs):
        raise KnownError(f'{path}: every line needs an "action".')
    return specs


# parser ------------------------------------------------------------------------------------


def add_store_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    matter = sub.add_parser("matter", help="matters in the encrypted store")
    matter.add_argument("action", choices=("create", "list", "show", "close", "reopen", "delete"))
    matter.add_argument("name", nargs="?", help="the matter's name (or id)")
    matter.add_argument("--yes", action="store_true", help="delete without asking")
    matter.set_defaults(func=cmd_matter)

    store = sub.add_parser("store", help="passphrase, keys, backup and restore of the store")
    store.add_argument("action", choices=("passwd", "rekey", "backup", "restore"))
    store.add_argument("target", nargs="?", help="rekey: MATTER; backup/restore: FILE")
    store.set_defaults(func=cmd_store)

    audit = sub.add_parser("verify-audit", help="recompute and check the audit chain")
    audit.add_argument(
        "--reset-head",
        action="store_true",
        help="accept the log as it is (after moving the store without its "
        "store.audit-head file); the chain itself must still verify",
    )
    audit.set_defaults(func=cmd_verify_audit)

    correct = sub.add_parser(
        "correct",
        help="record a reviewer's correction",
        description="Actions: accept, reject, relabel CATEGORY, span START END, "
        "add CATEGORY START END, fact VALUE (with --fact NAME), comment TEXT, "
        "undo [CORRECTION_ID], list.",
    )
    correct.add_argument("--matter", required=True)
    correct.add_argument("--document", required=True, help="file name, id or sha256")
    correct.add_argument("--reviewer", help=f"who corrects (default: ${REVIEWER_ENV})")
    correct.add_argument("--clause", help="the clause id (from the review JSON, e.g. c12)")
    correct.add_argument("--fact", help="the key fact's name (e.g. governing_law)")
    correct.add_argument("--batch", help="a JSON-lines file of corrections to apply in order")
    correct.add_argument("action", nargs="?", choices=tuple(ARITY))
    correct.add_argument("values", nargs="*")
    correct.set_defaults(func=cmd_correct)
