"""OCR on phone photos and poor scans: CER per degradation, before and after the cleanup.

Run through ``python -m benchmarks.ocr --part degraded [--quick]`` (``--part all``, the
default, runs it after the speed benchmark). The set is benchmarks/degrade.py's, built
under ``out/degraded`` when missing (3 source pages with ``--quick``, 12 otherwise; seed
26): each page of CUAD development contracts in ten kinds of degradation.

Each image is read by the app's engine, one page at a time in this process: ``before`` is
``TesseractOcr(cleanup=False)`` (the page as rendered, the app before the cleanup),
``after`` the app as it is. CER is against the contract page's own text layer, pooled over
the kind's pages, as for the scanned sample. The cost of the cleanup is its own seconds
per page (``scan_cleanup.clean_page``, the median of three runs on the rendered page)
over Tesseract's own seconds on the same page in the ``after`` reading (every
``image_to_data`` and ``image_to_osd`` call, timed where the engine makes it), on the clean
pages (where only the decision runs) and on all pages.

Headline: ``photo_cer`` and ``fax_cer`` (after; target <= 2%), ``gradient_cer``,
``clean_cer`` (<= 1%), the same ``_before``, and ``cleanup_time_ratio`` (target <= 0.10).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytesseract

from benchmarks import degrade
from westfall_legal.ingest import ocr, pdf, scan_cleanup
from westfall_legal.ingest.images import image_frames, image_page_size

PAGES_QUICK, PAGES_FULL = 3, 12


def levenshtein_cer(
    texts: list[str], truths: list[str], distance: Callable[[str, str], int]
) -> float:
    dists = [distance(" ".join(t.split()), ref) for t, ref in zip(texts, truths, strict=True)]
    return sum(dists) / max(1, sum(len(ref) for ref in truths))


def ensure_set(out: Path, pages: int, seed: int = degrade.SEED) -> dict[str, Any]:
    """The degraded set under ``out``, built (or rebuilt) when it is not the one asked for."""
    manifest = out / "manifest.json"
    wanted = {"seed": seed, "pages": pages, "kinds": list(degrade.KINDS)}
    if manifest.exists():
        found = json.loads(manifest.read_text(encoding="utf-8"))
        if {k: found.get(k) for k in wanted} == wanted:
            return dict(found)
    print(f"building the degraded set ({pages} pages x {len(degrade.KINDS)} kinds) in {out}")
    degrade.build(out, pages, seed, list(degrade.KINDS))
    return dict(json.loads(manifest.read_text(encoding="utf-8")))


class TesseractClock:
    """Seconds spent inside pytesseract's Tesseract calls while :meth:`timing` is open."""

    def __init__(self) -> None:
        self.seconds = 0.0

    @contextmanager
    def timing(self) -> Iterator[None]:
        originals = {name: getattr(pytesseract, name) for name in ("image_to_data", "image_to_osd")}

        def timed(call: Callable[..., Any]) -> Callable[..., Any]:
            def run(*args: Any, **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    return call(*args, **kwargs)
                finally:
                    self.seconds += time.perf_counter() - start

            return run

        for name, call in originals.items():
            setattr(pytesseract, name, timed(call))
        try:
            yield
        finally:
            for name, call in originals.items():
                setattr(pytesseract, name, call)


def cleanup_seconds(path: Path, dpi: int) -> float:
    """Median seconds of the cleanup (decision included) on the rendered page."""
    samples, width, height = pdf.render_page_grey(path, 1, dpi)
    grey = np.frombuffer(samples, np.uint8).reshape(height, width)
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        scan_cleanup.clean_page(grey, dpi)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def run(out: Path, quick: bool, distance: Callable[[str, str], int]) -> dict[str, Any]:
    """Read the set before and after; return the headline figures and the rows."""
    pages = PAGES_QUICK if quick else PAGES_FULL
    manifest = ensure_set(out, pages)
    before_engine, after_engine = ocr.TesseractOcr(cleanup=False), ocr.TesseractOcr()
    rows = []
    for n, entry in enumerate(manifest["entries"], start=1):
        path = out / entry["file"]
        width, height = image_page_size(image_frames(path)[0])
        before = before_engine.recognise(path, 1, width, height, None)
        clock = TesseractClock()
        with clock.timing():
            after = after_engine.recognise(path, 1, width, height, None)
        truth = entry["truth"]
        row = {
            "kind": entry["kind"],
            "file": entry["file"],
            "chars": len(truth),
            "before": " ".join(w.text for w in before.words),
            "after": " ".join(w.text for w in after.words),
            "tesseract_s": clock.seconds,
            "cleanup_s": cleanup_seconds(path, after_engine.dpi),
        }
        row["cer_before"] = levenshtein_cer([row["before"]], [truth], distance)
        row["cer_after"] = levenshtein_cer([row["after"]], [truth], distance)
        row["truth"] = truth
        rows.append(row)
        print(f"{n}/{len(manifest['entries'])} {entry['file']:18} CER {row['cer_before']:7.2%} "
              f"-> {row['cer_after']:7.2%}; cleanup {row['cleanup_s']:.3f} s, "
              f"tesseract {row['tesseract_s']:.2f} s", flush=True)  # fmt: skip
    return summarise(rows, distance)


def summarise(rows: list[dict[str, Any]], distance: Callable[[str, str], int]) -> dict[str, Any]:
    kinds: dict[str, dict[str, Any]] = {}
    for kind in dict.fromkeys(r["kind"] for r in rows):
        mine = [r for r in rows if r["kind"] == kind]
        truths = [r["truth"] for r in mine]
        kinds[kind] = {
            "pages": len(mine),
            "cer_before": round(levenshtein_cer([r["before"] for r in mine], truths, distance), 4),
            "cer_after": round(levenshtein_cer([r["after"] for r in mine], truths, distance), 4),
            "cleanup_s_per_page": round(statistics.mean(r["cleanup_s"] for r in mine), 3),
            "tesseract_s_per_page": round(statistics.mean(r["tesseract_s"] for r in mine), 3),
        }
    print(f"\n{'kind':12} {'pages':>5} {'CER before':>11} {'CER after':>10} "
          f"{'cleanup s':>10} {'tesseract s':>12} {'ratio':>6}")  # fmt: skip
    for kind, k in kinds.items():
        share = k["cleanup_s_per_page"] / max(k["tesseract_s_per_page"], 1e-9)
        cers = f"{k['cer_before']:11.2%} {k['cer_after']:10.2%}"
        times = f"{k['cleanup_s_per_page']:10.3f} {k['tesseract_s_per_page']:12.2f}"
        print(f"{kind:12} {k['pages']:5} {cers} {times} {share:6.3f}")
    clean_rows = [r for r in rows if r["kind"] == "clean"]

    def ratio(which: list[dict[str, Any]]) -> float | None:
        if not which:
            return None
        cleanup = sum(float(r["cleanup_s"]) for r in which)
        return round(cleanup / sum(float(r["tesseract_s"]) for r in which), 3)

    def cer(kind: str, when: str) -> float | None:
        return float(kinds[kind][f"cer_{when}"]) if kind in kinds else None

    headline = {
        "photo_cer": cer("photo", "after"),
        "fax_cer": cer("fax", "after"),
        "gradient_cer": cer("gradient", "after"),
        "clean_cer": cer("clean", "after"),
        "photo_cer_before": cer("photo", "before"),
        "fax_cer_before": cer("fax", "before"),
        "gradient_cer_before": cer("gradient", "before"),
        "cleanup_time_ratio": ratio(rows),
        "cleanup_time_ratio_clean_pages": ratio(clean_rows),
        "degraded_pages": len(rows),
    }
    details = [{k: v for k, v in r.items() if k not in ("before", "after", "truth")} for r in rows]
    return {"headline": headline, "kinds": kinds, "rows": details}
