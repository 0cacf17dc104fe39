"""The project's error tree.

Every error the user can meet carries a one-line message that names the file (or thing)
concerned, a hint with the next step, and the exit code the CLI returns. ``KnownError`` is
"the input or the environment failed" (the user can act on it); anything else that escapes
is a bug in Westfall Legal.
"""

from __future__ import annotations

from pathlib import Path


class ExitCode:
    OK = 0
    BUG = 1
    USAGE = 2
    INPUT_MISSING = 3
    BAD_INPUT = 4
    ENCRYPTED = 5
    MISSING_DEPENDENCY = 6
    MODEL = 7
    STORE = 8
    CANCELLED = 130


class WestfallError(Exception):
    """Base of every error raised on purpose by Westfall Legal."""

    exit_code: int = ExitCode.BUG
    default_hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint

    def user_line(self) -> str:
        """One line for the user: what happened and what to do next."""
        return f"{self.message} {self.hint}".strip() if self.hint else self.message


class KnownError(WestfallError):
    """The input or the environment failed; the user can do something about it."""

    exit_code = ExitCode.BAD_INPUT


class Cancelled(KnownError):
    exit_code = ExitCode.CANCELLED
    default_hint = "Nothing was written."


class InputNotFoundError(KnownError):
    exit_code = ExitCode.INPUT_MISSING
    default_hint = "Check the path and try again."

    @classmethod
    def for_path(cls, path: Path) -> InputNotFoundError:
        return cls(f"{path}: no such file.")


class UnsupportedFileError(KnownError):
    default_hint = "Westfall Legal opens PDF, PNG, JPEG and TIFF files."


class EmptyFileError(KnownError):
    default_hint = "The file has no content: export or scan the contract again."


class NotAPdfError(KnownError):
    default_hint = (
        "The file is named .pdf but is not a PDF: check that the right file was saved, "
        "or open it with the program that made it and export it as PDF."
    )


class CorruptDocumentError(KnownError):
    default_hint = (
        "The file is damaged or truncated: download or export it again, or print it to a new PDF."
    )


class EncryptedPdfError(KnownError):
    exit_code = ExitCode.ENCRYPTED
    default_hint = "The PDF is password-protected: run again with --password PASSWORD."


class WrongPasswordError(EncryptedPdfError):
    default_hint = "The password did not open the PDF: check it and run again with --password."


class NoTextError(KnownError):
    default_hint = "No text could be read from the document, even with OCR."


class MissingDependencyError(KnownError):
    exit_code = ExitCode.MISSING_DEPENDENCY


class ModelError(KnownError):
    exit_code = ExitCode.MODEL
    default_hint = "Run `westfall train-clauses --cuad DIR` or reinstall Westfall Legal."


class OutputError(KnownError):
    default_hint = "Check that the output folder exists, is writable and the disk is not full."


class SettingsError(KnownError):
    exit_code = ExitCode.USAGE
    default_hint = "Fix or delete the settings file; defaults are used for missing keys."
