"""Two versions of a short contract compared clause by clause: the planted edits (a word
changed, a clause deleted and the rest renumbered, a clause moved, one added) are found,
nothing else is, and the JSON and HTML say so. Reviews built from the layout stage alone
(no clause model): sections, and the facts and findings each test sets."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from westfall_legal.handback.compare import compare, redline, shown
from westfall_legal.handback.redline import SCHEMA, compare_html, compare_json
from westfall_legal.handback.units import join_lines, normalise, paragraphs, units
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.text import plain_text
from westfall_legal.models import Clause, Document, Fact, Finding, Review

OLD = """SERVICES AGREEMENT

This Services Agreement is made between Acme Corp. and Beta LLC.

1. Definitions. "Services" means the consulting services described in each order form.

2. Term. This Agreement lasts three (3) years from the Effective Date and then ends.

3. Fees. Customer shall pay each invoice within thirty days of receiving it by wire.

4. Limitation of Liability. Provider's total liability shall not exceed the fees paid in a year.

5. Confidentiality. Each party shall keep the other party's confidential information secret.

6. Governing Law. This Agreement is governed by the laws of the State of New York.
"""

# 4 deleted (5 and 6 renumbered 4 and 5), 2 changed (three -> five), Governing Law moved
# before Confidentiality, an Audit clause added at the end.
NEW = """SERVICES AGREEMENT

This Services Agreement is made between Acme Corp. and Beta LLC.

1. Definitions. "Services" means the consulting services described in each order form.

2. Term. This Agreement lasts five (5) years from the Effective Date and then ends.

3. Fees. Customer shall pay each invoice within thirty days of receiving it by wire.

4. Governing Law. This Agreement is governed by the laws of the State of New York.

5. Confidentiality. Each party shall keep the other party's confidential information secret.

6. Audit. Customer may audit Provider's records once a year on thirty days' notice.
"""


def _review(text: str, name: str) -> Review:
    doc_text = plain_text(text)
    document = Document(Path(name), "0" * 64, ())
    return Review(document, doc_text, build_sections(doc_text), [], None, {})


def _at(review: Review, words: str) -> tuple[int, int]:
    start = review.doc_text.text.index(words)
    return start, start + len(words)


def _with_risks(review: Review, term: str) -> Review:
    """The review with its term as a fact, and the cap clause with its finding, if any."""
    start, end = _at(review, f"{term} (")
    facts = {"term": Fact("term", "P3Y" if term == "three" else "P5Y", term, start, end, 0, 1.0)}
    clauses, findings = [], []
    if "Limitation of Liability" in review.doc_text.text:
        start, end = _at(review, "Provider's total liability shall not exceed")
        clauses.append(Clause("k1", "Cap On Liability", 0.9, "", start, end, 0, (), None))
        findings.append(Finding("liability-cap-months", "medium", "Cap of 12 months' fees.",
                                ("k1",), "Liability capped at 12 months' fees"))  # fmt: skip
    return dataclasses.replace(review, facts=facts, clauses=clauses, findings=findings)


def _pair() -> tuple[Review, Review]:
    old, new = _review(OLD, "v1.txt"), _review(NEW, "v2.txt")
    return _with_risks(old, "three"), _with_risks(new, "five")


def test_units_are_the_sections_own_text_without_their_numbers() -> None:
    old = _review(OLD, "v1.txt")
    found = units(old)
    numbered = [u for u in found if u.number]
    assert [u.number for u in numbered] == ["1", "2", "3", "4", "5", "6"]
    term = numbered[1]
    assert term.label == "2 Term"
    assert term.text.startswith("2. Term. This Agreement lasts three (3) years")
    assert term.words[:3] == ("Term.", "This", "Agreement")  # the number is not compared
    assert old.doc_text.text[term.char_start : term.char_end].startswith("2. Term.")


def test_the_planted_edits_are_found_and_nothing_else() -> None:
    comparison = compare(*_pair())
    by_status: dict[str, list[str]] = {}
    for e in comparison.entries:
        by_status.setdefault(e.status, []).append(e.label)
    assert by_status["changed"] == ["2 Term"]
    assert by_status["removed"] == ["4 Limitation of Liability"]
    assert by_status["added"] == ["6 Audit"]
    moved = [e.label for e in comparison.entries if e.moved]
    renumbered = {(e.old.number, e.new.number) for e in comparison.entries if e.renumbered}  # type: ignore[union-attr]
    assert len(moved) == 1 and moved[0] in {"4 Governing Law", "5 Confidentiality"}
    assert renumbered == {("6", "4")}  # Confidentiality kept its number 5 (it was 5 before)
    assert comparison.counts["changed"] == 1 and comparison.counts["removed"] == 1
    assert comparison.counts["added"] == 1 and comparison.counts["moved"] == 1
    # the removed clause is listed where it was: after Fees, before what followed it
    labels = [e.label for e in comparison.entries]
    assert labels.index("4 Limitation of Liability") == labels.index("3 Fees") + 1


def test_the_redline_is_word_level() -> None:
    changed = next(e for e in compare(*_pair()).entries if e.status == "changed")
    edits = [op for op in changed.redline if op[0] != "equal"]
    assert edits == [("delete", "three (3)"), ("insert", "five (5)")]
    assert redline(("a", "b", "c"), ("a", "c", "d")) == (
        ("equal", "a"), ("delete", "b"), ("equal", "c"), ("insert", "d"),
    )  # fmt: skip


def test_facts_and_risks_that_changed() -> None:
    comparison = compare(*_pair())
    assert [f.describe() for f in comparison.facts] == ["term: 3 years → 5 years"]
    risks = {(r.kind, r.change, r.name, r.where) for r in comparison.risks}
    assert risks == {
        ("finding", "went away", "liability-cap-months", "4 Limitation of Liability"),
        ("category", "went away", "Cap On Liability", "4 Limitation of Liability"),
    }
    described = [r.describe() for r in comparison.risks if r.kind == "category"]
    assert described == [
        "the Cap On Liability clause went away (it was in 4 Limitation of Liability)"
    ]


def test_a_version_against_itself_has_no_change() -> None:
    old, _ = _pair()
    comparison = compare(old, old)
    assert {e.status for e in comparison.entries} == {"unchanged"}
    assert not comparison.facts and not comparison.risks
    assert comparison.counts["moved"] == comparison.counts["renumbered"] == 0


def test_a_finding_that_moves_with_its_clause_is_the_same_finding() -> None:
    """The cap clause renumbered 4 -> 3 (Fees deleted): its finding neither appears nor goes."""
    old = _with_risks(_review(OLD, "v1.txt"), "three")
    text = OLD.replace(
        "3. Fees. Customer shall pay each invoice within thirty days of receiving it by wire.\n\n",
        "",
    ).replace("4. Limitation", "3. Limitation")
    new = _with_risks(_review(text, "v2.txt"), "three")
    comparison = compare(old, new)
    assert [r.name for r in comparison.risks] == []
    assert [e.label for e in comparison.entries if e.status == "removed"] == ["3 Fees"]


def test_deleting_one_copy_of_a_repeated_clause_removes_that_copy() -> None:
    same = "No Modification. Nothing in this Assignment modifies the Agreement."
    old_text = (f"EXHIBIT A\n\n1. Patents. Assignor assigns the patents.\n\n2. {same}\n\n"
                f"EXHIBIT B\n\n1. Marks. Assignor assigns the marks.\n\n2. {same}\n")  # fmt: skip
    new_text = old_text.replace(f"2. {same}\n\nEXHIBIT B", "EXHIBIT B")
    old, new = _review(old_text, "v1.txt"), _review(new_text, "v2.txt")
    (removed,) = [e for e in compare(old, new).entries if e.status != "unchanged"]
    assert removed.status == "removed" and removed.old is not None
    assert removed.old.char_start == old_text.index(f"2. {same}")  # the first copy, not the last


def test_pdf_and_word_spellings_read_alike() -> None:
    assert normalise("the “Services”\u00a0—  Provider’s") == 'the "Services" - Provider\'s'
    assert join_lines(["for non-", "payment of the", "  fees"]) == "for non-payment of the fees"
    assert join_lines(["fees -", "and"]) == "fees - and"
    assert shown("P1Y") == "1 year" and shown("P30D") == "30 days" and shown(None) == "(none)"


def test_a_paragraph_cut_by_a_page_break_runs_on() -> None:
    """A PDF's block that ends mid-sentence ("Co-") runs on into the next; a bare number at
    the cut ("Schedule 2") is a word, the marked number of a new paragraph is not."""
    doc = plain_text(
        "1. Users. All users of the Co-\n\nBranded Site under Schedule\n\n2 and (b) more."
    )
    starts = [line.char_start for line in doc.lines]
    (para,) = paragraphs(doc, starts, 0, len(doc.text))
    assert para[3] == ("Users.", "All", "users", "of", "the", "Co-Branded", "Site", "under",
                       "Schedule", "2", "and", "(b)", "more.")  # fmt: skip
    heading = plain_text("ARTICLE 3\n\nTERM\n\n(a) The term is one year.\n\n(b) It renews.")
    starts = [line.char_start for line in heading.lines]
    found = paragraphs(heading, starts, 0, len(heading.text))
    assert [p[3] for p in found] == [
        ("TERM", "The", "term", "is", "one", "year."),
        ("It", "renews."),
    ]


def test_json_and_html(tmp_path: Path) -> None:
    data = compare_json(compare(*_pair()))
    assert data["schema"] == SCHEMA
    assert json.loads(json.dumps(data)) == data  # plain JSON
    assert data["old"]["kind"] == "text" and data["new"]["path"] == "v2.txt"
    changed = [c for c in data["clauses"] if c["status"] == "changed"]
    assert changed[0]["redline"][1] == ["delete", "three (3)"]
    removed = next(c for c in data["clauses"] if c["status"] == "removed")
    assert removed["new"] is None and removed["old"]["number"] == "4"
    page = compare_html(data)
    assert "<del>three (3)</del> <ins>five (5)</ins>" in page
    assert "<del>4. Limitation of Liability." in page and "<ins>6. Audit." in page
    assert "<del>3 years</del>" in page and "<ins>5 years</ins>" in page
    assert "<script" not in page and "http" not in page  # self-contained, no outside resource
    assert page.count("class='clause") == 4  # changed, removed, moved, added; not the same
    # a scan's OCR may find a number the other version's reading has not
    same = next(c for c in data["clauses"] if c["status"] == "unchanged" and not c["moved"])
    same["old"]["number"], same["renumbered"] = None, True
    assert "(was not numbered)" in compare_html(data)
