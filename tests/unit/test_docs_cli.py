"""The generated docs match their sources: docs/cli.md the CLI's --help, the figure tables
docs/figures/*.json."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DOCS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen_cli = _load("gen_cli")
gen_figures = _load("gen_figures")


def test_cli_reference_is_current() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert gen_cli.render() == text, "docs/cli.md is stale: run python docs/gen_cli.py"


def test_cli_reference_has_every_command() -> None:
    text = gen_cli.render()
    for command in ("review", "evaluate", "matter", "correct", "export-feedback", "retrain"):
        assert f"## westfall {command}\n" in text
        assert f"usage: westfall {command} " in text


def test_cli_reference_ignores_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    assert gen_cli.render() == (DOCS / "cli.md").read_text(encoding="utf-8")


def test_cli_check_fails_when_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text("# Command-line reference\n", encoding="utf-8")
    monkeypatch.setattr(gen_cli, "OUT", stale)
    assert gen_cli.main(["--check"]) == 1
    assert "stale: run python docs/gen_cli.py" in capsys.readouterr().err
    assert gen_cli.main([]) == 0
    assert gen_cli.main(["--check"]) == 0


def test_figure_tables_are_current() -> None:
    stale = gen_figures.stale()
    assert not stale, f"stale figure tables in {sorted(p.name for p in stale)}: " + (
        "run python docs/gen_figures.py"
    )


def test_every_figures_file_is_shown_and_shaped_like_a_benchmark_report() -> None:
    shown = "\n".join(
        p.read_text(encoding="utf-8") for p in [DOCS.parent / "README.md", *DOCS.glob("*.md")]
    )
    for path in sorted((DOCS / "figures").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data["headline"], dict), path.name
        benchmark = data.get("benchmark", path.stem)  # a benchmark's own --json has none
        assert (DOCS.parent / "benchmarks" / f"{benchmark}.py").exists(), path.name
        assert f"<!-- figures:{path.stem} -->" in shown, f"{path.name} is in no document"


def _tree(root: Path, figures: dict[str, object], doc: str) -> None:
    (root / "docs" / "figures").mkdir(parents=True)
    (root / "docs" / "figures" / "store.json").write_text(json.dumps(figures), encoding="utf-8")
    (root / "docs" / "store.md").write_text(doc, encoding="utf-8")


def test_figures_render_between_the_markers_and_check_fails_when_stale(tmp_path: Path) -> None:
    doc = "Before.\n\n<!-- figures:store -->\nold table\n<!-- /figures:store -->\n\nAfter.\n"
    _tree(tmp_path, {"headline": {"ratio": 1.11, "annotations": 10000, "x": None}}, doc)
    assert gen_figures.main(["--check"], root=tmp_path) == 1
    assert gen_figures.main([], root=tmp_path) == 0
    assert gen_figures.main(["--check"], root=tmp_path) == 0
    text = (tmp_path / "docs" / "store.md").read_text(encoding="utf-8")
    assert text == (
        "Before.\n\n<!-- figures:store -->\n"
        "| figure | value | target | key |\n|---|---:|---|---|\n"
        "| encrypted ÷ plain seconds, write + read | 1.11 | ≤ 2 | `ratio` |\n"
        "| annotations written and read | 10,000 | – | `annotations` |\n"
        "| x | – | – | `x` |\n"
        "<!-- /figures:store -->\n\nAfter.\n"
    )


def test_a_benchmark_report_renders_like_its_headline(tmp_path: Path) -> None:
    """What ``benchmarks/NAME.py --json`` writes can replace a transcribed file as it is."""
    doc = "<!-- figures:store -->\n<!-- /figures:store -->\n"
    headline = {"ratio": 1.2, "unlock_s": 0.3}
    _tree(tmp_path, {"benchmark": "store", "command": "python ...", "headline": headline}, doc)
    assert gen_figures.main([], root=tmp_path) == 0
    report = {"headline": headline, "medians": {"plain": {"write": 1.0}}, "repeats": 7}
    (tmp_path / "docs" / "figures" / "store.json").write_text(json.dumps(report))
    assert gen_figures.main(["--check"], root=tmp_path) == 0
