"""The training commands on CUAD-format folders too small (or options too odd) to train on:
each is one line naming the file and the next step, with exit code 4, never a crash report."""

from __future__ import annotations

from pathlib import Path

import pytest
from synthetic import write_cuad

from westfall_legal.cli import main
from westfall_legal.errors import ExitCode, KnownError
from westfall_legal.training.train_clauses import Params, check_trainable


def _refused(capsys: pytest.CaptureFixture[str], app_home: Path, *args: str) -> str:
    """The one error line of a command that must refuse its input."""
    assert main(list(args)) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert "Traceback" not in err and "this is a bug" not in err, err
    assert not list(app_home.rglob("crash-*.txt"))
    line: str = err.strip().splitlines()[-1]
    assert line.startswith("westfall: ")
    return line


@pytest.mark.parametrize(("contracts", "training"), [(10, 0), (72, 2)])
def test_train_clauses_on_a_folder_the_validation_split_swallows(
    contracts: int,
    training: int,
    tmp_path: Path,
    app_home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cuad = write_cuad(tmp_path / "cuad", contracts)
    out = tmp_path / "model"
    line = _refused(capsys, app_home, "train-clauses", "--cuad", str(cuad), "--out", str(out))
    labels = cuad / "labels.dev.jsonl"
    assert line.startswith(f"westfall: {labels}: {training} training contracts outside the ")
    assert "needs 75 or more" in line and "--cuad" in line
    assert not out.exists()


def test_retrain_on_a_folder_the_validation_split_swallows(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cuad = write_cuad(tmp_path / "cuad", 10)
    line = _refused(capsys, app_home, "retrain", "--cuad", str(cuad), "--no-pool")
    assert line.startswith(f"westfall: {cuad / 'labels.dev.jsonl'}: 0 training contracts")
    assert "add feedback bundles" in line


@pytest.mark.parametrize("folds", ["0", "1"])
def test_retrain_refuses_fewer_than_two_folds(
    folds: str, tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cuad = write_cuad(tmp_path / "cuad", 10)
    line = _refused(capsys, app_home, "retrain", "--cuad", str(cuad), "--no-pool",
                    "--folds", folds)  # fmt: skip
    assert line == (
        f"westfall: --folds {folds}: the thresholds need 2 folds or more. Leave --folds out (5) "
        "or give 2 or more."
    )


def test_evaluate_gold_given_the_folder_instead_of_its_labels_file(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cuad = write_cuad(tmp_path / "cuad", 2)
    line = _refused(capsys, app_home, "evaluate", "--gold", str(cuad),
                    "--out", str(tmp_path / "e.json"))  # fmt: skip
    assert line == (
        f"westfall: {cuad}: a folder; --gold takes a CUAD-format labels file. "
        f"e.g. `--gold {cuad / 'labels.dev.jsonl'}`"
    )


def test_a_training_set_of_one_contract_type_is_refused() -> None:
    with pytest.raises(KnownError, match=r"'Supply'; the contract-type model needs at least two"):
        check_trainable(["Supply"] * 8, Params(), source=Path("l.jsonl"), hint="More.")
    check_trainable(["Supply"] * 4 + ["Lease"], Params(), source=Path("l.jsonl"), hint="More.")
