"""The parties a contract's preamble lists, with or without a legal form.

``between A, a Delaware corporation ("A"), and B.`` -> A, B. Read apart from
:func:`westfall_legal.feedback.names.find_names`, which needs a legal form, an incorporation
or a definition as evidence: a preamble names its parties by their place in it, so a name
without a legal form ("AstroNutrition.com") counts here. Bounded patterns over the text's
first ``limit`` characters only: linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from westfall_legal.feedback import wordlists as W
from westfall_legal.feedback.people import key

_BETWEEN = re.compile(r"\b(?:between|among|amongst)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(
    r"\.(?:[ \t]{0,12}\n|[ \t]{1,12}[A-Z(\"“])|"
    r"\n[ \t]{0,12}\n[ \t]{0,12}(?:WHEREAS|RECITALS|WITNESSETH|BACKGROUND)"
)
_PARTY_SPLIT = re.compile(r";|\band\b|\bAND\b|\(\d\)")
_PARTY_END = re.compile(
    r"§|,?[ \t\n]{1,12}an?[ \t\n]|,[ \t\n]{0,12}(?:having|with|located|whose|of|its|acting|who|"
    r"registered|incorporated|organized|organised|hereinafter)\b"
)


def preamble_parties(text: str, limit: int = 3000) -> Iterator[str]:
    """The parties a preamble lists, with or without a legal form: "between A, a Delaware
    corporation ("A"), and B." -> A, B; "between AstroNutrition.com and deep systems"."""
    head = text[:limit]
    m = _BETWEEN.search(head)
    if m is None:
        return
    end = _CLAUSE_END.search(head, m.end())
    clause = head[m.end() : end.start() if end else m.end() + 1500]
    flat, depth = [], 0
    for c in clause:  # each parenthesis becomes one mark
        if c == "(":
            depth += 1
            if depth == 1:
                flat.append(" § ")
        elif c == ")" and depth:
            depth -= 1
        elif not depth:
            flat.append(c)
    for part in _PARTY_SPLIT.split("".join(flat)):
        part = part.strip(" \t\n,:")
        cut = _PARTY_END.search(part)
        value = " ".join(part[: cut.start() if cut else len(part)].split()).strip(" ,.:")
        words = value.split()
        while words and key(words[0]) in W.STOP | W.CONNECTORS:
            words = words[1:]
        if not 1 <= len(words) <= 8 or any(c.isdigit() or c == "_" for c in value):
            continue
        if not all(w[0].isupper() or key(w) in W.CONNECTORS for w in words):
            continue
        if all(key(w) in W.NOT_CONTENT or key(w) in W.PLACES for w in words):
            continue
        yield " ".join(words)
