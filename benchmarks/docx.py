"""Word drafts on real contracts: reading speed against the PDF, Word numbering against
LibreOffice's, and the alignment of `westfall compare` on pairs with planted edits.

    python -m benchmarks.docx [--quick] [--json PATH] [--seed N]

Documents: CUAD development contracts (../shared/data/cuad, contract_types.dev.csv) with
at least 10 numbered paragraphs (--quick: 4 of them, else 16), each made into a Word draft
by python-docx: its text's paragraphs, the typed clause numbers ("3.", "3.2", "3.2.1",
"(a)", "(ii)") taken out and replaced by Word's automatic multi-level numbering
(numbering.xml), so Word (and LibreOffice) number them again.

- **Reading** (``docx_vs_pdf_ratio``): pages-equivalent per second of ``read_docx`` on the
  draft against ``load_document`` (text layer) on the contract's own CUAD PDF, pages being
  the PDF's; medians of 3 runs. > 1: the draft reads faster. Contracts whose PDF needs OCR
  are left out of this figure.
- **Numbering** (``numbering_agreement``): the share of numbered paragraphs whose number, as
  the app computes it, is the number LibreOffice shows in its PDF of the same draft
  (``soffice --convert-to pdf``), over the drafts and the two Word test files of
  resources/samples/generate_docx.py (the same check as tests/integration/
  test_docx_libreoffice.py). Skipped, and said, without LibreOffice.
- **Compare** (``compare_precision``, ``compare_recall``): each draft gets a second version
  (seeded): one numbered clause deleted (Word renumbers the rest), words changed in three
  paragraphs, one numbered paragraph moved elsewhere, one paragraph of another contract
  inserted with the number of the one before it (renumbering the rest). Both versions are
  reviewed and compared as Word files, and the original draft also against LibreOffice's
  PDF of the second version. A reported clause (changed, added or removed) is right when
  its paragraphs hold a planted edit (in the PDF, an added clause when it holds the
  inserted paragraph's words); a planted edit is found when a reported clause holds it. A
  moved paragraph is no edit: reported as changed, it counts against precision.
- **Speed**: seconds of `compare` alone and of reviewing both versions, per pair; the pair
  of the contract nearest 30 PDF pages is reported apart (``compare_30_pages_s``).
- **Compare against a scan** (``compare_ocr_false_changes``, ``compare_ocr_recall``, and
  ``..._strict`` for every word difference counted): benchmarks/compare_ocr.py's pairs, a
  draft with four planted edits and the contract's PDF each against a lightly degraded
  scan of the same pages (--quick: 2 contracts of 3 pages, else 5 of 4 pages and the
  sample agreement's scan against its Word draft and its PDF). ``--no-scan`` leaves it out.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import docx
import pymupdf

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a file (python benchmarks/NAME.py), not as python -m benchmarks.NAME
    sys.path.insert(0, str(ROOT))

from benchmarks import compare_ocr  # noqa: E402
from benchmarks._report import report  # noqa: E402
from benchmarks.ingest import NeedsOcr, RefuseOcr  # noqa: E402
from tests.docx_samples import features_bytes, generator, sample_bytes  # noqa: E402
from tests.integration.test_docx_libreoffice import (  # noqa: E402
    _accepted,
    _rendered,
    numbering_agreement,
)
from westfall_legal.errors import KnownError  # noqa: E402
from westfall_legal.handback.compare import Entry, compare  # noqa: E402
from westfall_legal.handback.units import normalise  # noqa: E402
from westfall_legal.ingest.document import load_document  # noqa: E402
from westfall_legal.ingest.docx import read_docx  # noqa: E402
from westfall_legal.models import Review  # noqa: E402
from westfall_legal.pipeline import Engines, analyse  # noqa: E402
from westfall_legal.settings import Settings  # noqa: E402

CUAD = ROOT.parent / "shared" / "data" / "cuad"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
LEVELS = (
    ("decimal", "%1.", "space"),
    ("decimal", "%1.%2", "space"),
    ("decimal", "%1.%2.%3", "space"),
    ("lowerLetter", "(%4)", "space"),
    ("lowerRoman", "(%5)", "space"),
)
_DOTTED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,2})\.?\s+(?=[A-Z(\"“])")
_LETTER = re.compile(r"^\(([a-z])\)\s+")
_ROMAN = re.compile(r"^\((i|ii|iii|iv|v|vi|vii|viii|ix|x)\)\s+")
_ENDS = re.compile(r"[.;:!?][\"')\]”]*$")
WORDS = ("promptly", "reasonable", "exclusive", "twelve", "written", "material", "annual")


@dataclass(frozen=True, slots=True)
class Para:
    pid: str  # "p12" (the contract's 12th paragraph) or "new" (inserted)
    level: int | None  # the Word list level, None when not numbered
    text: str


def paragraphs_of(text: str) -> list[Para]:
    """A CUAD text's paragraphs (blank-line separated), typed numbers made list levels."""
    out: list[Para] = []
    last_letter = ""
    for block in re.split(r"\n\s*\n", text):
        line = "".join(c for c in " ".join(block.split()) if c >= " ")
        if not line:
            continue
        level: int | None = None
        roman = _ROMAN.match(line)
        letter = _LETTER.match(line)
        dotted = _DOTTED.match(line)
        if roman and not (roman.group(1) == "i" and last_letter == "h"):
            level, line = 4, line[roman.end() :]
        elif letter:
            level, line, last_letter = 3, line[letter.end() :], letter.group(1)
        elif dotted:
            level, line = dotted.group(1).count("."), line[dotted.end() :]
        if line:
            out.append(Para(f"p{len(out)}", level, line))
    return out


def build_docx(paras: Sequence[Para], path: Path) -> None:
    g = generator()
    document = docx.Document()
    g.set_numbering(document, g.abstract_num(1, LEVELS) + g.num(1, 1))
    for para in paras:
        p = document.add_paragraph(para.text)
        if para.level is not None:
            numpr = p._p.get_or_add_pPr().get_or_add_numPr()
            numpr.get_or_add_ilvl().val = para.level
            numpr.get_or_add_numId().val = 1
    document.save(str(path))


def edited(paras: list[Para], donor: Para, rng: random.Random) -> tuple[list[Para], set[str]]:
    """The second version and the paragraphs whose change is planted (see the docstring)."""
    sentences = [i for i, p in enumerate(paras) if len(p.text.split()) >= 12]
    numbered = [i for i in sentences if paras[i].level is not None]
    deleted = rng.choice(numbered)
    changed = rng.sample([i for i in sentences if i != deleted], 3)
    movable = [
        i for i in numbered if i not in changed and i != deleted and _ENDS.search(paras[i].text)
    ]
    moved = rng.choice(movable) if movable else None
    out = list(paras)
    for i in changed:
        words = out[i].text.split()
        spots = [k for k, w in enumerate(words) if w.isalpha() and len(w) >= 4]
        k = rng.choice(spots) if spots else len(words) - 1
        words[k] = rng.choice([w for w in WORDS if w != words[k]])
        out[i] = Para(out[i].pid, out[i].level, " ".join(words))
    if moved is not None:
        item = out[moved]
        out[moved] = Para("", None, "")  # a placeholder, dropped below
        out.insert(rng.randrange(0, len(out)), item)
    out = [p for p in out if p.pid != paras[deleted].pid and p.pid]
    at = rng.randrange(1, len(out))
    out.insert(at, Para("new", out[at - 1].level, donor.text))
    return out, {paras[deleted].pid, *(paras[i].pid for i in changed), "new"}


def _pids(review: Review, paras: Sequence[Para], start: int, end: int) -> set[str]:
    """The paragraphs (their pids) a span of a draft's review covers."""
    return {
        paras[p.index].pid
        for p in review.doc_text.paragraphs
        if p.char_start < max(end, start + 1) and p.char_end > start and p.index < len(paras)
    }


def score(
    entries: Sequence[Entry],
    old: tuple[Review, list[Para]],
    new: tuple[Review, list[Para] | None],
    planted: set[str],
    inserted: str,
) -> tuple[int, int, set[str]]:
    """(reported clauses, those right, planted edits found) of one compare."""
    reported = right = 0
    found: set[str] = set()
    key = normalise(inserted)[:60]
    for e in entries:
        if e.status == "unchanged":
            continue
        reported += 1
        held: set[str] = set()
        if e.old is not None:
            held |= _pids(old[0], old[1], e.old.char_start, e.old.char_end)
        if e.new is not None:
            if new[1] is not None:
                held |= _pids(new[0], new[1], e.new.char_start, e.new.char_end)
            elif key in e.new.text or e.new.text[:60] in normalise(inserted):
                held.add("new")
        hits = held & planted
        right += bool(hits)
        found |= hits
    return reported, right, found


def _median_s(fn: Any, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _contracts(limit: int) -> list[tuple[str, Path, Path]]:
    with (CUAD / "contract_types.dev.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    picked = []
    seen: set[str] = set()
    for row in rows:
        txt = CUAD / "full_contract_txt" / row["txt_file"]
        pdf = CUAD / row["pdf_file"]
        if not (txt.exists() and pdf.exists()):
            continue
        text = txt.read_text(encoding="utf-8", errors="replace")
        if text in seen:  # CUAD holds a few contracts twice ("... AGREEMENT(1).txt")
            continue
        seen.add(text)
        paras = paragraphs_of(text)
        if sum(p.level is not None for p in paras) >= 10 and len(paras) >= 25:
            picked.append((row["filename"], txt, pdf))
    return picked[:limit]


def _to_pdf(folder: Path, *drafts: Path) -> None:
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation={(folder / 'lo').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(folder), *map(str, drafts)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 contracts instead of 16")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--seed", type=int, default=20, help="the planted edits' seed")
    parser.add_argument("--no-scan", action="store_true", help="no compare against scans")
    args = parser.parse_args()
    if not (CUAD / "contract_types.dev.csv").exists():
        print(f"CUAD development data not found at {CUAD}: nothing to measure")
        return 2
    if SOFFICE is None:
        print("note: LibreOffice not found: no numbering agreement, no PDF side in compare")
    contracts = _contracts(4 if args.quick else 16)
    settings, engines = Settings().replace(use_llm=False), Engines()
    rows: list[dict[str, Any]] = []
    agreed = numbered = 0
    test_files = [0, 0]  # agreed, numbered: the two Word test files alone
    disagreements: list[str] = []
    totals = {"docx": [0, 0, 0, 0], "pdf": [0, 0, 0, 0]}  # reported, right, found, planted
    with tempfile.TemporaryDirectory(prefix="bench-docx-") as tmp:
        folder = Path(tmp)
        if SOFFICE is not None:
            for name, data in (("msa", sample_bytes()), ("features", features_bytes())):
                path = folder / f"{name}.docx"
                path.write_bytes(_accepted(data))
                draft = read_docx(path)
                known = {f"Section {a}.0{b}": {f"Section {r}.0{b}"}
                         for a, r in ((1, "I"), (2, "II")) for b in (1, 2)}  # fmt: skip
                known["(C)"] = {"(A)"}  # LibreOffice 7.4: no isLgl, no lvlRestart (see test)
                ok, differ = numbering_agreement(draft, _rendered(path, folder), known)
                agreed, numbered = agreed + ok, numbered + ok + len(differ)
                test_files[0], test_files[1] = test_files[0] + ok, test_files[1] + ok + len(differ)
                disagreements += [f"{name}: {d}" for d in differ]
        for n, (name, txt, pdf) in enumerate(contracts):
            rng = random.Random(args.seed * 1000 + n)
            paras = paragraphs_of(txt.read_text(encoding="utf-8", errors="replace"))
            donor_paras = paragraphs_of(contracts[(n + 1) % len(contracts)][1].read_text(
                encoding="utf-8", errors="replace"))  # fmt: skip
            donor = max(donor_paras[:60], key=lambda p: len(p.text) if len(p.text) < 900 else 0)
            second, planted = edited(paras, donor, rng)
            old_docx, new_docx = folder / f"c{n}_v1.docx", folder / f"c{n}_v2.docx"
            build_docx(paras, old_docx)
            build_docx(second, new_docx)
            row: dict[str, Any] = {"contract": name, "paragraphs": len(paras),
                                   "numbered": sum(p.level is not None for p in paras)}  # fmt: skip
            try:
                doc = load_document(pdf, ocr=RefuseOcr(), workers=1)
                row["pages"] = len(doc.pages)
                row["pdf_read_s"] = _median_s(
                    partial(load_document, pdf, ocr=RefuseOcr(), workers=1)
                )
                row["docx_read_s"] = _median_s(partial(read_docx, old_docx))
            except (NeedsOcr, KnownError) as exc:
                with pymupdf.open(pdf) as d:
                    row["pages"] = d.page_count
                row["note"] = f"PDF not timed: {type(exc).__name__}"
            if SOFFICE is not None:
                _to_pdf(folder, old_docx, new_docx)
                draft = read_docx(old_docx)
                ok, differ = numbering_agreement(draft, _pdf_text(folder / f"c{n}_v1.pdf"))
                agreed, numbered = agreed + ok, numbered + ok + len(differ)
                disagreements += [f"{name[:40]}: {d}" for d in differ[:5]]
                row["numbering"] = f"{ok}/{ok + len(differ)}"
            start = time.perf_counter()
            old_review = analyse(old_docx, settings=settings, engines=engines, with_llm=False)
            new_review = analyse(new_docx, settings=settings, engines=engines, with_llm=False)
            reviews_s = time.perf_counter() - start
            start = time.perf_counter()
            comparison = compare(old_review, new_review)
            row["compare_s"] = round(time.perf_counter() - start, 3)
            row["reviews_s"] = round(reviews_s, 3)
            pairs: list[tuple[str, Review, list[Para] | None]] = [("docx", new_review, second)]
            if SOFFICE is not None:
                pdf_review = analyse(folder / f"c{n}_v2.pdf", settings=settings, engines=engines,
                                     with_llm=False)  # fmt: skip
                pairs.append(("pdf", pdf_review, None))
            for kind, review, layout in pairs:
                entries = (
                    comparison.entries if kind == "docx" else compare(old_review, review).entries
                )
                reported, right, found = score(entries, (old_review, paras), (review, layout),
                                               planted, donor.text)  # fmt: skip
                t = totals[kind]
                t[0], t[1], t[2], t[3] = (
                    t[0] + reported,
                    t[1] + right,
                    t[2] + len(found),
                    t[3] + len(planted),
                )
                row[f"{kind}_reported"], row[f"{kind}_right"] = reported, right
                row[f"{kind}_found"] = f"{len(found)}/{len(planted)}"
            rows.append(row)
            _line(name, row)
    timed = [r for r in rows if "docx_read_s" in r]
    pages = sum(r["pages"] for r in timed)
    docx_pps = pages / sum(r["docx_read_s"] for r in timed) if timed else 0.0
    pdf_pps = pages / sum(r["pdf_read_s"] for r in timed) if timed else 0.0
    reported = sum(t[0] for t in totals.values())
    right = sum(t[1] for t in totals.values())
    found_n = sum(t[2] for t in totals.values())
    planted_n = sum(t[3] for t in totals.values())
    thirty = min(rows, key=lambda r: abs(r["pages"] - 30)) if rows else None
    headline = {
        "docx_vs_pdf_ratio": round(docx_pps / pdf_pps, 2) if pdf_pps else None,
        "numbering_agreement": round(agreed / numbered, 4) if numbered else None,
        "compare_precision": round(right / reported, 4) if reported else None,
        "compare_recall": round(found_n / planted_n, 4) if planted_n else None,
        "docx_pages_per_s": round(docx_pps, 1),
        "pdf_pages_per_s": round(pdf_pps, 1),
        "numbered_paragraphs": numbered,
        "numbering_agreement_test_files": round(test_files[0] / test_files[1], 4)
        if test_files[1]
        else None,
        "contracts": len(rows),
        "pairs": {
            k: {
                "precision": round(t[1] / t[0], 4) if t[0] else None,
                "recall": round(t[2] / t[3], 4) if t[3] else None,
                "planted": t[3],
            }
            for k, t in totals.items()
            if t[3]
        },
        "compare_30_pages_s": thirty and thirty["compare_s"],
        "reviews_30_pages_s": thirty and thirty["reviews_s"],
        "pages_of_that_pair": thirty and thirty["pages"],
        "seed": args.seed,
    }
    scans: list[dict[str, Any]] = []
    if not args.no_scan:
        figures = compare_ocr.run(args.quick, args.seed, include_sample=not args.quick)
        scans = figures.pop("pairs")
        headline |= figures
    for line in disagreements[:20]:
        print(f"numbering differs: {line}")
    report(headline, args.json, rows=rows, numbering_disagreements=disagreements,
           scan_pairs=scans)  # fmt: skip
    return 0


def _line(name: str, row: dict[str, Any]) -> None:
    found = f"{row['docx_found']} found, {row['docx_right']}/{row['docx_reported']} right"
    print(
        f"{name[:48]:48} {row['pages']:4} p  {row.get('numbering', '-'):>7}  docx {found}  "
        f"pdf {row.get('pdf_found', '-')}  compare {row['compare_s']:.3f} s",
        flush=True,
    )


def _pdf_text(pdf: Path) -> str:
    """A PDF's text as one line (as :func:`_rendered` reads LibreOffice's)."""
    from westfall_legal.layout.text import build_text

    text = build_text(load_document(pdf, ocr=RefuseOcr(), workers=1)).text
    text = "".join("•" if 0xF000 <= ord(ch) <= 0xF0FF else ch for ch in text)
    return " ".join(text.split())


if __name__ == "__main__":
    sys.exit(main())
