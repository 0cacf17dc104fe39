"""OCR speed and accuracy on the scanned sample, against the raw ``tesseract`` command.

    python -m benchmarks.ocr [--quick] [--json PATH] [--workers N] [--part speed|degraded|all]
                             [--kinds K,K]

The app's OCR path is ``load_document`` on ``master_services_agreement_scanned.pdf`` (made
by ``resources/samples/generate.py --only scan`` when missing) with ``--workers`` worker
processes (default 2), each running one single-threaded Tesseract. The reference is the bare CLI,
``tesseract PAGE.png - --oem 1 --psm 3`` with ``OMP_THREAD_LIMIT=1``, the same number in
parallel, on the same pages rendered once to 300 dpi greyscale PNGs (rendering not timed).
A second reference runs the same command on the images the app hands Tesseract: each page
deskewed by the app's own ``ocr.straighten`` (not timed). Tesseract works harder on a
straightened page than on the skewed one (4-6% more CPU on this scan, and it reads it
better), so the first ratio counts that against the app and the second shows what the app
itself adds. They (and the same OCR path in threads, the app's design before the process
pool) are timed one after the other in each run, their order rotating; ratios are taken
within each run, then the median over runs, so load from other work on the machine that
comes and goes between runs cancels out.

What the app does beyond the bare CLI, per page: render the page from the PDF, decide
whether it needs the scan cleanup (``ingest/scan_cleanup.py``; never on this sample), estimate
and undo the skew (projection profiles, then a nearest-neighbour rotation), write the
image for Tesseract, parse TSV and map every word box to PDF points, and map the ink of a
page with a signature label; Tesseract's orientation detection (OSD) only runs when the
upright reading is not convincing. The phase table
times each of those steps on a few pages, one at a time.

Accuracy: character error rate against the born-digital sample's text layer, page by page
(whitespace normalised; CER = Levenshtein distance / reference length, pooled over pages).
Headline: ``ratio`` (app pages/s / raw pages/s, the median of the per-run ratios; target
>= 0.9), ``ratio_same_input`` and ``cpu_ratio_same_input`` (the same against the raw CLI
on the app's deskewed images), ``cer`` (target <= 1%), ``pages_per_s`` (the app's, median
run) and ``cpu_ratio`` (raw CPU seconds over the app's, worker processes and Tesseract included:
less swayed by the machine's other load than wall time, which swings by 10% from run to
run here), ``process_pool_vs_threads`` (the app's pages/s over the same path in threads:
> 1 means the process pool pays) and ``fork_server_start_s`` (the first pool of an app run
starts the fork server: that cost is paid once per run of the app, and is timed apart
from the runs, which all start their pool from the running server).

``--part degraded`` (and ``all``, the default, after the above) reads phone photos and poor
scans made from CUAD development pages by benchmarks/degrade.py, before and after the
app's scan cleanup: CER per kind of degradation, and the cleanup's seconds over
Tesseract's (see benchmarks/ocr_degraded.py). Its headline adds ``photo_cer``, ``fax_cer``,
``gradient_cer``, ``clean_cer``, their ``_before``, and ``cleanup_time_ratio``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

import numpy as np
import pymupdf
import pytesseract
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a file (python benchmarks/NAME.py), not as python -m benchmarks.NAME
    sys.path.insert(0, str(ROOT))

from benchmarks import degrade, ocr_degraded  # noqa: E402
from benchmarks._report import report  # noqa: E402
from westfall_legal.ingest import ocr, pdf, scan_cleanup  # noqa: E402
from westfall_legal.ingest.document import load_document, process_context  # noqa: E402
from westfall_legal.models import Page  # noqa: E402

SAMPLES = ROOT / "resources" / "samples"
DIGITAL = SAMPLES / "master_services_agreement.pdf"
SCANNED = SAMPLES / "master_services_agreement_scanned.pdf"
DPI = 300


def levenshtein(a: str, b: str) -> int:
    """Edit distance by the row-by-row DP, each row in numpy (insertions by a running min)."""
    if not a or not b:
        return max(len(a), len(b))
    codes_b = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    idx = np.arange(len(b) + 1, dtype=np.int64)
    prev = idx.copy()
    for i, ch in enumerate(a, start=1):
        cost = (codes_b != ord(ch)).astype(np.int64)
        tmp = np.empty_like(prev)
        tmp[0] = i
        tmp[1:] = np.minimum(prev[1:] + 1, prev[:-1] + cost)  # deletion, substitution
        prev = np.minimum.accumulate(tmp - idx) + idx  # insertion: new[j] <= new[j-1] + 1
    return int(prev[-1])


def normalise(text: str) -> str:
    return " ".join(text.split())


def truth_texts(count: int) -> list[str]:
    with pymupdf.open(DIGITAL) as doc:
        return [normalise(doc[i].get_text("text")) for i in range(count)]


def ensure_scan() -> None:
    if SCANNED.exists():
        return
    print(f"note: {SCANNED.name} not found; generating it")
    script = SAMPLES / "generate.py"
    subprocess.run([sys.executable, str(script), "--only", "scan"], check=True)


def prepare(folder: Path, pages: int) -> tuple[Path, list[Path], list[Path]]:
    """The first ``pages`` pages of the scan as a PDF; each rendered once to a PNG, and the
    same page deskewed by the app's own code (what the app hands Tesseract) to another."""
    subset = folder / "scan.pdf"
    pngs, straight = [], []
    with pymupdf.open(SCANNED) as doc:
        if pages == doc.page_count:
            subset = SCANNED
        else:
            out = pymupdf.open()
            out.insert_pdf(doc, from_page=0, to_page=pages - 1)
            out.save(subset)
            out.close()
        for i in range(pages):
            pix = doc[i].get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY, alpha=False)
            png = folder / f"page{i + 1:02}.png"
            pix.save(png)
            pngs.append(png)
            image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
            straight.append(folder / f"straight{i + 1:02}.png")
            ocr.straighten(image)[0].save(straight[-1], dpi=(DPI, DPI))
    return subset, pngs, straight


def run_raw(pngs: list[Path], workers: int) -> tuple[float, list[str]]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(png: Path) -> str:
        cmd = ["tesseract", str(png), "-", "--oem", "1", "--psm", "3"]
        return subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        texts = list(pool.map(one, pngs))
    return time.perf_counter() - start, texts


def run_app(path: Path, workers: int) -> tuple[float, list[str], list[float]]:
    start = time.perf_counter()
    doc = load_document(path, workers=workers)
    elapsed = time.perf_counter() - start
    texts = [" ".join(w.text for w in page.words) for page in doc.pages]
    confs = [page.ocr_confidence or 0.0 for page in doc.pages]
    errors = [page.number for page in doc.pages if page.error]
    if errors:
        print(f"warning: OCR failed on pages {errors}")
    return elapsed, texts, confs


class InThreads:
    """The app's OCR engine without the process-pool capability: load_document then reads
    pages in threads, as it did before (the comparison the process pool has to win)."""

    def __init__(self) -> None:
        self.engine = ocr.TesseractOcr()

    def recognise(
        self, path: Path, number: int, width: float, height: float, password: str | None
    ) -> Page:
        return self.engine.recognise(path, number, width, height, password)


def run_threads(path: Path, workers: int) -> float:
    start = time.perf_counter()
    doc = load_document(path, workers=workers, ocr=InThreads())
    elapsed = time.perf_counter() - start
    assert all(p.words for p in doc.pages)
    return elapsed


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and by the finished processes under it: the
    Tesseract runs, and the OCR worker processes, which are the fork server's children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    server = getattr(forkserver._forkserver, "_forkserver_pid", None)
    if server is not None:
        fields = Path(f"/proc/{server}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
        total += ticks / os.sysconf("SC_CLK_TCK")
    return total


def fork_server_start(workers: int) -> float:
    """Seconds to the first pool's workers answering, fork server included (once per run
    of the app; later documents only start a pool from the running server)."""
    start = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=process_context()) as pool:
        list(pool.map(abs, range(workers)))
    return time.perf_counter() - start


def cer(texts: list[str], truths: list[str]) -> tuple[float, list[float]]:
    dists = [levenshtein(normalise(t), ref) for t, ref in zip(texts, truths, strict=True)]
    per_page = [d / max(1, len(ref)) for d, ref in zip(dists, truths, strict=True)]
    return sum(dists) / sum(len(ref) for ref in truths), per_page


def phases(path: Path, pages: int) -> dict[str, float]:
    """Median seconds per page of each step of the app's OCR path, one page at a time."""
    steps: dict[str, list[float]] = {
        k: [] for k in ("render", "cleanup", "deskew", "recognise", "osd (fallback only)")
    }
    for number in range(1, pages + 1):
        t0 = time.perf_counter()
        samples, w, h = pdf.render_page_grey(path, number, DPI)
        image = Image.frombytes("L", (w, h), samples)
        tc = time.perf_counter()
        scan_cleanup.clean_page(np.asarray(image), DPI)  # the decision, on a clean scan
        t1 = time.perf_counter()
        image, _ = ocr.straighten(image)
        t2 = time.perf_counter()
        image.format = "BMP"
        pytesseract.image_to_data(
            image, config=f"--oem 1 --psm 3 --dpi {DPI}", output_type=pytesseract.Output.DICT
        )
        t3 = time.perf_counter()
        pytesseract.image_to_osd(image, config=f"--psm 0 --dpi {DPI}")
        t4 = time.perf_counter()
        spans = (tc - t0, t1 - tc, t2 - t1, t3 - t2, t4 - t3)
        for key, seconds in zip(steps, spans, strict=True):
            steps[key].append(seconds)
    return {k: round(statistics.median(v), 3) for k, v in steps.items()}


def python_side_scaling(path: Path, pages: int) -> tuple[float, float]:
    """Two threads doing the Python-side work (render + deskew) against one: the speed-up
    (2.0: the GIL does not serialise it; 1.0: it does, or no second core was free) and the
    process's CPU seconds per wall second with two threads (at most 1.0 when serialised)."""

    def work(number: int) -> None:
        samples, w, h = pdf.render_page_grey(path, number, DPI)
        image = Image.frombytes("L", (w, h), samples)
        ocr.straighten(image)

    numbers = [n % pages + 1 for n in range(max(4, pages))]
    start = time.perf_counter()
    for n in numbers:
        work(n)
    one = time.perf_counter() - start

    def work_all(part: list[int]) -> None:
        for n in part:
            work(n)

    start, cpu = time.perf_counter(), time.process_time()
    threads = [
        threading.Thread(target=work_all, args=(part,)) for part in (numbers[0::2], numbers[1::2])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    two = time.perf_counter() - start
    return one / two, (time.process_time() - cpu) / two


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="6 pages, two runs each; 3 pages per degradation"
    )
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--part", choices=("speed", "degraded", "all"), default="all")
    parser.add_argument(
        "--degraded-dir", type=Path, help=f"where the degraded set is (default {degrade.OUT})"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=degrade.SEED,
        help=f"degraded part: draw pages and degradations with this seed (default "
        f"{degrade.SEED}, the set the cleanup was tuned on; another seed gives unseen pages, "
        f"under out/degraded-seedN)",
    )
    parser.add_argument(
        "--kinds", help="degraded part: read only these kinds (comma-separated; default all)"
    )
    args = parser.parse_args()
    kinds = [k for k in (args.kinds or "").split(",") if k] or None
    unknown = sorted(set(kinds or ()) - set(degrade.KINDS))
    if unknown:
        parser.error(f"unknown kinds {unknown}; choose from {', '.join(degrade.KINDS)}")
    headline: dict[str, Any] = {}
    details: dict[str, Any] = {}
    if args.part in ("speed", "all"):
        headline, details = speed(args)
    if args.part in ("degraded", "all"):
        if degrade.CUAD.exists():
            where = args.degraded_dir or (
                degrade.OUT
                if args.seed == degrade.SEED
                else degrade.OUT.with_name(f"{degrade.OUT.name}-seed{args.seed}")
            )
            found = ocr_degraded.run(where, args.quick, levenshtein, kinds, args.seed)
            headline.update(found["headline"])
            details["degraded"] = {"kinds": found["kinds"], "rows": found["rows"]}
        else:
            print(f"note: {degrade.CUAD} not found; no degraded set to read")
    report(headline, args.json, **details)
    return 0


def speed(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    """The OCR path's speed and CER on the scanned sample (the module's docstring)."""
    ensure_scan()
    with pymupdf.open(SCANNED) as doc:
        total_pages = doc.page_count
    pages = min(6, total_pages) if args.quick else total_pages
    repeats = 2 if args.quick else 5
    truths = truth_texts(pages)
    with tempfile.TemporaryDirectory() as tmp:
        subset, pngs, straight = prepare(Path(tmp), pages)
        raw_s: list[float] = []
        same_s: list[float] = []
        app_s: list[float] = []
        thread_s: list[float] = []
        cpu_s: dict[str, list[float]] = {"raw": [], "same": [], "app": [], "threads": []}
        cold_s = fork_server_start(args.workers)
        for r in range(repeats):  # rotate which goes first, so drift hits all alike
            order = ["raw", "same", "app", "threads"]
            order = order[r % 4 :] + order[: r % 4]
            for which in order:
                cpu = cpu_seconds()
                if which == "raw":
                    seconds, raw_texts = run_raw(pngs, args.workers)
                    raw_s.append(seconds)
                elif which == "same":
                    same_s.append(run_raw(straight, args.workers)[0])
                elif which == "app":
                    seconds, app_texts, confs = run_app(subset, args.workers)
                    app_s.append(seconds)
                else:
                    thread_s.append(run_threads(subset, args.workers))
                cpu_s[which].append(cpu_seconds() - cpu)
            print(f"run {r + 1}: raw {raw_s[-1]:.2f} s, raw on the app's input "
                  f"{same_s[-1]:.2f} s, app {app_s[-1]:.2f} s, "
                  f"app in threads {thread_s[-1]:.2f} s; "
                  f"ratio {raw_s[-1] / app_s[-1]:.3f}", flush=True)  # fmt: skip
        phase = phases(subset, min(3, pages))
        scaling, cpu_per_wall = python_side_scaling(subset, min(4, pages))
    app_cer, app_pages = cer(app_texts, truths)
    raw_cer, raw_pages = cer(raw_texts, truths)
    raw_pps = pages / statistics.median(raw_s)
    app_pps = pages / statistics.median(app_s)
    thread_pps = pages / statistics.median(thread_s)
    ratio = statistics.median(raw / app for raw, app in zip(raw_s, app_s, strict=True))
    same_ratio = statistics.median(raw / app for raw, app in zip(same_s, app_s, strict=True))
    same_pps = pages / statistics.median(same_s)
    proc_ratio = statistics.median(th / app for th, app in zip(thread_s, app_s, strict=True))
    print(f"\n{'page':>4} {'chars':>6} {'app CER':>8} {'raw CER':>8} {'conf':>6}")
    for i in range(pages):
        row = f"{i + 1:4} {len(truths[i]):6} {app_pages[i]:8.2%} {raw_pages[i]:8.2%}"
        print(f"{row} {confs[i]:6.1f}")
    print(f"\n{'path (medians over runs)':32} {'pages/s':>8} {'s/page/worker':>14} {'CER':>7}")
    paths = (("app (load_document)", app_pps, app_cer), ("raw tesseract CLI", raw_pps, raw_cer))
    for name, pps, c in paths:
        print(f"{name:32} {pps:8.3f} {args.workers / pps:14.2f} {c:7.2%}")
    print(f"{'raw CLI on the app input':32} {same_pps:8.3f} {args.workers / same_pps:14.2f}")
    print(f"{'app path in threads':32} {thread_pps:8.3f} {args.workers / thread_pps:14.2f}")
    cpu_ratio = statistics.median(cpu_s["raw"]) / statistics.median(cpu_s["app"])
    cpu_pages = {k: round(statistics.median(v) / pages, 3) for k, v in cpu_s.items()}
    same_cpu_ratio = statistics.median(cpu_s["same"]) / statistics.median(cpu_s["app"])
    print(f"CPU s per page (medians): {json.dumps(cpu_pages)}; raw / app: {cpu_ratio:.3f}; "
          f"raw on the app's input / app: {same_cpu_ratio:.3f}")  # fmt: skip
    print(f"fork server and first pool start (once per app run): {cold_s:.2f} s")
    print("\nphases, median s/page, one at a time:", json.dumps(phase))
    print(
        f"python-side work (render + deskew), 2 threads vs 1: {scaling:.2f}x, "
        f"CPU s per wall s with 2 threads: {cpu_per_wall:.2f}"
    )
    headline = {
        "ratio": round(ratio, 3),
        "cer": round(app_cer, 4),
        "pages_per_s": round(app_pps, 3),
        "raw_pages_per_s": round(raw_pps, 3),
        "raw_cer": round(raw_cer, 4),
        "process_pool_vs_threads": round(proc_ratio, 3),
        "fork_server_start_s": round(cold_s, 2),
        "cpu_ratio": round(cpu_ratio, 3),
        "ratio_same_input": round(same_ratio, 3),
        "cpu_ratio_same_input": round(same_cpu_ratio, 3),
        "pages": pages,
        "workers": args.workers,
        "repeats": repeats,
    }
    rows = [
        {"page": i + 1, "chars": len(truths[i]), "cer": app_pages[i], "raw_cer": raw_pages[i]}
        for i in range(pages)
    ]
    details = {
        "seconds": {"app": app_s, "raw": raw_s, "raw_same_input": same_s, "threads": thread_s},
        "cpu_s_per_page": cpu_pages,
        "phases_s_per_page": phase,
        "python_side_2_thread_speedup": round(scaling, 2),
        "python_side_2_thread_cpu_per_wall": round(cpu_per_wall, 2),
        "rows": rows,
    }
    return headline, details


if __name__ == "__main__":
    sys.exit(main())
