"""The pipeline flows one way: a stage imports only from stages to its left."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "westfall_legal"

# Lower rank = further left. A module may import modules of equal or lower rank only.
RANKS = {
    "errors": 0, "hashing": 0, "models": 0, "progress": 0, "paths": 0, "settings": 1, "__init__": 0,
    "crash": 0,
    "ingest": 2, "layout": 3, "analysis": 4, "llm": 5, "store": 6, "feedback": 7,
    "pipeline": 8, "report": 9, "training": 10, "cli": 11, "cli_store": 11, "cli_feedback": 11,
    "cli_review": 11,
    "gui": 11,
}  # fmt: skip


def _stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) < 2 or parts[1] not in RANKS:  # the package itself, or a name from it
        return "__init__"
    return parts[1]


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found += [f"{node.module}.{a.name}" for a in node.names if node.module == PACKAGE.name]
    return [m for m in found if m.split(".")[0] == PACKAGE.name]


def test_every_stage_has_a_rank() -> None:
    for path in PACKAGE.iterdir():
        name = path.stem if path.suffix == ".py" else path.name
        if path.name.startswith("__pycache__") or (path.is_file() and path.suffix != ".py"):
            continue
        assert name in RANKS, f"{path}: add the new stage to RANKS in this test"


def test_imports_flow_one_way() -> None:
    backwards = []
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        here = RANKS[_stage(module)]
        for target in _imports(path):
            if RANKS[_stage(target)] > here:
                backwards.append(f"{module} imports {target}")
    assert not backwards, "backward imports:\n" + "\n".join(backwards)


def test_core_never_imports_qt() -> None:
    offenders = [
        str(path)
        for path in PACKAGE.rglob("*.py")
        if "gui" not in path.relative_to(PACKAGE).parts
        and any(m.split(".")[0] == "PySide6" for m in _all_imports(path))
    ]
    assert not offenders


def _all_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_backward_import_is_caught(tmp_path: Path) -> None:
    bad = tmp_path / "m.py"
    bad.write_text("from westfall_legal.pipeline import analyse\n")
    assert _imports(bad) == ["westfall_legal.pipeline"]
    assert RANKS[_stage("westfall_legal.pipeline")] > RANKS[_stage("westfall_legal.layout.x")]
