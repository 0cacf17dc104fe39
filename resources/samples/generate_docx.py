# SPDX-License-Identifier: AGPL-3.0-or-later
"""Generate the Word samples: the sample agreement as a negotiated .docx draft, a small draft
with every other kind of content the reader handles, and bad Word files.

Usage::

    python resources/samples/generate_docx.py [--out DIR]

Writes ``master_services_agreement.docx`` into ``DIR`` (default: this script's folder). The
tests build the other files in a temporary folder with the functions below.

The agreement's text comes from ``generate.py`` (the source of the PDF sample), not from
reading the PDF back: its markup says which paragraph is an article, a section, a sub-clause
or a table, which reading the PDF would have to guess. Every number is Word's automatic
numbering (numbering.xml), not text: ``ARTICLE 1`` / ``1.1`` / ``(a)`` / ``(i)`` in one
multi-level list, the recitals ``A.`` / ``B.`` / ``C.`` in another, and the schedules'
``1.`` / ``(a)`` in a third, which Schedule 2 restarts at 1 (a ``w:num`` with a
``w:startOverride``, Word's "Restart numbering"). The draft carries tracked changes by two
authors and their comments; accepted, it reads as the PDF does. It is built with python-docx
and lxml edits (python-docx writes no numbering, tracked changes or footnotes).
Everything is deterministic: fixed dates and ids, so the same python-docx writes the same
bytes, except the ZIP timestamps python-docx takes from the clock (fixed here afterwards).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.parser import parse_xml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as pdf_sample  # the agreement's text

SAMPLE_NAME = "master_services_agreement.docx"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
CUSTOMER_COUNSEL = "Priya Raman"
PROVIDER_COUNSEL = "Daniel Okafor"
DATES = {CUSTOMER_COUNSEL: "2025-02-20T10:15:00Z", PROVIDER_COUNSEL: "2025-02-24T16:40:00Z"}
ZIP_TIME = (2025, 3, 3, 9, 0, 0)

smart = pdf_sample.smart_quotes  # straight quotes as the PDF sample prints them

# The lists: (abstractNumId, levels as (numFmt, lvlText, suffix)).
LEGAL = (
    ("decimal", "ARTICLE %1", "nothing"),
    ("decimal", "%1.%2", "tab"),
    ("lowerLetter", "(%3)", "tab"),
    ("lowerRoman", "(%4)", "tab"),
)
RECITALS = (("upperLetter", "%1.", "tab"),)
SCHEDULE = (("decimal", "%1.", "tab"), ("lowerLetter", "(%2)", "tab"))
ARTICLES, RECITAL_LIST, SCHEDULE_1_LIST, SCHEDULE_2_LIST = 1, 2, 3, 4

# Tracked changes per section: (kind, the accepted text it touches, the deleted text, author).
# "replace": the deleted words stood where the kept (inserted) ones are; "insert": the kept
# words were inserted; "delete": the deleted words stood right after the kept ones.
_INSERTED = ", which shall not be unreasonably withheld, conditioned or delayed"
_WAIVER = " Each Party waives any claim to sovereign immunity."
EDITS: dict[str, list[tuple[str, str, str, str]]] = {
    "12.2": [("replace", "TWELVE (12)", "SIX (6)", CUSTOMER_COUNSEL)],
    "14.1": [("replace", "ninety (90)", "thirty (30)", PROVIDER_COUNSEL)],
    "16.1": [("insert", _INSERTED, "", CUSTOMER_COUNSEL)],
    "15.3": [("delete", "inconvenient forum.", _WAIVER, PROVIDER_COUNSEL)],
}
# Comments: section -> (the words they are anchored on, author, text).
COMMENTS: dict[str, tuple[str, str, str]] = {
    "12.2": ("SHALL NOT EXCEED THE TOTAL FEES PAID", CUSTOMER_COUNSEL,
             "Six months of fees is below our floor; twelve is the minimum we accept."),
    "14.1": ("days’ prior written notice to Provider", PROVIDER_COUNSEL,
             "Ninety days gives us time to redeploy the team; we cannot accept thirty."),
}  # fmt: skip


# -- XML pieces ------------------------------------------------------------------------------
def run(text: str, *, bold: bool = False, deleted: bool = False, extra: str = "") -> str:
    props = ("<w:b/>" if bold else "") + extra
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    tag = "w:delText" if deleted else "w:t"
    parts = text.split("\n")
    body = "<w:br/>".join(f'<{tag} xml:space="preserve">{escape(p)}</{tag}>' for p in parts)
    return f"<w:r>{rpr}{body}</w:r>"


class Ids:
    def __init__(self) -> None:
        self.value = 100

    def __call__(self) -> int:
        self.value += 1
        return self.value


def change(tag: str, author: str, ids: Ids, inner: str) -> str:
    return (
        f'<w:{tag} w:id="{ids()}" w:author={quoteattr(author)} w:date="{DATES[author]}">'
        f"{inner}</w:{tag}>"
    )


def paragraph(
    runs: str,
    *,
    num: tuple[int, int] | None = None,
    style: str | None = None,
    center: bool = False,
    page_break: bool = False,
    extra_ppr: str = "",
) -> str:
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if page_break:
        ppr += "<w:pageBreakBefore/>"
    if num:
        ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    if center:
        ppr += '<w:jc w:val="center"/>'
    ppr += extra_ppr
    return f"<w:p {NS}>" + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + runs + "</w:p>"


def abstract_num(aid: int, levels: tuple[tuple[str, str, str], ...]) -> str:
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:suff w:val="{suff}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="720"/></w:pPr></w:lvl>'
        for i, (fmt, text, suff) in enumerate(levels)
    )
    return (
        f'<w:abstractNum w:abstractNumId="{aid}"><w:multiLevelType w:val="multilevel"/>'
        f"{lvls}</w:abstractNum>"
    )


def num(num_id: int, aid: int, restart_at: int | None = None) -> str:
    override = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart_at}"/></w:lvlOverride>'
        if restart_at is not None
        else ""
    )
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/>{override}</w:num>'


def set_numbering(document: docx.document.Document, definitions: str) -> None:
    """Replace the template's numbering.xml with ``definitions`` (abstractNums, then nums)."""
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in parse_xml(f"<w:numbering {NS}>{definitions}</w:numbering>"):
        numbering.append(child)


def append(document: docx.document.Document, xml: str) -> None:
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml))  # before the final w:sectPr


def comment(document: docx.document.Document, author: str, text: str) -> int:
    added = document.comments.add_comment(text=text, author=author, initials=author[0])
    added._comment_elm.set(f"{{{W_NS}}}date", DATES[author])
    return int(added.comment_id)


# -- the sample agreement --------------------------------------------------------------------
def _section_runs(document: docx.document.Document, number: str, body: str, ids: Ids) -> str:
    """A section's text as runs, with its tracked changes and comment (see EDITS)."""
    pieces = [(body, "")]  # (text, wrapper) in order; wrapper: "", "ins:AUTHOR", "del:AUTHOR"
    for kind, kept, deleted, author in EDITS.get(number, []):
        text, _ = pieces.pop()
        at = text.index(kept)
        before, after = text[:at], text[at + len(kept) :]
        if kind == "replace":
            pieces += [(before, ""), (deleted, f"del:{author}"), (kept, f"ins:{author}")]
        elif kind == "insert":
            pieces += [(before, ""), (kept, f"ins:{author}")]
        else:
            pieces += [(before + kept, ""), (deleted, f"del:{author}")]
        pieces.append((after, ""))
    anchor = COMMENTS.get(number)
    out = []
    for text, wrapper in pieces:
        if not text:
            continue
        if wrapper.startswith("del:"):
            out.append(change("del", wrapper[4:], ids, run(text, deleted=True)))
        elif wrapper.startswith("ins:"):
            out.append(change("ins", wrapper[4:], ids, run(text)))
        elif anchor and anchor[0] in text:
            cid = comment(document, anchor[1], anchor[2])
            at = text.index(anchor[0])
            out += [
                run(text[:at]),
                f'<w:commentRangeStart w:id="{cid}"/>',
                run(anchor[0]),
                f'<w:commentRangeEnd w:id="{cid}"/>',
                f'<w:r><w:commentReference w:id="{cid}"/></w:r>',
                run(text[at + len(anchor[0]) :]),
            ]
            anchor = None
        else:
            out.append(run(text))
    return "".join(out)


def _markup(document: docx.document.Document, markup: str, list_id: int, ids: Ids) -> None:
    """generate.py's markup as numbered paragraphs of list ``list_id``."""
    last_letter = ""
    top = 0 if list_id != ARTICLES else 1  # the level of "1." or "1.1"
    for para in pdf_sample._paragraphs(markup):
        if para.startswith("| "):
            lines = "\n".join(line[2:] for line in para.splitlines())
            append(document, paragraph(run(smart(lines))))
        elif m := pdf_sample._ARTICLE_RE.match(para):
            append(
                document,
                paragraph(run("\n" + smart(m[2]), bold=True), num=(list_id, 0)),
            )
        elif m := pdf_sample._PART_RE.match(para):
            append(document, paragraph(run(f"PART {m[1]}\n{smart(m[2])}", bold=True)))
        elif (m := pdf_sample._SECTION_RE.match(para)) or (
            m := pdf_sample._NUMBERED_RE.match(para)
        ):
            last_letter = ""
            number = f"{m[1]}.{m[2]}" if m.re is pdf_sample._SECTION_RE else m[1]
            caption, text = (m[3], m[4]) if m.re is pdf_sample._SECTION_RE else (m[2], m[3])
            runs = run(smart(caption), bold=True) + _section_runs(
                document, number, " " + smart(text), ids
            )
            append(document, paragraph(runs, num=(list_id, top)))
        elif m := pdf_sample._CLAUSE_RE.match(para):
            label = m[1]
            roman = label in pdf_sample._ROMAN and not (
                len(label) == 1 and last_letter and ord(label) == ord(last_letter) + 1
            )
            if not roman:
                last_letter = label
            append(
                document,
                paragraph(run(smart(m[2])), num=(list_id, top + 1 + roman)),
            )
        else:
            append(document, paragraph(run(smart(para))))


def _fee_table() -> str:
    def cell(text: str, bold: bool = False) -> str:
        return f"<w:tc><w:p>{run(smart(text), bold=bold)}</w:p></w:tc>"

    rows = [("Service", "Unit", "Fee (USD)"), *pdf_sample.FEE_TABLE]
    body = "".join(
        "<w:tr>" + "".join(cell(t, bold=i == 0) for t in row) + "</w:tr>"
        for i, row in enumerate(rows)
    )
    grid = '<w:tblGrid><w:gridCol w:w="5000"/><w:gridCol w:w="2400"/><w:gridCol w:w="1800"/>'
    borders = "".join(f'<w:{s} w:val="single" w:sz="4"/>' for s in ("top", "left", "bottom",
                      "right", "insideH", "insideV"))  # fmt: skip
    props = f"<w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr>"
    return f"<w:tbl {NS}>{props}{grid}</w:tblGrid>{body}</w:tbl>"


def _page_field() -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def sample_agreement() -> bytes:
    """The sample agreement as a Word draft under negotiation (see the module's docstring)."""
    document = docx.Document()
    ids = Ids()
    set_numbering(
        document,
        abstract_num(0, LEGAL)
        + abstract_num(1, RECITALS)
        + abstract_num(2, SCHEDULE)
        + num(ARTICLES, 0)
        + num(RECITAL_LIST, 1)
        + num(SCHEDULE_1_LIST, 2)
        + num(SCHEDULE_2_LIST, 2, restart_at=1),
    )
    section = document.sections[0]
    section.header.paragraphs[0].text = pdf_sample.HEADER_TEXT
    footer = section.footer.paragraphs[0]._p
    for piece in parse_xml(f"<w:p {NS}>{run('Page ')}{_page_field()}</w:p>"):
        footer.append(piece)
    append(document, paragraph(run("MASTER SERVICES AGREEMENT", bold=True), center=True))
    append(document, paragraph(run(pdf_sample.AGREEMENT_NO), center=True))
    append(document, paragraph(run(smart(pdf_sample.PREAMBLE))))
    append(document, paragraph(run("RECITALS", bold=True), center=True))
    for recital in pdf_sample.RECITALS:
        append(document, paragraph(run(smart(recital)), num=(RECITAL_LIST, 0)))
    append(document, paragraph(run(smart(pdf_sample.CONSIDERATION))))
    _markup(document, pdf_sample.BODY, ARTICLES, ids)
    append(document, paragraph(run(smart(pdf_sample.WITNESS))))
    blanks = "_" * 36
    for role, legal_name, name, title in pdf_sample.SIGNATORIES:
        # The role and the party's name on two lines of one paragraph (a line break).
        append(document, paragraph(run(f"{role}:\n{smart(legal_name)}", bold=True)))
        for label, value in (("By:", blanks), ("Name:", smart(name)), ("Title:", smart(title)),
                             ("Date:", blanks)):  # fmt: skip
            append(document, paragraph(run(label) + "<w:r><w:tab/></w:r>" + run(value)))
    append(document, paragraph(run("SCHEDULE 1\nSERVICES AND SERVICE LEVELS", bold=True),
                               center=True, page_break=True))  # fmt: skip
    _markup(document, pdf_sample.SCHEDULE_1, SCHEDULE_1_LIST, ids)
    append(document, paragraph(run("SCHEDULE 2\nFEES AND SERVICE CREDITS", bold=True),
                               center=True, page_break=True))  # fmt: skip
    _markup(document, pdf_sample.SCHEDULE_2_INTRO, SCHEDULE_2_LIST, ids)
    append(document, _fee_table())
    _markup(document, pdf_sample.SCHEDULE_2_REST, SCHEDULE_2_LIST, ids)
    return _saved(document)


def _saved(document: docx.document.Document) -> bytes:
    """The .docx bytes, with fixed ZIP timestamps (python-docx stamps the clock's)."""
    buffer = io.BytesIO()
    document.core_properties.author = "Westfall Legal samples"
    document.core_properties.revision = 1
    document.save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", data)
            target.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


# -- a small draft with everything else ----------------------------------------------------
FEATURE_NUMBERING = (
    # 0: legal articles in upper roman with "Section 1.01" (isLgl) under them.
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
    '<w:pStyle w:val="Heading1"/><w:suff w:val="space"/><w:lvlText w:val="ARTICLE %1"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimalZero"/><w:isLgl/>'
    '<w:pStyle w:val="Heading2"/><w:suff w:val="space"/><w:lvlText w:val="Section %1.%2"/>'
    "</w:lvl>"
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/>'
    '<w:lvlRestart w:val="1"/><w:lvlText w:val="(%3)"/></w:lvl>'
    "</w:abstractNum>"
    # 1: bullets in a symbol font.
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl></w:abstractNum>'
    # 2: a list that starts at 5, counted in lower roman.
    '<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="5"/>'
    '<w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>'
)


def _link_heading_styles(document: docx.document.Document) -> None:
    """Heading 1 and Heading 2 take their numbers from list 1 (numPr in styles.xml, with
    the level as Word writes it; the list's levels name the styles too)."""
    for ilvl, style_id in enumerate(("Heading1", "Heading2")):
        style = document.styles.element.xpath(f'w:style[@w:styleId="{style_id}"]')[0]
        ppr = style.find(f"{{{W_NS}}}pPr")
        numpr = f'<w:ilvl w:val="{ilvl}"/><w:numId w:val="1"/>' if ilvl else '<w:numId w:val="1"/>'
        ppr.insert(0, parse_xml(f"<w:numPr {NS}>{numpr}</w:numPr>"))


def _notes_part(document: docx.document.Document, kind: str, notes: list[str]) -> None:
    """A footnotes or endnotes part (python-docx has none) holding ``notes`` (ids 1..)."""
    tag = kind[:-1]  # "footnote" / "endnote"
    body = (
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></w:{tag}>"
    )
    for i, text in enumerate(notes, 1):
        ref = f"<w:r><w:{tag}Ref/></w:r>"
        body += f'<w:{tag} w:id="{i}"><w:p>{ref}{run(" " + text)}</w:p></w:{tag}>'
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind} {NS}>{body}</w:{kind}>'
    )
    content_type = CT.WML_FOOTNOTES if kind == "footnotes" else CT.WML_ENDNOTES
    part = Part(PackURI(f"/word/{kind}.xml"), content_type, xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES if kind == "footnotes" else RT.ENDNOTES)


def _text_box(text: str) -> str:
    """A floating text box as Word writes it: a DrawingML shape with a VML fallback."""
    content = f"<w:txbxContent><w:p>{run(text)}</w:p></w:txbxContent>"
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        "<a:graphic><a:graphicData><wps:wsp><wps:txbx>"
        f"{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        f"</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def features_draft() -> bytes:
    """A short draft with what the agreement does not have: style-linked legal numbering
    (ARTICLE I / Section 1.01 / (A)), bullets, a list starting at v), a footnote and an
    endnote, a text box, a table of contents field, hidden text, all-caps formatting, a
    deleted paragraph mark, a moved sentence and a comment with no range (a point)."""
    document = docx.Document()
    ids = Ids()
    set_numbering(document, FEATURE_NUMBERING)
    _link_heading_styles(document)
    section = document.sections[0]
    section.header.paragraphs[0].text = "Draft header - not for the body"
    section.footer.paragraphs[0].text = "Draft footer - not for the body"
    toc = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run('ARTICLE I DEFINITIONS 1')}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    append(document, paragraph(toc))
    append(document, paragraph(run("Definitions"), style="Heading1"))
    append(document, paragraph(run("Scope.") + run(" Hidden drafting note.", extra="<w:vanish/>")
                               + run(" The Supplier shall deliver the Goods."),
                               style="Heading2"))  # fmt: skip
    append(document, paragraph(run("first limb;"), num=(1, 2)))
    append(document, paragraph(run("second limb."), num=(1, 2)))
    append(document, paragraph(run("Price.") + run(" The price is fixed; see note") +
                               '<w:r><w:footnoteReference w:id="1"/></w:r>' + run(" and end") +
                               '<w:r><w:endnoteReference w:id="1"/></w:r>' + run("."),
                               style="Heading2"))  # fmt: skip
    third = "third limb: Section 1.02 does not restart (A) (lvlRestart 1)."
    append(document, paragraph(run(third), num=(1, 2)))
    append(document, paragraph(run("Term"), style="Heading1"))
    append(document, paragraph(run("Duration.") + run(" two years", extra="<w:caps/>") +
                               _text_box("Text box: the Term may be extended once."),
                               style="Heading2"))  # fmt: skip
    deleted_mark = (
        '<w:rPr><w:del w:id="90" w:author="Priya Raman" w:date="2025-02-20T10:15:00Z"/></w:rPr>'
    )
    append(document, paragraph(run("Renewal. This paragraph"), style="Heading2",
                               extra_ppr=deleted_mark))  # fmt: skip
    append(document, paragraph(run(" continues here after the deleted paragraph mark.")))
    move = change("moveFrom", PROVIDER_COUNSEL, ids, run("Moved sentence. "))
    move_to = change("moveTo", PROVIDER_COUNSEL, ids, run(" Moved sentence."))
    append(document, paragraph(move + run("Stays here.") + move_to))
    cid = comment(document, CUSTOMER_COUNSEL, "A point comment.")
    append(document, paragraph(run("Apples") + f'<w:r><w:commentReference w:id="{cid}"/></w:r>'
                               + run(" and pears."), num=(2, 0)))  # fmt: skip
    append(document, paragraph(run("Bananas."), num=(2, 0)))
    append(document, paragraph(run("five"), num=(3, 0)))
    append(document, paragraph(run("six"), num=(3, 0)))
    _notes_part(document, "footnotes", ["The footnote text."])
    _notes_part(document, "endnotes", ["The endnote text."])
    return _saved(document)


# -- bad Word files --------------------------------------------------------------------------
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole(names: list[str]) -> bytes:
    """An OLE compound file's header and a directory sector naming ``names`` (enough for
    the magic and the stream names; not a readable compound file)."""
    header = OLE_MAGIC + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + bytes(512 - 32)
    directory = b"".join(
        (name.encode("utf-16-le") + bytes(64)).ljust(64, b"\x00")[:64]
        + (2 * len(name) + 2).to_bytes(2, "little")
        + bytes(62)
        for name in names
    )
    return header + directory.ljust(512, b"\x00")


def word97_doc() -> bytes:
    """A Word 97-2003 .doc (its compound file's streams named; no real content)."""
    return _ole(["Root Entry", "WordDocument", "1Table", "\x05SummaryInformation"])


def encrypted_docx() -> bytes:
    """A password-protected .docx: Word stores it as a compound file with EncryptionInfo
    and EncryptedPackage streams (the package itself encrypted)."""
    return _ole(["Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"])


def truncated(data: bytes) -> bytes:
    """The first half of a .docx: a download cut short (no central directory)."""
    return data[: len(data) // 2]


def zip_bomb(inflated: int = 300 * 1024 * 1024) -> bytes:
    """A .docx whose document.xml inflates to ``inflated`` bytes of whitespace (about
    0.3 MB on disk); its headers tell the truth, so it is refused before it is inflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", ZIP_TIME), "<Types/>")
        info = zipfile.ZipInfo("word/document.xml", ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            chunk = b" " * (4 * 1024 * 1024)
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / SAMPLE_NAME
    target.write_bytes(sample_agreement())
    print(f"wrote {target} ({target.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
