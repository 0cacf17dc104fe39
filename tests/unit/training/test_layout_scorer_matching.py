"""The layout scorer matches gold internal references before external ones."""

from __future__ import annotations

from westfall_legal.layout.definitions import find_definitions
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.text import plain_text
from westfall_legal.layout.xrefs import find_references
from westfall_legal.training.layout_gold import (
    GoldContract,
    GoldReference,
    GoldSection,
    Structure,
    score,
)

TEXT = "\n\n".join(
    [
        "1. Scope. Section 2 of the Supply Agreement is deleted, and Section 2 applies.",
        "2. Fees. Customer pays the fees.",
    ]
)


def _structure() -> Structure:
    dt = plain_text(TEXT)
    sections = build_sections(dt)
    references, external = find_references(dt, sections)
    return Structure(dt, sections, find_definitions(dt, sections), references, external)


def test_an_external_gold_reference_never_takes_our_internal_ones_match() -> None:
    found = _structure()
    # the stage has both right: ours resolved to 2, the Supply Agreement's apart from them
    assert [(r.label, r.target is not None) for r in found.references] == [("Section 2", True)]
    assert [x.instrument for x in found.external_references] == ["Supply Agreement"]
    gold = GoldContract(
        file="x.txt",
        kind="test",
        sections=(GoldSection("1", "Scope", None), GoldSection("2", "Fees", None)),
        references=(  # the external one first, as in the text
            GoldReference("Section 2", None, None, None, instrument="Supply Agreement"),
            GoldReference("Section 2", None, "2", None),
        ),
    )
    s = score(gold, found)
    assert (s.internal, s.internal_resolved) == (1, 1)
    assert (s.external, s.external_dangling) == (1, 0)
    assert (s.references, s.references_resolved) == (2, 2)
    assert not [m for m in s.misses if "reference" in m]
