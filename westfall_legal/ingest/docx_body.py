"""A Word file's body read into a draft's text: paragraphs with their numbers, tables, text
boxes, footnotes and endnotes, tracked changes and comment anchors, over the lxml elements
python-docx parsed (no python-docx call here: :mod:`westfall_legal.ingest.docx` is the
adapter, this is what it reads with; see its docstring for what is read and how).

The reader keeps each ``w:p`` it meets in ``elements``, in the order of the paragraph
indexes it gives (``DraftParagraph.index``), so that a note can be anchored on a paragraph
of the original file (``docx.annotate_docx``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from westfall_legal.ingest.docx_styles import MC, Styles, W, Xml, int_or, toggled, val
from westfall_legal.ingest.docx_text import CommentEdge, Mark, TextBuilder
from westfall_legal.ingest.word_numbering import Numbering, roman
from westfall_legal.models import DraftPart, RevisionKind, Table


# -- the body ------------------------------------------------------------------------------
@dataclass(slots=True)
class _Para:
    """One paragraph being read (several, when deleted paragraph marks join them)."""

    index: int
    element: Xml = None  # the last w:p read into it: its properties are the paragraph's
    pieces: list[str] = field(default_factory=list)
    length: int = 0
    marks: list[Mark] = field(default_factory=list)
    textboxes: list[Xml] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.pieces.append(text)
        self.length += len(text)


@dataclass(slots=True)
class _Change:
    kind: RevisionKind
    author: str
    date: str | None
    moved: bool
    deleted: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Field:
    instruction: list[str] = field(default_factory=list)
    result: bool = False  # past its "separate": the result shows
    hidden: bool = False  # a table of contents: its result is not read


_CHANGES: dict[str, tuple[RevisionKind, bool]] = {
    W + "ins": ("insertion", False),
    W + "moveTo": ("insertion", True),
    W + "del": ("deletion", False),
    W + "moveFrom": ("deletion", True),
}
_WRAPPERS = {W + t for t in ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo")}
_CHARS = {W + "tab": " ", W + "ptab": " ", W + "br": "\n", W + "cr": "\n"}
_CHARS |= {W + "noBreakHyphen": "-", W + "softHyphen": ""}


class Reader:
    def __init__(self, numbering: Numbering, styles: Styles) -> None:
        self.numbering = numbering
        self.styles = styles
        self.text = TextBuilder()
        self.tables: list[Table] = []
        self.index = 0  # the next w:p's index
        self.open: _Para | None = None  # a paragraph whose mark was deleted, going on
        self.fields: list[_Field] = []
        self.notes_referred: dict[str, list[str]] = {"footnote": [], "endnote": []}
        self.warnings: list[str] = []
        self.elements: list[Xml] = []  # each w:p read, at its paragraph index

    # blocks
    def blocks(self, container: Xml, part: DraftPart) -> None:
        for child in container:
            tag = child.tag
            if tag == W + "p":
                self.paragraph(child, part)
            elif tag == W + "tbl":
                self.flush()
                self.table(child)
            elif tag in (W + "sdt", W + "customXml"):
                content = child.find(W + "sdtContent") if tag == W + "sdt" else child
                if content is not None:
                    self.blocks(content, part)
            elif tag == MC + "AlternateContent":
                self.blocks(_choice(child), part)
            elif tag == W + "altChunk":
                self.warnings.append(
                    "part of the draft is an embedded document (altChunk) that was not read"
                )

    def paragraph(self, p: Xml, part: DraftPart) -> None:
        para = self.open or _Para(self.index)
        self.elements.append(p)
        self.index += 1
        para.element = p
        self.inline(p, para, None)
        ppr = p.find(W + "pPr")
        mark = None if ppr is None else ppr.find(f"{W}rPr/{W}del")
        if mark is not None:  # the paragraph mark is deleted: the next paragraph joins it
            para.marks.append(_mark(self._change(mark, "deletion"), para.length, "\n"))
            self.open = para
            return
        self.open = None
        self.finish(para, part)

    def flush(self) -> None:
        """End a paragraph left open by a deleted mark (before a table, at the end)."""
        if self.open is not None:
            para, self.open = self.open, None
            self.finish(para, "body")

    def finish(self, para: _Para, part: DraftPart) -> None:
        number, sep = self.number(para.element)
        self.text.paragraph(para.index, "".join(para.pieces), para.marks, part, number, sep)
        for box in para.textboxes:
            self.blocks(box, "textbox")

    def table(self, tbl: Xml) -> None:
        rows: list[tuple[str, ...]] = []
        for tr in _children(tbl, "tr"):
            cells: list[str] = []
            row = self.text.row(self.index)
            for tc in _children(tr, "tc"):
                texts = []
                for p in tc.iter(W + "p"):  # nested tables' paragraphs too, in order
                    para = _Para(self.index)
                    self.elements.append(p)
                    self.index += 1
                    para.element = p
                    self.inline(p, para, None)
                    number, sep = self.number(p)
                    texts.append(row.cell_paragraph("".join(para.pieces), para.marks, number, sep))
                cells.append(" ".join(t for t in texts if t))
            row.end()
            rows.append(tuple(cells))
        if rows:
            self.tables.append(Table(0, (0.0, 0.0, 0.0, 0.0), tuple(rows)))

    def notes(self, xml: Xml | None, kind: str) -> None:
        """Footnotes or endnotes, in the order the text refers to them."""
        if xml is None:
            return
        notes = {str(n.get(W + "id")): n for n in xml.findall(W + kind)}
        for n, note_id in enumerate(dict.fromkeys(self.notes_referred[kind]), 1):
            note = notes.get(note_id)
            if note is None:
                continue
            label = str(n) if kind == "footnote" else roman(n)
            row = self.text.row(self.index, "footnote")
            row.cell_paragraph(f"[{label}]", (), "", "")
            for p in note.iter(W + "p"):
                para = _Para(self.index)
                self.elements.append(p)
                self.index += 1
                self.inline(p, para, None)
                row.cell_paragraph("".join(para.pieces), para.marks, "", "")
            row.end()

    # numbering
    def number(self, p: Xml) -> tuple[str, str]:
        """The number Word shows in front of paragraph ``p`` (counted now), and its separator."""
        ppr = p.find(W + "pPr")
        style = val(ppr, "pStyle") or self.styles.default
        numpr = None if ppr is None else ppr.find(W + "numPr")
        num_id, ilvl = val(numpr, "numId"), int_or(val(numpr, "ilvl"))
        style_num, style_ilvl, linked = self.styles.numbering(style)
        if num_id is None and style_num is not None and linked is not None:
            # A style's numbering: the level that names the style (w:lvl/w:pStyle) wins over
            # the style's own w:ilvl (ECMA-376 17.9.23); Word writes both, alike.
            num_id = style_num
            if ilvl is None:
                linked_level = self.numbering.style_level(num_id, linked)
                ilvl = style_ilvl if linked_level is None else linked_level
        if num_id is None or num_id == "0":
            return "", ""
        return self.numbering.next(num_id, ilvl or 0)

    # runs
    def inline(self, el: Xml, para: _Para, change: _Change | None) -> None:
        for child in el:
            tag = child.tag
            if tag == W + "r":
                self.run(child, para, change)
            elif tag in _CHANGES:
                kind, moved = _CHANGES[tag]
                inner = self._change(child, kind, moved)
                start = para.length
                self.inline(child, para, inner)
                if kind == "deletion":
                    para.marks.append(_mark(inner, start, "".join(inner.deleted)))
                elif para.length > start:
                    text = "".join(para.pieces)[start:]
                    para.marks.append(_mark(inner, start, text, para.length))
            elif tag in _WRAPPERS:
                self.inline(child, para, change)
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self.inline(content, para, change)
            elif tag == MC + "AlternateContent":
                self.inline(_choice(child), para, change)
            elif tag in (W + "commentRangeStart", W + "commentRangeEnd"):
                edge: CommentEdge = "start" if tag.endswith("Start") else "end"
                para.marks.append(Mark.anchor(str(child.get(W + "id")), edge, para.length))

    def run(self, r: Xml, para: _Para, change: _Change | None) -> None:
        rpr = r.find(W + "rPr")
        hidden = toggled(rpr, "vanish")
        caps = toggled(rpr, "caps")
        for child in r:
            tag = child.tag
            text: str | None = None
            if tag in (W + "t", W + "delText"):
                text = child.text or ""
            elif tag in _CHARS:
                text = _CHARS[tag]
            elif tag == W + "sym":
                code = _hex(child.get(W + "char"))
                text = chr(code) if code and not 0xF000 <= code <= 0xF0FF else ""
            elif tag == W + "fldChar":
                self._field_char(child.get(W + "fldCharType"))
            elif tag in (W + "instrText", W + "delInstrText"):
                if self.fields and not self.fields[-1].result:
                    self.fields[-1].instruction.append(child.text or "")
            elif tag in (W + "footnoteReference", W + "endnoteReference"):
                kind = "footnote" if tag == W + "footnoteReference" else "endnote"
                self.notes_referred[kind].append(str(child.get(W + "id")))
            elif tag == W + "commentReference":
                para.marks.append(Mark.anchor(str(child.get(W + "id")), "ref", para.length))
            elif tag in (W + "drawing", W + "pict", MC + "AlternateContent"):
                para.textboxes.extend(_textboxes(child))
            if not text or hidden or any(not f.result or f.hidden for f in self.fields):
                continue
            if caps:
                text = text.upper()
            if change is not None and change.kind == "deletion":
                change.deleted.append(text)
            else:
                para.add(text)

    def _field_char(self, kind: str | None) -> None:
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            current = self.fields[-1]
            current.result = True
            current.hidden = "".join(current.instruction).strip().upper().startswith("TOC")
        elif kind == "end" and self.fields:
            self.fields.pop()

    @staticmethod
    def _change(el: Xml, kind: RevisionKind, moved: bool = False) -> _Change:
        return _Change(kind, el.get(W + "author") or "", el.get(W + "date"), moved)


def _mark(change: _Change, start: int, text: str, end: int | None = None) -> Mark:
    return Mark.revision(change.kind, change.author, change.date, change.moved, start, text, end)


def comments_of(xml: Xml | None) -> dict[str, tuple[str, str | None, str]]:
    """The comments part: id -> (author, date, text, its paragraphs on lines of their own)."""
    out: dict[str, tuple[str, str | None, str]] = {}
    for comment in xml.findall(W + "comment") if xml is not None else ():
        text = "\n".join(
            "".join(t.text or "" for t in p.iter(W + "t")) for p in comment.iter(W + "p")
        )
        out[str(comment.get(W + "id"))] = (
            comment.get(W + "author") or "",
            comment.get(W + "date"),
            text.strip(),
        )
    return out


def _children(el: Xml, name: str) -> Iterator[Xml]:
    """``el``'s children ``w:{name}``, also those wrapped in content controls."""
    for child in el:
        if child.tag == W + name:
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _children(content, name)


def _choice(alternate: Xml) -> Xml:
    """The first ``mc:Choice`` of an ``mc:AlternateContent`` (its Fallback says the same),
    or the Fallback when there is no Choice; the element itself (read as empty) if neither."""
    for name in ("Choice", "Fallback"):
        found = alternate.find(MC + name)
        if found is not None:
            return found
    return []


def _textboxes(el: Xml) -> list[Xml]:
    """The outermost ``w:txbxContent`` under ``el``, once (a Choice, not its Fallback)."""
    found: list[Xml] = []
    stack = [el]
    while stack:
        node = stack.pop()
        if node.tag == W + "txbxContent":
            found.append(node)
            continue
        if node.tag == MC + "AlternateContent":
            stack.append(_choice(node))
            continue
        stack.extend(reversed(list(node)))
    return found


def _hex(text: str | None) -> int:
    try:
        return int(text or "", 16)
    except ValueError:
        return 0
