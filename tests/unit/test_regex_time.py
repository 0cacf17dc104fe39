"""No regular expression that reads a document's or a user's text takes super-linear time.

Issue 24, item 5: ``patterns.EMAIL`` took 4.5 s on a 40,000-character token without an "@"
(each start inside the token scanned to its end), so a 1 MB comment or a base64 line in a
contract held ``export-feedback`` for more than ten minutes. Every compiled pattern of the
core (module level, in a module's tables, the playbook's rules, the definitions' term
pattern) runs here on adversarial strings of 1 MB, each of long blocks of one unit repeated:
runs of word characters (letters, capitals, digits, base64), of spaces (spaces, line breaks,
tabs, a run between two words), of tokens (capitalised words, initials, "."-separated
tokens, parentheses), and of prefixes of what the pattern itself matches in a small
contract (a start that fails late). Each run must finish within ``FACTOR`` times a linear
scan of 1 MB (a trivial ``re.findall(r"\\w")``) measured here, so a slow machine slows both:
linear patterns take at most a few scans, a quadratic one thousands (it is interrupted at
the bound rather than waited for).

A pattern whose every use in the package (read from its syntax tree) is
``NAME.match(...)`` or ``NAME.fullmatch(...)`` is run that way, on the string from the start
of each block on (as on a line); any other use, or none found, runs it with ``finditer``
over the whole string.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import random
import re
import signal
import string
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, ModuleType

import pytest

import westfall_legal
from westfall_legal.analysis.playbook import load_playbook
from westfall_legal.layout.definitions import _terms_pattern

PACKAGE = Path(westfall_legal.__file__).resolve().parent
SIZE = 1_000_000
FACTOR = 100  # linear scans of SIZE characters (the slowest pattern takes about 3)
# The Qt front end (not importable without Qt) runs no module-level pattern.
SKIPPED_PACKAGES = ("westfall_legal.gui",)

# A small contract with a bit of everything the patterns look for; the repeated prefixes of
# what a pattern matches here are its adversaries.
CORPUS = """MASTER SERVICES AGREEMENT
This Master Services Agreement (the "Agreement") is entered into as of March 3, 2024 (the \
"Effective Date") by and between Northwind Holdings LLC, a Delaware limited liability company \
("Client"), and Brightline Consulting Inc., a California corporation ("Provider").
ARTICLE IV. TERM
1.1 Definitions. "Confidential Information" means any information disclosed by either party. \
"Statement of Work" or "SOW" means a document signed by both parties.
(a) the Services; (ii) the Fees.
Section 9.2(a) and (b) of this Agreement; Section 4.1 of the Separation and Distribution \
Agreement; Section 101 of the Copyright Act; 17 U.S.C. section 101.
2. Term. This Agreement commences on the Effective Date and continues for a period of \
thirty-six (36) months, and shall renew for successive one (1) year terms unless either party \
gives sixty (60) days prior written notice. The term expires on the fifth (5th) anniversary \
of the date of this Agreement.
This Agreement shall be governed by and construed in accordance with the laws of the State \
of New York, without regard to its conflict of laws principles. The laws of England and \
Wales shall govern.
Fees: $48,500.00 payable within forty-five (45) days; fees paid in the three (3) months.
Notices: Attention: Jane Q. Smith, General Counsel, 123 Main Street, Suite 400, Springfield, \
IL 62704, Tel: +1 (555) 123-4567, fax 555.123.9876, email jane.smith@northwind-holdings.com, \
https://www.northwind.example.com/legal.
P.O. Box 1234, Chicago, IL 60601
IBAN GB82 WEST 1234 5698 7654 32, Account No. 12345678, SWIFT: NWBKGB2L, routing number \
021000021, 123456789012
By: /s/ John A. Doe
Name: John A. Doe
Title: Chief Executive Officer
Date: 4/15/10, 1.4.2011, 2025-03-03, 15-04-2010, the 3rd day of March, 2025
Mr. Robert Brown and Dr. Alice Green signed. IN WITNESS WHEREOF, the parties have executed \
this Agreement.
Source: ACME INC, 8-K, 8/22/2018
Page 3 of 10
EXHIBIT 10.1
Calloway Larder Group, Inc., Brightmere Pantry Holdings LLC and Ostrander Fine Foods \
Corporation are Designated Competitors. Either party may terminate; each party shall comply.
SCHEDULE A
"""
TERMS = ("Agreement", "Confidential Information", "Statement of Work", "SOW", "Effective Date")


def _fill(unit: str, size: int = SIZE) -> str:
    return (unit * (size // len(unit) + 1))[:size]


@dataclass(frozen=True)
class Adversary:
    """SIZE characters of blocks, each one unit repeated; ``starts`` are where blocks begin."""

    text: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, *units: str) -> Adversary:
        size = SIZE // len(units)
        blocks = [unit if len(unit) >= size else _fill(unit, size) for unit in units]
        starts = [0]
        for block in blocks[:-1]:
            starts.append(starts[-1] + len(block))
        return cls("".join(blocks), tuple(starts))


def _base64(size: int) -> str:
    rnd = random.Random(24)
    return "".join(rnd.choice(string.ascii_letters + string.digits + "+/") for _ in range(size))


GENERIC = {
    "runs of word characters": Adversary.of(
        "a", "A", "1", "aA", "a-", "a_", _base64(SIZE // 7), "é"
    ),
    "runs of spaces": Adversary.of(" ", "\n", "\t", " \n", ", ", "1 ", "x" + " " * 99_998 + "x"),
    "runs of tokens": Adversary.of("Abc ", "A. ", "ab.", "1.", "(a)", ".", "a.b@", "Abc\n"),
}


def _prefixes(pattern: re.Pattern[str]) -> Adversary | None:
    """Repeated prefixes of what ``pattern`` matches in the corpus: starts that fail late."""
    units: list[str] = []
    seen: set[str] = set()
    for m in pattern.finditer(CORPUS):
        found = m.group()
        if len(found) < 2 or found in seen:
            continue
        seen.add(found)
        for cut in sorted({len(found) // 2, len(found) - 1}):
            units += [found[:cut], found[:cut] + " "]
        if len(seen) == 3:
            break
    return Adversary.of(*units) if units else None


def _modules() -> Iterator[ModuleType]:
    for info in pkgutil.walk_packages(westfall_legal.__path__, "westfall_legal."):
        if not info.name.startswith(SKIPPED_PACKAGES):
            yield importlib.import_module(info.name)


def _collect(value: object, name: str, depth: int = 0) -> Iterator[tuple[str, re.Pattern[str]]]:
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        yield name, value
    elif depth < 3 and isinstance(value, dict):
        for key, item in value.items():
            yield from _collect(item, f"{name}[{key!r}]", depth + 1)
    elif depth < 3 and isinstance(value, list | tuple | set | frozenset):
        for i, item in enumerate(value):
            yield from _collect(item, f"{name}[{i}]", depth + 1)


def _patterns() -> dict[str, re.Pattern[str]]:
    found: dict[str, re.Pattern[str]] = {}
    for module in _modules():
        for attr, value in vars(module).items():
            for name, pattern in _collect(value, attr):
                found.setdefault(f"{module.__name__}.{name}", pattern)
    playbook = load_playbook(PACKAGE / "data" / "playbook" / "default.toml")
    for rule in playbook.rules:
        if rule.pattern is not None:
            found[f"playbook rule {rule.id}"] = rule.pattern
    found["definitions term pattern"] = _terms_pattern(TERMS)
    return found


PATTERNS = _patterns()


def _uses() -> dict[str, list[str]]:
    """For each name in the package's code (comments and strings aside), how each use of it
    reads: ``match`` / ``fullmatch`` for ``NAME.match(...)``, ``other`` for anything else;
    assignments to it are not uses."""
    uses: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
                name = node.id
            elif isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Store):
                name = node.attr
            elif isinstance(node, ast.alias):
                name = node.asname or node.name
            else:
                continue
            method = parents.get(node)
            called = isinstance(method, ast.Attribute) and isinstance(parents.get(method), ast.Call)
            how = method.attr if called and isinstance(method, ast.Attribute) else "other"
            uses.setdefault(name, []).append(how if how in ("match", "fullmatch") else "other")
    return uses


USES = _uses()


def _match_only(name: str) -> bool:
    """Whether every use of this module-level name is ``NAME.match(`` / ``NAME.fullmatch(``."""
    attr = name.rsplit(".", 1)[-1]
    if not attr.isidentifier():
        return False  # in a table: used however its table is
    found = USES.get(attr, [])
    return bool(found) and "other" not in found


class _TooSlow(Exception):
    pass


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise _TooSlow


def _linear_scan_seconds() -> float:
    text = _fill("ab cd, ")
    word = re.compile(r"\w")
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        word.findall(text)
        best = min(best, time.perf_counter() - start)
    return best


LINEAR = _linear_scan_seconds()


def _run(pattern: re.Pattern[str], adversary: Adversary, match_only: bool, limit: float) -> float:
    """Seconds to run ``pattern`` over ``adversary``; inf when interrupted at ``limit``."""
    previous = signal.signal(signal.SIGALRM, _interrupt)
    signal.setitimer(signal.ITIMER_REAL, limit)
    start = time.perf_counter()
    try:
        if match_only:  # on the text from where each block starts, and one character on
            for pos in adversary.starts:
                pattern.match(adversary.text[pos:])
                pattern.match(adversary.text[pos + 1 :])
        else:
            for _ in pattern.finditer(adversary.text):
                pass
        return time.perf_counter() - start
    except _TooSlow:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_the_patterns_are_found() -> None:
    assert len(PATTERNS) > 100
    assert "westfall_legal.feedback.patterns.EMAIL" in PATTERNS
    assert _match_only("westfall_legal.feedback.patterns.AFTER_COMMA")
    assert not _match_only("westfall_legal.feedback.patterns.EMAIL")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_pattern_is_super_linear_on_1_mb(name: str) -> None:
    pattern = PATTERNS[name]
    match_only = _match_only(name)
    limit = FACTOR * LINEAR
    adversaries = dict(GENERIC)
    if (own := _prefixes(pattern)) is not None:
        adversaries["repeated prefixes of its matches"] = own
    slow = [
        label
        for label, adversary in adversaries.items()
        if _run(pattern, adversary, match_only, limit) >= limit
    ]
    assert not slow, (
        f"{name} ({'match' if match_only else 'finditer'}) on 1 MB of {', '.join(slow)}: more "
        f"than {FACTOR} linear scans ({limit:.2f} s). Let a match start only where an earlier "
        "start could not (a lookbehind), make runs possessive (*+) or bound them."
    )
