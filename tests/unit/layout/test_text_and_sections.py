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
