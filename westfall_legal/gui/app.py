"""``westfall-gui [FILE] [--screenshot PNG]``: the desktop review workspace.

The window is shown first; then the store is unlocked (the unlock dialog, or
``WESTFALL_PASSPHRASE`` for scripts, through the same dialog's background opening, which
shows an old store's upgrade) and FILE, when given, is reviewed in the background.
``--screenshot`` renders the window offscreen once FILE's review is shown and its pages are
drawn, writes the PNG and exits (README pictures, checks without a display). Without a
passphrase it reviews into a temporary store that is deleted on exit.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from westfall_legal import settings as settings_io
from westfall_legal.errors import KnownError
from westfall_legal.gui import window_state
from westfall_legal.gui.errors import install_excepthook, report_error
from westfall_legal.gui.main_window import MainWindow
from westfall_legal.gui.unlock import UnlockDialog, unlock_with
from westfall_legal.session.rows import RANK

if TYPE_CHECKING:
    from westfall_legal.store import Store

log = logging.getLogger(__name__)
PASSPHRASE_ENV = "WESTFALL_PASSPHRASE"
REVIEWER_ENV = "WESTFALL_REVIEWER"
SCREENSHOT_TIMEOUT_S = 300.0
TABS = ("overview", "clauses", "matters", "summary")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="westfall-gui", description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, help="a PDF, PNG, JPEG or TIFF to review")
    parser.add_argument("--screenshot", type=Path, metavar="PNG", help="save the window and exit")
    parser.add_argument("--size", default="1440x900", help="window size for --screenshot")
    parser.add_argument(
        "--clause", metavar="ID", help="with --screenshot: select this clause (id or category)"
    )
    parser.add_argument(
        "--tab",
        choices=TABS,
        default="overview",
        help="with --screenshot: the tab shown (summary is the overview's old name)",
    )
    parser.add_argument("--no-llm", action="store_true", help="review without the language model")
    parser.add_argument(
        "--theme", choices=settings_io.THEMES, help="the window's theme (default: the setting)"
    )
    parser.add_argument("--data-dir", type=Path, help="the data folder (default: WESTFALL_HOME)")
    args = parser.parse_args(argv)
    if args.screenshot and args.file is None:
        parser.error("--screenshot needs a FILE to review")
    return args


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.data_dir:
        os.environ["WESTFALL_HOME"] = str(args.data_dir)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Westfall Legal")
    app.setDesktopFileName("westfall-legal")  # the desktop entry: Wayland finds the icon
    app.setStyle("Fusion")
    problem: KnownError | None = None
    try:
        settings = settings_io.load()
    except KnownError as exc:
        problem, settings = exc, settings_io.Settings()
    if args.no_llm:
        settings = settings.replace(use_llm=False)
    if args.theme:
        settings = settings.replace(theme=args.theme)
    window = MainWindow(settings)
    prefs = window_state.preferences()
    if args.screenshot:  # the size asked for; the reviewer's own layout stays as it is
        width, _, height = args.size.partition("x")
        window.resize(int(width), int(height))
    else:
        window.remember_layout(prefs)
    window.show()
    log.info("window shown %.2f s after main() began", time.perf_counter() - started)
    install_excepthook()
    if problem is not None:
        report_error(window, problem)

    reviewer = os.environ.get(REVIEWER_ENV) or settings.reviewer or str(prefs.value("reviewer", ""))
    named = bool(reviewer)  # else the system user's name, which the window offers to change
    reviewer = reviewer or _user()
    temporary: Path | None = None
    passphrase = os.environ.get(PASSPHRASE_ENV)
    try:
        if passphrase:
            store = unlock_with(passphrase, parent=window)
        elif args.screenshot:
            store, temporary = _temporary_store()
        else:
            unlocked, reviewer = _unlock(window, reviewer)
            if unlocked is None:
                window.close()
                return 0
            store = unlocked
            prefs.setValue("reviewer", reviewer)
            named = True  # typed in the unlock dialog
    except KnownError as exc:
        print(f"westfall-gui: {exc.user_line()}", file=sys.stderr)
        return int(exc.exit_code)
    window.set_store(store, reviewer, named=named)
    if temporary is not None:
        window.status("Temporary store: nothing from this session is kept.")
    outcome = {"code": 0}
    if args.screenshot:
        _screenshot_when_ready(window, args, outcome)
    if args.file:
        window.open_file(args.file.resolve())
    code = app.exec()
    if temporary is not None:
        shutil.rmtree(temporary, ignore_errors=True)
    return outcome["code"] or code


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


def _temporary_store() -> tuple[Store, Path]:
    """A throwaway store (deleted on exit) and its folder."""
    from westfall_legal.store import Store

    folder = Path(tempfile.mkdtemp(prefix="westfall-gui-"))
    return Store.create(secrets.token_urlsafe(24), folder / "store.sqlite3"), folder


def _unlock(window: MainWindow, reviewer: str) -> tuple[Store | None, str]:
    dialog = UnlockDialog(reviewer, parent=window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None, reviewer
    return dialog.store, dialog.reviewer_name


def _screenshot_when_ready(
    window: MainWindow, args: argparse.Namespace, outcome: dict[str, int]
) -> None:
    """Once the review is shown and the visible pages are drawn: save the window, quit."""
    target: Path = args.screenshot
    deadline = time.monotonic() + SCREENSHOT_TIMEOUT_S

    def poll() -> None:
        busy = window.view.rendering() or window.thumbs.rendering()
        if busy and time.monotonic() < deadline:
            QTimer.singleShot(100, poll)
            return
        if window.workspace is None:
            print("westfall-gui: the review did not finish; no screenshot.", file=sys.stderr)
            outcome["code"] = 1
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not window.grab().save(str(target)):
                print(f"westfall-gui: cannot write {target}", file=sys.stderr)
                outcome["code"] = 1
            else:
                print(f"screenshot written to {target}")
        window.close()
        QApplication.quit()

    def shown() -> None:
        window.tabs.setCurrentIndex(TABS.index(args.tab) % 3)
        ws = window.workspace
        if args.clause and ws is not None:
            named = [r for r in ws.rows if r.category.casefold() == args.clause.casefold()]
            named.sort(key=lambda r: -RANK.get(r.risk or "", 0))
            window.corrector.go_to_ref(named[0].ref if named else args.clause)
        QTimer.singleShot(300, poll)

    window.reviewFinished.connect(shown)


if __name__ == "__main__":
    sys.exit(main())
