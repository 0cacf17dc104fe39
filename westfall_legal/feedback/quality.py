"""``quality.json``: what a retrainer should know about a bundle before training on it.

- label distribution: gold spans per category, documents per contract type, and spans per
  category within each contract type;
- categories with too few examples (fewer than :data:`MIN_EXAMPLES` spans, zero included);
- reviewers disagreeing on the same clause (one rejects what another accepts or relabels,
  or two relabel it differently; or two add overlapping clauses with different categories);
- duplicate documents (the same anonymised text more than once);
- contract types of the label schema that no document covers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

MIN_EXAMPLES = 5
OVERLAP = 0.5  # share of the shorter span two added clauses must share to be the same clause


def _verdict(row: dict[str, Any]) -> str | None:
    action = row["action"]
    if action == "reject":
        return "reject"
    if action == "accept":
        return "accept"
    if action == "relabel":
        return f"relabel:{row['correction']['category']}"
    return None


def _conflicting(verdicts: set[str]) -> bool:
    relabels = {v for v in verdicts if v.startswith("relabel:")}
    return len(relabels) > 1 or ("reject" in verdicts and len(verdicts) > 1)


def _overlap(a: Sequence[int], b: Sequence[int]) -> float:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shared / shorter if shorter > 0 else 0.0


def disagreements(corrections: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Clauses on which reviewers' last verdicts contradict each other."""
    last: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for row in corrections:  # in time order: a reviewer's later verdict replaces the earlier
        verdict = _verdict(row)
        if verdict and row.get("clause"):
            last[(row["document"], row["clause"])][row["reviewer"]] = verdict
    out = [
        {"document": doc, "clause": clause, "verdicts": verdicts}
        for (doc, clause), verdicts in sorted(last.items())
        if len(verdicts) > 1 and _conflicting(set(verdicts.values()))
    ]
    adds = [r for r in corrections if r["action"] == "add" and "span" in r]
    for i, a in enumerate(adds):
        for b in adds[i + 1 :]:
            same_place = (
                a["document"] == b["document"] and _overlap(a["span"], b["span"]) >= OVERLAP
            )
            if same_place and a["reviewer"] != b["reviewer"] and a["category"] != b["category"]:
                out.append(
                    {
                        "document": a["document"],
                        "span": [min(a["span"][0], b["span"][0]), max(a["span"][1], b["span"][1])],
                        "verdicts": {a["reviewer"]: f"add:{a['category']}",
                                     b["reviewer"]: f"add:{b['category']}"},
                    }
                )  # fmt: skip
    return out


def quality_report(
    spans: Sequence[dict[str, Any]],
    corrections: Sequence[dict[str, Any]],
    duplicates: Sequence[list[str]],
    categories: Sequence[str],
    contract_types: Sequence[str],
) -> dict[str, Any]:
    by_category: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    by_category_and_type: dict[str, Counter[str]] = defaultdict(Counter)
    for record in spans:
        ctype = record["contract_type"]
        by_type[ctype] += 1
        for category, label in record["labels"].items():
            n = len(label["spans"])
            by_category[category] += n
            by_category_and_type[category][ctype] += n
    return {
        "documents": len(spans),
        "corrections": len(corrections),
        "label_distribution": {
            "by_category": {c: by_category.get(c, 0) for c in categories},
            "by_contract_type": dict(sorted(by_type.items())),
            "by_category_and_contract_type": {
                c: dict(sorted(t.items())) for c, t in sorted(by_category_and_type.items())
            },
        },
        "min_examples": MIN_EXAMPLES,
        "too_few_examples": {
            c: by_category.get(c, 0) for c in categories if by_category.get(c, 0) < MIN_EXAMPLES
        },
        "unknown_categories": sorted(set(by_category) - set(categories)),
        "disagreements": disagreements(corrections),
        "duplicate_documents": [list(d) for d in duplicates],
        "contract_types_missing": [t for t in contract_types if t not in by_type],
    }
