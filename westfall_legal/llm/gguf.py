"""Read and check a GGUF file's header in pure Python, before llama.cpp ever parses it.

Crafted GGUF files have crashed llama.cpp, so a file is checked here first: the magic, the
version, bounded counts and string lengths, every tensor's type and shape, and that the file
is long enough to hold every tensor's data (a truncated download fails here, not inside the
native loader). The metadata read along the way (architecture, quantisation, licence, name,
context length, chat template) fills the model registry.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from westfall_legal.errors import ModelError

MAGIC = b"GGUF"
VERSIONS = (2, 3)
MAX_TENSORS = 100_000
MAX_KV = 100_000
MAX_STRING = 64 * 1024 * 1024  # a tokenizer's merges can be long; nothing legitimate is bigger
MAX_ARRAY = 10_000_000
MAX_DIMS = 4
DEFAULT_ALIGNMENT = 32
BAD_FILE_HINT = (
    "The file is not a usable GGUF model: download or copy it again, then "
    "`westfall models add FILE`."
)

# ggml tensor types: (elements per block, bytes per block); from ggml's type traits.
TENSOR_TYPES: dict[int, tuple[str, int, int]] = {
    0: ("F32", 1, 4),
    1: ("F16", 1, 2),
    2: ("Q4_0", 32, 18),
    3: ("Q4_1", 32, 20),
    6: ("Q5_0", 32, 22),
    7: ("Q5_1", 32, 24),
    8: ("Q8_0", 32, 34),
    9: ("Q8_1", 32, 36),
    10: ("Q2_K", 256, 84),
    11: ("Q3_K", 256, 110),
    12: ("Q4_K", 256, 144),
    13: ("Q5_K", 256, 176),
    14: ("Q6_K", 256, 210),
    15: ("Q8_K", 256, 292),
    16: ("IQ2_XXS", 256, 66),
    17: ("IQ2_XS", 256, 74),
    18: ("IQ3_XXS", 256, 98),
    19: ("IQ1_S", 256, 50),
    20: ("IQ4_NL", 32, 18),
    21: ("IQ3_S", 256, 110),
    22: ("IQ2_S", 256, 82),
    23: ("IQ4_XS", 256, 136),
    24: ("I8", 1, 1),
    25: ("I16", 1, 2),
    26: ("I32", 1, 4),
    27: ("I64", 1, 8),
    28: ("F64", 1, 8),
    29: ("IQ1_M", 256, 56),
    30: ("BF16", 1, 2),
    34: ("TQ1_0", 256, 54),
    35: ("TQ2_0", 256, 66),
    39: ("MXFP4", 32, 17),
}

# general.file_type -> the quantisation name llama.cpp prints (llama_ftype).
FILE_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
    11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S",
    17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS",
    23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S",
    29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4",
}  # fmt: skip

# GGUF metadata value types: struct format of the scalars; 8 = string, 9 = array.
_SCALARS = {
    0: "B",
    1: "b",
    2: "H",
    3: "h",
    4: "I",
    5: "i",
    6: "f",
    7: "?",
    10: "Q",
    11: "q",
    12: "d",
}
_STRING, _ARRAY = 8, 9


@dataclass(frozen=True)
class GgufInfo:
    """What the header says about a model file."""

    path: Path
    version: int
    tensor_count: int
    size: int
    metadata: dict[str, Any] = field(repr=False)

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", "unknown"))

    @property
    def kind(self) -> str:
        """'adapter' for a LoRA adapter GGUF, 'model' otherwise."""
        return "adapter" if self.metadata.get("general.type") == "adapter" else "model"

    @property
    def quantisation(self) -> str:
        file_type = self.metadata.get("general.file_type")
        if isinstance(file_type, int):
            return FILE_TYPES.get(file_type, f"type {file_type}")
        return "unknown"

    @property
    def name(self) -> str:
        return str(self.metadata.get("general.name") or self.path.stem)

    @property
    def licence(self) -> str:
        return str(self.metadata.get("general.license") or "unknown")

    @property
    def context_length(self) -> int | None:
        value = self.metadata.get(f"{self.architecture}.context_length")
        return value if isinstance(value, int) else None

    @property
    def has_chat_template(self) -> bool:
        return "tokenizer.chat_template" in self.metadata


class _Reader:
    def __init__(self, handle: BinaryIO, path: Path, size: int) -> None:
        self.handle = handle
        self.path = path
        self.size = size

    def bad(self, what: str) -> ModelError:
        return ModelError(f"{self.path}: {what}.", hint=BAD_FILE_HINT)

    def read(self, n: int) -> bytes:
        data = self.handle.read(n)
        if len(data) != n:
            raise self.bad("the file ends inside its header (truncated)")
        return data

    def unpack(self, fmt: str) -> Any:
        return struct.unpack("<" + fmt, self.read(struct.calcsize("<" + fmt)))[0]

    def string(self) -> str:
        length = self.unpack("Q")
        if length > MAX_STRING:
            raise self.bad(f"a header string claims {length} bytes")
        if self.handle.tell() + length > self.size:
            raise self.bad("the file ends inside its header (truncated)")
        return self.read(length).decode("utf-8", errors="replace")

    def value(self, kind: int, keep: bool) -> Any:
        if kind in _SCALARS:
            return self.unpack(_SCALARS[kind])
        if kind == _STRING:
            return self.string()
        if kind == _ARRAY:
            item_kind = self.unpack("I")
            count = self.unpack("Q")
            if count > MAX_ARRAY:
                raise self.bad(f"a metadata array claims {count} items")
            if item_kind in _SCALARS and not keep:  # skip fixed-size items without reading them
                width = struct.calcsize("<" + _SCALARS[item_kind])
                if self.handle.tell() + width * count > self.size:
                    raise self.bad("the file ends inside its header (truncated)")
                self.handle.seek(width * count, 1)
                return None
            items = [self.value(item_kind, keep) for _ in range(count)]
            return items if keep else None
        raise self.bad(f"unknown metadata value type {kind}")


def read_header(path: Path) -> GgufInfo:
    """Check ``path`` is a complete, well-formed GGUF file and return its header."""
    try:
        size = path.stat().st_size
        handle = path.open("rb")
    except FileNotFoundError as exc:
        raise ModelError(
            f"{path}: model file not found.",
            hint="Run `westfall models list` to see the registered models, or "
            "`westfall models install-default`.",
        ) from exc
    except OSError as exc:
        raise ModelError(f"{path}: the model file cannot be read ({exc.strerror}).") from exc
    with handle:
        reader = _Reader(handle, path, size)
        if reader.handle.read(4) != MAGIC:
            raise reader.bad("not a GGUF model (wrong magic bytes)")
        version = reader.unpack("I")
        if version not in VERSIONS:
            raise reader.bad(f"GGUF version {version} is not supported (only 2 and 3)")
        tensor_count = reader.unpack("Q")
        kv_count = reader.unpack("Q")
        if tensor_count > MAX_TENSORS or kv_count > MAX_KV:
            raise reader.bad(f"implausible counts ({tensor_count} tensors, {kv_count} keys)")
        metadata: dict[str, Any] = {}
        for _ in range(kv_count):
            key = reader.string()
            kind = reader.unpack("I")
            # Arrays (the vocabulary, merges) are walked over, not kept.
            value = reader.value(kind, keep=kind != _ARRAY)
            if value is not None:
                metadata[key] = value
        data_end = _tensor_data_end(reader, tensor_count, metadata)
        if data_end > size:
            raise reader.bad(
                f"the file is truncated: its tensors need {data_end:,} bytes, it has {size:,}"
            )
    return GgufInfo(path, version, tensor_count, size, metadata)


def _tensor_data_end(reader: _Reader, tensor_count: int, metadata: dict[str, Any]) -> int:
    """Offset of the end of the last tensor's data: the file must be at least this long."""
    end = 0
    for _ in range(tensor_count):
        name = reader.string()
        n_dims = reader.unpack("I")
        if not 1 <= n_dims <= MAX_DIMS:
            raise reader.bad(f"tensor {name!r} has {n_dims} dimensions")
        elements = 1
        for _ in range(n_dims):
            dim = reader.unpack("Q")
            if dim == 0 or dim > 1 << 40:
                raise reader.bad(f"tensor {name!r} has a dimension of {dim}")
            elements *= dim
        type_id = reader.unpack("I")
        offset = reader.unpack("Q")
        if type_id not in TENSOR_TYPES:
            raise reader.bad(f"tensor {name!r} has unknown type {type_id}")
        _, block, type_size = TENSOR_TYPES[type_id]
        if elements % block:
            raise reader.bad(f"tensor {name!r} is not a whole number of {block}-element blocks")
        end = max(end, offset + elements // block * type_size)
    alignment = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
        raise reader.bad(f"alignment {alignment!r} is not a power of two")
    data_start = -(-reader.handle.tell() // alignment) * alignment
    return data_start + end
