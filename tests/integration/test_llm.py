"""The real llama.cpp with the real default model: structured answers, summaries, failures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from westfall_legal.cli import main
from westfall_legal.errors import AdapterGateError, ModelError
from westfall_legal.llm.engine import LlmEngine
from westfall_legal.llm.registry import Registry
from westfall_legal.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples"
REVIEW_SCHEMA = ROOT / "westfall_legal" / "data" / "schema" / "review.schema.json"
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
    assert summary["prompt"] == {"id": "clause_quote", "version": "1"}
    assert summary["mode"] == "quote"
    ids = {c["id"] for c in data["clauses"]}
    for sentence in summary["sentences"]:
        assert set(sentence["clause_ids"]) <= ids
    assert {f["rule"] for f in data["findings"]} >= {"dangling-reference"}


def test_no_summary_line_of_the_sample_fails_the_quotation_check(
    active_llm: Path, app_home: Path
) -> None:
    """Issue 18: with the real default model every key section gets a line, and every line
    is the clause's own words (the model's pick, or the rule's where the model's failed)."""
    from westfall_legal.llm.quote import check_quote
    from westfall_legal.llm.summary import quotable
    from westfall_legal.pipeline import analyse

    review = analyse(SAMPLE / "master_services_agreement.pdf", settings=Settings())
    summary = review.summary
    assert summary is not None and summary.model_id == "gemma3-270m-q4_k_m"
    clauses = {c.id: c for c in review.clauses}
    quotes = [s for s in summary.sentences if s.quote is not None]
    assert len(quotes) == summary.asked > 0  # every picked section ends with a line
    text = review.doc_text.text
    sections = {s.id: s for s in review.sections}
    for s in quotes:  # a heading-only clause is quoted from the words under its heading
        picked = clauses[s.clause_ids[0]]
        clause = quotable(picked, sections.get(picked.section or ""), text)
        assert check_quote(s.quote or "", clause.text) is not None, s.text
        assert s.span is not None and clause.char_start <= s.span[0] < s.span[1]
        assert text[s.span[0] : s.span[1]].split()[:4] == (s.quote or "").lstrip("… ").split()[:4]
        assert s.heading and s.text.startswith(s.heading)


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


def test_the_shipped_legal_adapter_is_registered_as_a_gated_candidate(
    active_llm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from westfall_legal import paths
    from westfall_legal.llm.clause_verify import yes_probability
    from westfall_legal.llm.default_model import register_shipped_adapters

    registry = Registry()
    entry = registry.get("legal-lora-v2")
    assert (entry.kind, entry.status, entry.base) == ("adapter", "candidate", "gemma3-270m-q4_k_m")
    # Against the clause classifier with its context stage it no longer passes its
    # comparison (docs/feedback.md): switching it on takes --force.
    assert entry.metrics["gate_passed"] == 0.0
    assert entry.metrics["aupr_classifier"] > 0.75
    with pytest.raises(AdapterGateError):
        registry.activate("legal-lora-v2")
    registry.activate("legal-lora-v2", force=True)
    engine = LlmEngine.active(Settings())
    assert engine.model_id == "gemma3-270m-q4_k_m+legal-lora-v2"
    p = yes_probability(engine, "This Agreement is governed by the laws of Ohio.", "Governing Law")
    assert 0.0 < p < 1.0
    # The summary's generation is the base model's: the adapter is only for the questions.
    plain = LlmEngine(registry.get("gemma3-270m-q4_k_m"), settings=Settings())
    assert (
        engine.complete(FEW_SHOT, max_tokens=12).text
        == plain.complete(FEW_SHOT, max_tokens=12).text
    )
    base_p = yes_probability(
        plain, "This Agreement is governed by the laws of Ohio.", "Governing Law"
    )
    again = yes_probability(
        engine, "This Agreement is governed by the laws of Ohio.", "Governing Law"
    )
    assert again == pytest.approx(p, abs=1e-5) and abs(p - base_p) > 1e-3

    # A damaged shipped adapter is refused, not registered.
    shipped = tmp_path / "models"
    shutil.copytree(paths.shipped_models_dir() / "legal-lora-v2", shipped / "legal-lora-v2")
    gguf = shipped / "legal-lora-v2" / "legal-lora-v2.gguf"
    gguf.write_bytes(gguf.read_bytes()[:-1] + b"\1")
    monkeypatch.setattr(paths, "shipped_models_dir", lambda: shipped)
    fresh = Registry()
    del fresh.entries["legal-lora-v2"]
    with pytest.raises(ModelError, match="adapter shipped with Westfall Legal is damaged"):
        register_shipped_adapters(fresh)


def test_an_active_adapter_verifies_the_uncertain_clauses(active_llm: Path) -> None:
    from westfall_legal.pipeline import VERIFY_BELOW, Engines, analyse

    sample = SAMPLE / "master_services_agreement.pdf"
    plain = analyse(sample, engines=Engines(), with_llm=False)
    assert all(c.verifier is None for c in plain.clauses)  # no adapter: the classifier's
    Registry().activate("legal-lora-v2", force=True)
    events: list[str] = []
    verified = analyse(sample, engines=Engines(), with_llm=False,
                       progress=lambda e: events.append(e.stage))  # fmt: skip
    before = {c.id: c for c in plain.clauses}
    asked = [c for c in verified.clauses if c.verifier is not None]
    assert asked and "verify" in events
    for c in verified.clauses:
        original = before[c.id]
        if original.confidence < VERIFY_BELOW:
            assert c.verifier is not None
            assert c.confidence == pytest.approx((original.confidence + c.verifier) / 2, abs=1e-4)
        else:
            assert (c.verifier, c.confidence) == (None, original.confidence)
