"""What every benchmark ends with: the headline on stdout, and all its figures as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def report(headline: dict[str, Any], json_path: Path | None, **details: Any) -> None:
    """Print ``headline``; write ``{"headline": ..., **details}`` to ``json_path`` if given."""
    print("headline:", json.dumps(headline))
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps({"headline": headline, **details}, indent=2) + "\n")
