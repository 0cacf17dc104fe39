"""The `westfall.review/1` document as Python types: what report/ writes and the store,
the session and feedback read back.

These mirror `data/schema/review.schema.json` key for key (tests/unit/test_review_json.py
holds them to it): a required key in the schema is a required key here, an optional one is
`NotRequired` (no `from __future__ import annotations` here: TypedDict reads `NotRequired`
from evaluated annotations). The schema stays the contract for files on disk; these types
let mypy check the code that reads them instead of 123 `dict[str, Any]`s.
"""

from typing import Any, Literal, NotRequired, TypedDict

Box = list[float]  # [x0, y0, x1, y1] in PDF points


class PageJson(TypedDict):
    number: int
    source: Literal["text-layer", "ocr"]
    ocr_confidence: float | None
    error: NotRequired[str]


class DocumentJson(TypedDict):
    path: str
    sha256: str
    pages: list[PageJson]
    warnings: NotRequired[list[str]]


class LabelJson(TypedDict):
    label: str
    confidence: float


class ClauseJson(TypedDict):
    id: str
    category: str
    confidence: float
    text: str
    char_start: int
    char_end: int
    page: int
    boxes: list[Box]
    section: str | None
    needs_review: NotRequired[bool]
    verifier: NotRequired[float | None]
    paragraph: NotRequired[int]


class FactJson(TypedDict):
    value: Any  # a date, a duration in words, a party list: each fact's own shape
    text: str
    char_start: int
    char_end: int
    page: int
    confidence: NotRequired[float]


class FindingJson(TypedDict):
    rule: str
    severity: Literal["low", "medium", "high"]
    explanation: str
    citations: list[str]
    title: NotRequired[str]
    spans: NotRequired[list[list[int]]]
    position: NotRequired[dict[str, str]]


class ModelRef(TypedDict):
    id: str
    sha256: str


class ModelRecord(ModelRef):
    """The clause model behind a review, with why the encoder was not used when it was not."""

    note: NotRequired[str]


class PromptRef(TypedDict):
    id: str
    version: str


class SentenceJson(TypedDict):
    text: str
    clause_ids: list[str]
    source: Literal["rule", "llm"]
    section: NotRequired[str | None]
    quote: NotRequired[str | None]
    heading: NotRequired[str]
    span: NotRequired[list[int] | None]


class SummaryJson(TypedDict):
    text: str
    sentences: list[SentenceJson]
    model: ModelRef | None
    prompt: PromptRef | None
    seconds: NotRequired[float]
    note: str | None
    mode: NotRequired[Literal["quote", "paraphrase"]]


class CommentJson(TypedDict):
    id: str
    author: str
    date: str | None
    text: str
    char_start: int
    char_end: int
    paragraph: int


class StructureJson(TypedDict, total=False):
    """Every part optional: a Word draft has paragraphs and revisions, a PDF has tables."""

    sections: list[dict[str, Any]]
    definitions: list[dict[str, Any]]
    cross_references: list[dict[str, Any]]
    external_references: list[dict[str, Any]]
    signature_blocks: list[dict[str, Any]]
    tables: list[dict[str, Any]]
    revisions: list[dict[str, Any]]
    paragraphs: list[dict[str, Any]]
    numbering_issues: list[dict[str, Any]]


class ReviewedClauseJson(TypedDict):
    """A clause as the reviewers left it (the model's, or one a reviewer added)."""

    id: str
    category: str
    status: Literal["proposed", "accepted", "rejected"]
    source: Literal["model", "reviewer"]
    char_start: int
    char_end: int
    page: int
    original_category: NotRequired[str]
    text: NotRequired[str]
    comments: NotRequired[list[str]]


class ReviewedFactJson(TypedDict):
    value: Any  # the fact's own shape, as FactJson.value
    original_value: Any  # None for a fact the model missed
    source: Literal["model", "reviewer"]


class CorrectionJson(TypedDict):
    id: str
    created: str
    reviewer: str
    action: Literal["accept", "reject", "relabel", "span", "add", "fact", "comment"]
    target: str | None  # the clause id or fact name; None: the document
    before: Any
    after: Any


class ReviewedJson(TypedDict):
    """What the reviewers made of the review (File > Export review), beside the model's word."""

    reviewers: list[str]
    clauses_reviewed: int
    clauses_total: int
    clauses: list[ReviewedClauseJson]
    facts: dict[str, ReviewedFactJson]
    comments: list[str]
    corrections: list[CorrectionJson]


class ReviewJson(TypedDict):
    schema: Literal["westfall.review/1"]
    document: DocumentJson
    text: str
    contract_type: LabelJson | None
    clauses: list[ClauseJson]
    facts: dict[str, FactJson]
    findings: list[FindingJson]
    summary: SummaryJson | None
    model: ModelRecord | None
    timings: dict[str, float]
    comments: NotRequired[list[CommentJson]]
    structure: NotRequired[StructureJson]
    reviewed: NotRequired[ReviewedJson]


# Where each type sits in the schema: the test walks these paths and compares keys.
SCHEMA_PATHS: dict[str, type] = {
    "": ReviewJson,
    "document": DocumentJson,
    "document.pages[]": PageJson,
    "contract_type": LabelJson,
    "clauses[]": ClauseJson,
    "facts{}": FactJson,
    "findings[]": FindingJson,
    "summary": SummaryJson,
    "summary.sentences[]": SentenceJson,
    "summary.model": ModelRef,
    "summary.prompt": PromptRef,
    "model": ModelRecord,
    "comments[]": CommentJson,
    "structure": StructureJson,
    "reviewed": ReviewedJson,
    "reviewed.clauses[]": ReviewedClauseJson,
    "reviewed.facts{}": ReviewedFactJson,
    "reviewed.corrections[]": CorrectionJson,
}
