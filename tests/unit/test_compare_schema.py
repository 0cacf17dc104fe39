"""``westfall.compare/1`` as written by ``handback/redline.py`` holds to its schema
(``data/schema/compare.schema.json``): the sample agreement's PDF against its Word draft
(reviewed for real), and the short pair of test_compare.py with every kind of change, fact
and risk; and the schema refuses a broken document."""

from __future__ import annotations

import copy
import json
from collections import Counter
from functools import cache
from typing import Any, cast

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from tests.docx_samples import SAMPLE_DOCX, SAMPLE_PDF
from tests.unit.test_compare import _pair
from westfall_legal import paths
from westfall_legal.handback.compare import compare
from westfall_legal.handback.redline import SCHEMA, compare_json
from westfall_legal.pipeline import Engines, analyse
from westfall_legal.settings import Settings


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(paths.resource_path("schema", "compare.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == schema["properties"]["schema"]["const"] == SCHEMA
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _valid(data: dict[str, Any]) -> None:
    """Valid against the schema, and what the schema cannot say: the counts are the
    clauses', each span is in order, a clause's label is its (new, else old) unit's."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    clauses = data["clauses"]
    tally = Counter(c["status"] for c in clauses)
    counts = data["counts"]
    assert {s: counts[s] for s in ("unchanged", "changed", "added", "removed")} == {
        s: tally.get(s, 0) for s in ("unchanged", "changed", "added", "removed")
    }
    assert counts["moved"] == sum(c["moved"] for c in clauses)
    assert counts["renumbered"] == sum(c["renumbered"] for c in clauses)
    for c in clauses:
        units = [u for u in (c["old"], c["new"]) if u]
        assert all(u["char_start"] < u["char_end"] for u in units)
        assert c["label"] == (c["new"] or c["old"])["label"]


@cache
def _sample_comparison() -> dict[str, Any]:
    settings, engines = Settings().replace(use_llm=False), Engines()
    old, new = (
        analyse(path, settings=settings, engines=engines, with_llm=False)
        for path in (SAMPLE_PDF, SAMPLE_DOCX)
    )
    data = compare_json(compare(old, new))
    return cast(dict[str, Any], json.loads(json.dumps(data)))  # as a reader reads the file


def test_the_sample_pdf_against_its_word_draft_holds_to_the_schema() -> None:
    data = _sample_comparison()
    _valid(data)
    assert (data["old"]["kind"], data["new"]["kind"]) == ("pdf", "docx")
    assert data["new"]["pages"] == 0 and data["old"]["pages"] > 0
    assert data["counts"]["unchanged"] > 200  # a real comparison, not an empty one
    assert {r["name"] for r in data["risks"]} == {"tracked-changes-in-high-risk-clause"}


def test_every_kind_of_change_holds_to_the_schema() -> None:
    data = json.loads(json.dumps(compare_json(compare(*_pair()))))
    _valid(data)
    statuses = {c["status"] for c in data["clauses"]}
    assert statuses == {"unchanged", "changed", "added", "removed"}
    assert data["counts"]["moved"] and data["counts"]["renumbered"]
    assert {r["kind"] for r in data["risks"]} == {"finding", "category"}
    assert [f["name"] for f in data["facts"]] == ["term"]
    added = next(c for c in data["clauses"] if c["status"] == "added")
    assert added["similarity"] == 0  # as for a removed clause: it has no partner


def _broken(data: dict[str, Any], where: str) -> dict[str, Any]:
    """``data`` with one thing broken, as a reader could meet it in a file."""
    bad = copy.deepcopy(data)
    clauses = bad["clauses"]
    changed = next(c for c in clauses if c["status"] == "changed")
    added = next(c for c in clauses if c["status"] == "added")
    if where == "schema":
        bad["schema"] = "westfall.compare/2"
    elif where == "counts":
        del bad["counts"]["moved"]
    elif where == "status":
        clauses[0]["status"] = "edited"
    elif where == "redline-missing":
        del changed["redline"]
    elif where == "redline-op":
        changed["redline"][0] = ["replace", "three"]
    elif where == "redline-on-unchanged":
        next(c for c in clauses if c["status"] == "unchanged")["redline"] = [["equal", "a"]]
    elif where == "added-with-old":
        added["old"] = copy.deepcopy(added["new"])
    elif where == "unit-span":
        changed["new"]["char_start"] = -1
    elif where == "sha256":
        bad["old"]["sha256"] = "not a digest"
    elif where == "kind":
        bad["new"]["kind"] = "doc"
    elif where == "risk-change":
        bad["risks"][0]["change"] = "vanished"
    elif where == "category-severity":
        next(r for r in bad["risks"] if r["kind"] == "category")["severity"] = "high"
    elif where == "extra-key":
        bad["clauses"][0]["colour"] = "red"
    elif where == "not-json-object":
        return {"schema": SCHEMA, "clauses": "all of them"}
    return bad


@pytest.mark.parametrize(
    "where",
    ["schema", "counts", "status", "redline-missing", "redline-op", "redline-on-unchanged",
     "added-with-old", "unit-span", "sha256", "kind", "risk-change", "category-severity",
     "extra-key", "not-json-object"],
)  # fmt: skip
def test_a_broken_document_is_refused(where: str) -> None:
    good = json.loads(json.dumps(compare_json(compare(*_pair()))))
    _validator().validate(good)
    with pytest.raises(ValidationError):
        _validator().validate(_broken(good, where))
