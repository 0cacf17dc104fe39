"""A page's line as the text stage assembles it: its words, block, height and page size.

Shared by the modules that put a page's lines in reading order (:mod:`layout.text`,
:mod:`layout.markers`, :mod:`layout.margins`) before the document text is built from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from westfall_legal.models import Box, Word


@dataclass(slots=True)
class RawLine:
    page: int
    block: int
    words: list[Word]
    top: float
    bottom: float
    page_height: float
    note: bool = False  # a margin note (layout.margins): kept in the text, marked is_margin

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def box(self) -> Box:
        x0s, y0s, x1s, y1s = zip(*(w.box for w in self.words), strict=True)
        return min(x0s), min(y0s), max(x1s), max(y1s)

    @property
    def height(self) -> float:
        return self.bottom - self.top


def same_row(a: RawLine, b: RawLine) -> bool:
    """Whether two lines stand side by side: their heights overlap by half the lower one."""
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap >= 0.5 * min(a.height, b.height) > 0
