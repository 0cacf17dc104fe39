"""Headings and the numbering hierarchy: ARTICLE I, Section 5, 5., 5.2, (a), (i), Schedules.

Each line that opens with a clause number (or is a short heading line) starts a section.
Levels come from the kind of number: ``ARTICLE``/``Schedule`` first, then dotted numbers by
their depth, then the parenthesised kinds in the order the document first nests them.
Numbering that restarts or skips is tolerated: it only changes where parents are found.

A number alone on its line opens a section when a title line follows it, when the text
beside or below it starts a sentence (a left column of numbers: "1.44" then "“CSR
Notification Date” has the meaning ..."), or when another number follows (a column of
numbers the PDF reads apart from its text). A number without a full stop ("1 Definitions")
opens one when a title follows it and it is the next top-level number (not "35 West Wacker
Drive" in an address).

A table of contents, and a list of exhibits, is not the sections it lists
(``listings.py``). An exhibit's heading repeated atop its later pages is one exhibit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from westfall_legal.layout.bilingual import continues, without_translation
from westfall_legal.layout.listings import (
    ANNEX,
    VERBS,
    annex_lists,
    contents_ends,
    document_labels,
    phrase_lists,
    recital_lines,
)
from westfall_legal.layout.xref_numbers import roman_to_int
from westfall_legal.models import DocumentText, Line, Section

_ROMAN = r"[IVXLC]+"
_ARTICLE = re.compile(rf"^(?:ARTICLE|Article)\s+({_ROMAN}|\d+)\b[.:\s-]*(.*)$")
_SECTION_WORD = re.compile(r"^(?:SECTION|Section)\s+(\d+(?:\.\d+)*)\b[.:\s-]*(.*)$")
_PART = re.compile(r"^(?:PART|Part)\s+([A-Z]|[IVX]{1,5}|\d{1,2})\b[.:\s-]*(.*)$")
_DOTTED = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,4})([.,]?)\s+(\S.*)$")
# "1.DGT shall pay", "11.1.1.Igene or its Affiliates": no space after the number
_GLUED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.([A-Z].*)$")
_LONE_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,4})\.?$")  # "1." over its title line
_BARE_NUMBER = re.compile(r"^(\d{1,2})\s+(\S*[A-Za-z]{2}.*)$")  # "1 Definitions": no full stop
_OPENS_TEXT = re.compile(r"^[\"“‘'(]?[A-Z]")  # a sentence (or a defined term) starting
SAME_ROW = 3.0  # points: a number and its text side by side in two columns
_FILING_LABEL = re.compile(r"^Exhibit \d+\.\d+", re.IGNORECASE)  # EDGAR's "EXHIBIT 10.1"
_RUNS_ON = re.compile(  # a line that ends mid-sentence (not "...; and", a list going on)
    r"(?:(?<![;,])\s(?:and|or|AND|OR)|\b(?:of|the|in|to|under|with|by|per|Sections?|Articles?"
    r"|Clauses?|Schedules?|OF|THE|IN|TO|UNDER|WITH|BY))$"
)  # also in capitals: "MAINTENANCE FEES: ... SPECIFIED IN" / "EXHIBIT A"
# OCR specks: "_15.1 Governing Law", "audit. ,", a line that reads "Ca" under a paragraph.
_LEADING_SPECK = re.compile(r"^[-_–—.,·•'`~|]{1,2}\s*(?=\d)")
# It starts only where no earlier start could (not in a run of spaces, nor after a speck
# that follows one): tried from every space of a long run, it scanned to the run's end.
# Brackets are not specks: "dated as of [ ]." is a blank to fill in, and ends its sentence.
_TRAILING_SPECKS = re.compile(
    r"(?<!\s)(?<!\s[^\w\s\[\]])(?<!\s[^\w\s\[\]]{2})(?:\s+[^\w\s\[\]]{1,2})+$"
)
# After "Section 4": a reference's words go on ("of the Act", "(Definitions), Section 5").
_NOT_A_HEADING_REST = re.compile(r"^(?:[a-z]|\([A-Z][^()]{2,80}\)\s*+[,;])")
_PAREN = re.compile(r"^\(([a-z]{1,2}|[A-Z]{1,2}|\d{1,2}|[ivx]{1,6})\)\s+(\S.*)$")
_RULE = re.compile(r"^[-_=–—\s]{3,}+$")  # "------": an underline or a text table's rule
_ROMAN_HEADING = re.compile(r"^([IVX]{1,5})\.\s++(\S.*+)$")  # "I. DEFINITIONS"
_ROMAN_LOWER = re.compile(r"^[ivx]+$")

MAX_TITLE = 120
_NOTE = "["  # a line in brackets is a redaction or an editor's note, never a title
TITLE_WORDS = 10
WRAPPED_WORDS = 16  # a title over two lines, or one in capitals
SHORT_LINE = 0.25  # a line this much (of its block's width) short of the block's right edge


@dataclass(frozen=True, slots=True)
class Heading:
    """A numbered or titled line that starts a section."""

    kind: str  # "article", "annex", "dotted1".."dotted5", "paren-a", "paren-i", ...
    number: str | None
    title: str | None
    char_start: int
    page: int


_TITLE_END = re.compile(r"(?<![.\s][A-Z])(?<=[A-Za-z0-9\)\]])\.(?:\s|$)|:\s")  # "By D2."
_SMALL_WORDS = {
    "of", "and", "or", "to", "the", "for", "in", "on", "by", "a", "an", "with", "upon",
    "between", "from", "at", "as", "into", "this", "under", "outside", "within", "other",
    "its", "after", "before", "through", "against", "over",
}  # fmt: skip
SENTENCE_TITLE_WORDS = 5


def _title_from(rest: str, alone: bool = True) -> str | None:
    """The heading after a number: a short title-like phrase ("Term." or "TERMINATION").

    Without a full stop or colon after it, a mixed-case phrase is a title only when it is
    ``alone`` (its paragraph ends with the line): "5.1 Subject to the General Terms and" that
    runs on into the next line is a sentence. A phrase ending in a comma or semicolon is not
    a title. "U.S." does not end one. A translation after it (a bilingual heading's Chinese)
    is not part of it.
    """
    rest = without_translation(rest.strip())
    if not rest:
        return None
    parts = _TITLE_END.split(rest, maxsplit=1)
    head = parts[0].strip()
    words = head.split()
    most = WRAPPED_WORDS if head.isupper() else TITLE_WORDS  # capitals make a long title
    if not words or len(head) > MAX_TITLE or len(words) > most or head.endswith((",", ";")):
        return None
    if not any(c.isalpha() for c in head):
        return None  # "5. 6. Governing Law": a typo's second number is no title
    terminated = len(parts) > 1 or rest.endswith((".", ":"))
    if not (terminated or alone or _is_caps_heading(head)):
        return None
    # Sentence case only before a full stop: "Billing cycle: the cycle ..." defines a term.
    stopped = rest[len(parts[0])] == "." if len(parts) > 1 else rest.endswith(".")
    titled = all(map(_title_word, words)) or (stopped and _sentence_case_title(words))
    return head.rstrip(".") if titled else None


def _sentence_case_title(words: list[str]) -> bool:
    """A short title in sentence case, closed by its full stop: "Source Code delivery.",
    "Confidentiality and security." Not a short sentence ("Licensee shall pay.")."""
    return (
        len(words) <= SENTENCE_TITLE_WORDS
        and _title_word(words[0])
        and words[0].lower() not in _SMALL_WORDS
        and words[-1].lower() not in _SMALL_WORDS
        and all(w.isalpha() and w.lower() not in VERBS for w in words)
    )


def _title_word(word: str) -> bool:
    """Capitalised ("Term", "eDiets", "cGMPs"), not a word ("(A)", "$5"), or a small word."""
    return (
        word[0].isupper()
        or not word[0].isalpha()
        or word.lower() in _SMALL_WORDS
        or any(c.isupper() for c in word[1:3])
    )


def _wrapped_title(rest: str, nxt: str) -> str | None:
    """A title over two lines: "Retention of Capital Resources; Compensation; Sale" over
    "and Delivery of the Shares. Subject to the terms ...". The first line is all title
    words and runs to the block's edge; the next one's words down to the full stop are too,
    and a sentence starts after it."""
    first = rest.strip()
    if not first or _TITLE_END.search(first) or first.endswith((",", ";", ".")):
        return None
    parts = _TITLE_END.split(nxt.strip(), maxsplit=1)
    if len(parts) < 2 or not parts[0].strip() or not _OPENS_TEXT.match(parts[1].strip() or "A"):
        return None
    head = f"{first} {parts[0].strip()}"
    words = head.split()
    if len(words) > WRAPPED_WORDS or len(head) > MAX_TITLE or not all(map(_title_word, words)):
        return None
    return head


def _heading_rest(rest: str) -> bool:
    """After ``ARTICLE 4`` or ``Schedule 2``: nothing, a title, or capitals, not a sentence."""
    rest = rest.strip()
    return not rest or _title_from(rest) is not None or _is_caps_heading(rest)


def _paren_kind(label: str, previous_kind: str | None) -> str:
    if _ROMAN_LOWER.match(label) and (label != "i" or previous_kind != "paren-a-h"):
        return "paren-i"
    if label.isdigit():
        return "paren-1"
    if label.isupper():
        return "paren-A"
    return "paren-a"


def classify_line(text: str, previous_kind: str | None = None) -> tuple[str, str, str] | None:
    """(kind, number, rest-of-line) when ``text`` opens with a clause number."""
    text = text.strip()
    if m := _ARTICLE.match(text):
        return ("article", m.group(1), m.group(2)) if _heading_rest(m.group(2)) else None
    if m := ANNEX.match(text):
        if not _heading_rest(m.group(3)):
            return None  # "Schedule 2 unless ..." is a sentence that starts a line
        return "annex", f"{m.group(1).title()} {m.group(2)}", m.group(3)
    if m := _PART.match(text):
        return ("part", f"Part {m.group(1)}", m.group(2)) if _heading_rest(m.group(2)) else None
    if m := _SECTION_WORD.match(text):
        number = m.group(1)
        if _NOT_A_HEADING_REST.match(m.group(2)):
            return None  # "Section 1 (Definitions), Section 3 ..." in a list of references
        return f"dotted{number.count('.') + 1}", number, m.group(2)
    if m := _DOTTED.match(text):
        number, rest = m.group(1), m.group(3)
        if "." not in number and m.group(2) != ".":
            return None  # "5 days" and "5, 6" are not headings; "5." is, and OCR's "7.3," too
        if int(number.split(".")[0]) > 200:
            return None
        return f"dotted{number.count('.') + 1}", number, rest
    if m := _GLUED.match(text):
        return f"dotted{m.group(1).count('.') + 1}", m.group(1), m.group(2)
    if m := _PAREN.match(text):
        label = m.group(1)
        return _paren_kind(label, previous_kind), f"({label})", m.group(2)
    return None


def _is_caps_heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return (
        len(letters) >= 3
        and len(text) <= 80
        and all(c.isupper() for c in letters)
        and not text.rstrip().endswith((",", ";"))
    )


def _title_line(text: str) -> bool:
    """A line that is only a heading's title: capitals, or a short Title Case phrase."""
    text = text.strip()
    if text.startswith(_NOTE):
        return False  # a redaction ("[***]", OCR'd "[Cecmeeessl") or a note ("[Omitted]")
    if not any(c.isalpha() for c in text) or classify_line(text) is not None:
        return False  # "6.1" under "6." is the next number, not its title
    if _is_caps_heading(text):
        return True
    title = _title_from(text)
    return title is not None and title == text.rstrip(".") and len(text.split()) <= 8


def _is_speck(doc_text: DocumentText, line: Line, text: str) -> bool:
    """An OCR'd line of at most two letters ("Ca", "-"): dust on the scan, not text."""
    if len(list(islice(filter(str.isalnum, text), 3))) > 2 or any(c.isdigit() for c in text):
        return False
    return any(t.conf is not None for t in doc_text.tokens_in(line.char_start, line.char_end))


def _may_open_heading(prev: str | None, prev_is_heading: bool, same_block: bool) -> bool:
    """Whether a numbered line may start a section, given the body line before it.

    A line that opens a block may, unless the sentence before it runs on into it (a
    paragraph broken by a page: "... terminated by Customer under Section" / "14.1 or ...").
    A line inside a block may when the line before it ended a sentence or was a heading
    itself ("... of this Agreement." / "2. Term. The term ..." run in).
    """
    if prev is None:
        return True
    before = _TRAILING_SPECKS.sub("", prev.rstrip()).rstrip('"”’)')
    if not same_block:
        return not _RUNS_ON.search(before)
    if before.endswith((".", ":", ";")):
        return True
    words = before.split()
    return prev_is_heading and not _RUNS_ON.search(before) and not words[-1].islower()


def _short_lines(lines: list[Line]) -> set[int]:
    """Lines that stop well short of their block's right edge: the last line of a paragraph,
    an address line. A numbered line after one may open a section even without a full stop
    before it ("Sunwai Technology" / "15. GENERAL")."""
    right: dict[int, float] = {}
    left: dict[int, float] = {}
    for ln in lines:
        right[ln.block] = max(right.get(ln.block, 0.0), ln.box[2])
        left[ln.block] = min(left.get(ln.block, ln.box[0]), ln.box[0])
    return {
        i
        for i, ln in enumerate(lines)
        if right[ln.block] > left[ln.block]
        and ln.box[2] < right[ln.block] - SHORT_LINE * (right[ln.block] - left[ln.block])
    }


def _bare_title(text: str) -> bool:
    """A title after a number without a full stop: Title Case, a dozen words at most."""
    text = text.strip()
    title = _title_from(text)
    return title is not None and title == text.rstrip(".") and len(text.split()) <= 12


def _numbered_column(texts: list[str], i: int) -> bool:
    """Whether line ``i`` is in a run of lone numbers with a sub-number among them ("6.",
    "6.1", "6.2": section numbers read apart from their text), not a list "1.", "2.", "3."."""
    first = last = i
    while first > 0 and _LONE_NUMBER.match(texts[first - 1]):
        first -= 1
    while last + 1 < len(texts) and _LONE_NUMBER.match(texts[last + 1]):
        last += 1
    return any("." in t.rstrip(".") for t in texts[first : last + 1])


def _lone_number_heads(lines: list[Line], texts: list[str], i: int, follows: bool) -> bool:
    """Whether the number alone on line ``i`` heads what follows it: a title, a sentence to
    its right or below it on the same page, or another number of a column of numbers. A
    sentence below at the number's own left edge counts when the number ``follows`` the
    numbering (a bilingual heading whose other script the text layer lost: "2.2.2")."""
    if i + 1 >= len(lines) or lines[i + 1].page != lines[i].page:
        return False
    line, nxt, below = lines[i], lines[i + 1], texts[i + 1]
    if _title_line(below):
        return True
    if _LONE_NUMBER.match(below) and "." in below:
        return _numbered_column(texts, i)
    if abs(nxt.box[1] - line.box[1]) <= SAME_ROW and nxt.box[0] > line.box[2]:
        return True  # the text on the same row, right of the number: a column of numbers
    indented = nxt.box[0] > line.box[0] or (follows and nxt.box[0] >= line.box[0] - SAME_ROW)
    return indented and bool(_OPENS_TEXT.match(below))


def find_headings(doc_text: DocumentText) -> list[Heading]:
    headings: list[Heading] = []
    contents = contents_ends(doc_text)
    previous_kind: str | None = None
    lines = [ln for ln in doc_text.lines if not (ln.is_margin or ln.in_table)]
    texts = [
        _LEADING_SPECK.sub("", doc_text.text[ln.char_start : ln.char_end].strip()).replace(
            "\u037e",
            ";",  # the Greek question mark that some PDFs have for a semicolon
        )
        for ln in lines
    ]
    # A speck that OCR read as a short line is not the line before a heading, nor is a
    # rule of dashes (a heading's underline) the line after its title.
    kept = [
        (ln, t)
        for ln, t in zip(lines, texts, strict=True)
        if not (_is_speck(doc_text, ln, t) or _RULE.match(t))
    ]
    lines, texts = [ln for ln, _ in kept], [t for _, t in kept]
    short = _short_lines(lines)
    listed = annex_lists(lines, texts, contents) | document_labels(lines, texts)
    listed |= phrase_lists(lines, texts)
    recitals = recital_lines(lines, texts)
    last_annex: str | None = None  # the exhibit open with nothing numbered after its heading
    heading_lines: set[int] = set()
    last_top = 0  # the last top-level number ("4." or "4 Term"), for a bare "5 Price"
    last_dotted: tuple[int, ...] = ()  # the last dotted number, for a lone "2.2.2"
    last_article = 0  # for "II. LICENSE" and "Article 2 it will ..." that continue the series
    for i, line in enumerate(lines):
        if i in heading_lines or i in listed or line.char_start < contents.get(line.page, -1):
            continue  # the title line of the heading above; a line of the contents
        text = texts[i]
        same_block = i > 0 and lines[i - 1].block == line.block
        prev = texts[i - 1] if i else None
        if not (
            _may_open_heading(prev, i - 1 in heading_lines, same_block)
            or (same_block and i - 1 in short and prev is not None and not _RUNS_ON.search(prev))
        ):
            continue
        nxt = texts[i + 1] if i + 1 < len(lines) else ""
        alone = i + 1 >= len(lines) or lines[i + 1].block != line.block
        found = classify_line(text, previous_kind)
        lone = found is None and (m := _LONE_NUMBER.match(text)) is not None and "." in text
        if lone and m and _lone_number_heads(lines, texts, i, continues(m.group(1), last_dotted)):
            found = (f"dotted{m.group(1).count('.') + 1}", m.group(1), "")
        elif (
            found is None
            and (b := _BARE_NUMBER.match(text))
            and int(b.group(1)) == last_top + 1
            and _bare_title(b.group(2))
        ):
            found = ("dotted1", b.group(1), b.group(2))
        elif (
            found is None
            and (r := _ROMAN_HEADING.match(text))
            and _is_caps_heading(r.group(2))
            and roman_to_int(r.group(1)) == last_article + 1
        ):
            found = ("article", r.group(1), r.group(2))  # "I. DEFINITIONS", "II. LICENSE"
        elif (
            found is None
            and (a := _ARTICLE.match(text))
            and a.group(1).isdigit()
            and int(a.group(1)) == last_article + 1
        ):
            found = ("article", a.group(1), a.group(2))  # "Article 2 it will operate ..."
        if found:
            kind, number, rest = found
            if kind == "article" and number:
                last_article = int(number) if number.isdigit() else roman_to_int(number) or 0
            elif kind == "annex":
                last_article = 0  # an appendix numbers its own articles from 1
            if kind == "annex" and i < 3 and _FILING_LABEL.match(text):
                continue  # the filing's exhibit number above the contract, not a schedule
            if kind == "annex" and number == last_annex:
                continue  # "EXHIBIT A" again atop the exhibit's next page, or under its cover
            last_annex = number if kind == "annex" else None
            if kind == "paren-a" and number == "(h)":
                kind = "paren-a-h"  # so that a following (i) reads as a letter
            # A heading line that stops short of the block's right edge ends its title there.
            title = _title_from(rest, alone or i in short or classify_line(nxt) is not None)
            if title is None and not (alone or i in short):
                title = _wrapped_title(rest, nxt)
            if i in recitals and kind == "dotted1" and title is None:
                continue  # a numbered recital: "WHEREAS" / "1. Party A is a company ..."
            j = i + 1
            if kind.startswith("dotted") and number and number.split(".")[0].isdigit():
                last_top = int(number.split(".")[0])  # "3.1" says section 3 has begun
                if number.replace(".", "").isdigit():
                    last_dotted = tuple(int(p) for p in number.split(".") if p)
            elif kind == "annex":
                last_top, last_dotted = 0, ()  # numbering restarts inside a schedule
            if not rest.strip() and not _title_line(nxt) and not _LONE_NUMBER.match(nxt):
                if classify_line(nxt) is None and not nxt.startswith(_NOTE):
                    title = _title_from(nxt, alone=False)  # "1.1" beside "Term. This ..."
            elif not rest.strip() and _title_line(nxt):
                title = nxt.strip().rstrip(".")  # "ARTICLE 1" over "DEFINITIONS"
                heading_lines.add(j)
                while title.casefold() in _SMALL_WORDS and j + 1 < len(lines):
                    j += 1  # "EXHIBIT A" / "TO" / "SUPPLY AGREEMENT"
                    title = f"{title} {texts[j].rstrip('.')}"
                    heading_lines.add(j)
            headings.append(Heading(kind, number, title, line.char_start, line.page))
            previous_kind = kind
            heading_lines.add(i)
        elif not same_block and _is_caps_heading(text):
            headings.append(Heading("caps", None, text, line.char_start, line.page))
            heading_lines.add(i)
    return headings


def _kind_levels(headings: list[Heading]) -> dict[str, int]:
    """Rank per numbering kind: the kinds present, in canonical then first-seen order (Parts
    and Articles in the order the document first uses them)."""
    tops = [k for k in dict.fromkeys(h.kind for h in headings) if k in ("article", "part")]
    canonical = [*tops, "dotted1", "dotted2", "dotted3", "dotted4", "dotted5"]
    present = {h.kind.replace("paren-a-h", "paren-a") for h in headings}
    ranked = [k for k in canonical if k in present]
    for h in headings:
        kind = h.kind.replace("paren-a-h", "paren-a")
        if kind.startswith("paren") and kind not in ranked:
            ranked.append(kind)
    levels = {kind: i + 1 for i, kind in enumerate(ranked)}
    kinds = [h.kind for h in headings]
    if levels.get("part") == 1 and "annex" in kinds and kinds.index("annex") < kinds.index("part"):
        levels = {kind: level + 1 for kind, level in levels.items()}  # Parts of a Schedule
    levels["annex"] = 1
    levels["paren-a-h"] = levels.get("paren-a", 1)
    return levels


def build_sections(doc_text: DocumentText) -> list[Section]:
    """A flat list of sections in document order with parents and levels (depth in the tree).

    The kind of number ranks a heading; it nests under the nearest open heading of a higher
    rank, so a numbering that skips a rank (1.1 straight under ARTICLE 1) does not leave a
    level empty. After a schedule or exhibit heading, numbered headings nest under it (the
    exhibit's own "1.", "2." when the numbering restarts there).
    """
    headings = find_headings(doc_text)
    levels = _kind_levels(headings)
    placed: list[tuple[Heading, int, str | None]] = []  # heading, level, parent id
    stack: list[tuple[int, str]] = []  # (level, id) of the open ancestors
    in_annex = False  # after a schedule's heading, its own numbering nests under it
    for index, h in enumerate(headings):
        in_annex = in_annex or h.kind == "annex"
        level = (stack[-1][0] + 1 if stack else 1) if h.kind == "caps" else levels[h.kind]
        if in_annex and h.kind not in ("annex", "caps"):
            level += 1
        while stack and stack[-1][0] >= level:
            stack.pop()
        placed.append((h, level, stack[-1][1] if stack else None))
        stack.append((level, f"s{index + 1}"))
    sections: list[Section] = []
    depth: dict[str, int] = {}
    for index, (h, level, parent) in enumerate(placed):
        depth[f"s{index + 1}"] = depth[parent] + 1 if parent else 1  # parents come first
        # A section runs to the next heading at its own level or above.
        end = next(
            (later.char_start for later, lv, _ in placed[index + 1 :] if lv <= level),
            len(doc_text.text),
        )
        sid = f"s{index + 1}"
        sections.append(
            Section(sid, h.number, h.title, depth[sid], parent, h.char_start, end, h.page)
        )
    return sections
