"""Headings of bilingual contracts (English with Chinese, Japanese or Korean).

Such a contract gives each heading in both languages: "3. SHARING OF INVESTMENT 投资的分摊"
on one line, or "2.2.2 生产记录" where the text layer kept the number and lost the other
script's words, so that the number stands alone over its paragraph, at the paragraph's own
left edge. Two helpers for ``sections.py``: the title without its translation, and whether a
number continues the numbering (so that such a lone number opens a section while a stray
figure does not).
"""

from __future__ import annotations

# Ideographs, kana, hangul, their punctuation and the full-width forms ("：", "（").
_CJK_RANGES = (
    (0x3000, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
)


def is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def without_translation(text: str) -> str:
    """``text`` less a run of CJK script (and spaces) that ends it after other words:
    "SHARING OF INVESTMENT 投资的分摊" -> "SHARING OF INVESTMENT". A heading wholly in CJK
    script is left as it is."""
    end = len(text)
    while end and (is_cjk(text[end - 1]) or text[end - 1].isspace()):
        end -= 1
    head = text[:end].rstrip()
    if not head or not any(is_cjk(c) for c in text[end:]):
        return text
    return head


def continues(number: str, last: tuple[int, ...]) -> bool:
    """Whether dotted ``number`` is the next one after the heading numbered ``last``: its
    next sibling ("2.2.2" after "2.2.1"), the next number of one of its ancestors ("2.3" or
    "3" after "2.2.4"), or its first child ("2.2.1" after "2.2")."""
    if not last:
        return False
    parts = tuple(int(p) for p in number.rstrip(".").split("."))
    depth = len(parts)
    if depth <= len(last):
        return parts[:-1] == last[: depth - 1] and parts[-1] == last[depth - 1] + 1
    return depth == len(last) + 1 and parts[:-1] == last and parts[-1] == 1
