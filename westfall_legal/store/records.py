"""What the store hands out: plain frozen dataclasses, decrypted, with opaque ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from westfall_legal.review_json import FindingJson, ModelRecord

ClauseStatus = Literal["proposed", "accepted", "rejected"]
Action = Literal["accept", "reject", "relabel", "span", "add", "fact", "comment", "undo"]
ACTIONS: tuple[Action, ...] = get_args(Action)


@dataclass(frozen=True, slots=True)
class Matter:
    id: str
    name: str
    created: str
    closed: str | None  # when it was closed; None while open
    documents: int


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    id: str
    matter_id: str
    file_name: str
    sha256: str
    pages: int
    size: int | None  # bytes of the original file, when known
    created: str
    reviews: int


@dataclass(frozen=True, slots=True)
class StoredReview:
    review_id: str
    document: DocumentInfo
    annotations: int
    new_document: bool


@dataclass(frozen=True, slots=True)
class ReviewInfo:
    id: str
    document_id: str
    created: str
    model: ModelRecord | None  # {"id", "sha256"} of the model that produced it
    body: dict[str, Any]  # contract type, summary, timings, structure (the review JSON's rest)


@dataclass(frozen=True, slots=True)
class Annotation:
    """One AI output of a review: a clause, a fact or a finding, as the review JSON had it."""

    id: str
    review_id: str
    kind: Literal["clause", "fact", "finding"]
    ref: str  # the review's own id: "k12" for a clause, the fact's name, "f3" for a finding
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Correction:
    id: str
    document_id: str
    created: str
    action: Action
    reviewer: str
    target: str | None  # annotation id (or the id of a reviewer-added clause); None: document
    ref: str | None  # the target's readable id ("k12", "governing_law")
    before: Any
    after: Any
    review_id: str | None
    model: ModelRecord | None  # the model whose output was corrected
    undoes: str | None = None
    redoes: str | None = None  # the undo this correction makes again (``Corrections.redo``)


@dataclass(frozen=True, slots=True)
class ClauseState:
    """A clause as the reviewers left it: the model's proposal with the corrections applied."""

    id: str  # annotation id, or the correction id that added it
    ref: str
    category: str
    text: str
    char_start: int
    char_end: int
    page: int
    confidence: float | None  # None for a clause a reviewer added
    source: Literal["model", "reviewer"]
    status: ClauseStatus
    original_category: str | None
    comments: tuple[str, ...] = ()
    corrections: tuple[str, ...] = ()  # ids of the effective corrections applied to it


@dataclass(frozen=True, slots=True)
class FactState:
    id: str
    name: str
    value: Any
    text: str
    char_start: int
    char_end: int
    page: int
    confidence: float | None
    source: Literal["model", "reviewer"]
    status: ClauseStatus
    original_value: Any = None
    comments: tuple[str, ...] = ()
    corrections: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentState:
    document: DocumentInfo
    review: ReviewInfo | None
    clauses: tuple[ClauseState, ...]
    facts: dict[str, FactState]
    findings: tuple[FindingJson, ...]
    comments: tuple[str, ...]  # comments on the document as a whole
    corrections: tuple[Correction, ...] = field(default=())  # every event, undos included


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    created: str
    matter_id: str | None
    event: str | None  # None where the payload is sealed under a destroyed matter key
    payload: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class AuditReport:
    entries: int
    sealed: int  # entries of deleted matters: chained and verified, payload unreadable
    head_seq: int  # the entry the head file records
    checked_objects: int  # stored reviews and corrections matched against their entries


@dataclass(frozen=True, slots=True)
class ComparisonInfo:
    """A comparison of two versions kept in a matter, as listed (no redline opened)."""

    id: str
    matter_id: str
    created: str
    old_file: str  # the file names compared (the name only, never the folder)
    new_file: str
    old_document_id: str | None  # the version's document in the matter, when it is there
    new_document_id: str | None
    counts: dict[str, int]  # clauses changed, added, removed, moved, renumbered, unchanged
    facts: int  # key facts changed
    risks: int  # risks that appeared or went away


@dataclass(frozen=True)
class StoredComparison:
    info: ComparisonInfo
    data: dict[str, Any]  # the westfall.compare/1 JSON
    html: str  # the self-contained HTML redline
