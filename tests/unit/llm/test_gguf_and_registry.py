"""The GGUF header check and the model registry, on small generated GGUF files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gguf_fixture import write_gguf

from westfall_legal.errors import ModelError
from westfall_legal.llm.gguf import read_header
from westfall_legal.llm.registry import Registry, verified_path


def test_header_of_a_good_file(tmp_path: Path) -> None:
    info = read_header(write_gguf(tmp_path / "m.gguf"))
    assert (info.version, info.tensor_count) == (3, 2)
    assert info.architecture == "llama"
    assert info.quantisation == "Q4_K_M"
    assert info.name == "Tiny Test Model"
    assert info.licence == "apache-2.0"
    assert info.context_length == 2048
    assert info.kind == "model"
    assert "tokenizer.ggml.tokens" not in info.metadata  # arrays are walked over, not kept


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b"GGML" + b[4:], "wrong magic"),
        (lambda b: b[:4] + (9).to_bytes(4, "little") + b[8:], "version 9"),
        (lambda b: b[:8] + (10**9).to_bytes(8, "little") + b[16:], "implausible counts"),
        (lambda b: b[:-10], "truncated"),
        (lambda b: b[:60], "truncated"),
        (lambda b: b"", "wrong magic"),
    ],
    ids=["magic", "version", "tensor-count", "truncated-data", "truncated-header", "empty"],
)
def test_damaged_files_are_refused_before_llama_cpp(
    tmp_path: Path, damage: object, message: str
) -> None:
    path = write_gguf(tmp_path / "m.gguf")
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    with pytest.raises(ModelError, match=message) as caught:
        read_header(path)
    assert str(path) in caught.value.message
    assert "westfall models add" in caught.value.hint


def test_huge_string_length_is_refused(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "m.gguf")
    data = bytearray(path.read_bytes())
    data[24:32] = (2**62).to_bytes(8, "little")  # the first key's length
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="claims"):
        read_header(path)


def test_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="model file not found") as caught:
        read_header(tmp_path / "absent.gguf")
    assert "install-default" in caught.value.hint


def test_registry_add_activate_rollback(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    one = registry.add(write_gguf(tmp_path / "one.gguf"), model_id="one")
    two = registry.add(write_gguf(tmp_path / "two.gguf", name="Two"), model_id="two")
    assert (one.status, two.status) == ("candidate", "candidate")
    assert registry.active() is None
    registry.activate("one")
    registry.activate("two")
    reloaded = Registry(tmp_path / "models")  # every change is saved
    assert reloaded.active() is not None and reloaded.active().id == "two"  # type: ignore[union-attr]
    assert reloaded.get("one").status == "candidate"
    back = reloaded.rollback()
    assert back.id == "one"
    assert reloaded.get("two").status == "retired"
    with pytest.raises(ModelError, match="no earlier model"):
        reloaded.rollback()


def test_adapter_needs_its_base_active(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    registry.add(write_gguf(tmp_path / "base.gguf"), model_id="base")
    adapter_file = write_gguf(tmp_path / "lora.gguf", kind="adapter")
    with pytest.raises(ModelError, match="needs the id of the model it adapts"):
        registry.add(adapter_file, model_id="lora")
    registry.add(adapter_file, model_id="lora", base="base")
    with pytest.raises(ModelError, match="not the active model"):
        registry.activate("lora")
    registry.activate("base")
    assert registry.activate("lora").status == "active"
    assert registry.active("adapter") is not None


def test_changed_byte_is_refused(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    path = write_gguf(tmp_path / "m.gguf")
    entry = registry.add(path, model_id="m")
    assert verified_path(entry) == path.resolve()
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF  # one byte of tensor data: the header still parses
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="changed since it was registered"):
        verified_path(entry)


def test_force_never_activates_a_file_that_fails_its_sha256(tmp_path: Path) -> None:
    """--force overrides the A/B gate, never integrity (issue 24, item 6)."""
    registry = Registry(tmp_path / "models")
    registry.add(write_gguf(tmp_path / "base.gguf"), model_id="base")
    registry.activate("base")
    path = write_gguf(tmp_path / "lora.gguf", kind="adapter")
    registry.add(path, model_id="lora", base="base", metrics={"gate_passed": 0.0})
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    for force in (False, True):
        with pytest.raises(ModelError, match="changed since it was registered"):
            registry.activate("lora", force=force)
    assert Registry(tmp_path / "models").active("adapter") is None
    changed = write_gguf(tmp_path / "other.gguf")
    registry.add(changed, model_id="other")
    changed.write_bytes(changed.read_bytes() + b"\0")
    with pytest.raises(ModelError, match="changed since it was registered"):
        registry.activate("other", force=True)
    assert Registry(tmp_path / "models").active("model").id == "base"  # type: ignore[union-attr]


def test_edited_registry_is_refused(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    registry.add(write_gguf(tmp_path / "m.gguf"), model_id="m")
    data = json.loads(registry.file.read_text())
    data["entries"][0]["sha256"] = "0" * 64  # someone points the entry at another file
    registry.file.write_text(json.dumps(data))
    with pytest.raises(ModelError, match="changed outside Westfall Legal"):
        Registry(tmp_path / "models")


def test_unregistered_files_are_listed_not_loaded(tmp_path: Path) -> None:
    folder = tmp_path / "models"
    registry = Registry(folder)
    registry.add(write_gguf(tmp_path / "known.gguf"), model_id="known")
    folder.mkdir(exist_ok=True)
    dropped = write_gguf(folder / "dropped.gguf")
    assert registry.unregistered([folder, tmp_path]) == [dropped]
