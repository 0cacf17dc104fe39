from __future__ import annotations

from pathlib import Path

from westfall_legal.layout.sections import build_sections, classify_line
from westfall_legal.layout.text import build_text, plain_text
from westfall_legal.models import Document, Page, Word


def _page(number: int, lines: list[str], height: float = 792.0) -> Page:
    """Lines laid out top to bottom; the first and last lines sit in the page margins."""
    words = []
    for i, line in enumerate(lines):
        y = 30.0 if i == 0 else (760.0 if i == len(lines) - 1 else 100.0 + 20 * i)
        x = 72.0
        for w in line.split():
            words.append(Word(w, (x, y, x + 6 * len(w), y + 10), block=i, line=0))
            x += 6 * len(w) + 4
    return Page(number, 612.0, height, tuple(words))


def test_running_heads_and_page_numbers_are_marked_not_dropped() -> None:
    pages = tuple(
        _page(n, ["ACME Supply Agreement", f"{n}. Body text of page {n}.", f"Page {n} of 3"])
        for n in (1, 2, 3)
    )
    dt = build_text(Document(Path("x.pdf"), "0" * 64, pages))
    margins = [dt.text[ln.char_start : ln.char_end] for ln in dt.lines if ln.is_margin]
    body = [dt.text[ln.char_start : ln.char_end] for ln in dt.lines if not ln.is_margin]
    assert margins.count("ACME Supply Agreement") == 3
    assert "Page 2 of 3" in margins
    assert body == [f"{n}. Body text of page {n}." for n in (1, 2, 3)]
    assert "ACME Supply Agreement" in dt.text  # kept in the text


def test_tokens_give_boxes_and_pages_for_a_span() -> None:
    pages = (_page(1, ["head", "Alpha beta gamma", "foot"]), _page(2, ["x", "Delta", "y"]))
    dt = build_text(Document(Path("x.pdf"), "0" * 64, pages))
    start = dt.text.index("beta")
    page, boxes = dt.locate(start, start + len("beta gamma"))
    assert page == 1 and len(boxes) == 2
    assert boxes[0][0] < boxes[1][0]
    page2, _ = dt.locate(dt.text.index("Delta"), dt.text.index("Delta") + 5)
    assert page2 == 2


def test_classify_line_kinds() -> None:
    assert classify_line("ARTICLE IV INDEMNIFICATION")[:2] == ("article", "IV")  # type: ignore[index]
    assert classify_line("Section 5.2 Fees")[:2] == ("dotted2", "5.2")  # type: ignore[index]
    assert classify_line("12. Governing Law. This ...")[:2] == ("dotted1", "12")  # type: ignore[index]
    assert classify_line("(a) the Customer shall")[:2] == ("paren-a", "(a)")  # type: ignore[index]
    assert classify_line("(ii) any affiliate")[:2] == ("paren-i", "(ii)")  # type: ignore[index]
    assert classify_line("Schedule 2 Fees")[:2] == ("annex", "Schedule 2")  # type: ignore[index]
    assert classify_line("30 days after notice") is None
    assert classify_line("2005 was a good year") is None


def test_section_tree_levels_parents_and_titles() -> None:
    text = "\n\n".join(
        [
            "ARTICLE I DEFINITIONS",
            "1.1 Agreement. This document.",
            "(a) first item;",
            "(i) nested item;",
            "(b) second item.",
            "1.2 Services. The Provider shall.",
            "ARTICLE II TERM",
            "2.1 Term. Three years.",
            "Schedule 1 Services",
        ]
    )
    sections = build_sections(plain_text(text))
    got = [(s.number, s.level, s.parent, s.title) for s in sections]
    ids = {s.number: s.id for s in sections}
    assert got[0] == ("I", 1, None, "DEFINITIONS")
    assert got[1] == ("1.1", 2, ids["I"], "Agreement")
    assert got[2][:3] == ("(a)", 3, ids["1.1"])
    assert got[3][:3] == ("(i)", 4, ids["(a)"])
    assert got[4][:3] == ("(b)", 3, ids["1.1"])
    assert got[5][:3] == ("1.2", 2, ids["I"])
    assert got[6][:2] == ("II", 1)
    assert got[8][:2] == ("Schedule 1", 1)
    art1 = sections[0]
    assert text[art1.char_start : art1.char_end].rstrip().endswith("The Provider shall.")


def test_skipped_and_restarted_numbering_is_tolerated() -> None:
    text = "1. One.\n\n3. Three.\n\n1. Again.\n\n(a) item."
    sections = build_sections(plain_text(text))
    assert [s.number for s in sections] == ["1", "3", "1", "(a)"]
    assert sections[3].parent == sections[2].id


def test_a_sentence_opening_with_schedule_or_article_is_not_a_heading() -> None:
    assert classify_line("Schedule 2 unless the Statement of Work provides otherwise.") is None
    assert classify_line("Article 8 shall survive termination.") is None
    assert classify_line("SCHEDULE 1")[:2] == ("annex", "Schedule 1")  # type: ignore[index]
    assert classify_line("Exhibit A Form of Order")[:2] == ("annex", "Exhibit A")  # type: ignore[index]
    text = "2.2 Fees.\n\n(c) rates in\n\nSchedule 2 unless agreed otherwise.\n\n2.3 Orders."
    sections = build_sections(plain_text(text))
    assert [s.number for s in sections] == ["2.2", "(c)", "2.3"]


def test_ocr_comma_after_a_dotted_number_still_opens_a_section() -> None:
    assert classify_line("7.3, License to Pre-Existing IP. Provider grants")[:2] == (  # type: ignore[index]
        "dotted2",
        "7.3",
    )
    assert classify_line("5, 6 and 7 apply") is None


def _numbers_and_titles(text: str) -> list[tuple[str | None, str | None]]:
    return [(s.number, s.title) for s in build_sections(plain_text(text))]


def test_headings_run_in_inside_a_block_after_a_full_stop_or_a_heading() -> None:
    # One PDF block holding several sections (lines separated by single newlines).
    text = "\n".join(
        [
            "1. DEFINITIONS",
            "1.1 Terms. Capitalised terms have the meanings below.",
            "2. Term. The term of this Agreement is three years, unless terminated under Section",
            "14.1 or extended.",
            "3. Fees. Customer pays.",
        ]
    )
    assert _numbers_and_titles(text) == [
        ("1", "DEFINITIONS"),
        ("1.1", "Terms"),
        ("2", "Term"),
        ("3", "Fees"),
    ]


def test_a_title_on_the_line_under_its_number() -> None:
    text = "\n".join(["ARTICLE I", "DEFINITIONS", "1.1 “Fee” means a fee."])
    text += "\n\n" + "\n".join(["EXHIBIT A", "TO", "SUPPLY AGREEMENT"])
    text += "\n\n" + "\n".join(["2.", "Grant of Franchise", "2.1 Rights. The franchisor grants."])
    assert _numbers_and_titles(text) == [
        ("I", "DEFINITIONS"),
        ("1.1", None),
        ("Exhibit A", "TO SUPPLY AGREEMENT"),
        ("2", "Grant of Franchise"),
        ("2.1", "Rights"),
    ]


def test_titles_need_an_end_or_a_line_of_their_own() -> None:
    text = "\n".join(
        [
            "5.1 Subject to the General Terms and Conditions of the Tariff",
            "this Agreement runs for a year.",
        ]
    )
    text += "\n\n7.2 U.S. FCPA Compliance. Each Party complies.\n\n8.1 AMR Products"
    text += "\n\nSection 2.01 [Calling Card]. Calling Card. PrimeCall and DeltaThree agree."
    assert _numbers_and_titles(text) == [
        ("5.1", None),
        ("7.2", "U.S. FCPA Compliance"),
        ("8.1", "AMR Products"),
        ("2.01", "[Calling Card]"),
    ]


def test_glued_numbers_parts_and_the_filing_label() -> None:
    text = "\n\n".join(
        [
            "Exhibit 10.1",
            "SUPPLY AGREEMENT",
            "1.DGT shall pay Dolphin the fee;\n2.Upon completion, DGT will pay again.",
            "SCHEDULE 1",
            "PART A DESCRIPTION OF SERVICES",
            "1. Operations. Provider operates the platform.",
        ]
    )
    sections = build_sections(plain_text(text))
    got = [(s.number, s.level) for s in sections]
    assert got == [
        (None, 1),  # SUPPLY AGREEMENT, a capitalised heading; Exhibit 10.1 is no schedule
        ("1", 2),
        ("2", 2),
        ("Schedule 1", 1),
        ("Part A", 2),
        ("1", 3),
    ]
    assert sections[4].title == "DESCRIPTION OF SERVICES"


def test_a_page_break_inside_a_sentence_does_not_start_a_section() -> None:
    text = "4.8 Prepaid Fees. Refunds follow termination under Section\n\n14.1 or Section 14.2."
    text += "\n\nthe case of Provider,\n\nArticle 9 (Data Protection and Security);"
    assert _numbers_and_titles(text) == [("4.8", "Prepaid Fees")]


def _line_words(text: str, x: float, y: float, block: int, line: int) -> list[Word]:
    words = []
    for w in text.split():
        words.append(Word(w, (x, y, x + 5.0 * len(w), y + 10), block=block, line=line))
        x += 5.0 * len(w) + 3
    return words


def test_a_two_column_page_drawn_line_by_line_reads_column_by_column() -> None:
    left = [f"left {i} alpha beta gamma delta epsilon" for i in range(5)]
    right = [f"right {i} alpha beta gamma delta epsilon" for i in range(5)]
    words = _line_words("AGREEMENT TITLE ACROSS THE WHOLE PAGE WIDTH AND MORE OF IT", 72, 80, 0, 0)
    for i in range(5):  # one block, the lines alternating between the columns
        words += _line_words(left[i], 72, 120 + 14 * i, 1, 2 * i)
        words += _line_words(right[i], 320, 120 + 14 * i, 1, 2 * i + 1)
    words += _line_words(
        "A closing paragraph that runs across both of the columns here", 72, 200, 2, 0
    )
    page = Page(1, 612.0, 792.0, tuple(words))
    dt = build_text(Document(Path("x.pdf"), "0" * 64, (page,)))
    paragraphs = dt.text.split("\n\n")
    assert paragraphs == [
        "AGREEMENT TITLE ACROSS THE WHOLE PAGE WIDTH AND MORE OF IT",
        "\n".join(left),
        "\n".join(right),
        "A closing paragraph that runs across both of the columns here",
    ]


def test_a_single_column_page_with_a_hanging_list_keeps_its_order() -> None:
    words = []
    for i in range(5):  # labels at the margin, text from the middle: not two columns
        words += _line_words(f"({'abcde'[i]})", 72, 100 + 14 * i, i, 0)
        words += _line_words("the obligation of the party", 200, 100 + 14 * i, i, 1)
    page = Page(1, 612.0, 792.0, tuple(words))
    dt = build_text(Document(Path("x.pdf"), "0" * 64, (page,)))
    assert dt.text.split("\n\n")[0] == "(a)\nthe obligation of the party"
