"""Score the structure findings against hand labels: dangling references and unsigned blocks.

The labels (``tests/data/structure_findings.json``) name each contract by its CUAD file and
record, by character offset into the text the layout stage builds from the PDF:

- every cross-reference the "dangling-reference" finding flagged before it was made precise,
  with ``dangling`` true only for a real broken internal reference (the document has no such
  section); the others say why not (a statute's section, an attachment filed separately, a
  list item of the same clause, a heading the section tree missed, an EDGAR header);
- every signature line (``By:``, ``Signature:``, a conformed ``/s/`` line) as ``signed``,
  ``unsigned`` or ``unknown``.

The findings are computed as the playbook computes them (its own conditions over the layout
stage's cross-references and signature blocks), so the figures are the finding's, not the
layout's. A flagged reference matches a label at the same offset (or with the same text
within ``NEAR`` characters); a flagged reference with no label counts against precision.
A label is first anchored on today's text (:func:`anchor`): a change of reading order
upstream (a clause number joined to its line, a margin note moved after its paragraph)
shifts the offsets of everything after it, and a label follows its own stored text.
An unsigned block is right when a signature line labelled ``unsigned`` lies inside it, wrong
when only ``signed`` lines (or none) do, and not counted when only ``unknown`` ones do.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from westfall_legal.analysis.playbook import CONDITIONS, Playbook, ReviewFacts, load_playbook
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.signatures import find_signature_blocks
from westfall_legal.layout.text import build_text
from westfall_legal.layout.xrefs import find_cross_references
from westfall_legal.models import Document
from westfall_legal.paths import resource_path

NEAR = 40
DANGLING_RULE = "dangling-reference"
UNSIGNED_RULE = "unsigned-signature-block"


@dataclass(frozen=True, slots=True)
class Found:
    """What the two findings flag in one contract: spans, and the flagged text."""

    dangling: tuple[tuple[int, int, str], ...]
    unsigned: tuple[tuple[int, int], ...]
    text: str = ""  # the document text the spans index (labels are anchored on it)


@dataclass
class Score:
    flagged_refs: int = 0
    true_refs: int = 0  # flagged and labelled dangling
    gold_refs: int = 0  # labelled dangling
    found_refs: int = 0  # labelled dangling and flagged
    unsigned_blocks: int = 0  # flagged blocks over labelled lines (or none)
    true_blocks: int = 0
    gold_unsigned: int = 0
    found_unsigned: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in (
            "flagged_refs", "true_refs", "gold_refs", "found_refs",
            "unsigned_blocks", "true_blocks", "gold_unsigned", "found_unsigned",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses

    def figures(self) -> dict[str, float | None]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {
            "dangling_precision": ratio(self.true_refs, self.flagged_refs),
            "dangling_recall": ratio(self.found_refs, self.gold_refs),
            "unsigned_precision": ratio(self.true_blocks, self.unsigned_blocks),
            "unsigned_recall": ratio(self.found_unsigned, self.gold_unsigned),
        }


def load_labels(path: Path) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """``{file: {"references": [...], "signature_blocks": [...]}}``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, dict[str, list[dict[str, Any]]]] = {
        file: {"references": [], "signature_blocks": []} for file in data["contracts"]
    }
    for key in ("references", "signature_blocks"):
        for row in data[key]:
            out[row["file"]][key].append(row)
    return out


def default_playbook() -> Playbook:
    return load_playbook(resource_path("playbook", "default.toml"))


def findings_of(doc: Document, playbook: Playbook) -> Found:
    """The spans the two structure findings flag, computed as a review computes them."""
    doc_text = build_text(doc)
    sections = build_sections(doc_text)
    facts = ReviewFacts(
        doc_text=doc_text,
        clauses=(),
        facts={},
        contract_type=None,
        cross_references=find_cross_references(doc_text, sections),
        signature_blocks=find_signature_blocks(doc_text),
        sections=sections,
    )
    spans: dict[str, list[tuple[int, int]]] = {}
    for rule in playbook.rules:
        if rule.id in (DANGLING_RULE, UNSIGNED_RULE):
            hits = CONDITIONS[rule.when](rule, facts, playbook)
            spans[rule.id] = [s for hit in hits for s in hit.spans]
    text = doc_text.text
    return Found(
        dangling=tuple((a, b, text[a:b]) for a, b in spans.get(DANGLING_RULE, [])),
        unsigned=tuple(spans.get(UNSIGNED_RULE, [])),
        text=text,
    )


def anchor(rows: Sequence[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """``rows`` (labels with ``char_start`` and ``text``) moved onto ``text``: each, in the
    order of its stored offset, to the occurrence of its stored text nearest where the drift
    so far puts it, never before the previous label's. A label whose text no longer occurs
    after the previous one keeps its offset (and will be scored as a miss)."""
    out: list[dict[str, Any]] = []
    drift, floor = 0, 0
    for row in sorted(rows, key=lambda r: r["char_start"]):
        needle, start = row["text"], row["char_start"]
        if not needle or (text[start : start + len(needle)] == needle and start >= floor):
            out.append(row)  # still in place (or nothing to follow)
            floor, drift = start, 0
            continue
        want = start + drift
        before = text.rfind(needle, floor, want + len(needle))
        after = text.find(needle, max(floor, want))
        hits = [h for h in (before, after) if h >= 0]
        if not hits:
            out.append(row)
            continue
        best = min(hits, key=lambda h: abs(h - want))
        out.append({**row, "char_start": best})
        floor, drift = best + 1, best - start
    return out


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def score(file: str, labels: dict[str, list[dict[str, Any]]], found: Found) -> Score:
    out = Score()
    refs: Sequence[dict[str, Any]] = labels["references"]
    lines: Sequence[dict[str, Any]] = labels["signature_blocks"]
    if found.text:
        refs, lines = anchor(refs, found.text), anchor(lines, found.text)
    matched: set[int] = set()
    for start, _, text in found.dangling:
        out.flagged_refs += 1
        hit = next((i for i, r in enumerate(refs) if r["char_start"] == start), None)
        if hit is None:
            hit = next(
                (
                    i
                    for i, r in enumerate(refs)
                    if abs(r["char_start"] - start) <= NEAR and _norm(r["text"]) == _norm(text)
                ),
                None,
            )
        if hit is None:
            out.misses.append(f"unlabelled  {file[:50]} @{start} {text!r}")
            continue
        matched.add(hit)
        if refs[hit]["dangling"]:
            out.true_refs += 1
        else:
            out.misses.append(f"false alarm {file[:50]} @{start} {text!r}: {refs[hit]['why']}")
    for i, r in enumerate(refs):
        if r["dangling"]:
            out.gold_refs += 1
            if i in matched:
                out.found_refs += 1
            else:
                out.misses.append(f"missed      {file[:50]} @{r['char_start']} {r['text']!r}")
    for start, end in found.unsigned:
        inside = {s["status"] for s in lines if start <= s["char_start"] < end}
        if inside == {"unknown"}:
            continue
        out.unsigned_blocks += 1
        if "unsigned" in inside:
            out.true_blocks += 1
        else:
            out.misses.append(f"unsigned?   {file[:50]} @{start}: labelled {sorted(inside)}")
    for s in lines:
        if s["status"] == "unsigned":
            out.gold_unsigned += 1
            if any(a <= s["char_start"] < b for a, b in found.unsigned):
                out.found_unsigned += 1
            else:
                out.misses.append(f"not flagged {file[:50]} @{s['char_start']} unsigned line")
    return out
