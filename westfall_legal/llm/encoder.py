"""The fine-tuned clause encoder at run time: a model folder -> category probabilities.

The folder (``westfall train-encoder`` then its export) holds ``manifest.json`` (the sha256
and size of every file, the token limit), the encoder as GGUF (f16 and Q8_0) and its head as
plain arrays (``head.npz``). Every file is checked against the manifest before llama.cpp or
numpy reads it: an altered file is refused, never loaded. llama.cpp embeds each candidate
(mean pooling, the input built by ``training.encoder.data.candidate_input``: heading plus
text, cut after its first words, then after ``max_tokens`` tokens); the head turns the
embeddings into probabilities.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from westfall_legal.errors import ModelError
from westfall_legal.hashing import sha256_file
from westfall_legal.llm.engine import EmbeddingEngine
from westfall_legal.llm.gguf import read_header

log = logging.getLogger(__name__)
MANIFEST = "manifest.json"
HEAD = "head.npz"
MAX_WORDS = 160  # as training.encoder.data.MAX_WORDS (the layering keeps llm off training)
BATCH = 32  # candidates per embed call (progress and cancel are checked between calls)


def candidate_input(heading: str, text: str, max_words: int = MAX_WORDS) -> str:
    """The string the encoder reads for one candidate (training and run time alike)."""
    words = (f"{heading} {text}" if heading else text).split()[:max_words]
    return " ".join(words)


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text("utf-8"))
        files = manifest["files"]
        if not isinstance(files, dict):
            raise TypeError("files is not a mapping")
    except FileNotFoundError:
        raise ModelError(
            f"{path}: no clause encoder here.",
            hint="Train one with `westfall train-encoder`, or clear the encoder setting.",
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path}: the encoder's manifest is unreadable ({exc}).") from None
    return dict(manifest)


def checked(folder: Path, manifest: dict[str, Any], name: str) -> Path:
    """``folder / name`` after checking its sha256 against the manifest."""
    entry = manifest["files"].get(name)
    path = folder / name
    if not isinstance(entry, dict) or "/" in name or "\\" in name:
        raise ModelError(f"{path}: not listed in the encoder's manifest; it will not be loaded.")
    if not path.is_file():
        raise ModelError(f"{path}: the encoder file is missing.")
    digest = sha256_file(path)
    if digest != entry.get("sha256"):
        raise ModelError(
            f"{path}: the file changed since the encoder was exported (sha256 {digest[:12]}..., "
            f"manifest {str(entry.get('sha256'))[:12]}...); it will not be loaded.",
            hint="Restore the original file, or export the encoder again.",
        )
    return path


class ClauseEncoder:
    """A checked encoder folder, loaded into llama.cpp."""

    def __init__(
        self, folder: Path, *, quant: str = "q8_0", threads: int = 2, gpu_layers: int = 0
    ) -> None:
        manifest = read_manifest(folder)
        self.folder = folder
        self.max_tokens = int(manifest.get("max_tokens", 128))
        self.max_words = int(manifest.get("max_words", MAX_WORDS))
        self.categories = [str(c) for c in manifest.get("categories", [])]
        gguf = checked(folder, manifest, f"encoder-{quant}.gguf")
        read_header(gguf)
        head = checked(folder, manifest, HEAD)
        try:
            with np.load(head, allow_pickle=False) as z:
                self.weight = z["weight"].astype(np.float32)
                self.bias = z["bias"].astype(np.float32)
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"{head}: the encoder's head is unreadable ({exc}).") from None
        if self.weight.shape != (len(self.bias), self.weight.shape[1]) or (
            self.categories and len(self.categories) != len(self.bias)
        ):
            raise ModelError(f"{head}: the head's shape does not fit its categories.")
        self.sha256 = str(manifest["files"][gguf.name]["sha256"])
        self.id = str(manifest.get("id", folder.name))
        self.engine = EmbeddingEngine(
            gguf, max_tokens=self.max_tokens, threads=threads, gpu_layers=gpu_layers
        )
        self.device = "GPU" if self.engine.gpu else "CPU"

    def probabilities(
        self, texts: Sequence[str], headings: Sequence[str]
    ) -> npt.NDArray[np.float32]:
        """(candidates, categories) probabilities, in order."""
        started = time.perf_counter()
        inputs = [
            candidate_input(h, t, self.max_words) for t, h in zip(texts, headings, strict=True)
        ]
        rows: list[list[float]] = []
        for i in range(0, len(inputs), BATCH):
            rows += self.engine.embed(inputs[i : i + BATCH])
        if not rows:
            return np.zeros((0, len(self.bias)), np.float32)
        logits = np.asarray(rows, np.float32) @ self.weight.T + self.bias
        log.info("encoder: %d candidates in %.2f s", len(inputs), time.perf_counter() - started)
        out: npt.NDArray[np.float32] = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
        return out
