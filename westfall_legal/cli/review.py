"""`westfall review FILE|FOLDER ...`: review each contract and write its reports.

Each file is reviewed inside its own error boundary: a known error is said in one line and
an unexpected one (a bug) leaves a crash report, and the other files go on either way; the
exit code is the first failure's. A folder's files that cannot be reviewed get one line each.
Two inputs that would write the same report name get names of their own, and the output says so.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from westfall_legal.cli.common import Passphrases, ProgressBar
from westfall_legal.crash import save_crash_report
from westfall_legal.errors import (
    ExitCode,
    InputNotFoundError,
    KnownError,
    StoreError,
    UnsupportedFileError,
)

if TYPE_CHECKING:
    from westfall_legal.models import Review
    from westfall_legal.pipeline import Engines
    from westfall_legal.settings import Settings

log = logging.getLogger(__name__)
FORMATS = ("json", "html")
LISTED = 5  # failures named in the closing summary line


@dataclass
class Inputs:
    """The files to review, in order, and the folder entries that cannot be (with why)."""

    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def expand(inputs: Sequence[str]) -> Inputs:
    """Named files as they are (a bad one fails in its review); a folder's documents, sorted.

    A folder's other entries get a line each: unsupported files (with the hint to save them
    as PDF where that works) and subfolders; hidden files (``.DS_Store``) are passed over.
    The same file named twice is reviewed once.
    """
    from westfall_legal.ingest.formats import READ_SUFFIXES
    from westfall_legal.ingest.pdf import check_file

    found = Inputs()
    seen: set[Path] = set()
    for raw in inputs:
        path = Path(raw)
        if not path.is_dir():
            _add(found, seen, path)
            continue
        documents = 0
        for entry in sorted(path.iterdir()):
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                found.skipped.append(f"{entry}: a folder inside {path}; review it on its own.")
            elif entry.suffix.lower() not in READ_SUFFIXES:
                try:
                    check_file(entry)
                except UnsupportedFileError as exc:
                    found.skipped.append(exc.user_line())
            else:
                documents += 1
                _add(found, seen, entry)
        if not documents:
            raise InputNotFoundError(
                f"{path}: the folder has no PDF, PNG, JPEG, TIFF, Word or text files.",
                hint="Point at a contract file or a folder of them.",
            )
    return found


def _add(found: Inputs, seen: set[Path], path: Path) -> None:
    key = path.resolve()
    if key not in seen:
        seen.add(key)
        found.files.append(path)


def _short_hash(path: Path) -> str:
    return hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:8]


def report_stems(files: Sequence[Path]) -> dict[Path, str]:
    """The report name (``NAME.review.json``) of each file: its stem, unless another input
    shares it (``contract.pdf`` from two folders, or ``contract.pdf`` and ``contract.png``);
    those take their folder's name in front (``acme_contract``), or, when that is shared
    as well, a short hash of their full path (``contract-1a2b3c4d``). Names are compared
    as a case-insensitive file system would."""
    counts = Counter(p.stem.casefold() for p in files)
    stems = {p: p.stem for p in files}
    clashing = [p for p in files if counts[p.stem.casefold()] > 1]
    for p in clashing:
        stems[p] = f"{p.resolve().parent.name}_{p.stem}" if p.resolve().parent.name else p.stem
    taken = Counter(s.casefold() for s in stems.values())
    for p in clashing:
        if taken[stems[p].casefold()] > 1:
            stems[p] = f"{p.stem}-{_short_hash(p)}"
    return stems


@dataclass
class Run:
    """One `westfall review` run: its settings, engines and what failed so far."""

    args: argparse.Namespace
    formats: list[str]
    settings: Settings
    engines: Engines
    passphrases: Passphrases
    failures: list[tuple[Path, str, int]] = field(default_factory=list)  # path, why, code

    def review(self, path: Path, stem: str, renamed: bool) -> None:
        """Review one file and write its reports; raise what fails."""
        from westfall_legal.pipeline import analyse
        from westfall_legal.report import dumps, review_html, review_json, write_atomic

        args = self.args
        bar = ProgressBar(path.name, enabled=not args.quiet)
        try:
            review = analyse(
                path,
                settings=self.settings,
                engines=self.engines,
                password=args.password,
                progress=bar,
            )
        finally:
            bar.close()
        data = review_json(review)
        if args.matter:
            from westfall_legal.cli.store import store_review

            store_review(self.passphrases, args.matter, path, data)
        out = Path(args.out)
        written = []
        if "json" in self.formats:
            written.append(out / f"{stem}.review.json")
            write_atomic(written[-1], dumps(data))
        if "html" in self.formats:
            written.append(out / f"{stem}.review.html")
            write_atomic(written[-1], review_html(data))
        found = len({c.category for c in review.clauses})
        ct = review.contract_type.label if review.contract_type else "unknown"
        note = f" (named {stem}: another input is also called {path.stem})" if renamed else ""
        print(
            f"{path}: {_extent(review)}, {len(review.clauses)} clauses in "
            f"{found} categories, {ct}; wrote {', '.join(str(w) for w in written)}{note}"
        )
        for warning in review.document.warnings:
            print(f"westfall: warning: {path}: {warning}.", file=sys.stderr)

    def guarded(self, path: Path, stem: str, renamed: bool) -> None:
        """:meth:`review` inside the file's error boundary: whatever fails, the run goes on."""
        try:
            self.review(path, stem, renamed)
        except StoreError:
            raise  # the store (a passphrase, a matter) fails every file alike: say it once
        except KnownError as exc:
            print(f"westfall: {exc.user_line()}", file=sys.stderr)
            self.failures.append((path, exc.message, exc.exit_code))
        except Exception as exc:  # a bug, in this file's review only
            saved = save_crash_report(exc)
            where = (
                f"a report (no document text in it) was saved to {saved}: please send it to "
                "your administrator"
                if saved
                else "the crash report could not be saved"
            )
            print(
                f"westfall: {path}: unexpected error ({type(exc).__name__}); this is a bug in "
                f"Westfall Legal, not your document: {where}. The other files go on.",
                file=sys.stderr,
            )
            self.failures.append((path, f"unexpected error ({type(exc).__name__})", ExitCode.BUG))


def cmd_review(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.pipeline import Engines
    from westfall_legal.settings import load

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise KnownError(
            f"unknown output format {', '.join(bad) or '(none)'}.",
            hint=f"Use --format with one or more of: {', '.join(FORMATS)}.",
        )
    settings = load()
    if args.no_llm:
        settings = settings.replace(use_llm=False)
    inputs = expand(args.files)
    for line in inputs.skipped:
        print(f"westfall: skipped {line}", file=sys.stderr)
    stems = report_stems(inputs.files)
    run = Run(args, formats, settings, Engines(), passphrases)
    for path in inputs.files:
        run.guarded(path, stems[path], stems[path] != path.stem)
    several = len(inputs.files) + len(inputs.skipped) > 1
    if several and (run.failures or inputs.skipped):
        print(_summary(inputs, run.failures), file=sys.stderr)
    return run.failures[0][2] if run.failures else ExitCode.OK


def _extent(review: Review) -> str:
    """``19 pages``; a Word draft or a text file has none: ``259 paragraphs``."""
    if review.document.pages:
        return f"{len(review.document.pages)} pages"
    return f"{len({line.block for line in review.doc_text.lines})} paragraphs"


def _summary(inputs: Inputs, failures: list[tuple[Path, str, int]]) -> str:
    """``westfall: 2 of 3 files reviewed; 1 failed: b.pdf (the file is empty); 1 skipped``"""
    done = len(inputs.files) - len(failures)
    parts = [f"westfall: {done} of {len(inputs.files)} files reviewed"]
    if failures:
        named = "; ".join(
            f"{path.name} ({why.removeprefix(f'{path}: ').rstrip('.')})"
            for path, why, _ in failures[:LISTED]
        )
        more = f"; and {len(failures) - LISTED} more" if len(failures) > LISTED else ""
        parts.append(f"{len(failures)} failed: {named}{more}")
    if inputs.skipped:
        parts.append(f"{len(inputs.skipped)} skipped (not a document Westfall Legal reads)")
    return "; ".join(parts) + "."


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    review = sub.add_parser("review", help="review contracts and write reports")
    review.add_argument(
        "files", nargs="+", help="PDF/PNG/JPEG/TIFF, Word (.docx) or text files, or folders"
    )
    review.add_argument("--out", default="out", help="output folder (default: out)")
    review.add_argument("--format", default="json,html", help="json, html or both (default)")
    review.add_argument("--no-llm", action="store_true", help="skip the local LLM summary")
    review.add_argument("--password", help="password of a protected PDF")
    review.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    review.add_argument("--matter", help="also keep the review in this matter of the store")
    review.set_defaults(func=cmd_review)
