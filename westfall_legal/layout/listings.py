"""Lines that list sections rather than head them: a table of contents, a list of exhibits.

A table of contents: on a page with several page numbers down its right side (or dot
leaders ending in one), not all the same (a column of 0s in a table), the lines down to the
last of them. A list of exhibits: two or more
exhibit, schedule or appendix lines in a row, under a line that introduces them ("EXHIBITS",
"List of Appendices:", "The following Schedules are attached:") or straight after a table of
contents (the appendices a contents page lists after its last page number). And the
exhibit lines at the very top of the first page label the document itself (the filing's
"EXHIBIT 10(l)", the agreement's own "EXHIBIT II" of a larger one), not one of its exhibits.
Numbered recitals ("WHEREAS" over "1. Party A is a company ...") run from the recitals'
heading to the operative words ("NOW, THEREFORE", "agree as follows"). A list of phrases
numbered from 1 under a colon ("the following Sites:" / "1. CNET.COM") is not sections.
"""

from __future__ import annotations

import re

from westfall_legal.models import DocumentText, Line

ANNEX = re.compile(
    r"^(SCHEDULE|Schedule|EXHIBIT|Exhibit|ANNEX|Annex|APPENDIX|Appendix)\s+([A-Z0-9]{1,4}(?:[.-]\d+)?)\b[.:\s-]*(.*)$"
)
_LIST_INTRO = re.compile(
    r"^(?:list of |the following )?+(?:exhibits|schedules|appendices|annexes|attachments)\b"
    r"[^.]{0,60}+$",
    re.IGNORECASE,
)
_RECITALS = re.compile(
    r"^(?:WHEREAS|RECITALS|BACKGROUND|PRELIMINARY STATEMENTS?)\s*+[:.]?$", re.IGNORECASE
)
_OPERATIVE = re.compile(r"^NOW,?\s++THEREFORE|\bagree(?:s|d)?\s++as\s++follows", re.IGNORECASE)
_RECITAL_NUMBER = re.compile(r"^(?:\d{1,2}\.|\(\w{1,3}\)|[A-Z]\.)\s")  # "1. ", "(2) ", "C. "
MAX_RECITALS = 60
_ASIDE = re.compile(r"\([^()]*+\)?")  # "(which may be ...)": not the item's own verb
_ITEM = re.compile(
    r"^(\d{1,2})[.)]-?\s"
)  # "1. ", "2) ", OCR's "3.- "  # lines: recitals this long are not recitals
# Words that make a short phrase a sentence, not a title ("The Company agrees.").
VERBS = {
    "shall", "will", "may", "must", "is", "are", "was", "were", "be", "has", "have", "had",
    "agrees", "agree", "does", "do", "can", "should", "would", "not", "hereby", "means",
}  # fmt: skip
_PAGE_REF = re.compile(r"^(?:\d{1,3}|[ivxlc]{1,5}|[A-Z]-\d{1,2})$")  # "12", "iv", "A-1"
# "Definitions . . . . 1"; a match starts only at the first dot of a run (linear on a page of dots)
_LEADERS = re.compile(r"(?<!\.)(?<!\.\s)(?:\.\s?+){4,}+\s*+\d{1,3}$")
CONTENTS_REFS = 4  # page numbers down the right side that make a page a table of contents
RIGHT_SIDE = 0.7  # of the page's text width


def contents_ends(doc_text: DocumentText) -> dict[int, int]:
    """Per page of a table of contents, where it ends: the end of its last page number."""
    pages: dict[int, list[Line]] = {}
    for ln in doc_text.lines:
        pages.setdefault(ln.page, []).append(ln)
    ends: dict[int, int] = {}
    for page, lines in pages.items():
        left = min(ln.box[0] for ln in lines)
        right = max(ln.box[2] for ln in lines)
        refs = [
            ln
            for ln in lines
            if (t := doc_text.text[ln.char_start : ln.char_end].strip())
            and (
                (_PAGE_REF.match(t) and ln.box[0] > left + RIGHT_SIDE * (right - left))
                or _LEADERS.search(t)
            )
        ]
        words = {doc_text.text[ln.char_start : ln.char_end].split()[-1] for ln in refs}
        if len(refs) >= CONTENTS_REFS and len(words) > 1:  # not a column of 0s in a table
            ends[page] = max(ln.char_end for ln in refs)
    return ends


def annex_lists(lines: list[Line], texts: list[str], contents: dict[int, int]) -> set[int]:
    """Indices of the lines that list exhibits: a run of two or more exhibit lines on one page
    after a line introducing them, or after the end of the page's table of contents."""
    listed: set[int] = set()
    i = 1
    while i < len(lines):
        end = i
        while end < len(lines) and lines[end].page == lines[i].page and ANNEX.match(texts[end]):
            end += 1
        before = lines[i - 1]
        introduced = bool(_LIST_INTRO.match(texts[i - 1].strip())) or (
            before.page == lines[i].page and before.char_start < contents.get(before.page, -1)
        )
        if end - i >= 2 and introduced:
            listed.update(range(i, end))
        i = max(end, i + 1)
    return listed


def document_labels(lines: list[Line], texts: list[str]) -> set[int]:
    """Indices of the exhibit lines above all other text of the first page."""
    first = (
        sorted((ln.box[1], i) for i, ln in enumerate(lines) if ln.page == lines[0].page)
        if lines
        else []
    )
    labels: set[int] = set()
    for _, i in first:
        if not ANNEX.match(texts[i]):
            break
        labels.add(i)
    return labels


def recital_lines(lines: list[Line], texts: list[str]) -> set[int]:
    """Indices of the lines under a recitals heading: its numbered paragraphs, down to the
    first paragraph that is not one (the operative words, "NOW, THEREFORE, ...")."""
    inside: set[int] = set()
    for i, text in enumerate(texts):
        if not _RECITALS.match(text.strip()):
            continue
        for j in range(i + 1, min(i + 1 + MAX_RECITALS, len(texts))):
            opens = lines[j].block != lines[j - 1].block
            if _OPERATIVE.search(texts[j]) or (opens and not _RECITAL_NUMBER.match(texts[j])):
                break
            inside.add(j)
    return inside


def phrase_lists(lines: list[Line], texts: list[str]) -> set[int]:
    """Indices of the items of a numbered list of phrases under a colon: "... on each of the
    following Sites:" over "1. CNET.COM (impressions per month)", "2. SEARCH.COM". Two or more
    items numbered from 1, none a sentence (a verb like "is" or "shall" on its numbered line
    outside brackets, or a full stop or a semicolon ending one of its lines); an item runs on
    in its block (an "Economic Terms" table's value column too)."""
    listed: set[int] = set()
    for i in range(1, len(texts)):
        if not texts[i - 1].rstrip().endswith(":") or not (m := _ITEM.match(texts[i])):
            continue
        if m.group(1) != "1":
            continue
        items: list[int] = []
        j, want, phrases = i, 1, True
        while j < len(texts) and (m := _ITEM.match(texts[j])) and int(m.group(1)) == want:
            items.append(j)
            end = j + 1
            while (
                end < len(texts)
                and lines[end].block == lines[j].block
                and not _ITEM.match(texts[end])
            ):
                end += 1
            words = {w.lower() for w in _ASIDE.sub(" ", texts[j]).split()}
            phrases = phrases and not (
                words & VERBS or any(t.rstrip().endswith((".", ";")) for t in texts[j:end])
            )
            j, want = end, want + 1
        if len(items) >= 2 and phrases:
            listed.update(items)
    return listed
