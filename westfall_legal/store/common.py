"""Small helpers shared by the store's modules: time stamps, ids, canonical JSON bytes."""

from __future__ import annotations

import datetime
import json
import os
from typing import Any


def now() -> str:
    """UTC, ISO 8601 with microseconds (sorts as text)."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds")


def random_id() -> str:
    """An opaque row id (64 random bits, hex)."""
    return os.urandom(8).hex()


def dumps(value: Any) -> bytes:
    """The bytes sealed for a value: compact JSON, UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
