"""A Review as the stable review JSON (``westfall.review/1``), and writing it."""

from __future__ import annotations

import bisect
import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, cast

from westfall_legal import paths
from westfall_legal.errors import OutputError
from westfall_legal.layout.numbering import numbering_issues
from westfall_legal.models import DocumentText, Review, Section, Summary
from westfall_legal.review_json import (
    ClauseJson,
    CommentJson,
    PageJson,
    ReviewJson,
    StructureJson,
    SummaryJson,
)

SCHEMA: Final = "westfall.review/1"


def _r(x: float) -> float:
    return round(x, 2)


def review_json(review: Review) -> ReviewJson:
    line_starts = [line.char_start for line in review.doc_text.lines]
    doc = review.document
    draft = review.doc_text.source == "docx"
    pages: list[PageJson] = []
    for p in doc.pages:
        page: PageJson = {
            "number": p.number,
            "source": p.source,
            "ocr_confidence": p.ocr_confidence,
        }
        if p.error:
            page["error"] = p.error
        pages.append(page)
    clauses: list[ClauseJson] = []
    for c in review.clauses:
        clause: ClauseJson = {
            "id": c.id,
            "category": c.category,
            "confidence": c.confidence,
            "text": c.text,
            "char_start": c.char_start,
            "char_end": c.char_end,
            "page": c.page,
            "boxes": [[_r(v) for v in b] for b in c.boxes],
            "section": c.section,
            "needs_review": c.needs_review,
        }
        if c.verifier is not None:
            clause["verifier"] = c.verifier
        if draft:
            clause["paragraph"] = _paragraph(review.doc_text, line_starts, c.char_start)
        clauses.append(clause)
    structure: StructureJson = {
        "sections": [
            {
                "id": s.id,
                "number": s.number,
                "title": s.title,
                "level": s.level,
                "parent": s.parent,
                "char_start": s.char_start,
                "char_end": s.char_end,
                "page": s.page,
                "boxes": _section_boxes(review.doc_text, line_starts, s),
            }
            for s in review.sections
        ]
    }
    structure.update(_structure(review))
    if draft:
        structure.update(_draft_structure(review.doc_text))
    out: ReviewJson = {
        "schema": SCHEMA,
        "document": {
            "path": str(doc.path),
            "sha256": doc.sha256,
            "pages": pages,
            "warnings": list(doc.warnings),
        },
        "text": review.doc_text.text,
        "contract_type": (
            {"label": review.contract_type.label, "confidence": review.contract_type.confidence}
            if review.contract_type
            else None
        ),
        "clauses": clauses,
        "facts": {
            name: {
                "value": f.value,
                "text": f.text,
                "char_start": f.char_start,
                "char_end": f.char_end,
                "page": f.page,
                "confidence": f.confidence,
            }
            for name, f in review.facts.items()
        },
        "findings": [
            {
                "rule": f.rule,
                "title": f.title,
                "severity": f.severity,
                "explanation": f.explanation,
                "citations": list(f.citations),
                "spans": [list(span) for span in f.spans],
                "position": dict(f.position),
            }
            for f in review.findings
        ],
        "summary": summary_json(review.summary),
        "model": review.model,
        "timings": review.timings,
    }
    out["structure"] = structure
    if draft:  # a draft's comments come right after its clauses, as they always have
        out["comments"] = _comments(review.doc_text)
        first = [*list(out)[:5], "comments"]
        keys = [*first, *(k for k in out if k not in first)]
        out = cast(ReviewJson, {k: out[k] for k in keys})  # type: ignore[literal-required]
    return out


def _paragraph(doc_text: DocumentText, starts: list[int], char_start: int) -> int:
    """The Word paragraph (``DraftParagraph.index``) that holds ``char_start``."""
    i = max(bisect.bisect_right(starts, char_start) - 1, 0)
    return doc_text.lines[i].block if doc_text.lines else 0


def _draft_structure(doc_text: DocumentText) -> StructureJson:
    """A Word draft's tracked changes and paragraphs for ``structure``."""
    paragraphs = [
        {
            "index": p.index,
            "char_start": p.char_start,
            "char_end": p.char_end,
            "part": p.part,
            "number": p.number,
        }
        for p in doc_text.paragraphs
    ]
    return {"revisions": _revisions(doc_text), "paragraphs": paragraphs}


def _revisions(doc_text: DocumentText) -> list[dict[str, Any]]:
    """A Word draft's tracked changes, placed in the text as it reads with all accepted
    (each field of ``models.Revision``, in its order)."""
    return [dataclasses.asdict(r) for r in doc_text.revisions]


def _comments(doc_text: DocumentText) -> list[CommentJson]:
    """A Word draft's comments with their anchors (each field of ``models.Comment``)."""
    return [cast(CommentJson, dataclasses.asdict(c)) for c in doc_text.comments]


def summary_json(summary: Summary | None) -> SummaryJson | None:
    """Each sentence with the clause ids it rests on; the model and prompt behind the LLM ones."""
    if summary is None:
        return None
    return {
        "text": summary.text,
        "sentences": [
            {
                "text": s.text,
                "clause_ids": list(s.clause_ids),
                "source": s.source,
                "section": s.section,
                "quote": s.quote,
                "heading": s.heading,
                "span": list(s.span) if s.span else None,
            }
            for s in summary.sentences
        ],
        "model": (
            {"id": summary.model_id, "sha256": summary.model_sha256}
            if summary.model_id and summary.model_sha256
            else None
        ),
        "prompt": (
            {"id": summary.prompt_id, "version": summary.prompt_version}
            if summary.prompt_id and summary.prompt_version
            else None
        ),
        "seconds": summary.seconds,
        "note": summary.note,
        "mode": summary.mode,
    }


FIRST_USES = 5  # offsets of a term's first uses kept in the JSON (the count is complete)


def _structure(review: Review) -> StructureJson:
    """Definitions, cross-references, signature blocks and tables for ``structure``."""
    return {
        "definitions": [
            {
                "term": d.term,
                "char_start": d.char_start,
                "char_end": d.char_end,
                "section": d.section,
                "uses": len(d.uses),
                "first_uses": [start for start, _ in d.uses[:FIRST_USES]],
            }
            for d in review.definitions
        ],
        "cross_references": [
            {
                "text": r.text,
                "label": r.label,
                "char_start": r.char_start,
                "char_end": r.char_end,
                "target": r.target,
                "dangling": r.dangling,
            }
            for r in review.cross_references
        ],
        "external_references": [
            {
                "text": r.text,
                "kind": r.kind,
                "label": r.label,
                "instrument": r.instrument,
                "char_start": r.char_start,
                "char_end": r.char_end,
            }
            for r in review.external_references
        ],
        "signature_blocks": [
            {
                "party": b.party,
                "signatory": b.signatory,
                "page": b.page,
                "box": [_r(v) for v in b.box] if b.box else None,
                "status": b.status,
                "char_start": b.char_start,
                "char_end": b.char_end,
            }
            for b in review.signature_blocks
        ],
        "tables": [
            {
                "page": t.page,
                "box": [_r(v) for v in t.box],
                "rows": [list(row) for row in t.rows],
                **({"continued": True} if t.continued else {}),
            }
            for t in review.doc_text.tables
        ],
        "numbering_issues": [
            {"section": i.section, "number": i.number, "expected": i.expected, "kind": i.kind}
            for i in numbering_issues(review.sections)
        ],
    }


def _section_boxes(
    doc_text: DocumentText, starts: list[int], section: Section
) -> list[list[float]]:
    """[page, x0, y0, x1, y1] per page: the union of the section's lines on that page (running
    heads left out)."""
    start, end = section.char_start, section.char_end
    lo = max(bisect.bisect_right(starts, start) - 1, 0)
    hi = bisect.bisect_left(starts, end)
    pages: dict[int, list[float]] = {}
    for line in doc_text.lines[lo:hi]:
        if line.char_end <= start or line.is_margin:
            continue
        x0, y0, x1, y1 = line.box
        box = pages.setdefault(line.page, [x0, y0, x1, y1])
        box[:] = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
    return [[float(page), *(_r(v) for v in box)] for page, box in sorted(pages.items())]


def write_atomic(path: Path, content: str) -> None:
    """Write a report all at once (``paths.write_atomic``): nothing is left half-written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        paths.write_atomic(path, content)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the report ({exc.strerror}).") from exc


def dumps(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
