"""A comparison as JSON (``westfall.compare/1``) and as one self-contained HTML redline
(no scripts, no outside resources): deleted words struck through in red, inserted words
underlined in green, moved and renumbered clauses said so, the changed facts and risks
first; word differences taken for OCR misreadings greyed, and listed apart."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from westfall_legal.handback.compare import Comparison, Entry, FactChange, RiskChange, shown
from westfall_legal.handback.units import Unit
from westfall_legal.models import Review

SCHEMA = "westfall.compare/1"


def _kind(review: Review) -> str:
    """ "docx", "text", "scan" (every page read by OCR), "pdf" (some or none)."""
    source = review.doc_text.source
    if source != "pages":
        return "docx" if source == "docx" else "text"
    pages = review.document.pages
    return "scan" if pages and all(p.source == "ocr" for p in pages) else "pdf"


def _document(review: Review) -> dict[str, Any]:
    return {
        "path": str(review.document.path),
        "sha256": review.document.sha256,
        "kind": _kind(review),
        "pages": len(review.document.pages),
        "sections": len(review.sections),
        "warnings": list(review.document.warnings),
    }


def _unit(unit: Unit | None) -> dict[str, Any] | None:
    if unit is None:
        return None
    return {
        "section": unit.key,
        "number": unit.number,
        "title": unit.title,
        "label": unit.label,
        "char_start": unit.char_start,
        "char_end": unit.char_end,
        "text": unit.text,
    }


def _entry(e: Entry) -> dict[str, Any]:
    return {
        "status": e.status,
        "label": e.label,
        "old": _unit(e.old),
        "new": _unit(e.new),
        "similarity": e.similarity if e.old and e.new else 0.0,  # an added clause's too
        "moved": e.moved,
        "renumbered": e.renumbered,
        **({"redline": [list(op) for op in e.redline]} if e.redline else {}),
        **({"ocr_ignored": [list(pair) for pair in e.ocr]} if e.ocr else {}),
    }


def _fact(f: FactChange) -> dict[str, Any]:
    return {"name": f.name, "old": f.old, "new": f.new, "old_text": f.old_text,
            "new_text": f.new_text, "description": f.describe()}  # fmt: skip


def _risk(r: RiskChange) -> dict[str, Any]:
    return {"change": r.change, "kind": r.kind, "name": r.name, "title": r.title,
            "severity": r.severity, "explanation": r.explanation, "where": r.where,
            "description": r.describe()}  # fmt: skip


def compare_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "old": _document(comparison.old),
        "new": _document(comparison.new),
        "counts": dict(comparison.counts),
        "clauses": [_entry(e) for e in comparison.entries],
        "facts": [_fact(f) for f in comparison.facts],
        "risks": [_risk(r) for r in comparison.risks],
        "seconds": comparison.seconds,
    }


_CSS = """
body{font-family:Georgia,serif;margin:2em auto;max-width:980px;color:#1d2430;line-height:1.5}
h1{font-size:1.4em} h2{border-bottom:1px solid #ccd;padding-bottom:.2em}
.meta{color:#556;font-size:.9em} del{color:#b00020;background:#fdecee}
ins{color:#0a6b2d;background:#e6f6ea;text-decoration:underline}
.clause{margin:.8em 0;padding:.5em .8em;border-left:4px solid #ccd}
.changed{border-color:#b86e00} .added{border-color:#0a6b2d} .removed{border-color:#b00020}
.tag{font-family:system-ui,sans-serif;font-size:.8em;font-weight:600;text-transform:uppercase}
.sev-high{color:#b00020} .sev-medium{color:#b86e00} .sev-low{color:#3b6fb6}
.ocr{color:#8a8f98;background:#f1f2f4;border-bottom:1px dotted #8a8f98}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #e3e6ee;padding:.3em .5em;
text-align:left;vertical-align:top}
"""


def _ops_html(ops: list[list[str]]) -> str:
    e = html.escape
    out = []
    for op, text, *other in ops:
        if op == "delete":
            out.append(f"<del>{e(text)}</del>")
        elif op == "insert":
            out.append(f"<ins>{e(text)}</ins>")
        elif op == "ocr":
            out.append(_misread_html(other[0], text))
        else:
            out.append(e(text))
    return " ".join(out)


def _misread_html(old: str, new: str) -> str:
    """An OCR misreading, greyed: the new version's words, the old's in a tooltip."""
    e = html.escape
    tip = f"OCR misreading, not a change; the other version reads: {old}"
    return f"<span class='ocr' title='{e(tip)}'>{e(new)}</span>"


def _misreadings_html(clauses: list[dict[str, Any]], total: int) -> str:
    """The OCR differences ignored, clause by clause, folded away."""
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(c['label'])}</td><td>"
        + "; ".join(
            f"<span class='ocr'>{e(old or '·')}</span> → <span class='ocr'>{e(new or '·')}</span>"
            for old, new in c["ocr_ignored"]
        )
        + "</td></tr>"
        for c in clauses
        if c.get("ocr_ignored")
    )
    return (
        f"<details><summary>{total} OCR differences ignored (not counted as changes; "
        "<code>westfall compare --strict</code> counts them)</summary>"
        f"<table><tr><th>Clause</th><th>Old → new</th></tr>{rows}</table></details>"
    )


def _clause_html(c: dict[str, Any]) -> str:
    e = html.escape
    notes = []
    if c["renumbered"]:
        notes.append(f"renumbered {e(c['old']['number'] or '')} → {e(c['new']['number'] or '')}")
    if c["moved"]:
        notes.append("moved")
    note = f" <span class='meta'>({', '.join(notes)})</span>" if notes else ""
    head = f"<div class='tag'>{e(c['status'])}</div><b>{e(c['label'])}</b>{note}"
    if c["status"] == "changed":
        body = _ops_html(c["redline"])
    elif c["status"] == "added":
        body = f"<ins>{e(c['new']['text'])}</ins>"
    elif c["status"] == "removed":
        body = f"<del>{e(c['old']['text'])}</del>"
    else:
        body = e(c["new"]["text"])
    return f"<div class='clause {e(c['status'])}'>{head}<p>{body}</p></div>"


def compare_html(data: dict[str, Any]) -> str:
    """One self-contained HTML page of a ``westfall.compare/1`` JSON."""
    e = html.escape
    old, new, counts = data["old"], data["new"], data["counts"]
    old_name, new_name = Path(old["path"]).name, Path(new["path"]).name
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Compare: {e(old_name)} → {e(new_name)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(old_name)} → {e(new_name)}</h1>",
        f"<p class='meta'>Old: {e(old['kind'])}, {old['sections']} sections · New: "
        f"{e(new['kind'])}, {new['sections']} sections · "
        + ", ".join(f"{counts[k]} {k.replace('_', ' ')}" for k in counts)
        + "</p>",
    ]
    parts.extend(
        f"<p class='meta'>Warning ({e(side)}): {e(w)}.</p>"
        for side, doc in (("old", old), ("new", new))
        for w in doc["warnings"]
    )
    parts.append("<h2>Risks</h2>")
    if data["risks"]:
        parts.append("<ul>")
        for r in data["risks"]:
            level = e(r["severity"])
            sev = f"<b class='sev-{level}'>{level}</b> " if level else ""
            parts.append(f"<li>{sev}{e(r['description'])}</li>")
        parts.append("</ul>")
    else:
        parts.append("<p>No risk finding or clause category appeared or went away.</p>")
    parts.append("<h2>Key facts</h2>")
    if data["facts"]:
        parts.append("<table><tr><th>Fact</th><th>Old</th><th>New</th></tr>")
        for f in data["facts"]:
            parts.append(
                f"<tr><td>{e(f['name'].replace('_', ' '))}</td><td><del>{e(shown(f['old']))}"
                f"</del><br><span class='meta'>{e(f['old_text'])}</span></td><td><ins>"
                f"{e(shown(f['new']))}</ins><br><span class='meta'>{e(f['new_text'])}</span>"
                "</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append("<p>No key fact changed.</p>")
    if "ocr_ignored" in counts:
        parts.append(_misreadings_html(data["clauses"], counts["ocr_ignored"]))
    shown_clauses = [c for c in data["clauses"] if c["status"] != "unchanged" or c["moved"]]
    parts.append(f"<h2>Clauses ({len(shown_clauses)} to read)</h2>")
    parts.extend(_clause_html(c) for c in shown_clauses)
    same = [c for c in data["clauses"] if c["status"] == "unchanged" and not c["moved"]]
    if same:
        was = " <span class='meta'>(was {})</span>"
        items = "".join(
            f"<li>{e(c['label'])}"
            + (was.format(e(c["old"]["number"] or "not numbered")) if c["renumbered"] else "")
            + "</li>"
            for c in same
        )
        parts.append(
            f"<details><summary>{len(same)} clauses unchanged</summary><ul>{items}</ul></details>"
        )
    parts.append(
        f"<p class='meta'>Compared in {data['seconds']:.2f} s, offline, by Westfall Legal.</p>"
    )
    parts.append("</body></html>\n")
    return "\n".join(parts)
