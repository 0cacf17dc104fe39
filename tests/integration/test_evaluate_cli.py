"""`westfall evaluate` end to end on a CUAD-format gold file made in the test, and on CUAD."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest

from westfall_legal.cli import main

LAW = (
    "This Agreement shall be governed by and construed in accordance with the laws of the "
    "State of Delaware, without regard to its conflict of laws rules."
)
ASSIGN = (
    "Neither party may assign this Agreement without the prior written consent of the other "
    "party, which consent shall not be unreasonably withheld."
)
FILLER = "The Supplier shall deliver the Products to the Customer at the agreed place."


def _gold_set(folder: Path) -> Path:
    paragraphs = ["SUPPLY AGREEMENT", "1. Delivery. " + FILLER, "2. Assignment. " + ASSIGN,
                  "3. Governing Law. " + LAW]  # fmt: skip
    text = "\n\n".join(paragraphs)
    (folder / "txt").mkdir()
    (folder / "pdf").mkdir()
    (folder / "txt" / "c1.txt").write_text(text)
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), text, fontsize=11)
    doc.save(folder / "pdf" / "c1.pdf")
    law_start = text.index(LAW)
    assign_start = text.index(ASSIGN)
    record = {
        "filename": "c1.pdf",
        "txt_file": "txt/c1.txt",
        "pdf_file": "pdf/c1.pdf",
        "contract_type": "Supply",
        "labels": {
            "Governing Law": {
                "answer": "Delaware",
                "spans": [{"text": LAW, "segments": [[law_start, law_start + len(LAW)]]}],
            },
            "Anti-Assignment": {
                "answer": "Yes",
                "spans": [
                    {"text": ASSIGN, "segments": [[assign_start, assign_start + len(ASSIGN)]]}
                ],
            },
        },
    }
    labels = folder / "labels.jsonl"
    labels.write_text(json.dumps(record) + "\n")
    (folder / "master_clauses.dev.csv").write_text(
        "Filename,Governing Law,Governing Law-Answer\nc1.pdf,x,Delaware\n"
    )
    return labels


@pytest.mark.parametrize("source", ["pdf", "txt"])
def test_evaluate_writes_both_reports(tmp_path: Path, source: str) -> None:
    labels = _gold_set(tmp_path)
    out, page = tmp_path / "r.json", tmp_path / "r.html"
    code = main(["evaluate", "--gold", str(labels), "--source", source, "--out", str(out),
                 "--html", str(page), "--workers", "1", "-q"])  # fmt: skip
    assert code == 0
    report = json.loads(out.read_text())
    assert set(report["macro"]) == {"doc_precision", "doc_recall", "doc_f1", "span_aupr",
                                    "span_p_at_80r", "span_p_at_90r"}  # fmt: skip
    law = report["per_category"]["Governing Law"]
    assert law["support"] == 1 and law["span_aupr"] == pytest.approx(1.0)
    assert report["per_category"]["Anti-Assignment"]["span_p_at_80r"] == pytest.approx(1.0)
    assert report["facts"]["governing_law"] == 1.0
    assert report["documents"] == 1 and report["failed_documents"] == []
    assert report["seconds_per_page"] > 0
    html = page.read_text()
    assert "<svg" in html and "Governing Law" in html and "Reliability" in html
    assert report["calibration"]["ece"] is not None


def test_evaluate_reports_a_broken_contract_as_failed(tmp_path: Path) -> None:
    labels = _gold_set(tmp_path)
    (tmp_path / "pdf" / "c1.pdf").write_bytes(b"%PDF-1.4 truncated")
    out = tmp_path / "r.json"
    assert main(["evaluate", "--gold", str(labels), "--out", str(out), "--workers", "1", "-q"]) == 0
    report = json.loads(out.read_text())
    assert report["documents"] == 0 and report["failed_documents"][0]["name"] == "c1.pdf"


@pytest.mark.cuad
def test_evaluate_on_real_cuad_contracts(tmp_path: Path, cuad_dir: Path) -> None:
    out = tmp_path / "r.json"
    gold = str(cuad_dir / "labels.dev.jsonl")
    args = ["--split", "validation", "--limit", "3", "--out", str(out), "--workers", "1", "-q"]
    code = main(["evaluate", "--gold", gold, *args])
    assert code == 0
    report = json.loads(out.read_text())
    assert report["documents"] == 3
    assert report["macro"]["span_aupr"] > 0.3  # a trained model, not chance
