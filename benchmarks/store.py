"""Cost of the store's encryption: 10,000 annotations written and read, encrypted vs plain.

    python -m benchmarks.store [--quick] [--json PATH]

Both runs go through the same code (``Store.reviews.add`` and ``Store.reviews.annotations``,
the same schema, audit chain and JSON); the plain run swaps the AES-256-GCM field cipher for
one that stores the plaintext, so the difference is the encryption alone. The two are timed
side by side, alternating, and the medians compared. Headline: ``ratio`` (encrypted seconds
/ plain seconds for writing and reading them; the issue's target is at most 2) and
``unlock_s`` (opening a store and deriving its key with the production Argon2id cost).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a file (python benchmarks/NAME.py), not as python -m benchmarks.NAME
    sys.path.insert(0, str(ROOT))

from benchmarks._report import report  # noqa: E402
from westfall_legal.store import KdfParams, Store, keys  # noqa: E402

FAST_KDF = KdfParams(algorithm="argon2id", salt="", iterations=1, lanes=1, memory_cost=8)
SENTENCE = (
    "The Supplier shall indemnify, defend and hold harmless the Customer and its Affiliates "
    "from and against any and all Losses arising out of any third-party claim that the "
    "Services infringe any Intellectual Property Right, provided that the Customer gives "
    "prompt written notice of the claim. "
)


class PlainCipher:
    """The FieldCipher interface without encryption: what the ratio is measured against."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    def seal(self, plaintext: bytes, ad: bytes) -> bytes:
        return plaintext

    def open(self, blob: bytes, ad: bytes) -> bytes:
        return blob


def plain_fields() -> contextlib.AbstractContextManager[object]:
    """The store's field cipher swapped for ``PlainCipher`` (where ``keys`` looks it up)."""
    return mock.patch.object(keys, "FieldCipher", PlainCipher)


def review(n: int, per_doc: int) -> dict[str, Any]:
    """A review JSON of one document with ``per_doc`` annotations (clauses, facts, findings)."""
    text = SENTENCE * per_doc
    step = len(SENTENCE)
    clauses = [
        {
            "id": f"c{i}",
            "category": "Cap On Liability",
            "confidence": 0.8,
            "text": SENTENCE,
            "char_start": i * step,
            "char_end": (i + 1) * step,
            "page": 1 + i // 8,
            "boxes": [[72.0, 100.0 + i % 40, 540.0, 112.0 + i % 40]] * 3,
            "section": f"s{i // 5}",
            "needs_review": False,
        }
        for i in range(per_doc - 10)
    ]
    facts = {
        f"fact_{i}": {
            "value": f"P{i}D",
            "text": "thirty days",
            "char_start": i,
            "char_end": i + 11,
            "page": 1,
            "confidence": 0.7,
        }
        for i in range(5)
    }
    findings = [
        {"rule": f"rule-{i}", "severity": "medium", "explanation": SENTENCE, "citations": [f"c{i}"]}
        for i in range(5)
    ]
    return {
        "schema": "westfall.review/1",
        "document": {"path": f"contract-{n}.pdf", "sha256": f"{n:064x}", "pages": []},
        "text": text,
        "contract_type": {"label": "Services", "confidence": 0.9},
        "clauses": clauses,
        "facts": facts,
        "findings": findings,
        "summary": SENTENCE,
        "model": {"id": "clauses-v1", "sha256": "ab" * 32},
        "timings": {},
    }


def write_and_read(folder: Path, reviews: list[dict[str, Any]]) -> tuple[float, float, int]:
    """Seconds to store every review, seconds to read every annotation back, and the count."""
    path = folder / "store.sqlite3"
    with Store.create("benchmark passphrase", path, kdf=FAST_KDF.with_new_salt()) as store:
        matter = store.matters.create("Benchmark")
        start = time.perf_counter()
        docs = [store.reviews.add(matter.id, r).document.id for r in reviews]
        written = time.perf_counter() - start
        start = time.perf_counter()
        count = sum(len(store.reviews.annotations(d)) for d in docs)
        read = time.perf_counter() - start
    return written, read, count


def unlock_seconds(folder: Path, name: str) -> float:
    path = folder / f"{name}.sqlite3"
    Store.create("benchmark passphrase", path, kdf=keys.PRODUCTION_KDF.with_new_salt()).close()
    start = time.perf_counter()
    Store.open("benchmark passphrase", path).close()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    docs, per_doc = 50, 200  # 10,000 annotations
    reviews = [review(n, per_doc) for n in range(docs)]
    times: dict[str, dict[str, list[float]]] = {
        mode: {"write": [], "read": [], "total": []} for mode in ("encrypted", "plain")
    }
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(repeats):
            for mode in ("encrypted", "plain") if rep % 2 == 0 else ("plain", "encrypted"):
                folder = Path(tmp) / f"{mode}-{rep}"
                folder.mkdir()
                with plain_fields() if mode == "plain" else contextlib.nullcontext():
                    written, read, count = write_and_read(folder, reviews)
                times[mode]["write"].append(written)
                times[mode]["read"].append(read)
                times[mode]["total"].append(written + read)
        unlock = statistics.median(unlock_seconds(Path(tmp), f"unlock-{i}") for i in range(3))
    med = {m: {k: statistics.median(v) for k, v in t.items()} for m, t in times.items()}
    print(f"{count:,} annotations in {docs} reviews, median of {repeats}")
    print(f"{'':10} {'write s':>8} {'read s':>8} {'total s':>8} {'annotations/s':>14}")
    for mode, m in med.items():
        print(
            f"{mode:10} {m['write']:8.3f} {m['read']:8.3f} {m['total']:8.3f} "
            f"{count / m['total']:14,.0f}"
        )
    ratio = med["encrypted"]["total"] / med["plain"]["total"]
    print(
        f"unlock (open + Argon2id {keys.PRODUCTION_KDF.memory_cost // 1024} MiB, "
        f"t={keys.PRODUCTION_KDF.iterations}, p={keys.PRODUCTION_KDF.lanes}): {unlock:.3f} s"
    )
    headline = {
        "ratio": round(ratio, 3),
        "unlock_s": round(unlock, 3),
        "write_ratio": round(med["encrypted"]["write"] / med["plain"]["write"], 3),
        "read_ratio": round(med["encrypted"]["read"] / med["plain"]["read"], 3),
        "annotations": count,
    }
    report(headline, args.json, medians=med, runs=times, repeats=repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
