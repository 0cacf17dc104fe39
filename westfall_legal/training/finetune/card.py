"""The legal adapter's model card, written from its manifest so the two never disagree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CARD_FILE = "MODEL_CARD.md"


def _f(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else "–" if value is None else str(value)


def _comparison(name: str, report: dict[str, Any]) -> list[str]:
    pooled = report["pooled"]
    interval = report.get("ensemble_gain_interval")
    lines = [
        f"**{name}**: {report['questions']} questions ({report['yes']} answered Yes). "
        f"Pooled AUPR: classifier {_f(pooled['classifier'])}, adapter {_f(pooled['adapter'])}, "
        f"ensemble (mean) {_f(pooled['ensemble'])}"
        + (
            f"; ensemble − classifier 95% interval [{_f(interval[0])}, {_f(interval[1])}]"
            if interval
            else ""
        )
        + f". Adapter accuracy at P(Yes) ≥ 0.5: {_f(report['adapter_accuracy'])}.",
        "",
        "| category | questions | classifier | adapter | ensemble |",
        "|---|---:|---:|---:|---:|",
    ]
    for category, row in report["per_category"].items():
        lines.append(
            f"| {category} | {row['questions']} | {_f(row['classifier'])} | {_f(row['adapter'])} "
            f"| {_f(row['ensemble'])} |"
        )
    return [*lines, ""]


def comparison_lines(a: dict[str, Any] | None) -> list[str]:
    """The comparison section's body (also what `westfall models compare` prints)."""
    if not a:
        return ["None was run (no validation questions)."]
    lines = [f"{a['seconds_per_question']} s per question in llama.cpp.", ""]
    for key, name in (("cuad_validation", "CUAD validation split"),
                      ("feedback_held_out", "Held-out feedback")):  # fmt: skip
        if key in a:
            lines += _comparison(name, a[key])
    gate = a["gate"]
    lines.append(
        "Gate: " + ("passed." if gate["passed"] else "not passed: " + "; ".join(gate["reasons"]))
    )
    return lines


def write_adapter_card(folder: Path) -> Path:
    m = json.loads((folder / "manifest.json").read_text("utf-8"))
    p, t, counts = m["params"], m["train"], m["counts"]
    lines = [
        f"# Model card: {m['id']}",
        "",
        f"A LoRA adapter for the local model `{m['base']['id']}` (Gemma 3 270M, Q4_K_M) that",
        "answers whether a candidate clause belongs to a CUAD category (Yes/No), in the prompt",
        "format of `westfall_legal/llm/clause_verify.py`. Made by `westfall finetune`",
        "(`westfall_legal/training/finetune/`).",
        "",
        "## Files",
        f"- `{m['file']}`: GGUF LoRA adapter (f16), {m['size']:,} bytes, sha256 `{m['sha256']}`;",
        "  llama.cpp loads it with the base model (`Llama(lora_path=...)`).",
        "- `adapter_config.json`: the peft configuration it was trained with.",
        "- `manifest.json`: everything below, machine-readable, with every comparison answer.",
        "- `train.jsonl`: the training examples (prompt, answer, source)"
        + (
            "."
            if (folder / "train.jsonl").is_file()
            else ", kept in the data folder where it was trained, not shipped: it quotes CUAD"
            " text; the same command reproduces it (its digest is below)."
        ),
        "",
        "## Training",
        f"- Base: `{m['base']['id']}` (sha256 `{m['base']['sha256'][:16]}…`), dequantised into",
        "  transformers, so the adapter learns on the weights llama.cpp runs.",
        f"- Data (sha256 `{m['training_data'][:16]}…`): {counts['cuad_examples']} yes/no questions",
        "  from CUAD v1 development contracts outside the fixed validation split (per category:",
        "  random candidates holding it; as No, the candidates the clause classifier ranks",
        "  highest without it and random others), "
        f"{counts['bundle_examples']} feedback-bundle examples; "
        f"{counts['dropped_too_long']} dropped as longer than {p['max_tokens']} tokens.",
        f"- LoRA r={p['rank']}, alpha={p['alpha']}, dropout {p['dropout']}, on q/k/v/o and the MLP",
        f"  projections; AdamW lr {p['learning_rate']}, {t['steps']} steps of {p['batch_size']},",
        f"  seed {p['seed']}; loss on the answer tokens only.",
        f"- {t['seconds']:.0f} s on {t['device']} ({t['threads']} threads), peak memory"
        f" {t['peak_rss_mb']:.0f} MB; loss {_f(t['losses'][0])} → {_f(t['losses'][-1])}.",
        "",
        "## Licence",
        "The base model is under the Gemma Terms of Use; the adapter is derived from it and is",
        "distributed under the same terms. Training data: CUAD v1 (The Atticus Project),",
        "CC BY 4.0.",
        "",
        "## Comparison (questions never trained on)",
    ]
    lines += comparison_lines(m.get("assessment"))
    path = folder / CARD_FILE
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path
