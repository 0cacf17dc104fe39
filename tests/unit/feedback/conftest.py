"""Feedback fixtures: the cheap KDF, and a store holding a corrected contract."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from feedback_helpers import FAST_KDF, PASSPHRASE, SCHEMA, fill_store

from westfall_legal.feedback import Selection, export_feedback
from westfall_legal.store import KdfParams, Store, keys


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> KdfParams:
    monkeypatch.setattr(keys, "DEFAULT_KDF", FAST_KDF)
    return FAST_KDF


@pytest.fixture
def store(app_home: Path) -> Iterator[Store]:
    opened = Store.create(PASSPHRASE, app_home / "store.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def corrected(store: Store) -> str:
    """The document id of the planted contract, corrected in every way."""
    return fill_store(store)


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Store]:
    """A second installation (another store, another key)."""
    opened = Store.create("another passphrase", tmp_path / "other" / "store.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def exported(store: Store, corrected: str, tmp_path: Path) -> Path:
    """The corrected contract exported as a bundle signed by ``store``."""
    out = tmp_path / "feedback.wfb"
    export_feedback(store, out, Selection(), SCHEMA)
    return out
