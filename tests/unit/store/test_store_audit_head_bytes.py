"""The audit head file keeps its exact bytes (older versions read it, and a backup of the
folder carries it) and its owner-only mode, written atomically through ``paths.write_json``."""

from __future__ import annotations

import stat
from pathlib import Path

from westfall_legal.store import Store
from westfall_legal.store.audit import Head, head_path, read_head, write_head


def test_the_head_file_is_one_line_of_json_in_the_format_it_always_had(tmp_path: Path) -> None:
    path = tmp_path / "store.audit-head"
    write_head(path, Head("0123abcd", 42, "f" * 64))
    assert path.read_bytes() == (
        b'{"store": "0123abcd", "seq": 42, "hash": "' + b"f" * 64 + b'"}\n'
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_head(path) == Head("0123abcd", 42, "f" * 64)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_a_store_writes_its_head_after_each_commit(store: Store, store_path: Path) -> None:
    head = head_path(store_path)
    first = read_head(head)
    assert first is not None and first.store_id == store.store_id
    store.matters.create("A matter")
    after = read_head(head)
    assert after is not None and after.seq == first.seq + 1
    text = head.read_text(encoding="utf-8")
    assert text == f'{{"store": "{store.store_id}", "seq": {after.seq}, "hash": "{after.hash}"}}\n'
