"""Anonymisation and export take linear time on huge text (issue 24, item 5).

``patterns.EMAIL`` was tried from every character of a long token without an "@" and
scanned to the token's end each time: 40,000 characters took 4.5 s and a 1 MB comment held
``export-feedback`` for more than ten minutes; a contract holding a long base64 or hash
line did the same. The whole path (learning names, replacing, the leak check, writing the
bundle) now runs on a 1 MB comment (a hash in hex) and on a contract with a 1 MB line of
base64 within ``PATH_FACTOR`` linear scans of 1 MB on top of the time of the same export
without them (the old code was interrupted there, after minutes). Each pattern alone is
checked in ``tests/unit/test_regex_time.py``.
"""

from __future__ import annotations

import base64
import random
import re
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest
from feedback_helpers import CONTRACT, SCHEMA, members, review_json

from westfall_legal.feedback import Selection, export_feedback, patterns
from westfall_legal.feedback.anonymise import Anonymiser
from westfall_legal.store import Store

SIZE = 1_000_000
FACTOR = 100  # linear scans of SIZE characters, for the email finder alone
# ... for a whole path: some 60 patterns run over the text, and the leak check looks for
# every value replaced in the whole text again
PATH_FACTOR = 1000


def _linear_scan_seconds() -> float:
    text = ("ab cd, " * (SIZE // 7 + 1))[:SIZE]
    word = re.compile(r"\w")
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        word.findall(text)
        best = min(best, time.perf_counter() - start)
    return best


class _TooSlow(Exception):
    pass


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise _TooSlow


@contextmanager
def _within(seconds: float, what: str) -> Iterator[None]:
    """Fail when the block takes longer than ``seconds`` (interrupting it there)."""
    previous = signal.signal(signal.SIGALRM, _interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.perf_counter()
    try:
        yield
    except _TooSlow:
        pytest.fail(f"{what}: not done after {seconds:.1f} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    took = time.perf_counter() - start
    assert took < seconds, f"{what}: {took:.1f} s, over {seconds:.1f} s"


def _base64_line(size: int) -> str:
    """URL-safe base64 (a token, a data URL): one "word" of ``size`` characters."""
    return base64.urlsafe_b64encode(random.Random(5).randbytes(size * 3 // 4)).decode()[:size]


def _hex_line(size: int) -> str:
    return random.Random(6).randbytes(size // 2).hex()


def _export_seconds(store: Store, out: Path) -> float:
    start = time.perf_counter()
    export_feedback(store, out, Selection(), SCHEMA)
    return time.perf_counter() - start


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("Write to ann.lee@acme.example today", [(9, 29)]),
        ("a@b.co+c@d.co", [(0, 6), (6, 13)]),  # glued: the second starts where the first ends
        ("x@y.com%%+x@y.com--", [(0, 7), (7, 19)]),
        ("mailto:ann@acme.example.", [(7, 23)]),
        ("no email here @ all, nor user@localhost", []),
    ],
)
def test_emails_are_found_as_before(text: str, spans: list[tuple[int, int]]) -> None:
    old = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")  # the quadratic original
    assert list(patterns.emails(text)) == [m.span() for m in old.finditer(text)] == spans


@pytest.mark.slow
@pytest.mark.parametrize(
    "token",
    [_hex_line(SIZE), _base64_line(SIZE), "ann.lee@" + "a" * SIZE, ("a@b.co+" * SIZE)[:SIZE]],
    ids=["hex", "base64", "an @ then no domain", "glued emails"],
)
def test_the_email_finder_is_linear_on_1_mb(token: str) -> None:
    with _within(FACTOR * _linear_scan_seconds(), "emails on 1 MB"):
        list(patterns.emails(token))


@pytest.mark.slow
def test_anonymising_1_mb_of_text_is_linear() -> None:
    text = CONTRACT + "\n" + _base64_line(SIZE // 2) + "\nSee it, " + "Abc def " * (SIZE // 16)
    anonymiser = Anonymiser()
    with _within(PATH_FACTOR * _linear_scan_seconds(), "learning and replacing 1 MB"):
        anonymiser.learn(text, review_json())
        done = anonymiser.text(text)
        anonymiser.leaks(done.text)
    assert "QUILLFEATHER" not in done.text


@pytest.mark.slow
def test_export_with_a_1_mb_comment_and_a_1_mb_base64_line_is_linear(
    store: Store, tmp_path: Path
) -> None:
    store.matters.create("Quillfeather supply")
    doc = store.reviews.add("Quillfeather supply", review_json()).document.id
    store.corrections.comment(doc, "A short note.", reviewer="Bob Marsh", target="c4")
    base = _export_seconds(store, tmp_path / "small.wfb")

    huge = CONTRACT + "\n" + _base64_line(SIZE) + "\n"
    other = store.reviews.add("Quillfeather supply", review_json(huge, "scan.pdf")).document.id
    comment = "Ask priya.v@quillfeather.example about " + _hex_line(SIZE)
    store.corrections.comment(other, comment, reviewer="Bob Marsh", target="c4")
    limit = base + PATH_FACTOR * _linear_scan_seconds()
    with _within(limit, "export-feedback with 1 MB of hex in a comment, base64 in a contract"):
        export_feedback(store, tmp_path / "huge.wfb", Selection(), SCHEMA)
    files = members((tmp_path / "huge.wfb").read_bytes())
    assert not any(b"priya.v@quillfeather.example" in data for data in files.values())
