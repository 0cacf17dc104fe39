"""Write small, well-formed GGUF files (and broken ones) for the header and registry tests."""

from __future__ import annotations

import struct
from pathlib import Path


def _string(text: str) -> bytes:
    data = text.encode("utf-8")
    return struct.pack("<Q", len(data)) + data


def write_gguf(
    path: Path,
    *,
    architecture: str = "llama",
    name: str = "Tiny Test Model",
    file_type: int = 15,
    kind: str | None = None,
    tensors: int = 2,
    version: int = 3,
) -> Path:
    """A GGUF v3 file with a few metadata keys and ``tensors`` F32 tensors of 8 floats."""
    kv = [
        (_string("general.architecture"), 8, _string(architecture)),
        (_string("general.name"), 8, _string(name)),
        (_string("general.file_type"), 4, struct.pack("<I", file_type)),
        (_string("general.license"), 8, _string("apache-2.0")),
        (_string(f"{architecture}.context_length"), 4, struct.pack("<I", 2048)),
        # an array, walked over and not kept: a vocabulary of three tokens
        (
            _string("tokenizer.ggml.tokens"),
            9,
            struct.pack("<IQ", 8, 3) + _string("a") + _string("b") + _string("c"),
        ),
    ]
    if kind:
        kv.append((_string("general.type"), 8, _string(kind)))
    header = b"GGUF" + struct.pack("<IQQ", version, tensors, len(kv))
    for key, kind_id, value in kv:
        header += key + struct.pack("<I", kind_id) + value
    for i in range(tensors):
        header += _string(f"blk.{i}.weight") + struct.pack("<I", 1) + struct.pack("<Q", 8)
        header += struct.pack("<IQ", 0, i * 32)  # F32, offset
    pad = (-len(header)) % 32
    data = b"\0" * pad + b"".join(struct.pack("<8f", *range(8)) for _ in range(tensors))
    path.write_bytes(header + data)
    return path
