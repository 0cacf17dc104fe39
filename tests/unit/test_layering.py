"""The import graph as it is meant to be: which stage may import which, and where each
outside engine may be imported (its one adapter).

Every import counts, at the top of a module or inside a function: a lazy import is still a
dependency. A new top-level module or package must be given its place in ``ALLOWED``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "westfall_legal"

# The core: plain data, errors, settings and small helpers every stage may use.
CORE = frozenset(
    {"__init__", "errors", "hashing", "models", "progress", "paths", "settings", "crash",
     "categories", "stamps", "review_json"}
)  # fmt: skip
FRONT_ENDS = frozenset({"cli", "gui"})
EVERYTHING = frozenset(
    {*CORE, "ingest", "layout", "analysis", "llm", "store", "feedback", "pipeline", "report",
     "session", "training", "tracking", "handback", "portfolio", *FRONT_ENDS}
)  # fmt: skip

# Per stage, the stages it may import besides itself. The pipeline flows one way:
# ingest -> layout -> analysis -> llm -> pipeline -> report, the store beside them.
ALLOWED: dict[str, frozenset[str]] = {
    **{name: CORE for name in CORE},
    "ingest": CORE,
    "layout": CORE,
    "analysis": CORE | {"layout"},
    "llm": CORE | {"analysis"},
    "store": CORE,  # never ingest, layout, analysis, llm or pipeline
    "feedback": CORE | {"store", "llm"},
    "pipeline": CORE | {"ingest", "layout", "analysis", "llm", "feedback"},
    "report": CORE | {"layout", "llm", "pipeline"},
    # the review session both ends share (and the Word copy both write: ingest's writer over
    # handback's paragraphs and notes)
    "session": CORE | {"pipeline", "report", "store", "handback", "ingest"},
    # portfolio review: above the session and the pipeline, below the front ends
    "portfolio": CORE | {"ingest", "pipeline", "report", "store", "session"},
    "handback": CORE,  # compare two reviews, a review's notes for Word: plain data in and out
    "tracking": CORE,  # experiment tracking (MLflow): training writes it, cli reads it
    "training": EVERYTHING - FRONT_ENDS,
    "cli": EVERYTHING - {"gui"},
    "gui": EVERYTHING - {"cli", "training"},
}
# The front-end modules that run the training commands (evaluate, train-*, retrain,
# finetune, the clause-model registry): the only ones outside training that may import it.
CLI_TRAINING = frozenset({"westfall_legal.cli.training"})

# Each outside engine, and the one place (a module, or a package ending in "/") that may
# import it.
ADAPTERS: dict[str, tuple[str, ...]] = {
    "PySide6": ("gui/",),
    "pymupdf": ("ingest/pdf.py",),
    "fitz": ("ingest/pdf.py",),
    "pytesseract": ("ingest/ocr.py",),
    "cv2": ("ingest/scan_cleanup.py",),
    "llama_cpp": ("llm/engine.py",),
    "cryptography": ("store/crypto.py",),
    "docx": ("ingest/docx.py",),
    "sqlite3": ("store/",),
    "sqlite_utils": ("store/",),
    "sklearn": ("training/deps.py",),
    "scipy": ("training/deps.py",),
    "torch": ("training/deps.py",),
    "transformers": ("training/deps.py",),
    "peft": ("training/deps.py",),
    "mlflow": ("tracking.py",),
    "openpyxl": ("portfolio/sheets.py",),
    "dask": ("portfolio/cluster.py",),
    "distributed": ("portfolio/cluster.py",),
}


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path) -> Iterator[str]:
    """Every module ``path`` imports (absolute names; ``from PKG import name`` also yields
    ``PKG.name``, which may be a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{a.name}" for a in node.names)


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts), path


def offences(package: Path = PACKAGE) -> list[str]:
    """Every import that breaks one of the rules, as "module imports target (why)", once
    per module and reason."""
    found: dict[tuple[str, str], str] = {}

    def add(module: str, target: str, why: str) -> None:
        found.setdefault((module, why), f"{module} imports {target} ({why})")

    for path in sorted(package.rglob("*.py")):
        module = ".".join(path.relative_to(package.parent).with_suffix("").parts)
        here = stage_of(module)
        relative = path.relative_to(package).as_posix()
        for target in imports(path):
            top = target.split(".")[0]
            if top == package.name:
                there = stage_of(target) if target != package.name else "__init__"
                if there not in EVERYTHING:
                    continue  # ``from westfall_legal import name`` of a plain name
                if there != here and there not in ALLOWED[here]:
                    add(module, target, f"{here} may not import {there}")
                if there == "training" and here.startswith("cli") and module not in CLI_TRAINING:
                    add(module, target, "only the training commands may")
                if ".store.common" in f"{target}." and here != "store":
                    add(module, target, "store.common is the store's own")
            elif top in ADAPTERS and not any(
                relative == place or (place.endswith("/") and relative.startswith(place))
                for place in ADAPTERS[top]
            ):
                add(module, target, f"only {', '.join(ADAPTERS[top])}")
    return sorted(found.values())


def test_every_stage_has_its_place() -> None:
    for path in PACKAGE.iterdir():
        name = path.stem if path.suffix == ".py" else path.name
        if path.name.startswith("__pycache__") or (path.is_file() and path.suffix != ".py"):
            continue
        if path.is_dir() and not any(path.rglob("*.py")):
            continue  # package data (westfall_legal/data: paths.resource_path), no imports
        assert name in ALLOWED, f"{path}: give the new stage its place in ALLOWED in this test"


def test_the_import_graph_keeps_its_rules() -> None:
    found = offences()
    assert not found, "imports against the layering:\n" + "\n".join(found)


def test_the_core_never_imports_qt() -> None:
    offenders = [
        module
        for module, path in modules()
        if stage_of(module) != "gui" and any(t.split(".")[0] == "PySide6" for t in imports(path))
    ]
    assert not offenders


def _scratch(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / PACKAGE.name
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_each_kind_of_forbidden_import_is_caught(tmp_path: Path) -> None:
    root = _scratch(
        tmp_path,
        {
            "store/x.py": "from westfall_legal.layout.text import build_text\n",
            "gui/y.py": "import pymupdf\nfrom PySide6 import QtCore\n",
            "gui/z.py": "def f():\n    from westfall_legal.training.cuad import read_gold\n",
            "cli/store.py": "from westfall_legal import training\n",
            "feedback/w.py": "from westfall_legal.store.common import dumps\n",
            "ingest/v.py": "import torch\nfrom westfall_legal.pipeline import analyse\n",
            "layout/ok.py": "from westfall_legal.models import Section\nimport numpy\n",
        },
    )
    found = offences(root)
    assert found == [
        "westfall_legal.cli.store imports westfall_legal.training (only the training commands may)",
        "westfall_legal.feedback.w imports westfall_legal.store.common (store.common is the "
        "store's own)",
        "westfall_legal.gui.y imports pymupdf (only ingest/pdf.py)",
        "westfall_legal.gui.z imports westfall_legal.training.cuad (gui may not import training)",
        "westfall_legal.ingest.v imports torch (only training/deps.py)",
        "westfall_legal.ingest.v imports westfall_legal.pipeline (ingest may not import pipeline)",
        "westfall_legal.store.x imports westfall_legal.layout.text (store may not import layout)",
    ]
