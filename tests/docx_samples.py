"""The Word files of ``resources/samples/generate_docx.py``, built once per test session:
the sample agreement as a negotiated draft, a small draft with every other kind of content,
and bad Word files."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType

SAMPLES = Path(__file__).resolve().parents[1] / "resources" / "samples"
SAMPLE_DOCX = SAMPLES / "master_services_agreement.docx"
SAMPLE_PDF = SAMPLES / "master_services_agreement.pdf"


@functools.cache
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_docx", SAMPLES / "generate_docx.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def sample_bytes() -> bytes:
    return bytes(generator().sample_agreement())


@functools.cache
def features_bytes() -> bytes:
    return bytes(generator().features_draft())


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path
