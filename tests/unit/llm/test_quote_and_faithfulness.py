"""The quotation check and its fallback, the faithfulness checker on its set, and the gate
that keeps paraphrase mode from a model not measured as faithful (all without a model)."""

from __future__ import annotations

import time

import pytest

from westfall_legal.errors import SettingsError
from westfall_legal.llm.faithfulness import (
    GATE,
    load_set,
    measure,
    misstatements,
    require_paraphrase_gate,
)
from westfall_legal.llm.quote import check_quote, operative_quote, section_at
from westfall_legal.llm.registry import ModelEntry
from westfall_legal.models import Section

CLAUSE = (
    "Subject to Section 4, NETWORK 1 may assign this Agreement without the prior written "
    "consent of the other party. This Agreement may not be assigned by Affiliate without "
    "prior written consent from Network 1. Notices shall be sent by mail."
)


def test_a_quotation_is_at_most_three_runs_of_four_words_in_order() -> None:
    one = check_quote("This Agreement may not be assigned by Affiliate", CLAUSE)
    assert one is not None and one.text.startswith("… This Agreement may not be assigned")
    two = check_quote(
        "NETWORK 1 may assign this Agreement ... without prior written consent from Network 1.",
        CLAUSE,
    )
    assert two is not None and len(two.spans) == 2 and " … " in two.text
    assert check_quote("network 1 MAY assign this agreement", CLAUSE) is not None  # normalised
    # a recombination, a reordering, a short run, a gap without an ellipsis, four runs
    assert check_quote("Network 1 may not be assigned by Affiliate", CLAUSE) is None
    assert (
        check_quote("Affiliate without prior written ... NETWORK 1 may assign this", CLAUSE) is None
    )
    assert check_quote("NETWORK 1 may assign ... by mail", CLAUSE) is None
    assert check_quote("NETWORK 1 may assign this Agreement without prior written", CLAUSE) is None
    four = (
        "Subject to Section 4 ... may assign this Agreement ... the prior written consent "
        "... Notices shall be sent"
    )
    assert check_quote(four, CLAUSE) is None
    assert check_quote("", CLAUSE) is None and check_quote("...", CLAUSE) is None


def test_the_shown_text_is_the_clauses_own_characters() -> None:
    clause = "The Company  shall\nmanufacture the Products (as defined) at its cost."
    quote = check_quote("the company shall manufacture the products", clause)
    assert quote is not None
    assert quote.text == "The Company shall manufacture the Products …"
    assert clause[quote.start : quote.end].split() == quote.text.removesuffix(" …").split()


def test_the_check_is_linear() -> None:
    clause = "a " * 200_000 + "b c d e"
    started = time.perf_counter()
    assert check_quote("a a a b c d e", clause) is not None
    assert check_quote("a a a a a a x ... a a a a", clause) is None
    assert time.perf_counter() - started < 2.0  # quadratic would take minutes


def test_the_fallback_is_the_operative_sentence() -> None:
    clause = (
        "Section 9. Miscellaneous. The headings are for convenience only. This Agreement shall "
        "be governed by the laws of the State of Delaware. Counterparts are allowed."
    )
    quote = operative_quote(clause, "Governing Law")
    assert quote is not None
    assert (
        quote.text == "… This Agreement shall be governed by the laws of the State of Delaware. …"
    )
    assert check_quote(quote.text, clause) is not None  # it passes its own check
    long = "The Supplier shall deliver " + "the goods " * 100 + "on time."
    cut = operative_quote(long, "")
    assert cut is not None and len(cut.text.split()) <= 62 and cut.text.endswith("…")


def test_the_section_that_holds_the_words_is_the_innermost() -> None:
    sections = [
        Section("s12", "12.", "General", 1, None, 0, 500, 3),
        Section("s12.2", "12.2", "Governing Law", 2, "s12", 200, 300, 3),
    ]
    assert section_at(210, 250, sections) is sections[1]
    assert section_at(100, 250, sections) is sections[0]
    assert section_at(600, 610, sections) is None


def test_checker_rules_on_the_issues_examples() -> None:
    clause = "Dong-A granted to NeuroBo an exclusive license to the Product."
    assert "party_swap" in misstatements(clause, "NeuroBo granted to Dong-A an exclusive license.")
    company = "The Company shall manufacture the semiconductor products."
    assert "modal_change" in misstatements(company, "The Company may manufacture the products.")
    licence = "Licensor grants the non-exclusive right to use the intellectual property."
    assert "qualifier" in misstatements(
        licence, "Licensor grants the right to use the intellectual property."
    )
    law = "This Agreement shall be governed by the laws of the PRC."
    wrong = misstatements(
        law, "8 Force Majeure: This Agreement shall be governed by PRC law.", true_section="12"
    )
    assert wrong == ["wrong_section"]
    notice = "Either Party may terminate on ninety (90) days' prior written notice."
    assert "unsupported" in misstatements(
        notice, "Distributor's liability is capped at ninety (90) days' prior written notice."
    )
    assert "number" in misstatements(
        notice, "Either Party may terminate on sixty (60) days' notice."
    )
    assert misstatements(notice, "Either Party may end it on 90 days' prior written notice.") == []


def test_checker_precision_and_recall_on_the_set() -> None:
    """The set's figures (docs/accuracy.md): rules tuned on the dev half, the test half reported."""
    rows = load_set()
    assert len(rows) >= 150
    kinds = {r.error for r in rows if not r.faithful}
    assert {"party_swap", "modal_change", "dropped_qualifier", "number", "wrong_section"} <= kinds
    assert {"negation", "nonsense"} <= kinds and any(r.faithful for r in rows)
    dev = measure(r for r in rows if r.split == "dev")
    test = measure(r for r in rows if r.split == "test")
    assert dev.precision >= 0.9 and dev.recall >= 0.85
    assert test.precision >= 0.8 and test.recall >= 0.85
    assert {r.clause for r in rows if r.split == "dev"}.isdisjoint(
        r.clause for r in rows if r.split == "test"
    )


def _entry(metrics: dict[str, float]) -> ModelEntry:
    return ModelEntry(
        "big-model", "/x.gguf", "0" * 64, 1, "llama", "Q4", "x", "model", metrics=metrics
    )


def test_paraphrase_mode_needs_a_measured_faithful_model() -> None:
    with pytest.raises(SettingsError, match="has not been measured") as info:
        require_paraphrase_gate(_entry({}))
    assert "westfall models compare big-model" in info.value.hint
    with pytest.raises(SettingsError, match=r"misstated 3\.0% of sentences"):
        require_paraphrase_gate(_entry({"misstated": 0.03}))
    require_paraphrase_gate(_entry({"misstated": GATE}))  # at the gate: allowed
