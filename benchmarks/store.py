"""Cost of the store's encryption, and of finding a document by its sha256 in a big matter.

    python -m benchmarks.store [--quick] [--part cipher|index|all] [--json PATH]

**cipher**: 10,000 annotations written and read, encrypted vs plain.

Both runs go through the same code (``Store.reviews.add`` and ``Store.reviews.annotations``,
the same schema, audit chain and JSON); the plain run swaps the AES-256-GCM field cipher for
one that stores the plaintext, so the difference is the encryption alone. The two are timed
side by side, alternating, and the medians compared. Headline: ``ratio`` (encrypted seconds
/ plain seconds for writing and reading them; the issue's target is at most 2) and
``unlock_s`` (opening a store and deriving its key with the production Argon2id cost).

**index**: one matter grown to N = 1,000, 5,000 and 20,000 documents (``--quick``: 200 and
1,000); at each N, the time to add one more document (``Reviews.add``, which first looks the
file up by its sha256) and to look one up (``Reviews.by_sha256``), the median of several, in
two ways on the same store: *indexed* (schema 4: one query on the keyed digest) and *scan*
(the lookup before schema 4, every document row of the matter unsealed; kept for old stores
and put back here with a patch). Headline: ``add_ms_indexed``/``add_ms_scan`` and the lookup
figures at the largest N, and ``hours_100k_indexed``/``hours_100k_scan``: storing 100,000
documents one after another, projected from a straight-line fit of the add time against N.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sqlite3
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
from westfall_legal.store.reviews import Reviews  # noqa: E402

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


def scan_lookup() -> contextlib.AbstractContextManager[object]:
    """The lookup as it was before schema 4: every document row of the matter unsealed."""

    def scan(self: Reviews, matter_id: str, sha256: str) -> str | None:
        return self._scan(matter_id, sha256)

    return mock.patch.object(Reviews, "_lookup", scan)


def _median_ms(timed: list[float]) -> float:
    return round(statistics.median(timed) * 1000, 3)


def _grow(store: Store, matter: str, stored: int, size: int) -> int:
    """Add documents up to ``size - 1``, 500 to a transaction (the build is not measured)."""
    while stored < size - 1:
        with store.write():
            for _ in range(min(500, size - 1 - stored)):
                store.reviews.add(matter, review(stored, 12), size=1000)
                stored += 1
    return stored


def index_part(folder: Path, sizes: tuple[int, ...], probes: int) -> dict[str, Any]:
    """Grow one matter to each size in turn; time adding and looking up at each, indexed and
    by the old scan. Each add is its own transaction, committed (fsync) as in a real run."""
    rows: list[dict[str, Any]] = []
    rng = random.Random(4)
    path = folder / "index.sqlite3"
    with Store.create("benchmark passphrase", path, kdf=FAST_KDF.with_new_salt()) as store:
        matter = store.matters.create("Data room").id
        stored, start = 0, time.perf_counter()
        for size in sizes:
            stored = _grow(store, matter, stored, size)
            row: dict[str, Any] = {"documents": size}
            for mode in ("indexed", "scan"):
                walls, cpus, looks = [], [], []
                with scan_lookup() if mode == "scan" else contextlib.nullcontext():
                    for _ in range(probes):
                        probe = review(stored, 12)
                        wall, cpu = time.perf_counter(), time.process_time()
                        store.reviews.add(matter, probe, size=1000)
                        cpus.append(time.process_time() - cpu)
                        walls.append(time.perf_counter() - wall)
                        stored += 1
                        wanted = f"{rng.randrange(stored):064x}"  # one already stored
                        begun = time.perf_counter()
                        found = store.reviews.by_sha256(matter, wanted)
                        looks.append(time.perf_counter() - begun)
                        assert found is not None, "the benchmark's document was not found"
                row[f"add_ms_{mode}"] = _median_ms(walls)
                row[f"add_cpu_ms_{mode}"] = _median_ms(cpus)
                waits = [w - c for w, c in zip(walls, cpus, strict=True)]
                row[f"commit_io_ms_{mode}"] = _median_ms(waits)
                row[f"lookup_ms_{mode}"] = _median_ms(looks)
            rows.append(row)
            print(
                f"N={size:>7,}  add {row['add_ms_indexed']:8.2f} ms indexed "
                f"(CPU {row['add_cpu_ms_indexed']:.2f}), {row['add_ms_scan']:8.2f} ms scan "
                f"(CPU {row['add_cpu_ms_scan']:.2f});  lookup {row['lookup_ms_indexed']:7.3f} ms "
                f"indexed, {row['lookup_ms_scan']:8.2f} ms scan  "
                f"({time.perf_counter() - start:.0f} s so far)",
                flush=True,
            )
    return {"rows": rows, "probes": probes, "migration": migration_seconds(path)}


def migration_seconds(path: Path) -> dict[str, Any]:
    """The store above taken back to schema 3 (the column, its index and the migration's
    record dropped), then opened: the once-only indexing of every document it holds."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        conn.execute("DROP INDEX idx_documents_matter_id_digest")
        conn.execute("ALTER TABLE documents DROP COLUMN digest")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_document_digests'")
    finally:
        conn.close()
    begun = time.perf_counter()
    with Store.open("benchmark passphrase", path, progress=lambda event: None) as store:
        seconds = time.perf_counter() - begun
        assert store.indexed, "the store was not migrated"
    print(f"opening a schema-3 store of {documents:,} documents (indexing them): {seconds:.2f} s")
    return {"documents": documents, "open_s": round(seconds, 3)}


def projected_hours(rows: list[dict[str, Any]], mode: str, total: int = 100_000) -> float:
    """Hours to add ``total`` documents one by one: the CPU time per add fitted as a + b·N
    over the measured sizes, plus the median commit wait (fsyncs, the same at any N)."""
    n = [float(r["documents"]) for r in rows]
    cpu = [float(r[f"add_cpu_ms_{mode}"]) for r in rows]
    slope, intercept = statistics.linear_regression(n, cpu) if len(rows) > 1 else (0.0, cpu[0])
    slope = max(slope, 0.0)
    io = statistics.median(float(r[f"commit_io_ms_{mode}"]) for r in rows)
    return ((intercept + io) * total + slope * total * (total + 1) / 2) / 1000 / 3600


def index_headline(found: dict[str, Any]) -> dict[str, Any]:
    rows = found["rows"]
    last = rows[-1]
    keys = ("add_ms", "add_cpu_ms", "lookup_ms")
    return {
        "documents": last["documents"],
        **{f"{k}_{m}": last[f"{k}_{m}"] for k in keys for m in ("indexed", "scan")},
        "hours_100k_indexed": round(projected_hours(rows, "indexed"), 2),
        "hours_100k_scan": round(projected_hours(rows, "scan"), 1),
        "migration_s_per_10k": round(
            found["migration"]["open_s"] * 10_000 / found["migration"]["documents"], 2
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller matters")
    parser.add_argument("--part", choices=("cipher", "index", "all"), default="all")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    headline: dict[str, Any] = {}
    details: dict[str, Any] = {}
    if args.part in ("cipher", "all"):
        found, details["cipher"] = cipher_part(args.quick)
        headline.update(found)
    if args.part in ("index", "all"):
        sizes = (200, 1_000) if args.quick else (1_000, 5_000, 20_000)
        with tempfile.TemporaryDirectory() as tmp:
            details["index"] = index_part(Path(tmp), sizes, 3 if args.quick else 5)
        headline.update(index_headline(details["index"]))
    report(headline, args.json, **details)
    return 0


def cipher_part(quick: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """The encryption's cost: the headline's figures, and the runs behind them."""
    repeats = 3 if quick else 7
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
    return headline, {"medians": med, "runs": times, "repeats": repeats}


if __name__ == "__main__":
    sys.exit(main())
