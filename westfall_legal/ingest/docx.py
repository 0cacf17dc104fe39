"""The Word adapter: the only module that imports python-docx; it reads drafts for review
and writes the review handed back (:func:`annotate_docx`, :func:`write_docx`).

A .docx is refused or let through by :mod:`westfall_legal.ingest.archive` (size caps, zip
bomb, .doc, password, document type declarations) before python-docx sees it. python-docx
(PyPI ``python-docx``, maintained, MIT) then opens the package from memory, follows its
relationships to the parts (the document, styles, numbering, comments, footnotes and
endnotes) and parses them with its lxml parser, which resolves no entities and reads no
network. What python-docx does not model is read here from its lxml elements: tracked
changes, fields, text boxes, comment anchors, footnotes, and Word's automatic numbers, which
python-docx has no API for: :mod:`westfall_legal.ingest.docx_styles` reads the styles' and
numbering definitions, :mod:`westfall_legal.ingest.word_numbering` counts (the counting is
ours because no maintained library exposes it; the rules are in that module's docstring),
:mod:`westfall_legal.ingest.docx_body` walks the body and
:mod:`westfall_legal.ingest.docx_text` puts the text and its marks together.

The text is the draft as it reads with every tracked change accepted: ``w:ins`` and
``w:moveTo`` kept, ``w:del`` and ``w:moveFrom`` dropped, a deleted paragraph mark joining
its paragraph to the next. Each paragraph starts with the number Word shows, so the layout
finds sections, cross-references and definitions as it does in a PDF. Tables read row by
row (one paragraph a row, cells in order); a text box's paragraphs follow the paragraph
that anchors it; footnotes and endnotes come last, numbered ``[1]`` and ``[i]`` in the
order they are referred to; headers and footers (parts of their own) are not read; field
codes are not text (their results are, except a table of contents); hidden text is left out.

Handing a review back: :func:`annotate_docx` writes a copy of a draft with a Word comment
per note, anchored on the whole paragraphs that hold the note's span (found by the same
reading as the review's, so spans and paragraphs agree), authored "Westfall Legal review";
the original file is read only, and a copy is never written over it. :func:`write_docx`
writes a new Word file of a reviewed text without one (a PDF, a scan, a text file): its
paragraphs (numbers as read) and the same comments. Both save through one atomic write.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import docx
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.parser import parse_xml
from docx.text.run import Run

from westfall_legal import paths
from westfall_legal.errors import CorruptDocxError, KnownError, OutputError
from westfall_legal.hashing import sha256_bytes
from westfall_legal.ingest.archive import read_word_file
from westfall_legal.ingest.docx_body import Reader, comments_of
from westfall_legal.ingest.docx_styles import Styles, W, Xml, numbering_from
from westfall_legal.ingest.docx_text import Built
from westfall_legal.models import DraftParagraph, WordDraft

log = logging.getLogger(__name__)

AUTHOR = "Westfall Legal review"
INITIALS = "WL"
# A note: (char_start, char_end, text), its span in the text as the review read it.
Note = tuple[int, int, str]
# A paragraph of a clean copy: (text, char_start, char_end, heading level or 0).
CleanParagraph = tuple[str, int, int, int]


def read_docx(path: Path) -> WordDraft:
    """Read a Word .docx for review (see the module's docstring)."""
    data, document = _open(path)
    reader, built = _read(document)
    warnings = list(reader.warnings)
    if built.revisions:
        warnings.append(
            f"the draft has {len(built.revisions)} tracked changes; it is reviewed as it reads "
            "with all of them accepted"
        )
    log.info(
        "read a Word draft: %d paragraphs, %d tracked changes, %d comments",
        len(built.paragraphs),
        len(built.revisions),
        len(built.comments),
    )
    return WordDraft(
        text=built.text,
        sha256=sha256_bytes(data),
        paragraphs=built.paragraphs,
        tables=tuple(reader.tables),
        revisions=built.revisions,
        comments=built.comments,
        warnings=tuple(warnings),
    )


def _open(path: Path) -> tuple[bytes, WordDocument]:
    data = read_word_file(path)
    try:
        return data, docx.Document(io.BytesIO(data))
    except KnownError:
        raise
    except ValueError as exc:  # "not a Word file, content type is ..."
        raise CorruptDocxError(f"{path}: not a Word document ({exc}).") from exc
    except Exception as exc:  # python-docx and lxml raise KeyError, SyntaxError, ...
        raise CorruptDocxError(
            f"{path}: the Word file cannot be read ({type(exc).__name__})."
        ) from exc


def _read(document: WordDocument) -> tuple[Reader, Built]:
    part = document.part
    styles = Styles(_part_xml(part, RT.STYLES))
    reader = Reader(numbering_from(_part_xml(part, RT.NUMBERING), styles), styles)
    reader.blocks(part.element.body, "body")
    reader.flush()
    reader.notes(_part_xml(part, RT.FOOTNOTES), "footnote")
    reader.notes(_part_xml(part, RT.ENDNOTES), "endnote")
    return reader, reader.text.result(comments_of(_part_xml(part, RT.COMMENTS)))


def _part_xml(part: Any, reltype: str) -> Xml | None:
    """The XML of the part ``part`` relates to by ``reltype``; None when it has none."""
    try:
        related = part.part_related_by(reltype)
    except KeyError:
        return None
    element = getattr(related, "element", None)
    return element if element is not None else parse_xml(related.blob)


# -- handing the review back -------------------------------------------------------------------
def annotate_docx(source: Path, notes: Sequence[Note], out: Path, *, author: str = AUTHOR) -> int:
    """Write to ``out`` a copy of the draft ``source`` with each note as a Word comment on the
    paragraphs that hold its span; returns how many were written."""
    _refuse_overwrite(source, out)
    _, document = _open(source)
    reader, built = _read(document)
    anchors = [p for p in built.paragraphs if p.part in ("body", "table")]
    if not anchors:
        raise KnownError(
            f"{source}: the draft has no paragraph in its body to put comments on.",
            hint="Check that the right file was named; a draft whose text is all in text "
            "boxes or notes gets no comments.",
        )
    nexts = {p.index: q.index for p, q in zip(built.paragraphs, built.paragraphs[1:], strict=False)}
    for start, end, text in notes:
        hit = _overlapping(anchors, start, end)
        first = reader.elements[hit[0].index]
        stop = nexts.get(hit[-1].index, len(reader.elements))
        last = [e for e in reader.elements[hit[-1].index : stop] if not _in_textbox(e)][-1]
        _comment(document, first, last, text, author)
    _save(document, out)
    return len(notes)


def write_docx(
    paragraphs: Sequence[CleanParagraph],
    notes: Sequence[Note],
    out: Path,
    *,
    title: str,
    author: str = AUTHOR,
) -> int:
    """Write to ``out`` a new Word file of ``paragraphs`` (a heading level > 0 makes a
    heading) with each note as a comment on the paragraphs that hold its span."""
    document = docx.Document()
    document.core_properties.title = _xml_safe(title)
    document.core_properties.author = author
    written: list[tuple[DraftParagraph, Xml]] = []
    for n, (text, start, end, level) in enumerate(paragraphs):
        safe = _xml_safe(text)
        para = document.add_heading(safe, min(level, 9)) if level else document.add_paragraph(safe)
        written.append((DraftParagraph(n, start, end, "body"), para._p))
    if not written:
        raise KnownError(
            "the review has no text to write to a Word file.",
            hint="Review the document again; a page without text has none.",
        )
    elements = [e for _, e in written]
    for start, end, text in notes:
        hit = _overlapping([p for p, _ in written], start, end)
        _comment(document, elements[hit[0].index], elements[hit[-1].index], text, author)
    _save(document, out)
    return len(notes)


def _overlapping(
    paragraphs: Sequence[DraftParagraph], start: int, end: int
) -> list[DraftParagraph]:
    """The paragraphs that hold ``[start, end)``; for a point, or a span between paragraphs,
    the last paragraph that starts at or before it (the first paragraph if none)."""
    end = max(end, start + 1)
    hit = [p for p in paragraphs if p.char_start < end and p.char_end > start]
    if hit:
        return hit
    before = [p for p in paragraphs if p.char_start <= start]
    return [before[-1] if before else paragraphs[0]]


def _in_textbox(p: Xml) -> bool:
    return any(a.tag == W + "txbxContent" for a in p.iterancestors())


def _anchor_run(p: Xml, at_start: bool) -> Run:
    """An empty run at the start (after the paragraph's properties) or the end of ``p``:
    a comment's range can then span whole paragraphs whatever their runs."""
    r = OxmlElement("w:r")
    if at_start:
        props = p.find(W + "pPr")
        p.insert(0 if props is None else list(p).index(props) + 1, r)
    else:
        p.append(r)
    return Run(r, cast(Any, None))


def _comment(document: WordDocument, first: Xml, last: Xml, text: str, author: str) -> None:
    runs = [_anchor_run(first, True), _anchor_run(last, False)]
    document.add_comment(runs, text=_xml_safe(text), author=author, initials=INITIALS)


def _xml_safe(text: str) -> str:
    """``text`` without the control characters XML cannot hold (tab and line ends kept)."""
    return "".join(c for c in text if c >= " " or c in "\t\n")


def _refuse_overwrite(source: Path, out: Path) -> None:
    if out.resolve() == source.resolve():
        raise OutputError(
            f"{out}: is the original file; Westfall Legal never writes over it.",
            hint="Name another output file with --out.",
        )


def _save(document: WordDocument, out: Path) -> None:
    buffer = io.BytesIO()
    document.save(buffer)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        paths.write_atomic(out, buffer.getvalue())
    except OSError as exc:
        raise OutputError(f"{out}: cannot write the Word file ({exc.strerror}).") from exc
