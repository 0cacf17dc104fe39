"""The fine-tune's logic around the engines: prompts, examples, batches, the answer-only loss,
the comparison's figures and gate, and the missing-tools error."""

from __future__ import annotations

import random
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from westfall_legal.errors import MissingDependencyError
from westfall_legal.llm import clause_verify as cv
from westfall_legal.training.dataset import ContractRecord
from westfall_legal.training.finetune import assess, sft
from westfall_legal.training.finetune.export import convert_tools
from westfall_legal.training.finetune.lora import TokenisedExample, _batches


def test_a_chat_row_becomes_a_gemma_turn_and_its_answer() -> None:
    row = cv.chat(cv.yes_no_question("Neither party may  assign\nthis Agreement.", "X"), "No")
    prompt, answer = cv.prompt_and_answer(row["messages"])
    assert prompt == (
        "<start_of_turn>user\n" + cv.SYSTEM_PROMPT + "\n\nClause: Neither party may assign this "
        "Agreement.\n\nIs this clause a X clause? Answer Yes or No.<end_of_turn>\n"
        "<start_of_turn>model\n"
    )
    assert answer == "No<end_of_turn>"
    example = sft.from_chat(row, "bundle:b1")
    assert (example.category, example.label, example.source) == ("X", False, "bundle:b1")
    category = sft.from_chat(cv.chat(cv.category_question("text"), "Audit Rights"), "s")
    assert (category.category, category.label) == ("", None)


def test_a_row_that_does_not_end_with_the_answer_is_refused() -> None:
    with pytest.raises(ValueError, match="ends with the answer"):
        cv.prompt_and_answer([{"role": "user", "content": "q"}])
    with pytest.raises(ValueError, match="without messages"):
        sft.from_chat({"text": "q"}, "s")


def test_the_training_data_digest_follows_every_example() -> None:
    a = sft.SftExample("p1", "Yes<end_of_turn>", "s")
    b = sft.SftExample("p2", "No<end_of_turn>", "s")
    assert sft.digest([a, b]) == sft.digest([a, b]) != sft.digest([b, a])
    assert sft.digest([a]) != sft.digest([sft.SftExample("p1", "No<end_of_turn>", "s")])


def test_batches_are_full_drawn_from_every_example_and_reproducible() -> None:
    examples = [TokenisedExample([2] * (5 + i), [7, 106]) for i in range(3)]
    batches = _batches(examples, 4, 10, random.Random(0))
    assert len(batches) == 10 and all(len(b) == 4 for b in batches)
    assert {id(e) for b in batches for e in b} == {id(e) for e in examples}
    again = _batches(examples, 4, 10, random.Random(0))
    assert [[e.length for e in b] for b in batches] == [[e.length for e in b] for b in again]


def _scored(rows: list[tuple[str, bool, float, float]]) -> list[assess.Scored]:
    return [assess.Scored(c, g, s, a) for c, g, s, a in rows]


def test_aupr_of_each_ranking_and_the_ensemble() -> None:
    rows = _scored([
        ("A", True, 0.9, 0.2),
        ("A", False, 0.8, 0.1),
        ("A", True, 0.3, 0.9),
        ("A", False, 0.2, 0.05),
    ])  # fmt: skip
    # classifier ranks T F T F: (recall, precision) (.5, 1) (.5, .5) (1, 2/3) (1, .5);
    # interpolated, the precision from recall .5 on is 2/3 -> area .5 * 1 + .5 * 2/3
    assert assess.aupr(rows, "classifier") == pytest.approx(0.5 + 0.5 * 2 / 3)
    assert assess.aupr(rows, "adapter") == pytest.approx(1.0)  # T T F F
    # ensemble: 0.55, 0.45, 0.6, 0.125 -> T(0.6) T(0.55) F F
    assert assess.aupr(rows, "ensemble") == pytest.approx(1.0)
    summary = assess.summarise(rows)
    assert summary["pooled"]["ensemble"] == pytest.approx(1.0)
    assert summary["adapter_accuracy"] == 0.75
    low, high = summary["ensemble_gain_interval"]
    assert low <= high
    feedback = [assess.Scored("A", True, None, 0.7), assess.Scored("A", False, None, 0.2)]
    assert assess.aupr(feedback, "classifier") is None
    assert assess.summarise(feedback)["pooled"]["adapter"] == 1.0


def test_the_gate_refuses_an_ensemble_worse_than_the_classifier() -> None:
    good = assess.summarise(_scored([
        ("Governing Law", True, 0.6, 0.9), ("Governing Law", False, 0.7, 0.1),
    ] * 10))  # fmt: skip
    assert assess.verdict(good)["passed"]
    same = assess.summarise(_scored([
        ("Governing Law", True, 0.9, 0.9), ("Governing Law", False, 0.1, 0.1),
    ] * 10))  # fmt: skip
    assert "not measurably better" in assess.verdict(same)["reasons"][0]
    bad = assess.summarise(_scored([
        ("Governing Law", True, 0.9, 0.0), ("Governing Law", False, 0.2, 1.0),
        ("Governing Law", True, 0.8, 0.0), ("Governing Law", False, 0.1, 1.0),
    ]))  # fmt: skip
    reasons = assess.verdict(bad)["reasons"]
    assert any("pooled" in r for r in reasons) and any("Governing Law" in r for r in reasons)


def test_missing_conversion_tools_name_the_folder_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WESTFALL_LLAMA_CONVERT", str(tmp_path))
    with pytest.raises(MissingDependencyError, match=str(tmp_path)) as info:
        convert_tools()
    assert "make finetune-tools" in info.value.user_line()


# peft 0.21 reads a property transformers 5 deprecated: their warning, not ours
@pytest.mark.filterwarnings("ignore:`is_gradient_checkpointing` is deprecated:FutureWarning")
def test_answer_loss_equals_the_full_sequence_loss() -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    peft = pytest.importorskip("peft")
    from westfall_legal.training.finetune.lora import _tensors, answer_loss

    config = transformers.Gemma3TextConfig(
        vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=2, num_key_value_heads=1, head_dim=16, sliding_window=8,
    )  # fmt: skip
    torch.manual_seed(0)
    model = peft.get_peft_model(
        transformers.Gemma3ForCausalLM(config),
        peft.LoraConfig(r=2, target_modules=["q_proj"], task_type="CAUSAL_LM"),
    )
    batch = [TokenisedExample([2, 5, 6, 7], [9, 1]), TokenisedExample([2, 8], [10, 11, 1])]
    ids, mask, labels = _tensors(batch, torch, pad=0)
    assert labels.tolist() == [[-100, -100, -100, -100, 9, 1], [-100, -100, 10, 11, 1, -100]]
    with torch.no_grad():
        fast = answer_loss(model, ids, mask, labels, torch)
        full = model(input_ids=ids, attention_mask=mask, labels=labels).loss
    assert float(fast) == pytest.approx(float(full), rel=1e-5)


class _Model:
    categories: ClassVar[list[str]] = ["A", "B"]


def _record(name: str, labels: list[set[str]]) -> ContractRecord:
    text = " ".join(f"clause{i}" for i in range(len(labels)))
    starts = [text.index(f"clause{i}") for i in range(len(labels))]
    segments = [(s, s + len(f"clause{i}"), "") for i, s in enumerate(starts)]
    return ContractRecord(name, "t", text, 1, segments, labels, {})


def test_training_and_comparison_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    # classifier probabilities per segment for (A, B): segment 0 holds A, 3 holds B
    probs = np.array([[0.9, 0.01], [0.8, 0.3], [0.5, 0.2], [0.03, 0.6], [0.01, 0.001]])
    labels: list[set[str]] = [{"A"}, set(), set(), {"B"}, set()]
    monkeypatch.setattr(sft, "record_probabilities", lambda _m, _r: probs)
    records = [_record("c1", labels)]
    train = sft.candidate_pairs(_Model(), records, per_category=2, seed=0)  # type: ignore[arg-type]
    a = [(p.text, p.gold) for p in train if p.category == "A"]
    # the one positive; the hardest negative (0.8), then one of the rest at random
    assert a[0] == ("clause0", True) and a[1] == ("clause1", False)
    assert len(a) == 3 and a[2][0] in ("clause2", "clause3") and not a[2][1]
    b = [(p.text, p.gold, p.score) for p in train if p.category == "B"]
    assert b[0] == ("clause3", True, pytest.approx(0.6)) and b[1][0] == "clause1"
    assert all(p.contract == "c1" for p in train)
    asked = sft.review_questions(_Model(), records, per_category=1, seed=0)  # type: ignore[arg-type]
    # two per category, only among candidates the classifier scores at least the floor
    assert sorted(p.category for p in asked) == ["A", "A", "B", "B"]
    assert all(p.score >= sft.NEGATIVE_FLOOR for p in asked)
    assert "clause4" not in {p.text for p in asked}
    example = sft.pair_example(train[0])
    assert example.answer == "Yes<end_of_turn>" and (example.category, example.label) == ("A", True)


def test_an_adapter_without_a_passed_comparison_is_recorded_as_failing_its_gate() -> None:
    from westfall_legal.training.finetune.run import _metrics

    trained = {"steps": 2.0, "final_loss": 0.5}
    assert _metrics(trained, None) == {**trained, "gate_passed": 0.0}
    cuad = assess.summarise(_scored([("A", True, 0.6, 0.9), ("A", False, 0.7, 0.1)] * 10))
    passed = {"seconds_per_question": 0.2, "cuad_validation": cuad, "gate": assess.verdict(cuad)}
    figures = _metrics(trained, passed)
    assert figures["gate_passed"] == 1.0 and figures["aupr_ensemble"] == 1.0
    assert figures["aupr_classifier"] < 1.0 and figures["seconds_per_question"] == 0.2
