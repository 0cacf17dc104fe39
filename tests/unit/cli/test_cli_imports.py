"""`westfall --version`, `--help` and the store commands load neither engine (PyMuPDF,
llama.cpp) nor the training code: each runs in a fresh interpreter, which then lists what
it loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from westfall_legal import __version__

HEAVY = ("pymupdf", "fitz", "llama_cpp", "westfall_legal.training", "torch")

REPORT = """
print("LOADED " + json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""

VERSION = """
import json, sys
from westfall_legal.cli import build_parser, main
build_parser()
for argv in (["--version"], ["--help"], ["store", "--help"]):
    try:
        main(argv)
    except SystemExit as done:
        assert done.code == 0, (argv, done.code)
"""

STORE = """
import json, sys
from westfall_legal.cli import main, store
from westfall_legal.store import KdfParams, keys

keys.DEFAULT_KDF = KdfParams("argon2id", "", iterations=1, lanes=1, memory_cost=8)  # quick
for argv in (["matter", "create", "Lease"], ["matter", "list"], ["matter", "show", "Lease"],
             ["store", "backup", sys.argv[1]], ["verify-audit"],
             ["correct", "--matter", "Lease", "--document", "x.pdf", "list"]):
    print("CODE", argv[0], main(argv))
"""


def _run(script: str, home: Path, *args: str) -> tuple[list[str], str]:
    env = {**os.environ, "WESTFALL_HOME": str(home), "WESTFALL_PASSPHRASE": "tin roof rusted"}
    done = subprocess.run(
        [sys.executable, "-c", script + REPORT.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("LOADED "), done.stdout
    return json.loads(last.removeprefix("LOADED ")), done.stdout


def test_version_and_help_load_no_engine(app_home: Path) -> None:
    loaded, out = _run(VERSION, app_home)
    assert f"westfall {__version__}" in out and "usage: westfall store" in out
    assert "pymupdf" not in loaded and "llama_cpp" not in loaded
    assert loaded == []


def test_store_commands_load_no_engine(app_home: Path, tmp_path: Path) -> None:
    loaded, out = _run(STORE, app_home, str(tmp_path / "backup.sqlite3"))
    codes = [line.split()[1:] for line in out.splitlines() if line.startswith("CODE ")]
    assert codes == [["matter", "0"], ["matter", "0"], ["matter", "0"], ["store", "0"],
                     ["verify-audit", "0"], ["correct", "8"]]  # fmt: skip
    assert (tmp_path / "backup.sqlite3").exists()
    assert "pymupdf" not in loaded and "llama_cpp" not in loaded
    assert loaded == []
