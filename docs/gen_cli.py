"""Write docs/cli.md, the command-line reference, from the CLI's own ``--help`` text.

    python docs/gen_cli.py          # rewrite docs/cli.md
    python docs/gen_cli.py --check  # exit 1 if docs/cli.md is stale

The help is formatted 100 columns wide whatever the terminal, so the output is the same on
every machine running the same Python (argparse's layout changes between Python versions).
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path
from typing import cast

from westfall_legal.cli import build_parser

OUT = Path(__file__).resolve().parent / "cli.md"
WIDTH = 100

HEADER = """\
# Command-line reference

Every `westfall` command and its options, as `--help` prints them. This file is generated
by `python docs/gen_cli.py` (`make docs`) from the CLI's own parser; do not edit it by hand.
A unit test (`tests/unit/test_docs_cli.py`) fails when it is stale. The desktop app,
`westfall-gui`, is described in [desktop.md](desktop.md).
"""


def _help(parser: argparse.ArgumentParser) -> str:
    """``parser``'s help at a fixed width, with its own formatter class."""
    cls = cast("type[argparse.HelpFormatter]", parser.formatter_class)
    parser.formatter_class = functools.partial(cls, width=WIDTH)
    return parser.format_help()


def _section(title: str, parser: argparse.ArgumentParser) -> str:
    return f"## {title}\n\n```text\n{_help(parser).rstrip()}\n```\n"


def render() -> str:
    """The text of docs/cli.md: the main parser, then one section per command."""
    parser = build_parser()
    sections = [_section("westfall", parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                sections.append(_section(f"westfall {name}", sub))
    return "\n".join([HEADER, *sections])


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--check", action="store_true", help="exit 1 if docs/cli.md is stale")
    check = args.parse_args(argv).check
    text = render()
    current = OUT.read_text(encoding="utf-8") if OUT.exists() else None
    if check:
        if current != text:
            print(f"{OUT} is stale: run python docs/gen_cli.py", file=sys.stderr)
            return 1
        return 0
    if current != text:
        OUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
