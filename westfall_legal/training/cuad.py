"""CUAD v1 in its development format: contracts, gold spans, and the fixed validation split.

``labels.jsonl`` gives, per contract, ``txt_file`` and ``pdf_file`` (relative to the file's
folder), ``contract_type`` and ``labels[category].spans[].segments`` as character offsets
into the .txt. The app reads contracts from the PDF, so gold spans are projected onto the
PDF-extracted text by aligning the two texts' normalised token sequences.
"""

from __future__ import annotations

import bisect
import csv
import difflib
import json
import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from westfall_legal.errors import InputNotFoundError, KnownError

VALIDATION_SIZE = 70
SPLIT_SEED = 0
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class GoldContract:
    name: str
    txt_path: Path
    pdf_path: Path
    contract_type: str
    # category -> spans, each a list of [start, end) character segments into the .txt
    spans: dict[str, list[list[tuple[int, int]]]] = field(default_factory=dict)

    def span_texts(self, category: str, text: str) -> list[str]:
        return [" ".join(text[s:e] for s, e in segs) for segs in self.spans.get(category, [])]


def read_gold(labels_path: Path) -> list[GoldContract]:
    """Contracts of a CUAD-format labels file; paths resolved against its folder."""
    if not labels_path.exists():
        raise InputNotFoundError.for_path(labels_path)
    base = labels_path.parent
    contracts = []
    with labels_path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                spans = {
                    cat: [[(int(s), int(e)) for s, e in span["segments"]] for span in v["spans"]]
                    for cat, v in row.get("labels", {}).items()
                }
                contracts.append(
                    GoldContract(
                        name=row["filename"],
                        txt_path=base / row["txt_file"],
                        pdf_path=base / row["pdf_file"],
                        contract_type=row["contract_type"],
                        spans=spans,
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise KnownError(
                    f"{labels_path}: line {line_no} is not a CUAD-format record ({exc}).",
                    hint="Each line needs filename, txt_file, pdf_file, contract_type, labels.",
                ) from exc
    return contracts


def validation_split(
    contracts: list[GoldContract], size: int = VALIDATION_SIZE
) -> tuple[list[str], list[str]]:
    """(train names, validation names): a fixed seeded shuffle of the sorted names."""
    names = sorted(c.name for c in contracts)
    random.Random(SPLIT_SEED).shuffle(names)
    return sorted(names[size:]), sorted(names[:size])


def norm_tokens(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased word tokens with their character offsets (after NFKC, same length)."""
    text = unicodedata.normalize("NFKC", text) if not text.isascii() else text
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


class Projection:
    """Maps character spans of a source text onto a target text with the same words."""

    def __init__(self, source: str, target: str) -> None:
        self.src = norm_tokens(source)
        self.dst = norm_tokens(target)
        matcher = difflib.SequenceMatcher(
            None, [t[0] for t in self.src], [t[0] for t in self.dst], autojunk=False
        )
        self.map: dict[int, int] = {}
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                self.map[block.a + k] = block.b + k
        self._src_starts = [t[1] for t in self.src]

    def target_tokens(self, start: int, end: int) -> list[int]:
        """Indexes of target tokens matched by the source tokens inside ``[start, end)``."""
        lo = bisect.bisect_left(self._src_starts, start)
        out = []
        for i in range(lo, len(self.src)):
            if self.src[i][1] >= end:
                break
            j = self.map.get(i)
            if j is not None:
                out.append(j)
        return out

    def project(self, segments: list[tuple[int, int]]) -> tuple[set[int], tuple[int, int]] | None:
        """A gold span (its character segments in the source) in the target: the matched
        token indexes and the character span from the first to the last; None if none match."""
        idx = {j for s, e in segments for j in self.target_tokens(s, e)}
        if not idx:
            return None
        return idx, (self.dst[min(idx)][1], self.dst[max(idx)][2])


def iter_master_answers(csv_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """(contract file name, {category: normalised answer}) from master_clauses.csv."""
    with csv_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            answers = {}
            for key, value in row.items():
                if key and key.replace(" ", "").endswith("-Answer"):
                    category = key.rsplit("-", 1)[0].strip()
                    answers[category] = value
            yield row["Filename"], answers
