"""CUAD contracts -> labelled candidate clauses, read through the app's own pipeline.

Each contract is read from its PDF exactly as ``westfall review`` reads it (ingest, layout,
segmentation); CUAD's gold spans are projected onto that text, and a candidate is a positive
example of a category under the evaluation's own rule: at least half of its tokens lie in
gold spans of the category, or it covers at least half of one gold span.
"""

from __future__ import annotations

import bisect
import logging
import pickle
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from westfall_legal.analysis.segment import segment
from westfall_legal.errors import KnownError
from westfall_legal.hashing import sha256_bytes
from westfall_legal.ingest.document import load_document
from westfall_legal.ingest.workers import exit_with_parent
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.text import build_text, plain_text
from westfall_legal.models import DocumentText
from westfall_legal.training.cuad import GoldContract, Projection

log = logging.getLogger(__name__)
CACHE_VERSION = 2


@dataclass
class ContractRecord:
    name: str
    contract_type: str
    text: str  # the PDF-extracted document text
    pages: int
    segments: list[tuple[int, int, str]]  # (char_start, char_end, heading)
    labels: list[set[str]]  # categories per segment
    gold: dict[str, list[tuple[int, int]]]  # category -> projected gold spans in ``text``
    error: str | None = None

    def segment_text(self, i: int) -> str:
        s, e, _ = self.segments[i]
        return self.text[s:e]


def _positive(seg: range, gold_sets: list[set[int]], union: set[int]) -> bool:
    n = len(seg)
    if n == 0:
        return False
    inside = sum(1 for i in seg if i in union)
    if 2 * inside >= n:
        return True
    return any(g and 2 * sum(1 for i in g if i in seg) >= len(g) for g in gold_sets)


def _read(contract: GoldContract) -> tuple[DocumentText, int]:
    """The contract as the app reads it, and its page count: from its PDF, or from its text
    where the labels name no PDF (``pdf_file`` is the .txt: a feedback bundle's documents)."""
    if contract.pdf_path.suffix.lower() == ".txt":
        return plain_text(contract.pdf_path.read_text(encoding="utf-8", errors="replace")), 0
    doc = load_document(contract.pdf_path)
    return build_text(doc), len(doc.pages)


def build_record(contract: GoldContract) -> ContractRecord:
    """Read one contract through the pipeline and label its candidate clauses."""
    try:
        doc_text, pages = _read(contract)
        txt = contract.txt_path.read_text(encoding="utf-8", errors="replace")
    except (KnownError, OSError) as exc:
        msg = exc.message if isinstance(exc, KnownError) else str(exc)
        return ContractRecord(contract.name, contract.contract_type, "", 0, [], [], {}, msg)
    sections = build_sections(doc_text)
    segments = segment(doc_text, sections)
    projection = Projection(txt, doc_text.text)
    dst = projection.dst
    starts = [t[1] for t in dst]
    gold: dict[str, list[tuple[int, int]]] = {}
    gold_tokens: dict[str, list[set[int]]] = {}
    for category, spans in contract.spans.items():
        for segs in spans:
            projected = projection.project(segs)
            if projected is None:
                continue
            gold_tokens.setdefault(category, []).append(projected[0])
            gold.setdefault(category, []).append(projected[1])
    unions = {c: set().union(*sets) for c, sets in gold_tokens.items()}
    labels = []
    for seg in segments:
        token_range = range(
            bisect.bisect_left(starts, seg.char_start), bisect.bisect_left(starts, seg.char_end)
        )
        labels.append(
            {c for c, sets in gold_tokens.items() if _positive(token_range, sets, unions[c])}
        )
    return ContractRecord(
        name=contract.name,
        contract_type=contract.contract_type,
        text=doc_text.text,
        pages=pages,
        segments=[(s.char_start, s.char_end, s.heading) for s in segments],
        labels=labels,
        gold=gold,
    )


def reader_fingerprint() -> str:
    """sha256 of the code that reads and segments a contract: a cache made by other code
    (another text extraction, another segmenter) is never reused."""
    package = Path(__file__).resolve().parent.parent
    files = sorted([*(package / "ingest").glob("*.py"), *(package / "layout").glob("*.py")])
    files += [package / "analysis" / "segment.py", Path(__file__).resolve()]
    return sha256_bytes(b"".join(f.read_bytes() for f in files))


def build_records(
    contracts: list[GoldContract],
    *,
    cache: Path | None = None,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
) -> list[ContractRecord]:
    """Records for all contracts, in order; cached in ``cache`` (a pickle we wrote)."""
    key = (CACHE_VERSION, reader_fingerprint(), tuple(c.name for c in contracts))
    if cache is not None and cache.exists():
        with cache.open("rb") as fh:
            stored_key, stored = pickle.load(fh)
        if stored_key == key:
            return [r for r in stored if isinstance(r, ContractRecord)]
    records: list[ContractRecord] = []
    with ProcessPoolExecutor(max_workers=workers, initializer=exit_with_parent) as pool:
        for i, record in enumerate(pool.map(build_record, contracts, chunksize=4)):
            records.append(record)
            if progress:
                progress(i + 1, len(contracts))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as fh:
            pickle.dump((key, records), fh)
    return records
