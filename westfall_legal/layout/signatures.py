"""Signature blocks: the ``By: / Name: / Title: / Date:`` groups after "IN WITNESS WHEREOF".

Each block starts at a ``By:`` line (or, without one, at a ``Name:`` line right under a
signature line of underscores or a conformed ``/s/`` signature) and takes the labelled lines
that follow it. Its party is the company-name line just above it (stepping over a role
label such as ``PROVIDER:``), else that role label, else the party named on the ``By:`` line.

Status from the text: ``signed`` when a conformed signature (``/s/ Jane Doe``, as on EDGAR
filings) or a name follows ``By:``, ``unsigned`` when the signature line is only
underscores. A ``By:`` with nothing after it (a born-digital filing draws its rule as a
line, not as text) is ``unsigned`` when nobody is typed under it either and it stands in
the agreement's execution part: after an "IN WITNESS WHEREOF" (or "Signatures:", "intending
to be legally bound") with no exhibit or schedule heading between, so blank forms of notice
in the exhibits stay ``unknown``; so does a blank line over a typed name. Measured on 30
hand-labelled CUAD filings (``benchmarks/structure_findings.py``). A signature pasted as an
image on a born-digital page is not seen by this rule. On a scanned page the ink decides
(unless a conformed signature is typed there): the signature area (the line after ``By:``
and a line's height above it, where a signature rises) is looked at in the page's ink map,
which ingest made at OCR time with ruling lines taken out; ink that no confidently read word
explains makes the block ``signed``, next to none ``unsigned``, a little (dust, a stray
mark) ``unknown``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from westfall_legal.layout.columns import MIN_LABELS, column_sides, reading_order
from westfall_legal.layout.spans import body_lines, line_text
from westfall_legal.models import (
    Box,
    DocumentText,
    InkMap,
    Line,
    SignatureBlock,
    SignatureStatus,
)

_LABEL = re.compile(r"^\s*(By|Name|Title|Its|Date|Dated)\s*(?::\s*(.*)|$)", re.IGNORECASE)
_BY = re.compile(r"\bBy\s*:", re.IGNORECASE)  # a second block's label on the same line
_BLANK = re.compile(r"^[_\s.\-–—]*$")
_UNDERSCORES = re.compile(r"^\s*_{3,}\s*$")
_CONFORMED = re.compile(r"/s/\s*(.+)", re.IGNORECASE)
_ROLE = re.compile(r"^\s*([A-Z][A-Za-z ,&'-]{1,40}):\s*(.*)$")
_COMPANY = re.compile(
    r"\b(?:Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|Company|Co|LLP|LP|L\.P|"
    r"plc|GmbH|AG|S\.A|N\.V|B\.V|PLC)\b\.?",
    re.IGNORECASE,
)
WITNESS = re.compile(r"IN\s+WITNESS\s+WHEREOF", re.IGNORECASE)
_EXECUTION = re.compile(
    r"IN\s+WITNESS\s+WHEREOF|^\s*Signatures?\s*:|intending\s+to\s+be\s+legally\s+bound",
    re.IGNORECASE,
)
_ATTACHMENT = re.compile(
    r"^\s*(?:EXHIBIT|SCHEDULE|APPENDIX|ANNEX|ATTACHMENT)\s+[A-Z0-9][\w.\-]*\b", re.IGNORECASE
)
ATTACHMENT_HEADING = 80  # characters: a longer line starting "Schedule 1" is running text
MAX_PARTY_LOOKBACK = 4  # lines above "By:" searched for the party
# The ink check on scans, in the ink map's pixels (150 dpi): a pen signature leaves
# thousands; a blank line on the sample scan, after its rule is taken out, 7 (dust).
SIGNED_INK = 120
BLANK_INK = 40
SIGNATURE_WIDTH = 220.0  # pt after "By:" looked at when the line itself is shorter
RISE = 1.2  # line heights above the signature line looked at (a signature rises over it)
EXPLAINED_CONF = 50.0  # a word read at least this surely is text, not a signature


def _label(doc_text: DocumentText, line: Line) -> tuple[str, str] | None:
    m = _LABEL.match(line_text(doc_text, line))
    return (m.group(1).lower(), (m.group(2) or "").strip()) if m else None


def _value(text: str) -> str | None:
    """A label's value, or None when it is blank (underscores only); OCR specks trimmed."""
    return None if _BLANK.match(text) else text.lstrip(" .,;:'`-_")


def _status(by_value: str, block_text: str, typed_name: bool, executed: bool) -> SignatureStatus:
    if _CONFORMED.search(block_text):
        return "signed"
    by_value = _BY.sub("", by_value)  # "By:____  By:____": two blocks side by side
    if _BLANK.match(by_value):
        if "_" in by_value:
            return "unsigned"
        return "unsigned" if executed and not typed_name else "unknown"
    return "signed"


def _execution_part(doc_text: DocumentText, lines: Sequence[Line]) -> list[bool]:
    """Per line: whether it stands in an execution part (an "IN WITNESS WHEREOF" above it,
    and no exhibit or schedule heading since)."""
    inside, out = False, []
    for line in lines:
        text = line_text(doc_text, line)
        if _EXECUTION.search(text):
            inside = True
        elif len(text.strip()) <= ATTACHMENT_HEADING and _ATTACHMENT.match(text):
            inside = False
        out.append(inside)
    return out


def _is_company(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    caps = len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.8
    return bool(_COMPANY.search(text)) or (caps and not text.rstrip().endswith(":"))


def _party(doc_text: DocumentText, above: Sequence[Line]) -> str | None:
    """The company name (or role) in the few lines above the block, nearest first."""
    role = None
    for line in reversed(above[-MAX_PARTY_LOOKBACK:]):
        text = line_text(doc_text, line).strip()
        if _LABEL.match(text) or WITNESS.search(text):
            break
        if m := _ROLE.match(text):
            if m.group(2) and _is_company(m.group(2)):
                return m.group(2).strip()
            role = role or m.group(1).strip()
        elif _is_company(text):
            return text.rstrip(",")
        elif text.endswith("."):
            break  # the end of a paragraph of running text
    return role


def _box(doc_text: DocumentText, start: int, end: int) -> Box | None:
    return _union([t.box for t in doc_text.tokens_in(start, end)])


def _starts(doc_text: DocumentText, lines: Sequence[Line]) -> list[int]:
    """Indexes of the lines that open a block: ``By:``, or ``Name:`` under a signature line."""
    starts = []
    for i, line in enumerate(lines):
        label = _label(doc_text, line)
        if label and label[0] == "by":
            starts.append(i)
        elif label and label[0] == "name" and i > 0:
            prev = line_text(doc_text, lines[i - 1])
            if _LABEL.match(prev):
                continue  # part of a block that a "By:" above opened
            if i > 1 and _label(doc_text, lines[i - 2]) == ("by", ""):
                continue  # "By:" over "/s/ Jane Doe" over "Name:": one block, opened above
            if _UNDERSCORES.match(prev) or _CONFORMED.search(prev):
                starts.append(i - 1)
    return starts


def _fields(
    doc_text: DocumentText, lines: Sequence[Line], first: int
) -> tuple[dict[str, str], int]:
    """The block's labelled values and the index of its last line.

    A ``By:`` with nothing after it takes the next line when that line is not a label
    (``By:`` over ``/s/ Jane Doe`` on the line below).
    """
    fields: dict[str, str] = {}
    last = first
    for j in range(first, len(lines)):
        label = _label(doc_text, lines[j])
        if j > first and label is None and fields.get("by") == "" and j == first + 1:
            fields["by"] = line_text(doc_text, lines[j]).strip()
        elif j > first and (label is None or label[0] == "by"):
            break
        elif label:
            fields.setdefault(label[0], label[1])
        last = j
    if "by" not in fields:  # opened by a bare signature line
        fields["by"] = line_text(doc_text, lines[first]).strip()
    return fields, last


def _ink_status(doc_text: DocumentText, line: Line, ink: InkMap) -> SignatureStatus:
    """Signed, unsigned or unknown from the ink on the signature line ``line``."""
    tokens = doc_text.tokens_in(line.char_start, line.char_end)
    label = tokens[0] if tokens else None
    text = doc_text.text[label.char_start : label.char_end] if label else ""
    start = label.box[2] if label and re.match(r"(?i)by\b", text) else line.box[0]
    height = line.box[3] - line.box[1]
    area = (
        start + 1.0,
        line.box[1] - RISE * height,
        max(line.box[2], start + SIGNATURE_WIDTH),
        line.box[3] + 0.3 * height,
    )
    nearby = doc_text.tokens_in(max(0, line.char_start - 400), line.char_end + 400)
    explained = [
        (t.box[0] - 1.5, t.box[1] - 1.0, t.box[2] + 1.5, t.box[3] + 1.0)  # ink bleeds a little
        for t in nearby
        if t.page == line.page
        and (t.conf or 0.0) >= EXPLAINED_CONF
        and any(c.isalnum() for c in doc_text.text[t.char_start : t.char_end])
        and t.box[0] < area[2]
        and t.box[2] > area[0]
        and t.box[1] < area[3]
        and t.box[3] > area[1]
    ]
    dark = ink.ink(area, explained)
    if dark >= SIGNED_INK:
        return "signed"
    return "unsigned" if dark <= BLANK_INK else "unknown"


def _block(
    doc_text: DocumentText,
    lines: Sequence[Line],
    first: int,
    executed: bool,
    position: Mapping[int, int],
) -> SignatureBlock:
    fields, last = _fields(doc_text, lines, first)
    party = _party(doc_text, lines[max(0, first - MAX_PARTY_LOOKBACK) : first])
    top = first
    if party is not None:
        top = next(i for i in range(first - 1, -1, -1) if party in line_text(doc_text, lines[i]))
    own = lines[top : last + 1]
    at = sorted(position[ln.char_start] for ln in own)
    if at == list(range(at[0], at[0] + len(at))):  # one run of the text
        start, end = lines[top].char_start, lines[last].char_end
    else:  # read from a column of blocks side by side: its signature line alone
        start, end = lines[first].char_start, lines[first].char_end
    block_text = "\n".join(line_text(doc_text, ln) for ln in lines[first : last + 1])
    signatory = _value(fields.get("name", ""))
    conformed = _CONFORMED.search(block_text)
    if signatory is None and conformed:
        signatory = conformed.group(1).strip()
    status = _status(fields["by"], block_text, _value(fields.get("name", "")) is not None,
                     executed)  # fmt: skip
    ink = doc_text.ink.get(lines[first].page)
    if ink is not None and not conformed:
        status = _ink_status(doc_text, lines[first], ink)
    boxes = [b for b in (_box(doc_text, ln.char_start, ln.char_end) for ln in own) if b]
    return SignatureBlock(
        party=party,
        signatory=signatory,
        title=_value(fields.get("title", "") or fields.get("its", "")),
        page=lines[first].page,
        box=_union(boxes),
        status=status,
        char_start=start,
        char_end=end,
    )


def _union(boxes: Sequence[Box]) -> Box | None:
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def in_block_order(doc_text: DocumentText, lines: Sequence[Line]) -> list[Line]:
    """The lines with each page of signature blocks set side by side read block by block:
    down the left column, then the right one (``layout.columns``). A PDF may draw such a
    page row by row across both blocks ("ACME CORP.  BETA INC.", "By: ...  By: ..."), and
    its text then runs row by row; the text keeps that order, the blocks are read here."""
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    out: list[Line] = []
    for page_lines in by_page.values():
        labelled = [bool(_LABEL.match(line_text(doc_text, ln))) for ln in page_lines]
        if sum(labelled) < 2 * MIN_LABELS or not page_lines[0].page:
            out += page_lines
            continue
        boxes = [ln.box for ln in page_lines]
        width = max(b[2] for b in boxes) + min(b[0] for b in boxes)  # margins alike
        sides = column_sides(boxes, width, labelled)
        out += page_lines if sides is None else [page_lines[i] for i in reading_order(sides)]
    return out


def find_signature_blocks(doc_text: DocumentText) -> list[SignatureBlock]:
    """Every signature block in document order."""
    body = body_lines(doc_text)
    position = {ln.char_start: i for i, ln in enumerate(body)}
    lines = in_block_order(doc_text, body)
    executed = _execution_part(doc_text, lines)
    return [_block(doc_text, lines, i, executed[i], position) for i in _starts(doc_text, lines)]
