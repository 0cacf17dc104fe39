"""``layout_label review``: one contract's references as its decisions read them, each with
the words after it, suspects (an instrument named after it, no target) marked with "?".
The rest of the labelling aid is :mod:`westfall_legal.training.layout_label`."""

from __future__ import annotations

import re
from typing import Any

from westfall_legal.training.layout_label import (
    CUAD,
    KEYWORD,
    gold_of,
    load,
    mention_numbers,
    references,
    relabelled,
)

_SUSPECT = re.compile(
    r"^[\s(\w).,-]{0,12}\b(?:of|under|in)\s+(?:the|that|such|each)?\s*(?!this\b|Agreement\b)[A-Z]"
)


def review(contract: dict[str, Any]) -> None:
    """The references of one contract as the decisions read them, suspects marked."""
    doc_text = load(CUAD / contract["pdf"])
    gold = gold_of(contract)
    rows = iter(gold["cross_references"])
    skip = set(contract.get("skip", []))
    for start, page, kw, items, after in references(doc_text, set(gold["heads"])):
        if start in skip:
            continue
        word = KEYWORD[kw.lower()]
        numbers = [n for n in mention_numbers(kw, items) if not n.startswith("(")]
        got = [next(rows) for _ in relabelled(contract.get("labels", {}), start, word, numbers)]
        for row in got:
            status = (
                f"EXT:{row[4][:14]}"
                if len(row) > 4
                else (f"->{row[2]} p{row[3]}" if row[2] else "NULL")
            )
            tail = after.split("[*]", 1)[-1]
            flag = (
                "?"
                if (status.startswith("->") and _SUSPECT.match(tail))
                or status == "NULL"
                or status.startswith("EXT")
                else " "
            )
            print(f"{flag} {start:7} p{page:<3} {row[0]:22} {status:18} || {after[:60]}")
