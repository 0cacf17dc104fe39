"""A Review as the stable review JSON (``westfall.review/1``) and as a self-contained HTML page."""

from __future__ import annotations

import bisect
import dataclasses
import html
import json
from collections import defaultdict
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
    FindingJson,
    PageJson,
    ReviewJson,
    SentenceJson,
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


_CSS = """
body{font-family:Georgia,serif;margin:2em auto;max-width:980px;color:#1d2430;line-height:1.45}
h1{font-size:1.5em;margin-bottom:.2em} h2{border-bottom:1px solid #ccd;padding-bottom:.2em}
.meta{color:#556;font-size:.9em} table{border-collapse:collapse;width:100%;font-size:.92em}
td,th{border-bottom:1px solid #e3e6ee;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f3f5f9} .conf{font-variant-numeric:tabular-nums;white-space:nowrap}
.bar{display:inline-block;height:.6em;background:#3b6fb6;margin-right:.4em}
.clause{white-space:pre-wrap;font-family:system-ui,sans-serif;font-size:.88em}
details{margin:.3em 0} summary{cursor:pointer;font-weight:600}
.review{color:#a0522d;font-weight:600} .cite{font-size:.8em;text-decoration:none}
.sev-high{color:#b00020} .sev-medium{color:#b86e00} .sev-low{color:#3b6fb6}
.warning{border:2px solid #b00020;background:#fdecee;padding:.6em .8em;font-weight:600}
.quote{border-left:4px solid #3b6fb6;margin:.6em 0 .6em 1em;padding:.2em .8em;font-style:italic}
.quote footer{font-style:normal;font-size:.85em;color:#556;margin-top:.2em}
"""


def _percent(value: float) -> str:
    return f" ({value:.0%})"


def _structure_html(structure: StructureJson) -> list[str]:
    """Defined terms, unresolved cross-references and signature blocks, briefly."""
    e = html.escape
    defs = structure.get("definitions", [])
    refs = structure.get("cross_references", [])
    # A review stored before "dangling" was recorded: every unresolved reference, as then.
    dangling = [r for r in refs if r.get("dangling", r["target"] is None)]
    odd = structure.get("numbering_issues", [])
    external = structure.get("external_references", [])
    revisions = structure.get("revisions", [])
    parts = [
        "<h2>Structure</h2>",
        *(
            [
                f"<p class='review'>{len(revisions)} tracked changes, by "
                f"{e(', '.join(sorted({r['author'] or '?' for r in revisions})))}: this review "
                "reads the draft with all of them accepted.</p>"
            ]
            if revisions
            else []
        ),
        f"<p>{len(odd)} numbering irregularities"
        + "".join(
            f"; {e(i['number'])}: {e(i['kind'])} (expected {e(i['expected'])})" for i in odd[:5]
        )
        + ".</p>",
        f"<p>{len(defs)} defined terms, {len(refs)} cross-references "
        f"({len(dangling)} pointing nowhere), {len(external)} references to other "
        "instruments.</p>",
    ]
    if defs:
        terms = ", ".join(f"{e(d['term'])} ({d['uses']})" for d in defs)
        parts.append(f"<details><summary>Defined terms (uses)</summary><p>{terms}</p></details>")
    if dangling:
        items = "".join(f"<li>{e(r.get('label', r['text']))}</li>" for r in dangling)
        parts.append(f"<p class='review'>Cross-references to nothing:</p><ul>{items}</ul>")
    if external:
        named: dict[str, list[str]] = defaultdict(list)
        for r in external:
            named[r["instrument"] or "not named"].append(r["label"])
        items = "".join(
            f"<li>{e(name)}: {e(', '.join(dict.fromkeys(labels)))}</li>"
            for name, labels in sorted(named.items())
        )
        parts.append(
            f"<details><summary>References to other instruments</summary><ul>{items}</ul></details>"
        )
    blocks = structure.get("signature_blocks", [])
    if blocks:
        parts.append("<table><tr><th>Party</th><th>Signatory</th><th>Page</th><th>Status</th></tr>")
        for b in blocks:
            parts.append(
                f"<tr><td>{e(b['party'] or '?')}</td><td>{e(b['signatory'] or '')}</td>"
                f"<td>{b['page']}</td><td>{e(b['status'])}</td></tr>"
            )
        parts.append("</table>")
    return parts


def _comments_html(comments: list[CommentJson], text: str) -> list[str]:
    """A Word draft's comments with the words each is anchored on."""
    if not comments:
        return []
    e = html.escape
    parts = [f"<h2>Comments in the draft ({len(comments)})</h2><ul>"]
    for c in comments:
        anchor = text[c["char_start"] : c["char_end"]]
        on = f" <span class='meta'>on “{e(anchor)}”</span>" if anchor else ""
        parts.append(f"<li><b>{e(c['author'] or '?')}</b>: {e(c['text'])}{on}</li>")
    parts.append("</ul>")
    return parts


def _cites(ids: list[str]) -> str:
    return "".join(f" <a class='cite' href='#{html.escape(i)}'>[{html.escape(i)}]</a>" for i in ids)


def _summary_html(summary: SummaryJson | None) -> list[str]:
    if not summary:
        return []
    e = html.escape
    parts = ["<h2>Summary</h2>", "<ul>"]
    quotes: list[tuple[str, SentenceJson]] = []
    for s in summary["sentences"]:
        quote = s.get("quote")
        if quote:
            quotes.append((quote, s))
            continue
        tag = (
            " <span class='meta'>(written by the local model)</span>"
            if s["source"] == "llm"
            else ""
        )
        parts.append(f"<li>{e(s['text'])}{_cites(s['clause_ids'])}{tag}</li>")
    parts.append("</ul>")
    for quote, s in quotes:  # the contract's own words, with the section that holds them
        picked = "picked by the local model" if s["source"] == "llm" else "picked by rule"
        target = html.escape(s["clause_ids"][0]) if s["clause_ids"] else ""
        jump = f" <a class='cite' href='#{target}'>go to the words</a>" if target else ""
        parts.append(
            f"<blockquote class='quote'>“{e(quote)}”<footer>"
            f"{e(s.get('heading') or 'Section not numbered')}{jump} "
            f"<span class='meta'>({picked})</span></footer></blockquote>"
        )
    model, prompt, note = summary["model"], summary["prompt"], summary["note"]
    if model:
        named = f"prompt {e(prompt['id'])} v{e(prompt['version'])}, " if prompt else ""
        parts.append(
            f"<p class='meta'>Model {e(model['id'])}, {named}"
            f"{summary.get('seconds', 0.0):.1f} s.</p>"
        )
    elif note:
        parts.append(f"<p class='meta'>No model-written sentences: {e(note)}</p>")
    return parts


def _findings_html(findings: list[FindingJson]) -> list[str]:
    e = html.escape
    if not findings:
        return ["<h2>Risk findings</h2><p>No playbook rule fired.</p>"]
    parts = [f"<h2>Risk findings ({len(findings)})</h2><ul>"]
    for f in findings:
        position = "".join(
            f"<br><span class='meta'>{e(k)}: {e(v)}</span>"
            for k, v in f.get("position", {}).items()
        )
        parts.append(
            f"<li><b class='sev-{e(f['severity'])}'>{e(f['severity'])}</b> "
            f"<b>{e(f.get('title') or f['rule'])}</b>: {e(f['explanation'])}"
            f"{_cites(f['citations'])}{position}</li>"
        )
    parts.append("</ul>")
    return parts


def review_html(data: ReviewJson) -> str:
    """One self-contained HTML page (no scripts, no outside resources)."""
    e = html.escape
    doc = data["document"]
    ct = data["contract_type"]
    by_cat: dict[str, list[ClauseJson]] = defaultdict(list)
    for c in data["clauses"]:
        by_cat[c["category"]].append(c)
    ocr_pages = sum(1 for p in doc["pages"] if p["source"] == "ocr")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Review: {e(Path(doc['path']).name)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(Path(doc['path']).name)}</h1>",
        f"<p class='meta'>{len(doc['pages'])} pages ({ocr_pages} read by OCR) · sha256 "
        f"{e(doc['sha256'][:16])}… · contract type: "
        f"<b>{e(ct['label']) if ct else 'unknown'}</b>"
        f"{_percent(ct['confidence']) if ct else ''}</p>",
    ]
    parts.extend(
        f"<p class='warning'>Warning: {e(w[:1].upper() + w[1:])}.</p>"
        for w in doc.get("warnings", [])
    )
    parts.extend(_summary_html(data.get("summary")))
    parts.extend(_findings_html(data["findings"]))
    parts.append("<h2>Key facts</h2>")
    if data["facts"]:
        parts.append("<table><tr><th>Fact</th><th>Value</th><th>Page</th><th>Source text</th></tr>")
        for name, f in data["facts"].items():
            parts.append(
                f"<tr><td>{e(name.replace('_', ' '))}</td><td><b>{e(str(f['value']))}</b></td>"
                f"<td>{f['page']}</td><td>{e(f['text'])}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append("<p>No key facts found.</p>")
    parts.append(f"<h2>Clauses ({len(data['clauses'])} in {len(by_cat)} categories)</h2>")
    parts.append("<table><tr><th>Category</th><th>Clauses</th><th>Best confidence</th></tr>")
    for cat, items in sorted(by_cat.items(), key=lambda kv: -max(c["confidence"] for c in kv[1])):
        best = max(c["confidence"] for c in items)
        parts.append(
            f"<tr><td><a href='#{e(cat)}'>{e(cat)}</a></td><td>{len(items)}</td>"
            f"<td class='conf'><span class='bar' style='width:{best * 80:.0f}px'></span>"
            f"{best:.0%}</td></tr>"
        )
    parts.append("</table>")
    for cat, items in sorted(by_cat.items()):
        parts.append(f"<h3 id='{e(cat)}'>{e(cat)}</h3>")
        for c in sorted(items, key=lambda c: -c["confidence"]):
            flag = (
                " <span class='review'>needs human review</span>" if c.get("needs_review") else ""
            )
            parts.append(
                f"<details id='{e(c['id'])}'>"
                f"<summary>{c['confidence']:.0%} · page {c['page']}{flag}</summary>"
                f"<div class='clause'>{e(c['text'])}</div></details>"
            )
    parts.extend(_comments_html(data.get("comments", []), data["text"]))
    parts.extend(_structure_html(data.get("structure", {})))
    timings = ", ".join(f"{k} {v:.2f} s" for k, v in data["timings"].items())
    parts.append(f"<p class='meta'>Timings: {e(timings)}. Generated offline by Westfall Legal.</p>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
