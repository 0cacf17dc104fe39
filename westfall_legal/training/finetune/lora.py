"""LoRA fine-tuning of the GGUF base model in transformers + peft (the heavy, optional part).

The base GGUF is dequantised into a transformers ``Gemma3ForCausalLM``: the adapter learns
on exactly the weights llama.cpp will run it against (the Q4_K_M values, dequantised), which
is why an adapter-only export reproduces training while re-quantising a merged model does
not. The loss is taken at the answer positions only, and the 262k-word LM head is applied
only there: same loss value as the full-sequence loss, about half the step time on CPU.

torch, transformers and peft are imported lazily: the app runs without them, and
``westfall finetune`` says how to install them when they are missing.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from westfall_legal.errors import ModelError
from westfall_legal.progress import CancelToken
from westfall_legal.training.deps import torch_modules

log = logging.getLogger(__name__)
INSTALL_HINT = (
    "Install the fine-tuning extra: pip install -e '.[finetune]' (make setup does this; it "
    "takes torch 2.13.0 CPU, transformers and peft)."
)
TARGET_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
IGNORE = -100


@dataclass(frozen=True)
class LoraParams:
    rank: int = 16
    alpha: int = 32
    dropout: float = 0.05
    learning_rate: float = 2e-4
    batch_size: int = 4
    steps: int = 100
    warmup: int = 10
    max_tokens: int = 384  # examples longer than this are dropped, never cut
    seed: int = 0


@dataclass(frozen=True)
class TokenisedExample:
    prompt: list[int]  # with BOS
    answer: list[int]  # the answer and the end-of-turn token

    @property
    def length(self) -> int:
        return len(self.prompt) + len(self.answer)


@dataclass(frozen=True)
class TrainResult:
    steps: int
    examples: int
    losses: list[float]  # per step
    seconds: float
    device: str
    threads: int
    peak_rss_mb: float


def require() -> tuple[Any, Any, Any]:
    """(torch, transformers, peft), or a clear error saying how to install them."""
    torch, transformers, peft = torch_modules(
        "fine-tuning needs torch, transformers and peft", INSTALL_HINT, with_peft=True
    )
    return torch, transformers, peft


def load_base(gguf: Path, torch: Any, transformers: Any) -> Any:
    """The GGUF dequantised into a plain ``Gemma3ForCausalLM`` (fp32).

    transformers loads a GGUF natively but marks the model as GGUF-quantised; a model built
    from the bare config with the loaded state dict is an ordinary one that peft wraps.
    """
    try:
        loaded = transformers.AutoModelForCausalLM.from_pretrained(
            str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32
        )
    except (OSError, ValueError, RuntimeError, KeyError) as exc:
        raise ModelError(f"{gguf}: transformers could not load the base model ({exc}).") from exc
    config = loaded.config
    config.quantization_config = None
    if hasattr(config, "_pre_quantization_dtype"):
        del config._pre_quantization_dtype
    model = type(loaded)(config)
    model.load_state_dict(loaded.state_dict())
    model.config.use_cache = False
    return model


def base_config(model: Any) -> dict[str, Any]:
    """The base model's Hugging Face config, as ``convert_lora_to_gguf.py --base`` reads it."""
    config: dict[str, Any] = model.config.to_dict()
    config.pop("quantization_config", None)
    config["architectures"] = [type(model).__name__]
    return config


def _batches(
    examples: Sequence[TokenisedExample], size: int, steps: int, rng: random.Random
) -> list[list[TokenisedExample]]:
    """``steps`` batches drawn in shuffled epochs; within a batch, similar lengths."""
    out: list[list[TokenisedExample]] = []
    order: list[TokenisedExample] = []
    while len(out) < steps:
        while len(order) < size * 8:
            epoch = list(examples)
            rng.shuffle(epoch)
            order += epoch
        chunk, order = order[: size * 8], order[size * 8 :]
        chunk.sort(key=lambda e: e.length)
        groups = [chunk[i : i + size] for i in range(0, len(chunk), size)]
        rng.shuffle(groups)
        out += [g for g in groups if len(g) == size]
    return out[:steps]


def _tensors(batch: Sequence[TokenisedExample], torch: Any, pad: int) -> tuple[Any, Any, Any]:
    width = max(e.length for e in batch)
    ids = torch.full((len(batch), width), pad, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    for row, e in enumerate(batch):
        seq = e.prompt + e.answer
        ids[row, : len(seq)] = torch.tensor(seq)
        mask[row, : len(seq)] = 1
        labels[row, len(e.prompt) : len(seq)] = torch.tensor(e.answer)
    return ids, mask, labels


def answer_loss(model: Any, ids: Any, mask: Any, labels: Any, torch: Any) -> Any:
    """Cross-entropy of the answer tokens, the LM head applied only where it is needed."""
    hidden = model.get_base_model().model(input_ids=ids, attention_mask=mask).last_hidden_state
    targets = labels[:, 1:]
    where = targets != IGNORE
    logits = model.get_base_model().lm_head(hidden[:, :-1][where])
    return torch.nn.functional.cross_entropy(logits.float(), targets[where])


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def train_lora(
    gguf: Path,
    examples: Sequence[TokenisedExample],
    out: Path,
    params: LoraParams,
    *,
    pad_id: int = 0,
    threads: int | None = None,
    on_step: Callable[[int, int, float], None] | None = None,
    cancel: CancelToken | None = None,
) -> TrainResult:
    """Train a LoRA adapter on ``examples``; write the peft adapter and the base config.

    ``out/adapter`` gets ``adapter_config.json`` + ``adapter_model.safetensors``,
    ``out/base`` the base model's ``config.json`` (all the GGUF export needs of the base).
    """
    torch, transformers, peft = require()
    if not examples:
        raise ModelError("no training examples are left to fine-tune on.")
    torch.manual_seed(params.seed)
    threads = threads or os.cpu_count() or 1
    torch.set_num_threads(threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = load_base(gguf, torch, transformers)
    lora = peft.LoraConfig(
        r=params.rank,
        lora_alpha=params.alpha,
        lora_dropout=params.dropout,
        target_modules=list(TARGET_MODULES),
        task_type="CAUSAL_LM",
    )
    model = peft.get_peft_model(model, lora).to(device)
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=params.learning_rate, weight_decay=0.0)

    def rate(step: int) -> float:  # linear warm-up, cosine decay to a tenth
        if step < params.warmup:
            return (step + 1) / params.warmup
        progress = (step - params.warmup) / max(1, params.steps - params.warmup)
        return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, rate)
    batches = _batches(examples, params.batch_size, params.steps, random.Random(params.seed))
    losses: list[float] = []
    start = time.perf_counter()
    for step, batch in enumerate(batches):
        if cancel is not None:
            cancel.check()
        ids, mask, labels = (t.to(device) for t in _tensors(batch, torch, pad_id))
        loss = answer_loss(model, ids, mask, labels, torch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimiser.step()
        scheduler.step()
        optimiser.zero_grad(set_to_none=True)
        losses.append(float(loss.detach()))
        if on_step is not None:
            on_step(step + 1, len(batches), losses[-1])
    seconds = time.perf_counter() - start
    (out / "adapter").mkdir(parents=True, exist_ok=True)
    model.peft_config["default"].base_model_name_or_path = gguf.name  # not a local path
    model.save_pretrained(str(out / "adapter"), save_embedding_layers=False)
    (out / "base").mkdir(parents=True, exist_ok=True)
    base = base_config(model.get_base_model())
    (out / "base" / "config.json").write_text(json.dumps(base, indent=1), "utf-8")
    return TrainResult(
        steps=len(batches),
        examples=len(examples),
        losses=losses,
        seconds=seconds,
        device=device,
        threads=threads,
        peak_rss_mb=_peak_rss_mb(),
    )
