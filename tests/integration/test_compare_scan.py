"""`westfall compare` of the agreed Word draft against the executed copy as a scan: the
sample agreement's Word draft against its 19-page scan (resources/samples, read by the real
Tesseract). OCR misreadings are no change, but counted and shown greyed; edits planted in the
draft (a number, a modal verb, a negation) are found though the scan around them is noisy.

Measured when the tolerance was built (benchmarks/compare_ocr.py --sample): the draft
against the scan, 62 clauses "changed" before it, 3 after (a stray "7" read in 10.1(b), a
mark read as "Ty" in a heading, the signature block's lines); the bounds below leave one
more for Tesseract's versions.
"""

from __future__ import annotations

import io
import json
from typing import Any

import docx
import pytest

from tests.docx_samples import SAMPLES, sample_bytes, write
from tests.integration.test_ingest import needs_tesseract
from tests.unit.test_compare_schema import _valid
from westfall_legal.handback.compare import Comparison, compare
from westfall_legal.handback.redline import compare_html, compare_json
from westfall_legal.models import Review
from westfall_legal.pipeline import Engines, analyse
from westfall_legal.settings import Settings

pytestmark = [pytest.mark.slow, needs_tesseract]

SCAN = SAMPLES / "master_services_agreement_scanned.pdf"
FALSE_CHANGES = 4  # measured 3 (see the module docstring)
# The edits planted in the Word draft: (paragraph opening, words before, words after).
EDITS = (
    ("Automatic Renewal.", "at least thirty (30) days", "at least sixty (60) days"),
    ("Indemnification by Customer.", "Customer shall defend", "Customer may defend"),
    ("Disputed Amounts.", "Provider shall not suspend", "Provider shall suspend"),
)


def _edited() -> bytes:
    document = docx.Document(io.BytesIO(sample_bytes()))
    for opening, before, after in EDITS:
        paragraph = next(p for p in document.paragraphs if p.text.startswith(opening))
        run = next(r for r in paragraph.runs if before in r.text)
        run.text = run.text.replace(before, after)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def reviews(tmp_path_factory: pytest.TempPathFactory) -> tuple[Review, Review, Review]:
    """The draft, the edited draft and the scan, each reviewed once for the module."""
    folder = tmp_path_factory.mktemp("scan-compare")
    settings, engines = Settings().replace(use_llm=False), Engines()
    draft = write(folder, "msa_draft.docx", sample_bytes())
    edited = write(folder, "msa_edited.docx", _edited())
    found = [analyse(p, settings=settings, engines=engines, with_llm=False)
             for p in (draft, edited, SCAN)]  # fmt: skip
    return found[0], found[1], found[2]


def _reported(comparison: Comparison) -> list[str]:
    return [e.label for e in comparison.entries if e.status != "unchanged"]


def test_the_scan_of_the_draft_differs_only_by_ocr(reviews: tuple[Review, ...]) -> None:
    draft, _, scan = reviews
    strict = compare(draft, scan, ocr_tolerant=False)
    tolerant = compare(draft, scan)
    assert len(_reported(strict)) >= 40  # every misreading a change (62 measured)
    assert len(_reported(tolerant)) <= FALSE_CHANGES, _reported(tolerant)
    ignored = tolerant.counts["ocr_ignored"]
    assert ignored == sum(len(e.ocr) for e in tolerant.entries) >= 40
    assert not tolerant.facts
    data: dict[str, Any] = json.loads(json.dumps(compare_json(tolerant)))
    _valid(data)
    page = compare_html(data)
    assert f"{ignored} OCR differences ignored" in page and "class='ocr'" in page


def test_edits_planted_in_the_draft_are_found_in_the_scan(reviews: tuple[Review, ...]) -> None:
    _, edited, scan = reviews
    comparison = compare(edited, scan)
    changed = {e.label: e for e in comparison.entries if e.status == "changed"}
    planted = {
        "3.2 Automatic Renewal": ("sixty (60)", "thirty (30)"),
        "11.2 Indemnification by Customer": ("may", "shall"),
        "4.5 Disputed Amounts": (None, "not"),
    }
    for label, (deleted, inserted) in planted.items():
        assert label in changed, sorted(changed)
        ops = changed[label].redline
        assert deleted is None or ("delete", deleted) in ops, ops
        assert ("insert", inserted) in ops, ops
    others = [label for label in _reported(comparison) if label not in planted]
    assert len(others) <= FALSE_CHANGES, others
    facts = {f.name: (f.old, f.new) for f in comparison.facts}
    assert facts.get("notice_period") == ("P60D", "P30D")
    _valid(json.loads(json.dumps(compare_json(comparison))))
