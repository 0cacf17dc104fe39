"""Cost of experiment tracking (MLflow) on `westfall train-clauses`.

    python -m benchmarks.tracking [--quick] [--json PATH]

The same command on the same small synthetic CUAD-format folder (the retraining tests'
contracts, tests/unit/feedback/synthetic.py: 90 contracts, 20 of them trained on; 70 are
CUAD's fixed validation split), each run a fresh ``westfall`` process as a user starts it,
once with tracking to the local store and once with the ``tracking_uri`` setting "off",
alternating; the medians are compared. The overhead is a fixed cost (importing mlflow,
opening the store, logging ~250 values and the model card), so its ratio is an upper bound
for a real CUAD run, which trains for minutes. Headline: ``tracked_s``, ``untracked_s``,
``overhead_s`` and ``ratio`` (tracked / untracked).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
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


def _train(cuad: Path, out: Path, home: Path, tracking: str) -> float:
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.toml").write_text(f'tracking_uri = "{tracking}"\n', "utf-8")
    env = {**os.environ, "WESTFALL_HOME": str(home)}
    command = [sys.executable, "-m", "westfall_legal.cli", "train-clauses", "--cuad", str(cuad),
               "--out", str(out)]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


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
        times: dict[str, list[float]] = {"tracked": [], "untracked": []}
        for i in range(repeats):
            for name, setting in (("tracked", ""), ("untracked", "off")):
                seconds = _train(cuad, root / f"out-{name}-{i}", root / f"home-{name}", setting)
                times[name].append(seconds)
                print(f"{name} run {i + 1}/{repeats}: {seconds:.2f} s", file=sys.stderr)
    tracked = statistics.median(times["tracked"])
    untracked = statistics.median(times["untracked"])
    headline = {
        "tracked_s": round(tracked, 3),
        "untracked_s": round(untracked, 3),
        "overhead_s": round(tracked - untracked, 3),
        "ratio": round(tracked / untracked, 3),
    }
    report(headline, args.json, runs=times, contracts=args.contracts, repeats=repeats)


if __name__ == "__main__":
    main()
