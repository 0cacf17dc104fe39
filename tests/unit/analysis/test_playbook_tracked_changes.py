"""The tracked-changes rule: a Word draft's unsettled changes inside a high-risk clause."""

from __future__ import annotations

from westfall_legal.analysis.playbook import ReviewFacts, apply_playbook, load_playbook
from westfall_legal.models import Clause, ContractType, DocumentText, Revision, Section
from westfall_legal.paths import resource_path

PLAYBOOK = load_playbook(resource_path("playbook", "default.toml"))
RULE = "tracked-changes-in-high-risk-clause"
TEXT = "12.2 Cap. Liability is capped at the fees paid in the prior TWELVE (12) months.\n\nNotes."
CAP_END = TEXT.index("\n")
SECTION = Section("s1", "12.2", "Cap", 1, None, 0, CAP_END, 0)


def _review(revisions: tuple[Revision, ...], *categories: str) -> ReviewFacts:
    clauses = [
        Clause(f"c{i}", cat, 0.9, TEXT[:CAP_END], 0, CAP_END, 0, (), "s1")
        for i, cat in enumerate(categories)
    ]
    doc = DocumentText(TEXT, (), (), source="docx", revisions=revisions)
    return ReviewFacts(doc, clauses, {}, ContractType("Service", 0.9), sections=(SECTION,))


def _change(kind: str, text: str, at: int, author: str = "Priya Raman") -> Revision:
    end = at + len(text) if kind == "insertion" else at
    return Revision(kind, author, "2025-02-20T10:15:00Z", text, at, end, 3)  # type: ignore[arg-type]


def test_changes_inside_a_high_risk_clause_are_flagged_once() -> None:
    at = TEXT.index("TWELVE")
    changes = (
        _change("deletion", "SIX (6)", at, "Daniel Okafor"),
        _change("insertion", "TWELVE (12)", at),
        _change("insertion", "Notes", TEXT.index("Notes")),  # outside every clause
    )
    findings = [
        f
        for f in apply_playbook(
            PLAYBOOK, _review(changes, "Cap On Liability", "Uncapped Liability")
        )
        if f.rule == RULE
    ]
    (found,) = findings  # the two clauses hold the same changes: said once
    assert found.citations == ("c0",) and found.severity == "medium"
    assert "Section 12.2 (Cap) holds 2 tracked change(s)" in found.explanation
    assert "1 by Daniel Okafor, 1 by Priya Raman" in found.explanation
    assert found.spans == ((0, CAP_END), (at, at + len("TWELVE (12)")))


def test_no_changes_or_a_low_risk_clause_is_quiet() -> None:
    at = TEXT.index("TWELVE")
    assert RULE not in {f.rule for f in apply_playbook(PLAYBOOK, _review((), "Cap On Liability"))}
    review = _review((_change("insertion", "TWELVE (12)", at),), "Insurance")
    assert RULE not in {f.rule for f in apply_playbook(PLAYBOOK, review)}
