"""Tiny contracts for the retraining tests: a CUAD-format folder (text only, ``pdf_file``
naming the .txt) and reviews of further contracts that reviewers correct in a store.

Each contract is a preamble and numbered sections drawn from a few clause templates, with
its gold spans known exactly. Small enough that a full retrain (read, k-fold thresholds,
fit, side-by-side comparison) takes seconds with fast parameters.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

from westfall_legal.training.train_clauses import Params

FAST = Params(min_df=1, max_features=4000, epochs=8, type_max_features=2000, folds=2)
STATES = ("New York", "Delaware", "California", "Texas", "Ohio")
TEMPLATES = {
    "Governing Law": "This Agreement shall be governed by and construed under the laws of the "
    "State of {state}, without regard to its conflict of laws rules.",
    "Anti-Assignment": "Neither party may assign or transfer this Agreement or any right under "
    "it without the prior written consent of the other party.",
    "Audit Rights": "The Buyer may audit the books and records of the Supplier relating to this "
    "Agreement once in each calendar year on thirty days notice.",
    "Cap On Liability": "In no event shall the aggregate liability of either party exceed the "
    "fees paid under this Agreement in the twelve months before the claim.",
    "Expiration Date": "This Agreement expires on December 31, {year} unless terminated earlier.",
}
FILLER = (
    "Definitions. Capitalised terms have the meanings given to them in this Agreement.",
    "Delivery. The Supplier shall deliver the Products to the Buyer's warehouse.",
    "Notices. Notices shall be in writing and delivered by hand or by courier.",
)


def contract(seed: int, *, heading: bool = True) -> tuple[str, dict[str, list[tuple[int, int]]]]:
    """A contract's text and its gold spans per category."""
    rng = random.Random(seed)
    cats = rng.sample(sorted(TEMPLATES), k=rng.randint(2, 4))
    parts = [f"SUPPLY AGREEMENT NO. {seed}", "",
             f"This Supply Agreement is made between NORTHWIND {seed} TRADING LLC and "
             f"SOUTHGATE {seed} FOODS INC.", ""]  # fmt: skip
    sections = [(c, TEMPLATES[c]) for c in cats] + [(None, f) for f in rng.sample(FILLER, k=2)]
    rng.shuffle(sections)
    gold: dict[str, list[tuple[int, int]]] = {}
    text = "\n".join(parts)
    for n, (category, body) in enumerate(sections, 1):
        sentence = body.format(state=rng.choice(STATES), year=2026 + seed % 5)
        title = category.split()[0] if category and heading else "Terms"
        prefix = f"\n{n}. {title}. "
        start = len(text) + len(prefix)
        text += prefix + sentence + "\n"
        if category:
            gold.setdefault(category, []).append((start, start + len(sentence)))
    return text, gold


def write_cuad(folder: Path, n: int) -> Path:
    """A CUAD-format folder of ``n`` text-only contracts; returns it."""
    (folder / "txt").mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(n):
        text, gold = contract(i)
        name = f"SUPPLY_{i:03d}"
        (folder / "txt" / f"{name}.txt").write_text(text, "utf-8")
        labels = {c: {"answer": "", "spans": [{"text": text[s:e], "segments": [[s, e]]}
                                               for s, e in spans]}
                  for c, spans in gold.items()}  # fmt: skip
        kind = ("Supply", "Service", "Licence")[i % 3]
        path = f"txt/{name}.txt"
        rows.append({"filename": name, "txt_file": path, "pdf_file": path,
                     "contract_type": kind, "labels": labels})  # fmt: skip
    (folder / "labels.dev.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return folder


def review(seed: int) -> tuple[dict[str, Any], dict[str, list[tuple[int, int]]]]:
    """A review of a fresh contract in which the model found only its first clause, and
    labelled it Audit Rights; and the contract's gold spans."""
    text, gold = contract(seed, heading=False)
    first = min((s, e, c) for c, spans in gold.items() for s, e in spans)
    data = {
        "schema": "westfall.review/1",
        "document": {"path": f"supply-{seed}.pdf",
                     "sha256": hashlib.sha256(text.encode()).hexdigest(), "pages": []},
        "text": text,
        "contract_type": {"label": "Supply", "confidence": 0.9},
        "clauses": [{"id": "c1", "category": "Audit Rights", "confidence": 0.4,
                     "text": text[first[0]:first[1]], "char_start": first[0],
                     "char_end": first[1], "page": 1, "boxes": [], "section": None}],
        "facts": {}, "findings": [], "summary": None,
        "model": {"id": "clauses-v1", "sha256": "ab" * 32},
    }  # fmt: skip
    return data, gold


def correct(store: Any, matter: str, seed: int) -> str:
    """Store the review of contract ``seed`` and correct it to its gold spans: relabel (or
    accept) the one clause found, add the ones missed. Returns the document id."""
    data, gold = review(seed)
    doc: str = store.reviews.add(matter, data).document.id
    found = (data["clauses"][0]["char_start"], data["clauses"][0]["char_end"])
    for category, spans in gold.items():
        for s, e in spans:
            if (s, e) == found and category == "Audit Rights":
                store.corrections.accept(doc, "c1", reviewer="Alice Lee")
            elif (s, e) == found:
                store.corrections.relabel(doc, "c1", category, reviewer="Alice Lee")
            else:
                store.corrections.add_clause(doc, category, s, e, reviewer="Bob Marsh")
    return doc
