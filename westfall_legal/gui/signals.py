"""``emit()``: ``SignalInstance.emit`` without PySide6 6.12.0's reference bug.

In PySide6 6.12.0, ``signal.emit(...)`` called from Python returns ``True`` without taking a
reference to it, so each discarded result takes one reference from Python's ``True``; after a
few hundred emits (a long review session, or the progress of one big document) the
interpreter aborts with "bool_dealloc: deallocating True or False". Every emit in the GUI
goes through :func:`emit`, which gives the result its reference back. Whether the installed
PySide6 has the bug is measured once at import, so a fixed release turns the repair off.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 4


class _Probe(QObject):
    ping = Signal()


def _incref(value: object) -> None:
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(value))


def _emit_borrows() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(0, lost)):
        _incref(True)  # what the probe took
    return lost == _PROBES


EMIT_BORROWS = _emit_borrows()


def emit(signal: SignalInstance, *args: object) -> None:
    result: object = signal.emit(*args)  # type: ignore[func-returns-value]  # it returns a bool
    if EMIT_BORROWS and result is not None:
        _incref(result)
