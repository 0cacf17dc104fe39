"""The structure findings against the hand labels on 30 CUAD contracts.

Before the fix (``python benchmarks/structure_findings.py`` on the previous commit) the
dangling-reference finding flagged 244 references of which 2 were real: precision 0.008,
recall 1.0 (2/2). The floors: precision at least 0.9, recall not below 1.0.

"Signature block appears unsigned" flagged 1 right block of 23 unsigned lines (recall 0.043)
while EDGAR's blank "By:" lines read "unknown"; with the execution-part rule it flags 17
blocks, all right, finding 18 of the 23 lines (precision 1.0, recall 0.783).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from westfall_legal.ingest.document import load_document
from westfall_legal.training import structure_gold

LABELS = Path(__file__).resolve().parents[1] / "data" / "structure_findings.json"
RECALL_BEFORE = 1.0
UNSIGNED_RECALL = 0.75

pytestmark = pytest.mark.cuad


def test_dangling_reference_finding_on_the_labelled_contracts(cuad_dir: Path) -> None:
    labels = structure_gold.load_labels(LABELS)
    assert len(labels) == 30
    pdfs = {
        unicodedata.normalize("NFC", p.name): p
        for p in (cuad_dir / "full_contract_pdf").rglob("*")
        if p.suffix.lower() == ".pdf"
    }
    playbook = structure_gold.default_playbook()
    total = structure_gold.Score()
    for file, rows in labels.items():
        doc = load_document(pdfs[unicodedata.normalize("NFC", file)])
        total.add(structure_gold.score(file, rows, structure_gold.findings_of(doc, playbook)))
    figures = total.figures()
    assert total.gold_refs >= 2, "the labels hold real dangling references"
    precision, recall = figures["dangling_precision"], figures["dangling_recall"]
    assert precision is not None and precision >= 0.9, total.misses
    assert recall is not None and recall >= RECALL_BEFORE, total.misses
    unsigned, found = figures["unsigned_precision"], figures["unsigned_recall"]
    assert unsigned is not None and unsigned >= 0.9, total.misses
    assert found is not None and found >= UNSIGNED_RECALL, total.misses
