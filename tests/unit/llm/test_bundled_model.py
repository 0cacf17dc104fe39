"""The desktop bundle's default model: registered on first use, refused when altered; and the
portable llama.cpp build's CPU-variant loader, without llama.cpp."""

from __future__ import annotations

import types
from pathlib import Path

import pytest
from gguf_fixture import write_gguf

from westfall_legal import paths
from westfall_legal.errors import ModelError
from westfall_legal.hashing import sha256_file
from westfall_legal.llm import default_model, engine
from westfall_legal.llm.registry import Registry


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bundle's models/ folder holding a small GGUF under the default model's name, with
    the model package declaring that file's sha256."""
    folder = tmp_path / "bundle" / "models"
    folder.mkdir(parents=True)
    gguf = write_gguf(folder / "default.gguf")
    package = types.SimpleNamespace(MODEL_NAME="default.gguf", EXPECTED_SHA256=sha256_file(gguf))
    monkeypatch.setattr(default_model, "_package", lambda: package)
    monkeypatch.setattr(paths, "shipped_models_dir", lambda: folder)
    return gguf


def test_nothing_happens_without_a_shipped_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "shipped_models_dir", lambda: Path("/nonexistent"))
    assert default_model.ensure_bundled_model() is None
    assert not Registry().file.exists()


def test_first_use_registers_and_activates_the_shipped_file(shipped: Path) -> None:
    entry = default_model.ensure_bundled_model()
    assert entry is not None
    assert (entry.id, entry.status, Path(entry.file)) == (
        default_model.DEFAULT_ID,
        "active",
        shipped.resolve(),
    )
    assert Registry().active() == entry
    # install-default uses the shipped file as it is: nothing is copied into the data folder
    assert default_model.install_default_model() == (shipped, False)
    assert not any(paths.user_models_dir().glob("*.gguf"))


def test_a_retired_default_stays_retired(shipped: Path) -> None:
    default_model.ensure_bundled_model()
    Registry().retire(default_model.DEFAULT_ID)
    entry = default_model.ensure_bundled_model()
    assert entry is not None and entry.status == "retired"


def test_a_moved_bundle_is_registered_where_it_is_now(
    shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default_model.ensure_bundled_model()
    moved = tmp_path / "upgraded" / "models"
    moved.parent.mkdir()
    shipped.parent.rename(moved)
    monkeypatch.setattr(paths, "shipped_models_dir", lambda: moved)
    entry = default_model.ensure_bundled_model()
    assert entry is not None
    assert (Path(entry.file), entry.status) == ((moved / shipped.name).resolve(), "active")


def test_an_altered_shipped_file_is_refused(shipped: Path) -> None:
    data = bytearray(shipped.read_bytes())
    data[-1] ^= 0xFF
    shipped.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="damaged") as caught:
        default_model.ensure_bundled_model()
    assert caught.value.hint == "Reinstall Westfall Legal."
    assert default_model.DEFAULT_ID not in Registry().entries


class FakeGgml:
    """libggml's two registry calls, as functions ctypes can set restype/argtypes on."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.loaded_from: list[bytes] = []

        def reg_count() -> int:
            return self.count

        def load_all_from_path(folder: bytes) -> None:
            self.loaded_from.append(folder)
            self.count = 1

        self.ggml_backend_reg_count = reg_count
        self.ggml_backend_load_all_from_path = load_all_from_path


@pytest.mark.parametrize(
    ("files", "registered", "loads"),
    [
        (["libllama.so", "libggml.so", "libggml-cpu-haswell.so", "libggml-cpu-x64.so"], 0, True),
        (["libllama.so", "libggml.so", "libggml-cpu-haswell.so"], 2, False),  # already loaded
        (["libllama.so", "libggml.so", "libggml-cpu.so"], 0, False),  # one-CPU build
    ],
    ids=["portable", "already-registered", "native-build"],
)
def test_cpu_variants_are_loaded_from_llama_cpps_lib_folder(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: list[str],
    registered: int,
    loads: bool,
) -> None:
    lib = tmp_path / "llama_cpp" / "lib"
    lib.mkdir(parents=True)
    for name in files:
        (lib / name).write_bytes(b"")
    fake = FakeGgml(registered)
    opened: list[str] = []
    monkeypatch.setattr(engine.ctypes, "CDLL", lambda path: opened.append(path) or fake)
    monkeypatch.setattr(engine, "_variants_loaded", False)
    monkeypatch.delenv("LLAMA_CPP_LIB_PATH", raising=False)
    llama_cpp = types.SimpleNamespace(__file__=str(tmp_path / "llama_cpp" / "__init__.py"))
    engine._load_cpu_variants(llama_cpp)
    engine._load_cpu_variants(llama_cpp)  # once per process
    assert fake.loaded_from == ([bytes(lib)] if loads else [])
    # through the libllama llama_cpp opened, never a second copy of libggml
    assert opened == ([] if files[-1] == "libggml-cpu.so" else [str(lib / "libllama.so")])
