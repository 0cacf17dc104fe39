"""The exported review's ``reviewed`` object (File > Export review), built without Qt by
``session.reviewed``: valid against review.schema.json, and of review_json.py's types; the
schema holds its shape (a wrong status or a missing part is refused)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.review_types import mismatches
from westfall_legal import paths
from westfall_legal.pipeline import analyse_text
from westfall_legal.report import dumps
from westfall_legal.review_json import ReviewJson
from westfall_legal.session.reviewed import reviewed_json
from westfall_legal.session.workspace import Workspace
from westfall_legal.settings import Settings
from westfall_legal.store import Store

TEXT = """SUPPLY AGREEMENT

1. Term. This Agreement starts on January 1, 2025 and continues for three (3) years.

2. Governing Law. This Agreement is governed by the laws of the State of New York.

3. Audit. The Buyer may audit the books of the Supplier once in each calendar year.

4. Assignment. Neither party may assign this Agreement without the prior written consent of
the other party.
"""


@pytest.fixture
def exported(store: Store) -> dict[str, Any]:
    """A review with every kind of correction, one of them undone, as the window exports it."""
    review = analyse_text(TEXT, path=Path("supply.txt"), settings=Settings(use_llm=False))
    matter = store.matters.create("Supply")
    ws = Workspace.attach(store, matter.id, review, "Ann Reviewer", size=None)
    first, second, third = ws.rows[:3]
    ws.reject(first.id)
    ws.relabel(second.id, "Audit Rights")
    ws.comment("Ask the client", second.id)
    ws.comment("Second pass needed")  # on the document
    ws.accept(third.id)
    ws.undo()
    at = TEXT.index("The Buyer may audit")
    ws.add_clause("Audit Rights", at, at + len("The Buyer may audit the books of the Supplier"))
    ws.edit_fact("governing_law", "Delaware")
    data: dict[str, Any] = json.loads(dumps(reviewed_json(ws)))
    return data


def _schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        paths.resource_path("schema", "review.schema.json").read_text()
    )
    return loaded


def test_the_reviewed_object_is_valid_and_of_its_type(exported: dict[str, Any]) -> None:
    jsonschema.validate(exported, _schema())
    assert mismatches(exported, ReviewJson) == []
    part = exported["reviewed"]
    assert part["reviewers"] == ["Ann Reviewer"]
    assert [c["action"] for c in part["corrections"]] == [
        "reject", "relabel", "comment", "comment", "add", "fact"
    ]  # fmt: skip
    assert part["comments"] == ["Second pass needed"]
    added = [c for c in part["clauses"] if c["source"] == "reviewer"]
    assert len(added) == 1 and added[0]["text"].startswith("The Buyer may audit")
    assert part["facts"]["governing_law"]["value"] == "Delaware"


@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("status", lambda p: p["clauses"][0].update(status="maybe")),
        ("action", lambda p: p["corrections"][0].update(action="undo")),
        ("required", lambda p: p.pop("corrections")),
        ("source", lambda p: next(iter(p["facts"].values())).update(source="guess")),
    ],
)
def test_the_schema_holds_the_reviewed_shape(
    exported: dict[str, Any], where: str, change: Any
) -> None:
    bad = copy.deepcopy(exported)
    change(bad["reviewed"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, _schema())
    assert mismatches(bad, ReviewJson), where
