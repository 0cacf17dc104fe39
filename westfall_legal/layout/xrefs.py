"""Cross-references (``Section 5.2(b)``, ``Sections 5.2 and 5.3``, ``clause 7``, ``Article IV``,
``Schedule 2``, ``Exhibit A``, ``paragraph (c)``) and the section each one points to.

Numbers are matched against the section tree: ``5.2(b)`` is the ``(b)`` under ``5.2``;
``Article IV`` is the section numbered IV or 4; ``Schedule 2`` is the annex ``Schedule 2``;
a bare ``paragraph (c)`` or ``clause (b)`` is looked for among the children of the section the
reference sits in, then of its ancestors. Sections, Articles and clauses are looked for
outside the schedules first; paragraphs inside the reference's own schedule first. A
reference with no match gets ``target=None``. A heading's own number is not a reference, nor
is a statute's ("Sections 5-1401 ... of the General Obligations Law", "article 58 of the
petroleum code") or another document's ("Section 8.2 of the Separation and Distribution
Agreement", "Section 2.2(a) of the Supplement"), nor an exhibit label alone on its line
("EXHIBIT 10.37" atop an EDGAR filing).

Where the tree has no match, the text is asked before the reference is called dangling
(:attr:`CrossReference.dangling`): a list item the tree did not split out ("(v)" inside
Section 3.1, "clauses (a) through (d)" of the same sentence) resolves to the section that
holds it, and a numbered heading the tree missed ("6.04" or "CLAUSE 24" opening a line) is
recorded in ``located_at``. A bare continuation is read in the style of the list it
continues ("Section 8(b)(i), (ii)" is 8(b)(ii)); one in another style ("Section 22.1(a) or
(2)") is the sentence's own enumeration, not a reference.

A range gives its two ends ("Sections 7.2.2 through 7.2.4", "Sections 11.1-11.4"), a list
each item ("Sections 5.1 or 5.2"); "Article 9.1" is the section 9.1. A reference split by a
line or a page break reads across it: running heads and page numbers between its words are
stepped over. "Part B of Schedule 1" is the Part B under Schedule 1 (or Schedule 1 itself
where the tree has no Part B). Where one number has several sections outside the schedules
(a table of contents above the text) the one with the most text is meant.

A reference to another instrument (:mod:`westfall_legal.layout.external`: "Section 2(a) of
the Securities Act", "Rule 144") is not a cross-reference; :func:`find_references` returns
those apart, with the instrument named.

This module runs the search; :mod:`westfall_legal.layout.xref_numbers` has the patterns and
reads the numbers of a reference, :mod:`westfall_legal.layout.xref_resolver` looks them up.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence, Set

from westfall_legal.layout.external import (
    ExternalReference,
    document_named_before,
    find_rules,
    instrument_after,
    instrument_of,
    sentence_start,
)
from westfall_legal.layout.xref_numbers import (
    GROUPS,
    OF_ANNEX,
    is_caption,
    items_of,
    label_of,
    roman_to_int,
    split_number,
)
from westfall_legal.layout.xref_resolver import Resolver
from westfall_legal.models import ANNEX_KINDS, CrossReference, DocumentText, Line, Section

__all__ = [
    "ExternalReference",
    "find_cross_references",
    "find_external_references",
    "find_references",
    "roman_to_int",
]


def _body_text(doc_text: DocumentText) -> str:
    """The text with running heads, footers and page numbers blanked (offsets kept), so that a
    reference split by a page break reads as one."""
    chars = list(doc_text.text)
    for ln in doc_text.lines:
        if ln.is_margin:
            chars[ln.char_start : ln.char_end] = " " * (ln.char_end - ln.char_start)
    return "".join(chars)


def find_references(
    doc_text: DocumentText, sections: Sequence[Section]
) -> tuple[list[CrossReference], list[ExternalReference]]:
    """This document's cross-references, each resolved against the section tree, and the
    references to other instruments, each with the instrument it names; both in document
    order."""
    text = doc_text.text
    body = _body_text(doc_text)
    resolver = Resolver(sections, doc_text)
    heading_starts = {s.char_start for s in sections if s.id not in resolver.not_annex}
    line_starts = [ln.char_start for ln in doc_text.lines]
    refs: list[CrossReference] = []
    groups: list[list[int]] = []  # the starts of each list's or range's items
    ours: set[int] = set()  # starts of references said to be this document's
    external = [r for r in find_rules(body) if r.char_start not in heading_starts]
    for kind, pattern in GROUPS.items():
        for m in pattern.finditer(body):
            if m.start() in heading_starts and not _IN_LIST.match(body, m.end()):
                continue  # a heading's own number, not a list of references opening a line
            if kind in ANNEX_KINDS and is_caption(text, m):
                continue
            items = [
                (m.start() if i == 0 else a, b, n) for i, (a, b, n) in enumerate(items_of(kind, m))
            ]
            # "clause (iii) of Section 7.3 b.": items of 7.3(b)
            whose = _OF_SECTION.match(body, m.end()) if kind in _ITEM_KINDS else None
            if whose is not None and all(n.startswith("(") for _, _, n in items):
                base, letters = split_number(whose.group("num").replace(" ", ""))
                items = [(a, b, base + "".join(letters) + n) for a, b, n in items]
            else:
                whose = None
            tail = whose.end() if whose else m.end()
            instrument = (
                instrument_of(body, m.start(), tail)
                or _across_page(doc_text, line_starts, body, m.end())
                or document_named_before(body, m.start(), m.end())
            )
            if _THIS.match(body, tail):
                ours.update(a for a, _, _ in items)  # "Sections 4.1 and 4.2 of this Agreement"
            if instrument is not None:
                external += [
                    ExternalReference(text[a:b], a, b, kind, label_of(kind, n), instrument)
                    for a, b, n in items
                ]
                continue
            annex = OF_ANNEX.match(body, m.end()) if kind == "part" else None
            at = resolver.index.at(m.start())
            groups.append([a for a, _, _ in items])
            for start, end, number in items:
                located = None
                if kind == "part":
                    of = (annex.group("kind").lower(), annex.group("id")) if annex else None
                    target = resolver.part(number, of)
                    if target is None and of is None:
                        continue  # "Part 284" of nothing named: not a part of this document
                else:
                    target = resolver.resolve(kind, number, at)
                if target is None and kind != "part":
                    target = resolver.resolve_in_text(kind, number, at, (m.start(), m.end()))
                if target is None and kind != "part":
                    located = resolver.heading(kind, number, start)
                refs.append(
                    CrossReference(
                        text[start:end], start, end, kind, label_of(kind, number), target,
                        at.id if at else None, located,
                    )
                )  # fmt: skip
    return _named_before(refs, external, body, groups, ours)


# "Section 1 (Definitions), Section 3 (Payments) ...": a reference in a list, its title in
# brackets, even where the list opens a line the section tree took for a heading
_IN_LIST = re.compile(r"[ \t]*+\([A-Z][^()\n]{0,80}\)[ \t]*+[,;]")
_ITEM_KINDS = frozenset({"clause", "paragraph", "section"})
# "clause (iii) and (iv) of Section 7.3 b.", "subsection (g) of this Section 8"
_OF_SECTION = re.compile(
    r"(?<!\s)\s++of\s++(?:this\s++)?(?:[Ss]ection|[Aa]rticle|[Cc]lause|[Pp]aragraph)\s++"
    r"(?P<num>\d{1,3}(?:\.\d{1,3})*+(?:[ .]?[a-z](?!\w))?(?: ?\([a-zA-Z0-9]{1,4}\))*+)"
)
# "Sections 4.1 and 4.2 of this Agreement", "Section 5 hereof": this document's, whatever
# another instrument's reference of the same number says
_THIS = re.compile(
    r"(?<!\s)\s*+,?\s*+(?:(?i:of|under|in)\s++this\s++(?:Agreement|Amendment|Contract)|hereof)\b"
)


_DANGLING_OF = re.compile(r"(?:of|under|in)(?:\s+the)?")  # "Section 1.2 of" ending its line
_PAGE_NUMBER = re.compile(r"[ \t]*(?:-[ \t]*\d{1,3}[ \t]*-|\d{1,3}|[Pp]age[ \t]+\d{1,3})[ \t]*$")


def _across_page(doc_text: DocumentText, starts: list[int], body: str, end: int) -> str | None:
    """The instrument named at the top of the next page, for a reference that ends its page
    with "of" ("Section 1.2 of" [a legend, the page number] "the Securities Purchase
    Agreement"): up to three lines may stand between it and the page's end, which is a new
    page or, in an EDGAR text filing laid out as one PDF page, a page number alone on its
    line ("-12-")."""
    lines = doc_text.lines
    i = bisect.bisect_right(starts, end) - 1
    tail = body[end : lines[i].char_end].strip() if i >= 0 else "?"
    if tail and not _DANGLING_OF.fullmatch(tail):
        return None
    between = 0
    top: Line | None = None
    for j in range(i + 1, min(i + 6, len(lines))):
        line = lines[j]
        if line.is_margin:
            continue
        if line.page != lines[i].page:
            top = line
            break
        if _PAGE_NUMBER.fullmatch(body, line.char_start, line.char_end):
            top = next((ln for ln in lines[j + 1 : j + 4] if not ln.is_margin), None)
            break
        between += 1
    else:
        return None
    if top is None or between > 3 or (between and not tail):
        return None  # lines of running text stand between: not a page's foot
    joined = body[end : lines[i].char_end] + " " + body[top.char_start : top.char_start + 200]
    return instrument_after(joined, 0)


# "Section 365(n) of the Bankruptcy Code (“Section 365(n)”)": a term defined
_DEFINED = r"[^()\n]{{0,60}}?\(\s*[“\"]{}[”\"]\s*\)"


def _named_before(
    refs: list[CrossReference],
    external: list[ExternalReference],
    text: str = "",
    groups: Sequence[Sequence[int]] = (),
    ours: Set[int] = frozenset(),
) -> tuple[list[CrossReference], list[ExternalReference]]:
    """Both lists in document order, an unresolved reference moved to the external ones when
    another instrument's reference of its number came before it ("Section 365 of the
    Bankruptcy Code (“Section 365(n)”)", then "subject to Section 365(n)"), or defined it as a
    term anywhere in the text (the definitions list's "“Section 365(n)” has the meaning given
    in Section 4.5" comes first), or came earlier in its sentence ("Section 2 of the
    Non-Competition Agreement ... including Sections 5 and 6"). The items of one list or range
    (``groups``, by their starts) go together: "Sections 5 and 6" are one instrument's, 5 too
    though this document has a Section 5. A reference said to be this document's (``ours``:
    "Sections 4.1 and 4.2 of this Agreement") stays."""
    refs.sort(key=lambda r: r.char_start)
    external.sort(key=lambda r: r.char_start)
    seen: dict[str, tuple[int, str]] = {}  # label (and its base) -> where first seen, instrument
    for e in external:
        for label in (e.label, e.label.split("(", 1)[0]):
            seen.setdefault(label, (e.char_start, e.instrument))
        if text and re.match(
            _DEFINED.format(re.escape(e.text)), text[e.char_end : e.char_end + 120]
        ):
            seen[e.label] = (-1, e.instrument)  # a defined term: meant everywhere
    moved: dict[int, str] = {}  # a moved reference's start -> the instrument
    for r in refs:
        named = seen.get(r.label) or seen.get(r.label.split("(", 1)[0])
        if r.dangling and not (named and named[0] < r.char_start) and text:
            named = _in_sentence(text, r, external)
        if r.dangling and named and named[0] < r.char_start and r.char_start not in ours:
            moved[r.char_start] = named[1]
    for group in groups:
        instrument = next((moved[a] for a in group if a in moved), None)
        if instrument is not None:
            moved.update({a: instrument for a in group if a not in ours})
    kept: list[CrossReference] = []
    for r in refs:
        if r.char_start in moved:
            external.append(
                ExternalReference(
                    r.text, r.char_start, r.char_end, r.kind, r.label, moved[r.char_start]
                )
            )
        else:
            kept.append(r)
    return kept, sorted(external, key=lambda r: r.char_start)


def _in_sentence(
    text: str, ref: CrossReference, external: list[ExternalReference]
) -> tuple[int, str] | None:
    """The last external reference of ``ref``'s kind earlier in its sentence, if any."""
    start = sentence_start(text, ref.char_start)
    before = [e for e in external if start <= e.char_start < ref.char_start and e.kind == ref.kind]
    return (before[-1].char_start, before[-1].instrument) if before else None


def find_cross_references(
    doc_text: DocumentText, sections: Sequence[Section]
) -> list[CrossReference]:
    """Every cross-reference in document order, each resolved against the section tree."""
    return find_references(doc_text, sections)[0]


def find_external_references(
    doc_text: DocumentText, sections: Sequence[Section]
) -> list[ExternalReference]:
    """Every reference to another instrument, with the instrument named."""
    return find_references(doc_text, sections)[1]
