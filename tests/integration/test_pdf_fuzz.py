# mypy: disallow-untyped-calls=False
"""A seeded fuzz of `westfall review` on damaged PDFs (issue 24): 1,000 mutations of a small
generated contract (truncations, bit flips, runs of bytes overwritten, xref and trailer
damage, object ranges duplicated or deleted, numbers and page-tree values swapped for
hostile ones, and stacks of these) of two saves of it (plain streams with an xref table;
compressed object streams with an xref stream), each reviewed through the CLI's `main()`
with the real PyMuPDF engine. Every review ends with a known exit code and no traceback;
afterwards nothing is written outside the data folder and `--out` (temporary files
included), no mutant took more than MAX_CPU_S of CPU, and the process's peak memory grew
by less than MAX_RSS_GROWTH_MB.

All 1,000 go through the CLI, not only through the ingest stage: with the clause model and
playbook read once (the engines each review builds share them) and fsync skipped, a review
takes about 25 ms of CPU; the test about 25 s of CPU, 40-70 s on the shared 2-core
development machine. OCR stays out of the loop: a page that loses its text layer goes to a
fake engine that renders it through the PDF adapter at 9 dpi (so damaged pages are still
rendered, as for Tesseract) and reads one canned line off it.
"""

from __future__ import annotations

import dataclasses
import os
import random
import re
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest

from westfall_legal import pipeline
from westfall_legal.cli import main
from westfall_legal.errors import ExitCode
from westfall_legal.ingest import pdf
from westfall_legal.models import Page, Word
from westfall_legal.settings import Settings

RUNS = 1000
MAX_CPU_S = 0.5  # a mutant's review; the intact file's takes about 0.03 s
MAX_RSS_GROWTH_MB = 300
SEED = 24
KNOWN_CODES = {ExitCode.OK, ExitCode.BAD_INPUT}
TEXT = (
    "{n}. {title}. This Agreement between Northwind Holdings LLC and Brightline Consulting Inc. "
    "shall be governed by the laws of the State of Delaware. Either party may terminate it on "
    "thirty (30) days written notice. Neither party may assign it without the other's consent. "
    "Client shall pay each invoice within forty-five (45) days after receipt."
)
TITLES = ("GOVERNING LAW", "TERMINATION", "ASSIGNMENT")
EXTREME = [b"0", b"-1", b"2147483647", b"4294967296", b"99999999999999999999", b"1e308",
           b"-0.0", b"3.4e38", b"nan", b"1 0 R", b"/Name", b"()", b"[", b"<<"]  # fmt: skip
OCR_LINE = ("The", "Supplier", "shall", "deliver", "the", "goods")
HOSTILE_VALUES = {  # a key of the page tree, an image or a stream, and values to put there
    rb"/Rotate -?\d+": [b"/Rotate 90", b"/Rotate 45", b"/Rotate -270", b"/Rotate 2147483647"],
    rb"/MediaBox\[[^\]]*\]": [
        b"/MediaBox[0 0 1e30 1e30]", b"/MediaBox[0 0 0 0]", b"/MediaBox[612 792 0 0]",
        b"/MediaBox[0 0 -612 792]", b"/MediaBox[0 0 14400 14400]", b"/MediaBox[0 0 1 1]",
        b"/MediaBox[]", b"/MediaBox 5", b"/MediaBox[0 0 595 842]/UserUnit 1000",
        b"/MediaBox[0 0 595 842]/CropBox[0 0 3 3]", b"/MediaBox[0 0 nan inf]",
    ],
    rb"/Count \d+": [b"/Count 0", b"/Count -1", b"/Count 2147483647", b"/Count 100000"],
    rb"/Kids\[[^\]]*\]": [b"/Kids[2 0 R]", b"/Kids[4 0 R 4 0 R 4 0 R]", b"/Kids[]",
                         b"/Kids 4 0 R", b"/Kids[1 0 R]"],
    rb"/Contents\[[^\]]*\]": [b"/Contents[4 0 R]", b"/Contents 2 0 R", b"/Contents[99 0 R]",
                             b"/Contents[]"],
    rb"/(?:Width|Height) \d+": [b"/Width 0", b"/Height 100000", b"/Width -8", b"/Width 65536"],
    rb"/BitsPerComponent \d+": [b"/BitsPerComponent 0", b"/BitsPerComponent 3",
                               b"/BitsPerComponent 64"],
    rb"/Length \d+": [b"/Length 0", b"/Length 99999999", b"/Length -1"],
}  # fmt: skip
RUN_BYTES = [b"\x00", b" ", b"9", b"(", b")", b"<", b">", b"[", b"\n", b"\xff", b"%"]


class RenderingOcr:
    """An OcrEngine that renders the page (cheaply) and reads one canned line off it."""

    def recognise(
        self, path: Path, number: int, width: float, height: float, password: str | None
    ) -> Page:
        pdf.render_page_grey(path, number, 9, password)
        words = tuple(
            Word(text, (72.0 + 40 * i, 72.0, 110.0 + 40 * i, 84.0), block=1, line=1, conf=90.0)
            for i, text in enumerate(OCR_LINE)
        )
        return Page(number, width, height, words, "ocr", 90.0)


def _base_pdfs() -> list[bytes]:
    """Three text pages and a tiny image, saved twice: uncompressed with a classic xref
    table (mutations hit the operators and the table), and compressed into object streams
    with an xref stream (mutations hit the inflater and the stream parser)."""
    doc = pymupdf.open()
    for n, title in enumerate(TITLES, start=1):
        page = doc.new_page()
        text = TEXT.format(n=n, title=title)
        assert page.insert_textbox(pymupdf.Rect(72, 72, 540, 400), text, fontsize=11) > 0
        if n == 2:
            pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 8, 8), False)
            pix.set_rect(pix.irect, (128,))
            page.insert_image(pymupdf.Rect(72, 420, 136, 484), pixmap=pix)
    doc.set_metadata({})
    plain: bytes = doc.tobytes(garbage=0, expand=255, no_new_id=True)
    packed: bytes = doc.tobytes(garbage=1, deflate=True, use_objstms=1, no_new_id=True)
    doc.close()
    return [plain, packed]


def _mutations(rng: random.Random, base: bytes) -> list[Callable[[bytes], bytes]]:
    objects = [m.span() for m in re.finditer(rb"\d+ 0 obj\b.*?endobj\s*", base, re.S)]
    numbers = [m.span() for m in re.finditer(rb"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])", base)]

    def truncate(data: bytes) -> bytes:
        return data[: rng.randrange(len(data))]

    def flip_bits(data: bytes) -> bytes:
        out = bytearray(data)
        for _ in range(rng.randint(1, 16)):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        return bytes(out)

    def overwrite_run(data: bytes) -> bytes:
        at = rng.randrange(len(data))
        size = rng.randint(1, 512)
        if rng.random() < 0.5:
            run = bytes(rng.randrange(256) for _ in range(size))
        else:
            run = rng.choice(RUN_BYTES) * size
        return data[:at] + run + data[at + size :]

    def damage_xref(data: bytes) -> bytes:
        how = rng.randrange(6)
        if how == 0:  # startxref points anywhere
            return re.sub(rb"startxref\s+\d+", b"startxref\n%d" % rng.randint(-5, 10**7), data)
        if how == 1:  # some xref entries point anywhere

            def entry(m: re.Match[bytes]) -> bytes:
                if rng.random() < 0.3:
                    return b"%010d %s" % (rng.randrange(10**10), m.group(2))
                return m.group(0)

            return re.sub(rb"(\d{10}) (\d{5} [nf])", entry, data)
        if how == 2:  # the xref table is gone
            return re.sub(rb"xref\s.*?(?=trailer)", b"", data, count=1, flags=re.S)
        if how == 3:  # the trailer is gone
            return re.sub(rb"trailer\s*<<.*?>>", b"", data, count=1, flags=re.S)
        if how == 4:  # the trailer's /Root or /Size is wrong
            key = rng.choice([rb"/Root \d+ 0 R", rb"/Size \d+"])
            junk = rng.choice([b"/Root 999 0 R", b"/Root 1 0 R", b"/Size 0", b"/Size 99999999"])
            return re.sub(key, junk, data, count=1)
        return data.replace(b"%%EOF", b"", 1)  # no end marker

    def duplicate_objects(data: bytes) -> bytes:
        i = rng.randrange(len(objects))
        j = min(len(objects) - 1, i + rng.randrange(3))
        chunk = base[objects[i][0] : objects[j][1]]
        at = rng.choice([objects[rng.randrange(len(objects))][0], objects[j][1]])
        at = min(at, len(data))
        return data[:at] + chunk + data[at:]

    def delete_objects(data: bytes) -> bytes:
        i = rng.randrange(len(objects))
        j = min(len(objects) - 1, i + rng.randrange(3))
        start, end = objects[i][0], objects[j][1]
        return data[:start] + data[end:] if end <= len(data) else data[:start]

    def extreme_number(data: bytes) -> bytes:
        start, end = rng.choice(numbers)
        if end > len(data):
            return data
        return data[:start] + rng.choice(EXTREME) + data[end:]

    def hostile_value(data: bytes) -> bytes:
        key = rng.choice(sorted(HOSTILE_VALUES))
        found = list(re.finditer(key, data))
        if not found:
            return data
        start, end = rng.choice(found).span()
        return data[:start] + rng.choice(HOSTILE_VALUES[key]) + data[end:]

    single = [truncate, flip_bits, overwrite_run, damage_xref, duplicate_objects,
              delete_objects, extreme_number, hostile_value]  # fmt: skip

    def stacked(data: bytes) -> bytes:  # truncation left out: it would cut most of the others
        for mutate in rng.sample(single[1:], rng.randint(2, 4)):
            data = mutate(data)
        return data

    return [*single, stacked]


def _files(root: Path) -> set[Path]:
    return set(root.rglob("*"))


@pytest.mark.slow
def test_a_thousand_damaged_pdfs_never_crash_or_write_outside(
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    app_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shared = pipeline.Engines(ocr=RenderingOcr())
    shared.clauses(Settings())  # the clause model and playbook, read once for every review
    shared.rules(Settings())
    monkeypatch.setattr(pipeline, "Engines", lambda: dataclasses.replace(shared))
    monkeypatch.setattr(os, "fsync", lambda fd: None)  # a power cut is not what is tested
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.chdir(tmp_path)  # a relative path written by mistake lands where it is seen
    inputs, out = tmp_path / "fuzz", tmp_path / "out"
    inputs.mkdir()

    def review(path: Path) -> int:
        return main(["review", "-q", "--no-llm", "--out", str(out), str(path)])

    rng = random.Random(SEED)
    bases = _base_pdfs()
    mutations = [_mutations(rng, base) for base in bases]
    for i, base in enumerate(bases):  # also loads what a first review loads
        (inputs / f"intact{i}.pdf").write_bytes(base)
        assert review(inputs / f"intact{i}.pdf") == ExitCode.OK, capsys.readouterr().err
    capsys.readouterr()
    root = tmp_path_factory.getbasetemp()
    outside = {p for p in _files(root) if not p.is_relative_to(app_home)}
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    codes: dict[int, int] = {}
    repaired = 0
    slow: dict[str, bytes] = {}  # over MAX_CPU_S (the machine's load does not count)
    for n in range(RUNS):
        i = rng.randrange(len(bases))
        mutate = rng.choice(mutations[i])
        path = inputs / f"{n}-{mutate.__name__}.pdf"
        data = mutate(bases[i])
        path.write_bytes(data)
        start = time.process_time()
        code = review(path)
        spent = time.process_time() - start
        _, err = capsys.readouterr()
        assert code in KNOWN_CODES and "Traceback" not in err, (path.name, code, err[-2000:])
        codes[code] = codes.get(code, 0) + 1
        repaired += "damaged and repaired" in err
        if spent > MAX_CPU_S:  # a pathological input is slow again; a GC pause is not
            start = time.process_time()
            review(path)
            spent = min(spent, time.process_time() - start)
            capsys.readouterr()
        if spent > MAX_CPU_S:
            slow[f"{path.name} ({spent:.2f} s)"] = data
        path.unlink()
    now = {p for p in _files(root) if not p.is_relative_to(app_home)}
    assert {p for p in now - outside if not p.is_relative_to(out)} == set()
    assert {p.name.split(".", 1)[1] for p in out.iterdir()} <= {"review.json", "review.html"}
    assert os.listdir(temp) == []
    for name, data in slow.items():  # kept to look into, once nothing else is checked
        (inputs / name.split()[0]).write_bytes(data)
    assert min(codes.get(ExitCode.OK, 0), codes.get(ExitCode.BAD_INPUT, 0), repaired) > RUNS // 20
    assert not slow, f"over {MAX_CPU_S} s of CPU, kept in {inputs}: {', '.join(slow)}"
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert grown < MAX_RSS_GROWTH_MB, f"peak memory grew by {grown:.0f} MB"
