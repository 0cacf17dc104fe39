"""OCR tolerance in `westfall compare`: the misreadings a scan makes (l/1/I, O/0, rn/m,
cl/d, ligatures, accents, hyphens at line ends, spacing, quotes, specks) are no change, and
a number, a month, a negation, a modal verb or a party's name that differs always is,
however small the edit. First the rules on word runs, then two versions compared where the
second was "read by OCR" (its one page marked so)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from westfall_legal.handback.compare import compare
from westfall_legal.handback.ocr_tolerance import Tolerance, fold, within
from westfall_legal.handback.redline import compare_html, compare_json
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.text import plain_text
from westfall_legal.models import Document, Finding, Page, Review

VOCABULARY = "the services shall commence on the effective date some sole discretion of any small"
RULES = Tolerance.of(VOCABULARY.split(), VOCABULARY.split(), ["Halloran Pike Digital"])
NEW_OCR = (False, True)  # the old version is the draft, the new one the scan


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Agreement", "Agreernent"),  # rn read for m
        ("delivery", "clelivery"),  # cl read for d
        ("(30)", "(3O)"),  # O for 0
        ("Schedule 1", "Schedule l"),  # l for 1
        ("Schedule 1", "Schedule |"),
        ("Section 11.2", "Section II.2"),  # I for 1
        ("shall", "shal]"),
        ("final", "ﬁnal"),  # a ligature
        ("give", "givé"),  # an accent from a speck
        ('"Term"),', "“Term’’),"),  # quotes
        ("$1,000", "$1.000"),
    ],
)
def test_confusions_fold_alike(a: str, b: str) -> None:
    assert "".join(map(fold, a.split())) == "".join(map(fold, b.split()))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("the Agreement commences", "the Agreernent conimences"),  # a near miss, a non-word
        ("IN NO EVENT", "INNO EVENT"),  # spacing
        ("in each case", "in.each case"),
        ("non-payment", "non- payment"),  # a hyphen left at a line end
        ("the other.", "the-other."),
        ("any order", "ay order,"),  # a letter dropped, no word of the draft made
        ("written order", "written orde,"),
        ("moral rights", "mora] rights"),
        ("Customer", "|Customer"),  # a speck before a word
        ("", "Page 3 of 19"),  # a running foot the layout kept
        ("the services", "the ie services"),  # a mark read as letters
        ("thirty (30) days", "thirty (3O) days"),  # the same number, misread
        ("Customer shall pay", "Customer shail pay"),  # a long modal read as a non-word
        ("Schedule 1", "Schedule |"),
    ],
)
def test_ocr_misreadings_are_no_change(old: str, new: str) -> None:
    runs = RULES.diff(old.split(), new.split(), NEW_OCR)
    assert [kind for kind, _, _ in runs if kind == "change"] == []
    assert any(kind == "ocr" for kind, _, _ in runs)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("thirty (30) days", "sixty (60) days"),  # a number
        ("within 30 days", "within 60 days"),
        ("within 30 days", "within 80 days"),  # one character, a digit: still a change
        ("a fee of $1,000", "a fee of $1,500"),  # money
        ("interest at 2.5% a month", "interest at 25% a month"),  # the decimal point
        ("within ten days", "within two days"),  # a number word
        ("on January 3", "on June 3"),  # a month
        ("Customer shall pay", "Customer may pay"),  # a modal verb
        ("Customer must pay", "Customer may pay"),
        ("Customer shall pay", "Customer small pay"),  # read as a word the draft uses
        ("Provider shall not disclose", "Provider shall nol disclose"),  # a short one
        ("Provider shall disclose", "Provider shall not disclose"),  # a negation added
        ("Provider will not disclose", "Provider will disclose"),  # dropped
        ("no later than", "so later than"),  # one letter, but "no" is a negation
        ("Halloran Pike", "Hallaran Pike"),  # a party's name, one letter
        ("in its sole discretion", "in its some discretion"),  # a word the draft uses
        ("the services", "the audit services"),  # a word inserted
        ("", "The Provider shall keep records."),  # a sentence inserted
    ],
)
def test_real_edits_still_count(old: str, new: str) -> None:
    runs = RULES.diff(old.split(), new.split(), NEW_OCR)
    assert any(kind == "change" for kind, _, _ in runs), runs


def test_a_draft_against_a_draft_is_not_tolerant() -> None:
    """Where neither side was read by OCR a near miss is an edit: the draft's own words."""
    assert RULES.misread(["commences"], ["conimences"], NEW_OCR)
    assert not RULES.misread(["commences"], ["conimences"], (False, False))


def test_the_edit_distance_is_banded_and_exact() -> None:
    assert within("kitten", "sitting", 3) and not within("kitten", "sitting", 2)
    assert within("", "a", 1) and not within("", "ab", 1)
    assert not within("a" * 400, "b" * 400, 6)


DRAFT = """MASTER SERVICES AGREEMENT

This Agreement is made between Halloran Pike Digital Services, Inc. ("Provider") and
Wexcombe Provisions Corporation ("Customer").

1. Term. This Agreement commences on the Effective Date and continues for three (3) years.

2. Fees. Customer shall pay each invoice within thirty (30) days of receiving it.

3. Liability. Provider's total liability shall not exceed the fees paid in the year.

4. Notices. Each notice shall be in writing and delivered by hand or by courier.
"""

# The same contract as OCR reads a scan of it.
SCAN = """MASTER SERVICES AGREEMENT

This Agreernent is made between Halloran Pike Digital Services, lnc. ("Provider'') and
Wexcombe Provisions Corporation (“Customer”).

l. Term. This Agreement conimences on the Effective Date and continues for three (3) years.

2. Fees. Customer shal] pay each invoice within thirty (3O) days of receiving it.

3. Liability. Provider's total liability shall not exceed the fees paid in the year.

4. Notices. Each notice shall be in.writing and delivered by hand or by courier.
"""


def _review(text: str, name: str, ocr: bool) -> Review:
    """A review of ``text`` as one page, read by OCR or from a text layer."""
    doc_text = dataclasses.replace(plain_text(text), source="pages")
    page = Page(0, 612.0, 792.0, (), source="ocr" if ocr else "text-layer")
    document = Document(Path(name), "0" * 64, (page,))
    return Review(document, doc_text, build_sections(doc_text), [], None, {})


def test_a_scan_of_the_draft_is_the_draft() -> None:
    draft, scan = _review(DRAFT, "draft.pdf", False), _review(SCAN, "scan.pdf", True)
    strict = compare(draft, scan, ocr_tolerant=False)
    assert strict.counts["changed"] >= 4  # every misreading a change, before the tolerance
    tolerant = compare(draft, scan)
    assert {k: tolerant.counts[k] for k in ("changed", "added", "removed")} == {
        "changed": 0,
        "added": 0,
        "removed": 0,
    }
    ignored = [pair for e in tolerant.entries for pair in e.ocr]
    assert tolerant.counts["ocr_ignored"] == len(ignored) >= 6
    assert ("commences", "conimences") in ignored
    data = compare_json(tolerant)
    assert data["counts"]["ocr_ignored"] == len(ignored)
    page = compare_html(data)
    assert f"{len(ignored)} OCR differences ignored" in page
    assert "<span class='ocr'>conimences</span>" in page


def test_the_planted_edits_in_a_scan_are_found() -> None:
    edited = (
        SCAN.replace("thirty (3O) days", "sixty (60) days")
        .replace("Customer shal] pay", "Customer may pay")
        .replace("shall not exceed", "shall exceed")
    )
    draft, scan = _review(DRAFT, "draft.pdf", False), _review(edited, "scan.pdf", True)
    comparison = compare(draft, scan)
    changed = {e.label: e for e in comparison.entries if e.status != "unchanged"}
    assert set(changed) == {"2 Fees", "3 Liability"}
    fees = [op for op in changed["2 Fees"].redline if op[0] in ("delete", "insert")]
    assert ("delete", "shall") in fees and ("insert", "may") in fees
    assert ("delete", "thirty (30)") in fees or ("delete", "(30)") in fees
    assert ("delete", "not") in changed["3 Liability"].redline
    # the misreadings beside the edits are shown greyed in the redline, not as changes
    assert (
        any(op[0] == "ocr" for op in changed["2 Fees"].redline) or comparison.counts["ocr_ignored"]
    )


def _mixed(text: str, name: str) -> Review:
    """``text`` on two pages: its first three paragraphs from a text layer, the rest read by
    OCR (a scan with a typed first page)."""
    doc_text = dataclasses.replace(plain_text(text), source="pages")
    split = text.index("3. Liability.")
    lines = tuple(
        dataclasses.replace(line, page=1) if line.char_start >= split else line
        for line in doc_text.lines
    )
    doc_text = dataclasses.replace(doc_text, lines=lines)
    pages = (
        Page(0, 612.0, 792.0, (), source="text-layer"),
        Page(1, 612.0, 792.0, (), source="ocr"),
    )
    document = Document(Path(name), "0" * 64, pages)
    return Review(document, doc_text, build_sections(doc_text), [], None, {})


def test_only_the_clauses_read_by_ocr_are_tolerated() -> None:
    """On the page with a text layer a word that folds like another ("clear" → "dear") is
    an edit; on the page read by OCR the same fold is a misreading."""
    draft = DRAFT.replace("by hand or by courier", "by clear courier").replace(
        "commences on", "is clear on"
    )
    edited = draft.replace("is clear on", "is dear on").replace("clear courier", "dear courier")
    comparison = compare(_mixed(draft, "v1.pdf"), _mixed(edited, "v2.pdf"))
    changed = {e.label for e in comparison.entries if e.status == "changed"}
    assert changed == {"1 Term"}  # page 1 (text layer); 4 Notices is on the OCR'd page
    notices = next(e for e in comparison.entries if e.label == "4 Notices")
    assert notices.ocr == (("clear", "dear"),)


def test_a_paragraph_the_scan_cut_in_two_is_joined_though_misread() -> None:
    """The scan's layout cut clause 4 in two paragraphs and OCR misread a word of the second:
    the pieces still pair with the draft's paragraph (no clause added), and an edit inside
    them is still found."""
    more = " Notices to the Customer go to its legal department at its registered office."
    draft = DRAFT.replace("or by courier.\n", "or by courier." + more + "\n")
    cut = "or by courier.\n\n" + more.strip().replace("department", "departmcnt") + "\n"
    scan = SCAN.replace("or by courier.\n", cut)
    comparison = compare(_review(draft, "draft.pdf", False), _review(scan, "scan.pdf", True))
    assert [e.label for e in comparison.entries if e.status != "unchanged"] == []
    notices = next(e for e in comparison.entries if e.label == "4 Notices")
    assert ("department", "departmcnt") in notices.ocr
    edited = scan.replace("Each notice shall be", "Each notice may be")
    comparison = compare(_review(draft, "draft.pdf", False), _review(edited, "scan.pdf", True))
    assert [(e.status, e.label) for e in comparison.entries if e.status != "unchanged"] == [
        ("changed", "4 Notices")
    ]


def test_a_finding_about_the_whole_document_neither_appears_nor_goes() -> None:
    """A finding that rests on no clause ("no governing law clause") in both versions is
    the same finding (it was reported as gone and back again)."""
    gap = Finding("no-governing-law", "medium", "No governing law clause.", (), "No law")
    draft, scan = _review(DRAFT, "draft.pdf", False), _review(SCAN, "scan.pdf", True)
    draft, scan = (dataclasses.replace(r, findings=[gap]) for r in (draft, scan))
    assert compare(draft, scan).risks == ()
    assert compare(draft, dataclasses.replace(scan, findings=[])).risks[0].change == "went away"
