"""References to another instrument: a statute's section, an SEC rule, another agreement's
clause ("Section 2(a) of the Securities Act", "Rule 144", "Section 351(l)(6) of the PHS Act",
"17 C.F.R. Sections 200.80(b)(4)", "Section 2.3 of the Warrant", "Article VIII, Section 1 of
the General Terms and Conditions").

They are not this document's cross-references: :mod:`westfall_legal.layout.xrefs` leaves them
out, so they are never dangling, and :func:`find_external_references` lists them with the
instrument they name ("" when the text names none, as for a bare "Rule 144").

An instrument is named after the reference ("of the 1934 Act", "under the Exchange Act",
"of Annex III of the IVD Directive", "of the Seller IPA Disclosure Schedule") or before it
("21 U.S.C. Section 351", "Louisiana Civil Code Article 2520", "Treasury Regulation Section
1.1502-6"). A chain ends in the instrument: "Section 13(d)(3) or Section 14(d)(2) of the
Exchange Act" and "Article VIII, Section 1 of the General Terms and Conditions" are both
external. "of this Agreement" and a bare "of the Agreement" are this document.

An instrument can also be named apart from the reference: earlier in its sentence, with the
reference ending in "thereof" ("the Agency Agreement is terminated pursuant to Section
9.02(c)(iii) thereof": :func:`document_named_before`), or on the next page, after a legend
at the foot of the reference's page ("Section 1.2 of" [legend, page number] "the Securities
Purchase Agreement"; :mod:`westfall_legal.layout.xrefs` joins the two).
"""

from __future__ import annotations

import re

from westfall_legal.models import ExternalReference

__all__ = [
    "ExternalReference",
    "document_named_before",
    "find_rules",
    "instrument_of",
    "sentence_start",
]

_CHAIN_WORDS = r"(?:[Ss]ections?|[Aa]rticles?|[Pp]aragraphs?|[Cc]lauses?|[Rr]ules?)"
# "Section 513(i) and Section 512 of the Code", "Article VIII, Section 1 of the GT&C": the
# chain ends in the instrument. (Not "\s*,?\s*": two runs of spaces side by side split a long
# run every way, O(n^2).)
_CHAIN = rf"(?:(?:\s*,\s*|\s*(?:,\s*)?(?:and|or)\s+){_CHAIN_WORDS}\s+\d[\w.()-]*){{0,2}}"
_ITEM_TAIL = r"(?:\s*(?:(?:-|through|to|and)\s*)?\([a-zA-Z0-9]{1,4}\))*(?:,?\s+respectively,?)?"
# A statute: "of the Securities Act", "of the 1933 Act", "of Part VII of Schedule VI of the
# Excise Tax Act", "OF THE COLOMBIAN CODE OF LABOR", "of the petroleum code", "of Decree 663".
_STATUTE = re.compile(
    rf"{_CHAIN}{_ITEM_TAIL}\s*(?i:of|under)\s+(?:(?i:the)\s+)?"
    r"(?P<inst>(?:(?:[A-Z0-9][\w.'’-]*|of|and|on|the|OF|AND|ON|THE)\s+){0,10}?"
    r"(?:[a-z][\w-]*\s+){0,2}?"
    r"(?i:Acts?|Laws?|Codes?|Regulations?|Rules|Statutes?|Convention|Treaty|Directive|Decree|"
    r"U\.S\.C\.?|REACH|DGCL)\b(?:\s+of\s+\d{4})?)"
    r"|\s+(?i:the)\s+(?P<inst2>(?:[A-Z][\w.'’-]*\s+){0,3}(?i:Law|Act|Code|Decree))\b"
    r"|\s*of\s+(?P<inst3>Title\s+\d+)"
)
# Another document: "of the Separation and Distribution Agreement", "of the Supplement", "of
# the SDA", "of the Prior JDA", "of the Standard Distributor Terms", "of the Warrant", "of the
# Seller IPA Disclosure Schedule" (not "of this Agreement", nor a bare "of the Agreement",
# which is this one, nor a part of this document: "of the Exhibit", "of Schedule B").
_OTHER_DOCUMENT = re.compile(
    rf"{_CHAIN}{_ITEM_TAIL}\s*(?:of|under|in)\s+(?:the|that|each|such)\s+"
    r"(?!(?:Agreement|Exhibit|Schedule|Annex|Appendix|Attachment|Section|Article)\b)"
    r"(?P<inst>(?:(?:[A-Z](?:[\w'’&-]|\.(?=\w))*|of|and|on|for)\s+){0,7}"  # never "Agreement. LMG"
    r"(?:Agreements?|SPA|Plan|Indenture|Supplement|Terms|Conditions|Manual|Policy|Warrants?|"
    r"Disclosure\s+(?:Schedule|Letter)|Certificate\s+of\s+Incorporation|Charter|By-?[Ll]aws|"
    r"[A-Z]{2,6})\b)"
)
# The instrument before the reference: "17 U.S.C. section 101", "17 C.F.R. Sections 200.80",
# "Louisiana Civil Code Article 2520", "Treasury Regulation Section 1.1502-6", "Tax Code
# Section 171.0001", "Nasdaq Listing Rule 5635".
_BEFORE = re.compile(
    r"(?<![\w.&-])(?P<inst>(?:\d{1,2}\s++)?(?:[A-Z][\w.&-]*+\s++){0,3}"
    r"(?:U\.S\.C|C\.F\.R|Code|Regulations?|Reg|Listing)"
    r"|Rate\s+Schedule\s+[A-Z0-9]{1,4}(?:-[A-Z0-9]{1,4})?)\.?,?\s*$"
)
# Another document named in running text: "the Agency Agreement", "the Non-Competition
# Agreement" (a capitalised name before the kind; never "this Agreement" or "the Agreement").
_DOCUMENT_NAME = re.compile(
    r"\b(?:the|that|such)\s+(?P<inst>(?:[A-Z][\w.'’&-]*\s+)(?:(?:[A-Z][\w.'’&-]*|of|and|for)\s+){0,6}"
    r"(?:Agreements?|Plan|Indenture|Supplement|Warrants?|Charter|By-?[Ll]aws))\b"
)
# A sentence ends at a full stop (or ";") before a capital, or at a blank line.
_SENTENCE_END = re.compile(r"[.!?;][\"”’)]?\s+(?=[A-Z“\"(])|\n[ \t]*\n")
# "Section 9.02 thereof", "Section 9.02(c)(iii) or 9.02(d)(i) thereof" (the items after it)
_THEREOF = re.compile(
    r"(?:\s*+(?:,\s*+)?(?:(?:or|and|through|to)\s++)?[\d.]*+(?:\([a-zA-Z0-9]{1,4}\))++"
    r"|\s*+(?:,\s*+)?(?:or|and|through|to)\s++\d[\d.]*+(?:\([a-zA-Z0-9]{1,4}\))*+){0,6}"
    r"\s*+,?\s*+thereof\b"
)
_RULE = re.compile(
    r"\b[Rr]ules?\s+(?P<items>\d{1,4}[a-z]?\d{0,2}(?:-\d{1,3})?(?:\([a-z0-9]{1,3}\))*)"
)


def _clean(name: str) -> str:
    return " ".join(name.split()).strip(" ,.")


def instrument_after(text: str, end: int) -> str | None:
    """The instrument named right after a reference that ends at ``end``, if any."""
    if m := _STATUTE.match(text, end):
        return _clean(m.group("inst") or m.group("inst2") or m.group("inst3") or "")
    if m := _OTHER_DOCUMENT.match(text, end):
        return _clean(m.group("inst"))
    return None


def instrument_before(text: str, start: int) -> str | None:
    """The instrument named right before a reference that starts at ``start``, if any."""
    if m := _BEFORE.search(text[max(0, start - 40) : start]):
        return _clean(m.group("inst"))
    return None


def instrument_of(text: str, start: int, end: int) -> str | None:
    """The other instrument a reference at ``text[start:end]`` names, or None for ours."""
    return instrument_after(text, end) or instrument_before(text, start)


def find_rules(text: str) -> list[ExternalReference]:
    """Every "Rule 144" / "Rule 10b-5" / "Rule 424(b)(3)": rules are always another
    instrument's (the SEC's, an exchange's)."""
    found = []
    for m in _RULE.finditer(text):
        instrument = instrument_of(text, m.start(), m.end()) or ""
        label = f"Rule {m.group('items')}"
        found.append(ExternalReference(m.group(0), m.start(), m.end(), "rule", label, instrument))
    return found


def sentence_start(text: str, pos: int, reach: int = 600) -> int:
    """Where the sentence holding ``pos`` starts (at most ``reach`` characters back)."""
    lo = max(0, pos - reach)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, pos + 1) if m.end() <= pos]
    return ends[-1] if ends else lo


def document_named_before(text: str, start: int, end: int) -> str | None:
    """For a reference at ``text[start:end]`` followed by "thereof", the other document its
    sentence names before it ("the Agency Agreement is terminated pursuant to Section 9.02
    thereof"), or None."""
    if not _THEREOF.match(text, end):
        return None
    names = list(_DOCUMENT_NAME.finditer(text, sentence_start(text, start), start))
    return _clean(names[-1].group("inst")) if names else None
