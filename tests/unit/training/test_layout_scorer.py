"""The layout gold-set scorer on a small text with known misses."""

from __future__ import annotations

from westfall_legal.layout.definitions import find_definitions
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.text import plain_text
from westfall_legal.layout.xrefs import find_cross_references
from westfall_legal.training.layout_gold import (
    GoldContract,
    GoldReference,
    GoldSection,
    Structure,
    score,
)

TEXT = "\n\n".join(
    [
        "1. Definitions. “Fees” means the fees in Section 3.",
        "2. Services. Supplier shall perform.",
        "(a) the first item as set out in Section 2(a) and Section 9;",
        "3. Fees and Payment. Customer pays as in Section 2.",
        "4.1 pays tax.",
    ]
)


def _structure() -> Structure:
    dt = plain_text(TEXT)
    sections = build_sections(dt)
    return Structure(
        dt, sections, find_definitions(dt, sections), find_cross_references(dt, sections)
    )


def test_scores_sections_references_and_definitions() -> None:
    gold = GoldContract(
        file="x.txt",
        kind="test",
        sections=(
            GoldSection("1", "DEFINITIONS", None),
            GoldSection("2", "Services", None),
            GoldSection("3", "Fees", None),  # a short gold title: a prefix of "Fees and Payment"
            GoldSection("4", "Tax", None),  # missed: the text has only 4.1
        ),
        definitions=(("Fees", None), ("Services", None)),
        references=(
            GoldReference("Section 3", None, "3", None),
            GoldReference("Section 2(a)", None, "2(a)", None),
            GoldReference("Section 9", None, None, None),  # dangling, rightly unresolved
            GoldReference("Section 2", None, "3", None),  # resolved to 2, gold says 3
        ),
    )
    s = score(gold, _structure())
    assert (s.gold_sections, s.predicted_sections) == (4, 4)  # (a) is out of scope
    assert (s.number_matches, s.title_matches) == (3, 3)
    assert s.figures()["section_precision"] == 0.75
    assert (s.references, s.references_found, s.references_resolved) == (4, 4, 3)
    assert (s.definitions, s.definitions_found) == (2, 1)
    assert any("extra section 4.1" in m for m in s.misses)
