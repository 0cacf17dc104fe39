"""A trained encoder (transformers format + head) -> the model folder the app runs.

The encoder goes to GGUF through llama.cpp's own ``convert_hf_to_gguf.py`` (the release the
app runs), in f16 and Q8_0; the head is copied as plain arrays; ``manifest.json`` records
the sha256 and size of every file, the base model and the parameters. The run time
(:mod:`westfall_legal.llm.encoder`) refuses a file whose sha256 differs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from westfall_legal import paths
from westfall_legal.errors import ModelError
from westfall_legal.hashing import sha256_file
from westfall_legal.training.finetune.export import run_converter

CONVERTER = "convert_hf_to_gguf.py"
MANIFEST = "manifest.json"
QUANTS = ("f16", "q8_0")


def gguf_name(quant: str) -> str:
    return f"encoder-{quant}.gguf"


def convert(final: Path, out: Path, quant: str, *, timeout_s: float = 600) -> Path:
    """One GGUF of the encoder in ``final`` (``quant``: f16 or q8_0)."""
    target = out / gguf_name(quant)
    info = run_converter(
        CONVERTER, [str(final), "--outtype", quant, "--outfile", str(target)], target,
        timeout_s=timeout_s,
    )  # fmt: skip
    if info.architecture != "bert":
        raise ModelError(f"{target}: the conversion wrote a {info.architecture} model, not BERT.")
    return target


def export_encoder(
    final: Path, out: Path, *, meta: dict[str, Any], quants: tuple[str, ...] = QUANTS
) -> Path:
    """Write the model folder ``out`` (GGUFs, head, manifest); returns the manifest path."""
    out.mkdir(parents=True, exist_ok=True)
    files = [convert(final, out, q) for q in quants]
    head = out / "head.npz"
    shutil.copyfile(final / "head.npz", head)
    files.append(head)
    manifest = {
        "kind": "clause-encoder",
        **meta,
        "files": {p.name: {"sha256": sha256_file(p), "size": p.stat().st_size} for p in files},
    }
    path = out / MANIFEST
    paths.write_json(path, manifest, indent=2, sort_keys=True)
    return path


def record_file(folder: Path, name: str, **meta: Any) -> None:
    """Add ``folder / name`` (written after the export: the stacked model) to the manifest,
    with its sha256, and ``meta`` to the manifest's top level."""
    path = folder / MANIFEST
    manifest = json.loads(path.read_text("utf-8"))
    target = folder / name
    manifest["files"][name] = {"sha256": sha256_file(target), "size": target.stat().st_size}
    manifest.update(meta)
    paths.write_json(path, manifest, indent=2, sort_keys=True)
