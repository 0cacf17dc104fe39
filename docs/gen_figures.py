"""Render the figure tables in the docs from the benchmarks' JSON in docs/figures/.

    python docs/gen_figures.py          # rewrite the tables
    python docs/gen_figures.py --check  # exit 1 if a table differs from its JSON

A table sits between ``<!-- figures:NAME -->`` and ``<!-- /figures:NAME -->`` in
docs/*.md or README.md and is rendered from docs/figures/NAME.json: the ``headline`` dict a
benchmark writes with ``--json`` (``python benchmarks/NAME.py --json docs/figures/NAME.json``).
Only ``headline`` is read, so a file a benchmark wrote, with all its other figures, renders
the same as one holding the headline alone. Rows follow the headline's order; the labels and
targets below name what each figure means (a figure without one shows its key).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"(<!-- figures:([a-z0-9_]+) -->\n)(.*?)(<!-- /figures:\2 -->)", re.DOTALL)

# {benchmark: {headline key: (what it is, target)}}; "" where there is no target.
LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "review": {
        "seconds_per_30_pages": ("seconds for 30 born-digital pages (whole review)", "≤ 5"),
        "pages_per_s": ("pages per second", ""),
        "worst_seconds_per_page": ("worst seconds per page", ""),
        "documents": ("documents", ""),
    },
    "layout": {
        "pages_per_s": ("pages per second, layout stage only", ""),
        "errors": ("documents whose layout raised an error", "0"),
        "documents": ("documents", ""),
        "pages": ("pages", ""),
        "worst_seconds": ("seconds for the slowest document", ""),
        "tables": ("tables found", ""),
        "documents_with_tables": ("documents with a table", ""),
        "dangling_share": ("share of cross-references resolving to no section", ""),
    },
    "ingest": {
        "ratio": ("slowdown against bare word extraction", ""),
        "pages_per_s": ("ingest pages per second", ""),
        "bare_pages_per_s": ("bare PyMuPDF pages per second", ""),
        "pages": ("pages", ""),
        "documents": ("documents", ""),
        "skipped_scanned": ("files left out (scanned pages)", ""),
        "repeats": ("runs per file (medians)", ""),
    },
    "ocr": {
        "ratio": ("app pages/s ÷ raw `tesseract` pages/s, rendered pages", "≥ 0.9"),
        "cer": ("character error rate against the text layer (0.01 = 1%)", "≤ 0.01"),
        "pages_per_s": ("app pages per second", ""),
        "raw_pages_per_s": ("raw `tesseract` pages per second", ""),
        "raw_cer": ("raw `tesseract` character error rate", ""),
        "process_pool_vs_threads": ("app in worker processes ÷ the same path in threads", ""),
        "fork_server_start_s": ("seconds to start the fork server, once per run", ""),
        "cpu_ratio": ("raw CPU seconds ÷ the app's, rendered pages", ""),
        "ratio_same_input": ("app pages/s ÷ raw pages/s, the app's deskewed input", ""),
        "cpu_ratio_same_input": ("raw CPU seconds ÷ the app's, the app's deskewed input", ""),
        "pages": ("pages", ""),
        "workers": ("worker processes", ""),
        "repeats": ("runs (medians of the ratios)", ""),
    },
    "store": {
        "ratio": ("encrypted ÷ plain seconds, write + read", "≤ 2"),
        "unlock_s": ("seconds to open and unlock (production Argon2id cost)", ""),
        "write_ratio": ("encrypted ÷ plain seconds, write", ""),
        "read_ratio": ("encrypted ÷ plain seconds, read", ""),
        "annotations": ("annotations written and read", ""),
    },
    "llm": {
        "ratio": ("engine prompt tokens/s ÷ bare llama-cpp-python", "≥ 0.95"),
        "prompt_tps": ("engine prompt tokens per second", ""),
        "gen_tps": ("engine generated tokens per second", ""),
        "summary_s": ("seconds for the sample's summary", ""),
    },
    "summary": {
        "quote_pass_rate": ("share of first answers that pass the quotation check", ""),
        "sections_covered": ("share of picked key sections with a line", ""),
        "summary_s": ("median seconds per contract", ""),
        "checker_precision": ("checker precision, faithfulness set's test half", ""),
        "checker_recall": ("checker recall, faithfulness set's test half", ""),
        "failing_lines": ("shown lines that fail the quotation check", "0"),
        "contracts": ("contracts", ""),
    },
    "structure_findings": {
        "dangling_precision": ("dangling cross-reference: precision", ""),
        "dangling_recall": ("dangling cross-reference: recall", ""),
        "unsigned_precision": ("unsigned signature block: precision", ""),
        "unsigned_recall": ("unsigned signature block: recall", ""),
        "contracts": ("contracts", ""),
    },
    "anonymisation": {
        "recall": ("names caught, hand-made list", ""),
        "names": ("names in the list", ""),
        "missed": ("names missed", "0"),
        "sample_leaks": ("sample: names left plus leak-check reports", "0"),
        "replaced_name_spans": ("name spans replaced", ""),
        "replaced_not_names": ("of those, not a name", ""),
        "leak_check_reports": ("leak-check reports", ""),
        "mb_per_s": ("MB of text per second", ""),
    },
}


def _value(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(name: str, figures_dir: Path) -> str:
    """The markdown table of docs/figures/NAME.json's headline."""
    path = figures_dir / f"{name}.json"
    if not path.exists():
        raise SystemExit(f"{path} not found (a figures:{name} marker names it)")
    headline: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["headline"]
    labels = LABELS.get(name, {})
    rows = ["| figure | value | target | key |", "|---|---:|---|---|"]
    for key, value in headline.items():
        label, target = labels.get(key, (key, ""))
        rows.append(f"| {label} | {_value(value)} | {target or '–'} | `{key}` |")
    return "\n".join(rows) + "\n"


def render(text: str, figures_dir: Path) -> str:
    """``text`` with every marked table rendered again."""

    def one(m: re.Match[str]) -> str:
        return m.group(1) + table(m.group(2), figures_dir) + m.group(4)

    return MARKER.sub(one, text)


def stale(root: Path = ROOT) -> dict[Path, str]:
    """``{file: its text with fresh tables}`` for each file whose tables are out of date."""
    figures_dir = root / "docs" / "figures"
    out = {}
    for path in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        if path.exists():
            text = path.read_text(encoding="utf-8")
            fresh = render(text, figures_dir)
            if fresh != text:
                out[path] = fresh
    return out


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--check", action="store_true", help="exit 1 if a table is stale")
    check = args.parse_args(argv).check
    changed = stale(root)
    for path, fresh in changed.items():
        if check:
            print(f"{path} is stale: run python docs/gen_figures.py", file=sys.stderr)
        else:
            path.write_text(fresh, encoding="utf-8")
            print(f"wrote {path}")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
