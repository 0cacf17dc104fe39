"""A comparison kept in a matter, as both front ends show and write it: its counts in one
line, and its file written back out (the ``westfall.compare/1`` JSON or the HTML redline,
byte for byte what ``westfall comparison export`` writes)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from westfall_legal.store import ComparisonInfo, StoredComparison


def counts_line(info: ComparisonInfo) -> str:
    """``3 changed, 1 added, 0 removed, 0 moved; 2 key facts, 1 risks changed``."""
    c = info.counts
    return (
        f"{c['changed']} changed, {c['added']} added, {c['removed']} removed, "
        f"{c['moved']} moved; {info.facts} key facts, {info.risks} risks changed"
    )


def write_kept_comparison(kept: StoredComparison, out: Path) -> str:
    """Write ``kept`` to ``out``: its JSON for a ``.json`` name, else its HTML redline (as
    ``report.write_atomic`` writes every report: all at once, OutputError on failure);
    returns which it wrote ("JSON" or "redline")."""
    from westfall_legal.report import dumps, write_atomic

    as_json = out.suffix.lower() == ".json"
    write_atomic(out, dumps(kept.data) if as_json else kept.html)
    return "JSON" if as_json else "redline"
