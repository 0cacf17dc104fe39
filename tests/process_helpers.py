"""Processes a test started, found in /proc by a marker in their environment: a process
inherits its parent's environment, so the marker finds every descendant of a command,
also those left behind by a parent that was killed (they are re-parented and lose the
ancestry, not the environment)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MARKER = "WESTFALL_TEST_PROCESS"


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    state: str
    name: str
    cmdline: str


def new_marker() -> dict[str, str]:
    """The environment for a command whose processes :func:`marked` then finds."""
    return {**os.environ, MARKER: uuid.uuid4().hex}


def _read(pid: str) -> Proc | None:
    root = Path("/proc") / pid
    try:
        stat = (root / "stat").read_text(encoding="utf-8", errors="replace")
        cmdline = (root / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    name = stat[stat.index("(") + 1 : stat.rindex(")")]
    state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
    return Proc(int(pid), int(ppid), state, name, cmdline.strip())


def marked(env: dict[str, str]) -> list[Proc]:
    """The live processes (zombies left out) whose environment holds ``env``'s marker."""
    tag = f"{MARKER}={env[MARKER]}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if tag in environ.split(b"\0"):
            proc = _read(entry.name)
            if proc is not None and proc.state not in ("Z", "X"):
                found.append(proc)
    return found


def wait_for(
    env: dict[str, str], ready: Callable[[list[Proc]], bool], timeout: float
) -> list[Proc]:
    """The marked processes as soon as ``ready`` says so (the last seen after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        procs = marked(env)
        if ready(procs) or time.monotonic() > deadline:
            return procs
        time.sleep(0.1)


def kill_all(procs: list[Proc]) -> None:
    """Clean up after a failed test: these processes, by their ids."""
    for proc in procs:
        with contextlib.suppress(OSError):
            os.kill(proc.pid, signal.SIGKILL)
