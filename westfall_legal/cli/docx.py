"""`westfall compare OLD NEW` and `westfall export-docx FILE`: two versions of a contract
aligned clause by clause, and a review handed back as a Word file.

Both review their inputs as `westfall review` does (any mix of PDF, scan, Word and text
files) without the language model's summary, which neither needs. The core does the work
(:mod:`westfall_legal.handback`, the Word adapter :mod:`westfall_legal.ingest.docx`); this
module reads argv, prints and writes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from westfall_legal.cli.common import Passphrases, ProgressBar
from westfall_legal.errors import ExitCode, KnownError, UnsupportedFileError

if TYPE_CHECKING:
    from westfall_legal.models import Review
    from westfall_legal.pipeline import Engines
    from westfall_legal.settings import Settings
    from westfall_legal.store import DocumentState

FORMATS = ("json", "html")


def _settings(no_llm: bool) -> Settings:
    from westfall_legal.settings import load

    settings = load()
    return settings.replace(use_llm=False) if no_llm else settings


def _review(
    path: Path, settings: Settings, engines: Engines, password: str | None, quiet: bool
) -> Review:
    """One input reviewed (a folder is refused: these commands take files)."""
    from westfall_legal.pipeline import analyse

    if path.is_dir():
        raise UnsupportedFileError(
            f"{path}: is a folder; compare and export-docx take one file each.",
            hint="Name the contract file itself (PDF, scan, .docx or .txt).",
        )
    bar = ProgressBar(path.name, enabled=not quiet)
    try:
        return analyse(path, settings=settings, engines=engines, password=password,
                       progress=bar, with_llm=False)  # fmt: skip
    finally:
        bar.close()


def _formats(raw: str) -> list[str]:
    formats = [f.strip() for f in raw.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise KnownError(
            f"unknown output format {', '.join(bad) or '(none)'}.",
            hint=f"Use --format with one or more of: {', '.join(FORMATS)}.",
        )
    return formats


# compare -------------------------------------------------------------------------------------
def cmd_compare(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.cli.comparisons import store_comparison, write_comparison
    from westfall_legal.handback.compare import compare
    from westfall_legal.handback.redline import compare_html, compare_json
    from westfall_legal.pipeline import Engines
    from westfall_legal.report import review_json

    formats = _formats(args.format)
    old_path, new_path = Path(args.old), Path(args.new)
    settings, engines = _settings(True), Engines()  # the playbook's findings need no LLM
    old = _review(old_path, settings, engines, args.password, args.quiet)
    new = _review(new_path, settings, engines, args.password, args.quiet)
    data = compare_json(compare(old, new, ocr_tolerant=not args.strict))
    html = compare_html(data) if args.matter or "html" in formats else ""
    if args.matter:
        from westfall_legal.cli.store import store_review

        for path, review in ((old_path, old), (new_path, new)):
            store_review(passphrases, args.matter, path, review_json(review))
        store_comparison(passphrases, args.matter, data, html)
    stem = report_stem(old_path, new_path)
    written = write_comparison(Path(args.out), stem, formats, data, html)
    print(f"{old_path} → {new_path}: {_counts(data)}; wrote {', '.join(map(str, written))}")
    for r in data["risks"]:
        print(f"  risk: {r['description']}")
    for f in data["facts"]:
        print(f"  fact: {f['description']}")
    for side, doc in (("old", data["old"]), ("new", data["new"])):
        for warning in doc["warnings"]:
            print(f"westfall: warning: {doc['path']} ({side}): {warning}.", file=sys.stderr)
    return ExitCode.OK


def report_stem(old: Path, new: Path) -> str:
    """``a_vs_b``; for one name twice, ``msa_pdf_vs_docx`` or ``msa_v1_vs_v2`` (folders)."""
    if old.stem.casefold() != new.stem.casefold():
        return f"{old.stem}_vs_{new.stem}"
    if old.suffix.casefold() != new.suffix.casefold():
        return f"{old.stem}_{old.suffix[1:]}_vs_{new.suffix[1:]}"
    return f"{old.stem}_{old.resolve().parent.name}_vs_{new.resolve().parent.name}"


def _counts(data: dict[str, Any]) -> str:
    c = data["counts"]
    clauses = ", ".join(f"{c[k]} {k}" for k in ("changed", "added", "removed", "moved",
                                                "renumbered", "unchanged"))  # fmt: skip
    misread = (
        f"; {c['ocr_ignored']} OCR differences ignored (see the redline; --strict counts them)"
        if "ocr_ignored" in c
        else ""
    )
    return (
        f"{clauses}; {len(data['facts'])} key facts changed; "
        f"{sum(r['change'] == 'appeared' for r in data['risks'])} risks appeared, "
        f"{sum(r['change'] == 'went away' for r in data['risks'])} went away{misread}"
    )


# export-docx ---------------------------------------------------------------------------------
def cmd_export_docx(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.handback.notes import review_notes, reviewed_notes
    from westfall_legal.pipeline import Engines
    from westfall_legal.report import review_json
    from westfall_legal.session.word_copy import write_word_copy

    path = Path(args.file)
    review = _review(path, _settings(args.no_llm), Engines(), args.password, args.quiet)
    data = review_json(review)
    if args.matter:
        state = _stored(passphrases, args.matter, path, data["document"]["sha256"])
        found, mine = reviewed_notes(state)
        findings = len(state.findings)
    else:
        found, mine = review_notes(data["findings"], data["clauses"]), 0
        findings = len(data["findings"])
    notes = [n.anchored() for n in found]
    out = Path(args.out) if args.out else Path("out") / f"{path.stem}.reviewed.docx"
    if out.suffix.lower() != ".docx":
        raise KnownError(f"{out}: the Word copy must be named .docx.", hint="Use --out NAME.docx.")
    copy = write_word_copy(review, path, notes, out)
    print(
        f"{path}: wrote {out}, {copy.how(count=True)}, with {copy.comments} comments "
        f"({findings} findings, {mine} reviewer comments); the original is unchanged"
    )
    return ExitCode.OK


def _stored(passphrases: Passphrases, matter: str, path: Path, sha256: str) -> DocumentState:
    """The file's review as kept in ``matter``, with its corrections; the file must be the
    one stored (same sha256)."""
    from westfall_legal.errors import NotInStoreError

    with passphrases.open_store() as store:
        try:
            doc = store.reviews.find(matter, sha256)
        except NotInStoreError as exc:
            raise NotInStoreError(
                f"{path}: this file is not in matter {matter!r} ({exc.message})",
                hint=f"Review it into the matter first (westfall review --matter {matter!r} "
                "FILE), or leave out --matter to export a fresh review.",
            ) from exc
        return store.corrections.state(doc.id)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    compare = sub.add_parser(
        "compare", help="compare two versions of a contract clause by clause (JSON, HTML redline)"
    )
    compare.add_argument("old", help="the earlier version (PDF, scan, .docx or .txt)")
    compare.add_argument("new", help="the later version (PDF, scan, .docx or .txt)")
    compare.add_argument("--out", default="out", help="output folder (default: out)")
    compare.add_argument("--format", default="json,html", help="json, html or both (default)")
    compare.add_argument("--password", help="password of a protected PDF")
    compare.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    compare.add_argument(
        "--matter", help="also keep both reviews and the comparison in this matter of the store"
    )
    compare.add_argument(
        "--strict",
        action="store_true",
        help="count every word difference, OCR misreadings of a scan included",
    )
    compare.set_defaults(func=cmd_compare)
    export = sub.add_parser(
        "export-docx", help="hand the review back as a Word file, findings as comments"
    )
    export.add_argument("file", help="the contract (a .docx is copied; others get a clean .docx)")
    export.add_argument("--out", help="the Word file to write (default: out/NAME.reviewed.docx)")
    export.add_argument(
        "--matter", help="use the review kept in this matter, with the reviewers' comments"
    )
    export.add_argument("--password", help="password of a protected PDF")
    export.add_argument("--no-llm", action="store_true", help="do not use the local LLM")
    export.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    export.set_defaults(func=cmd_export_docx)
