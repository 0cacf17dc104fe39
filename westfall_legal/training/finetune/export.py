"""A trained peft adapter -> a GGUF LoRA adapter llama.cpp loads with ``lora_path``.

The conversion is llama.cpp's own ``convert_lora_to_gguf.py``, from the source of the
llama-cpp-python release the app runs (so the GGUF it writes is one that release reads),
run in a child process (it puts that tree's ``gguf-py`` first on its path). ``make setup``
extracts those scripts from the PyPI source archive into the virtual environment
(``share/llama.cpp-convert``); ``WESTFALL_LLAMA_CONVERT`` points elsewhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from westfall_legal.errors import MissingDependencyError, ModelError
from westfall_legal.llm.gguf import GgufInfo, read_header

CONVERT_ENV = "WESTFALL_LLAMA_CONVERT"
SCRIPT = "convert_lora_to_gguf.py"
TOOLS_HINT = (
    "Run `make finetune-tools` (it extracts llama.cpp's conversion scripts from the "
    "llama-cpp-python source on PyPI), or set WESTFALL_LLAMA_CONVERT to a llama.cpp checkout."
)
OUTTYPE = "f16"  # the adapter's LoRA matrices: half the f32 size, the same answers


def convert_tools() -> Path:
    """The folder holding ``convert_lora_to_gguf.py``, ``conversion/`` and ``gguf-py/``."""
    configured = os.environ.get(CONVERT_ENV)
    folder = Path(configured) if configured else Path(sys.prefix) / "share" / "llama.cpp-convert"
    if not (folder / SCRIPT).is_file() or not (folder / "gguf-py").is_dir():
        raise MissingDependencyError(
            f"{folder}: llama.cpp's LoRA conversion script is not there.", hint=TOOLS_HINT
        )
    return folder


def export_adapter(train_dir: Path, out: Path, *, timeout_s: float = 600) -> GgufInfo:
    """Convert ``train_dir/adapter`` (peft) against ``train_dir/base`` into ``out``; the
    written file's checked header."""
    args = ["--base", str(train_dir / "base"), "--outtype", OUTTYPE, "--outfile", str(out),
            str(train_dir / "adapter")]  # fmt: skip
    info = run_converter(SCRIPT, args, out, timeout_s=timeout_s)
    if info.kind != "adapter":
        raise ModelError(f"{out}: the conversion wrote a {info.kind}, not a LoRA adapter.")
    return info


def run_converter(script: str, args: list[str], out: Path, *, timeout_s: float) -> GgufInfo:
    """Run one of llama.cpp's conversion scripts in a child process (it puts that tree's
    ``gguf-py`` and ``conversion/`` first on its path); the written file's checked header."""
    tools = convert_tools()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}  # configs come from local folders, no hub
    command = [sys.executable, str(tools / script), *args]
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        raise ModelError(f"{out}: the conversion took over {timeout_s:.0f} s.") from None
    if done.returncode != 0 or not out.is_file():
        last = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise ModelError(
            f"{out}: llama.cpp's {script} failed (exit {done.returncode}): {' | '.join(last)}",
            hint=TOOLS_HINT,
        )
    return read_header(out)
