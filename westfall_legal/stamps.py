"""Time stamps and opaque ids, the same everywhere they are stored or written."""

from __future__ import annotations

import datetime
import os


def now() -> str:
    """UTC, ISO 8601 with microseconds (sorts as text)."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds")


def random_id() -> str:
    """An opaque row id (64 random bits, hex)."""
    return os.urandom(8).hex()
