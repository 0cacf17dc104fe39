"""The LLM path of the feedback loop, for real: a reviewed, corrected contract -> a signed
bundle -> `westfall finetune` (transformers + peft on the dequantised default GGUF, a few
steps) -> llama.cpp's converter -> a GGUF LoRA adapter registered as a candidate -> the gate
-> llama.cpp loads it with the base model and its answers differ from the base model's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_feedback_cli import _reviewed
from test_store_cli import run, unlocked  # noqa: F401 - the cheap KDF and the passphrase

from westfall_legal.errors import ExitCode
from westfall_legal.llm.clause_verify import SYSTEM_PROMPT, turn_prompt, yes_no_question
from westfall_legal.llm.engine import LlmEngine
from westfall_legal.llm.gguf import read_header
from westfall_legal.llm.registry import Registry
from westfall_legal.settings import Settings

pytestmark = [
    pytest.mark.llm,
    pytest.mark.slow,
    # peft 0.21 reads a property transformers 5 deprecated: their warning, not ours
    pytest.mark.filterwarnings("ignore:`is_gradient_checkpointing` is deprecated:FutureWarning"),
]
SCAN = (
    Path(__file__).resolve().parents[2] / "resources/samples/master_services_agreement_scanned.pdf"
)
QUESTION = turn_prompt(
    SYSTEM_PROMPT,
    yes_no_question("This Agreement is governed by the laws of the State of Ohio.", "Parties"),
)


def test_finetune_a_bundle_into_a_candidate_adapter_that_llama_cpp_loads(
    tmp_path: Path, active_llm: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("peft", reason="the fine-tuning extra is not installed (make setup)")
    _reviewed(capsys, tmp_path)
    # A second document (the scanned copy, read by OCR): one of the two is held out.
    code, _, err = run(capsys, "review", "-q", str(SCAN), "--out", str(tmp_path), "--no-llm",
                       "--matter", "Halloran")  # fmt: skip
    assert code == 0, err
    data = json.loads((tmp_path / f"{SCAN.stem}.review.json").read_text())
    law = next(c for c in data["clauses"] if c["category"] == "Governing Law")["id"]
    doc = ("--matter", "Halloran", "--document", SCAN.name, "--reviewer", "Reviewer Rae")
    code, _, err = run(capsys, "correct", *doc, "--clause", law, "relabel", "Parties")
    assert code == 0, err
    bundle = tmp_path / "corrections.wfb"
    assert run(capsys, "export-feedback", "--out", str(bundle))[0] == 0

    code, out, err = run(capsys, "finetune", "--data", str(bundle), "--no-pool", "--steps", "2",
                         "--batch-size", "2", "--id", "legal-test")  # fmt: skip
    assert code == 0, err
    assert "step 2/2" in err and "registered legal-test as a candidate adapter" in err
    assert "# Model card: legal-test" in out

    registry = Registry()
    entry = registry.get("legal-test")
    assert (entry.kind, entry.status, entry.base) == ("adapter", "candidate", "gemma3-270m-q4_k_m")
    folder = Path(entry.file).parent
    assert read_header(Path(entry.file)).kind == "adapter"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["counts"]["bundle_examples"] >= 2 and len(manifest["train"]["losses"]) == 2
    assert manifest["training_data"] == entry.training_data
    trained = [json.loads(line) for line in (folder / "train.jsonl").read_text().splitlines()]
    assert all(t["source"].startswith("bundle:") for t in trained)

    base = LlmEngine.active(Settings()).choice_probabilities(QUESTION, ["Yes", "No"])
    # Not proven on CUAD (none was given): switched on only when forced.
    code, _, err = run(capsys, "models", "activate", "legal-test")
    assert code == ExitCode.MODEL and "did not pass its comparison" in err
    assert run(capsys, "models", "activate", "legal-test", "--force")[0] == 0
    engine = LlmEngine.active(Settings())
    assert engine.model_id == "gemma3-270m-q4_k_m+legal-test"
    adapted = engine.choice_probabilities(QUESTION, ["Yes", "No"])
    assert adapted != pytest.approx(base, abs=1e-4)  # the adapter changes the model's answer

    # The adapter file is checked like a model: an altered one is never loaded.
    Path(entry.file).write_bytes(Path(entry.file).read_bytes()[:-1] + b"\0")
    with pytest.raises(Exception, match="changed since it was registered"):
        LlmEngine.active(Settings())
