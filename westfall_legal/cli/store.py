"""`westfall matter|store|correct|verify-audit`, and `review --matter`, over the encrypted store.

The passphrases come through :class:`~westfall_legal.cli.common.Passphrases`. The store
itself is imported when a command runs, so that ``--help`` stays quick.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from westfall_legal import paths
from westfall_legal.categories import CATEGORIES
from westfall_legal.cli.common import NEW_PASSPHRASE_ENV, Passphrases
from westfall_legal.cli.comparisons import print_comparisons
from westfall_legal.errors import ExitCode, KnownError, WestfallError
from westfall_legal.review_json import ReviewJson

if TYPE_CHECKING:
    from westfall_legal.store import Correction, Store

REVIEWER_ENV = "WESTFALL_REVIEWER"


def store_review(passphrases: Passphrases, matter: str, path: Path, data: ReviewJson) -> None:
    """`westfall review FILE --matter NAME`: keep the review JSON in that matter, or keep the
    identical stored one with its corrections, as the GUI does (``session.attach_review``)."""
    from westfall_legal.session.workspace import attach_review

    with passphrases.open_store() as store:
        size = path.stat().st_size if path.exists() else None
        saved = attach_review(store, matter, data, size=size)
    if saved.reused:
        verb = "the same review is kept, with its corrections, in"
    else:
        verb = "stored in" if saved.new_document else "added as a new review to"
    print(
        f"{path}: {verb} matter {matter!r} (document {saved.document_id}, "
        f"{saved.annotations} annotations)"
    )


# matter ------------------------------------------------------------------------------------


def cmd_matter(args: argparse.Namespace, passphrases: Passphrases) -> int:
    with passphrases.open_store(create=args.action == "create") as store:
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
    print_comparisons(store, matter.id)


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


def cmd_store(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.store import backup, restore

    if args.action == "restore":
        if not args.target:
            raise KnownError("`westfall store restore` needs the backup file.")
        passphrase = passphrases.ask("Passphrase of the backup: ")
        store, safety = restore(Path(args.target), passphrase, paths.store_file())
        store.close()
        passphrases.remember(store.path, passphrase)
        kept = f"; the replaced store was kept as {safety}" if safety else ""
        print(f"store restored from {args.target}{kept}")
        return ExitCode.OK
    with passphrases.open_store() as store:
        if args.action == "passwd":
            new = passphrases.ask("New passphrase: ", NEW_PASSPHRASE_ENV, confirm=True)
            store.change_passphrase(new)
            passphrases.remember(store.path, new)
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


def cmd_verify_audit(args: argparse.Namespace, passphrases: Passphrases) -> int:
    with passphrases.open_store() as store:
        report = store.audit.reset_head() if args.reset_head else store.audit.verify()
    sealed = f", {report.sealed} of deleted matters (sealed)" if report.sealed else ""
    print(
        f"audit log verifies: {report.entries} entries{sealed}; head at entry "
        f"{report.head_seq}; {report.checked_objects} reviews, corrections and comparisons match"
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
    "redo": 0,
    "list": 0,
}
FIELDS = ("action", "values", "clause", "fact", "reviewer")
EXAMPLE_LINE = '{"action": "relabel", "clause": "k12", "values": ["Governing Law"]}'
ECHO_LIMIT = 80  # characters of a comment or clause text echoed to the terminal


@dataclass(frozen=True)
class Spec:
    """One correction, its form checked and its values converted, before anything is stored."""

    action: str
    args: tuple[Any, ...]  # the values, converted: categories, offsets, a fact's value
    target: str | None  # --clause ID or --fact NAME
    reviewer: str


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


def _shown(value: object) -> str:
    """A value read from a batch line, as JSON, short enough for an error message."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_spec(raw: object, reviewer: str = "") -> Spec:
    """Check one correction's form (the command line's, or one line of a batch) and convert
    its values, so that a batch is refused whole before anything is stored. What needs the
    store (a clause id, a span inside the text) is checked when it is applied."""
    from westfall_legal.store.corrections import check_span_order
    from westfall_legal.store.facts import check_fact

    if not isinstance(raw, dict):
        raise KnownError(
            f"a correction is a JSON object, not {_shown(raw)}.", hint=f"e.g. {EXAMPLE_LINE}"
        )
    unknown = [k for k in raw if k not in FIELDS]
    if unknown:
        raise KnownError(
            f"unknown field {_shown(unknown[0])}.", hint=f"The fields are: {', '.join(FIELDS)}."
        )
    action = raw.get("action")
    if not isinstance(action, str) or action not in ARITY:
        raise KnownError(
            f'"action" must be one of {", ".join(ARITY)}; got {_shown(action)}.',
            hint=f"e.g. {EXAMPLE_LINE}",
        )
    values = raw.get("values") or []
    if not isinstance(values, list) or not all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in values
    ):
        raise KnownError(
            f'"values" must be a list of strings or whole numbers; got {_shown(values)}.',
            hint='e.g. "values": ["Governing Law"], or "values": [120, 480] for a span.',
        )
    for field in ("clause", "fact", "reviewer"):
        if raw.get(field) is not None and not isinstance(raw[field], str):
            raise KnownError(
                f'"{field}" must be a string; got {_shown(raw[field])}.',
                hint=f"e.g. {EXAMPLE_LINE}",
            )
    texts = [str(v) for v in values]
    arity = ARITY[action]
    low, high = arity if isinstance(arity, tuple) else (arity, arity)
    if not low <= len(texts) <= high:
        raise KnownError(
            f"`{action}` takes {low if low == high else f'{low} or {high}'} values, "
            f"got {len(texts)}.",
            hint="See `westfall correct --help`.",
        )
    target = raw.get("clause") or raw.get("fact")
    who = raw.get("reviewer") or reviewer
    if action != "list" and not who.strip():
        raise KnownError(
            "a correction needs the reviewer's name.",
            hint=f"Pass --reviewer NAME or set {REVIEWER_ENV}.",
        )
    args: tuple[Any, ...] = tuple(texts)
    if action == "add":
        args = (_category(texts[0]), _int(texts[1]), _int(texts[2]))
        check_span_order(args[1], args[2])
    elif action == "span":
        args = (_int(texts[0]), _int(texts[1]))
        check_span_order(args[0], args[1])
    elif action == "relabel":
        args = (_category(texts[0]),)
    elif action == "fact":
        if not raw.get("fact"):
            raise KnownError(
                "`fact` needs --fact NAME.", hint="e.g. --fact governing_law fact 'New York'"
            )
        target = raw["fact"]
        args = (check_fact(target, texts[0]),)
    if action in ("accept", "reject", "relabel", "span") and not target:
        raise KnownError(
            f"`{action}` needs --clause ID (or --fact NAME).",
            hint="Clause ids are in the review JSON, e.g. k12.",
        )
    return Spec(action, args, target, who)


def apply_correction(store: Store, document_id: str, spec: Spec) -> Correction:
    """Make one checked correction (inside the caller's transaction, if any)."""
    fix, action, args, target, who = (
        store.corrections,
        spec.action,
        spec.args,
        spec.target,
        spec.reviewer,
    )
    if action == "add":
        return fix.add_clause(document_id, args[0], args[1], args[2], reviewer=who)
    if action == "comment":
        return fix.comment(document_id, args[0], reviewer=who, target=target)
    if action == "undo":
        return fix.undo(document_id, reviewer=who, correction_id=args[0] if args else None)
    if action == "redo":
        return fix.redo(document_id, reviewer=who)
    if action == "fact":
        return fix.edit_fact(document_id, str(target), args[0], reviewer=who)
    if action == "relabel":
        return fix.relabel(document_id, str(target), args[0], reviewer=who)
    if action == "span":
        return fix.change_span(document_id, str(target), args[0], args[1], reviewer=who)
    if action == "accept":
        return fix.accept(document_id, str(target), reviewer=who)
    if action == "reject":
        return fix.reject(document_id, str(target), reviewer=who)
    raise KnownError(f"`{action}` is not a correction.")


def _clipped(value: Any) -> Any:
    """``value`` with every long string cut to its first characters and its length."""
    if isinstance(value, str) and len(value) > ECHO_LIMIT:
        return f"{value[:ECHO_LIMIT]}… ({len(value):,} characters)"
    if isinstance(value, dict):
        return {k: _clipped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clipped(v) for v in value]
    return value


def _describe(c: Correction) -> str:
    on = f" {c.ref}" if c.ref else ""
    on += f" (redo of {c.redoes})" if c.redoes else ""
    before, after = (json.dumps(_clipped(v), ensure_ascii=False) for v in (c.before, c.after))
    return f"{c.id}  {c.created[:19]}  {c.reviewer}: {c.action}{on}  {before} -> {after}"


def _at(where: str, exc: WestfallError) -> WestfallError:
    """The same error, its message prefixed with the batch line it came from."""
    located = copy.copy(exc)
    located.message = f"{where}: {exc.message} (nothing from the batch was stored)"
    located.args = (located.message,)
    return located


def cmd_correct(args: argparse.Namespace, passphrases: Passphrases) -> int:
    reviewer = args.reviewer or os.environ.get(REVIEWER_ENV, "")
    if args.batch:
        lines = _batch(Path(args.batch))
    elif args.action:
        given = {"action": args.action, "values": args.values, "clause": args.clause}
        lines = [("", {**given, "fact": args.fact})]
    else:
        raise KnownError("say which correction to make.", hint="e.g. `... --clause k3 accept`")
    with passphrases.open_store() as store:
        document = store.reviews.find(args.matter, args.document)
        specs = []
        for where, raw in lines:  # every line is checked before anything is stored
            try:
                spec = parse_spec(raw, reviewer)
                if where and spec.action == "list":
                    raise KnownError(
                        "`list` is not a correction.",
                        hint="Run `westfall correct ... list` alone.",
                    )
            except WestfallError as exc:
                raise (_at(where, exc) if where else exc) from None
            specs.append((where, spec))
        if specs[0][1].action == "list":
            for c in store.corrections.history(document.id):
                print(_describe(c))
            return ExitCode.OK
        made = []
        with store.write():  # all of them, or none: a refusal rolls back the ones before it
            for where, spec in specs:
                try:
                    made.append(apply_correction(store, document.id, spec))
                except WestfallError as exc:
                    raise (_at(where, exc) if where else exc) from None
    for c in made:
        print(_describe(c))
    return ExitCode.OK


def _batch(path: Path) -> list[tuple[str, object]]:
    """JSON lines: {"action": ..., "values": [...], "clause"/"fact": ..., "reviewer": ...},
    each with where it is ("FILE, line N"; blank lines are skipped but counted)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise KnownError(
            f"{path}: cannot read the corrections ({exc}).",
            hint=f"One JSON object per line, e.g. {EXAMPLE_LINE}",
        ) from None
    lines: list[tuple[str, object]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            lines.append((f"{path}, line {n}", json.loads(line)))
        except ValueError as exc:
            raise KnownError(
                f"{path}, line {n}: not JSON ({exc}); nothing from the batch was stored.",
                hint=f"One JSON object per line, e.g. {EXAMPLE_LINE}",
            ) from None
    if not lines:
        raise KnownError(f"{path}: no corrections in it.", hint=f"e.g. {EXAMPLE_LINE}")
    return lines


# parser ------------------------------------------------------------------------------------


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
        "undo [CORRECTION_ID], redo, list.",
    )
    correct.add_argument("--matter", required=True)
    correct.add_argument("--document", required=True, help="file name, id or sha256")
    correct.add_argument("--reviewer", help=f"who corrects (default: ${REVIEWER_ENV})")
    correct.add_argument("--clause", help="the clause id (from the review JSON, e.g. k12)")
    correct.add_argument("--fact", help="the key fact's name (e.g. governing_law)")
    correct.add_argument(
        "--batch",
        help="a JSON-lines file of corrections, e.g. " + EXAMPLE_LINE.replace("%", "%%") + "; "
        "every line is checked first, then all are stored in one go, or none",
    )
    correct.add_argument("action", nargs="?", choices=tuple(ARITY))
    correct.add_argument("values", nargs="*")
    correct.set_defaults(func=cmd_correct)
