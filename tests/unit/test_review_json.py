"""The review TypedDicts in review_json.py name exactly the schema's keys, required and not."""

from __future__ import annotations

import json
import typing
from typing import Any

import pytest

from tests.review_types import mismatches
from tests.unit.store.store_helpers import review_json as review_dict
from westfall_legal import paths, review_json


def _schema() -> dict[str, Any]:
    text = paths.resource_path("schema", "review.schema.json").read_text("utf-8")
    return json.loads(text)


def _at(schema: dict[str, Any], path: str) -> dict[str, Any]:
    """The object schema at a dotted path; `name[]` is an array's items, `name{}` a map's values."""
    node = schema
    for part in filter(None, path.split(".")):
        name = part.rstrip("[]{}")
        node = node["properties"][name]
        if part.endswith("[]"):
            node = node["items"]
        elif part.endswith("{}"):
            node = node["additionalProperties"]
    return node


@pytest.mark.parametrize("path", sorted(review_json.SCHEMA_PATHS), ids=lambda p: p or "review")
def test_each_type_names_the_schemas_keys(path: str) -> None:
    node = _at(_schema(), path)
    kind = review_json.SCHEMA_PATHS[path]
    required = set(node.get("required", []))
    keys = set(node.get("properties", {})) | required
    assert set(typing.get_type_hints(kind)) == keys, f"{kind.__name__} against {path or 'review'}"
    assert set(kind.__required_keys__) == required, f"{kind.__name__}: required keys"


def test_every_object_in_the_schema_has_a_type_or_is_a_known_loose_part() -> None:
    """A new object in the schema gets a TypedDict here (or is named as loose, with a reason)."""
    loose = {
        "timings",  # seconds by stage: a plain dict[str, float]
        "findings[].position",  # a rule's own coordinates: dict[str, str]
        # structure's parts are typed as lists of dicts; sections and references carry
        # offsets only and are read by layout's own dataclasses
    }
    found = set()

    def walk(node: dict[str, Any], path: str) -> None:
        for name, child in node.get("properties", {}).items():
            sub = f"{path}.{name}" if path else name
            kinds = child.get("type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if (
                "object" in kinds
                and "additionalProperties" in child
                and not child.get("properties")
            ):
                values = child["additionalProperties"]
                if isinstance(values, dict) and values.get("type") == "object":
                    found.add(sub + "{}")
                else:
                    found.add(sub)
            elif "object" in kinds:
                found.add(sub)
                walk(child, sub)
            elif (
                "array" in kinds
                and child.get("items", {}).get("type") == "object"
                and not path.startswith("structure")
            ):
                found.add(sub + "[]")
                walk(child["items"], sub + "[]")

    walk(_schema(), "")
    missing = found - set(review_json.SCHEMA_PATHS) - loose
    assert not missing, f"schema objects without a type in review_json.py: {sorted(missing)}"


def test_the_check_finds_a_missing_key_a_wrong_type_and_an_unknown_key() -> None:
    good = review_dict()
    assert mismatches(good, review_json.ReviewJson) == []
    bad = review_dict()
    del bad["clauses"][0]["char_start"]
    bad["findings"] = [{"rule": "r", "severity": "dire", "explanation": "", "citations": []}]
    bad["document"]["pages"][0]["ocr_confidence"] = "high"
    bad["model"] = {"id": "m", "sha256": "0" * 64, "extra": 1}
    found = mismatches(bad, review_json.ReviewJson)
    assert "review.clauses[0]: missing char_start" in found
    assert any(m.startswith("review.findings[0].severity: 'dire'") for m in found)
    assert "review.document.pages[0].ocr_confidence: not a number" in found
    assert "review.model: unknown key extra" in found


def test_the_stores_test_review_is_of_the_type() -> None:
    """The store's and feedback's tests build reviews with this helper: it must stay true."""
    assert mismatches(review_dict(clauses=5), review_json.ReviewJson) == []
