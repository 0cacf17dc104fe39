"""A review killed hard during OCR leaves no process behind (issue 24, item 14).

After ``kill -9`` of ``westfall review`` during OCR, the fork server, the resource tracker
and the OCR workers (about 320 MB) used to live on for good. Here the app is killed while
its workers are reading pages, and every process it started must be gone within
``GRACE_S``: the workers (and the programs they run), the fork server and the resource
tracker. The processes are found by a marker in their environment (see
``tests/process_helpers.py``), so re-parented ones are found too.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pymupdf
import pytest
from process_helpers import Proc, kill_all, marked, new_marker, wait_for

from tests.engines import needs_tesseract

GRACE_S = 10.0
START_S = 90.0  # for the workers to start reading, on a slow machine

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc"),
]

# The app reading a scan with tests/fakes/ocr.py::SlowOcr (a ProcessSafeOcr whose every page
# runs a long child program, as Tesseract does).
TESTS = Path(__file__).resolve().parents[1]
READ_WITH_SLOW_OCR = """
import sys
from pathlib import Path
sys.path.insert(0, {folder!r})
from fakes.ocr import SlowOcr
from westfall_legal.ingest.document import load_document
load_document(Path({pdf!r}), ocr=SlowOcr(), workers=2)
"""


# The training pools (dataset, evaluate) fork their workers from the app itself.
FORKED_POOL = """
import subprocess
from concurrent.futures import ProcessPoolExecutor
from westfall_legal.ingest.workers import exit_with_parent

def work(_):
    subprocess.run(["sleep", "300"], check=False)

if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2, initializer=exit_with_parent) as pool:
        list(pool.map(work, range(4)))
"""


def _scan(path: Path, pages: int, text: str = "") -> Path:
    """An image-only PDF: each page a 150 dpi picture of ``text`` (blank without)."""
    doc = pymupdf.open()
    for _ in range(pages):
        typeset = pymupdf.open()
        page = typeset.new_page()
        page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), text, fontsize=11)
        pix = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
        scan = doc.new_page(width=page.rect.width, height=page.rect.height)
        scan.insert_image(scan.rect, pixmap=pix)
    doc.save(path)
    return path


def _kill_and_wait(app: subprocess.Popen[bytes], env: dict[str, str]) -> list[Proc]:
    """Kill the app with SIGKILL; the processes of its run still alive after GRACE_S."""
    app.send_signal(signal.SIGKILL)
    app.wait()
    left = wait_for(env, lambda procs: not procs, GRACE_S)
    kill_all(left)
    return left


def _describe(procs: list[Proc]) -> str:
    return "; ".join(f"{p.pid} {p.name} (parent {p.ppid}): {p.cmdline[:80]}" for p in procs)


def _run(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)


def test_workers_end_with_the_app_that_started_them(tmp_path: Path) -> None:
    pdf = _scan(tmp_path / "scan.pdf", pages=4)
    script = READ_WITH_SLOW_OCR.format(folder=str(TESTS), pdf=str(pdf))
    env = new_marker()
    app = _run([sys.executable, "-c", textwrap.dedent(script)], env, tmp_path / "log.txt")
    try:
        running = wait_for(env, lambda ps: sum(p.name == "sleep" for p in ps) >= 2, START_S)
        assert sum(p.name == "sleep" for p in running) >= 2, (
            f"the workers did not start: {_describe(running)}\n"
            + (tmp_path / "log.txt").read_text()
        )
        assert len(running) >= 6  # the app, the fork server, two workers, their programs
    except BaseException:
        app.kill()
        kill_all(marked(env))
        raise
    left = _kill_and_wait(app, env)
    assert not left, f"left after kill -9 of the app: {_describe(left)}"


def test_forked_workers_end_with_the_app_too(tmp_path: Path) -> None:
    (tmp_path / "forked_pool.py").write_text(FORKED_POOL)
    env = new_marker()
    app = _run([sys.executable, str(tmp_path / "forked_pool.py")], env, tmp_path / "log.txt")
    try:
        running = wait_for(env, lambda ps: sum(p.name == "sleep" for p in ps) >= 2, START_S)
        assert sum(p.name == "sleep" for p in running) >= 2, _describe(running)
    except BaseException:
        app.kill()
        kill_all(marked(env))
        raise
    left = _kill_and_wait(app, env)
    assert not left, f"left after kill -9 of the app: {_describe(left)}"


@needs_tesseract
def test_a_review_killed_during_ocr_leaves_no_process(tmp_path: Path) -> None:
    text = "This Agreement shall be governed by the laws of the State of Delaware. " * 40
    pdf = _scan(tmp_path / "scan.pdf", pages=6, text=text)
    review = "import sys; from westfall_legal.cli import main; sys.exit(main())"
    args = [sys.executable, "-c", review, "review", str(pdf), "--out", str(tmp_path / "out")]
    env = new_marker()
    app = _run([*args, "--no-llm", "-q"], env, tmp_path / "log.txt")
    try:
        running = wait_for(env, lambda ps: any(p.name == "tesseract" for p in ps), START_S)
        assert any(p.name == "tesseract" for p in running), (
            f"OCR did not start: {_describe(running)}\n" + (tmp_path / "log.txt").read_text()
        )
    except BaseException:
        app.kill()
        kill_all(marked(env))
        raise
    left = _kill_and_wait(app, env)
    assert not left, f"left after kill -9 of the review: {_describe(left)}"
