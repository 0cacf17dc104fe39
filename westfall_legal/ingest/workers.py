"""Worker processes that end with the process that started them.

A worker of a :class:`~concurrent.futures.ProcessPoolExecutor` waits for work on a queue
whose write end it holds itself, so it never sees the app go: after ``kill -9`` of a review
during OCR, its workers, the fork server (kept alive by the workers' copies of its "alive"
pipe) and multiprocessing's resource tracker (likewise) lived on for good, about 320 MB.

:func:`exit_with_parent`, a pool's ``initializer``, starts a thread in each worker that
waits on multiprocessing's parent sentinel: the read end of a pipe whose only write end is
held by the process that asked for the worker (the app, for a fork-server worker too, whose
real parent is the fork server). The kernel closes that end however the app ends, so the
thread wakes, kills the programs the worker runs (Tesseract) and ends the worker. With the
workers gone, the fork server reads EOF on its alive pipe and the resource tracker on its
own pipe, and both exit as well.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from multiprocessing.connection import wait
from pathlib import Path

EXIT_CODE = 70  # EX_SOFTWARE: the worker did not finish its work


def exit_with_parent() -> None:
    """End this worker process, and its own children, when its parent process ends."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return  # not a multiprocessing child: nothing to watch
    watcher = threading.Thread(
        target=_watch, args=(parent.sentinel,), name="exit-with-parent", daemon=True
    )
    watcher.start()


def _watch(sentinel: int) -> None:
    wait([sentinel])
    kill_children()
    os._exit(EXIT_CODE)


def child_pids(pid: int | None = None) -> list[int]:
    """The processes whose parent is ``pid`` (this one by default), read from /proc; none
    where there is no /proc."""
    pid = os.getpid() if pid is None else pid
    children = []
    try:
        entries = list(Path("/proc").iterdir())
    except OSError:
        return []
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # gone meanwhile
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        fields = stat.rpartition(")")[2].split()
        if len(fields) >= 2 and fields[1] == str(pid):
            children.append(int(entry.name))
    return children


def kill_children() -> None:
    for child in child_pids():
        with contextlib.suppress(OSError):  # ended meanwhile
            os.kill(child, signal.SIGKILL)
