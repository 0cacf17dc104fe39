"""Structure of the sample contract through `westfall review`: definitions, cross-references
and signature blocks in the review JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from westfall_legal.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "master_services_agreement.pdf"
SCHEMA = json.loads((ROOT / "westfall_legal/data/schema/review.schema.json").read_text())


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("out")
    code = main(["review", "-q", str(SAMPLE), "--out", str(out), "--no-llm"])
    assert code == 0
    page = (out / "master_services_agreement.review.html").read_text()
    assert "<h2>Structure</h2>" in page and "<li>Section 14.7</li>" in page
    data: dict[str, Any] = json.loads((out / "master_services_agreement.review.json").read_text())
    jsonschema.validate(data, SCHEMA)
    return data


def test_definitions_of_the_sample(review: dict[str, Any]) -> None:
    structure = review["structure"]
    defs = {d["term"]: d for d in structure["definitions"]}
    assert len(defs) >= 18
    ci = defs["Confidential Information"]
    definition = review["text"][ci["char_start"] : ci["char_end"]]
    assert definition.startswith("“Confidential Information” means")
    assert ci["uses"] > 5 and len(ci["first_uses"]) == 5
    start = ci["first_uses"][0]
    used = review["text"][start : start + len("Confidential Information")]
    assert " ".join(used.split()) == "Confidential Information"  # a use may wrap a line
    section = next(s for s in structure["sections"] if s["id"] == ci["section"])
    assert section["number"] == "1.1"


def test_cross_references_of_the_sample(review: dict[str, Any]) -> None:
    refs = review["structure"]["cross_references"]
    dangling = [r for r in refs if r["target"] is None]
    assert [r["label"] for r in dangling] == ["Section 14.7"]
    others = [r for r in refs if r["label"] != "Section 14.7"]
    assert len(others) >= 50
    resolved = sum(r["target"] is not None for r in others)
    assert resolved / len(others) >= 0.9
    numbers = {s["id"]: s["number"] for s in review["structure"]["sections"]}
    for ref in others:
        assert review["text"][ref["char_start"] : ref["char_end"]] == ref["text"]
        if ref["label"].startswith("Section ") and "(" not in ref["label"]:
            assert numbers[ref["target"]] == ref["label"].removeprefix("Section ")


def test_a_statute_is_an_external_reference_never_a_dangling_one(review: dict[str, Any]) -> None:
    """The sample cites "17 U.S.C. section 101", the Copyright Act's work made for hire."""
    (ref,) = review["structure"]["external_references"]
    assert (ref["label"], ref["instrument"]) == ("Section 101", "17 U.S.C")
    assert review["text"][ref["char_start"] : ref["char_end"]] == ref["text"]
    refs = review["structure"]["cross_references"]
    assert not any(r["char_start"] == ref["char_start"] for r in refs)


def test_signature_blocks_of_the_sample(review: dict[str, Any]) -> None:
    blocks = review["structure"]["signature_blocks"]
    assert [(b["party"], b["signatory"], b["status"]) for b in blocks] == [
        ("HALLORAN PIKE DIGITAL SERVICES, INC.", "Margaret A. Lindqvist", "unsigned"),
        ("WEXCOMBE PROVISIONS CORPORATION", "Theodore R. Asante", "unsigned"),
    ]
    for block in blocks:
        assert block["page"] == 16
        x0, y0, x1, y1 = block["box"]
        assert 0 <= x0 < x1 <= 612 and 0 <= y0 < y1 <= 792


def test_the_fee_table_of_the_sample(review: dict[str, Any]) -> None:
    (table,) = review["structure"]["tables"]
    assert table["page"] == 19
    rows = table["rows"]
    assert rows[0] == ["Service", "Unit", "Fee (USD)"]
    assert len(rows) == 9 and all(len(row) == 3 for row in rows)
    assert rows[1] == [
        "Managed Platform Operations (Tier 1 and Tier 2 support)",
        "per month",
        "$48,500.00",
    ]
    x0, y0, x1, y1 = table["box"]
    assert 72 <= x0 < x1 <= 540 and 150 < y0 < y1 < 420
    # The cells are in the document text, but no clause is made of them.
    assert "Onsite Training Session" in review["text"]
    assert not any("$48,500.00" in c["text"] for c in review["clauses"])
