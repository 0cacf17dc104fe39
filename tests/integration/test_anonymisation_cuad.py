"""Anonymisation on real contracts: the names read by hand in 15 of CUAD's validation
contracts (tests/data/anonymisation_names.json) leave the text, and the export's leak check
finds nothing left in it. benchmarks/anonymisation.py reports the same figures and more."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from westfall_legal.training import anonymisation_gold as gold

NAMES = Path(__file__).resolve().parents[1] / "data" / "anonymisation_names.json"
SPLIT = (
    Path(__file__).resolve().parents[2]
    / "westfall_legal/data/models/clauses-v1/validation_split.txt"
)


@pytest.mark.cuad
def test_recall_of_names_on_cuad_validation_contracts(cuad_dir: Path) -> None:
    texts = {}
    for line in (cuad_dir / "labels.dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            texts[row["filename"]] = cuad_dir / row["txt_file"]
    validation = set(SPLIT.read_text(encoding="utf-8").split("\n"))
    listed = gold.load_gold(NAMES)
    assert len(listed) == 15 and all(c.file in validation for c in listed)
    total = gold.Score()
    for contract in listed:
        result, _ = gold.score(texts[contract.file].read_text(encoding="utf-8"), contract.names)
        assert not result.absent, f"{contract.file}: listed but not in the text {result.absent}"
        total.add(result)
    assert total.names >= 150
    assert total.recall >= 0.99, f"recall {total.recall:.3f}, missed {total.missed}"
    assert total.leak_check == []
