"""Where Westfall Legal keeps its files.

The data folder holds the encrypted store, the models the user added and the default model
assembled at set-up. ``WESTFALL_HOME`` (or ``--data-dir``) overrides it; tests point it at a
temporary folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "westfall-legal"
PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent


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


def resource_path(*parts: str) -> Path:
    """A file shipped with the app: ``resources/`` in a checkout or inside a bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else PROJECT_ROOT
    return root.joinpath("resources", *parts)


def shipped_models_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else PROJECT_ROOT
    return root / "models"
