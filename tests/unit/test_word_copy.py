"""The Word copy's description, as both ends print it."""

from __future__ import annotations

from westfall_legal.session.word_copy import WordCopy


def test_a_copy_of_the_draft_and_a_clean_file_say_what_they_are() -> None:
    assert WordCopy(9, None).how() == WordCopy(9, None).how(count=True) == "a copy of the draft"
    clean = WordCopy(6, 331)
    assert clean.how() == "a clean Word file of the reviewed text"
    assert clean.how(count=True) == "a clean Word file of the reviewed text (331 paragraphs)"
