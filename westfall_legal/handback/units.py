"""The clauses two versions are compared by: each section's own text, paragraph by
paragraph, normalised so that a PDF and a Word file of one contract read alike (see
:mod:`westfall_legal.handback.compare` for what is done with them)."""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from westfall_legal.models import DocumentText, Review, Section

PREAMBLE = "preamble"

_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00ad": ""})
# The number or letter a paragraph opens with: "ARTICLE IV", "Section 5.2.", "12.2", "(a)",
# "B.", "iv)", after a speck or two an OCR may read before it ("_7.1"), a Roman number as
# OCR misreads it ("ARTICLE Il", "ARTICLE TT") (bounded, anchored: linear).
_ENUMERATOR = re.compile(
    r"^(?:[_|~]{1,2}\s?)?(?:(?:ARTICLE|Article|SECTION|Section|SCHEDULE|Schedule|EXHIBIT|Exhibit|§)\s*"
    r"(?:\d{1,3}(?:\.\d{1,3}){0,4}|[IVXLC]{1,7}|[IVXLCTl1|!]{1,4})\.?|\d{1,3}(?:\.\d{1,3}){0,4}\.?"
    r"|[IVXLC]{1,7}\.|\(?[A-Za-z0-9]{1,4}\)|[A-Za-z]\.)(?:\s+|$)"
)
# The same where a paragraph runs on from one that ends no sentence: only a marked number
# ("2.", "2.1", "(c)", "B."), not a bare one ("Schedule 2" cut by a page break before "2").
_LISTED = re.compile(
    r"^(?:\d{1,3}(?:\.\d{1,3}){0,4}\.|\d{1,3}(?:\.\d{1,3}){1,4}|\(?[A-Za-z0-9]{1,4}\)|[A-Za-z]\.)(?:\s+|$)"
)
_PAGE_NUMBER = re.compile(r"^(?:Page )?-? ?\d{1,4} ?-?$")  # a paragraph of a page number alone
_ENDS = re.compile(r"[.;:!?][\"')\]]*$")  # a paragraph that ends a sentence
_BROKEN = re.compile(r"[A-Za-z]-$")  # a compound word broken at its hyphen by a line end


@dataclass(frozen=True, slots=True)
class Unit:
    """A clause as compared: a section's own text, or the preamble."""

    key: str  # the section id, or "preamble"
    number: str | None
    title: str | None
    path: str  # the number with its parents' where it needs them: "12.2(a)"
    char_start: int
    char_end: int
    text: str  # normalised, with its number
    words: tuple[str, ...]  # the words compared (the number left out)
    part: int = 1  # the section's paragraph it is: 1 holds the number
    ocr: bool = False  # some of it is on a page read by OCR

    @property
    def label(self) -> str:
        """How a lawyer names it: "12.2 Limitation of Liability", "RECITALS", "preamble",
        "16.11 Publicity (paragraph 2)"."""
        more = f" (paragraph {self.part})" if self.part > 1 else ""
        if self.key.startswith(PREAMBLE):
            return PREAMBLE + more
        number = self.path.split("¶")[0] if self.number else None
        name = " ".join(p for p in (number, self.title) if p)
        return (name or f"the paragraph at character {self.char_start}") + more


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_PLAIN).split())


Para = tuple[int, int, str, tuple[str, ...]]  # start, end, text, the words compared


# -- units -----------------------------------------------------------------------------------
def units(review: Review) -> list[Unit]:
    """The clauses of ``review`` as compared, in document order: each section's own text,
    paragraph by paragraph (see :func:`paragraphs`)."""
    doc = review.doc_text
    sections = sorted(review.sections, key=lambda s: (s.char_start, s.level))
    by_id = {s.id: s for s in sections}
    first_child: dict[str, int] = {}
    for s in sections:
        if s.parent is not None and s.parent not in first_child:
            first_child[s.parent] = s.char_start
    start = sections[0].char_start if sections else len(doc.text)
    starts = [line.char_start for line in doc.lines]
    out = _units(paragraphs(doc, starts, 0, start), PREAMBLE, None, None, PREAMBLE)
    for s in sections:
        end = min(first_child.get(s.id, s.char_end), s.char_end)
        found = paragraphs(doc, starts, s.char_start, end)
        out += _units(found, s.id, s.number, s.title, _path(s, by_id))
    if doc.source != "pages":
        return out
    out = _page_runs(out, _page_tops(doc))
    read = {p.number for p in review.document.pages if p.source == "ocr"}
    if not read:
        return out
    pages = [line.page for line in doc.lines]
    return [dataclasses.replace(u, ocr=_read_by_ocr(starts, pages, read, u)) for u in out]


def _read_by_ocr(starts: Sequence[int], pages: Sequence[int], read: set[int], unit: Unit) -> bool:
    """Whether a line of ``unit`` is on a page read by OCR (``starts``, ``pages``: the
    lines')."""
    first = max(bisect.bisect_right(starts, unit.char_start) - 1, 0)
    last = bisect.bisect_left(starts, unit.char_end)
    return any(page in read for page in pages[first : max(last, first + 1)])


def _page_tops(doc: DocumentText) -> set[int]:
    """Where each page's text starts (its first line that is not a running head)."""
    tops, page = set(), None
    for line in doc.lines:
        if not line.is_margin and line.page != page:
            tops.add(line.char_start)
            page = line.page
    return tops


def _page_runs(found: list[Unit], tops: set[int]) -> list[Unit]:
    """A section that starts a page after text that ends no sentence is that text going on
    ("... IN THE EVENT OF A BREACH OF" / "SECTION 11, NEITHER PARTY ..." read as a heading
    at the top of the next page): it runs on into the clause before it."""
    out: list[Unit] = []
    for u in found:
        if out and u.part == 1 and u.char_start in tops and not _ENDS.search(out[-1].text):
            last = out[-1]
            text = join_lines([last.text, u.text])
            out[-1] = dataclasses.replace(last, char_end=u.char_end, text=text,
                                          words=last.words + u.words)  # fmt: skip
        else:
            out.append(u)
    return out


def _units(
    found: list[Para], key: str, number: str | None, title: str | None, path: str
) -> list[Unit]:
    """A section's paragraphs as units: the first with the section's number, the others
    as its paragraphs 2, 3, ..."""
    out = []
    for n, (start, end, text, words) in enumerate(found, 1):
        own_key, own_path = (key, path) if n == 1 else (f"{key}.p{n}", f"{path}¶{n}")
        out.append(Unit(own_key, number, title, own_path, start, end, text, words, n))
    return out


def _path(section: Section, by_id: dict[str, Section]) -> str:
    """ "12.2(a)" for an "(a)" under 12.2; a number that stands alone as it is; the title
    when there is no number."""
    if section.number is None:
        return section.title or ""
    parts = [section.number]
    parent = by_id.get(section.parent or "")
    while parts[0].startswith("(") and parent is not None and parent.number:
        parts.insert(0, parent.number)
        parent = by_id.get(parent.parent or "")
    return "".join(parts)


def paragraphs(doc: DocumentText, starts: Sequence[int], start: int, end: int) -> list[Para]:
    """The paragraphs of ``[start, end)`` (``starts``: the lines' starts) as (start, end,
    normalised text, its words), margin lines and lone page numbers left out. The words
    compared leave out the number or letter each paragraph opens with ("ARTICLE 3", "12.2",
    "(a)", "B."), so that renumbering changes no clause. A paragraph that ends no sentence
    (a heading's "ARTICLE 3" line, a paragraph cut by a page break) runs on into the next,
    so that a PDF's blocks and a draft's paragraphs make the same units."""
    if not doc.lines:
        text = normalise(doc.text[start:end])
        return [(start, end, text, _words(text, _ENUMERATOR))] if text else []
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    groups: list[list[tuple[int, int]]] = []
    key: tuple[int, int] | None = None
    for line in doc.lines[first:]:
        if line.char_start >= end:
            break
        if line.char_end <= start or line.is_margin:
            continue
        span = (max(line.char_start, start), min(line.char_end, end))
        if groups and (line.page, line.block) == key:
            groups[-1].append(span)
        else:
            groups.append([span])
        key = (line.page, line.block)
    out: list[Para] = []
    for group in groups:
        text = normalise(join_lines([doc.text[a:b] for a, b in group]))
        if not text or _PAGE_NUMBER.match(text):
            continue
        if out and not _ENDS.search(out[-1][2]):
            last = out[-1]
            words, more = last[3], _words(text, _LISTED)
            if words and more and _BROKEN.search(words[-1]) and more[0][:1].isalpha():
                words, more = words[:-1], (words[-1] + more[0], *more[1:])  # "Co-" "Branded"
            words += more
            out[-1] = (last[0], group[-1][1], join_lines([last[2], text]), words)
        else:
            out.append((group[0][0], group[-1][1], text, _words(text, _ENUMERATOR)))
    return out


def _words(text: str, enumerator: re.Pattern[str]) -> tuple[str, ...]:
    return tuple(enumerator.sub("", text, count=1).split())


def join_lines(lines: Sequence[str]) -> str:
    """Lines joined by spaces; a compound word broken at its hyphen by a line end ("non-"
    on one line, "payment" on the next) joined again."""
    pieces: list[str] = []
    for line in (line.strip() for line in lines):
        if pieces and _BROKEN.search(pieces[-1]) and line[:1].isalpha():
            pieces[-1] += line
        elif line:
            pieces.append(line)
    return " ".join(pieces)
