"""The CLI opens an old store with its upgrade's progress on stderr: lines at each tenth
where stderr is not a terminal (a script's log), the bar where it is."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from store_helpers import PASSPHRASE, review_json

from westfall_legal.cli import common, main
from westfall_legal.store import Store, migrations

OLD = 3  # the last schema without the documents' index


def _old_store(path: Path, documents: int) -> None:
    with Store.create(PASSPHRASE, path, schema_version=OLD) as old:
        matter = old.matters.create("Old matter")
        for n in range(documents):
            old.reviews.add(matter.id, review_json(1, name=f"l{n}.pdf", extra=f" {n}."))


def test_an_old_store_opened_by_the_cli_shows_its_upgrade(
    store_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(common.PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.setattr(migrations, "FILL_BATCH", 2)  # 10 documents: 5 batches
    _old_store(store_path, 10)
    capsys.readouterr()
    assert main(["matter", "list"]) == 0
    out, err = capsys.readouterr()
    assert "Old matter" in out and "10 documents" in out
    lines = err.splitlines()
    assert lines == [
        f"westfall: upgrading the store: indexing documents, {n} of 10" for n in (2, 4, 6, 8, 10)
    ]
    assert main(["matter", "list"]) == 0  # upgraded: nothing more to say
    assert capsys.readouterr().err == ""
    with Store.open(PASSPHRASE, store_path) as store:
        assert migrations.applied(store.db) == migrations.KNOWN


def test_on_a_terminal_the_upgrade_is_a_bar_that_is_cleared(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(common.PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.setattr(migrations, "FILL_BATCH", 4)
    _old_store(store_path, 6)
    terminal = io.StringIO()
    monkeypatch.setattr(terminal, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(common.sys, "stderr", terminal)
    common.Passphrases().open_store().close()
    drawn = terminal.getvalue()
    assert "upgrading the store" in drawn and "4/6" in drawn and "6/6" in drawn
    assert drawn.endswith("\r")  # the bar cleared: the next line starts clean
