"""The faithfulness set, the checker's measure on it, and the paraphrase-mode gate.

The checker itself (``misstatements``: rules over parties, modality, negation, numbers,
qualifiers, sections and subjects) lives in :mod:`westfall_legal.llm.faithfulness_rules`;
it is re-exported here, where its callers have always imported it. The gate reads a registry
entry's measured figure, nothing else.

The gate: paraphrase mode may be switched on only for a model whose ``misstated`` figure
(``westfall models compare MODEL``: the share of its paraphrases of the faithfulness set's
clauses that the checker finds wrong) is at most ``GATE``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from westfall_legal import paths
from westfall_legal.errors import SettingsError
from westfall_legal.llm.faithfulness_rules import misstatements

if TYPE_CHECKING:
    from westfall_legal.llm.registry import ModelEntry
    from westfall_legal.settings import Settings

__all__ = [
    "GATE",
    "METRIC",
    "Figures",
    "Row",
    "judge",
    "load_set",
    "measure",
    "measure_model",
    "misstated_rate",
    "misstatements",
    "require_paraphrase_gate",
]

GATE = 0.02  # the most misstated sentences a paraphrasing model may have
METRIC = "misstated"


@dataclass(frozen=True)
class Row:
    id: str
    clause: str
    sentence: str
    faithful: bool
    error: str  # the error kind, "" for a faithful row
    section: str | None  # the number of the section that holds the clause
    split: str  # "dev" (rules tuned on it) or "test" (reported once)


def load_set(path: Path | None = None) -> list[Row]:
    """The faithfulness set (westfall_legal/data/eval/faithfulness.jsonl)."""
    path = path or paths.resource_path("eval", "faithfulness.jsonl")
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            rows.append(
                Row(
                    str(d["id"]),
                    str(d["clause"]),
                    str(d["sentence"]),
                    bool(d["faithful"]),
                    str(d.get("error") or ""),
                    d.get("section"),
                    str(d.get("split", "dev")),
                )
            )
    return rows


def judge(row: Row) -> list[str]:
    return misstatements(row.clause, row.sentence, true_section=row.section)


@dataclass(frozen=True)
class Figures:
    rows: int
    precision: float  # of the sentences flagged, the share really unfaithful
    recall: float  # of the unfaithful sentences, the share flagged
    by_kind: dict[str, tuple[int, int]]  # error kind -> (flagged, rows)


def measure(rows: Iterable[Row]) -> Figures:
    """The checker's precision and recall at flagging unfaithful sentences."""
    tp = fp = fn = 0
    by_kind: dict[str, list[int]] = {}
    n = 0
    for row in rows:
        n += 1
        flagged = bool(judge(row))
        kind = by_kind.setdefault(row.error or "faithful", [0, 0])
        kind[0] += flagged
        kind[1] += 1
        tp += flagged and not row.faithful
        fp += flagged and row.faithful
        fn += (not flagged) and not row.faithful
    return Figures(
        n,
        tp / (tp + fp) if tp + fp else 1.0,
        tp / (tp + fn) if tp + fn else 1.0,
        {k: (v[0], v[1]) for k, v in sorted(by_kind.items())},
    )


def misstated_rate(
    paraphrase: Callable[[str], str], clauses: Sequence[str], progress: Callable[[str], None]
) -> tuple[float, int]:
    """(share of misstated sentences, sentences judged): ``paraphrase`` writes one sentence
    per clause, the checker judges it; an empty answer counts as misstated."""
    bad = 0
    for i, clause in enumerate(clauses):
        sentence = paraphrase(clause)
        wrong = not sentence or bool(misstatements(clause, sentence))
        bad += wrong
        progress(f"{i + 1}/{len(clauses)} {'misstated' if wrong else 'ok'}")
    return (bad / len(clauses) if clauses else 1.0), len(clauses)


def require_paraphrase_gate(entry: ModelEntry) -> None:
    """Refuse paraphrase mode for a model not measured at or under ``GATE`` misstatements."""
    rate = entry.metrics.get(METRIC)
    if rate is not None and rate <= GATE:
        return
    measured = "has not been measured" if rate is None else f"misstated {rate:.1%} of sentences"
    raise SettingsError(
        f"Paraphrase mode needs a model measured at {GATE:.0%} misstated sentences or fewer; "
        f"{entry.id} {measured}.",
        hint=(
            f"Run `westfall models compare {entry.id}` to measure it, or set "
            'summary_mode = "quote" in settings.toml.'
        ),
    )


def measure_model(
    entry: ModelEntry, settings: Settings, progress: Callable[[str], None] = print
) -> str:
    """``westfall models compare MODEL``: the model paraphrases each clause of the set (the
    paraphrase-mode prompt), the checker judges each sentence; the share misstated is stored
    as the model's ``misstated`` figure, which the paraphrase-mode gate reads."""
    from westfall_legal.llm.engine import LlmEngine
    from westfall_legal.llm.registry import Registry
    from westfall_legal.llm.summary import CLAUSE_WORDS, load_prompt

    prompt = load_prompt("clause_summary")
    engine = LlmEngine(entry, settings=settings)
    clauses = list(dict.fromkeys(r.clause for r in load_set()))

    def paraphrase(clause: str) -> str:
        excerpt = " ".join(clause.split()[:CLAUSE_WORDS])
        done = engine.complete(
            prompt.render(clause=excerpt), max_tokens=prompt.max_tokens, stop=prompt.stop
        )
        return " ".join(str(getattr(done, "text", "")).split())

    rate, n = misstated_rate(paraphrase, clauses, progress)
    Registry().update_metrics(entry.id, {METRIC: round(rate, 4), "faithfulness_n": float(n)})
    verdict = "may" if rate <= GATE else "may not"
    return (
        f"# {entry.id} on the faithfulness set\n\n"
        f"{rate:.1%} of {n} paraphrased clauses misstated (the checker's judgement); "
        f"the gate is {GATE:.0%}: this model {verdict} be used in paraphrase mode."
    )
