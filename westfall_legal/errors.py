"""The project's error tree.

Every error the user can meet carries a one-line message that names the file (or thing)
concerned, a hint with the next step, and the exit code the CLI returns. ``KnownError`` is
"the input or the environment failed" (the user can act on it); anything else that escapes
is a bug in Westfall Legal.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any


class ExitCode(enum.IntEnum):
    """What ``westfall`` returns; ``BUG`` is an error that is not a KnownError."""

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

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle with the hint (errors come back from OCR worker processes)."""
        return (_rebuild, (type(self), self.message, self.hint), self.__dict__)

    def user_line(self) -> str:
        """One line for the user: what happened and what to do next."""
        return f"{self.message} {self.hint}".strip() if self.hint else self.message


def _rebuild(cls: type[WestfallError], message: str, hint: str) -> WestfallError:
    error = cls.__new__(cls)
    WestfallError.__init__(error, message, hint=hint)
    return error


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
    default_hint = "Westfall Legal opens PDF, PNG, JPEG, TIFF, Word (.docx) and text (.txt) files."


class WordBinaryError(UnsupportedFileError):
    """A Word 97-2003 .doc: an OLE compound file, not the .docx (ZIP) format."""

    default_hint = (
        "Open it in Word (or LibreOffice), save it as a Word Document (.docx) with File > Save "
        "As, and review the .docx."
    )


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


class CorruptDocxError(CorruptDocumentError):
    default_hint = (
        "Open it in Word and save it again as .docx, or ask the sender for a new copy; a file "
        "cut short by a download or copy cannot be read."
    )


class DocxTooLargeError(KnownError):
    """A Word file over the size limits: very likely a zip bomb; nothing was inflated."""

    default_hint = (
        "A real contract is far smaller: nothing was unpacked. Ask the sender for the file "
        "again, or open it in Word, save it as PDF, and review the PDF."
    )


class ImageTooLargeError(KnownError):
    default_hint = (
        "Scan the page again at 300 to 600 dpi, or save it as PDF or as a smaller image, "
        "and review that file."
    )


class EncryptedPdfError(KnownError):
    exit_code = ExitCode.ENCRYPTED
    default_hint = "The PDF is password-protected: run again with --password PASSWORD."


class WrongPasswordError(EncryptedPdfError):
    default_hint = "The password did not open the PDF: check it and run again with --password."


class EncryptedDocxError(KnownError):
    exit_code = ExitCode.ENCRYPTED
    default_hint = (
        "Open it in Word, remove the password (File > Info > Protect Document > Encrypt with "
        "Password, then clear it), save it, and review it again."
    )


class NoTextError(KnownError):
    default_hint = "No text could be read from the document, even with OCR."


class MissingDependencyError(KnownError):
    exit_code = ExitCode.MISSING_DEPENDENCY


class ModelError(KnownError):
    exit_code = ExitCode.MODEL
    default_hint = "Run `westfall train-clauses --cuad DIR` or reinstall Westfall Legal."


class LlmTimeoutError(KnownError):
    """The local language model ran past ``llm_timeout_s`` and was stopped."""

    exit_code = ExitCode.MODEL
    default_hint = "Raise llm_timeout_s in the settings, or review with --no-llm."


class OutputError(KnownError):
    default_hint = "Check that the output folder exists, is writable and the disk is not full."


class SettingsError(KnownError):
    exit_code = ExitCode.USAGE
    default_hint = "Fix or delete the settings file; defaults are used for missing keys."


class StoreError(KnownError):
    """The encrypted store (``store.sqlite3`` in the data folder) refused or failed."""

    exit_code = ExitCode.STORE
    default_hint = (
        "Run `westfall verify-audit`; if the store is damaged, restore the last good backup "
        "with `westfall store restore FILE`."
    )


class StoreNotFoundError(StoreError):
    default_hint = "Create it with `westfall matter create NAME` (you will choose a passphrase)."


class StoreExistsError(StoreError):
    default_hint = "Open the existing store, or point --data-dir at another folder."


class PassphraseRequiredError(StoreError):
    exit_code = ExitCode.USAGE
    default_hint = "Run in a terminal to be asked for it, or set WESTFALL_PASSPHRASE for scripts."


class WrongPassphraseError(StoreError):
    default_hint = (
        "Check the passphrase (and WESTFALL_PASSPHRASE if it is set) and try again; "
        "nothing in the store was changed."
    )


class StoreTamperedError(StoreError):
    default_hint = (
        "The store was altered outside Westfall Legal: run `westfall verify-audit` and restore "
        "the last good backup with `westfall store restore FILE`."
    )


class AuditBrokenError(StoreTamperedError):
    """The audit chain does not verify; ``seq`` is the first broken entry (0: the head file)."""

    def __init__(self, message: str, *, seq: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.seq = seq


class SchemaTooNewError(StoreError):
    default_hint = (
        "The store was written by a newer Westfall Legal: run that version (the store was "
        "left unchanged; it is never downgraded)."
    )


class NotInStoreError(StoreError):
    """A matter, document, clause or correction named by the user is not in the store."""

    default_hint = "List what is stored with `westfall matter list`."


class MatterClosedError(StoreError):
    default_hint = "The matter is closed: reopen it with `westfall matter reopen NAME` first."


class KeyDestroyedError(StoreError):
    default_hint = (
        "The matter was deleted and its key destroyed (crypto-shredding): its data cannot be "
        "read by this store any more."
    )


class FeedbackBundleError(KnownError):
    """A feedback bundle cannot be written, read or trusted; nothing was imported."""

    default_hint = (
        "Ask the sender to export the bundle again with `westfall export-feedback` and send "
        "the file unchanged; nothing was imported."
    )


class BundleTamperedError(FeedbackBundleError):
    """A member, the manifest or the signature of a bundle does not verify."""

    default_hint = (
        "The bundle was altered or damaged after it was signed: do not use it; ask the sender "
        "for a fresh export (nothing was imported)."
    )


class BundleVersionError(FeedbackBundleError):
    default_hint = (
        "The bundle was written by another Westfall Legal version: import it with a version "
        "that knows its format (nothing was imported)."
    )


class BundleRecipientError(FeedbackBundleError):
    default_hint = (
        "The bundle is encrypted to another installation's key: ask the sender to export it "
        "again with --recipient set to the key `westfall feedback-key` prints here."
    )


class UntrustedSignerError(FeedbackBundleError):
    """A verified bundle signed by a key this installation does not trust."""

    default_hint = (
        "Check the fingerprint with the sender (`westfall feedback-key` prints it there). "
        'Then trust the key with `westfall feedback-trust add KEY --name "Office B"`, or import '
        "this one bundle with --trust-once. Nothing was imported."
    )


class AnonymisationError(FeedbackBundleError):
    default_hint = (
        "Nothing was written. Check the document's parties and signatories in the review, "
        "or report this as a bug."
    )


class AdapterGateError(ModelError):
    """A candidate LoRA adapter is not proven to help the review."""

    default_hint = (
        "Read its comparison with `westfall models compare ID`; activate anyway only with "
        "--force, and switch it off with `westfall models rollback --adapter`."
    )


class ClauseModelGateError(ModelError):
    """A candidate clause model is not proven better than the active one."""

    default_hint = (
        "Read the comparison with `westfall clause-model compare ID`; activate anyway only "
        "with --force, and roll back with `westfall clause-model rollback`."
    )
