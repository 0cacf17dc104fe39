"""Crash reports for bugs: the versions and where the code failed, never an exception's
message (it can hold document text, a passphrase or a key). The GUI's crash dialog and the
CLI's per-file error boundary save them in the data folder for the user to send on."""

from __future__ import annotations

import logging
import platform
import traceback
from datetime import datetime
from pathlib import Path

from westfall_legal import __version__, paths

log = logging.getLogger(__name__)


def crash_report(exc: BaseException, *, versions: str = "") -> str:
    """The report of ``exc``: ``versions`` (e.g. the GUI toolkit's) is added to the first line."""
    extra = f", {versions}" if versions else ""
    lines = [
        f"Westfall Legal {__version__}, Python {platform.python_version()}{extra}, "
        f"{platform.platform()}",
        f"at {datetime.now().isoformat(timespec='seconds')}",
        "",
    ]
    seen: BaseException | None = exc
    while seen is not None:
        lines.append(f"{type(seen).__module__}.{type(seen).__qualname__} (message left out)")
        for frame in traceback.extract_tb(seen.__traceback__):
            lines.append(f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}")
        seen = seen.__cause__ or seen.__context__
        if seen is not None:
            lines.append("caused by:")
    return "\n".join(lines) + "\n"


def save_crash_report(exc: BaseException, *, versions: str = "") -> Path | None:
    """Write the report to ``crash-reports/`` in the data folder; None if it cannot be saved."""
    folder = paths.data_dir() / "crash-reports"
    target = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.txt"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(crash_report(exc, versions=versions), encoding="utf-8")
    except OSError:
        log.exception("cannot save the crash report")
        return None
    return target
