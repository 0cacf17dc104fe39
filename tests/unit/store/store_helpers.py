"""Helpers of the store tests: a cheap KDF (the production cost is tested on its own), a
review JSON dict with distinctive strings planted in every kind of content, store files."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from westfall_legal.store import KdfParams, Matter, Store, StoredReview

FAST_KDF = KdfParams(algorithm="argon2id", salt="", iterations=1, lanes=1, memory_cost=8)
PASSPHRASE = "correct horse battery staple"

# Strings that must never appear in any store file: matter names, file names, clause text,
# facts, findings, reviewer names, notes.
PLANTED = {
    "matter": "Quixotic Zebra Holdings v Marmalade",
    "file": "zanzibar_flamingo_lease.pdf",
    "clause": "PLANTEDCLAUSE the Lessee shall indemnify Xylophone Partners",
    "fact": "Ruritania",
    "finding": "PLANTEDFINDING uncapped exposure to Xylophone",
    "summary": "PLANTEDSUMMARY of the lease",
    "reviewer": "Bartholomew Quuxley",
    "comment": "PLANTEDNOTE privileged: settle below nine hundred",
    "category": "Uncapped Liability",  # a label, planted through a relabel
}


def review_json(clauses: int = 3, *, name: str | None = None, extra: str = "") -> dict[str, Any]:
    """A westfall.review/1 dict as ``report.review_json`` writes it (``extra``: more text, so
    another document)."""
    name = name or PLANTED["file"]
    clause_text = PLANTED["clause"]
    body = " ".join(f"Clause {n}. {clause_text}." for n in range(clauses))
    body += f" Governed by {PLANTED['fact']} law.{extra}"
    items, pos = [], 0
    for n in range(clauses):
        start = body.index(clause_text, pos)
        end = start + len(clause_text)
        pos = end
        items.append(
            {
                "id": f"c{n + 1}",
                "category": "Indemnification" if n else "Cap On Liability",
                "confidence": 0.5 + n / (2 * clauses),
                "text": body[start:end],
                "char_start": start,
                "char_end": end,
                "page": 1 + n // 10,
                "boxes": [[72.0, 100.0, 300.0, 112.0]],
                "section": None,
                "needs_review": False,
            }
        )
    law = body.index(PLANTED["fact"])
    return {
        "schema": "westfall.review/1",
        "document": {
            "path": f"/home/someone/{name}",
            "sha256": hashlib.sha256(body.encode()).hexdigest(),
            "pages": [{"number": 1, "source": "text-layer", "ocr_confidence": None}],
        },
        "text": body,
        "contract_type": {"label": "Lease Agreement", "confidence": 0.8},
        "clauses": items,
        "facts": {
            "governing_law": {
                "value": PLANTED["fact"],
                "text": PLANTED["fact"],
                "char_start": law,
                "char_end": law + len(PLANTED["fact"]),
                "page": 1,
                "confidence": 0.9,
            },
        },
        "findings": [
            {
                "rule": "uncapped",
                "severity": "high",
                "explanation": PLANTED["finding"],
                "citations": ["c1"],
            }
        ],
        "summary": {
            "text": PLANTED["summary"],
            "sentences": [{"text": PLANTED["summary"], "clause_ids": ["c1"], "source": "rule"}],
            "model": None,
            "prompt": None,
            "note": None,
        },
        "model": {"id": "clauses-v1", "sha256": "ab" * 32},
        "timings": {"ingest": 0.1},
    }


def store_files(path: Path) -> dict[str, bytes]:
    """Every file of the store's folder (database, WAL, shm, head, temp files), by name."""
    return {p.name: p.read_bytes() for p in path.parent.iterdir() if p.is_file()}


def populate(store: Store) -> tuple[Matter, StoredReview]:
    """A matter with one reviewed document and one correction of every kind, planted strings
    everywhere."""
    matter = store.matters.create(PLANTED["matter"])
    saved = store.reviews.add(matter.id, review_json(), size=4321)
    doc, who = saved.document.id, PLANTED["reviewer"]
    fix = store.corrections
    fix.accept(doc, "c1", reviewer=who)
    fix.reject(doc, "c2", reviewer=who)
    fix.relabel(doc, "c3", PLANTED["category"], reviewer=who)
    fix.change_span(doc, "c3", 0, 20, reviewer=who)
    fix.add_clause(doc, "Insurance", 30, 60, reviewer=who)
    fix.edit_fact(doc, "governing_law", "Xylophonia", reviewer=who)
    fix.comment(doc, PLANTED["comment"], reviewer=who, target="c1")
    fix.undo(doc, reviewer=who)
    return matter, saved


def raw(path: Path) -> sqlite3.Connection:
    """A plain SQLite connection to a (closed) store file, for tampering."""
    return sqlite3.connect(path, isolation_level=None)
