"""A review JSON (``westfall.review/1``) as one self-contained HTML page: no scripts, no
outside resources."""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path

from westfall_legal.review_json import (
    ClauseJson,
    CommentJson,
    FindingJson,
    ReviewJson,
    SentenceJson,
    StructureJson,
    SummaryJson,
)

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
