"""Published large-LLM figures on LegalBench's cuad_* tasks, each with its source.

Only figures found in a public, citable page are here; none is estimated. The LegalBench
paper (Guha et al. 2023, NeurIPS Datasets & Benchmarks) reports its per-task results in an
appendix this project could not consult offline: its CUAD figures are absent here, not guessed.

How comparable they are: the same task and the same question about one isolated clause, and
the same metric (balanced accuracy), but (1) the LegalEvalHub runs use LegalBench's final
release, whose cuad_* test sets hold a few more rows than the pre-release files we read
(the ``hub_rows`` below against our row count), (2) the LLMs answer a prompt with LegalBench's
few-shot examples and are scored on the parsed answer, we score a threshold on a probability,
and (3) an LLM may have seen CUAD's public contracts in pre-training (no seen/unseen split is
possible for them), so their figure compares with our *seen and unseen* figure, not with the
unseen one alone.
"""

from __future__ import annotations

from typing import Any

HUB = "LegalEvalHub leaderboard, https://legalevalhub.up.railway.app/task/{task} (runs of 2025)"
PAPER_NOTE = (
    "LegalBench paper (Guha et al. 2023): per-task CUAD figures not available offline; absent"
)

# task -> (rows in the hub's test set, {model: balanced accuracy})
PUBLISHED: dict[str, tuple[int, dict[str, float]]] = {
    "cuad_anti-assignment": (
        1178,
        {"gpt-4o-mini": 0.910, "Llama-3.1-405B-Instruct": 0.903, "claude-3-5-haiku": 0.852},
    ),
    "cuad_ip_ownership_assignment": (
        582,
        {"gpt-4o-mini": 0.903, "Llama-3.1-405B-Instruct": 0.944, "claude-3-5-haiku": 0.900},
    ),
    "cuad_liquidated_damages": (
        226,
        {"gpt-4o-mini": 0.923, "Llama-3.1-405B-Instruct": 0.941, "claude-3-5-haiku": 0.882},
    ),
    "cuad_post-termination_services": (
        814,
        {"gpt-4o-mini": 0.922, "Llama-3.1-405B-Instruct": 0.932, "claude-3-5-haiku": 0.879},
    ),
    "cuad_volume_restriction": (
        328,
        {"gpt-4o-mini": 0.696, "Llama-3.1-405B-Instruct": 0.910, "claude-3-5-haiku": 0.789},
    ),
}
MODELS = ("gpt-4o-mini", "Llama-3.1-405B-Instruct", "claude-3-5-haiku")
COMPARABILITY = (
    "same task, same isolated clause, same metric (balanced accuracy); but the hub ran "
    "LegalBench's final release, whose test sets hold a few more rows than the pre-release "
    "files read here; the LLMs answer a few-shot prompt, we threshold a probability; and an "
    "LLM may have read CUAD's public contracts in pre-training, so its figure compares with "
    "our all-rows figure rather than the unseen one"
)


def beside(per_task: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Our balanced accuracy (train-row threshold, all rows and unseen rows, the stage the app
    decides on) beside the published figures, on the tasks that have them."""
    rows = []
    for task, (hub_rows, figures) in sorted(PUBLISHED.items()):
        ours = per_task.get(task)
        if ours is None:
            continue
        stage = ours["stages"][ours["shipped"]["stage"]]
        rows.append(
            {
                "task": task,
                "our_rows": ours["rows"],
                "hub_rows": hub_rows,
                "ours_all": stage["train"]["balanced_accuracy"],
                "ours_unseen": stage.get("unseen", {}).get("balanced_accuracy"),
                **figures,
                "source": HUB.format(task=task),
            }
        )
    return {"rows": rows, "models": list(MODELS), "paper": PAPER_NOTE,
            "comparability": COMPARABILITY}  # fmt: skip
