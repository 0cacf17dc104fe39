"""quality.json: label distribution, thin categories, reviewers who disagree, duplicate
documents, contract types missing; the SFT examples a correction gives."""

from __future__ import annotations

import json

from feedback_helpers import CONTRACT, SCHEMA, review_json

from westfall_legal.feedback import Selection, preview_export
from westfall_legal.feedback.quality import disagreements
from westfall_legal.store import Store


def test_disagreeing_reviewers_and_duplicate_documents_are_reported(store: Store) -> None:
    for matter in ("First matter", "Second matter"):
        store.matters.create(matter)
    one = store.reviews.add("First matter", review_json()).document.id
    two = store.reviews.add("Second matter", review_json()).document.id  # the same contract
    store.corrections.accept(one, "c4", reviewer="Alice Lee")
    store.corrections.reject(one, "c4", reviewer="Bob Marsh")
    store.corrections.relabel(two, "c3", "Revenue/Profit Sharing", reviewer="Alice Lee")
    preview = preview_export(store, Selection(), SCHEMA)
    quality = preview.quality
    (name,) = preview.documents
    assert quality["duplicate_documents"] == [[name, name]]
    (conflict,) = quality["disagreements"]
    assert conflict["clause"] == "c4" and sorted(conflict["verdicts"].values()) == [
        "accept", "reject",
    ]  # fmt: skip
    assert "Alice Lee" not in json.dumps(quality)
    assert quality["contract_types_missing"] == ["License_Agreements", "Service"]
    assert quality["too_few_examples"]["Cap On Liability"] == 0
    assert quality["label_distribution"]["by_contract_type"] == {"Supply": 1}
    assert preview.counts["corrections"] == 3  # both documents' corrections, merged


def test_adds_of_the_same_clause_with_different_categories_disagree() -> None:
    rows = [
        {"action": "add", "document": "d", "reviewer": "r1", "category": "Audit Rights",
         "span": [100, 200], "clause": "x1"},
        {"action": "add", "document": "d", "reviewer": "r2", "category": "Insurance",
         "span": [120, 210], "clause": "x2"},
        {"action": "add", "document": "d", "reviewer": "r2", "category": "Insurance",
         "span": [500, 600], "clause": "x3"},
    ]  # fmt: skip
    (found,) = disagreements(rows)
    assert found["span"] == [100, 210]


def test_a_relabel_gives_category_and_yes_no_examples(store: Store) -> None:
    store.matters.create("m")
    doc = store.reviews.add("m", review_json()).document.id
    store.corrections.relabel(doc, "c3", "Revenue/Profit Sharing", reviewer="Alice Lee")
    preview = preview_export(store, Selection(), SCHEMA)
    examples = [
        json.loads(line) for line in preview.content.members["train/sft.jsonl"].splitlines()
    ]
    answers = [(e["messages"][1]["content"].split("\n")[-1], e["messages"][2]["content"])
               for e in examples]  # fmt: skip
    assert answers == [
        ("Which CUAD category is this clause?", "Revenue/Profit Sharing"),
        ("Is this clause a Revenue/Profit Sharing clause? Answer Yes or No.", "Yes"),
        ("Is this clause a Cap On Liability clause? Answer Yes or No.", "No"),
    ]
    assert all(e["messages"][1]["content"].startswith("Clause: ") for e in examples)
    assert "$125,000.00" in examples[0]["messages"][1]["content"]
    assert all(e["messages"][0]["role"] == "system" for e in examples)
    assert CONTRACT.count("Fees") == 1


def test_drift_counts_changes_per_clause_reviewed_per_model(store: Store, corrected: str) -> None:
    from westfall_legal.feedback.drift import drift

    (row,) = drift(store)
    assert row.model == f"clauses-v1 ({'ab' * 4})" and row.reviews == 1 and row.clauses == 5
    # relabel, reject, span, add count (the undone reject of k1 does not); one accept
    assert (row.changes, row.accepts) == (4, 1)
    assert row.rate == 0.8
