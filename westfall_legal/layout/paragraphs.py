"""The document text of a Word draft: its paragraphs as blocks, no pages.

Each paragraph of the draft becomes a block (its ``DraftParagraph.index``) of one line per
line break in it, as :func:`westfall_legal.layout.text.plain_text` does for a text file.
Table rows keep out of running text (``in_table``) and footnotes out of clauses and
headings (``is_margin``), as a PDF's tables and margins are; the tracked changes and
comments come along with the text they are placed in.
"""

from __future__ import annotations

from westfall_legal.models import DocumentText, Line, WordDraft

NO_BOX = (0.0, 0.0, 0.0, 0.0)


def draft_text(draft: WordDraft) -> DocumentText:
    lines: list[Line] = []
    for para in draft.paragraphs:
        start = para.char_start
        margin, in_table = para.part == "footnote", para.part == "table"
        for piece in draft.text[para.char_start : para.char_end].split("\n"):
            end = start + len(piece)
            if piece.strip():
                lines.append(Line(start, end, 0, NO_BOX, para.index, margin, in_table))
            start = end + 1
    return DocumentText(
        draft.text,
        (),
        tuple(lines),
        draft.tables,
        source="docx",
        revisions=draft.revisions,
        comments=draft.comments,
        paragraphs=draft.paragraphs,
    )
