"""Score the layout stage against a hand-made gold set: sections, cross-references, definitions.

The gold set (``tests/data/layout_gold.json``) names each contract by its file and records,
per PDF page, its section numbers with short titles, a few defined terms and a few
cross-references with the number (and page) of the section each points to; never contract
text. A gold item without a page (the generated sample, whose generator knows the sections
but not where they fall) is matched in document order alone.

- Sections: a predicted section is in scope when it has a number that is not a
  parenthesised sub-clause (``(a)``, ``(iv)``); it matches a gold section with the same
  number on the same page, and its title matches when both are empty or the predicted title
  starts with the gold one (case, punctuation and spacing aside; short gold titles are fine).
  Precision and recall are reported on number alone and on number and title.
- Cross-references: the gold reference is found when a predicted one has the same label
  ("Section 4(b)") on the same page; it is resolved correctly when its target has the gold
  number (its own, or with its parents' as in ``7.2(a)``), or is the numbered section the
  gold number names (``5.2`` for ``5.2(b)``, ``5.2.2`` for ``5.2.2.a``) or lies under it,
  on the gold target's page. A gold target of null (an omitted schedule, a section the
  document does not have) is right when the prediction's target is null too, or when it was
  not taken for a reference at all. A gold reference with an instrument (the EDGAR set's
  fifth column: "Securities Act", "" for a bare "Rule 144") is external: right when no
  dangling internal reference was made of it; ``external_as_dangling`` counts the others.
  ``xref_resolved`` is the share of internal references with a gold target that resolve.
- Titles: a gold title "?" is not checked (an annex's, or numbers read apart from their
  text).
- Definitions: the gold term is found when a predicted definition of it starts on that page.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from westfall_legal.layout.definitions import find_definitions
from westfall_legal.layout.external import ExternalReference
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.spans import SectionIndex
from westfall_legal.layout.text import build_text
from westfall_legal.layout.xrefs import find_references, roman_to_int
from westfall_legal.models import CrossReference, Definition, Document, DocumentText, Section


@dataclass(frozen=True, slots=True)
class GoldSection:
    number: str
    title: str | None
    page: int | None


@dataclass(frozen=True, slots=True)
class GoldReference:
    label: str
    page: int | None
    target: str | None
    target_page: int | None
    instrument: str | None = None  # set (maybe "") when the reference is to another instrument


@dataclass(frozen=True, slots=True)
class GoldContract:
    file: str
    kind: str
    sections: tuple[GoldSection, ...]
    definitions: tuple[tuple[str, int | None], ...] = ()
    references: tuple[GoldReference, ...] = ()
    families: tuple[str, ...] = ()
    split: str = ""  # "tune" or "heldout" in the EDGAR set


@dataclass
class Score:
    """Counts for one contract (or summed over several) and the misses, for reading."""

    gold_sections: int = 0
    predicted_sections: int = 0
    number_matches: int = 0
    title_matches: int = 0
    references: int = 0
    references_found: int = 0
    references_resolved: int = 0
    internal: int = 0  # gold references to a section of this document
    internal_resolved: int = 0
    external: int = 0
    external_dangling: int = 0  # external references the stage called dangling
    definitions: int = 0
    definitions_found: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for f in fields(self):
            if f.name != "misses":
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        self.misses += other.misses

    def figures(self) -> dict[str, float | None]:
        return {
            "section_precision": _ratio(self.title_matches, self.predicted_sections),
            "section_recall": _ratio(self.title_matches, self.gold_sections),
            "number_precision": _ratio(self.number_matches, self.predicted_sections),
            "number_recall": _ratio(self.number_matches, self.gold_sections),
            "xref_accuracy": _ratio(self.references_resolved, self.references),
            "xref_resolved": _ratio(self.internal_resolved, self.internal),
            "external_as_dangling": self.external_dangling if self.external else None,
            "xref_found": _ratio(self.references_found, self.references),
            "definition_recall": _ratio(self.definitions_found, self.definitions),
        }


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 3) if den else None


def nfc(name: str) -> str:
    """A file name as one Unicode form ("LECLANCHÉ" is spelt two ways on disk and in JSON)."""
    return unicodedata.normalize("NFC", name)


def pdfs_by_name(folder: Path) -> dict[str, Path]:
    """The PDFs under ``folder`` by their NFC-normalised file name."""
    return {nfc(p.name): p for p in folder.rglob("*") if p.suffix.lower() == ".pdf"}


def load_gold(path: Path) -> list[GoldContract]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return [
        GoldContract(
            file=c["file"],
            kind=c.get("type", ""),
            sections=tuple(GoldSection(n, t, p) for n, t, p in c["sections"]),
            definitions=tuple((term, page) for term, page in c.get("definitions", ())),
            references=tuple(GoldReference(*row) for row in c.get("cross_references", ())),
            families=tuple(c.get("families", ())),
            split=c.get("split", ""),
        )
        for c in data["contracts"]
    ]


@dataclass(frozen=True)
class Structure:
    doc_text: DocumentText
    sections: list[Section]
    definitions: list[Definition]
    references: list[CrossReference]
    external_references: list[ExternalReference] = field(default_factory=list)


def structure_of(document: Document) -> Structure:
    """The layout stage over one read document, as the pipeline runs it."""
    doc_text = build_text(document)
    sections = build_sections(doc_text)
    references, external = find_references(doc_text, sections)
    return Structure(doc_text, sections, find_definitions(doc_text, sections), references, external)


def _number(text: str) -> str:
    return " ".join(text.strip().rstrip(".").casefold().split())


def _words(text: str | None) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", (text or "").casefold()).split())


def _title_ok(gold: str | None, predicted: str | None) -> bool:
    if gold == "?":
        return True  # not checked
    want, got = _words(gold), _words(predicted)
    if not want:
        return not got
    return got == want or got.startswith(want + " ")


def _page(doc_text: DocumentText, pos: int) -> int | None:
    page, _ = doc_text.locate(pos, pos + 1)
    return page or None


def _align(
    gold_keys: Sequence[tuple[str, int | None]], predicted_keys: Sequence[tuple[str, int | None]]
) -> list[int | None]:
    """For each gold item, the index of the predicted item it matches (or None).

    Same key (and page, where the gold has one); among several, the first after the
    previous match, else the first unused one.
    """
    used: set[int] = set()
    last = -1
    found: list[int | None] = []
    for key, page in gold_keys:
        hits = [
            i
            for i, (k, p) in enumerate(predicted_keys)
            if i not in used and k == key and (page is None or p == page)
        ]
        pick = next((i for i in hits if i > last), hits[0] if hits else None)
        if pick is not None:
            used.add(pick)
            last = pick
        found.append(pick)
    return found


def in_scope(section: Section) -> bool:
    return bool(section.number) and not (section.number or "").startswith("(")


def _target_numbers(index: SectionIndex, section_id: str) -> set[str]:
    """A target's own number and its number with its parents' (``7.2(a)``)."""
    section = index.by_id[section_id]
    numbers = {_number(section.number or "")}
    path = ""
    for s in index.ancestors(section):
        path = (s.number or "") + path
        numbers.add(_number(path))
        if s.number and not s.number.startswith("("):
            break
    return numbers


def score(gold: GoldContract, found: Structure) -> Score:
    result = Score()
    _score_sections(gold, found, result)
    _score_references(gold, found, result)
    _score_definitions(gold, found, result)
    return result


def _score_sections(gold: GoldContract, found: Structure, result: Score) -> None:
    name = gold.file[:40]
    predicted = [s for s in found.sections if in_scope(s)]
    result.gold_sections = len(gold.sections)
    result.predicted_sections = len(predicted)
    keys = [(_number(s.number or ""), s.page or None) for s in predicted]
    matches = _align([(_number(g.number), g.page) for g in gold.sections], keys)
    for g, m in zip(gold.sections, matches, strict=True):
        if m is None:
            result.misses.append(f"{name}: section {g.number} p{g.page} not found")
            continue
        result.number_matches += 1
        if _title_ok(g.title, predicted[m].title):
            result.title_matches += 1
        else:
            result.misses.append(
                f"{name}: section {g.number} p{g.page} title {predicted[m].title!r} "
                f"(gold {g.title!r})"
            )
    matched = {m for m in matches if m is not None}
    for i, s in enumerate(predicted):
        if i not in matched:
            result.misses.append(f"{name}: extra section {s.number} {s.title!r} p{s.page}")


def _base(number: str) -> str:
    """The numbered section a reference names: ``5.2`` for ``5.2(b)`` or ``5.2.a``."""
    base = number.split("(", 1)[0] if not number.startswith("(") else number
    return _number(re.sub(r"(?<=\d)\.?[a-zA-Z]$", "", base))


def _key(number: str) -> str:
    """``"iii"``, ``"III"`` and ``"3"`` alike: a section named "Section 3" is ARTICLE III."""
    value = roman_to_int(number.upper()) if number.isalpha() else None
    return str(value) if value else number


def _resolves(index: SectionIndex, target: str, gold: GoldReference) -> bool:
    if gold.target is None:
        return False
    section = index.by_id[target]
    page_ok = gold.target_page is None or section.page == gold.target_page
    if _number(gold.target) in _target_numbers(index, target) and page_ok:
        return True
    base = _key(_base(gold.target))
    return any(
        _key(_number(s.number or "")) == base
        and (gold.target_page is None or s.page == gold.target_page)
        for s in (section, *index.ancestors(section))
    )


def _score_references(gold: GoldContract, found: Structure, result: Score) -> None:
    name = gold.file[:40]
    index = SectionIndex(found.sections)
    refs = found.references
    ref_keys = [
        (_number(r.label.replace(" ", "")), _page(found.doc_text, r.char_start)) for r in refs
    ]
    gold_keys = [(_number(g.label.replace(" ", "")), g.page) for g in gold.references]
    result.references = len(gold.references)
    matches: list[int | None] = [None] * len(gold.references)
    # internal references first, so that an external one ("Section 4.2 of the ASTA") never
    # takes the match of ours of the same number on its page; external ones to what is left
    for external_pass in (False, True):
        which = [
            i for i, g in enumerate(gold.references) if (g.instrument is not None) == external_pass
        ]
        taken = {m for m in matches if m is not None}
        free = [(k, p) if i not in taken else ("", -1) for i, (k, p) in enumerate(ref_keys)]
        for i, m in zip(which, _align([gold_keys[i] for i in which], free), strict=True):
            matches[i] = m
    for g, m in zip(gold.references, matches, strict=True):
        external = g.instrument is not None
        result.external += external
        result.internal += not external and g.target is not None
        if m is None:
            if g.target is None:  # an external or missing section, rightly not taken for ours
                result.references_resolved += 1
            else:
                result.misses.append(f"{name}: reference {g.label} p{g.page} not found")
            continue
        result.references_found += 1
        ref = refs[m]
        if external:
            ok = not ref.dangling and ref.target is None
            result.external_dangling += ref.dangling
        elif g.target is None:
            ok = ref.target is None
        else:
            ok = ref.target is not None and _resolves(index, ref.target, g)
            result.internal_resolved += ok
        if ok:
            result.references_resolved += 1
        else:
            got = index.by_id[ref.target] if ref.target else None
            what = f"external ({g.instrument})" if external else f"{g.target} p{g.target_page}"
            result.misses.append(
                f"{name}: reference {g.label} p{g.page} -> "
                f"{(got.number, got.page) if got else None} (gold {what})"
            )


def _score_definitions(gold: GoldContract, found: Structure, result: Score) -> None:
    defined = {(_words(d.term), _page(found.doc_text, d.term_start)) for d in found.definitions}
    defined_anywhere = {term for term, _ in defined}
    result.definitions = len(gold.definitions)
    for term, page in gold.definitions:
        if (_words(term), page) in defined or (page is None and _words(term) in defined_anywhere):
            result.definitions_found += 1
        else:
            result.misses.append(f"{gold.file[:40]}: definition {term!r} p{page} not found")


def sample_gold(name: str, truth: dict[str, list[tuple[str, str | None]]]) -> GoldContract:
    """A gold contract from the sample generator's ``true_structure()`` (no pages)."""
    return GoldContract(
        file=name,
        kind="Services (generated sample)",
        sections=tuple(GoldSection(n, t, None) for n, t in truth["sections"]),
        definitions=tuple((term, None) for term, _ in truth["definitions"]),
        references=tuple(
            GoldReference(label, None, t, None) for label, t in truth["cross_references"]
        ),
    )


HEADER = (
    f"{'contract':34} {'type':14} {'gold':>4} {'pred':>4} {'P':>5} {'R':>5} {'P#':>5} {'R#':>5} "
    f"{'xrefs':>5} {'acc':>5} {'defs':>5}"
)


def row(name: str, kind: str, s: Score) -> str:
    f = s.figures()

    def pct(v: float | None) -> str:
        return "  -  " if v is None else f"{v:5.2f}"

    return (
        f"{name[:34]:34} {kind[:14]:14} {s.gold_sections:4} {s.predicted_sections:4} "
        f"{pct(f['section_precision'])} {pct(f['section_recall'])} {pct(f['number_precision'])} "
        f"{pct(f['number_recall'])} {s.references:5} {pct(f['xref_accuracy'])} "
        f"{pct(f['definition_recall'])}"
    )


def by_family(scored: Sequence[tuple[GoldContract, Score]]) -> dict[str, Score]:
    """The scores summed per layout family (a contract counts in each of its families)."""
    families: dict[str, Score] = {}
    for contract, score_ in scored:
        for family in contract.families:
            families.setdefault(family, Score()).add(score_)
    return dict(sorted(families.items()))


FAMILY_HEADER = (
    f"{'family':26} {'n':>3} {'gold':>5} {'P':>5} {'R':>5} {'P#':>5} {'R#':>5} {'int':>5} "
    f"{'res':>5} {'ext':>4} {'dang':>4}"
)


def family_row(name: str, contracts: int, s: Score) -> str:
    f = s.figures()

    def pct(v: float | int | None) -> str:
        return "  -  " if v is None else f"{v:5.2f}"

    return (
        f"{name[:26]:26} {contracts:3} {s.gold_sections:5} {pct(f['section_precision'])} "
        f"{pct(f['section_recall'])} {pct(f['number_precision'])} {pct(f['number_recall'])} "
        f"{s.internal:5} {pct(f['xref_resolved'])} {s.external:4} {s.external_dangling:4}"
    )
