"""Store fixtures: the cheap KDF for every test, and an unlocked store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import FAST_KDF, PASSPHRASE

from westfall_legal.store import KdfParams, Store, keys


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> KdfParams:
    monkeypatch.setattr(keys, "DEFAULT_KDF", FAST_KDF)
    return FAST_KDF


@pytest.fixture
def store_path(app_home: Path) -> Path:
    return app_home / "store.sqlite3"


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    opened = Store.create(PASSPHRASE, store_path)
    yield opened
    opened.close()
