"""A new passphrase has a minimum length (issue 24, item 15): a short one would fall to an
offline search of a copied store file. A store set up before the rule still opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_helpers import PASSPHRASE

from westfall_legal.errors import StoreError
from westfall_legal.store import MIN_PASSPHRASE, Store, check_new_passphrase, core


@pytest.mark.parametrize(
    ("passphrase", "why"),
    [
        ("", "empty passphrase"),
        (" ", "only spaces"),
        ("        ", "only spaces"),
        ("a", "1 character is too short"),
        ("   short   ", "5 characters is too short"),
        ("seven77", "7 characters is too short"),
    ],
)
def test_a_weak_new_passphrase_is_refused_saying_why(
    passphrase: str, why: str, store_path: Path
) -> None:
    with pytest.raises(StoreError, match=why) as caught:
        Store.create(passphrase, store_path)
    assert f"at least {MIN_PASSPHRASE} characters" in caught.value.hint
    assert not store_path.exists()


def test_eight_characters_are_enough() -> None:
    check_new_passphrase("eight888")
    check_new_passphrase("  four words of it  ")


def test_changing_to_a_weak_passphrase_changes_nothing(store: Store, store_path: Path) -> None:
    with pytest.raises(StoreError, match="too short"):
        store.change_passphrase("a")
    entries = len(store.audit.entries())
    store.close()
    with Store.open(PASSPHRASE, store_path) as reopened:
        assert len(reopened.audit.entries()) == entries


def test_a_store_set_up_with_a_short_passphrase_still_opens(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as before_the_rule:
        before_the_rule.setattr(core, "check_new_passphrase", lambda passphrase: None)
        Store.create("a", store_path).close()
    with Store.open("a", store_path) as store:
        store.matters.create("still here")
        store.change_passphrase("a longer passphrase")  # the way out
    Store.open("a longer passphrase", store_path).close()
