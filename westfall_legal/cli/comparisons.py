"""`westfall comparison list|export MATTER`: the comparisons that `westfall compare --matter`
kept in a matter, listed, and one written back out as its JSON and HTML redline.

The store does the work (:mod:`westfall_legal.store.comparisons`); this module reads argv,
prints and writes. `westfall matter show` lists the same comparisons under the documents.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from westfall_legal.cli.common import Passphrases
from westfall_legal.cli.docx import _formats, report_stem
from westfall_legal.errors import ExitCode, KnownError
from westfall_legal.session.comparisons import counts_line

if TYPE_CHECKING:
    from westfall_legal.store import ComparisonInfo, Store


def store_comparison(
    passphrases: Passphrases, matter: str, data: dict[str, Any], html: str
) -> None:
    """`westfall compare OLD NEW --matter NAME`: keep the comparison in that matter (after
    both reviews, so that it is linked to their documents)."""
    with passphrases.open_store() as store:
        info = store.comparisons.add(matter, data, html)
    linked = sum(d is not None for d in (info.old_document_id, info.new_document_id))
    print(
        f"comparison stored in matter {matter!r} ({info.id}; linked to {linked} of its "
        "documents); `westfall comparison export` writes it back out"
    )


def write_comparison(
    out: Path, stem: str, formats: list[str], data: dict[str, Any], html: str
) -> list[Path]:
    """``out/STEM.compare.json`` and/or ``.html`` written (atomically); returns the paths."""
    from westfall_legal.report import dumps, write_atomic

    written = []
    if "json" in formats:
        written.append(out / f"{stem}.compare.json")
        write_atomic(written[-1], dumps(data))
    if "html" in formats:
        written.append(out / f"{stem}.compare.html")
        write_atomic(written[-1], html)
    return written


def describe(info: ComparisonInfo) -> str:
    """One line of a listing: id, when, which versions, the counts."""
    when = info.created[:16].replace("T", " ")
    return f"{info.id}  {when}  {info.old_file} → {info.new_file}: {counts_line(info)}"


def print_comparisons(store: Store, matter_id: str, indent: str = "  ") -> None:
    """The matter's comparisons, one line each (nothing when there are none)."""
    found = store.comparisons.list(matter_id)
    if found:
        print(f"{indent}comparisons ({len(found)}):")
    for info in found:
        print(f"{indent}  {describe(info)}")


def cmd_comparison(args: argparse.Namespace, passphrases: Passphrases) -> int:
    with passphrases.open_store() as store:
        matter = store.matters.get(args.matter)
        if args.action == "list":
            found = store.comparisons.list(matter.id)
            if not found:
                print(
                    f"matter {matter.name!r} keeps no comparisons: "
                    "`westfall compare OLD NEW --matter NAME` keeps one"
                )
            for info in found:
                print(describe(info))
            return ExitCode.OK
        if not args.id:
            raise KnownError(
                "`westfall comparison export` needs the comparison's id.",
                hint=f"List them with `westfall comparison list {args.matter!r}`.",
            )
        kept = store.comparisons.get(matter.id, args.id)
    return _export(kept.info, kept.data, kept.html, Path(args.out), _formats(args.format))


def _export(
    info: ComparisonInfo, data: dict[str, Any], html: str, out: Path, formats: list[str]
) -> int:
    stem = f"{report_stem(Path(info.old_file), Path(info.new_file))}.{info.id[:8]}"
    written = write_comparison(out, stem, formats, data, html)
    print(f"comparison {info.id} ({info.old_file} → {info.new_file}): wrote "
          f"{', '.join(map(str, written))}")  # fmt: skip
    return ExitCode.OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "comparison", help="comparisons kept in a matter (westfall compare --matter)"
    )
    parser.add_argument("action", choices=("list", "export"))
    parser.add_argument("matter", help="the matter's name (or id)")
    parser.add_argument("id", nargs="?", help="export: the comparison's id (or its first 6+)")
    parser.add_argument("--out", default="out", help="export: output folder (default: out)")
    parser.add_argument("--format", default="json,html", help="export: json, html or both")
    parser.set_defaults(func=cmd_comparison)
