"""K-fold fine-tuning of the clause encoder from a packed folder (``kfold.pack``).

This is the part that runs on the GPU machine, which has torch and transformers but no
network, no CUAD and no model hub: everything it reads is in the pack (token ids, labels,
folds, the base weights as plain arrays), and it imports nothing of the app beyond this
package's light modules. It trains one encoder per fold on the other folds' contracts and
scores the fold's candidates with it (every candidate exactly once, out of fold), then the
final encoder on every training contract, and writes to ``out``:

- ``oof.npy``: the out-of-fold logits, (candidates, categories), float16, in pack order;
- ``final.npz.partN``: the final encoder's weights and head (f16 arrays, ``allow_pickle``
  off), cut in parts of at most 15 MiB (the device returns files of 16 MiB at most);
- ``report.json``: the recipe, the device, the time of each step, the sha256 of ``final.npz``.

On CUDA it trains in bf16 with the larger recipe (every candidate, 2 epochs) and fits a time
budget by measuring its speed first (fewer negatives if it must, and it says so); on the
CPU the smaller recipe (two negatives per positive, 1 epoch), one thread, a fold's scores
kept on disk as it finishes so a stopped run resumes at the next fold.

    python3 -m westfall_legal.training.encoder.kfold_train PACK OUT [--budget-s 480]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from westfall_legal.training.deps import torch_modules

CANDIDATES = "candidates.npz"
WEIGHTS = "base.npz"
META = "meta.json"
OOF = "oof.npy"
FINAL = "final.npz"
REPORT = "report.json"
PART_BYTES = 15 * 2**20
HARD_FLOOR = 0.1  # an n-gram score at least this, with no gold category: a hard negative
ALL = 0.0  # neg_ratio: every negative candidate


@dataclass(frozen=True)
class Recipe:
    epochs: int = 1
    neg_ratio: float = 2.0  # negatives per positive; ALL (0): every candidate
    batch_size: int = 16
    learning_rate: float = 5e-5
    head_learning_rate: float = 2e-3
    warmup: float = 0.06
    seed: int = 0
    bf16: bool = False
    max_steps: int = 0  # per model; 0: no limit (tests train a few steps)


CPU_RECIPE = Recipe()
GPU_RECIPE = Recipe(epochs=2, neg_ratio=ALL, batch_size=64, learning_rate=8e-5, bf16=True)
FALLBACK_RATIOS = (8.0, 6.0, 4.0, 3.0, 2.0, 1.0)  # tried in turn when ALL does not fit


@dataclass(frozen=True)
class Pack:
    flat: npt.NDArray[np.uint16]  # token ids, compact vocabulary, all candidates end to end
    offsets: npt.NDArray[np.int64]  # (candidates + 1,)
    labels: npt.NDArray[np.bool_]  # (candidates, categories)
    fold: npt.NDArray[np.int8]  # the candidate's contract's fold
    hard: npt.NDArray[np.bool_]  # a hard negative (or a positive the n-gram model scores)
    config: dict[str, Any]  # the BERT config, vocab_size the compact vocabulary's
    weights: dict[str, npt.NDArray[np.float16]]
    folds: int

    def __len__(self) -> int:
        return len(self.labels)


def load_pack(folder: Path) -> Pack:
    meta = json.loads((folder / META).read_text("utf-8"))
    with np.load(folder / CANDIDATES, allow_pickle=False) as z:
        labels = np.unpackbits(z["labels"], axis=1, count=int(meta["categories"])).astype(bool)
        parts = (z["flat"], z["offsets"], labels, z["fold"], z["hard"])
    with np.load(folder / WEIGHTS, allow_pickle=False) as w:
        weights = {k: w[k] for k in w.files}
    return Pack(*parts, config=meta["config"], weights=weights, folds=int(meta["folds"]))


def sample_rows(
    positive: npt.NDArray[np.bool_], hard: npt.NDArray[np.bool_], neg_ratio: float, seed: int
) -> npt.NDArray[np.int64]:
    """Indices to train on, shuffled: every positive, and ``neg_ratio`` negatives per
    positive (every negative with ``ALL``), half of them hard where ``hard`` marks them."""
    rng = np.random.default_rng(seed)
    pos = np.flatnonzero(positive)
    neg = np.flatnonzero(~positive)
    wanted = len(neg) if neg_ratio <= 0 else min(len(neg), round(neg_ratio * len(pos)))
    chosen = [pos]
    if wanted == len(neg):
        chosen.append(neg)
    elif wanted:
        hard_neg = neg[hard[neg]]
        take = min(len(hard_neg), wanted // 2)
        picked = rng.choice(hard_neg, size=take, replace=False) if take else hard_neg[:0]
        rest = np.setdiff1d(neg, picked, assume_unique=True)
        chosen += [picked, rng.choice(rest, size=min(len(rest), wanted - take), replace=False)]
    order = np.concatenate(chosen).astype(np.int64)
    rng.shuffle(order)
    return order


def any_label(labels: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Whether each candidate is positive for some category."""
    return np.asarray(labels.any(axis=1), dtype=np.bool_)


def pos_weight(labels: npt.NDArray[np.bool_], cap: float = 30.0) -> npt.NDArray[np.float32]:
    """Per-category weight of a positive in the loss: sqrt(negatives / positives), 1-cap."""
    pos = labels.sum(axis=0).astype(np.float64)
    neg = len(labels) - pos
    ratio = np.sqrt(np.where(pos > 0, neg / np.maximum(pos, 1), 1.0))
    return np.clip(ratio, 1.0, cap).astype(np.float32)


def batches(
    lengths: npt.NDArray[np.int64], rows: npt.NDArray[np.int64], size: int, seed: int
) -> list[npt.NDArray[np.int64]]:
    """``rows`` in batches of ``size``: shuffled, then sorted by length within windows of 50
    batches (less padding), the batches shuffled again."""
    rng = np.random.default_rng(seed)
    rows = rows[rng.permutation(len(rows))]
    window = size * 50
    out: list[npt.NDArray[np.int64]] = []
    for i in range(0, len(rows), window):
        part = rows[i : i + window]
        part = part[np.argsort(lengths[part], kind="stable")]
        out += [part[j : j + size] for j in range(0, len(part), size)]
    order = rng.permutation(len(out))
    return [out[i] for i in order]


class Trainer:
    """The classifier (BERT, mean pooling, one linear layer) and its steps on one device."""

    def __init__(self, pack: Pack, recipe: Recipe | None = None, *, threads: int = 1) -> None:
        self.torch, self.transformers = torch_modules(
            "k-fold training needs torch and transformers", "pip install -e '.[finetune]'"
        )
        torch = self.torch
        self.cuda = bool(torch.cuda.is_available())
        self.device = torch.device("cuda" if self.cuda else "cpu")
        if not self.cuda:
            torch.set_num_threads(threads)
        recipe = recipe or (GPU_RECIPE if self.cuda else CPU_RECIPE)
        self.pack, self.recipe = pack, replace(recipe, bf16=recipe.bf16 and self.cuda)
        self.lengths = np.diff(pack.offsets)

    def model(self, seed: int) -> Any:
        torch, transformers = self.torch, self.transformers
        torch.manual_seed(seed)
        config = transformers.BertConfig(**self.pack.config)
        encoder = transformers.BertModel(config, add_pooling_layer=False)
        state = {k: torch.from_numpy(v.astype(np.float32)) for k, v in self.pack.weights.items()}
        missing = encoder.load_state_dict(state, strict=False).missing_keys
        if [k for k in missing if not k.endswith("position_ids")]:  # never train from noise
            raise ValueError(f"the pack's weights miss {', '.join(missing[:3])}...")
        head = torch.nn.Linear(config.hidden_size, self.pack.labels.shape[1])
        return torch.nn.ModuleDict({"encoder": encoder, "head": head}).to(self.device)

    def _tensors(self, rows: npt.NDArray[np.int64]) -> tuple[Any, Any]:
        width = int(self.lengths[rows].max())
        ids = np.zeros((len(rows), width), np.int64)  # pad id 0 ([PAD] stays id 0)
        mask = np.zeros((len(rows), width), np.int64)
        for k, i in enumerate(rows):
            a, b = self.pack.offsets[i], self.pack.offsets[i + 1]
            ids[k, : b - a] = self.pack.flat[a:b]
            mask[k, : b - a] = 1
        to = self.device
        return self.torch.from_numpy(ids).to(to), self.torch.from_numpy(mask).to(to)

    def logits(self, model: Any, rows: npt.NDArray[np.int64]) -> Any:
        ids, mask = self._tensors(rows)
        with self.torch.autocast("cuda", dtype=self.torch.bfloat16, enabled=self.recipe.bf16):
            hidden = model["encoder"](input_ids=ids, attention_mask=mask).last_hidden_state
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        return model["head"](pooled.float())

    def fit(
        self, model: Any, rows: npt.NDArray[np.int64], *, seed: int,
        progress: Callable[[str], None], label: str, deadline: float | None = None,
    ) -> dict[str, float]:  # fmt: skip
        """Train ``model`` on ``rows``; the loss at the end and the steps taken."""
        torch, recipe = self.torch, self.recipe
        labels = self.pack.labels
        plan = [b for e in range(recipe.epochs) for b in batches(
            self.lengths, rows, recipe.batch_size, seed + e)]  # fmt: skip
        if recipe.max_steps:
            plan = plan[: recipe.max_steps]
        total = len(plan)
        optimiser = torch.optim.AdamW(
            [{"params": model["encoder"].parameters(), "lr": recipe.learning_rate},
             {"params": model["head"].parameters(), "lr": recipe.head_learning_rate}],
            weight_decay=0.01,
        )  # fmt: skip
        warm = max(1, int(recipe.warmup * total))
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
        )
        weight = torch.from_numpy(pos_weight(labels[rows])).to(self.device)
        loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=weight)
        model.train()
        started, running, step = time.perf_counter(), 0.0, 0
        for step, batch in enumerate(plan, 1):
            y = torch.from_numpy(labels[batch].astype(np.float32)).to(self.device)
            loss = loss_fn(self.logits(model, batch), y)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
            if step % 50 == 0 or step == total:
                running = float(loss.detach())
                rate = step / max(1e-9, time.perf_counter() - started)
                progress(f"{label}: step {step}/{total}, loss {running:.4f}, "
                         f"{rate * recipe.batch_size:.0f} examples/s, "
                         f"ETA {(total - step) / max(rate, 1e-9) / 60:.1f} min")  # fmt: skip
            if deadline is not None and time.monotonic() > deadline:
                progress(f"{label}: time budget spent at step {step}/{total}; stopped there")
                break
        return {"loss": running, "steps": float(step), "planned": float(total),
                "seconds": time.perf_counter() - started}  # fmt: skip

    def score(self, model: Any, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """Logits of ``rows`` (in order)."""
        model.eval()
        out = np.zeros((len(rows), self.pack.labels.shape[1]), np.float32)
        order = np.argsort(self.lengths[rows], kind="stable")
        size = self.recipe.batch_size * 4
        with self.torch.inference_mode():
            for i in range(0, len(order), size):
                part = order[i : i + size]
                out[part] = self.logits(model, rows[part]).float().cpu().numpy()
        model.train()
        return out

    def examples_per_s(self, seconds: float = 20.0) -> float:
        """Training speed on this device, measured on a throwaway model."""
        model = self.model(0)
        rows = np.arange(len(self.pack), dtype=np.int64)
        rng = np.random.default_rng(0)
        quick = replace(self.recipe, epochs=1)
        saved, self.recipe = self.recipe, quick
        done, steps, started = 0, 0, time.perf_counter()
        optimiser = self.torch.optim.AdamW(model.parameters(), lr=1e-6)
        while steps < 3 or time.perf_counter() - started < seconds:
            batch = rng.choice(rows, size=self.recipe.batch_size, replace=False)
            y = self.torch.from_numpy(self.pack.labels[batch].astype(np.float32)).to(self.device)
            loss = self.torch.nn.functional.binary_cross_entropy_with_logits(
                self.logits(model, batch), y
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            steps += 1
            done += len(batch)
            if steps == 1:  # the first step warms up: not timed
                done, started = 0, time.perf_counter()
        if self.cuda:
            self.torch.cuda.synchronize()
        self.recipe = saved
        return done / max(1e-9, time.perf_counter() - started)


def fit_budget(pack: Pack, recipe: Recipe, rate: float, budget_s: float) -> Recipe:
    """The recipe whose training fits ``budget_s`` at ``rate`` examples/s: every candidate
    if it fits, else the largest of ``FALLBACK_RATIOS`` that does (or the smallest)."""
    positive = any_label(pack.labels)

    def examples(ratio: float) -> int:
        total = 0
        for k in [*range(pack.folds), -1]:
            rows = pack.fold != k
            pos, neg = int(positive[rows].sum()), int((~positive[rows]).sum())
            total += pos + (neg if ratio <= 0 else min(neg, round(ratio * pos)))
        return total * recipe.epochs

    for ratio in (recipe.neg_ratio, *FALLBACK_RATIOS):
        if ratio > 0 and recipe.neg_ratio > 0 and ratio > recipe.neg_ratio:
            continue
        if examples(ratio) / rate <= budget_s:
            return replace(recipe, neg_ratio=ratio)
    return replace(recipe, neg_ratio=FALLBACK_RATIOS[-1])


def _save_final(trainer: Trainer, model: Any, out: Path) -> tuple[str, int]:
    """The final encoder's weights and head as f16 arrays, in parts; (sha256, parts)."""
    arrays = {f"encoder.{k}": v.detach().float().cpu().numpy().astype(np.float16)
              for k, v in model["encoder"].state_dict().items()}  # fmt: skip
    arrays["head.weight"] = model["head"].weight.detach().float().cpu().numpy()
    arrays["head.bias"] = model["head"].bias.detach().float().cpu().numpy()
    whole = out / FINAL
    np.savez(whole, **arrays)
    data = whole.read_bytes()
    whole.unlink()
    parts = 0
    for parts, i in enumerate(range(0, len(data), PART_BYTES), 1):
        (out / f"{FINAL}.part{parts - 1}").write_bytes(data[i : i + PART_BYTES])
    return hashlib.sha256(data).hexdigest(), parts


def run_kfold(
    pack_dir: Path,
    out: Path,
    *,
    recipe: Recipe | None = None,
    budget_s: float | None = None,
    threads: int = 1,
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Train the fold encoders and the final one; write ``out`` (see the module docstring)."""
    started = time.monotonic()
    pack = load_pack(pack_dir)
    trainer = Trainer(pack, recipe, threads=threads)
    device = trainer.torch.cuda.get_device_name(0) if trainer.cuda else "cpu"
    report: dict[str, Any] = {"device": device, "candidates": len(pack), "folds": pack.folds}
    if budget_s:
        rate = trainer.examples_per_s()
        fitted = fit_budget(pack, trainer.recipe, rate, budget_s * 0.85)
        report["examples_per_s"] = rate
        if fitted.neg_ratio != trainer.recipe.neg_ratio:
            progress(f"{rate:.0f} examples/s: {fitted.neg_ratio:g} negatives per positive fit "
                     f"the {budget_s:.0f} s budget, not {trainer.recipe.neg_ratio:g}")  # fmt: skip
        trainer.recipe = fitted
    report["recipe"] = asdict(trainer.recipe)
    progress(f"{device}: {len(pack)} candidates, {pack.folds} folds, recipe {report['recipe']}")
    deadline = started + budget_s if budget_s else None
    out.mkdir(parents=True, exist_ok=True)
    positive = any_label(pack.labels)
    oof = np.zeros(pack.labels.shape, np.float32)
    scored = np.zeros(len(pack), np.int32)
    steps: list[dict[str, float]] = []
    for k in range(pack.folds):
        fold_file = out / f"fold{k}.npy"
        held = np.flatnonzero(pack.fold == k)
        if fold_file.exists() and not trainer.cuda:  # a finished fold of a stopped CPU run
            oof[held] = np.load(fold_file)
        else:
            train_rows = np.flatnonzero(pack.fold != k)
            rows = train_rows[
                sample_rows(
                    positive[train_rows],
                    pack.hard[train_rows],
                    trainer.recipe.neg_ratio,
                    trainer.recipe.seed + k,
                )
            ]
            model = trainer.model(trainer.recipe.seed + k)
            steps.append(trainer.fit(model, rows, seed=trainer.recipe.seed + k,
                                     progress=progress, label=f"fold {k + 1}/{pack.folds}",
                                     deadline=deadline))  # fmt: skip
            oof[held] = trainer.score(model, held)
            if not trainer.cuda:
                np.save(fold_file, oof[held])
            del model
        scored[held] += 1
    if not (scored == 1).all():
        raise ValueError(f"{pack_dir}: the folds do not score every candidate exactly once.")
    np.save(out / OOF, oof.astype(np.float16))
    for k in range(pack.folds):
        (out / f"fold{k}.npy").unlink(missing_ok=True)
    rows = sample_rows(positive, pack.hard, trainer.recipe.neg_ratio, trainer.recipe.seed + 99)
    model = trainer.model(trainer.recipe.seed + 99)
    steps.append(trainer.fit(model, rows, seed=trainer.recipe.seed + 99, progress=progress,
                             label="final", deadline=deadline))  # fmt: skip
    sha, parts = _save_final(trainer, model, out)
    report.update(steps=steps, final_sha256=sha, final_parts=parts,
                  seconds=time.monotonic() - started)  # fmt: skip
    (out / REPORT).write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    progress(f"done in {report['seconds']:.0f} s: {out}")
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pack", help="the packed folder (westfall train-encoder --folds K --pack-only)")
    ap.add_argument("out", help="where the fold scores, the final encoder and the report go")
    ap.add_argument("--budget-s", type=float, help="fit training into this many seconds")
    ap.add_argument("--threads", type=int, default=1, help="CPU threads (default 1)")
    args = ap.parse_args(argv)
    run_kfold(Path(args.pack), Path(args.out), budget_s=args.budget_s, threads=args.threads,
              progress=lambda m: print(m, file=sys.stderr, flush=True))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
