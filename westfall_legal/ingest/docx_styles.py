"""Word's paragraph styles and numbering definitions (styles.xml, numbering.xml) read from
their XML as plain data for :mod:`westfall_legal.ingest.word_numbering`.

The elements come from python-docx's parser (:mod:`westfall_legal.ingest.docx`); this module
only walks them, so it imports no XML library. Values a damaged file gets wrong (a level
that is not a number, a style based on itself) are read as absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from westfall_legal.ingest.word_numbering import Level, Numbering, NumDef

Xml = Any  # an lxml element of python-docx's parser (lxml ships no type information)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
OFF = {"0", "false", "off"}
MAX_STYLE_DEPTH = 20  # basedOn chains (a loop in a damaged file ends here)


def val(el: Xml | None, child: str) -> str | None:
    """``w:val`` of ``el``'s child ``w:{child}``."""
    if el is None:
        return None
    found = el.find(W + child)
    return None if found is None else found.get(W + "val")


def int_or(text: str | None, default: int | None = None) -> int | None:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def toggled(el: Xml | None, child: str) -> bool:
    """A toggle property (``w:caps``, ``w:vanish``, ``w:isLgl``) that is set."""
    found = None if el is None else el.find(W + child)
    return found is not None and (found.get(W + "val") or "1").lower() not in OFF


# -- styles and numbering definitions ------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Style:
    based_on: str | None
    num_id: str | None
    ilvl: int | None


class Styles:
    """Paragraph styles: what each is based on and the numbering it gives its paragraphs."""

    def __init__(self, xml: Xml | None) -> None:
        self.styles: dict[str, _Style] = {}
        self.default: str | None = None
        for style in xml.iter(W + "style") if xml is not None else ():
            if style.get(W + "type") != "paragraph" or not style.get(W + "styleId"):
                continue
            sid = str(style.get(W + "styleId"))
            numpr = style.find(f"{W}pPr/{W}numPr")
            self.styles[sid] = _Style(
                val(style, "basedOn"), val(numpr, "numId"), int_or(val(numpr, "ilvl"))
            )
            if (style.get(W + "default") or "").lower() in ("1", "true", "on"):
                self.default = sid

    def numbering(self, style: str | None) -> tuple[str | None, int | None, str | None]:
        """(numId, ilvl, the style that set the numId) along the basedOn chain."""
        ilvl = None
        for _ in range(MAX_STYLE_DEPTH):
            found = self.styles.get(style or "")
            if found is None:
                break
            ilvl = found.ilvl if ilvl is None else ilvl
            if found.num_id is not None:
                return found.num_id, ilvl, style
            style = found.based_on
        return None, ilvl, None


def _level(lvl: Xml) -> Level:
    fmt, custom = "decimal", ""
    for found in lvl.iter(W + "numFmt"):  # w14 custom formats come first
        fmt, custom = found.get(W + "val") or "decimal", found.get(W + "format") or ""
        break
    if fmt == "custom":  # "01, 02, 03, ..."
        fmt = "decimalZero" if custom.startswith("0") else "decimal"
    restart = int_or(val(lvl, "lvlRestart"))
    return Level(
        fmt=fmt,
        text=val(lvl, "lvlText") or "",
        start=int_or(val(lvl, "start"), 0) or 0,
        restart=restart,
        legal=toggled(lvl, "isLgl"),
        suffix=val(lvl, "suff") or "tab",
        style=val(lvl, "pStyle"),
    )


def _levels(parent: Xml) -> dict[int, Level]:
    out: dict[int, Level] = {}
    for lvl in parent.findall(W + "lvl"):
        ilvl = int_or(lvl.get(W + "ilvl"))
        if ilvl is not None and 0 <= ilvl < 9:
            out[ilvl] = _level(lvl)
    return out


def numbering_from(xml: Xml | None, styles: Styles) -> Numbering:
    """numbering.xml as :class:`Numbering` (abstract numberings linked to a numbering style
    take that style's levels)."""
    if xml is None:
        return Numbering({}, {})
    abstracts: dict[str, dict[int, Level]] = {}
    links: dict[str, str] = {}
    for abstract in xml.findall(W + "abstractNum"):
        aid = str(abstract.get(W + "abstractNumId"))
        abstracts[aid] = _levels(abstract)
        if (link := val(abstract, "numStyleLink")) is not None:
            links[aid] = link
    nums: dict[str, NumDef] = {}
    for num in xml.findall(W + "num"):
        starts: dict[int, int] = {}
        levels: dict[int, Level] = {}
        for over in num.findall(W + "lvlOverride"):
            ilvl = int_or(over.get(W + "ilvl"))
            if ilvl is None or not 0 <= ilvl < 9:
                continue
            if (start := int_or(val(over, "startOverride"))) is not None:
                starts[ilvl] = start
            if (lvl := over.find(W + "lvl")) is not None:
                levels[ilvl] = _level(lvl)
        nums[str(num.get(W + "numId"))] = NumDef(str(val(num, "abstractNumId")), starts, levels)
    for aid, style in links.items():  # numStyleLink -> the style's num -> its abstract
        num_id, _, _ = styles.numbering(style)
        target = nums.get(num_id or "")
        if target is not None and target.abstract in abstracts and not abstracts[aid]:
            abstracts[aid] = abstracts[target.abstract]
    return Numbering(abstracts, nums)
