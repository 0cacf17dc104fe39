"""Small helpers shared by the store's modules: canonical JSON bytes, and the core's time
stamps and ids (``westfall_legal.stamps``) under the names the store's modules use."""

from __future__ import annotations

import json
from typing import Any

from westfall_legal.stamps import now, random_id

__all__ = ["dumps", "now", "random_id"]


def dumps(value: Any) -> bytes:
    """The bytes sealed for a value: compact JSON, UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
