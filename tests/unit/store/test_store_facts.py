"""Fact corrections take the form of each fact (issue 24, item 13): a value that is not one
is refused, names the form, and stores nothing (no correction, no audit entry)."""

from __future__ import annotations

from typing import Any

import pytest
from store_helpers import populate

from westfall_legal.analysis.facts import extract_facts
from westfall_legal.errors import KnownError
from westfall_legal.layout.text import plain_text
from westfall_legal.models import Clause
from westfall_legal.store import Store
from westfall_legal.store.facts import FACTS, check_fact
from westfall_legal.training.evaluate import FACT_COLUMNS


@pytest.mark.parametrize(
    ("name", "value", "stored"),
    [
        ("agreement_date", "2025-03-31", "2025-03-31"),
        ("effective_date", " 2024-02-29 ", "2024-02-29"),
        ("term", "P2Y", "P2Y"),
        ("renewal_term", "p1y", "P1Y"),
        ("notice_period", "P90D", "P90D"),
        ("notice_period", "P2W", "P2W"),
        ("governing_law", "England and Wales", "England and Wales"),
        ("governing_law", "New York, USA", "New York, USA"),
        ("governing_law", "Zürich", "Zürich"),
    ],
)
def test_a_value_of_the_fact_s_form_is_taken_normalised(name: str, value: str, stored: str) -> None:
    assert check_fact(name, value) == stored


@pytest.mark.parametrize(
    ("name", "value", "form"),
    [
        ("agreement_date", "not a date", "YYYY-MM-DD"),
        ("agreement_date", "2025-02-30", "YYYY-MM-DD"),
        ("agreement_date", "31/03/2025", "YYYY-MM-DD"),
        ("expiration_date", "20250331", "YYYY-MM-DD"),
        ("term", "forever and ever", "P2Y"),
        ("term", "2 years", "P2Y"),
        ("term", "P0D", "P2Y"),
        ("term", "P1Y6M", "P2Y"),
        ("governing_law", "   ", "jurisdiction"),
        ("governing_law", "New York\nDelaware", "jurisdiction"),
        ("governing_law", "12345", "jurisdiction"),
        ("governing_law", "x" * 101, "jurisdiction"),
        ("effective_date", 20250331, "YYYY-MM-DD"),
    ],
)
def test_a_value_of_another_form_is_refused_naming_the_form(
    name: str, value: Any, form: str
) -> None:
    with pytest.raises(KnownError, match=f"not a value for {name}: it takes .*{form}") as caught:
        check_fact(name, value)
    assert len(caught.value.message) < 300  # a long value is not echoed whole


def test_an_unknown_fact_is_refused_with_the_names() -> None:
    with pytest.raises(KnownError, match="'governing_lw' is not a key fact") as caught:
        check_fact("governing_lw", "New York")
    assert "Did you mean 'governing_law'?" in caught.value.hint
    assert all(name in caught.value.hint for name in FACTS)


def test_the_store_refuses_a_bad_fact_and_stores_nothing(store: Store) -> None:
    _, saved = populate(store)
    doc, fix = saved.document.id, store.corrections
    count, entries = len(fix.history(doc)), len(store.audit.entries())
    for name, value in (
        ("closing_date", "2025-01-01"),
        ("agreement_date", "not a date"),
        ("term", "forever and ever"),
        ("governing_law", ""),
    ):
        with pytest.raises(KnownError, match=r"not a key fact|not a value for"):
            fix.edit_fact(doc, name, value, reviewer="R")
    assert len(fix.history(doc)) == count
    assert len(store.audit.entries()) == entries
    made = fix.edit_fact(doc, "term", " p3y ", reviewer="R")
    assert made.after == {"value": "P3Y"}
    assert fix.state(doc).facts["term"].value == "P3Y"
    store.audit.verify()


def test_every_fact_the_analysis_reads_is_one_the_store_knows() -> None:
    text = (
        "This Agreement is dated as of March 3, 2025 and is effective as of April 1, 2025. "
        "The term of this Agreement is two (2) years. It renews for successive one (1) year "
        "terms unless either party gives ninety (90) days prior written notice. This "
        "Agreement is governed by the laws of the State of New York."
    )
    spans = {
        "Expiration Date": "The term of this Agreement is two (2) years.",
        "Renewal Term": "It renews for successive one (1) year terms",
        "Notice Period To Terminate Renewal": "ninety (90) days prior written notice",
        "Governing Law": "governed by the laws of the State of New York",
    }
    clauses = [
        Clause(f"k{n}", category, 0.9, s, text.index(s), text.index(s) + len(s), 1, (), None)
        for n, (category, s) in enumerate(spans.items(), start=1)
    ]
    facts = extract_facts(plain_text(text), clauses)
    assert set(facts) == set(FACTS)  # each name the analysis writes, and no other
    for name, fact in facts.items():
        assert check_fact(name, fact.value) == fact.value  # and in the form it writes
    assert set(FACT_COLUMNS) <= set(FACTS)
