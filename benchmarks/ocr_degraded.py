"""OCR on phone photos and poor scans: CER per degradation, before and after the cleanup.

Run through ``python -m benchmarks.ocr --part degraded [--quick]`` (``--part all``, the
default, runs it after the speed benchmark). The set is benchmarks/degrade.py's, built
under ``out/degraded`` when missing (3 source pages with ``--quick``, 12 otherwise; seed
26): each page of CUAD development contracts in ten kinds of degradation.

Each image is read by the app's engine, one page at a time in this process: ``before`` is
``TesseractOcr(cleanup=False, repair=False)`` (the page as rendered, the app before the
cleanup), ``cleaned`` the same reading after the image cleanup, and ``after`` that reading
with its misread words repaired (``ingest/ocr_repair.py``): the app as it is. ``--kinds K,K``
reads only those kinds; ``--seed N`` draws other pages and degradations (seed 26, the
default, is the set the cleanup's rules were chosen on). CER is against the
contract page's own text layer, pooled over the kind's pages, as for the scanned sample.
The cost of the cleanup is its own seconds per page (``scan_cleanup.clean_page``, the
median of three runs on the rendered page) over Tesseract's own seconds on the same page in
the ``after`` reading (every ``image_to_data`` and ``image_to_osd`` call, timed where the
engine makes it), on the clean pages (where only the decision runs) and on all pages; the
repair's own seconds are added to the cleanup's.

The text layer is not a fair reference on its own: it puts running heads, footers and
left-column section numbers in another order than the page shows, so CER counts each
as a deletion and an insertion; and an EDGAR filing's rules drawn in characters ("-----")
are text to the PDF and a line to Tesseract. So each page is also measured against a fair
reference (:func:`visual_reference`): the text layer's words in the page's visual reading
order (lines top to bottom, words left to right), with rules of dashes, underscores or
equals signs dropped and curly quotes and dashes read as plain ones, on both sides
(``fair_cer``); and by an order-blind measure, 1 - F1 of the words as multisets
(``bag_error``), which no reading order can sway. Plain CER is kept beside them.

Headline: ``photo_cer`` and ``fax_cer`` (after; target <= 2%), ``gradient_cer``,
``clean_cer`` (<= 1%), the same ``_before``, their ``_fair`` forms (``photo_cer_fair``,
``fax_cer_fair``, ``gradient_cer_fair``, ``clean_cer_fair``, ``fax_cer_fair_before``),
``clean_bag_error`` and ``fax_bag_error``, the readings without the repair
(``fax_cer_no_repair``, ``fax_cer_fair_no_repair``, ``clean_cer_no_repair``), ``stamp_cer``
and ``stamp_cer_no_repair``, and ``cleanup_time_ratio`` (target <= 0.10).
What each page read is written beside the set, to ``readings.json`` (never committed).
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytesseract

from benchmarks import degrade
from westfall_legal.ingest import ocr, ocr_repair, pdf, scan_cleanup
from westfall_legal.ingest.images import image_frames, image_page_size

PAGES_QUICK, PAGES_FULL = 3, 12
# The readings compared: the bare page, after the image cleanup, and after the cleanup and
# the repair of misread words (``after``, the app as it is).
WHEN = ("before", "cleaned", "after")


def levenshtein_cer(
    texts: list[str], truths: list[str], distance: Callable[[str, str], int]
) -> float:
    dists = [distance(" ".join(t.split()), ref) for t, ref in zip(texts, truths, strict=True)]
    return sum(dists) / max(1, sum(len(ref) for ref in truths))


# --- a fair reference --------------------------------------------------------------------

# Typographic variants read as their plain forms on both sides: the text layer has straight
# quotes where Tesseract reads curly ones, and the other way round.
_PLAIN = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'",
                        "\u2019": "'", "\u2013": "-", "\u2014": "-", "\u00a0": " "})  # fmt: skip
RULE_CHARS = frozenset("-_=")


def is_rule(token: str) -> bool:
    """A rule drawn in characters ("-----", "_____", "====="): text to an EDGAR filing's
    text layer, a line to Tesseract, which reads it as nothing or as a few dashes."""
    return len(token) >= 3 and set(token) <= RULE_CHARS


def fair_text(text: str) -> str:
    """``text`` as the fair measures compare it: rules dropped, quotes and dashes plain,
    whitespace normalised."""
    return " ".join(t for t in text.translate(_PLAIN).split() if not is_rule(t))


def visual_lines(words: Sequence[tuple[float, float, float, float, str]]) -> list[str]:
    """Words (x0, y0, x1, y1, text) as the page shows them: lines from top to bottom, each
    read left to right. A word joins the line above when its middle lies within that
    line's height; a section number in the left margin joins its line's text."""
    lines: list[list[tuple[float, float, float, float, str]]] = []
    for word in sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
        middle = (word[1] + word[3]) / 2
        if lines:
            top = statistics.median(w[1] for w in lines[-1])
            bottom = statistics.median(w[3] for w in lines[-1])
            if top <= middle <= bottom:
                lines[-1].append(word)
                continue
        lines.append([word])
    return [" ".join(w[4] for w in sorted(line, key=lambda w: w[0])) for line in lines]


def visual_reference(pdf: Path, number: int) -> str:
    """Page ``number`` (1-based) of ``pdf``'s text layer in the page's visual reading order
    (:func:`visual_lines`), as :func:`fair_text`. The text layer's own order puts running
    heads, footers and left-column section numbers elsewhere than the page shows them."""
    return fair_text(" ".join(visual_lines(degrade.page_words(pdf, number))))


def bag_error(text: str, truth: str) -> float:
    """1 - F1 of the words read against the reference's, as multisets: blind to the order
    in which the page's blocks were read, which CER counts as errors (a block read in
    another place costs twice its length)."""
    read, want = Counter(text.split()), Counter(truth.split())
    matched = sum((read & want).values())
    total = sum(read.values()) + sum(want.values())
    return 1.0 - 2.0 * matched / total if total else 0.0


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


def run(
    out: Path,
    quick: bool,
    distance: Callable[[str, str], int],
    kinds: Sequence[str] | None = None,
    seed: int = degrade.SEED,
) -> dict[str, Any]:
    """Read the set (only ``kinds``, when given) before and after; return the headline
    figures and the rows."""
    pages = PAGES_QUICK if quick else PAGES_FULL
    manifest = ensure_set(out, pages, seed)
    entries = [e for e in manifest["entries"] if kinds is None or e["kind"] in kinds]
    sources = {path.name: path for path in degrade.development_pdfs()}
    references: dict[tuple[str, int], str] = {}
    before_engine = ocr.TesseractOcr(cleanup=False, repair=False)
    after_engine = ocr.TesseractOcr(repair=False)  # the repair is timed and applied below
    rows = []
    readings: dict[str, dict[str, str]] = {}  # what was read: beside the set, never committed
    for n, entry in enumerate(entries, start=1):
        path = out / entry["file"]
        width, height = image_page_size(image_frames(path)[0])
        before = before_engine.recognise(path, 1, width, height, None)
        clock = TesseractClock()
        with clock.timing():
            after = after_engine.recognise(path, 1, width, height, None)
        truth = entry["truth"]
        start = time.perf_counter()
        repaired, _ = ocr_repair.repair_words(after.words)
        repair_s = time.perf_counter() - start
        row = {
            "kind": entry["kind"],
            "file": entry["file"],
            "chars": len(truth),
            "before": " ".join(w.text for w in before.words),
            "cleaned": " ".join(w.text for w in after.words),
            "after": " ".join(w.text for w in repaired),
            "tesseract_s": clock.seconds,
            "cleanup_s": cleanup_seconds(path, after_engine.dpi),
            "repair_s": repair_s,
        }
        for when in WHEN:
            row[f"cer_{when}"] = levenshtein_cer([row[when]], [truth], distance)
        row["truth"] = truth
        key = (entry["source"], int(entry["page"]))
        if key not in references:
            references[key] = visual_reference(sources[key[0]], key[1])
        row["fair_truth"] = references[key]
        for when in WHEN:
            fair = fair_text(row[when])
            row[f"fair_cer_{when}"] = levenshtein_cer([fair], [row["fair_truth"]], distance)
            row[f"bag_error_{when}"] = bag_error(fair, row["fair_truth"])
        rows.append(row)
        readings[entry["file"]] = {k: row[k] for k in (*WHEN, "fair_truth")}
        print(f"{n}/{len(entries)} {entry['file']:18} CER {row['cer_before']:7.2%} "
              f"-> {row['cer_cleaned']:7.2%} -> {row['cer_after']:7.2%} (fair "
              f"{row['fair_cer_before']:7.2%} -> {row['fair_cer_after']:7.2%}); cleanup "
              f"{row['cleanup_s']:.3f} s, repair {repair_s:.3f} s, tesseract "
              f"{row['tesseract_s']:.2f} s", flush=True)  # fmt: skip
    (out / "readings.json").write_text(json.dumps(readings, indent=1) + "\n", encoding="utf-8")
    return summarise(rows, distance)


def summarise(rows: list[dict[str, Any]], distance: Callable[[str, str], int]) -> dict[str, Any]:
    kinds: dict[str, dict[str, Any]] = {}
    for kind in dict.fromkeys(r["kind"] for r in rows):
        mine = [r for r in rows if r["kind"] == kind]
        truths = [r["truth"] for r in mine]
        fair_truths = [r["fair_truth"] for r in mine]
        kinds[kind] = {
            "pages": len(mine),
            **{
                f"cer_{when}": round(levenshtein_cer([r[when] for r in mine], truths, distance), 4)
                for when in WHEN
            },
            **{
                f"fair_cer_{when}": round(
                    levenshtein_cer([fair_text(r[when]) for r in mine], fair_truths, distance), 4
                )
                for when in WHEN
            },
            **{
                f"bag_error_{when}": round(statistics.mean(r[f"bag_error_{when}"] for r in mine), 4)
                for when in ("before", "after")
            },
            "cleanup_s_per_page": round(statistics.mean(r["cleanup_s"] for r in mine), 3),
            "repair_s_per_page": round(statistics.mean(r["repair_s"] for r in mine), 4),
            "tesseract_s_per_page": round(statistics.mean(r["tesseract_s"] for r in mine), 3),
        }
    print(f"\n{'kind':12} {'pages':>5} {'CER before':>11} {'cleaned':>8} {'repaired':>9} "
          f"{'fair before':>12} {'cleaned':>8} {'repaired':>9} {'bag after':>10} "
          f"{'cleanup s':>10} {'repair s':>9} {'tesseract s':>12} {'ratio':>6}")  # fmt: skip
    for kind, k in kinds.items():
        added = k["cleanup_s_per_page"] + k["repair_s_per_page"]
        share = added / max(k["tesseract_s_per_page"], 1e-9)
        cers = (f"{k['cer_before']:11.2%} {k['cer_cleaned']:8.2%} {k['cer_after']:9.2%} "
                f"{k['fair_cer_before']:12.2%} {k['fair_cer_cleaned']:8.2%} "
                f"{k['fair_cer_after']:9.2%} {k['bag_error_after']:10.2%}")  # fmt: skip
        times = (f"{k['cleanup_s_per_page']:10.3f} {k['repair_s_per_page']:9.4f} "
                 f"{k['tesseract_s_per_page']:12.2f}")  # fmt: skip
        print(f"{kind:12} {k['pages']:5} {cers} {times} {share:6.3f}")
    clean_rows = [r for r in rows if r["kind"] == "clean"]

    def ratio(which: list[dict[str, Any]]) -> float | None:
        if not which:
            return None
        cleanup = sum(float(r["cleanup_s"]) + float(r["repair_s"]) for r in which)
        return round(cleanup / sum(float(r["tesseract_s"]) for r in which), 3)

    def cer(kind: str, when: str, measure: str = "cer") -> float | None:
        return float(kinds[kind][f"{measure}_{when}"]) if kind in kinds else None

    headline = {
        "photo_cer": cer("photo", "after"),
        "fax_cer": cer("fax", "after"),
        "gradient_cer": cer("gradient", "after"),
        "clean_cer": cer("clean", "after"),
        "photo_cer_before": cer("photo", "before"),
        "fax_cer_before": cer("fax", "before"),
        "gradient_cer_before": cer("gradient", "before"),
        "photo_cer_fair": cer("photo", "after", "fair_cer"),
        "fax_cer_fair": cer("fax", "after", "fair_cer"),
        "gradient_cer_fair": cer("gradient", "after", "fair_cer"),
        "clean_cer_fair": cer("clean", "after", "fair_cer"),
        "fax_cer_fair_before": cer("fax", "before", "fair_cer"),
        "fax_cer_no_repair": cer("fax", "cleaned"),
        "fax_cer_fair_no_repair": cer("fax", "cleaned", "fair_cer"),
        "stamp_cer": cer("stamp", "after"),
        "stamp_cer_no_repair": cer("stamp", "cleaned"),
        "clean_cer_no_repair": cer("clean", "cleaned"),
        "clean_bag_error": cer("clean", "after", "bag_error"),
        "fax_bag_error": cer("fax", "after", "bag_error"),
        "cleanup_time_ratio": ratio(rows),
        "cleanup_time_ratio_clean_pages": ratio(clean_rows),
        "degraded_pages": len(rows),
    }
    texts = (*WHEN, "truth", "fair_truth")
    details = [{k: v for k, v in r.items() if k not in texts} for r in rows]
    return {"headline": headline, "kinds": kinds, "rows": details}
