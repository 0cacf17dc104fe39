"""Finders for people's names in contract text (used by :mod:`.names`).

A person is read after ``/s/``, on ``Name:``, ``By:``, ``Attention:`` fields (also inside a
line: CUAD's texts run signature blocks together), after ``Mr.``/``Ms.``/``Dr.``, before a job
title ("Avtar Dhillon, President") and as "an individual": initials and capitalised words,
cut at the first word that cannot be part of a name ("Title", a job title, a role). Every
regex is anchored at a word start and bounded, so each is linear in the text's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from westfall_legal.feedback import wordlists as W

POSSESSIVE = re.compile(r"['’]s?,?$")
_GENERATIONS = ("jr", "sr", "ii", "iii", "iv")

# A person's name: initials and capitalised words, one space or tab between them.
_INITIAL = r"[A-Z]\."
_WORD = r"[A-Z][^\W\d_]{0,30}(?:['’-][^\W\d_]{1,30}){0,3}"
_NAME_PART = rf"(?:{_INITIAL}|{_WORD})"
PERSON = rf"{_NAME_PART}(?:[ \t]{_NAME_PART}){{1,4}}"
_GENERATION = r"(?:,?[ \t](?:Jr|Sr|II|III|IV)\b\.?)?"
_CONFORMED = re.compile(
    rf"/s/[ \t]{{0,12}}({PERSON}{_GENERATION}|{_WORD},[ \t]{_WORD}(?=[ \t]{{0,12}}(?:\n|$)))"
)  # "/s/ He, Li": family name first
_FIELD = re.compile(
    r"(?<![\w])(?i:name|printed[ \t]name|print[ \t]name|attention|attn|signatory|by)"
    rf"[ \t]{{0,12}}[:.][ \t]{{0,12}}(?:/s/[ \t]{{0,12}})?({PERSON}{_GENERATION})"
)
_HONORIFIC = re.compile(
    rf"(?<![\w])(?i:mr|mrs|ms|miss|mx|dr|prof)\.?[ \t]{{1,12}}"
    rf"({_NAME_PART}(?:[ \t]{_NAME_PART}){{0,3}})"
)
_TITLED = re.compile(
    rf"(?<![\w'’.-])({PERSON}{_GENERATION})(?:,[ \t]{{0,12}}|[ \t]{{1,12}})"
    rf"(?:[A-Z][a-z]{{1,20}}[ \t]{{1,12}}){{0,2}}(?:{W.TITLE_START})\b"
)
_INDIVIDUAL = re.compile(rf"(?<![\w'’.-])({PERSON}),?[ \t]{{1,12}}an[ \t]{{1,12}}individual\b")


def key(word: str) -> str:
    """A word compared with the word lists: no surrounding punctuation, case-folded."""
    return word.strip(".,;:'’\"“”()").casefold()


def person_name(value: str, lower: set[str], *, strict: bool) -> str | None:
    """``value`` cut at the first word that cannot be part of a name ("Title", a job
    title, a role); None unless what is left looks like a person."""
    kept: list[str] = []
    for token in value.replace("\t", " ").split(" "):
        k = key(token)
        if re.fullmatch(r"[A-Z]\.", token):
            pass  # an initial
        elif k in W.PERSON_STOP or k in W.STOP or k in W.ROLES or k in W.LEGAL_KEYS:
            break
        kept.append(token)
    if kept and kept[0] in kept[1:]:
        kept = kept[: kept.index(kept[0], 1)]  # "/s/ Stephen A. Schwarzman Stephen A. ..."
    while kept and re.fullmatch(r"[A-Z]\.", kept[-1]):
        kept.pop()
    words = [
        t for t in kept
        if not re.fullmatch(r"[A-Z]\.", t) and key(t).rstrip(".") not in _GENERATIONS
    ]  # fmt: skip
    if len(kept) < 2 or not words:
        return None
    if any(key(w) in W.GENERIC or key(w) in W.PLACES or key(w) in W.NOT_CONTENT for w in words):
        return None
    upper = [w.isupper() and len(w) > 1 for w in words]
    if any(upper) and not all(upper):
        return None  # "Blackstone Clarus GP": an organisation
    if any(POSSESSIVE.search(w) for w in words):
        return None  # "Rubio's Fresh Mexican Grill"
    if strict and any(key(w) in lower for w in words):
        return None  # "Deputy Project Manager": ordinary words before a title
    return " ".join(kept).rstrip(",")


def find_people(text: str, lower: set[str]) -> Iterator[tuple[str, int]]:
    """Each person ``text`` names, with where: ``(name, start)``."""
    for regex, strict in ((_CONFORMED, False), (_FIELD, False), (_TITLED, True),
                          (_INDIVIDUAL, True)):  # fmt: skip
        for m in regex.finditer(text):
            value = m.group(1)
            family_first = re.fullmatch(r"[A-Z][^\W\d_]{1,30}, [A-Z][^\W\d_]{1,30}", value)
            name = value if family_first else person_name(value, lower, strict=strict)
            if name:
                yield name, m.start(1)
    for m in _HONORIFIC.finditer(text):
        value = m.group(1)
        name = person_name(value, lower, strict=False) if " " in value else value
        if name and key(name) not in W.NOT_CONTENT:
            yield name, m.start(1)
