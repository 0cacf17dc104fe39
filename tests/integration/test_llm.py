"""The real llama.cpp with the real default model: structured answers, summaries, failures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from westfall_legal.cli import main
from westfall_legal.errors import ModelError
from westfall_legal.llm.engine import LlmEngine
from westfall_legal.llm.registry import Registry
from westfall_legal.settings import Settings

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples"
REVIEW_SCHEMA = SAMPLE.parent / "schema" / "review.schema.json"
pytestmark = pytest.mark.llm

FEW_SHOT = """Questions about contract clauses, answered as JSON.

Clause: This Agreement is governed by the laws of the State of Delaware. The initial term is three (3) years.
Answer: {"law": "Delaware", "years": 3, "note": "Delaware law, three years."}

Clause: The laws of England and Wales govern this Agreement, which continues for five (5) years.
Answer: {"law": "England and Wales", "years": 5, "note": "English law, five years."}

Clause: This Agreement shall be construed under the laws of the State of New York and remains in force for two (2) years.
Answer: """  # noqa: E501
SCHEMA = {
    "type": "object",
    "properties": {
        "law": {"enum": ["New York", "Delaware", "California", "England and Wales", "other"]},
        "years": {"type": "integer"},
        "note": {"type": "string", "maxLength": 24},
    },
    "required": ["law", "years", "note"],
}


def test_structured_answer_is_schema_valid(active_llm: Path) -> None:
    engine = LlmEngine.active(Settings())
    answer = engine.structured(FEW_SHOT, SCHEMA, max_tokens=8)  # raised to the schema's need
    jsonschema.validate(answer, SCHEMA)
    assert answer["law"] == "New York"  # the base model gets a three-shot pattern right
    assert "\n" not in answer["note"]


def test_streaming_reports_every_piece(active_llm: Path) -> None:
    engine = LlmEngine.active(Settings())
    pieces: list[str] = []
    done = engine.complete(FEW_SHOT, max_tokens=12, stop=["\n"], on_token=pieces.append)
    assert "".join(pieces) == done.text and done.tokens >= 1


def test_prompt_longer_than_context_is_refused_not_truncated(active_llm: Path) -> None:
    engine = LlmEngine.active(Settings(llm_context=256))
    with pytest.raises(ModelError, match="not truncated"):
        engine.complete("clause " * 400, max_tokens=8)


def test_review_summary_cites_clauses_and_records_the_model(
    active_llm: Path, app_home: Path, tmp_path: Path
) -> None:
    (app_home / "settings.toml").write_text("summary_sections = 3\n")
    sample = SAMPLE / "master_services_agreement.pdf"
    assert main(["review", str(sample), "--out", str(tmp_path), "--format", "json", "-q"]) == 0
    data = json.loads((tmp_path / "master_services_agreement.review.json").read_text())
    jsonschema.validate(data, json.loads(REVIEW_SCHEMA.read_text()))
    summary = data["summary"]
    assert summary["model"]["id"] == "gemma3-270m-q4_k_m"
    assert summary["model"]["sha256"] == Registry().get("gemma3-270m-q4_k_m").sha256
    assert summary["prompt"] == {"id": "clause_summary", "version": "1"}
    ids = {c["id"] for c in data["clauses"]}
    for sentence in summary["sentences"]:
        assert set(sentence["clause_ids"]) <= ids
    assert {f["rule"] for f in data["findings"]} >= {"dangling-reference"}


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.write_bytes(p.read_bytes()[: 1 << 20]), "truncated"),
        (lambda p: p.write_bytes(b"XXXX" + p.read_bytes()[4:]), "wrong magic"),
        (lambda p: p.write_bytes(p.read_bytes()[:-1] + b"\x01"), "changed since"),
        (lambda p: p.unlink(), "not found"),
    ],
    ids=["truncated", "magic", "changed-byte", "missing"],
)
def test_a_damaged_model_is_refused_and_the_review_still_completes(
    default_gguf: Path, app_home: Path, tmp_path: Path, damage: object, message: str
) -> None:
    from westfall_legal.llm.default_model import register_default_model

    copy = shutil.copy(default_gguf, tmp_path / "model.gguf")
    register_default_model(Path(copy))
    damage(Path(copy))  # type: ignore[operator]
    with pytest.raises(ModelError, match=message):
        LlmEngine.active(Settings())
    out = tmp_path / "out"
    sample = SAMPLE / "master_services_agreement.pdf"
    assert main(["review", str(sample), "--out", str(out), "--format", "json", "-q"]) == 0
    summary = json.loads((out / "master_services_agreement.review.json").read_text())["summary"]
    assert summary["model"] is None and message.split()[0] in summary["note"]
    assert all(s["source"] == "rule" for s in summary["sentences"])
