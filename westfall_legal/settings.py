"""One Settings dataclass: defaults in one place, loaded from and saved to TOML."""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from westfall_legal import paths
from westfall_legal.errors import SettingsError

SUMMARY_MODES = ("quote", "paraphrase")
THEMES = ("light", "dark", "high-contrast")  # the desktop window's (gui/theme.py)


@dataclass(frozen=True)
class Settings:
    # Ingestion
    ocr_dpi: int = 300
    ocr_language: str = "eng"
    ocr_workers: int = 0  # 0: one per core
    # Words a scan's OCR misread ("shail") repaired against the lexicon; English pages only
    ocr_repair: bool = True
    # Analysis
    clause_model: str = "clauses-v1"
    # The fine-tuned clause encoder stacked with the clause model: a folder under the models
    # folders ("": the n-gram model alone); it falls back to the n-gram model with a note.
    clause_encoder: str = ""
    encoder_quant: str = "q8_0"  # which of the encoder's GGUFs runs: q8_0 or f16
    encoder_threads: int = 2
    encoder_gpu_layers: int = 0  # 0: CPU; -1: every layer on the GPU when the build has one
    review_threshold: float = 60.0  # OCR confidence under which a clause needs human review
    playbook: str = ""  # a playbook .toml file; empty: the shipped default playbook
    # Review workspace: clauses the model gives less than this are drawn hatched and kept in
    # a "below threshold" group, collapsed at first (0.0 to 1.0)
    clause_threshold: float = 0.5
    reviewer: str = ""  # the name recorded with each correction ("": the system user's)
    theme: str = "light"  # the desktop window's: light, dark or high-contrast
    # Local LLM
    use_llm: bool = True
    llm_threads: int = 1  # generation threads; measured: 1 beats 2 when the other core is busy
    llm_batch_threads: int = 2  # prompt-processing threads
    llm_context: int = 4096
    llm_gpu_layers: int = 0  # 0: CPU; -1: every layer on the GPU when the build has one
    llm_timeout_s: float = 120.0  # hard limit on one generation
    summary_sections: int = 8  # sections summarised by the LLM (the most significant ones)
    # "quote": the model picks and trims a clause's own words (the default, for every model);
    # "paraphrase": it rewrites them, allowed only for a model measured at <= 2% misstated
    # sentences on the faithfulness set (`westfall models compare MODEL`)
    summary_mode: str = "quote"
    # Experiment tracking (the `tracking` extra): "" logs training and evaluation runs to the
    # MLflow store in the data folder (mlruns/); a URL logs them to the firm's own MLflow
    # server (the only thing that then leaves the machine); "off" logs nothing
    tracking_uri: str = ""

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def load(path: Path | None = None) -> Settings:
    """Settings from ``path`` (default: the data folder's settings.toml), defaults elsewhere."""
    path = path or paths.config_file()
    if not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read settings ({exc}).") from exc
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise SettingsError(f"{path}: unknown setting {key!r}.")
        default = getattr(Settings(), key)
        if type(value) is not type(default) and not (
            isinstance(default, float) and isinstance(value, int)
        ):
            raise SettingsError(
                f"{path}: setting {key!r} should be {type(default).__name__}, "
                f"not {type(value).__name__}."
            )
        values[key] = float(value) if isinstance(default, float) else value
    if values.get("summary_mode", "quote") not in SUMMARY_MODES:
        raise SettingsError(
            f"{path}: summary_mode should be one of {', '.join(SUMMARY_MODES)}, "
            f"not {values['summary_mode']!r}."
        )
    if values.get("theme", "light") not in THEMES:
        raise SettingsError(
            f"{path}: theme should be one of {', '.join(THEMES)}, not {values['theme']!r}."
        )
    return Settings(**values)


def save(settings: Settings, path: Path | None = None) -> Path:
    path = path or paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, str):
            text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        else:
            text = repr(value)
        lines.append(f"{f.name} = {text}")
    paths.write_atomic(path, "\n".join(lines) + "\n")
    return path
