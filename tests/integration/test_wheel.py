"""The built wheel is a working app on its own: the package data it reads (playbook, prompts,
schema, the shipped models) travels inside it, and nothing is read from this checkout.

The wheel goes into a fresh venv outside the repository with ``pip install --no-deps``. Its
dependencies come from this venv's site-packages through a ``.pth`` file: installing them
from the registry takes minutes. That folder holds no ``westfall_legal`` to import (this
venv's copy is an editable install, whose finder only its own ``.pth`` runs, and a folder
named in a ``.pth`` file has its ``.pth`` files ignored), and the test checks the app is
imported from the fresh venv.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "master_services_agreement.pdf"
# What the wheel is built from: a copy, so the build writes nothing into the checkout (and
# a stale build/lib there cannot slip into the wheel).
SOURCES = ("pyproject.toml", "README.md", "NOTICE", "westfall_legal")

pytestmark = pytest.mark.slow


def run(args: list[str | Path], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args[0]} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done.stdout


def build_wheel(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    dist = tmp_path / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    run([*pip, "wheel", "--no-deps", "--no-index", "--no-build-isolation", "-w", dist, src],
        cwd=tmp_path)  # fmt: skip
    (wheel,) = dist.glob("westfall_legal-*.whl")
    return wheel


def fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp_path)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", "--python", python]
    run([*pip, "install", "--no-deps", "--no-index", wheel], cwd=tmp_path)
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                    cwd=tmp_path).strip())  # fmt: skip
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "westfall-test-deps.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))
    return venv


def test_the_installed_wheel_reviews_the_sample(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    venv = fresh_venv(tmp_path, wheel)
    work = tmp_path / "work"  # outside the checkout: nothing is found relative to it
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["WESTFALL_HOME"] = str(tmp_path / "home")

    where = run(
        [venv / "bin" / "python", "-c",
         "import westfall_legal.paths as p; print(p.__file__); print(p.resource_path())"],
        cwd=work, env=env,
    ).split()  # fmt: skip
    assert all(Path(w).is_relative_to(venv) for w in where), where

    out = work / "out"
    run([venv / "bin" / "westfall", "review", SAMPLE, "--no-llm", "--out", out, "--format", "json"],
        cwd=work, env=env)  # fmt: skip
    review = json.loads((out / f"{SAMPLE.stem}.review.json").read_text(encoding="utf-8"))
    assert review["clauses"] and review["findings"] and review["structure"]["sections"]
    assert review["model"]["id"] == "clauses-v1"  # the shipped clause model, from the wheel
