"""The playbook: a firm's risk rules, read from TOML, applied to a review's clauses and facts.

Rules are data (``westfall_legal/data/playbook/*.toml``); the conditions they may use are
this module's fixed vocabulary (``CONDITIONS``). A rule decides and explains itself with its
own template; every finding cites the clause ids and text spans it rests on.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from westfall_legal.errors import SettingsError
from westfall_legal.models import (
    Clause,
    ContractType,
    CrossReference,
    DocumentText,
    Fact,
    Finding,
    Section,
    SignatureBlock,
)

Severity = Literal["low", "medium", "high"]
SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low")
POSITIONS = ("preferred", "fallback", "unacceptable")
_DAYS = {"D": 1, "W": 7, "M": 30, "Y": 365}
_DURATION = re.compile(r"^P(\d+)([DWMY])$")
PLAYBOOK_HINT = (
    "Fix the playbook file (see westfall_legal/data/playbook/default.toml for the format)."
)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    when: str
    explanation: str
    categories: tuple[str, ...] = ()
    contract_types: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    fact: str | None = None
    pattern: re.Pattern[str] | None = None
    days: int | None = None
    values: tuple[str, ...] = ()
    below: float | None = None
    position: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Playbook:
    name: str
    version: str
    rules: tuple[Rule, ...]
    firm_jurisdictions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReviewFacts:
    """What the rules read: one review's clauses, facts and structure."""

    doc_text: DocumentText
    clauses: Sequence[Clause]  # the clauses the review shows (each present category's best)
    facts: dict[str, Fact]
    contract_type: ContractType | None
    cross_references: Sequence[CrossReference] = ()
    signature_blocks: Sequence[SignatureBlock] = ()
    sections: Sequence[Section] = ()
    by_category: dict[str, list[Clause]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for c in sorted(self.clauses, key=lambda c: -c.confidence):
            self.by_category.setdefault(c.category, []).append(c)


def duration_days(iso: str) -> int | None:
    """``P30D`` -> 30, ``P3M`` -> 90, ``P1Y`` -> 365; None for anything else."""
    m = _DURATION.match(iso)
    return int(m.group(1)) * _DAYS[m.group(2)] if m else None


# -- loading ------------------------------------------------------------------------------
def load_playbook(path: Path) -> Playbook:
    """Read and check a playbook file: every rule's condition and fields are validated here."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SettingsError(f"{path}: playbook file not found.", hint=PLAYBOOK_HINT) from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(
            f"{path}: the playbook cannot be read ({exc}).", hint=PLAYBOOK_HINT
        ) from exc
    head = data.get("playbook", {})
    rules = tuple(_rule(path, raw) for raw in data.get("rule", []))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise SettingsError(f"{path}: rule id {rule.id!r} is used twice.", hint=PLAYBOOK_HINT)
        seen.add(rule.id)
    return Playbook(
        name=str(head.get("name", path.stem)),
        version=str(head.get("version", "0")),
        rules=rules,
        firm_jurisdictions=tuple(head.get("firm_jurisdictions", ())),
    )


def _rule(path: Path, raw: dict[str, Any]) -> Rule:
    rule_id = str(raw.get("id", "?"))

    def bad(what: str) -> SettingsError:
        return SettingsError(f"{path}: rule {rule_id!r}: {what}.", hint=PLAYBOOK_HINT)

    for key in ("id", "severity", "when", "explanation"):
        if key not in raw:
            raise bad(f"missing {key!r}")
    if raw["severity"] not in SEVERITIES:
        raise bad(f"severity must be one of {', '.join(SEVERITIES)}")
    if raw["when"] not in CONDITIONS:
        raise bad(f"unknown condition {raw['when']!r} (known: {', '.join(CONDITIONS)})")
    needs = _NEEDS[raw["when"]]
    missing = [k for k in needs if k not in raw]
    if missing:
        raise bad(f"condition {raw['when']!r} needs {', '.join(missing)}")
    try:
        pattern = re.compile(raw["pattern"], re.I) if "pattern" in raw else None
    except re.error as exc:
        raise bad(f"pattern does not compile ({exc})") from exc
    return Rule(
        id=rule_id,
        title=str(raw.get("title", rule_id)),
        severity=cast(Severity, raw["severity"]),
        when=str(raw["when"]),
        explanation=str(raw["explanation"]),
        categories=tuple(raw.get("categories", ())),
        contract_types=tuple(raw.get("contract_types", ())),
        requires=tuple(raw.get("requires", ())),
        fact=raw.get("fact"),
        pattern=pattern,
        days=raw.get("days"),
        values=tuple(raw.get("values", ())),
        below=raw.get("below"),
        position=tuple((k, str(raw[k])) for k in POSITIONS if k in raw),
    )


# -- conditions -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Hit:
    clauses: tuple[Clause, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    fields: dict[str, str] = field(default_factory=dict)


def _present(rule: Rule, r: ReviewFacts, _: Playbook) -> list[_Hit]:
    return [_Hit((c,)) for cat in rule.categories for c in r.by_category.get(cat, [])[:1]]


def _missing(rule: Rule, r: ReviewFacts, _: Playbook) -> list[_Hit]:
    ctype = r.contract_type.label if r.contract_type else None
    if rule.contract_types and ctype not in rule.contract_types:
        return []
    if any(cat in r.by_category for cat in rule.categories):
        return []
    return [_Hit(fields={"contract_type": ctype or "contract"})]


def _text_matches(rule: Rule, r: ReviewFacts, _: Playbook) -> list[_Hit]:
    assert rule.pattern is not None
    hits = []
    for cat in rule.categories:
        for c in r.by_category.get(cat, []):
            m = rule.pattern.search(c.text)
            if m:
                span = (c.char_start + m.start(), c.char_start + m.end())
                hits.append(_Hit((c,), (span,)))
    return hits


def _text_lacks(rule: Rule, r: ReviewFacts, _: Playbook) -> list[_Hit]:
    assert rule.pattern is not None
    found = [c for cat in rule.categories for c in r.by_category.get(cat, [])]
    if not found or any(rule.pattern.search(c.text) for c in found):
        return []
    return [_Hit((found[0],))]


def _fact_below(rule: Rule, r: ReviewFacts, _: Playbook) -> list[_Hit]:
    fact = r.facts.get(rule.fact or "")
    if fact is None or (rule.requires and not all(c in r.by_category for c in rule.requires)):
        return []
    days = duration_days(str(fact.value))
    if days is None or rule.days is None or days >= rule.days:
        return []
    cited = tuple(c for cat in rule.requires for c in r.by_category[cat][:1])
    text = " ".join(fact.text.split()) or str(fact.value)
    fields = {"value": text, "limit": str(rule.days)}
    return [_Hit(cited, ((fact.char_start, fact.char_end),), fields)]


def _fact_not_in(rule: Rule, r: ReviewFacts, playbook: Playbook) -> list[_Hit]:
    fact = r.facts.get(rule.fact or "")
    allowed = rule.values or playbook.firm_jurisdictions
    if fact is None or not allowed or str(fact.value) in allowed:
        return []
    cited = (
        tuple(r.by_category.get("Governing Law", [])[:1]) if rule.fact == "governing_law" else ()
    )
    return [_Hit(cited, ((fact.char_start, fact.char_end),), {"value": str(fact.value)})]


def _dangling(rule: Rule, r: ReviewFacts, _: Playbook) -> list[_Hit]:
    refs = [x for x in r.cross_references if x.dangling]
    if not refs:
        return []
    labels = sorted({x.label for x in refs})
    fields = {"count": str(len(refs)), "items": ", ".join(labels[:8])}
    return [_Hit(spans=tuple((x.char_start, x.char_end) for x in refs), fields=fields)]


def _unsigned(rule: Rule, r: ReviewFacts, _: Playbook) -> list[_Hit]:
    blocks = [b for b in r.signature_blocks if b.status == "unsigned"]
    if not blocks:
        return []
    names = [b.party or b.signatory or f"page {b.page + 1}" for b in blocks]
    fields = {"count": str(len(blocks)), "items": ", ".join(names)}
    return [_Hit(spans=tuple((b.char_start, b.char_end) for b in blocks), fields=fields)]


def _low_ocr(rule: Rule, r: ReviewFacts, _: Playbook) -> list[_Hit]:
    hits = []
    limit = rule.below if rule.below is not None else 60.0
    for cat in rule.categories:
        for c in r.by_category.get(cat, [])[:1]:
            conf = r.doc_text.min_conf(c.char_start, c.char_end)
            if conf is not None and conf < limit:
                hits.append(_Hit((c,), fields={"value": f"{conf:.0f}"}))
    return hits


def _tracked_changes(rule: Rule, r: ReviewFacts, _: Playbook) -> list[_Hit]:
    """Clauses of the rule's categories holding tracked changes of a Word draft (the review
    reads the draft with every change accepted, but nobody has accepted them yet). Each
    change is reported once, in the first clause (by the rule's categories) that holds it."""
    left = list(r.doc_text.revisions)
    hits = []
    for cat in rule.categories:
        for c in r.by_category.get(cat, []):
            inside = [
                x
                for x in left
                if c.char_start <= x.char_start <= c.char_end
                and (x.char_start < c.char_end or x.kind == "deletion")
            ]
            if not inside:
                continue
            left = [x for x in left if x not in inside]
            authors: dict[str, int] = {}
            for x in inside:
                who = x.author or "an unnamed author"
                authors[who] = authors.get(who, 0) + 1
            items = ", ".join(f"{n} by {who}" for who, n in authors.items())
            changed = [(x.char_start, x.char_end) for x in inside if x.char_end > x.char_start]
            spans = ((c.char_start, c.char_end), *changed)
            hits.append(_Hit((c,), spans, {"count": str(len(inside)), "items": items}))
    return hits


Condition = Callable[[Rule, ReviewFacts, Playbook], list[_Hit]]
CONDITIONS: dict[str, Condition] = {
    "present": _present,
    "missing": _missing,
    "text_matches": _text_matches,
    "text_lacks": _text_lacks,
    "fact_below": _fact_below,
    "fact_not_in": _fact_not_in,
    "dangling_reference": _dangling,
    "unsigned_signature": _unsigned,
    "low_ocr_confidence": _low_ocr,
    "tracked_changes": _tracked_changes,
}
_NEEDS: dict[str, tuple[str, ...]] = {
    "present": ("categories",),
    "missing": ("categories",),
    "text_matches": ("categories", "pattern"),
    "text_lacks": ("categories", "pattern"),
    "fact_below": ("fact", "days"),
    "fact_not_in": ("fact",),
    "dangling_reference": (),
    "unsigned_signature": (),
    "low_ocr_confidence": ("categories",),
    "tracked_changes": ("categories",),
}


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def full_number(section: Section, sections: dict[str, Section]) -> str | None:
    """A sub-clause's number with its parents': "17.3(b)" for the "(b)" under "17.3"."""
    number = section.number
    parent = sections.get(section.parent or "")
    while number and number.startswith("(") and parent is not None:
        if parent.number:
            number = parent.number.rstrip(".") + number
        parent = sections.get(parent.parent or "")
    return number


def _where(clause: Clause, sections: dict[str, Section]) -> str:
    """How a lawyer names a clause: "Section 12.2 (Cap on Liability)", or its id."""
    section = sections.get(clause.section or "")
    if section is None:
        return f"Clause {clause.id}"
    full = full_number(section, sections)
    if full:
        number = full if full[0].isalpha() else f"Section {full}"
        return f"{number} ({section.title})" if section.title else number
    return f"The section '{section.title}'" if section.title else f"Clause {clause.id}"


def apply_playbook(playbook: Playbook, review: ReviewFacts) -> list[Finding]:
    """Every finding the playbook's rules make on one review, most severe first."""
    sections = {s.id: s for s in review.sections}
    findings: list[Finding] = []
    for rule in playbook.rules:
        for hit in CONDITIONS[rule.when](rule, review, playbook):
            where = hit.clauses[0] if hit.clauses else None
            fields = _Blank(hit.fields)
            if where is not None:
                fields.setdefault("clause", _where(where, sections))
            spans = hit.spans or tuple((c.char_start, c.char_end) for c in hit.clauses)
            findings.append(
                Finding(
                    rule=rule.id,
                    severity=rule.severity,
                    explanation=rule.explanation.format_map(fields),
                    citations=tuple(c.id for c in hit.clauses),
                    title=rule.title,
                    spans=spans,
                    position=rule.position,
                )
            )
    findings.sort(key=lambda f: SEVERITIES.index(f.severity))
    return findings
