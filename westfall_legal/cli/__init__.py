"""The command line, ``westfall``, over the same core as the GUI: one module per command group
(review, models, store, feedback, training) and :mod:`~westfall_legal.cli.common` for what
they share.

:func:`main` ends in the one error boundary: a KnownError becomes one line on stderr (what
happened, what to do) and its exit code; anything else is a bug, saved as a crash report.
Building the parser imports no engine (PyMuPDF, llama.cpp) and no training code, so that
``--version``, ``--help`` and the store commands start quickly.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from westfall_legal import __version__
from westfall_legal.cli import (
    comparisons,
    docx,
    feedback,
    models,
    portfolio,
    report,
    review,
    runs,
    store,
    training,
)
from westfall_legal.cli.common import Command, Passphrases
from westfall_legal.errors import ExitCode, KnownError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="westfall", description="Offline contract review (Westfall Legal)."
    )
    parser.add_argument("--version", action="version", version=f"westfall {__version__}")
    parser.add_argument("--data-dir", help="the data folder (default: WESTFALL_HOME or per-user)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True)
    # in the order --help lists them (and docs/cli.md)
    review.add_commands(sub)  # review
    docx.add_commands(sub)  # compare, export-docx
    comparisons.add_parser(sub)  # comparison list|export
    portfolio.add_parser(sub)  # portfolio
    training.add_training_commands(sub)  # evaluate, train-clauses, train-encoder
    models.add_commands(sub)  # models
    store.add_commands(sub)  # matter, store, verify-audit, correct
    feedback.add_commands(sub)  # feedback-key, export-, import-feedback, -trust, -pool
    training.add_retraining_commands(sub)  # retrain, finetune
    feedback.add_drift_command(sub)  # drift
    training.add_clause_model_command(sub)  # clause-model
    runs.add_parser(sub)  # runs
    report.add_parser(sub)  # report accuracy
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``westfall`` command; returns its exit code (:class:`ExitCode`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.data_dir:
        os.environ["WESTFALL_HOME"] = args.data_dir
    return run(args.func, args)


def run(command: Command, args: argparse.Namespace) -> int:
    """The one error boundary (OCRmyPDF's ``cli_exception_handler``): ``command``'s exit
    code; a KnownError's line and code; an interrupt's; or, for anything else, a bug."""
    try:
        return command(args, Passphrases())
    except KnownError as exc:
        print(f"westfall: {exc.user_line()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("westfall: interrupted; nothing was written.", file=sys.stderr)
        return ExitCode.CANCELLED
    except Exception as exc:
        print(f"westfall: {bug_line(exc)}", file=sys.stderr)
        return ExitCode.BUG


def bug_line(exc: Exception) -> str:
    """Save the crash report of ``exc`` (its traceback, never its message: that can hold
    document text or a passphrase) in the data folder and say where, in one line."""
    from westfall_legal.crash import save_crash_report

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    saved = save_crash_report(exc)
    report = (
        f"the report (no document text in it) was saved to {saved}: please send it to your "
        "administrator"
        if saved
        else "the crash report could not be saved"
    )
    return (
        f"this is a bug: unexpected error ({type(exc).__name__}{where}) in Westfall Legal, "
        f"not in your documents or settings; {report}."
    )
