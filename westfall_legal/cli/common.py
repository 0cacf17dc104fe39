"""What the command groups share: the progress bar, the passphrases of one run, and opening
the store with them.

The passphrase comes from ``WESTFALL_PASSPHRASE`` (scripts, tests) or a prompt; a new one
(first run, ``store passwd``) from ``WESTFALL_NEW_PASSPHRASE`` or a prompt asked twice. It is
never logged or echoed, and it is kept only by the :class:`Passphrases` of one invocation.

Nothing heavy is imported here: ``westfall --version`` and ``--help`` load this module.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from westfall_legal import paths
from westfall_legal.errors import PassphraseRequiredError, StoreError, StoreNotFoundError

if TYPE_CHECKING:
    from westfall_legal.progress import ProgressEvent
    from westfall_legal.store import Store

PASSPHRASE_ENV = "WESTFALL_PASSPHRASE"
NEW_PASSPHRASE_ENV = "WESTFALL_NEW_PASSPHRASE"


class ProgressBar:
    """A one-line progress bar on stderr (plain lines when stderr is not a terminal)."""

    def __init__(self, label: str, enabled: bool = True) -> None:
        self.label = label
        self.enabled = enabled
        self.tty = sys.stderr.isatty()

    def __call__(self, event: ProgressEvent) -> None:
        if not self.enabled or not self.tty:
            return
        width = 30
        filled = int(width * event.done / max(event.total, 1))
        sys.stderr.write(
            f"\r{self.label[:40]:40} {event.stage:9} [{'#' * filled}{'.' * (width - filled)}] "
            f"{event.done}/{event.total}"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.tty:
            sys.stderr.write("\r" + " " * 100 + "\r")


class UpgradeProgress:
    """An old store's upgrade as it opens (indexing its documents, about 1 s per 10,000): the
    bar on a terminal, otherwise a line on stderr at each tenth, so a script's log shows it."""

    def __init__(self) -> None:
        self.bar = ProgressBar("upgrading the store")
        self.said = -1  # the last tenth written as a line (or drawn)

    def __call__(self, event: ProgressEvent) -> None:
        if self.bar.tty:
            self.bar(event)
            self.said = 10
            return
        tenth = event.done * 10 // max(event.total, 1)
        if tenth > self.said:
            self.said = tenth
            sys.stderr.write(
                f"westfall: upgrading the store: {event.message}, {event.done} of {event.total}\n"
            )

    def close(self) -> None:
        if self.said >= 0:
            self.bar.close()  # clears a bar drawn (nothing without a terminal)


class Passphrases:
    """The passphrases of one ``westfall`` run: read from the environment or asked at the
    terminal. The one that opened (or last set) a store is kept for the rest of the run, so
    that ``review --matter`` over many files asks once. ``main()`` makes one per invocation."""

    def __init__(self) -> None:
        self._unlocked: dict[Path, str] = {}

    def ask(self, prompt: str, env: str = PASSPHRASE_ENV, *, confirm: bool = False) -> str:
        value = os.environ.get(env)
        if value:
            return value
        if not sys.stdin.isatty():
            raise PassphraseRequiredError(f"a passphrase is needed and {env} is not set.")
        first = getpass.getpass(prompt)
        if confirm:  # a new passphrase: refuse a weak one before asking for it again
            from westfall_legal.store import check_new_passphrase

            check_new_passphrase(first)
        if confirm and getpass.getpass("Repeat it: ") != first:
            raise StoreError("the two passphrases differ; nothing was changed.", hint="Try again.")
        return first

    def remember(self, path: Path, passphrase: str) -> None:
        """``passphrase`` opens the store at ``path`` from now on (restored, changed)."""
        self._unlocked[path] = passphrase

    def open_store(self, *, create: bool = False) -> Store:
        """Unlock the store in the data folder (creating it, with a new passphrase, if asked)."""
        from westfall_legal.store import Store

        path = paths.store_file()
        if not path.exists():
            if not create:
                raise StoreNotFoundError(f"{path}: no store yet.")
            store = Store.create(self.ask("New store passphrase: ", confirm=True), path)
            print(f"created the encrypted store {path}", file=sys.stderr)
            return store
        passphrase = os.environ.get(PASSPHRASE_ENV) or self._unlocked.get(path)
        passphrase = passphrase or self.ask(f"Passphrase for {path}: ")
        upgrade = UpgradeProgress()
        try:
            store = Store.open(passphrase, path, progress=upgrade)
        finally:
            upgrade.close()
        self._unlocked[path] = passphrase
        return store


# A command: the parsed arguments and the run's passphrases in, the exit code out.
Command = Callable[[argparse.Namespace, Passphrases], int]
