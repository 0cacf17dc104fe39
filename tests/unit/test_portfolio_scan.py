"""Portfolio: the data room walked (recursive, identical files once, the rest named), the
journal read back after a crash, and which documents a rerun leaves alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from westfall_legal.errors import InputNotFoundError
from westfall_legal.portfolio.record import (
    JOURNAL,
    Entry,
    Journal,
    finished,
    read_journal,
    review_name,
)
from westfall_legal.portfolio.run import Progress
from westfall_legal.portfolio.scan import scan
from westfall_legal.portfolio.task import Outcome
from westfall_legal.store import DocumentInfo


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_a_data_room_is_walked_recursively_and_copies_are_reviewed_once(tmp_path: Path) -> None:
    room = tmp_path / "room"
    a = _write(room / "a.pdf", b"%PDF-1.4 one")
    _write(room / "deep" / "er" / "a copy.pdf", b"%PDF-1.4 one")
    b = _write(room / "deep" / "b.txt", b"This Agreement")
    _write(room / "deep" / "c.png", b"\x89PNG other")
    _write(room / "notes.xlsx", b"PK")
    _write(room / ".DS_Store", b"\0")
    _write(room / ".hidden" / "secret.pdf", b"%PDF-1.4 hidden")
    found = scan(room)
    assert [i.path for i in found.items] == [a, room / "deep" / "b.txt", room / "deep/c.png"]
    assert found.items[0].also == (room / "deep" / "er" / "a copy.pdf",)
    assert found.items[0].size == len(b"%PDF-1.4 one") and found.duplicates == 1
    assert found.items[1].path == b and not found.items[1].also
    assert len({i.sha256 for i in found.items}) == 3
    (skipped,) = found.skipped
    assert skipped.path == room / "notes.xlsx"
    assert "unsupported file type .xlsx" in skipped.why and "PDF" in skipped.why


def test_a_folder_without_documents_is_a_clear_error(tmp_path: Path) -> None:
    _write(tmp_path / "room" / "notes.xlsx", b"PK")
    with pytest.raises(InputNotFoundError, match="no PDF, PNG"):
        scan(tmp_path / "room")
    with pytest.raises(InputNotFoundError, match="no such folder"):
        scan(tmp_path / "missing")


def _entry(sha: str, status: str = "reviewed", model: str = "m1") -> Entry:
    return Entry(sha, f"/r/{sha}.pdf", status, model=model, html=f"reviews/{sha}.html")


def test_the_journal_survives_a_line_torn_by_a_crash(tmp_path: Path) -> None:
    journal = Journal(tmp_path / JOURNAL)
    journal.append(_entry("a"))
    journal.append(_entry("b", "failed"))
    journal.close()
    with (tmp_path / JOURNAL).open("a") as fh:
        fh.write('{"sha256": "c", "path": "/r/c.p')  # kill -9 mid-write
    assert sorted(read_journal(tmp_path / JOURNAL)) == ["a", "b"]
    journal = Journal(tmp_path / JOURNAL)  # the next run starts on a fresh line
    journal.append(_entry("c"))
    journal.append(_entry("a", "failed"))  # a later line wins
    journal.close()
    entries = read_journal(tmp_path / JOURNAL)
    assert sorted(entries) == ["a", "b", "c"] and entries["a"].status == "failed"
    lines = (tmp_path / JOURNAL).read_text().splitlines()
    assert json.loads(lines[-1])["sha256"] == "a"


def _stored(sha: str) -> DocumentInfo:
    return DocumentInfo("d1", "m", "x.pdf", sha, 1, 10, "2026-01-01", 1)


def test_a_rerun_leaves_alone_only_what_is_finished(tmp_path: Path) -> None:
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "a.html").write_text("<html>")
    stored = {"a": _stored("a")}
    assert finished(_entry("a"), stored, tmp_path, "m1")
    assert not finished(None, stored, tmp_path, "m1")  # never journalled
    assert not finished(_entry("a"), {}, tmp_path, "m1")  # killed before the store commit
    assert not finished(_entry("a"), stored, tmp_path, "m2")  # another clause model
    (tmp_path / "reviews" / "a.html").unlink()
    assert not finished(_entry("a"), stored, tmp_path, "m1")  # its HTML review was lost
    assert finished(_entry("b", "failed"), {}, tmp_path, "m1")  # a failure is a row
    assert not finished(_entry("b", "failed"), {}, tmp_path, "m1", retry_failed=True)


def test_review_names_are_safe_and_distinct(tmp_path: Path) -> None:
    one = review_name(Path("/a/contract.pdf"), "1" * 64)
    two = review_name(Path("/b/contract.pdf"), "2" * 64)
    assert one != two and one.endswith(".html")
    odd = review_name(Path("/x/../../etc/pass wd;rm -rf.pdf"), "3" * 64)
    assert "/" not in odd and " " not in odd and ";" not in odd
    assert review_name(Path("/x/....pdf"), "4" * 64).startswith("document-")


def test_progress_says_documents_pages_per_second_and_the_time_left() -> None:
    progress = Progress(total=10, already=4, stream=None)
    progress.start -= 10.0  # ten seconds in
    progress(Outcome("a", "a.pdf", None, None, pages=30))
    progress(Outcome("b", "b.pdf", None, None, pages=20, error="b.pdf: broken"))
    line = progress.line()
    assert line.startswith("portfolio: 6/10 documents, 1 failed, 5.0 pages/s")
    assert "ETA 0m20s" in line  # 2 done in 10 s, 4 left


def test_a_file_gone_since_the_scan_is_a_row_not_a_stop(tmp_path: Path) -> None:
    from westfall_legal.portfolio.review import jobs
    from westfall_legal.portfolio.task import review_job
    from westfall_legal.settings import Settings

    gone = _write(tmp_path / "room" / "gone.pdf", b"%PDF-1.4 one")
    kept = _write(tmp_path / "room" / "kept.pdf", b"%PDF-1.4 two")
    found = scan(tmp_path / "room")
    gone.unlink()
    made = list(jobs(found.items, "", send_bytes=True))
    assert [j.shown for j in made] == [str(gone), str(kept)]
    assert made[1].payload == b"%PDF-1.4 two" and not made[1].unreadable
    outcome = review_job(made[0], Settings())
    assert outcome.error == f"{gone}: cannot be read (No such file or directory)."
