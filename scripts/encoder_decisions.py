"""Can the second-run encoder give better document DECISIONS than the n-gram model alone?

On the held-out quarter of the training contracts (``training.encoder.data.held_out``: 93
contracts no encoder weight and no n-gram weight of this script saw), 2-fold by contract
within the quarter, document macro-F1 (a category is found in a contract when its best
candidate's score reaches the category's threshold; macro over the categories present in
the quarter) of:

- ``ngram``: the n-gram model fitted as ``train-clauses`` fits it (5-fold out-of-fold scores,
  context re-scoring, thresholds on them) on the other 307 training contracts, with its own
  thresholds (nothing is fitted on the quarter);
- ``ngram_half``: the same scores, thresholds fitted on the other half of the quarter;
- ``blend_half``: the blend (share w) with thresholds fitted on the other half;
- ``blend_ngram_t``: the blend, with the n-gram model's own thresholds (the blend is a logit
  average, so when the encoder agrees it is on the n-gram scale);
- ``blend_shrunk``: thresholds halfway, in logit, between the two above.

The share w is chosen on the other half by candidate macro AP (as ``stack.choose_blend``).
Caches under ~/.cache/westfall/encoder-decisions (never the repo). One torch thread.

    nice -n 10 python scripts/encoder_decisions.py --cuad ../shared/data/cuad \
        --final ~/.cache/westfall/encoder-run2/final [--validation]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from westfall_legal.llm.encoder import candidate_input
from westfall_legal.training.dataset import ContractRecord
from westfall_legal.training.encoder import data
from westfall_legal.training.encoder.decide import (
    VARIANTS,
    decisions_2fold,
)
from westfall_legal.training.encoder.kfold import split_rows
from westfall_legal.training.train_clauses import Params, fit_shipped, record_probabilities

CACHE = Path.home() / ".cache" / "westfall"


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def snapshot_records(cuad: Path, cache: Path) -> list[ContractRecord]:
    """The 400 training contracts as run 1 and run 2 read them (the cache of their run),
    whatever the reading code has become since (its fingerprint is not checked)."""
    import pickle

    from westfall_legal.training.cuad import read_gold, validation_split

    _, val_names = validation_split(read_gold(cuad / "labels.dev.jsonl"))
    with cache.open("rb") as fh:
        _, stored = pickle.load(fh)
    held = set(val_names)
    return [r for r in stored if r.error is None and r.name not in held]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cuad", required=True)
    ap.add_argument("--final", required=True)
    ap.add_argument("--out", default=str(CACHE / "encoder-decisions"))
    ap.add_argument("--validation", action="store_true", help="also score the validation split")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    records = snapshot_records(Path(args.cuad), CACHE / "cuad-records-txt.pkl")
    quarter = [r for r in records if data.held_out(r.name)]
    rest = [r for r in records if not data.held_out(r.name)]
    say(
        f"{len(rest)} fitting contracts, {len(quarter)} in the quarter, "
        f"{sum(len(r.segments) for r in quarter)} quarter candidates"
    )
    ngram_file = out / "ngram-quarter.npz"
    if not ngram_file.exists():
        model = fit_shipped(rest, Params(), say)
        model.save(out / "ngram307", {"kind": "clause-classifier", "note": "without the quarter"})
        scores = [record_probabilities(model, r) for r in quarter]
        np.savez(ngram_file, scores=np.concatenate(scores), thresholds=model.thresholds)
    with np.load(ngram_file) as z:
        ngram_all, ngram_t = z["scores"], z["thresholds"]
    enc_file = out / "encoder-quarter.npy"
    if not enc_file.exists():
        from westfall_legal.training.encoder.train import torch_scores

        texts = [candidate_input(h, r.text[s:e]) for r in quarter for s, e, h in r.segments]
        say(f"encoder: {len(texts)} candidates")
        enc = torch_scores(Path(args.final), texts, max_tokens=128, threads=1)
        np.save(enc_file, enc)
    figures = decisions_2fold(
        quarter, split_rows(quarter, ngram_all), split_rows(quarter, np.load(enc_file)), ngram_t
    )
    (out / "quarter.json").write_text(json.dumps(figures, indent=2) + "\n")
    for name in VARIANTS:
        say(f"{name}: " + ", ".join(f"{k} {v:.4f}" for k, v in figures[name].items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
