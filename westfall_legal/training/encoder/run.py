"""`westfall train-encoder`: CUAD's training contracts -> a run folder -> a trained encoder.

The first call reads the contracts (cached), samples and tokenises the training examples
(:mod:`.data`) and starts training; every later call on the same folder resumes from its
last checkpoint. Only the training contracts outside the held-out slice are trained on;
the validation split is never read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from westfall_legal.progress import CancelToken
from westfall_legal.training.dataset import ContractRecord
from westfall_legal.training.encoder import data
from westfall_legal.training.encoder.train import EncoderParams, default_base, prepare, train


def training_records(
    cuad_dir: Path, cache: Path | None, progress: Callable[[str], None], *, source: str = "pdf"
) -> list[ContractRecord]:
    """The 400 training contracts as the app reads them from their PDFs (or, with
    ``source="txt"``, from CUAD's text files: minutes instead of the PDFs' hours of OCR on a
    busy machine); the validation split is left out."""
    from westfall_legal.training.cuad import read_gold, validation_split
    from westfall_legal.training.dataset import build_records

    contracts = read_gold(cuad_dir / "labels.dev.jsonl")
    if source == "txt":
        contracts = [replace(c, pdf_path=c.txt_path) for c in contracts]
    _, val_names = validation_split(contracts)
    held = set(val_names)
    records = build_records(  # all 470, so that the cache is train-clauses' own
        contracts, cache=cache,
        progress=lambda i, n: progress(f"read {i}/{n}") if i % 50 == 0 or i == n else None,
    )  # fmt: skip
    return [r for r in records if r.error is None and r.name not in held]


def train_encoder(
    cuad_dir: Path,
    folder: Path,
    *,
    params: EncoderParams | None = None,
    base: Path | None = None,
    cache: Path | None = None,
    source: str = "pdf",
    threads: int = 1,
    progress: Callable[[str], None] = print,
    cancel: CancelToken | None = None,
) -> Path:
    """Start or resume the run in ``folder``; returns its ``final`` folder."""
    params = params or EncoderParams()
    if not (folder / "params.json").exists():
        from westfall_legal.pipeline import load_clause_model
        from westfall_legal.training import clause_registry
        from westfall_legal.training.train_clauses import record_probabilities

        records = [r for r in training_records(cuad_dir, cache, progress, source=source)
                   if not data.held_out(r.name)]  # fmt: skip
        ex = data.examples(records)
        ngram = load_clause_model(clause_registry.active_id())
        scores = np.concatenate([record_probabilities(ngram, r) for r in records])
        order = data.sample(ex, scores, neg_ratio=params.neg_ratio, seed=params.seed)
        progress(
            f"{len(records)} contracts, {len(ex)} candidates, "
            f"{int(ex.labels.any(axis=1).sum())} positive; training on {len(order)}"
        )
        prepare(folder, ex.texts, ex.labels, order, params, base or default_base())
    return train(folder, threads=threads, progress=progress, cancel=cancel)
