"""The fine-tune's examples: the bundles' chat rows and yes/no questions built from CUAD.

Two sources, one prompt format (:mod:`westfall_legal.llm.clause_verify`):

- feedback bundles: their ``train/sft.jsonl`` rows as the reviewers' corrections made them,
  read only from bundles whose signature and digests verify;
- CUAD development contracts outside the fixed validation split: for each category, the
  candidate clauses that hold it (answer Yes) and, answering No, the candidates the clause
  classifier ranks highest for it without it (the confusions a verifier must undo) and
  random others it scores above the floor (:func:`candidate_pairs`).

Nothing here needs torch; the examples are plain text until the fine-tune tokenises them.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from westfall_legal.analysis.clause_model import ClauseModel
from westfall_legal.errors import KnownError
from westfall_legal.feedback import Bundle, latest_documents
from westfall_legal.feedback.bundle import SFT
from westfall_legal.llm.clause_verify import (
    NO,
    YES,
    asked_category,
    asked_clause,
    chat,
    prompt_and_answer,
    yes_no_question,
)
from westfall_legal.training.dataset import ContractRecord
from westfall_legal.training.train_clauses import record_probabilities

NEGATIVE_FLOOR = 0.02  # a No example is a candidate the classifier gave at least this much


@dataclass(frozen=True)
class SftExample:
    prompt: str
    answer: str  # with the end-of-turn token
    source: str  # "bundle:ID" or "cuad:CONTRACT"
    category: str = ""
    label: bool | None = None  # for a yes/no question: the right answer


@dataclass(frozen=True)
class Pair:
    """A (candidate clause, category) question with its gold answer and classifier score."""

    text: str
    category: str
    gold: bool
    score: float  # the clause classifier's probability
    contract: str


def from_chat(row: dict[str, Any], source: str) -> SftExample:
    messages = row.get("messages")
    if not isinstance(messages, list):
        raise ValueError("a row without messages")
    prompt, answer = prompt_and_answer(messages)
    category = asked_category(str(messages[-2].get("content", "")))
    if category is None:
        return SftExample(prompt, answer, source)
    return SftExample(prompt, answer, source, category, answer.startswith(YES))


def _document_of(prompt: str, texts: dict[str, str]) -> str | None:
    clause = asked_clause(prompt)[:200]
    return next((name for name, text in texts.items() if clause in text), None)


def bundle_examples(bundles: Sequence[Bundle]) -> tuple[list[SftExample], list[SftExample]]:
    """The (already verified) bundles' chat rows, each distinct one once: (train, held out).

    A row is held out when its clause comes from a document ``retrain`` holds out
    (:func:`~westfall_legal.training.retrain.split_feedback`): the same documents are never
    trained on by either loop, so both candidates can be measured on them.
    """
    from westfall_legal.training.retrain import split_feedback

    chosen = latest_documents(list(bundles))
    texts = {name: " ".join(bundle.text(name).split()) for name, bundle in chosen.items()}
    _, held = split_feedback(list(texts))
    rows: dict[tuple[str, str], tuple[SftExample, str | None]] = {}
    for bundle in bundles:
        for n, row in enumerate(bundle.rows(SFT), 1):
            try:
                example = from_chat(row, f"bundle:{bundle.bundle_id}")
            except (ValueError, KeyError, TypeError) as exc:
                raise KnownError(
                    f"{bundle.source}: {SFT} line {n} is not a chat example ({exc}).",
                    hint="Export the bundle again with this version of Westfall Legal.",
                ) from exc
            key = (example.prompt, example.answer)
            if key not in rows:
                rows[key] = (example, _document_of(example.prompt, texts))
    train = [e for e, doc in rows.values() if doc not in held]
    held_out = [e for e, doc in rows.values() if doc in held]
    return train, held_out


def _pairs_by_category(
    model: ClauseModel, records: Sequence[ContractRecord], floor: float
) -> tuple[dict[str, list[Pair]], dict[str, list[Pair]]]:
    """(positives, negatives) per category: every candidate the classifier gives at least
    ``floor`` for it, and every candidate that holds it."""
    positives: dict[str, list[Pair]] = defaultdict(list)
    negatives: dict[str, list[Pair]] = defaultdict(list)
    for record in records:
        if record.error or not record.segments:
            continue
        probs = record_probabilities(model, record)
        for i, labels in enumerate(record.labels):
            text = record.segment_text(i)
            wanted = set(np.flatnonzero(probs[i] >= floor).tolist())
            wanted |= {model.categories.index(c) for c in labels if c in model.categories}
            for j in sorted(wanted):
                category = model.categories[j]
                pair = Pair(text, category, category in labels, float(probs[i, j]), record.name)
                (positives if pair.gold else negatives)[category].append(pair)
    return positives, negatives


def candidate_pairs(
    model: ClauseModel,
    records: Sequence[ContractRecord],
    *,
    per_category: int,
    seed: int,
    floor: float = NEGATIVE_FLOOR,
) -> list[Pair]:
    """Training questions: per category, up to ``per_category`` positive and as many
    negative candidates. Positives are drawn at random from the candidates that hold the
    category; negatives are the highest-scored candidates (by the clause classifier) that
    do not (the confusions a verifier must undo) for half of them, and for the other half
    negatives drawn at random from the rest above ``floor`` (what a verifier meets most)."""
    rng = random.Random(seed)
    positives, negatives = _pairs_by_category(model, records, floor)
    out: list[Pair] = []
    for category in model.categories:
        pos = list({(p.contract, p.text): p for p in positives[category]}.values())
        rng.shuffle(pos)
        neg = sorted(negatives[category], key=lambda p: -p.score)
        hard, rest = neg[: per_category // 2], neg[per_category // 2 :]
        rng.shuffle(rest)
        out += pos[:per_category] + hard + rest[: per_category - len(hard)]
    return out


def review_questions(
    model: ClauseModel,
    records: Sequence[ContractRecord],
    *,
    per_category: int,
    seed: int,
    floor: float = NEGATIVE_FLOOR,
) -> list[Pair]:
    """Comparison questions as a verifier would meet them: per category, ``2 * per_category``
    drawn uniformly from the candidates the classifier scores at least ``floor`` for it, so
    neither ranking is favoured by how the questions were chosen (training's hard negatives
    would make any other ranking look better than the classifier's)."""
    rng = random.Random(seed)
    positives, negatives = _pairs_by_category(model, records, floor)
    out: list[Pair] = []
    for category in model.categories:
        pool = [p for p in positives[category] + negatives[category] if p.score >= floor]
        rng.shuffle(pool)
        out += pool[: 2 * per_category]
    return out


def pair_example(pair: Pair) -> SftExample:
    prompt, answer = prompt_and_answer(
        chat(yes_no_question(pair.text, pair.category), YES if pair.gold else NO)["messages"]
    )
    return SftExample(prompt, answer, f"cuad:{pair.contract}", pair.category, pair.gold)


def digest(examples: Sequence[SftExample]) -> str:
    """sha256 over the examples in order: the candidate's training-data digest."""
    h = hashlib.sha256()
    for e in examples:
        h.update(json.dumps([e.prompt, e.answer], ensure_ascii=False).encode("utf-8") + b"\n")
    return h.hexdigest()


def write_jsonl(examples: Sequence[SftExample], path: Path) -> None:
    lines = (
        json.dumps({"prompt": e.prompt, "answer": e.answer, "source": e.source}, ensure_ascii=False)
        for e in examples
    )
    path.write_text("\n".join(lines) + "\n", "utf-8")
