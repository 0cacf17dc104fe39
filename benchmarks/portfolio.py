"""Portfolio review throughput, memory and dispatch overhead.

    python -m benchmarks.portfolio [--quick] [--json PATH] [--contracts N] [--scans N]

One data room (CUAD PDFs from ../shared/data/cuad plus 3-page scans cut from the scanned
sample, each a distinct file) reviewed end to end by ``review_portfolio`` three ways, each
into a fresh store: one worker process, one per core, and a Dask LocalCluster of two
single-threaded worker processes. Contracts per hour of each, and each as a ratio to the
ideal (n x the one-process throughput; n = cores, or 2 for the cluster).

Peak memory: the parent's peak RSS (a fresh process per size) for data rooms of growing
size (short CUAD text contracts, so that hundreds fit in minutes); its slope in MB per
1,000 documents says whether memory stays flat. Dispatch overhead: the same loops with a
job that reviews nothing (``task.no_review``), per document, for the pool and the cluster.

Headline: ``contracts_per_hour`` (all cores), ``cores_ratio``, ``cluster_ratio``,
``peak_mb_per_1000_docs``. Without CUAD it says so and stops. The full run (100 PDFs + 10
scans) takes tens of minutes on two cores; ``--quick`` reviews 6 PDFs and 1 scan.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a file (python benchmarks/NAME.py), not as python -m benchmarks.NAME
    sys.path.insert(0, str(ROOT))

from benchmarks._report import report  # noqa: E402
from westfall_legal.portfolio.cluster import ClusterRunner, run_cluster  # noqa: E402
from westfall_legal.portfolio.review import LocalRunner, Runner, jobs, review_portfolio  # noqa: E402
from westfall_legal.portfolio.run import default_workers, run_local  # noqa: E402
from westfall_legal.portfolio.scan import scan  # noqa: E402
from westfall_legal.portfolio.task import Outcome, model_sha256, no_review  # noqa: E402
from westfall_legal.settings import Settings  # noqa: E402

CUAD = ROOT.parent / "shared" / "data" / "cuad"
SCANNED = ROOT / "resources" / "samples" / "master_services_agreement_scanned.pdf"
PASSPHRASE = "benchmark passphrase only"
TEXT_CHARS = 6000  # a short contract: the memory runs review hundreds of them


def _room(folder: Path, contracts: int, scans: int) -> Path:
    pymupdf: Any = importlib.import_module("pymupdf")  # untyped: used through Any
    folder.mkdir(parents=True)
    pdfs = sorted((CUAD / "full_contract_pdf").rglob("*.pdf"))
    step = max(1, len(pdfs) // contracts)
    for source in pdfs[::step][:contracts]:
        shutil.copy(source, folder / source.name)
    sample = pymupdf.open(SCANNED)
    for n in range(scans):
        part = pymupdf.open()
        part.insert_pdf(sample, from_page=n % 17, to_page=n % 17 + 2)  # 3 pages each
        part.save(folder / f"scan-{n:02d}.pdf")
    return folder


def _text_room(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    texts = sorted((CUAD / "full_contract_txt").glob("*.txt"))
    for n in range(count):
        text = texts[n % len(texts)].read_text(encoding="utf-8", errors="replace")
        (folder / f"c{n:05d}.txt").write_text(f"{text[:TEXT_CHARS]}\n[copy {n}]\n")
    return folder


def _cheap_kdf() -> None:
    """The benchmark times reviews, not the passphrase's key derivation."""
    from westfall_legal.store import KdfParams, keys

    keys.DEFAULT_KDF = KdfParams(algorithm="argon2id", salt="", iterations=1, lanes=1,
                                 memory_cost=8)  # fmt: skip


def _store(home: Path) -> Any:
    from westfall_legal.store import Store

    return Store.create(PASSPHRASE, home / "store.sqlite3")


def _timed_run(room: Path, work: Path, runner: Runner) -> dict[str, Any]:
    """One whole portfolio review into a fresh store and output folder."""
    work.mkdir(parents=True)
    os.environ["WESTFALL_HOME"] = str(work / "home")
    with _store(work / "home") as store:
        start = time.perf_counter()
        result = review_portfolio(
            room, store=store, matter="Bench", out=work / "out", settings=Settings(),
            runner=runner, stream=None,
        )  # fmt: skip
        seconds = time.perf_counter() - start
    return {
        "documents": result.documents,
        "failed": result.failed,
        "pages": result.pages,
        "seconds": round(seconds, 2),
        "contracts_per_hour": round(result.documents / seconds * 3600),
    }


OVERHEAD_JOBS = 200


def _overhead(room: Path, run: Callable[[list[Any], Callable[[Outcome], object]], None]) -> float:
    """Seconds per document of the dispatch alone (a job that reviews nothing, carrying a
    real document's bytes): 200 jobs against 1, so that starting the pool is left out."""
    found = scan(room)
    todo = list(jobs(found.items, "", send_bytes=True))
    many = (todo * (OVERHEAD_JOBS // len(todo) + 1))[:OVERHEAD_JOBS]
    seconds = []
    for batch in (todo[:1], many):
        kept: list[Outcome] = []
        start = time.perf_counter()
        run(batch, kept.append)
        seconds.append(time.perf_counter() - start)
        assert len(kept) == len(batch)
    return (seconds[1] - seconds[0]) / (len(many) - 1)


def _memory_child(count: int) -> None:
    """(A child process) review ``count`` short contracts; print the peak RSS in MB."""
    _cheap_kdf()
    with tempfile.TemporaryDirectory(prefix="westfall-bench-") as tmp:
        room = _text_room(Path(tmp) / "room", count)
        figures = _timed_run(room, Path(tmp) / "work", LocalRunner(default_workers()))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"documents": count, "parent_mb": round(own, 1), **figures}))


def _memory(sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for count in sizes:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.portfolio", "--memory-child", str(count)],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"memory: {rows[-1]}")
    return rows


def _store_cost(sizes: list[int]) -> list[dict[str, Any]]:
    """What the parent spends storing a new document's review (``reviews.add``, as the
    portfolio does) in a matter that already holds N documents, and the part of it that
    grows with N: the store finds a document by sha256 by listing (unsealing) every
    document of the matter (``documents()``). The matter is filled with one-page reviews
    without clauses (quick to add); the best of three timings of each."""
    data: dict[str, Any] = {
        "schema": "westfall.review/1",
        "document": {"path": "x.pdf", "sha256": "", "warnings": [],
                     "pages": [{"number": 1, "source": "text-layer", "ocr_confidence": None}]},
        "text": "", "contract_type": None, "clauses": [], "facts": {}, "findings": [],
        "summary": None, "model": {"id": "bench", "sha256": "0"}, "timings": {},
        "structure": {"sections": []},
    }  # fmt: skip
    rows = []
    with tempfile.TemporaryDirectory(prefix="westfall-bench-") as tmp, _store(Path(tmp)) as store:
        store.matters.create("Bench")
        held = 0
        for size in sizes:
            while held < size:
                data["document"]["sha256"] = f"{held:064x}"
                store.reviews.add("Bench", data, size=1)
                held += 1
            listing, adding = [], []
            for n in range(3):
                start = time.perf_counter()
                store.reviews.documents("Bench")
                listing.append(time.perf_counter() - start)
                data["document"]["sha256"] = f"{10**9 + size * 10 + n:064x}"
                start = time.perf_counter()
                store.reviews.add("Bench", data, size=1)
                adding.append(time.perf_counter() - start)
            held += 3
            rows.append({"documents": size, "documents_ms": round(min(listing) * 1000, 1),
                         "add_ms": round(min(adding) * 1000, 1)})  # fmt: skip
            print(f"store: {rows[-1]}")
    return rows


def _slope(xs: list[float], ys: list[float]) -> float:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="6 PDFs and 1 scan; small memory runs")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--contracts", type=int, help="CUAD PDFs (default 100; --quick 6)")
    parser.add_argument("--scans", type=int, help="3-page scans (default 10; --quick 1)")
    parser.add_argument("--memory-sizes", help="comma-separated data-room sizes for memory")
    parser.add_argument("--store-sizes", help="matter sizes for the store's cost per document")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        _memory_child(args.memory_child)
        return 0
    if not (CUAD / "full_contract_pdf").exists():
        print(f"note: {CUAD} not found; the portfolio benchmark needs CUAD's PDFs")
        return 0
    try:
        distributed: Any = importlib.import_module("distributed")
        importlib.import_module("openpyxl")
    except ImportError:
        print(
            'note: the portfolio benchmark needs the extra: pip install "westfall-legal[portfolio]"'
        )
        return 0
    contracts = args.contracts or (6 if args.quick else 100)
    scans = args.scans if args.scans is not None else (1 if args.quick else 10)
    sizes = [int(s) for s in (args.memory_sizes or ("20,40,80" if args.quick else
                                                    "100,300,900")).split(",")]  # fmt: skip
    cores = default_workers()
    os.environ.setdefault("WESTFALL_NEW_PASSPHRASE", PASSPHRASE)
    _cheap_kdf()
    figures: dict[str, Any] = {"cores": cores, "contracts": contracts, "scans": scans,
                               "load_average_at_start": os.getloadavg()[0]}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="westfall-bench-") as tmp:
        work = Path(tmp)
        room = _room(work / "room", contracts, scans)
        model_sha256(Settings())  # the model loaded once before any clock starts
        figures["one_process"] = _timed_run(room, work / "one", LocalRunner(1))
        print(f"one process: {figures['one_process']}")
        figures["all_cores"] = _timed_run(room, work / "all", LocalRunner(cores))
        print(f"{cores} processes: {figures['all_cores']}")
        start = time.perf_counter()
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            figures["cluster_start_s"] = round(time.perf_counter() - start, 2)
            figures["cluster"] = _timed_run(room, work / "cluster", ClusterRunner(client))
            print(f"2-worker LocalCluster: {figures['cluster']}")
            figures["cluster_overhead_ms_per_doc"] = round(1000 * _overhead(
                room, lambda todo, keep: run_cluster(client, todo, Settings(), keep, 4, no_review)
            ), 2)  # fmt: skip
        figures["pool_overhead_ms_per_doc"] = round(1000 * _overhead(
            room, lambda todo, keep: run_local(todo, Settings(), cores, keep, no_review)
        ), 2)  # fmt: skip
    single = figures["one_process"]["contracts_per_hour"]
    cores_ratio = figures["all_cores"]["contracts_per_hour"] / (cores * single)
    cluster_ratio = figures["cluster"]["contracts_per_hour"] / (2 * single)
    figures["load_average_after_throughput"] = os.getloadavg()[0]
    memory = _memory(sizes)
    figures["memory"] = memory
    store_sizes = args.store_sizes or ("100,200,400" if args.quick else "500,1000,2000,4000")
    figures["store_record_ms"] = _store_cost([int(s) for s in store_sizes.split(",")])
    slope = _slope([m["documents"] for m in memory], [m["parent_mb"] for m in memory])
    headline = {
        "contracts_per_hour": figures["all_cores"]["contracts_per_hour"],
        "cores_ratio": round(cores_ratio, 3),
        "cluster_ratio": round(cluster_ratio, 3),
        "peak_mb_per_1000_docs": round(slope * 1000, 1),
        "cluster_overhead_ms_per_doc": figures["cluster_overhead_ms_per_doc"],
        "pool_overhead_ms_per_doc": figures["pool_overhead_ms_per_doc"],
        "store_add_ms_at_largest": figures["store_record_ms"][-1]["add_ms"],
    }
    report(headline, args.json, **figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
