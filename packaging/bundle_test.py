"""`make bundle-test`: the built bundle, unpacked outside the repository, run the way a user's
machine runs it: ``env -i HOME=<temp> PATH=/usr/bin:/bin`` (no virtualenv, no PYTHONPATH).

Checks, in order (each prints one line; the figures go to build/bundle-test/report.json):

1. size of the unpacked bundle, with and without the default model;
2. the CLI reviews the sample: the review JSON is schema-valid, has clauses and the model's
   summary sentences (the bundled GGUF is registered in the empty data folder on first use);
3. ``westfall models list`` shows the active default model and the CPU variant in use;
4. the GUI renders the sample (``--screenshot``) offscreen and, where Xvfb is installed, on an
   X display through the xcb plugin: a non-trivial PNG; the time from starting the process to
   the window being shown, and to the screenshot;
5. the CPU-variant build: the review again with every AVX-512 variant library hidden (found
   by disassembling each variant for zmm registers), then with only the baseline x86-64
   variant: the same clauses, and the model's summary still written;
6. a scanned page is read by the system Tesseract (and a two-page scan in the OCR worker
   processes, which the frozen executable has to start), and without Tesseract on PATH the
   review fails with the CLI's own message and exit code 6.

Run with the build venv's Python (it has jsonschema, Pillow and PyMuPDF; the bundle does not
use them from there): ``build/bundle-venv/bin/python packaging/bundle_test.py TARBALL``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "master_services_agreement.pdf"
REPORT_DIR = ROOT / "build" / "bundle-test"
SIZE_TARGET_MB = 600
WINDOW_TARGET_S = 2.0
GUI_RUNS = 3


class Failed(Exception):
    pass


def check(condition: bool, what: str) -> None:
    if not condition:
        raise Failed(what)


def say(label: str, text: str) -> None:
    print(f"{label:<12} {text}", flush=True)


def clean_run(
    home: Path,
    argv: list[str],
    *,
    cwd: Path,
    path: str = "/usr/bin:/bin",
    extra: dict[str, str] | None = None,
    timeout: float = 1800,
) -> subprocess.CompletedProcess[str]:
    """``env -i HOME=.. PATH=.. [extra] argv``: nothing of this process's environment."""
    env = [f"HOME={home}", f"PATH={path}"] + [f"{k}={v}" for k, v in (extra or {}).items()]
    return subprocess.run(
        ["/usr/bin/env", "-i", *env, *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def tree_size(folder: Path) -> int:
    """Bytes of the regular files under ``folder`` (symbolic links count nothing)."""
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath, name)
            if not path.is_symlink():
                total += path.stat().st_size
    return total


def mb(size: int) -> float:
    return round(size / 1e6, 1)


def review_json(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (out / f"{SAMPLE.stem}.review.json").read_text(encoding="utf-8")
    )
    return data


def variant_from_log(stderr: str) -> str | None:
    found = re.search(r"llama\.cpp CPU variant: (\S+)", stderr)
    return found.group(1) if found else None


def model_sentences(review: dict[str, Any]) -> list[str]:
    summary = review.get("summary") or {}
    return [s["text"] for s in summary.get("sentences", []) if s.get("source") == "llm"]


def comparable(review: dict[str, Any]) -> dict[str, Any]:
    """What the language model cannot change: clauses, contract type, facts, findings."""
    return {k: review[k] for k in ("clauses", "contract_type", "facts", "findings")}


def uses_avx512(library: Path) -> bool:
    """Whether the library's code touches a zmm register (AVX-512 only)."""
    dump = subprocess.run(
        ["objdump", "-d", "--no-show-raw-insn", str(library)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return "%zmm" in dump


def run_gui(
    home: Path, app: Path, shot: Path, work: Path, display: str | None = None
) -> tuple[float | None, float, subprocess.Popen[str], str]:
    """Start the GUI on the sample with --screenshot, offscreen or on an X ``display``;
    (seconds to 'window shown', seconds to exit, the process, its stderr)."""
    env = [f"HOME={home}", "PATH=/usr/bin:/bin"]
    env += (
        [f"DISPLAY={display}", "QT_QPA_PLATFORM=xcb"] if display else ["QT_QPA_PLATFORM=offscreen"]
    )
    argv = [str(app / "westfall-gui"), str(SAMPLE), "--screenshot", str(shot), "--no-llm"]
    start = time.perf_counter()
    proc = subprocess.Popen(
        ["/usr/bin/env", "-i", *env, *argv],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    shown: list[float] = []
    lines: list[str] = []

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if "window shown" in line and not shown:
                shown.append(time.perf_counter() - start)

    reader = threading.Thread(target=read)
    reader.start()
    proc.wait(timeout=600)
    total = time.perf_counter() - start
    reader.join()
    return (shown[0] if shown else None), total, proc, "".join(lines)


def png_facts(path: Path) -> dict[str, Any]:
    from PIL import Image

    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        return {
            "bytes": path.stat().st_size,
            "size": list(image.size),
            "colours": len(colours) if colours is not None else 1 << 20,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--skip-variants", action="store_true", help="skip check 5 (slow)")
    args = parser.parse_args()
    check(args.tarball.is_file(), f"{args.tarball} not found: run `make bundle` first")
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"tarball": str(args.tarball)}
    tmp = Path(tempfile.mkdtemp(prefix="westfall-bundle-test-"))
    check(ROOT not in tmp.parents, "the temporary folder must be outside the repository")
    home, work = tmp / "home", tmp / "work"
    home.mkdir()
    work.mkdir()
    try:
        run_checks(args, report, tmp, home, work)
    except Failed as exc:
        report["failed"] = str(exc)
        print(f"FAILED       {exc}", file=sys.stderr)
    finally:
        (REPORT_DIR / "report.json").write_text(json.dumps(report, indent=2) + "\n")
        if args.keep:
            print(f"kept         {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"report       {REPORT_DIR / 'report.json'}")
    return 1 if "failed" in report else 0


def run_checks(
    args: argparse.Namespace, report: dict[str, Any], tmp: Path, home: Path, work: Path
) -> None:
    # -- 1. unpack and measure ---------------------------------------------------------
    subprocess.run(["tar", "-xzf", str(args.tarball), "-C", str(tmp)], check=True)
    (app,) = [p for p in tmp.iterdir() if p.name.startswith("westfall-legal-")]
    internal = app / "_internal"
    total = tree_size(app)
    data = internal / "westfall_legal" / "data"  # the package data (westfall_legal/paths.py)
    models = sum(p.stat().st_size for p in (data / "models").glob("*.gguf"))
    check(models > 0, "the bundle has no default model (westfall_legal/data/models/*.gguf)")
    qt = tree_size(internal / "PySide6") if (internal / "PySide6").exists() else 0
    llama = tree_size(internal / "llama_cpp")
    report["size_mb"] = {
        "total": mb(total),
        "without_model": mb(total - models),
        "model": mb(models),
        "qt": mb(qt),
        "llama_cpp": mb(llama),
        "tarball": mb(args.tarball.stat().st_size),
        "target_without_model": SIZE_TARGET_MB,
    }
    say(
        "size",
        f"{mb(total - models)} MB without the model (target < {SIZE_TARGET_MB}); "
        f"{mb(total)} MB with it; tarball {mb(args.tarball.stat().st_size)} MB",
    )
    check(total - models < SIZE_TARGET_MB * 1e6, "the bundle is over the size target")

    # -- 2. the CLI on the sample, with the language model -------------------------------
    cli = str(app / "westfall")
    start = time.perf_counter()
    done = clean_run(home, [cli, "-v", "review", str(SAMPLE), "--out", "full", "-q"], cwd=work)
    seconds = time.perf_counter() - start
    check(done.returncode == 0, f"westfall review exited {done.returncode}: {done.stderr[-2000:]}")
    full = review_json(work / "full")
    check((work / "full" / f"{SAMPLE.stem}.review.html").stat().st_size > 10_000, "no HTML")
    schema_file = data / "schema" / "review.schema.json"
    try:
        import jsonschema
    except ImportError:
        schema_note = "jsonschema not installed: key checks only"
    else:
        jsonschema.validate(full, json.loads(schema_file.read_text(encoding="utf-8")))
        schema_note = "schema-valid"
    check(len(full["clauses"]) > 0, "the review found no clauses")
    check(full["summary"]["model"]["id"] == "gemma3-270m-q4_k_m", "the summary has no model")
    sentences = model_sentences(full)
    check(len(sentences) > 0, f"no model-written sentences: {full['summary'].get('note')}")
    variant = variant_from_log(done.stderr)
    report["cli"] = {
        "seconds": round(seconds, 1),
        "clauses": len(full["clauses"]),
        "model_sentences": len(sentences),
        "summary_note": full["summary"].get("note"),
        "cpu_variant": variant,
        "schema": schema_note,
    }
    say(
        "cli",
        f"{len(full['clauses'])} clauses, {len(sentences)} model sentences, {schema_note}, "
        f"llama.cpp variant {variant}, {seconds:.1f} s",
    )

    # -- 3. the registry in the empty data folder ----------------------------------------
    listed = clean_run(home, [cli, "models", "list"], cwd=work)
    check(listed.returncode == 0, f"models list exited {listed.returncode}: {listed.stderr}")
    check("active" in listed.stdout and "gemma3-270m-q4_k_m" in listed.stdout, listed.stdout)
    registry = json.loads(
        (home / ".local/share/westfall-legal/models/registry.json").read_text(encoding="utf-8")
    )
    registered = registry["entries"][0]["file"]
    check(registered.startswith(str(internal)), f"registered {registered}, not the bundle's")
    report["models_list"] = listed.stdout.strip().splitlines()
    say("models", listed.stdout.strip().splitlines()[0] + f"; registered file: {registered}")

    # -- 4. the GUI, offscreen and (where Xvfb is installed) on an X display --------------
    report["gui"] = gui_checks(home, app, work, None)
    xvfb = shutil.which("Xvfb")
    if xvfb:
        number = 90 + os.getpid() % 100
        server = subprocess.Popen(
            [xvfb, f":{number}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 10
            while not Path(f"/tmp/.X11-unix/X{number}").exists():
                check(time.monotonic() < deadline and server.poll() is None, "Xvfb did not start")
                time.sleep(0.1)
            report["gui_x11"] = gui_checks(home, app, work, f":{number}")
        finally:
            server.terminate()
            server.wait(timeout=10)
    else:
        say("gui-x11", "skipped: Xvfb is not installed (apt-get install xvfb)")

    # -- 5. the CPU-variant build ----------------------------------------------------------
    if not args.skip_variants:
        report["variants"] = variant_checks(home, work, internal, cli, full)

    # -- 6. OCR with the system Tesseract, and without it ----------------------------------
    report["ocr"] = ocr_checks(home, work, cli, tmp)


def gui_checks(home: Path, app: Path, work: Path, display: str | None) -> dict[str, Any]:
    label = f"gui-x11 {display}" if display else "gui"
    runs = []
    shots = [work / f"gui-{'x11' if display else 'offscreen'}-{n}.png" for n in range(GUI_RUNS)]
    for shot in shots:
        shown, total_s, proc, stderr = run_gui(home, app, shot, work, display)
        check(proc.returncode == 0, f"{label} exited {proc.returncode}: {stderr[-2000:]}")
        check(shown is not None, f"{label} never logged 'window shown': {stderr[-2000:]}")
        facts = png_facts(shot)
        check(facts["bytes"] > 20_000 and facts["colours"] > 64, f"trivial screenshot {facts}")
        runs.append({"window_s": round(shown or 0, 2), "screenshot_s": round(total_s, 2), **facts})
    target = REPORT_DIR / f"{'gui-x11' if display else 'gui'}.png"
    shutil.copy(shots[0], target)
    windows = sorted(r["window_s"] for r in runs)
    median = windows[len(windows) // 2]
    say(
        label,
        f"window shown {runs[0]['window_s']} s after start (first run), median {median} s of "
        f"{GUI_RUNS}; screenshot after {runs[0]['screenshot_s']} s; PNG {runs[0]['size']} "
        f"{runs[0]['bytes']} bytes -> {target}",
    )
    check(median < WINDOW_TARGET_S, f"{label}: the window takes over the target")
    return {
        "runs": runs,
        "window_s_median": median,
        "window_s_first": runs[0]["window_s"],
        "target_window_s": WINDOW_TARGET_S,
    }


def variant_checks(
    home: Path, work: Path, internal: Path, cli: str, full: dict[str, Any]
) -> dict[str, Any]:
    lib = internal / "llama_cpp" / "lib"
    variants = sorted(lib.glob("libggml-cpu-*.so"))
    avx512 = [v for v in variants if uses_avx512(v)]
    result: dict[str, Any] = {
        "variants": [v.name for v in variants],
        "avx512": [v.name for v in avx512],
        "full_model_sentences": model_sentences(full),
    }
    say("variants", f"{len(variants)} CPU variants; AVX-512 (zmm code): {[v.name for v in avx512]}")
    check(len(avx512) > 0, "no variant uses AVX-512: is this really the all-variants build?")
    baseline = lib / "libggml-cpu-x64.so"
    cases = [
        ("no-avx512", avx512),
        ("x64-only", [v for v in variants if v != baseline]),
    ]
    for name, hidden in cases:
        for path in hidden:
            path.rename(path.with_name(path.name + ".hidden"))
        try:
            start = time.perf_counter()
            done = clean_run(
                home, [cli, "-v", "review", str(SAMPLE), "--out", name, "-q"], cwd=work
            )
            seconds = time.perf_counter() - start
        finally:
            for path in hidden:
                path.with_name(path.name + ".hidden").rename(path)
        check(done.returncode == 0, f"{name}: review exited {done.returncode}: {done.stderr}")
        review = review_json(work / name)
        loaded = variant_from_log(done.stderr)
        check(
            loaded is not None and f"libggml-cpu-{loaded}.so" not in [v.name for v in hidden],
            f"{name}: loaded variant {loaded}, which should have been hidden",
        )
        same = comparable(review) == comparable(full)
        sentences = model_sentences(review)
        result[name] = {
            "hidden": [v.name for v in hidden],
            "loaded": loaded,
            "same_clauses_facts_findings": same,
            "clauses": len(review["clauses"]),
            "model_sentences": len(sentences),
            "summary_identical": review["summary"]["text"] == full["summary"]["text"],
            "model_sentences_text": sentences,
            "sentences_as_in_full_run": sum(t in model_sentences(full) for t in sentences),
            "summary_note": review["summary"].get("note"),
            "seconds": round(seconds, 1),
        }
        say(
            name,
            f"loaded {loaded}; {len(review['clauses'])} clauses, same as the full run: {same}; "
            f"{len(sentences)} model sentences (summary identical: "
            f"{result[name]['summary_identical']}); {seconds:.1f} s",
        )
        check(same, f"{name}: the clauses, facts or findings differ from the full run")
        check(len(sentences) > 0, f"{name}: no model-written sentences")
    return result


def ocr_checks(home: Path, work: Path, cli: str, tmp: Path) -> dict[str, Any]:
    import pymupdf

    page = work / "scanned_page.png"
    with pymupdf.open(SAMPLE) as pdf:
        pdf[0].get_pixmap(dpi=200, colorspace=pymupdf.csGRAY).save(page)
    done = clean_run(home, [cli, "review", str(page), "--out", "ocr", "--no-llm", "-q"], cwd=work)
    check(done.returncode == 0, f"OCR review exited {done.returncode}: {done.stderr}")
    review = json.loads((work / "ocr" / "scanned_page.review.json").read_text(encoding="utf-8"))
    words = len(review["text"]) if isinstance(review["text"], str) else len(str(review["text"]))
    check(words > 500, f"the OCR'd page has almost no text ({words} characters)")
    say("ocr", f"system Tesseract read the page image: {words} characters of text")

    scan = work / "scanned_pages.pdf"  # two pages: read in the fork server's worker processes
    with pymupdf.open(SAMPLE) as pdf, pymupdf.open() as out:
        for number in (0, 1):
            pix = pdf[number].get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
            out.new_page(width=pdf[number].rect.width, height=pdf[number].rect.height)
            out[number].insert_image(out[number].rect, pixmap=pix)
        out.save(scan)
    done = clean_run(home, [cli, "review", str(scan), "--out", "ocr", "--no-llm", "-q"], cwd=work)
    check(done.returncode == 0, f"two-page OCR review exited {done.returncode}: {done.stderr}")
    check("reading in threads" not in done.stderr, f"no OCR worker processes: {done.stderr}")
    review = json.loads((work / "ocr" / "scanned_pages.review.json").read_text(encoding="utf-8"))
    pages = review["document"]["pages"]
    read = [p["number"] for p in pages if p["source"] == "ocr" and "error" not in p]
    check(read == [1, 2], f"two-page scan: pages read by OCR {read}, not [1, 2]: {pages}")
    say("ocr-pages", "two scanned pages read in worker processes")

    empty = tmp / "empty-bin"
    empty.mkdir()
    missing = clean_run(
        home,
        [cli, "review", str(page), "--out", "ocr-missing", "--no-llm", "-q"],
        cwd=work,
        path=str(empty),
    )
    message = missing.stderr.strip()
    check(missing.returncode == 6, f"without Tesseract: exit {missing.returncode}, not 6")
    check("Tesseract OCR is not installed" in message and "apt-get install" in message, message)
    result = {"characters": words, "missing_exit": missing.returncode, "missing_message": message}
    checkout = ROOT / ".venv" / "bin" / "westfall"
    if checkout.exists():  # the same message from the checkout's CLI, for comparison
        theirs = clean_run(
            home,
            [str(checkout), "review", str(page), "--out", "ocr-missing", "--no-llm", "-q"],
            cwd=work,
            path=str(empty),
        )
        result["checkout_exit"] = theirs.returncode
        result["same_as_checkout"] = (theirs.returncode, theirs.stderr.strip()) == (6, message)
        check(result["same_as_checkout"], f"checkout says {theirs.stderr.strip()!r}")
    say("no-tesseract", f"exit {missing.returncode}: {message}")
    return result


if __name__ == "__main__":
    sys.exit(main())
