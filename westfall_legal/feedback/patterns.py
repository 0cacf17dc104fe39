"""Finders for the personal data a bundle must not carry: emails, web addresses, phone
numbers, postal addresses, account numbers (IBAN, labelled account/routing/sort/SWIFT
numbers, long bare digit runs), conformed signatures, people named after a title
(``Ms. Lee``) or on a ``Name:`` / ``Attention:`` line.

Each finder yields ``(start, end, kind)`` for the text to replace. Amounts (``$48,500.00``)
and dates (``March 3, 2025``, ``2025-03-03``) are never matched: they carry the legal
meaning. The finders are deliberately greedy about what they claim: a false positive
costs a word of context, a miss leaks a person's data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

Hit = tuple[int, int, str]

# An email starts where its token starts: tried from every character of a long token without
# an "@" (a hash, base64), the pattern scanned on to the token's end each time, so 40,000
# characters took seconds and a 1 MB comment minutes. One glued to the end of the email
# before it (no space between) is found with GLUED_EMAIL, tried only there.
EMAIL = re.compile(r"(?<![\w.+%-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
GLUED_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\"“”']+", re.IGNORECASE)

# Phone numbers: digit groups with separators, 9-15 digits in all, not part of a longer
# token, not an amount (no $ before, no % after) and not an ISO date.
PHONE = re.compile(
    r"(?<![\w$€£.,/-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){1,4}"
    r"(?![\w%/]|[.,-]\d)"
)
PHONE_LABEL = re.compile(
    r"\b(?:tel|telephone|phone|fax|facsimile|mobile|cell)\b\.?(?:[ \t]*(?:no\.?|number))?"
    r"[ \t]*[:.]?[ \t]*(\+?[\d(][\d() .-]{5,}\d)",
    re.IGNORECASE,
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
ACCOUNT_LABEL = re.compile(
    r"\b(?:account|acct|a/c|iban|aba|routing|sort[ \t]+code|swift|bic|bsb|transit)\b"
    r"(?:[ \t]+(?:no\.?|number|#|code))?[ \t]*[:#.]?[ \t]*"
    r"((?:[A-Z]{0,4}\d[\dA-Z]*)(?:[ -][A-Z]{0,4}\d[\dA-Z]*)*)",
    re.IGNORECASE,
)
BIC_LABEL = re.compile(
    r"\b(?:swift|bic)\b(?:[ \t]+code)?[ \t]*[:#.]?[ \t]*([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b"
)
LONG_DIGITS = re.compile(r"(?<![\d$€£.,])\d{9,}(?![\d%]|[.,]\d)")

_SUFFIX = (
    r"Road|Rd|Street|St|Avenue|Ave|Boulevard|Blvd|Drive|Dr|Lane|Ln|Place|Pl|Way|Court|Ct|"
    r"Plaza|Square|Sq|Parkway|Pkwy|Highway|Hwy|Terrace|Circle|Wharf|Row|Crescent|Close|"
    r"Gardens|Park|Center|Centre|Mews|Walk|Quay|Trail|Turnpike|Pike"
)
STREET = re.compile(
    r"\b\d{1,6}[A-Za-z]?(?:-\d{1,6})?[ \t]+(?:[A-Z][\w.'&-]*[ \t]+){0,5}"
    rf"(?:{_SUFFIX})\b\.?"
)
PO_BOX = re.compile(r"\bP\.?[ \t]?O\.?[ \t]?Box[ \t]+\d+", re.IGNORECASE)
_POSTCODE = r"(?:\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)"
_WORDS = r"[A-Z][A-Za-z.'-]*(?:[ \t]+[A-Z][A-Za-z.'-]*){0,3}"
_UNIT = (
    r"(?:(?:Suite|Ste\.?|Unit|Floor|Fl\.?|Room|Rm\.?|Building|Bldg\.?|Apt\.?|Apartment|#)"
    r"[ \t]*[\w-]+|\d{1,3}(?:st|nd|rd|th)[ \t]+Floor)"
)
# After a comma: a unit, a town, a state with a postcode, or a postcode.
AFTER_COMMA = re.compile(
    rf"[ \t]*,[ \t]*\n?[ \t]*(?:{_UNIT}|{_WORDS}(?:[ \t]+{_POSTCODE})?|{_POSTCODE})"
    r"(?=[ \t]*(?:,|\n|$|\(|;|\.[ \t\n]|\.$))"
)
# On the next line: "Town, State 12345", "Town 12345" or a unit; the whole line.
NEXT_LINE = re.compile(
    rf"[ \t]*\n[ \t]*(?:{_UNIT}|{_WORDS},[ \t]*{_WORDS}(?:[ \t]+{_POSTCODE})?|"
    rf"{_WORDS}[ \t]+{_POSTCODE})[ \t]*,?(?=\n|$)"
)
MAX_ADDRESS_PARTS = 5

CONFORMED = re.compile(r"/s/[ \t]*[^\n]*")
SIGNED_BY = re.compile(r"(?im)^[ \t]*By[ \t]*:[ \t]*([^\n_]*[A-Za-z][^\n]*?)[ \t]*$")
HONORIFIC = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ \t]+[A-Z][A-Za-z'-]+(?:[ \t]+[A-Z][A-Za-z'-]+)?"
)
NAME_LINE = re.compile(
    r"(?im)^[ \t]*(?:name|signatory|attention|attn|contact|printed[ \t]+name)[ \t]*[:.][ \t]*"
    r"([^\n]*?)[ \t]*$"
)
PERSON_NAME = re.compile(r"^[A-Z][a-zA-Z'-]+(?:[ \t]+(?:[A-Z]\.|[A-Z][a-zA-Z'-]+)){1,3}$")
# Words that make an "Attention:" value a role, not a person.
ROLE_WORDS = frozenset(
    "counsel officer president director manager department legal general chief vice head "  # noqa: SIM905
    "secretary treasurer partner team desk office division contracts notices procurement "
    "finance accounts payable receivable executive operations board the of and".split()
)


CURRENCY = re.compile(r"(?:[$€£¥]|\b(?:USD|EUR|GBP|CHF|CAD|AUD|JPY|dollars?|euros?))[ \t]*$", re.I)


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _amount(text: str, start: int) -> bool:
    """Whether the number at ``start`` follows a currency sign or code (an amount)."""
    return bool(CURRENCY.search(text[max(0, start - 10) : start]))


def emails(text: str) -> Iterator[tuple[int, int]]:
    """The spans of the emails in ``text``, in linear time."""
    pos = 0
    while (m := EMAIL.search(text, pos)) is not None:
        end = m.end()
        yield m.start(), end
        while (glued := GLUED_EMAIL.match(text, end)) is not None:
            yield glued.start(), glued.end()
            end = glued.end()
        pos = end


def emails_and_urls(text: str) -> Iterator[Hit]:
    for start, end in emails(text):
        yield start, end, "email"
    for m in URL.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:":
            end -= 1
        yield m.start(), end, "url"


def phones(text: str) -> Iterator[Hit]:
    for m in PHONE_LABEL.finditer(text):
        yield m.start(1), m.end(1), "phone"
    for m in PHONE.finditer(text):
        value = m.group()
        if 9 <= _digits(value) <= 15 and not ISO_DATE.match(value) and not _amount(text, m.start()):
            yield m.start(), m.end(), "phone"


def _iban_ok(value: str) -> bool:
    compact = value.replace(" ", "")
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(c, 36)) for c in rearranged)
    return len(compact) >= 15 and int(digits) % 97 == 1


def accounts(text: str) -> Iterator[Hit]:
    for m in IBAN.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if _iban_ok(m.group()) or "iban" in before:
            yield m.start(), m.end(), "account"
    for m in ACCOUNT_LABEL.finditer(text):
        if _digits(m.group(1)) >= 6:
            yield m.start(1), m.end(1), "account"
    for m in BIC_LABEL.finditer(text):
        yield m.start(1), m.end(1), "account"
    for m in LONG_DIGITS.finditer(text):
        if not _amount(text, m.start()):
            yield m.start(), m.end(), "account"


def addresses(text: str) -> Iterator[Hit]:
    for m in PO_BOX.finditer(text):
        yield m.start(), _extend_address(text, m.end()), "address"
    for m in STREET.finditer(text):
        yield m.start(), _extend_address(text, m.end()), "address"


def _extend_address(text: str, end: int) -> int:
    """Take the unit, town, state, postcode and country that follow a street line."""
    for _ in range(MAX_ADDRESS_PARTS):
        m = AFTER_COMMA.match(text, end) or NEXT_LINE.match(text, end)
        if m is None:
            break
        end = m.end()
    return end


def signatures(text: str) -> Iterator[Hit]:
    for m in CONFORMED.finditer(text):
        yield m.start(), m.end(), "signature"
    for m in SIGNED_BY.finditer(text):
        yield m.start(1), m.end(1), "signature"


def people(text: str) -> Iterator[Hit]:
    for m in HONORIFIC.finditer(text):
        yield m.start(), m.end(), "person"
    for _name, start, end in name_lines(text):
        yield start, end, "person"


def name_lines(text: str) -> Iterator[tuple[str, int, int]]:
    """People's names on ``Name:`` / ``Attention:`` lines (roles such as "General
    Counsel" are left alone)."""
    for m in NAME_LINE.finditer(text):
        value = m.group(1).strip().rstrip(",;")
        if looks_like_person(value):
            yield value, m.start(1), m.start(1) + len(value)


def looks_like_person(value: str) -> bool:
    if not PERSON_NAME.match(value):
        return False
    return not any(w.lower().strip(".,") in ROLE_WORDS for w in value.split())


FINDERS = (emails_and_urls, phones, accounts, addresses, signatures, people)


def find_all(text: str) -> list[Hit]:
    return [hit for finder in FINDERS for hit in finder(text)]
