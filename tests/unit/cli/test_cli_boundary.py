"""`main()`'s one error boundary: a known error is one line and its exit code, an interrupt
exits 130, anything else is a bug with a crash report (never the exception's message); and
the passphrase lives in the run's Passphrases, not in a module."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pytest

from westfall_legal.cli import common, feedback, main
from westfall_legal.cli.common import Passphrases
from westfall_legal.errors import EncryptedPdfError, ExitCode, PassphraseRequiredError
from westfall_legal.store import KdfParams, Store

SECRET = "the Licensee shall pay 4,000,000 dollars"  # stands for document text in a message


def _command_raising(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """`westfall feedback-pool` raises ``error``."""

    def command(args: argparse.Namespace, passphrases: Passphrases) -> int:
        raise error

    monkeypatch.setattr(feedback, "cmd_pool", command)


def test_a_known_error_is_its_line_and_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _command_raising(monkeypatch, EncryptedPdfError("a.pdf: the PDF is encrypted."))
    assert main(["feedback-pool"]) == ExitCode.ENCRYPTED == 5
    err = capsys.readouterr().err
    assert err == (
        "westfall: a.pdf: the PDF is encrypted. The PDF is password-protected: run again with "
        "--password PASSWORD.\n"
    )


def test_a_real_known_error(app_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["matter", "list"]) == ExitCode.STORE
    err = capsys.readouterr().err
    assert err.startswith(f"westfall: {app_home / 'store.sqlite3'}: no store yet.")
    assert err.count("\n") == 1 and "matter create" in err


def test_an_interrupt_says_nothing_was_written(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _command_raising(monkeypatch, KeyboardInterrupt())
    assert main(["feedback-pool"]) == ExitCode.CANCELLED == 130
    assert capsys.readouterr().err == "westfall: interrupted; nothing was written.\n"


def test_anything_else_is_a_bug_with_a_crash_report(
    app_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _command_raising(monkeypatch, ZeroDivisionError(SECRET))
    assert main(["feedback-pool"]) == ExitCode.BUG == 1
    err = capsys.readouterr().err
    reports = list((app_home / "crash-reports").glob("crash-*.txt"))
    assert len(reports) == 1
    assert err.startswith("westfall: this is a bug: unexpected error (ZeroDivisionError at ")
    assert f"saved to {reports[0]}" in err and err.count("\n") == 1
    report = reports[0].read_text(encoding="utf-8")
    assert "builtins.ZeroDivisionError (message left out)" in report and "in command" in report
    assert SECRET not in err and SECRET not in report


def test_a_bug_whose_report_cannot_be_saved(
    app_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (app_home / "crash-reports").write_text("a file where the folder should be")
    _command_raising(monkeypatch, RuntimeError(SECRET))
    assert main(["feedback-pool"]) == ExitCode.BUG
    err = capsys.readouterr().err
    assert "this is a bug: unexpected error (RuntimeError" in err
    assert "the crash report could not be saved" in err and SECRET not in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_passphrase_is_kept_by_one_run_only(
    app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = KdfParams("argon2id", "", iterations=1, lanes=1, memory_cost=8)
    Store.create("tin roof rusted", kdf=fast.with_new_salt()).close()
    monkeypatch.delenv("WESTFALL_PASSPHRASE", raising=False)
    run = Passphrases()
    with pytest.raises(PassphraseRequiredError):
        run.open_store()  # not a terminal, nothing in the environment
    run.remember(app_home / "store.sqlite3", "tin roof rusted")
    run.open_store().close()
    run.open_store().close()
    with pytest.raises(PassphraseRequiredError):
        Passphrases().open_store()  # the next run knows nothing of it
    asked: list[str] = []
    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(common.getpass, "getpass", lambda p: asked.append(p) or "tin roof rusted")
    typed = Passphrases()
    typed.open_store().close()
    typed.open_store().close()
    assert len(asked) == 1  # asked once per run
