"""The clause model's card, written from its manifest so that the two never disagree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CARD_FILE = "MODEL_CARD.md"


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _context_lines(categories: list[str]) -> list[str]:
    if not categories:
        return []
    return [
        "A second logistic model re-scores each candidate from its classifier score and its",
        "place in the contract (rank, gap to the contract's best candidate, neighbours'",
        "scores, position; `analysis/context.py`), fitted on out-of-fold scores and kept where",
        "it raised the out-of-fold span AUPR by at least 0.005 (thresholds are chosen on the",
        f"re-scored scores). It is on for {len(categories)} categories: {', '.join(categories)}.",
        "",
    ]


def write_model_card(folder: Path) -> Path:
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    validation = manifest.get("validation", {})
    params = manifest.get("params", {})
    lines = [
        f"# Model card: {manifest['id']}",
        "",
        "Clause classifier for Westfall Legal: for each candidate clause of a contract, the",
        "probability that it belongs to each of CUAD's 41 categories (multi-label), and the",
        "contract type among CUAD's 25 types.",
        "",
        "## Files",
        f"- `{manifest['file']}`: numpy arrays (vocabularies, idf, weights in float16), loaded",
        "  with `allow_pickle=False`.",
        f"- sha256 `{manifest['sha256']}`, {manifest['size']:,} bytes (checked before loading).",
        "",
        "## Method",
        "Linear models over TF-IDF features computed in pure Python",
        "(`westfall_legal/analysis/features.py`): word 1-2-grams, character 3-5-grams within",
        "words, section-heading words, neighbouring candidates' words and the candidate's",
        "position. One log-loss SGD model per category; a multinomial logistic model for the",
        "contract type, whose probabilities are multiplied tenfold for the types the",
        "contract's title names (`analysis/contract_types.py`). Per-category document",
        "thresholds maximise F1 on 5-fold out-of-fold scores over the training contracts;",
        "for the ten categories reviewers ask for most (Governing Law, Termination For",
        "Convenience, Cap On Liability, Uncapped Liability, Anti-Assignment, Change Of",
        "Control, Non-Compete, Exclusivity, Ip Ownership Assignment, Renewal Term) they are",
        "lowered until the out-of-fold recall reaches `top_recall` (recall first).",
        "",
        *_context_lines(manifest.get("context_categories", [])),
        "Parameters: " + ", ".join(f"`{k}={v}`" for k, v in params.items()),
        "",
        "## Data",
        manifest.get("training_data", ""),
        "",
        "CUAD v1, the Contract Understanding Atticus Dataset, by The Atticus Project",
        "(Hendrycks, Burns, Chen, Ball; arXiv:2103.06268), licensed CC BY 4.0. Contracts are",
        "read from their PDFs through the app's own pipeline; gold spans are projected from",
        "CUAD's .txt onto that text.",
        "",
        "## Validation figures (fixed 70-contract split, never trained on)",
        "| metric | value |",
        "|---|---|",
        *[f"| {k} | {_fmt(v)} |" for k, v in validation.items()],
        "",
        "Span metrics use the project's lenient token-overlap rule (docs/accuracy.md), not",
        "CUAD's answer-level metric: compare with CUAD's published baselines only as a rough",
        "guide. Adjacent candidates that both reach a category's threshold count as one clause,",
        "as the app shows them (`analysis/clauses.py::clause_runs`).",
        "",
        "## Licence",
        manifest.get("licence", ""),
        "",
        "## Reproduce",
        "`westfall train-clauses --cuad ../shared/data/cuad "
        "--out westfall_legal/data/models/clauses-v1`",
        "",
    ]
    path = folder / CARD_FILE
    path.write_text("\n".join(lines), "utf-8")
    return path
