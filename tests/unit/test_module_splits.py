"""Three modules split along their seams stay under the size rule, and every name their callers
import from the old module is still there, the same object as in its new home."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import westfall_legal

PACKAGE = Path(westfall_legal.__file__).parent
SPLITS = {  # old module -> (new module, the names it now defines and the old one re-exports)
    "westfall_legal.llm.faithfulness": ("westfall_legal.llm.faithfulness_rules", ["misstatements"]),
    "westfall_legal.training.metrics": (
        "westfall_legal.training.span_match",
        [
            "PredMatch",
            "SpanMatch",
            "TokenIndex",
            "match_spans",
            "match_spans_offsets",
            "normalise_tokens",
        ],
    ),
    "westfall_legal.feedback.names": ("westfall_legal.feedback.preamble", ["preamble_parties"]),
}


@pytest.mark.parametrize("old", sorted(SPLITS))
def test_the_old_module_re_exports_what_moved(old: str) -> None:
    new, names = SPLITS[old]
    before, after = importlib.import_module(old), importlib.import_module(new)
    for name in names:
        assert getattr(before, name) is getattr(after, name), name


@pytest.mark.parametrize("module", sorted({*SPLITS, *(new for new, _ in SPLITS.values())}))
def test_each_part_is_under_the_size_rule(module: str) -> None:
    path = PACKAGE.joinpath(*module.split(".")[1:]).with_suffix(".py")
    assert len(path.read_text("utf-8").splitlines()) <= 500, path
