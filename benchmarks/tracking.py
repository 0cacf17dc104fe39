"""Cost of experiment tracking (MLflow) on `westfall train-clauses`.

    python -m benchmarks.tracking [--quick] [--json PATH]

The same command on the same small synthetic CUAD-format folder (the retraining tests'
contracts, tests/unit/feedback/synthetic.py: 90 contracts, 20 of them trained on; 70 are
CUAD's fixed validation split), each run a fresh ``westfall`` process as a user starts it,
once with tracking to the local store and once with the ``tracking_uri`` setting "off",
alternating; the medians are compared, in wall-clock seconds and in the process's CPU
seconds (user + system: steadier where other work shares the cores). The overhead is a
fixed cost (importing mlflow, opening the store, logging a few hundred values and the model
files), so its ratio is an upper bound for a real CUAD run, which trains for minutes.
Headline: ``tracked_s``, ``untracked_s``, ``overhead_s``, ``ratio`` (tracked / untracked),
and the same with ``_cpu``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a file (python benchmarks/NAME.py), not as python -m benchmarks.NAME
    sys.path.insert(0, str(ROOT))

from benchmarks._report import report  # noqa: E402


def _write_cuad(folder: Path, n: int) -> Path:
    path = ROOT / "tests" / "unit" / "feedback" / "synthetic.py"
    spec = importlib.util.spec_from_file_location("feedback_synthetic", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written: Path = module.write_cuad(folder, n)
    return written


def _train(cuad: Path, out: Path, home: Path, tracking: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.toml").write_text(f'tracking_uri = "{tracking}"\n', "utf-8")
    env = {**os.environ, "WESTFALL_HOME": str(home)}
    command = [sys.executable, "-m", "westfall_legal.cli", "train-clauses", "--cuad", str(cuad),
               "--out", str(out)]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 runs of each instead of 7")
    parser.add_argument("--contracts", type=int, default=90)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cuad = _write_cuad(root / "cuad", args.contracts)
        times: dict[str, list[float]] = {}
        for i in range(repeats):
            for name, setting in (("tracked", ""), ("untracked", "off")):
                wall, cpu = _train(cuad, root / f"out-{name}-{i}", root / f"home-{name}", setting)
                times.setdefault(f"{name}_s", []).append(wall)
                times.setdefault(f"{name}_cpu_s", []).append(cpu)
                print(f"{name} run {i + 1}/{repeats}: {wall:.2f} s ({cpu:.2f} s CPU)",
                      file=sys.stderr)  # fmt: skip
    medians = {k: statistics.median(v) for k, v in times.items()}
    headline = {k: round(v, 3) for k, v in medians.items()}
    for kind in ("", "_cpu"):
        tracked, untracked = medians[f"tracked{kind}_s"], medians[f"untracked{kind}_s"]
        headline[f"overhead{kind}_s"] = round(tracked - untracked, 3)
        headline[f"ratio{kind}"] = round(tracked / untracked, 3)
    report(headline, args.json, runs=times, contracts=args.contracts, repeats=repeats)


if __name__ == "__main__":
    main()
