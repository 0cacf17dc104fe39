"""A review as the notes of the Word copy handed back: each risk finding and each reviewer
comment as a note on the text it rests on, and, for a document read from pages, its
paragraphs for a clean Word copy.

A finding rests on the clauses it cites (their span), else on its own spans (a signature
block, a cross-reference), else on the document as a whole (its first paragraph). A
reviewer's comment on a clause rests on that clause; a comment on the document on its
first paragraph. Notes come in the order of the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from westfall_legal.handback.units import join_lines
from westfall_legal.models import DocumentText, Section

SEVERITY = {"high": "High risk", "medium": "Medium risk", "low": "Low risk"}
HEADING_SLACK = 16  # a paragraph opening a section is its heading if no longer than its
# title and this many characters more (its number, "ARTICLE", a full stop)


@dataclass(frozen=True, slots=True)
class Note:
    char_start: int
    char_end: int
    text: str
    kind: Literal["finding", "comment"]

    def anchored(self) -> tuple[int, int, str]:
        return self.char_start, self.char_end, self.text


def finding_text(finding: Mapping[str, Any]) -> str:
    """``High risk: Uncapped liability. EXPLANATION`` and the playbook's positions."""
    title = finding.get("title") or finding["rule"]
    lines = [f"{SEVERITY.get(finding['severity'], finding['severity'])}: {title}. "
             f"{finding['explanation']}"]  # fmt: skip
    for name, text in dict(finding.get("position") or {}).items():
        lines.append(f"{str(name).capitalize()} position: {text}")
    return "\n".join(lines)


def review_notes(
    findings: Iterable[Mapping[str, Any]],
    clauses: Iterable[Mapping[str, Any]],
    clause_comments: Iterable[tuple[int, int, str]] = (),
    document_comments: Iterable[str] = (),
) -> list[Note]:
    """The notes of a review: ``findings`` and ``clauses`` as in the review JSON (or the
    store's state of it); ``clause_comments`` (start, end, text) and ``document_comments``
    are the reviewers'."""
    spans = {c["id"]: (int(c["char_start"]), int(c["char_end"])) for c in clauses}
    notes = []
    for f in findings:
        cited = [spans[c] for c in f.get("citations", ()) if c in spans]
        own = [(int(a), int(b)) for a, b in f.get("spans", ())]
        rests = cited or own or [(0, 0)]
        start, end = min(a for a, _ in rests), max(b for _, b in rests)
        notes.append(Note(start, end, finding_text(f), "finding"))
    for start, end, text in clause_comments:
        notes.append(Note(start, end, f"Reviewer's comment: {text}", "comment"))
    for text in document_comments:
        notes.append(Note(0, 0, f"Reviewer's comment on the document: {text}", "comment"))
    notes.sort(key=lambda n: (n.char_start, n.char_end, n.kind))
    return notes


class ReviewedClause(Protocol):
    """A clause as the reviewers left it (the store's ``ClauseState``, read structurally)."""

    @property
    def ref(self) -> str: ...
    @property
    def char_start(self) -> int: ...
    @property
    def char_end(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def comments(self) -> Sequence[str]: ...


class Reviewed(Protocol):
    """A review as the reviewers left it (the store's ``DocumentState``)."""

    @property
    def findings(self) -> Sequence[Mapping[str, Any]]: ...
    @property
    def clauses(self) -> Sequence[ReviewedClause]: ...
    @property
    def comments(self) -> Sequence[str]: ...


def reviewed_notes(state: Reviewed) -> tuple[list[Note], int]:
    """The notes of a review as the reviewers left it, rejected clauses left out, and how many
    of them are the reviewers' comments (``export-docx --matter`` and the window's Export for
    Word both hand these back)."""
    clauses = [
        {"id": c.ref, "char_start": c.char_start, "char_end": c.char_end}
        for c in state.clauses
        if c.status != "rejected"
    ]
    on_clauses = [(c.char_start, c.char_end, text) for c in state.clauses for text in c.comments]
    notes = review_notes(state.findings, clauses, on_clauses, state.comments)
    return notes, len(on_clauses) + len(state.comments)


def clean_paragraphs(
    doc: DocumentText, sections: Sequence[Section]
) -> list[tuple[str, int, int, int]]:
    """The paragraphs of a text read from pages (or a text file) for a clean Word copy:
    (text, char_start, char_end, heading level or 0). A block's lines make a paragraph
    (running heads and page numbers left out, a word broken at its hyphen joined); a short
    paragraph that opens a section and holds little more than its title is a heading of the
    section's level."""
    opens = {s.char_start: (s.level, len(s.title)) for s in sections if s.title}
    out: list[tuple[str, int, int, int]] = []
    group: list[tuple[int, int]] = []
    key: tuple[int, int] | None = None
    for line in doc.lines:
        if line.is_margin:
            continue
        if (line.page, line.block) != key and group:
            out.append(_paragraph(doc.text, group, opens))
            group = []
        key = (line.page, line.block)
        group.append((line.char_start, line.char_end))
    if group:
        out.append(_paragraph(doc.text, group, opens))
    return out


def _paragraph(
    text: str, lines: list[tuple[int, int]], opens: Mapping[int, tuple[int, int]]
) -> tuple[str, int, int, int]:
    joined = join_lines([text[start:end] for start, end in lines])
    start, end = lines[0][0], lines[-1][1]
    level, title = opens.get(start, (0, 0))
    return joined, start, end, level if len(joined) <= title + HEADING_SLACK else 0
