"""K-fold training of the clause encoder: pack here, train anywhere, stack here.

``westfall train-encoder --folds K`` fits the combination and its document thresholds on
out-of-fold scores of all 400 training contracts (the n-gram model's from its own 5-fold
code and context re-scoring, the encoder's from K fold encoders), instead of a held-out
quarter. Three steps, each resumable:

1. :func:`pack` writes a self-contained folder (token ids in a compact vocabulary as uint16,
   labels, folds, hard-negative marks, the base encoder's weights as f16 arrays, about
   35 MB): all the GPU machine, which has no network and no CUAD, needs.
2. :mod:`.kfold_train` trains there (or here, on the CPU, with the smaller recipe) and
   writes the out-of-fold logits and the final encoder.
3. :func:`finish` turns that into the model folder the app runs: the final encoder back in
   the full vocabulary (rows the training never saw keep the base's weights), its GGUF
   export, the blend's share and thresholds fitted on the out-of-fold scores.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from westfall_legal.categories import CATEGORIES
from westfall_legal.errors import ModelError
from westfall_legal.training.dataset import ContractRecord
from westfall_legal.training.encoder import data
from westfall_legal.training.encoder.kfold_train import (
    CANDIDATES,
    FINAL,
    HARD_FLOOR,
    META,
    OOF,
    REPORT,
    WEIGHTS,
)
from westfall_legal.training.encoder.train import export_final, require, token_ids

Scores = npt.NDArray[np.float32]
VOCAB = "vocab.npy"
PACK_LIMIT = 40 * 2**20  # the working tree travels too: 64 MiB in all


def fold_of(n: int, folds: int, seed: int = 0) -> npt.NDArray[np.int8]:
    """Each contract's fold, as ``train_clauses.out_of_fold`` assigns them."""
    order = np.random.default_rng(seed).permutation(n)
    out = np.empty(n, np.int8)
    for k in range(folds):
        out[order[k::folds]] = k
    return out


def candidates_digest(records: Sequence[ContractRecord]) -> str:
    """sha256 over every candidate's input string: the pack and the finish must agree."""
    h = hashlib.sha256()
    for text in data.examples(records).texts:
        h.update(text.encode() + b"\0")
    return h.hexdigest()


def base_state(base: Path) -> tuple[Any, dict[str, Any]]:
    """(the base BertModel in float32, its weights without the pooler)."""
    torch, transformers = require()
    model = transformers.AutoModel.from_pretrained(str(base), dtype=torch.float32)
    state = {k: v for k, v in model.state_dict().items() if not k.startswith("pooler.")}
    return model, state


def pack_records(
    records: Sequence[ContractRecord],
    ngram: Sequence[Scores],
    folder: Path,
    *,
    base: Path,
    folds: int,
    max_tokens: int = 128,
    seed: int = 0,
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Write the pack of ``records`` (their n-gram scores mark the hard negatives)."""
    _, transformers = require()
    ex = data.examples(records)
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(base))
    ids = token_ids(tokenizer, ex.texts, max_tokens)
    lengths = np.asarray([len(x) for x in ids], np.int64)
    flat = np.asarray([t for x in ids for t in x], np.int64)
    pad = int(tokenizer.pad_token_id or 0)
    vocab = np.unique(np.concatenate([flat, [pad]]))
    if vocab[0] != pad or len(vocab) > 65535:
        raise ModelError(f"{base}: the pad id must be the smallest of at most 65,535 ids.")
    model, state = base_state(base)
    key = "embeddings.word_embeddings.weight"
    weights = {k: v.numpy().astype(np.float16) for k, v in state.items()}
    weights[key] = weights[key][vocab]
    config = model.config.to_dict()
    config.update(vocab_size=len(vocab), pad_token_id=0)
    contract_fold = fold_of(len(records), folds, seed)
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        folder / CANDIDATES,
        flat=np.searchsorted(vocab, flat).astype(np.uint16),
        offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        labels=np.packbits(ex.labels, axis=1),
        fold=contract_fold[ex.contract],
        hard=np.concatenate(list(ngram)).max(axis=1) >= HARD_FLOOR,
    )
    np.savez(folder / WEIGHTS, **weights)
    np.save(folder / VOCAB, vocab.astype(np.int32))
    meta = {
        "folds": folds, "categories": len(CATEGORIES), "config": config,
        "max_tokens": max_tokens, "seed": seed, "base": str(base),
        "contracts": [r.name for r in records],
        "candidates": [len(r.segments) for r in records],
        "digest": candidates_digest(records),
    }  # fmt: skip
    (folder / META).write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    size = sum(p.stat().st_size for p in folder.iterdir())
    progress(f"packed {len(records)} contracts, {len(ex)} candidates, "
             f"{len(vocab)} token ids, {size / 2**20:.1f} MiB in {folder}")  # fmt: skip
    if size > PACK_LIMIT:
        raise ModelError(f"{folder}: the pack is {size / 2**20:.1f} MiB, over "
                         f"{PACK_LIMIT / 2**20:.0f} MiB: it would not travel with the tree.",
                         hint="Pack with fewer --max-tokens.")  # fmt: skip
    return meta


def pack(
    records: Sequence[ContractRecord],
    folder: Path,
    *,
    folds: int,
    base: Path,
    max_tokens: int = 128,
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Pack the training contracts; hard negatives from today's shipped n-gram model."""
    from westfall_legal.pipeline import load_clause_model
    from westfall_legal.training import clause_registry
    from westfall_legal.training.train_clauses import record_probabilities

    ngram = load_clause_model(clause_registry.active_id())
    scores = [record_probabilities(ngram, r) for r in records]
    return pack_records(records, scores, folder, base=base, folds=folds,
                        max_tokens=max_tokens, progress=progress)  # fmt: skip


def check_records(pack_dir: Path, records: Sequence[ContractRecord]) -> dict[str, Any]:
    """The pack's meta, after checking that ``records`` are the contracts it was made of."""
    meta: dict[str, Any] = json.loads((pack_dir / META).read_text("utf-8"))
    same = meta["contracts"] == [r.name for r in records] and meta["candidates"] == [
        len(r.segments) for r in records
    ]
    if not same or meta["digest"] != candidates_digest(records):
        raise ModelError(
            f"{pack_dir}: the contracts read now are not the ones packed (the reading code "
            "or the cache changed since).",
            hint="Pack again, or finish with the --cache file the pack was made from.",
        )
    return meta


def join_final(returned: Path) -> dict[str, npt.NDArray[Any]]:
    """The final encoder's arrays from the returned parts, after the sha256 check."""
    report = json.loads((returned / REPORT).read_text("utf-8"))
    blob = b"".join(
        (returned / f"{FINAL}.part{i}").read_bytes() for i in range(int(report["final_parts"]))
    )
    if hashlib.sha256(blob).hexdigest() != report["final_sha256"]:
        raise ModelError(f"{returned}: the final encoder's parts do not match its sha256.",
                         hint="Fetch the device's files again.")  # fmt: skip
    whole = returned / FINAL
    whole.write_bytes(blob)
    with np.load(whole, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    whole.unlink()
    return arrays


def assemble_final(pack_dir: Path, returned: Path, run: Path, base: Path) -> Path:
    """``run/final``: the returned encoder in the base's full vocabulary, its tokenizer and
    head, as the GGUF export wants it."""
    torch, transformers = require()
    arrays = join_final(returned)
    vocab = np.load(pack_dir / VOCAB, allow_pickle=False)
    model, state = base_state(base)
    key = "embeddings.word_embeddings.weight"
    for name, value in arrays.items():
        if not name.startswith("encoder."):
            continue
        target = name.removeprefix("encoder.")
        tensor = torch.from_numpy(value.astype(np.float32))
        if target == key:
            state[key][torch.from_numpy(vocab.astype(np.int64))] = tensor
        elif target in state:
            state[target] = tensor
    model.load_state_dict(state, strict=False)
    head = torch.nn.Linear(model.config.hidden_size, len(arrays["head.bias"]))
    with torch.no_grad():
        head.weight.copy_(torch.from_numpy(arrays["head.weight"].astype(np.float32)))
        head.bias.copy_(torch.from_numpy(arrays["head.bias"].astype(np.float32)))
    holder = torch.nn.Module()
    holder.encoder, holder.head = model, head
    return export_final(run, holder, transformers, base)


def split_rows(records: Sequence[ContractRecord], rows: Scores) -> list[Scores]:
    bounds = np.cumsum([0, *[len(r.segments) for r in records]])
    return [rows[a:b] for a, b in itertools.pairwise(bounds)]


def encoder_oof(returned: Path, records: Sequence[ContractRecord]) -> list[Scores]:
    """The returned out-of-fold logits as probabilities, one array per contract."""
    logits = np.load(returned / OOF, allow_pickle=False).astype(np.float32)
    if len(logits) != sum(len(r.segments) for r in records):
        raise ModelError(f"{returned / OOF}: not one row per packed candidate.")
    return split_rows(records, (1.0 / (1.0 + np.exp(-logits))).astype(np.float32))


def ngram_oof(
    records: Sequence[ContractRecord], cache: Path, progress: Callable[[str], None] = print
) -> list[Scores]:
    """The n-gram model's out-of-fold scores of ``records`` after its context re-scoring,
    exactly as ``train-clauses`` chooses its thresholds on them (cached in ``cache``)."""
    from westfall_legal.training.context_fit import fit_context
    from westfall_legal.training.train_clauses import Params, out_of_fold

    if cache.exists():
        return split_rows(records, np.load(cache, allow_pickle=False))
    params = Params()
    oof = out_of_fold(records, params, progress)
    _, oof = fit_context(records, oof, folds=params.folds, seed=params.seed, progress=progress)
    np.save(cache, np.concatenate(oof).astype(np.float32))
    return list(oof)
