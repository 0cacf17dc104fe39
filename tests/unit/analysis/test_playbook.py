"""Each rule of the default playbook fires where it should and stays quiet where it should not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from westfall_legal.analysis.playbook import (
    ReviewFacts,
    apply_playbook,
    duration_days,
    load_playbook,
)
from westfall_legal.errors import SettingsError
from westfall_legal.layout.text import plain_text
from westfall_legal.models import (
    Clause,
    ContractType,
    CrossReference,
    DocumentText,
    Fact,
    Section,
    SignatureBlock,
    Token,
)
from westfall_legal.paths import resource_path

PLAYBOOK = load_playbook(resource_path("playbook", "default.toml"))
SECTION = Section("s12-2", "12.2", "Cap on Liability", 2, None, 0, 10_000, 3)


def clause(category: str, text: str, cid: str = "c1", start: int = 0) -> Clause:
    return Clause(cid, category, 0.9, text, start, start + len(text), 3, (), "s12-2")


def fact(name: str, value: str, text: str = "") -> Fact:
    return Fact(name, value, text or value, 5, 9, 1, 0.9)


def fired(
    clauses: list[Clause] = (),  # type: ignore[assignment]
    facts: dict[str, Fact] | None = None,
    contract_type: str = "Service",
    xrefs: tuple[CrossReference, ...] = (),
    signatures: tuple[SignatureBlock, ...] = (),
    doc_text: object = None,
) -> dict[str, list[str]]:
    review = ReviewFacts(
        doc_text or plain_text("x" * 200),  # type: ignore[arg-type]
        clauses,
        facts or {},
        ContractType(contract_type, 0.9),
        xrefs,
        signatures,
        (SECTION,),
    )
    return {f.rule: list(f.citations) for f in apply_playbook(PLAYBOOK, review)}


BASE = [
    clause(
        "Cap On Liability", "Liability is limited to the fees paid in the prior 12 months.", "cap"
    ),
    clause("Governing Law", "This Agreement is governed by the laws of New York.", "law"),
]


def test_a_balanced_contract_raises_nothing() -> None:
    assert fired(BASE, {"governing_law": fact("governing_law", "New York")}) == {}


def test_uncapped_liability_fires_and_cites_its_clause() -> None:
    found = fired([*BASE, clause("Uncapped Liability", "No limit applies to fraud.", "u1")])
    assert found["uncapped-liability"] == ["u1"]


def test_missing_cap_fires_only_for_listed_contract_types() -> None:
    law = [BASE[1]]
    assert "no-liability-cap" in fired(law, contract_type="Service")
    assert "no-liability-cap" not in fired(law, contract_type="Non-Compete/Non-Solicit")
    assert "no-liability-cap" not in fired(BASE, contract_type="Service")


def test_cap_below_annual_fees() -> None:
    low = clause("Cap On Liability", "capped at the fees paid in the three (3) months before", "c")
    assert fired([low, BASE[1]])["cap-below-annual-fees"] == ["c"]
    assert "cap-below-annual-fees" not in fired(BASE)


def test_short_renewal_notice_needs_auto_renewal_and_a_short_notice() -> None:
    renewal = clause("Renewal Term", "renews for successive one year terms", "r")
    short = {"notice_period": fact("notice_period", "P30D", "thirty (30) days")}
    found = fired([*BASE, renewal], short)
    assert found["short-renewal-notice"] == ["r"]
    assert "short-renewal-notice" not in fired(BASE, short)  # no automatic renewal
    long = {"notice_period": fact("notice_period", "P3M")}
    assert "short-renewal-notice" not in fired([*BASE, renewal], long)


def test_one_sided_termination_for_convenience() -> None:
    one = clause("Termination For Convenience", "Customer may terminate for convenience.", "t")
    both = clause("Termination For Convenience", "Either party may terminate at will.", "t")
    assert fired([*BASE, one])["one-sided-termination-for-convenience"] == ["t"]
    assert "one-sided-termination-for-convenience" not in fired([*BASE, both])


def test_governing_law_outside_the_firm_list() -> None:
    found = fired(BASE, {"governing_law": fact("governing_law", "Ontario")})
    assert found["governing-law-outside-list"] == ["law"]
    assert "governing-law-outside-list" not in fired(
        BASE, {"governing_law": fact("governing_law", "Delaware")}
    )


def test_no_governing_law() -> None:
    assert "no-governing-law" in fired([BASE[0]])


def test_dangling_reference_and_unsigned_block() -> None:
    dangling = CrossReference("Section 14.7", 10, 22, "section", "Section 14.7", None)
    resolved = CrossReference("Section 12.2", 30, 42, "section", "Section 12.2", "s12-2")
    unsigned = SignatureBlock("Acme Corp", None, None, 9, None, "unsigned", 50, 80)
    signed = SignatureBlock("Beta LLC", None, None, 9, None, "signed", 90, 120)
    found = fired(BASE, xrefs=(dangling, resolved), signatures=(unsigned, signed))
    assert "dangling-reference" in found and "unsigned-signature-block" in found
    quiet = fired(BASE, xrefs=(resolved,), signatures=(signed,))
    assert "dangling-reference" not in quiet and "unsigned-signature-block" not in quiet


def test_low_ocr_confidence_inside_a_high_risk_clause() -> None:
    text = "Liability is limited to the fees paid."
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    tokens = tuple(
        Token(s, e, 3, (0.0, 0.0, 1.0, 1.0), 35.0 if i == 2 else 95.0)
        for i, (s, e) in enumerate(words)
    )
    doc = DocumentText(text, tokens, ())
    cap = clause("Cap On Liability", text, "cap")
    law = clause("Governing Law", "New York law governs.", "law", start=len(text) + 1)
    found = fired([cap, law], doc_text=doc)
    assert found["low-ocr-in-high-risk-clause"] == ["cap"]
    assert "low-ocr-in-high-risk-clause" not in fired([cap, law])  # a text layer: no OCR


def test_explanations_name_the_section_and_findings_come_most_severe_first() -> None:
    review = ReviewFacts(
        plain_text("x"),
        [BASE[1], clause("Uncapped Liability", "No limit.", "u")],
        {"governing_law": fact("governing_law", "Ontario")},
        ContractType("Service", 0.9),
        sections=(SECTION,),
    )
    findings = apply_playbook(PLAYBOOK, review)
    assert [f.severity for f in findings] == sorted(
        (f.severity for f in findings), key=("high", "medium", "low").index
    )
    uncapped = next(f for f in findings if f.rule == "uncapped-liability")
    assert uncapped.explanation.startswith("Section 12.2 (Cap on Liability)")
    assert dict(uncapped.position)["preferred"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[rule]]\nid="x"\nseverity="dire"\nwhen="present"\nexplanation="e"\n', "severity"),
        ('[[rule]]\nid="x"\nseverity="low"\nwhen="often"\nexplanation="e"\n', "unknown condition"),
        ('[[rule]]\nid="x"\nseverity="low"\nwhen="present"\nexplanation="e"\n', "needs categories"),
        ('[[rule]]\nid="x"\nseverity="low"\nwhen="text_matches"\ncategories=["A"]\n'
         'pattern="("\nexplanation="e"\n', "does not compile"),
        ("[[rule]\n", "cannot be read"),
    ],
)  # fmt: skip
def test_bad_playbooks_are_refused_with_the_rule_named(
    tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "firm.toml"
    path.write_text(body)
    with pytest.raises(SettingsError, match=message) as caught:
        load_playbook(path)
    assert str(path) in caught.value.message


def test_durations_in_days() -> None:
    assert [duration_days(v) for v in ("P30D", "P3M", "P1Y", "P2W", "soon")] == [
        30, 90, 365, 14, None,
    ]  # fmt: skip


def test_a_sub_clause_is_named_with_its_parents_number() -> None:
    from westfall_legal.analysis.playbook import full_number

    parent = Section("s17", "17.3", "Assignment", 2, None, 0, 100, 9)
    child = Section("s17b", "(b)", None, 3, "s17", 50, 100, 9)
    grandchild = Section("s17bi", "(i)", None, 4, "s17b", 60, 80, 9)
    sections = {s.id: s for s in (parent, child, grandchild)}
    assert full_number(child, sections) == "17.3(b)"
    assert full_number(grandchild, sections) == "17.3(b)(i)"
    assert full_number(parent, sections) == "17.3"
