"""Frozen dataclasses that cross stage boundaries.

document -> pages/words (ingest) -> DocumentText + structure (layout) -> segments ->
clauses, facts, findings (analysis) -> Review (pipeline). Boxes are ``(x0, y0, x1, y1)`` in
PDF points on their page, origin top-left (PyMuPDF's convention); pages are numbered from 1.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from westfall_legal.review_json import ModelRecord

Box = tuple[float, float, float, float]
PageSource = Literal["text-layer", "ocr"]


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    box: Box
    block: int = 0
    line: int = 0
    conf: float | None = None  # OCR confidence 0-100; None for a text layer


@dataclass(frozen=True, slots=True)
class Table:
    """A table on a page: where it is and the text of its cells, row by row as printed."""

    page: int
    box: Box
    rows: tuple[tuple[str, ...], ...]
    # The table goes on from the last table of the page before: one table printed over a page
    # break (its rows here are the ones printed on this page, a repeated header included).
    continued: bool = False


@dataclass(frozen=True, slots=True)
class InkMap:
    """The ink of a scanned page that is not a straight rule (a signature line, a table's
    border): dark pixels counted per square cell of ``cell`` points, row by row from the
    page's top left, at most 255 a cell."""

    cell: float
    columns: int
    rows: int
    counts: bytes

    def ink(self, box: Box, skip: Sequence[Box] = ()) -> int:
        """Dark pixels in the cells whose centres lie in ``box`` and in none of ``skip``."""
        x0, y0, x1, y1 = box
        total = 0
        for row in range(max(0, int(y0 / self.cell)), min(self.rows, int(y1 / self.cell) + 1)):
            y = (row + 0.5) * self.cell
            if not y0 <= y <= y1:
                continue
            for col in range(
                max(0, int(x0 / self.cell)), min(self.columns, int(x1 / self.cell) + 1)
            ):
                x = (col + 0.5) * self.cell
                if x0 <= x <= x1 and not any(s[0] <= x <= s[2] and s[1] <= y <= s[3] for s in skip):
                    total += self.counts[row * self.columns + col]
        return total


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    source: PageSource = "text-layer"
    ocr_confidence: float | None = None
    error: str | None = None  # why the page could not be read, when it could not
    tables: tuple[Table, ...] = ()  # ruled tables of the text layer (PyMuPDF's finder)
    ink: InkMap | None = None  # an OCR'd page's ink, for signatures


@dataclass(frozen=True, slots=True)
class Document:
    path: Path
    sha256: str
    pages: tuple[Page, ...]
    warnings: tuple[str, ...] = ()  # for the reader: e.g. the file was damaged and repaired


@dataclass(frozen=True, slots=True)
class Token:
    """One word of the document text, with where it sits in the text and on the page."""

    char_start: int
    char_end: int
    page: int
    box: Box
    conf: float | None = None


@dataclass(frozen=True, slots=True)
class Line:
    char_start: int
    char_end: int
    page: int
    box: Box
    block: int
    is_margin: bool = False  # running header/footer/page number, kept but marked
    in_table: bool = False  # a line of a table's cells: in the text, not in running text


RevisionKind = Literal["insertion", "deletion"]


@dataclass(frozen=True, slots=True)
class Revision:
    """A tracked change of a Word draft, in the text as it reads with every change accepted:
    an insertion spans its words there; a deletion is the empty span where its words were."""

    kind: RevisionKind
    author: str
    date: str | None  # as Word wrote it (ISO 8601), None when it wrote none
    text: str  # the words inserted or deleted
    char_start: int
    char_end: int
    paragraph: int  # the Word paragraph it is in (DraftParagraph.index)
    moved: bool = False  # a move: moveTo is an insertion, moveFrom a deletion


@dataclass(frozen=True, slots=True)
class Comment:
    """A Word comment and the span of text it is anchored on (empty: a point)."""

    id: str
    author: str
    date: str | None
    text: str
    char_start: int
    char_end: int
    paragraph: int  # the Word paragraph its anchor starts in


DraftPart = Literal["body", "table", "textbox", "footnote"]


@dataclass(frozen=True, slots=True)
class DraftParagraph:
    """One paragraph of a Word draft as it reads: its number (Word's automatic numbering,
    already at the start of its text) and where it sits in the draft's text."""

    index: int  # the order the reader met its w:p in (a table row: its first cell's)
    char_start: int
    char_end: int
    part: DraftPart
    number: str = ""  # the automatic number Word shows in front of it ("1.1", "(a)")


@dataclass(frozen=True)
class WordDraft:
    """What a Word file holds for a review: its text with every tracked change accepted,
    paragraphs ("\n\n" between them, "\n" at a line break), tables (their rows are
    paragraphs of part "table"), the tracked changes and the comments."""

    text: str
    sha256: str
    paragraphs: tuple[DraftParagraph, ...]
    tables: tuple[Table, ...] = ()
    revisions: tuple[Revision, ...] = ()
    comments: tuple[Comment, ...] = ()
    warnings: tuple[str, ...] = ()


TextSource = Literal["pages", "plain", "docx"]


@dataclass(frozen=True)
class DocumentText:
    """The document's text and the provenance of every character of it.

    From pages (PDF, scans) every character has a page and a box; from a plain text file or
    a Word draft there are no pages: lines carry page 0, an empty box, and as ``block`` the
    paragraph (for a Word draft, ``DraftParagraph.index``).
    """

    text: str
    tokens: tuple[Token, ...]
    lines: tuple[Line, ...]
    tables: tuple[Table, ...] = ()
    ink: Mapping[int, InkMap] = field(default_factory=dict, repr=False, compare=False)  # by page
    source: TextSource = "pages"
    revisions: tuple[Revision, ...] = ()  # a Word draft's tracked changes
    comments: tuple[Comment, ...] = ()  # a Word draft's comments
    paragraphs: tuple[DraftParagraph, ...] = ()  # a Word draft's paragraphs
    _starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._starts.extend(t.char_start for t in self.tokens)

    def tokens_in(self, char_start: int, char_end: int) -> Sequence[Token]:
        """The tokens that overlap ``[char_start, char_end)``."""
        lo = bisect.bisect_right(self._starts, char_start) - 1
        lo = max(lo, 0)
        hi = bisect.bisect_left(self._starts, char_end)
        return [t for t in self.tokens[lo:hi] if t.char_end > char_start]

    def locate(self, char_start: int, char_end: int) -> tuple[int, list[Box]]:
        """The first page and the word boxes (on that page and later ones) of a span."""
        toks = self.tokens_in(char_start, char_end)
        if not toks:
            return 0, []
        return toks[0].page, [t.box for t in toks]

    def min_conf(self, char_start: int, char_end: int) -> float | None:
        confs = [t.conf for t in self.tokens_in(char_start, char_end) if t.conf is not None]
        return min(confs) if confs else None


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    number: str | None
    title: str | None
    level: int
    parent: str | None
    char_start: int
    char_end: int
    page: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A candidate clause: a contiguous span of running text."""

    id: str
    char_start: int
    char_end: int
    section: str | None
    heading: str = ""  # the title of the enclosing section, a strong cue for its category


@dataclass(frozen=True, slots=True)
class Clause:
    id: str
    category: str
    confidence: float
    text: str
    char_start: int
    char_end: int
    page: int
    boxes: tuple[Box, ...]
    section: str | None
    needs_review: bool = False
    verifier: float | None = None  # the active adapter's P(Yes), when it was asked


@dataclass(frozen=True, slots=True)
class ContractType:
    label: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Fact:
    name: str
    value: Any
    text: str
    char_start: int
    char_end: int
    page: int
    confidence: float


@dataclass(frozen=True, slots=True)
class Finding:
    """A playbook rule that fired: what, how serious, why, and the text it rests on."""

    rule: str
    severity: Literal["low", "medium", "high"]
    explanation: str
    citations: tuple[str, ...]  # clause ids
    title: str = ""
    spans: tuple[tuple[int, int], ...] = ()  # (char_start, char_end) of the text it rests on
    position: tuple[tuple[str, str], ...] = ()  # ("preferred", text), ("fallback", ...), ...


@dataclass(frozen=True, slots=True)
class Definition:
    """A defined term: the span of its definition and every later use of it."""

    term: str
    char_start: int  # the definition: the "means" paragraph, or the sentence around "(the ...)"
    char_end: int
    term_start: int  # the term itself, inside its quotes
    term_end: int
    section: str | None
    uses: tuple[tuple[int, int], ...] = ()  # (char_start, char_end) of each use outside quotes


ANNEX_KINDS = frozenset({"schedule", "exhibit", "annex", "appendix"})


@dataclass(frozen=True, slots=True)
class ExternalReference:
    """``Section 2(a) of the Securities Act``: a part of another instrument, named. Never
    resolved against this document's sections, so never dangling."""

    text: str
    char_start: int
    char_end: int
    kind: str  # "section", "article", "rule", ...
    label: str  # "Section 2(a)", "Rule 144"
    instrument: str  # "Securities Act"; "" when the text does not name it


@dataclass(frozen=True, slots=True)
class CrossReference:
    """``Section 5.2(b)``, ``Article IV``, ``Schedule 2``... and the section it points to."""

    text: str
    char_start: int
    char_end: int
    kind: str  # "section", "article", "clause", "paragraph", "schedule", "exhibit", ...
    label: str  # normalised, e.g. "Section 5.2(b)" even for the "5.3" of "Sections 5.2 and 5.3"
    target: str | None  # the section id, or None when nothing in the tree matches
    section: str | None = None  # the section the reference sits in
    # Where the text has the numbered heading the section tree did not make a section of
    # (``6.04`` on a line of its own): the section exists, the reference is not broken.
    located_at: int | None = None

    @property
    def dangling(self) -> bool:
        """Points to no part of this document: no section, no heading in the text.

        An exhibit or schedule that is not in the document is not dangling: EDGAR filings
        and signing copies routinely attach them separately.
        """
        return self.target is None and self.located_at is None and self.kind not in ANNEX_KINDS


SignatureStatus = Literal["signed", "unsigned", "unknown"]


@dataclass(frozen=True, slots=True)
class SignatureBlock:
    party: str | None
    signatory: str | None
    title: str | None
    page: int
    box: Box | None  # union of the block's word boxes; None for text without pages
    status: SignatureStatus
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Sentence:
    text: str
    clause_ids: tuple[str, ...]
    source: Literal["rule", "llm"]
    section: str | None = None
    quote: str | None = None  # a quotation: the clause's own words, "…" at each cut
    heading: str = ""  # the number and title of the section that holds the quotation
    span: tuple[int, int] | None = None  # the quotation's characters in the document


@dataclass(frozen=True)
class Summary:
    sentences: tuple[Sentence, ...]
    model_id: str | None = None
    model_sha256: str | None = None
    prompt_id: str | None = None
    prompt_version: str | None = None
    seconds: float = 0.0
    note: str | None = None  # why the LLM part is missing, when it is
    mode: Literal["quote", "paraphrase"] = "quote"
    asked: int = 0  # clauses the model was asked about
    passed: int = 0  # of those, answers kept as the model gave them

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


@dataclass(frozen=True)
class Review:
    """A document's review: what every stage found, as the pipeline returns it."""

    document: Document
    doc_text: DocumentText
    sections: list[Section]
    clauses: list[Clause]
    contract_type: ContractType | None
    facts: dict[str, Fact]
    findings: list[Finding] = field(default_factory=list)
    summary: Summary | None = None
    model: ModelRecord | None = None
    timings: dict[str, float] = field(default_factory=dict)
    definitions: list[Definition] = field(default_factory=list)
    cross_references: list[CrossReference] = field(default_factory=list)
    external_references: list[ExternalReference] = field(default_factory=list)
    signature_blocks: list[SignatureBlock] = field(default_factory=list)
