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
- ``ngram_offset``: the n-gram model's thresholds moved by one logit shift shared by every
  category, chosen on the other half (as ``blend_offset``: is the gain the encoder's?);
- ``blend_half``: the blend (share w) with thresholds fitted on the other half;
- ``blend_ngram_t``: the blend, with the n-gram model's own thresholds (the blend is a logit
  average, so when the encoder agrees it is on the n-gram scale);
- ``blend_shrunk``: thresholds halfway, in logit, between the two above;
- ``blend_offset``: the n-gram model's thresholds moved by one logit shift shared by every
  category, chosen on the other half (the encoder's weighted loss lifts its scores), then
  lowered for the ten key categories until their recall on that half reaches 0.95.

``--validate VARIANT`` then measures that variant once on the validation split (only when
it won on the quarter: the validation split is not for choosing).

The share w is chosen on the other half by candidate macro AP (as ``stack.choose_blend``).
Caches under ~/.cache/westfall/encoder-decisions (never the repo). One torch thread.

    nice -n 10 python scripts/encoder_decisions.py --cuad ../shared/data/cuad \
        --final ~/.cache/westfall/encoder-run2/final [--validate VARIANT]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
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
from westfall_legal.training.encoder.stack import DEFAULT_FLOOR
from westfall_legal.training.train_clauses import Params, fit_shipped, record_probabilities

CACHE = Path.home() / ".cache" / "westfall"


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def snapshot_records(cuad: Path, cache: Path) -> tuple[list[ContractRecord], list[ContractRecord]]:
    """The 400 training contracts as run 1 and run 2 read them (the cache of their run),
    whatever the reading code has become since (its fingerprint is not checked)."""
    import pickle

    from westfall_legal.training.cuad import read_gold, validation_split

    _, val_names = validation_split(read_gold(cuad / "labels.dev.jsonl"))
    with cache.open("rb") as fh:
        _, stored = pickle.load(fh)
    held = set(val_names)
    records = [r for r in stored if r.error is None]
    return [r for r in records if r.name not in held], [r for r in records if r.name in held]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cuad", required=True)
    ap.add_argument("--final", required=True)
    ap.add_argument("--out", default=str(CACHE / "encoder-decisions"))
    ap.add_argument("--validate", choices=[v for v in VARIANTS if v.startswith("blend")],
                    help="measure this variant once on the validation split")  # fmt: skip
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    records, val = snapshot_records(Path(args.cuad), CACHE / "cuad-records-txt.pkl")
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
        ask = np.flatnonzero(ngram_all.max(axis=1) >= DEFAULT_FLOOR)  # as the run time asks
        say(f"encoder: {len(ask)} of {len(texts)} candidates")
        enc = ngram_all.astype(np.float32).copy()  # the others: never read by the blend
        enc[ask] = torch_scores(Path(args.final), [texts[i] for i in ask], max_tokens=128,
                                threads=1)  # fmt: skip
        np.save(enc_file, enc)
    ngram_q = split_rows(quarter, ngram_all)
    enc_q = split_rows(quarter, np.load(enc_file))
    figures = decisions_2fold(quarter, ngram_q, enc_q, ngram_t)
    (out / "quarter.json").write_text(json.dumps(figures, indent=2) + "\n")
    for name in VARIANTS:
        say(f"{name}: " + ", ".join(f"{k} {v:.4f}" for k, v in figures[name].items()))
    if args.validate:
        result = validate(Path(args.final), args.validate, val, quarter, ngram_q, enc_q)
        (out / f"validation-{args.validate}.json").write_text(json.dumps(result, indent=2))
        for name, values in result.items():
            say(f"validation {name}: " + ", ".join(f"{k} {v:.4f}" for k, v in values.items()))
    return 0


def validate(
    final: Path,
    variant: str,
    val: list[ContractRecord],
    quarter: list[ContractRecord],
    ngram_q: list[np.ndarray],
    enc_q: list[np.ndarray],
) -> dict[str, dict[str, float]]:
    """The shipped n-gram model against the blend with ``variant``'s thresholds (the share
    and the blend's own thresholds fitted on the whole quarter), once, on the validation
    split; the encoder through transformers (one thread)."""
    from westfall_legal.analysis.stacked import Stack, StackedClauseModel
    from westfall_legal.pipeline import load_clause_model
    from westfall_legal.training import clause_registry
    from westfall_legal.training.encoder.decide import (
        best_offset,
        document_scores,
        recall_first,
        shifted,
        shrink,
    )
    from westfall_legal.training.encoder.stack import (
        DEFAULT_FLOOR,
        _blend_weights,
        _blended,
        best_share,
    )
    from westfall_legal.training.encoder.train import torch_scores
    from westfall_legal.training.train_clauses import document_thresholds, evaluate_records

    shipped = load_clause_model(clause_registry.active_id())
    share = best_share(quarter, ngram_q, enc_q, range(len(quarter)))
    blend = [_blended(n, e, share, DEFAULT_FLOOR) for n, e in zip(ngram_q, enc_q, strict=True)]
    fitted = document_thresholds(quarter, blend, Params())
    prior = shipped.thresholds.astype(np.float32)
    doc = document_scores(blend)
    offset = best_offset(quarter, doc, prior)
    choices = {"blend_half": fitted, "blend_ngram_t": prior, "blend_shrunk": shrink(fitted, prior)}
    moved = recall_first(quarter, doc, shifted(prior, offset), Params().top_recall)
    thresholds = choices.get(variant, moved)

    def encoder(texts: Sequence[str], heads: Sequence[str]) -> np.ndarray:
        inputs = [candidate_input(h, t) for t, h in zip(texts, heads, strict=True)]
        return torch_scores(final, inputs, max_tokens=128, threads=1)

    stack = Stack(_blend_weights(share), thresholds, DEFAULT_FLOOR)
    stacked = StackedClauseModel(shipped, encoder, stack, "run2")
    return {"ngram": evaluate_records(shipped, val), "blend": evaluate_records(stacked, val),
            "share": {"w": share, "offset": offset}}  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
