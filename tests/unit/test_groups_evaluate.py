"""`westfall evaluate --gold` writes the per-group table into its JSON and HTML."""

from __future__ import annotations

import json
from pathlib import Path

from tests.integration.test_evaluate_cli import _gold_set
from westfall_legal.cli import main


def test_the_group_table_is_in_the_report(tmp_path: Path) -> None:
    labels = _gold_set(tmp_path)
    out, page = tmp_path / "r.json", tmp_path / "r.html"
    code = main(["evaluate", "--gold", str(labels), "--source", "txt", "--out", str(out),
                 "--html", str(page), "--workers", "1", "--resamples", "20", "-q"])  # fmt: skip
    assert code == 0
    groups = json.loads(out.read_text())["groups"]
    assert groups["resamples"] == 20
    (supply,) = groups["groups"]["contract_type"]
    assert supply["group"] == "Supply" and supply["contracts"] == 1
    assert groups["groups"]["source"][0]["group"] == "text file"
    assert groups["groups"]["length"][0]["group"] == "under 3k words"
    assert groups["groups"]["year"][0]["group"] == "unknown"  # no year in name or opening
    assert supply["fact_accuracy"]["value"] == 1.0  # governing law read right
    assert supply["span_aupr"]["value"] == groups["overall"]["span_aupr"]["value"]
    assert groups["warnings"] == []
    html = page.read_text()
    assert "Where the model is weak" in html and "by contract type" in html
