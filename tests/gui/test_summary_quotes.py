"""The summary tab shows a quotation as the contract's words under its section, and a click
goes to those words on the page."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from westfall_legal.gui.summary_tab import SummaryTab


def test_a_quotation_is_shown_in_quote_marks_and_jumps_to_its_words(qtbot: QtBot) -> None:
    tab = SummaryTab()
    qtbot.add_widget(tab)
    summary = {
        "sentences": [
            {"text": "It is governed by the law of New York.", "clause_ids": [], "source": "rule"},
            {
                "text": "12.1 Governing Law: “governed by the laws of New York”",
                "clause_ids": ["k7"],
                "source": "llm",
                "quote": "… governed by the laws of New York …",
                "heading": "12.1 Governing Law",
                "span": [410, 445],
            },
        ],
        "note": None,
    }
    tab.show_review(None, {}, [], summary)
    item = tab.sentences.item(1)
    assert item.text().startswith("12.1 Governing Law\n    “… governed by the laws of New York …”")
    assert item.font().italic()
    with qtbot.wait_signal(tab.spanRequested) as blocker:
        tab._go(item)
    assert blocker.args == [410, 445]
