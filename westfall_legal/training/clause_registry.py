"""Clause-model versions in the data folder: candidate -> active -> retired, and roll back.

The model the app uses is the ``clause_model`` setting (``settings.toml``): a folder name
looked up in the data folder's ``models/`` first, then among the shipped models
(``pipeline.clause_model_dir``). ``westfall retrain`` writes a new folder there and
registers it as a *candidate* here (``models/clause-models.json``) with its comparison
against the model that was active, and the gate's verdict. :func:`activate` checks the
folder (sha256 against the manifest and against the registry), refuses a candidate that did
not pass the gate unless forced, then switches the setting; the previous versions are kept
in ``history``, so :func:`rollback` switches back. Nothing is deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from westfall_legal import paths
from westfall_legal.analysis.clause_model import ClauseModel
from westfall_legal.errors import ClauseModelGateError, ModelError
from westfall_legal.pipeline import clause_model_dir
from westfall_legal.settings import load as load_settings
from westfall_legal.settings import save as save_settings
from westfall_legal.stamps import now

REGISTRY_FILE = "clause-models.json"


def registry_path() -> Path:
    return paths.user_models_dir() / REGISTRY_FILE


@dataclass(frozen=True)
class ClauseModelEntry:
    id: str
    status: str  # candidate, active, retired
    created: str
    sha256: str
    gate: dict[str, Any]
    summary: dict[str, Any]  # macro figures of the comparison, per set
    training_data: str  # sha256 over what it was trained on
    against: str  # the model it was compared with
    retired: str | None = None  # when it was last switched off


def _read() -> dict[str, Any]:
    path = registry_path()
    if not path.exists():
        return {"models": {}, "history": []}
    try:
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        if not isinstance(data.get("models"), dict) or not isinstance(data.get("history"), list):
            raise ValueError("models or history missing")
    except (OSError, ValueError, AttributeError) as exc:
        raise ModelError(
            f"{path}: the clause-model registry is unreadable ({exc}).",
            hint="Restore it from a backup; the model folders next to it are intact.",
        ) from None
    return data


def _write(data: dict[str, Any]) -> None:
    path = registry_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    paths.write_json(path, data, indent=2)


def _entry(raw: dict[str, Any]) -> ClauseModelEntry:
    return ClauseModelEntry(**raw)


def entries() -> list[ClauseModelEntry]:
    return [_entry(e) for e in _read()["models"].values()]


def active_id() -> str:
    return load_settings().clause_model


def get(model_id: str) -> ClauseModelEntry:
    found = _read()["models"].get(model_id)
    if found is None:
        known = ", ".join(_read()["models"]) or "none"
        raise ModelError(
            f"no clause model {model_id!r} is registered (registered: {known}).",
            hint="List them with `westfall clause-model list`.",
        )
    return _entry(found)


def register_candidate(entry: ClauseModelEntry) -> None:
    data = _read()
    if entry.id in data["models"]:
        raise ModelError(f"a clause model {entry.id!r} is registered already.")
    data["models"][entry.id] = {**entry.__dict__, "status": "candidate"}
    _write(data)


def update_comparison(model_id: str, comparison: dict[str, Any]) -> ClauseModelEntry:
    """Record a new comparison (``westfall clause-model compare``) and its gate."""
    data = _read()
    entry = data["models"][model_id]
    entry.update(gate=comparison["gate"], summary=summary(comparison), against=comparison["active"])
    _write(data)
    return _entry(entry)


def summary(comparison: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {"documents": s.get("documents", 0), **s.get("macro", {})}
        for name, s in comparison["sets"].items()
    }


def _check_folder(entry: ClauseModelEntry) -> None:
    folder = clause_model_dir(entry.id)
    model = ClauseModel.load(folder)  # raises when the file does not match its manifest
    if model.sha256 != entry.sha256:
        raise ModelError(
            f"{folder}: the clause model differs from the one registered as {entry.id}.",
            hint="Retrain it with `westfall retrain`, or restore the folder.",
        )


def activate(model_id: str, *, force: bool = False) -> ClauseModelEntry:
    """Switch the app to a registered clause model (see the module docstring)."""
    entry = get(model_id)
    current = active_id()
    if model_id == current:
        return entry
    _check_folder(entry)
    if not entry.gate.get("passed") and not force:
        reasons = "; ".join(entry.gate.get("reasons", [])) or "no comparison"
        raise ClauseModelGateError(
            f"{model_id} is not proven better than {entry.against}: {reasons}."
        )
    if entry.against != current and not force:
        raise ClauseModelGateError(
            f"{model_id} was compared with {entry.against}, but {current} is active now.",
            hint=f"Compare it again: `westfall clause-model compare {model_id} --cuad DIR`.",
        )
    data = _read()
    history = data["history"] or [current]
    if history[-1] != current:
        history.append(current)
    _switch(data, current, model_id)
    data["history"] = [*history, model_id]
    _write(data)
    return _entry(data["models"][model_id])


def rollback() -> tuple[str, str]:
    """Switch back to the model active before the current one; returns (from, to)."""
    data = _read()
    history: list[str] = data["history"]
    current = active_id()
    if history and history[-1] == current:
        history = history[:-1]
    if not history:
        raise ModelError(
            f"there is no earlier clause model to roll back to ({current} is the first).",
            hint="List the versions with `westfall clause-model list`.",
        )
    previous = history[-1]
    if previous in data["models"]:
        _check_folder(_entry(data["models"][previous]))
    else:
        ClauseModel.load(clause_model_dir(previous))  # a shipped model: it must load
    _switch(data, current, previous)
    data["history"] = history
    _write(data)
    return current, previous


def _switch(data: dict[str, Any], old: str, new: str) -> None:
    if old in data["models"]:
        data["models"][old].update(status="retired", retired=now())
    if new in data["models"]:
        data["models"][new]["status"] = "active"
    save_settings(load_settings().replace(clause_model=new))
