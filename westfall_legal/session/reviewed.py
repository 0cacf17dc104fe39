"""The review as the reviewers left it, for File > Export review and Print: the pipeline's
``westfall.review/1`` JSON unchanged (the model's word stays the model's), plus a
``reviewed`` object with each clause's state after the corrections still in effect (accepted,
rejected, relabelled, re-spanned, added), the corrected facts, the comments and those
corrections themselves (who, when, what); and in the HTML page a "Reviewers' corrections"
section before the summary. No Qt here: the CLI can write the same file as the window.

The corrections are folded by the store (``store.corrections.state``); undone ones are left
out, as everywhere else (``store.corrections.in_effect``).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from westfall_legal.review_json import (
    CorrectionJson,
    ReviewedClauseJson,
    ReviewedFactJson,
    ReviewedJson,
    ReviewJson,
)
from westfall_legal.session.present import fact_text
from westfall_legal.store.corrections import in_effect

if TYPE_CHECKING:
    from westfall_legal.session.workspace import Workspace

VERBS = {
    "accept": "accepted",
    "reject": "rejected",
    "relabel": "relabelled",
    "span": "changed the span of",
    "add": "added",
    "fact": "corrected",
    "comment": "commented on",
}


def reviewed_part(ws: Workspace) -> ReviewedJson:
    """The ``reviewed`` object: the clauses' and facts' states after the corrections still
    in effect, and those corrections, oldest first."""
    state = ws.state
    live = in_effect(state.corrections)
    done, total = ws.reviewed()
    clauses: list[ReviewedClauseJson] = []
    for c in state.clauses:
        entry: ReviewedClauseJson = {
            "id": c.ref,
            "category": c.category,
            "status": c.status,
            "source": c.source,
            "char_start": c.char_start,
            "char_end": c.char_end,
            "page": c.page,
        }
        if c.original_category and c.original_category != c.category:
            entry["original_category"] = c.original_category
        if c.source == "reviewer":
            entry["text"] = c.text  # no model clause holds it
        if c.comments:
            entry["comments"] = list(c.comments)
        clauses.append(entry)
    facts: dict[str, ReviewedFactJson] = {
        name: {"value": f.value, "original_value": f.original_value, "source": f.source}
        for name, f in state.facts.items()
        if f.corrections
    }
    corrections: list[CorrectionJson] = [
        {
            "id": c.id,
            "created": c.created,
            "reviewer": c.reviewer,
            "action": c.action,
            "target": c.ref,
            "before": c.before,
            "after": c.after,
        }
        for c in live
        if c.action != "undo"  # in_effect leaves undos out: this tells mypy
    ]
    return {
        "reviewers": sorted({c.reviewer for c in live}),
        "clauses_reviewed": done,
        "clauses_total": total,
        "clauses": clauses,
        "facts": facts,
        "comments": list(state.comments),
        "corrections": corrections,
    }


def reviewed_json(ws: Workspace) -> ReviewJson:
    """The open review's JSON with its ``reviewed`` object (the workspace's data unchanged)."""
    return {**ws.data, "reviewed": reviewed_part(ws)}


def _corrections_html(ws: Workspace, part: ReviewedJson) -> str:
    e = html.escape
    by = ", ".join(part["reviewers"]) or "nobody yet"
    rows = []
    for c in part["corrections"]:
        target, after = c["target"], c["after"]
        if c["action"] == "add":
            what = f"{after['category']}: “{after.get('text', '')[:160]}”"
        elif c["action"] == "fact":
            value = after.get("value") if isinstance(after, dict) else after
            what = f"{str(target).replace('_', ' ')} → {fact_text(str(target), value)}"
        elif c["action"] == "comment":
            where = ws.clause_name(target) if target else "the document"
            what = f"{where}: “{after}”"
        else:
            what = ws.clause_name(target) if target else ""
            if c["action"] == "relabel":
                what += f" → {after}"
        rows.append(
            f"<tr><td>{e(c['created'][:16].replace('T', ' '))}</td><td>{e(c['reviewer'])}</td>"
            f"<td>{e(VERBS.get(c['action'], c['action']))}</td><td>{e(what)}</td></tr>"
        )
    table = (
        "<table><tr><th>When</th><th>Reviewer</th><th>Correction</th><th>Clause or fact</th>"
        "</tr>" + "".join(rows) + "</table>"
        if rows
        else "<p>No corrections yet: every clause is as the model proposed it.</p>"
    )
    return (
        f"<h2>Reviewers' corrections</h2><p class='meta'>Reviewed by {e(by)}: "
        f"{part['clauses_reviewed']} of {part['clauses_total']} clauses accepted or rejected; "
        f"{len(part['corrections'])} correction{'s' * (len(part['corrections']) != 1)} in "
        "effect. The sections below are the model's review.</p>" + table
    )


def reviewed_html(ws: Workspace, page: str) -> str:
    """``page`` (``report.review_html`` of the review) with the reviewers' corrections
    before its first section (at its end if it has none)."""
    section = _corrections_html(ws, reviewed_part(ws))
    at = page.find("<h2")
    if at < 0:
        at = page.rfind("</body>")
    return page[:at] + section + "\n" + page[at:] if at >= 0 else page + section
