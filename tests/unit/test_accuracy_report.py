"""The weekly accuracy report from a store with scripted corrections over three weeks: its
counts, agreement, weeks, most corrected categories, flags against the evaluation figures,
and the HTML page (self-contained, with its plots), also through `westfall report accuracy`."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from westfall_legal.cli import main
from westfall_legal.feedback.accuracy_html import accuracy_html
from westfall_legal.feedback.accuracy_report import AccuracyReport, accuracy_report, week_of
from westfall_legal.store import KdfParams, Store, keys
from westfall_legal.store import corrections as corrections_module

FAST_KDF = KdfParams(algorithm="argon2id", salt="", iterations=1, lanes=1, memory_cost=8)
PASSPHRASE = "correct horse battery staple"
SENTENCE = "The parties agree to clause number {n} of this agreement in full. "
W45, W46, W47 = "2026-11-03", "2026-11-10", "2026-11-17"  # ISO weeks 45, 46, 47
EXPECTED = {"Cap On Liability": 0.9, "Governing Law": 0.8, "macro": 0.7}


def review(name: str, categories: list[str]) -> dict[str, Any]:
    text = "".join(SENTENCE.format(n=i) for i in range(len(categories) + 2)) + f"({name})"
    clauses = []
    for i, category in enumerate(categories):
        start = i * len(SENTENCE.format(n=0))
        end = start + len(SENTENCE.format(n=i)) - 1
        clauses.append({"id": f"c{i + 1}", "category": category, "confidence": 0.7,
                        "text": text[start:end], "char_start": start, "char_end": end,
                        "page": 1, "boxes": [], "section": None})  # fmt: skip
    # fmt: off
    return {
        "schema": "westfall.review/1",
        "document": {"path": f"{name}.pdf", "sha256": hashlib.sha256(text.encode()).hexdigest(),
                     "pages": []},
        "text": text, "contract_type": {"label": "Supply", "confidence": 0.9},
        "clauses": clauses, "facts": {}, "findings": [], "summary": None,
        "model": {"id": "clauses-v1", "sha256": "ab" * 32},
    }
    # fmt: on


@pytest.fixture
def store(app_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setattr(keys, "DEFAULT_KDF", FAST_KDF)
    opened = Store.create(PASSPHRASE, app_home / "store.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def scripted(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """Corrections on four documents over four weeks (the first before the report's start)."""
    day = {"now": ""}
    monkeypatch.setattr(corrections_module, "now", lambda: day["now"] + "T10:00:00.000000+00:00")
    store.matters.create("Supply")

    def doc(name: str, categories: list[str]) -> str:
        return store.reviews.add("Supply", review(name, categories)).document.id

    c = store.corrections
    old = doc("old", ["Governing Law"])
    d1 = doc("one", ["Governing Law", "Audit Rights", "Cap On Liability", "Anti-Assignment"])
    d2 = doc("two", ["Governing Law", "Audit Rights", "Cap On Liability"])
    d3 = doc("three", ["Governing Law", "Governing Law", "Cap On Liability"])
    day["now"] = "2026-10-20"  # before --since: not counted
    c.accept(old, "c1", reviewer="Ann")
    day["now"] = W45
    c.accept(d1, "c1", reviewer="Ann")  # Governing Law agreed
    c.accept(d1, "c2", reviewer="Ann")  # Audit Rights agreed
    c.reject(d1, "c3", reviewer="Ann")  # Cap On Liability rejected
    c.relabel(d1, "c4", "Audit Rights", reviewer="Ann")  # Anti-Assignment relabelled
    c.comment(d1, "checked with the client", reviewer="Ann", target="c1")  # not counted
    day["now"] = W46
    c.accept(d2, "c1", reviewer="Bo")  # Governing Law agreed
    c.change_span(d2, "c2", 0, 30, reviewer="Bo")  # Audit Rights span changed
    c.accept(d2, "c3", reviewer="Bo")
    c.undo(d2, reviewer="Bo")  # the accept of c3 is undone: not counted
    c.add_clause(d2, "Expiration Date", 40, 90, reviewer="Bo")  # missed
    day["now"] = W47
    c.reject(d3, "c1", reviewer="Ann")  # Governing Law rejected
    c.accept(d3, "c2", reviewer="Ann")  # Governing Law agreed
    c.accept(d3, "c3", reviewer="Ann")
    c.reject(d3, "c3", reviewer="Ann")  # the reviewer changed her mind: rejected
    return store


def _report(store: Store) -> AccuracyReport:
    return accuracy_report(store, "2026-11-01", expected=EXPECTED, expected_source="test")


def test_the_report_counts_what_reviewers_did(scripted: Store) -> None:
    report = _report(scripted)
    o = report.overall
    assert (o.judged, o.counts["agreed"], o.changes, o.counts["missed"]) == (9, 4, 6, 1)
    assert o.agreement == pytest.approx(4 / 9)
    per = {c: dict(t.counts) for c, t in report.per_category.items()}
    assert per == {
        "Anti-Assignment": {"relabelled": 1},
        "Audit Rights": {"agreed": 1, "span": 1},
        "Cap On Liability": {"rejected": 2},
        "Expiration Date": {"missed": 1},
        "Governing Law": {"agreed": 3, "rejected": 1},
    }
    weeks = {
        w: (t.counts["agreed"], t.judged, t.counts["missed"]) for w, t in report.per_week.items()
    }
    assert weeks == {"2026-W45": (2, 4, 0), "2026-W46": (1, 2, 1), "2026-W47": (1, 3, 0)}
    assert report.per_category_week["Governing Law"]["2026-W47"].agreement == 0.5
    assert [c for c, _ in report.most_corrected(2)] == ["Cap On Liability", "Anti-Assignment"]
    # 0 of 2 agreed is below an evaluation precision of 0.9; 3 of 4 is not below 0.8
    assert report.flagged == ("Cap On Liability",)
    low, high = report.per_category["Governing Law"].interval() or (0, 0)
    assert low < 0.75 < high
    (row,) = report.drift  # what `drift` counts: 4 reviews, 11 clauses, changes not undone
    assert (row.reviews, row.clauses, row.changes, row.accepts) == (4, 11, 6, 6)


def test_the_page_is_self_contained_with_its_plots(scripted: Store) -> None:
    page = accuracy_html(_report(scripted))
    assert page.count("<svg") == 2 and "<script" not in page
    assert not re.search(r"(src|href)=", page)  # nothing outside the file
    assert "agreement <b>44.4%</b>" in page
    assert re.search(r"<tr class='warn'><td>Cap On Liability</td><td>2</td>", page)
    assert "<td>2026-W46</td><td>2</td><td>1</td><td>0</td><td>0</td><td>1</td><td>1</td>" in page
    assert "evaluation 70%" in page  # the macro figure drawn on the weekly plot
    assert "clauses-v1 (abababab)" in page  # the drift table
    assert len(re.findall(r"<circle ", page)) == 3  # one point per week


def test_week_of_uses_iso_weeks() -> None:
    assert week_of("2026-01-01T00:00:00+00:00") == "2026-W01"
    assert week_of("2027-01-01T10:00:00+00:00") == "2026-W53"


def test_the_command_writes_the_report(
    scripted: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    scripted.close()
    monkeypatch.setenv("WESTFALL_PASSPHRASE", PASSPHRASE)
    evaluation = tmp_path / "evaluation.json"
    per = {c: {"doc_precision": v} for c, v in EXPECTED.items() if c != "macro"}
    evaluation.write_text(json.dumps({"per_category": per, "macro": {"doc_precision": 0.7},
                                      "model": {"id": "clauses-v1"}}))  # fmt: skip
    out = tmp_path / "reports" / "accuracy.html"
    code = main(["report", "accuracy", "--since", "2026-11-01", "--out", str(out),
                 "--evaluation", str(evaluation)])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    assert "9 clauses judged since 2026-11-01: agreement 44.4%, 6 corrections" in printed
    assert "below the model's evaluation: Cap On Liability" in printed
    assert "evaluation.json, model clauses-v1" in out.read_text()
    assert main(["report", "accuracy", "--since", "last week"]) != 0
    assert "is not a date" in capsys.readouterr().err
