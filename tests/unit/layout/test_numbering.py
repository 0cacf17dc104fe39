from __future__ import annotations

from westfall_legal.layout.numbering import numbering_issues, ordinal
from westfall_legal.models import Section


def _s(sid: str, number: str, parent: str | None = None) -> Section:
    return Section(sid, number, "Title", 1 if parent is None else 2, parent, 0, 1, 1)


def test_ordinals() -> None:
    assert ordinal("5.2") == ("digit", 2)
    assert ordinal("ARTICLE IV") == ("roman", 4)
    assert ordinal("(c)") == ("lower", 3)
    assert ordinal("(iv)") == ("roman", 4)
    assert ordinal("Schedule") is None


def test_skips_restarts_and_repeats_are_reported_per_parent() -> None:
    sections = [
        _s("a1", "1"), _s("a1.1", "1.1", "a1"), _s("a1.2", "1.2", "a1"),
        _s("a2", "2"), _s("a2.1", "2.1", "a2"), _s("a2.3", "2.3", "a2"),
        _s("a4", "4"), _s("b1", "1"), _s("b1x", "1"),
    ]  # fmt: skip
    issues = [(i.section, i.kind, i.expected) for i in numbering_issues(sections)]
    assert issues == [("a2.3", "skip", "2"), ("a4", "skip", "3"), ("b1", "restart", "5"),
                      ("b1x", "repeat", "2")]  # fmt: skip


def test_a_clean_tree_has_no_issues() -> None:
    sections = [_s("1", "1"), _s("1.1", "1.1", "1"), _s("2", "2"), _s("2.1", "2.1", "2")]
    sections += [_s("x1", "Schedule 1"), _s("x2", "Schedule 2"), _s("e1", "Exhibit A")]
    assert numbering_issues(sections) == []


def test_ambiguous_letters_follow_their_series() -> None:
    romans = [_s("r1", "(i)", "p"), _s("r2", "(ii)", "p"), _s("r3", "(iii)", "p"),
              _s("r4", "(iv)", "p"), _s("r5", "(v)", "p"), _s("r6", "(vi)", "p")]  # fmt: skip
    letters = [_s(f"l{i}", f"({c})", "q") for i, c in enumerate("abcdefghjk")]  # no (i)
    assert numbering_issues(romans) == []
    assert [(i.number, i.kind) for i in numbering_issues(letters)] == [("(j)", "skip")]
    assert numbering_issues([_s("a", "1.0"), _s("b", "2.0"), _s("c", "3")]) == []
