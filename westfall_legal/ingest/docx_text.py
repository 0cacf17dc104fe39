"""A Word draft's text put together paragraph by paragraph, with the tracked changes and
comment anchors met on the way placed in it (no Word library here: plain strings in).

Paragraphs are separated by a blank line ("\\n\\n"); a line break inside one is "\\n". Each
starts with its automatic number and the separator after it. A table row is one paragraph,
its cells' paragraphs joined by spaces. Positions met while reading a paragraph (``Mark``)
count from the start of its content; here they become positions in the whole text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from westfall_legal.models import Comment, DraftParagraph, DraftPart, Revision, RevisionKind

CommentEdge = Literal["start", "end", "ref"]


@dataclass(frozen=True, slots=True)
class Mark:
    """A tracked change or a comment anchor, at ``start`` (to ``end``) in a paragraph."""

    start: int
    end: int
    kind: RevisionKind | Literal["comment"]
    text: str = ""  # the words inserted or deleted
    author: str = ""
    date: str | None = None
    moved: bool = False
    comment: str = ""  # the comment's id
    edge: CommentEdge = "ref"

    @classmethod
    def revision(
        cls,
        kind: RevisionKind,
        author: str,
        date: str | None,
        moved: bool,
        start: int,
        text: str,
        end: int | None = None,
    ) -> Mark:
        return cls(start, start if end is None else end, kind, text, author, date, moved)

    @classmethod
    def anchor(cls, comment: str, edge: CommentEdge, at: int) -> Mark:
        return cls(at, at, "comment", comment=comment, edge=edge)

    def shifted(self, by: int, length: int) -> Mark:
        start = min(max(self.start + by, 0), length)
        end = min(max(self.end + by, start), length)
        return Mark(start, end, self.kind, self.text, self.author, self.date, self.moved,
                    self.comment, self.edge)  # fmt: skip


def compose(content: str, marks: Sequence[Mark], number: str, sep: str) -> tuple[str, list[Mark]]:
    """A paragraph's text (its number in front, no space around it) and its marks there."""
    prefix = number + sep if number else ""
    text = prefix + content
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    return text, [m.shifted(len(prefix) - lead, len(text)) for m in marks]


@dataclass(frozen=True, slots=True)
class Built:
    text: str
    paragraphs: tuple[DraftParagraph, ...]
    revisions: tuple[Revision, ...]
    comments: tuple[Comment, ...]


@dataclass(slots=True)
class _Anchor:
    paragraph: int
    start: int | None = None
    end: int | None = None
    ref: int | None = None


class TextBuilder:
    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self._paragraphs: list[DraftParagraph] = []
        self._revisions: list[Revision] = []
        self._anchors: dict[str, _Anchor] = {}

    def paragraph(
        self,
        index: int,
        content: str,
        marks: Sequence[Mark],
        part: DraftPart,
        number: str,
        sep: str,
    ) -> None:
        """Add one paragraph; an empty one adds no text (its marks fall where it would be)."""
        text, placed = compose(content, marks, number, sep)
        if text:
            if self._pos:
                self._parts.append("\n\n")
                self._pos += 2
            start = self._pos
            self._parts.append(text)
            self._pos += len(text)
            self._paragraphs.append(DraftParagraph(index, start, self._pos, part, number))
        self._place(placed, self._pos - len(text), index)

    def row(self, index: int, part: DraftPart = "table") -> Row:
        """A paragraph put together from several (a table row's cells, a footnote's)."""
        return Row(self, index, part)

    def _place(self, marks: Sequence[Mark], base: int, index: int) -> None:
        for m in marks:
            if m.kind == "comment":
                anchor = self._anchors.setdefault(m.comment, _Anchor(index))
                if m.edge == "start" and anchor.start is None:
                    anchor.start, anchor.paragraph = base + m.start, index
                elif m.edge == "end":
                    anchor.end = base + m.start
                elif m.edge == "ref" and anchor.ref is None:
                    anchor.ref = base + m.start
                continue
            start, end = base + m.start, base + m.end
            revision = Revision(m.kind, m.author, m.date, m.text, start, end, index, m.moved)
            self._revisions.append(revision)

    def result(self, comments: Mapping[str, tuple[str, str | None, str]]) -> Built:
        """Everything read; ``comments``: id -> (author, date, text) from the comments part.
        A comment whose anchor is not in the text read (a header's) is left out."""
        placed = []
        for cid, (author, date, text) in comments.items():
            anchor = self._anchors.get(cid)
            if anchor is None:
                continue
            start = next(p for p in (anchor.start, anchor.ref, anchor.end) if p is not None)
            end = anchor.end if anchor.end is not None and anchor.end >= start else start
            placed.append(Comment(cid, author, date, text, start, end, anchor.paragraph))
        placed.sort(key=lambda c: (c.char_start, c.char_end))
        return Built(
            "".join(self._parts),
            tuple(self._paragraphs),
            tuple(merge_revisions(self._revisions)),
            tuple(placed),
        )


@dataclass(slots=True)
class Row:
    """One table row (or footnote) being put together, paragraph by paragraph, a space
    between them."""

    builder: TextBuilder
    index: int
    part: DraftPart
    parts: list[str] = field(default_factory=list)
    length: int = 0
    marks: list[Mark] = field(default_factory=list)

    def cell_paragraph(self, content: str, marks: Sequence[Mark], number: str, sep: str) -> str:
        text, placed = compose(content, marks, number, sep)
        if text and self.length:
            self.parts.append(" ")
            self.length += 1
        self.marks += [m.shifted(self.length, self.length + len(text)) for m in placed]
        self.parts.append(text)
        self.length += len(text)
        return text

    def end(self) -> None:
        self.builder.paragraph(self.index, "".join(self.parts), self.marks, self.part, "", "")


def merge_revisions(revisions: Sequence[Revision]) -> list[Revision]:
    """Adjacent changes of one kind, author, date and paragraph as one (Word splits a typed
    insertion into a change per run)."""
    out: list[Revision] = []
    for r in revisions:
        if out and _continues(out[-1], r):
            last = out[-1]
            out[-1] = Revision(r.kind, r.author, r.date, last.text + r.text, last.char_start,
                               r.char_end, r.paragraph, r.moved)  # fmt: skip
        else:
            out.append(r)
    return out


def _continues(last: Revision, r: Revision) -> bool:
    same = (last.kind, last.author, last.date, last.moved, last.paragraph) == (
        r.kind, r.author, r.date, r.moved, r.paragraph
    )  # fmt: skip
    where = last.char_end if r.kind == "insertion" else last.char_start
    return same and where == r.char_start
