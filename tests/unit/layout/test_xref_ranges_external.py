"""Reference resolution for the EDGAR gold set's forms (issue 26): ranges, lists, references
split by a line or page break, "Part B of Schedule 1", dotted articles, items written 5.2.2.a,
and references to another instrument kept apart with the instrument named."""

from __future__ import annotations

from pathlib import Path

from westfall_legal.layout.external import find_rules, instrument_of
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.text import build_text, plain_text
from westfall_legal.layout.xrefs import find_cross_references, find_references
from westfall_legal.models import Document, DocumentText, Page, Word

CONTRACT = "\n\n".join(
    [
        "ARTICLE 5 SUPPLY",
        "5.1 Orders. The Buyer orders by notice.",
        "5.2 Delivery. The Supplier delivers within ten days.",
        "ARTICLE 7 QUALITY",
        "7.2 Inspection.",
        "7.2.2 Sampling. Samples are taken weekly.",
        "7.2.3 Testing. Samples are tested.",
        "7.2.4 Records. Results are recorded.",
        "9.1 Board. The Board manages the venture.",
        "11.1 Claims. Claims are notified.",
        "11.2 Defence. The indemnifier defends.",
        "11.3 Settlement. No settlement without consent.",
        "11.4 Cap. Liability is capped.",
        "5.2.2 Carriers. The Supplier chooses the carrier.",
        "Remedies follow Sections 7.2.2 through 7.2.4, and Sections 5.1 or 5.2 apply to orders.",
        "Sections 11.1-11.4 survive. The Board is defined in Article 9.1.",
        "The carrier is chosen under Section 5.2.2.a and under Section\n5.1 as well.",
        "Inspections follow Section 7.2A.",
        "Both Section 2(a) of the Securities Act and Rule 144 under the Securities Act apply, as "
        "does Section 351(l)(6) of the PHS Act and 17 C.F.R. Sections 200.80(b)(4).",
        "The rates follow Article VIII, Section 1 of the General Terms and Conditions, and "
        "Section 2.3 of the Warrant.",
        "The prices are in Part B of Schedule 1.",
        "Schedule 1 Prices",
        "Part A Products",
        "Part B Services",
    ]
)


def _targets(dt: DocumentText) -> dict[str, list[str | None]]:
    sections = build_sections(dt)
    numbers = {s.id: s.number for s in sections}
    found: dict[str, list[str | None]] = {}
    for r in find_cross_references(dt, sections):
        found.setdefault(r.label, []).append(numbers[r.target] if r.target else None)
    return found


def test_ranges_give_their_two_ends_and_lists_each_item() -> None:
    refs = _targets(plain_text(CONTRACT))
    assert refs["Section 7.2.2"] == ["7.2.2"] and refs["Section 7.2.4"] == ["7.2.4"]
    assert "Section 7.2.3" not in refs  # a range is its two ends
    assert refs["Section 11.1"] == ["11.1"] and refs["Section 11.4"] == ["11.4"]
    assert refs["Section 5.2"] == ["5.2"]
    assert refs["Section 5.1"] == ["5.1", "5.1"]  # the second split over a line break


def test_dotted_articles_items_written_with_a_letter_and_parts_of_a_schedule() -> None:
    dt = plain_text(CONTRACT)
    refs = _targets(dt)
    assert refs["Article 9.1"] == ["9.1"]
    assert refs["Section 5.2.2.a"] == ["5.2.2"]  # item a of 5.2.2: the tree has no (a)
    assert refs["Section 7.2A"] == ["7.2"]  # subsection A of 7.2, written without brackets
    sections = build_sections(dt)
    by_id = {s.id: s for s in sections}
    part = next(r for r in find_cross_references(dt, sections) if r.label == "Part B")
    target = by_id[part.target or ""]
    assert target.number == "Part B" and by_id[target.parent or ""].number == "Schedule 1"


def test_external_references_are_apart_named_and_never_dangling() -> None:
    dt = plain_text(CONTRACT)
    internal, external = find_references(dt, build_sections(dt))
    named = {(e.label, e.instrument) for e in external}
    assert ("Section 2(a)", "Securities Act") in named
    assert ("Rule 144", "Securities Act") in named
    assert ("Section 351(l)(6)", "PHS Act") in named
    assert ("Section 200.80(b)(4)", "17 C.F.R") in named
    assert ("Article VIII", "General Terms and Conditions") in named
    assert ("Section 1", "General Terms and Conditions") in named
    assert ("Section 2.3", "Warrant") in named
    labels = {r.label for r in internal}
    assert not labels & {"Section 2(a)", "Section 351(l)(6)", "Article VIII", "Section 2.3"}
    assert not [r for r in internal if r.dangling]


def test_a_bare_rule_names_no_instrument_and_ours_is_not_external() -> None:
    text = "Shares may be sold under Rule 144 or Rule 10b5-1(c). See Section 4 of this Agreement."
    rules = find_rules(text)
    assert [(r.label, r.instrument) for r in rules] == [("Rule 144", ""), ("Rule 10b5-1(c)", "")]
    end = text.index("Section 4") + len("Section 4")
    assert instrument_of(text, text.index("Section 4"), end) is None


def _page(number: int, lines: list[str]) -> Page:
    words = []
    placed = [(30.0, "ACME Supply Agreement", 900)]
    placed += [(100.0 + 20 * i, line, i) for i, line in enumerate(lines)]
    placed.append((760.0, f"Page {number}", 901))
    for row, (y, text, block) in enumerate(placed):
        x = 72.0
        for w in text.split():
            words.append(Word(w, (x, y, x + 6 * len(w), y + 10), block=block, line=row))
            x += 6 * len(w) + 4
    return Page(number, 612.0, 792.0, tuple(words))


def test_a_reference_split_by_a_page_break_reads_across_the_running_head() -> None:
    pages = (
        _page(1, ["4.1 Price. The price is fixed.", "Any change is made under Section"]),
        _page(2, ["4.1 and the Buyer accepts it.", "4.2 Taxes. Taxes are extra."]),
    )
    dt = build_text(Document(Path("x.pdf"), "0" * 64, pages))
    sections = build_sections(dt)
    numbers = {s.id: s.number for s in sections}
    refs = find_cross_references(dt, sections)
    assert [(r.label, numbers.get(r.target or "")) for r in refs] == [("Section 4.1", "4.1")]


def test_a_table_of_contents_line_is_not_what_a_reference_means() -> None:
    text = "\n\n".join(
        [
            "3.1 Fees",
            "3.2 Taxes",
            "3.1 Fees. " + "The Buyer pays the fees monthly in arrears. " * 6,
            "3.2 Taxes. The Buyer pays the taxes.",
            "The fees are due under Section 3.1.",
        ]
    )
    dt = plain_text(text)
    sections = build_sections(dt)
    by_id = {s.id: s for s in sections}
    ref = next(r for r in find_cross_references(dt, sections) if r.label == "Section 3.1")
    assert by_id[ref.target or ""].char_start == text.index("3.1 Fees. The Buyer")


def test_a_statute_section_named_once_stays_external_when_repeated_bare() -> None:
    text = "\n\n".join(
        [
            "1. Licenses. The licenses are licenses of intellectual property.",
            "They are so for the purposes of Section 365(n) of the Bankruptcy Code "
            "(“Section 365(n)”).",
            "2. Bankruptcy. The licensee may elect to retain its rights under Section 365(n).",
        ]
    )
    dt = plain_text(text)
    internal, external = find_references(dt, build_sections(dt))
    assert not internal
    assert [(e.label, e.instrument) for e in external] == [
        ("Section 365(n)", "Bankruptcy Code"),
        ("Section 365(n)", "Bankruptcy Code"),
        ("Section 365(n)", "Bankruptcy Code"),
    ]


def test_a_defined_statute_term_is_external_before_the_statute_is_named() -> None:
    text = "\n\n".join(
        [
            "1. Definitions. (a) “Section 365(n)” has the meaning given to it in Section 4.",
            "2. Scope. The licences are of intellectual property.",
            "3. Term. The licences are perpetual.",
            "4. Bankruptcy. The licences are licences within the meaning of Section 365(n) of "
            "the Bankruptcy Code (“Section 365(n)”).",
        ]
    )
    dt = plain_text(text)
    internal, external = find_references(dt, build_sections(dt))
    assert [(r.label, r.dangling) for r in internal] == [("Section 4", False)]
    assert [(e.label, e.instrument, e.char_start) for e in external] == [
        ("Section 365(n)", "Bankruptcy Code", text.index("Section 365(n)")),
        ("Section 365(n)", "Bankruptcy Code", text.index("Section 365(n) of")),
        ("Section 365(n)", "Bankruptcy Code", text.index("Section 365(n)”)")),
    ]


def test_an_unresolved_reference_after_another_instruments_in_its_sentence_is_theirs() -> None:
    text = "\n\n".join(
        [
            "1. Definitions. Terms have the meaning given in the Non-Competition Agreement.",
            "2. Non-Competition. Section 2 of the Non-Competition Agreement is deleted, and the "
            "provisions that relate to it, including Sections 3 and 6, are amended.",
            "3. Term. This Amendment ends with the Non-Competition Agreement.",
            "Nothing in Section 7 changes this.",
        ]
    )
    dt = plain_text(text)
    internal, external = find_references(dt, build_sections(dt))
    assert [(e.label, e.instrument) for e in external] == [
        ("Section 2", "Non-Competition Agreement"),
        ("Section 3", "Non-Competition Agreement"),
        ("Section 6", "Non-Competition Agreement"),
    ]
    # "Sections 3 and 6" are one list, so one instrument's, though this document has a 3; a
    # later sentence's unresolved one stays dangling
    assert [(r.label, r.dangling) for r in internal] == [("Section 7", True)]


def test_a_reference_ending_in_thereof_is_the_document_its_sentence_named() -> None:
    text = "\n\n".join(
        [
            "1. Licence. The Licensor grants the licence.",
            "2. Termination. If the Agency Agreement is terminated under Section 9.02(c)(iii) or "
            "9.02(d)(i) thereof, this Agreement terminates. Section 8 hereof governs notices.",
        ]
    )
    dt = plain_text(text)
    internal, external = find_references(dt, build_sections(dt))
    assert [(e.label, e.instrument) for e in external] == [
        ("Section 9.02(c)(iii)", "Agency Agreement"),
        ("Section 9.02(d)(i)", "Agency Agreement"),
    ]
    assert [(r.label, r.dangling) for r in internal] == [("Section 8", True)]


def test_an_instrument_named_after_a_page_break_legend_is_read_across_it() -> None:
    legend = "***Confidential Information has been omitted and filed separately."
    pages = (
        _page(
            1,
            [
                "4.1 Price. The price is fixed.",
                "The shares are due under Section 1.2 of",
                "---------------",
                legend,
            ],
        ),
        _page(2, ["the Securities Purchase Agreement and under Section 4.1.", "4.2 Taxes."]),
    )
    dt = build_text(Document(Path("x.pdf"), "0" * 64, pages))
    internal, external = find_references(dt, build_sections(dt))
    assert [(e.label, e.instrument) for e in external] == [
        ("Section 1.2", "Securities Purchase Agreement")
    ]
    assert [(r.label, r.dangling) for r in internal] == [("Section 4.1", False)]


LICENCE = "\n\n".join(
    [
        "1. Definitions. Terms are defined here.",
        "2. License.",
        "(a) License Grant. Licensor grants the licence for the Titles in Schedule A1-A6 of "
        "Schedule A.",
        "(b) Sublicensing. Licensee may sublicense.",
        "(c) Display of Titles. Titles are displayed.",
        "(d) Removal of Titles. Titles may be removed.",
        "3. Fees. Licensee pays the fees for Titles in Schedule A3.",
        "11. Confidentiality. Each party keeps secrets.",
        "12. Term. Sections 2(a) [License Grant], 2(b) [Sublicensing], 2(c) [Display of "
        "Titles], 2(d)\n[Removal of Titles], 3, and 11 survive, as does Section 2(a) [License "
        "Grant]-\n(d).",
        "SCHEDULE A",
        "Titles [Attached]",
    ]
)


def test_lists_and_ranges_go_on_past_bracketed_titles() -> None:
    refs = _targets(plain_text(LICENCE))
    for label, number in (("2(b)", "(b)"), ("2(c)", "(c)"), ("3", "3"), ("11", "11")):
        assert refs[f"Section {label}"] == [number], label
    assert refs["Section 2(d)"] == ["(d)", "(d)"]  # in the list, and the range's end
    assert "Section License" not in refs and not any("Grant" in k for k in refs)


def test_a_schedules_numbered_part_is_the_schedule_and_a1_a6_a_range() -> None:
    refs = _targets(plain_text(LICENCE))
    assert refs["Schedule A1"] == ["Schedule A"] and refs["Schedule A6"] == ["Schedule A"]
    assert refs["Schedule A3"] == ["Schedule A"]
    assert "Schedule A1-A6" not in refs
