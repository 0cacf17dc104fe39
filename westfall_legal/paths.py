"""Where Westfall Legal keeps its files.

The data folder holds the encrypted store, the models the user added and the default model
assembled at set-up. ``WESTFALL_HOME`` (or ``--data-dir``) overrides it; tests point it at a
temporary folder. What ships with the app (playbook, prompts, schema, evaluation set, the
trained models) is package data under ``westfall_legal/data/``, read through
``importlib.resources`` only here: the same in a checkout, an installed wheel and the
desktop bundle (PyInstaller collects it to ``_internal/westfall_legal/data/``).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

APP_NAME = "westfall-legal"


def data_dir() -> Path:
    """The user data folder (not created here)."""
    override = os.environ.get("WESTFALL_HOME")
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / APP_NAME


def config_file() -> Path:
    return data_dir() / "settings.toml"


def user_models_dir() -> Path:
    return data_dir() / "models"


def _package_data() -> Path:
    """``westfall_legal/data`` as a real folder: the engines (numpy, llama.cpp) open the
    model files by path, so an import from a zip archive is refused here."""
    root = resources.files("westfall_legal") / "data"
    if not isinstance(root, Path):
        raise RuntimeError(
            f"westfall_legal is imported from an archive ({root}); install it as files "
            "(pip install, or the desktop bundle)"
        )
    return root


def resource_path(*parts: str) -> Path:
    """A file shipped with the app (package data: ``westfall_legal/data/<parts>``)."""
    return _package_data().joinpath(*parts)


def shipped_models_dir() -> Path:
    """The trained models shipped with the app (``westfall_legal/data/models``), and in the
    desktop bundle the default model's GGUF beside them."""
    return _package_data() / "models"


def store_file() -> Path:
    """The encrypted store (SQLite; its -wal and -shm files sit next to it)."""
    return data_dir() / "store.sqlite3"


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8) all at once: a temporary
    file in the same folder, readable by its owner only (0600), fsync, rename, then fsync of
    the folder (so the rename itself survives a power cut). The one atomic write of the
    app's files. Raises OSError; the caller says what the file was for."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # POSIX; Windows has no folder fsync
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_json(path: Path, obj: Any, **dumps_kwargs: Any) -> None:
    """Replace ``path`` with ``obj`` as JSON and a final newline, through :func:`write_atomic`;
    ``dumps_kwargs`` go to ``json.dumps`` (``indent=2``, ``sort_keys=True``, ...)."""
    write_atomic(path, json.dumps(obj, **dumps_kwargs) + "\n")
