"""The summary's logic around the model (a scripted fake here; the real one in integration),
and the JSON-schema helpers of the engine."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from fakes.llm import ScriptedModel

from westfall_legal.errors import Cancelled, ModelError
from westfall_legal.llm.engine import check_schema, schema_grammar, token_budget
from westfall_legal.llm.summary import SummaryInput, grounded, pick_sections, summarise
from westfall_legal.models import Clause, ContractType, Fact, Finding, Section
from westfall_legal.progress import CancelToken, ProgressEvent

SECTIONS = [
    Section("s3", "3.", "Term", 1, None, 0, 200, 1),
    Section("s9", "9.", "Miscellaneous", 1, None, 200, 400, 4),
    Section("s12", "12.", "Liability", 1, None, 400, 600, 6),
]
TFC = "Either party may terminate this Agreement for convenience on ninety (90) days notice."
LAW = "This Agreement is governed by the laws of the State of New York."
CAP = "Each party's liability is limited to the fees paid in the twelve (12) months before."
CLAUSES = [
    Clause("c1", "Termination For Convenience", 0.9, TFC, 10, 10 + len(TFC), 1, (), "s3"),
    Clause("c2", "Governing Law", 0.95, LAW, 210, 210 + len(LAW), 4, (), "s9"),
    Clause("c3", "Cap On Liability", 0.8, CAP, 410, 410 + len(CAP), 6, (), "s12"),
    Clause("c4", "Notice Period To Terminate Renewal", 0.7, "notice", 50, 56, 1, (), "s3"),
]


def data(findings: Sequence[Finding] = ()) -> SummaryInput:
    facts = {"governing_law": Fact("governing_law", "New York", "New York", 255, 263, 4, 0.9)}
    return SummaryInput(CLAUSES, SECTIONS, facts, ContractType("Service", 0.8), findings)


def test_without_a_model_the_summary_is_the_rule_part_with_its_reason() -> None:
    summary = summarise(data(), None, note="--no-llm")
    assert summary.model_id is None and summary.note == "--no-llm"
    assert summary.sentences[0].text == "This appears to be a Service agreement."
    law = next(s for s in summary.sentences if "New York" in s.text)
    assert law.clause_ids == ("c2",) and law.source == "rule"


def test_model_quotations_are_kept_and_a_rewrite_falls_back_to_the_rule() -> None:
    model = ScriptedModel(
        {
            "terminate": " Either party may terminate this Agreement ... on ninety (90) days"
            " notice.\nmore",
            "governed": " This Agreement is governed by the laws of the State of New York.",
            "liability": " Liability is capped at thirty (30) days of fees.",  # not a quotation
        }
    )
    events: list[ProgressEvent] = []
    summary = summarise(data(), model, limit=5, progress=events.append)
    streamed = [e.message for e in events if e.stage == "summary-token" and e.done == 0]
    assert "".join(streamed) == "".join(model.answers["terminate"].split(" "))
    assert [e.done for e in events if e.stage == "summary"] == [1, 2, 3]
    quoted = [s for s in summary.sentences if s.quote is not None]
    assert [(s.clause_ids, s.section, s.source) for s in quoted] == [
        (("c1",), "s3", "llm"),
        (("c2",), "s9", "llm"),
        (("c3",), "s12", "rule"),  # the model rewrote it: the operative sentence by rule
    ]
    assert quoted[0].text == (
        "3. Term: “Either party may terminate this Agreement … on ninety (90) days notice.”"
    )
    assert quoted[0].span == (10, 10 + len(TFC))
    assert quoted[2].quote == CAP  # the clause's own words, whole
    assert summary.asked == 3 and summary.passed == 2
    assert summary.note and "1 of 3" in summary.note
    assert summary.prompt_id == "clause_quote" and summary.model_id == "fake"


def test_paraphrase_mode_drops_a_misstatement() -> None:
    model = ScriptedModel(
        {
            "terminate": " Either party may terminate it for convenience on 90 days notice.",
            "governed": " This Agreement is not governed by the laws of New York.",  # negated
            "liability": " Each party's liability is limited to the fees of twelve (12) months.",
        }
    )
    summary = summarise(data(), model, limit=5, mode="paraphrase")
    by_clause = {s.clause_ids: s for s in summary.sentences if s.clause_ids and s.section}
    assert by_clause[("c1",)].source == "llm" and by_clause[("c1",)].quote is None
    assert by_clause[("c2",)].source == "rule" and by_clause[("c2",)].quote == LAW
    assert summary.prompt_id == "clause_summary" and summary.passed == 2


def test_a_heading_only_clause_is_quoted_from_the_words_under_it() -> None:
    body = "7. Permitted Assignments. Either party may assign this Agreement to an Affiliate "
    body += "without consent if the Affiliate assumes every obligation in writing."
    text = " " * 700 + body + " " * 20
    section = Section("s7", "7.", "Permitted Assignments", 1, None, 700, 700 + len(body), 8)
    heading = Clause("c9", "Change Of Control", 0.6, "Permitted Assignments.", 703, 726, 8, (),
                     "s7")  # fmt: skip
    only = SummaryInput([heading], [section], {}, None, [], text)
    model = ScriptedModel({"Permitted": " Permitted Assignments."})  # too short to pass
    summary = summarise(only, model, limit=3)
    line = next(s for s in summary.sentences if s.clause_ids == ("c9",))
    assert line.source == "rule" and line.section == "s7"
    assert line.quote and line.quote.startswith("… Either party may assign this Agreement")
    assert line.span and text[line.span[0] : line.span[1]].startswith("Either party may assign")
    assert "Either party may assign" in model.prompts[0]  # the model saw the words too
    without_text = SummaryInput([heading], [section], {}, None, [])
    assert not [s for s in summarise(without_text, model).sentences if s.clause_ids == ("c9",)]


def test_sections_cited_by_findings_come_first_then_key_categories() -> None:
    finding = Finding("r", "high", "e", ("c3",), title="Cap")
    picked = pick_sections(data([finding]), limit=1)
    assert [c.id for _, c in picked] == ["c3"]
    picked = pick_sections(data(), limit=2)  # document order among the chosen
    assert [c.id for _, c in picked] == ["c1", "c2"]


def test_findings_become_a_sentence_and_recommendations() -> None:
    finding = Finding("r", "high", "e", ("c3",), "Low cap", position=(("preferred", "12 months."),))
    sentences = summarise(data([finding]), None).sentences
    assert any(s.text.startswith("1 point(s) need attention: Low cap") for s in sentences)
    assert any(s.text == "Recommended (Low cap): 12 months." for s in sentences)


def test_cancel_stops_between_sections() -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        summarise(data(), ScriptedModel({"": "x"}), cancel=token)


def test_grounding() -> None:
    assert grounded("Either side may terminate on ninety (90) days notice.", TFC)  # a paraphrase
    assert grounded("Either party may terminate for convenience on 90 days notice.", TFC)
    assert not grounded("Either party may terminate on 60 days notice.", TFC)  # a new number
    assert not grounded("", TFC)


SCHEMA = {
    "type": "object",
    "properties": {
        "law": {"enum": ["New York", "other"]},
        "years": {"type": "integer"},
        "note": {"type": "string", "maxLength": 10},
    },
    "required": ["law", "years", "note"],
}


def test_schema_check() -> None:
    assert check_schema({"law": "New York", "years": 2, "note": "ok"}, SCHEMA) == []
    problems = check_schema({"law": "Texas", "years": "2", "note": "x" * 11}, SCHEMA)
    assert len(problems) == 3
    assert check_schema({}, SCHEMA) == [f"$.{k} is missing" for k in ("law", "years", "note")]


def test_token_budget_bounds_every_string() -> None:
    assert token_budget(SCHEMA) >= 10 + 24 + len('"New York"')
    with pytest.raises(ModelError, match="maxLength"):
        token_budget({"type": "object", "properties": {"x": {"type": "string"}}})


def test_grammar_strings_exclude_control_characters() -> None:
    grammar = schema_grammar(SCHEMA)
    char_rule = next(line for line in grammar.splitlines() if line.startswith("char ::="))
    assert r"\x00-\x1F" in char_rule
