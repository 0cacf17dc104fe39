"""Field encryption, the KDF and the passphrase: the lock itself."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import PASSPHRASE, populate, raw, store_files

from westfall_legal.errors import (
    ExitCode,
    SchemaTooNewError,
    StoreError,
    StoreExistsError,
    StoreNotFoundError,
    StoreTamperedError,
    WrongPassphraseError,
)
from westfall_legal.store import KdfParams, Store, crypto, keys


def test_a_field_opens_only_where_it_was_sealed() -> None:
    cipher = crypto.FieldCipher(crypto.random_key())
    ad = crypto.associated_data("annotations", "abc", "body")
    blob = cipher.seal(b"clause text", ad)
    assert cipher.open(blob, ad) == b"clause text"
    assert blob != cipher.seal(b"clause text", ad)  # a fresh nonce every time
    for other in (
        ("annotations", "abd", "body"),
        ("corrections", "abc", "body"),
        ("annotations", "abc", "text"),
    ):
        with pytest.raises(StoreTamperedError, match="does not authenticate"):
            cipher.open(blob, crypto.associated_data(*other))
    flipped = bytearray(blob)
    flipped[20] ^= 1
    with pytest.raises(StoreTamperedError, match="annotations, row abc, column body"):
        cipher.open(bytes(flipped), ad)
    with pytest.raises(StoreTamperedError):
        crypto.FieldCipher(crypto.random_key()).open(blob, ad)


def test_users_get_a_real_kdf_cost() -> None:
    prod = keys.PRODUCTION_KDF
    # RFC 9106's second recommended option; the tests' cheap setting is only ever patched in.
    assert (prod.algorithm, prod.memory_cost, prod.iterations, prod.lanes) == (
        "argon2id",
        64 * 1024,
        3,
        4,
    )
    unpatched = subprocess.run(
        [
            sys.executable,
            "-c",
            "from westfall_legal.store import keys; print(keys.DEFAULT_KDF == keys.PRODUCTION_KDF)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert unpatched.stdout.strip() == "True"


def test_the_stored_kdf_is_the_default_one_with_its_own_salt(store: Store) -> None:
    (kdf_json,) = store.db.execute("SELECT kdf FROM keyring").fetchone()
    params = KdfParams.from_json(json.loads(kdf_json))
    assert params.algorithm == keys.DEFAULT_KDF.algorithm
    assert params.memory_cost == keys.DEFAULT_KDF.memory_cost
    assert len(bytes.fromhex(params.salt)) == 16


def test_scrypt_stores_open_too(store_path: Path) -> None:
    scrypt = KdfParams(algorithm="scrypt", salt="00" * 16, n=2**10, r=8, p=1).with_new_salt()
    Store.create("pass phrase", store_path, kdf=scrypt).close()
    with Store.open("pass phrase", store_path) as store:
        assert store.matters.list() == []
    with pytest.raises(WrongPassphraseError):
        Store.open("wrong", store_path)


def test_wrong_passphrase_is_a_clear_error_and_changes_nothing(
    store: Store, store_path: Path
) -> None:
    populate(store)
    store.close()
    before = {k: hashlib.sha256(v).hexdigest() for k, v in store_files(store_path).items()}
    with pytest.raises(WrongPassphraseError) as caught:
        Store.open("Correct horse battery staple", store_path)
    assert str(store_path) in caught.value.user_line()
    assert "nothing in the store was changed" in caught.value.user_line()
    assert caught.value.exit_code == ExitCode.STORE
    after = {k: hashlib.sha256(v).hexdigest() for k, v in store_files(store_path).items()}
    assert after == before
    Store.open(PASSPHRASE, store_path).close()


def test_no_hash_of_the_passphrase_is_stored(store: Store, store_path: Path) -> None:
    store.close()
    data = b"".join(store_files(store_path).values())
    for digest in (hashlib.sha256, hashlib.sha512, hashlib.md5, hashlib.sha1):
        assert digest(PASSPHRASE.encode()).digest() not in data
        assert digest(PASSPHRASE.encode()).hexdigest().encode() not in data
    assert PASSPHRASE.encode() not in data


def test_change_passphrase_rewraps_keys_only(store: Store, store_path: Path) -> None:
    _, saved = populate(store)
    blobs = store.db.execute("SELECT id, body FROM annotations ORDER BY id").fetchall()
    wraps = store.db.execute("SELECT wrapped_key FROM matters").fetchall()
    store.change_passphrase("new passphrase")
    assert store.db.execute("SELECT id, body FROM annotations ORDER BY id").fetchall() == blobs
    assert store.db.execute("SELECT wrapped_key FROM matters").fetchall() != wraps
    store.matters.create("another matter")  # wrapped under the new key-encryption key
    store.close()
    with pytest.raises(WrongPassphraseError):
        Store.open(PASSPHRASE, store_path)
    with Store.open("new passphrase", store_path) as reopened:
        assert len(reopened.matters.list()) == 2
        assert reopened.corrections.state(saved.document.id).clauses
        events = [e.event for e in reopened.audit.entries()]
        assert "passphrase.changed" in events
        reopened.audit.verify()


def test_a_passphrase_change_in_another_window_is_noticed(store: Store, store_path: Path) -> None:
    with Store.open(PASSPHRASE, store_path) as other:
        other.change_passphrase("changed elsewhere")
    with pytest.raises(StoreError, match="changed in another window"):
        store.matters.create("new matter")


def test_empty_passphrase_refused(store_path: Path) -> None:
    with pytest.raises(StoreError, match="empty passphrase"):
        Store.create("", store_path)
    assert not store_path.exists()


def test_open_create_and_the_files_pragmas(store: Store, store_path: Path) -> None:
    with pytest.raises(StoreExistsError):
        Store.create(PASSPHRASE, store_path)
    pragma = {
        p: store.db.execute(f"PRAGMA {p}").fetchone()[0]
        for p in ("journal_mode", "synchronous", "temp_store", "secure_delete")
    }
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "temp_store": 2, "secure_delete": 1}
    assert store_path.stat().st_mode & 0o077 == 0  # owner only
    with pytest.raises(StoreNotFoundError):
        Store.open(PASSPHRASE, store_path.with_name("none.sqlite3"))


def test_a_newer_schema_is_refused_and_left_alone(store: Store, store_path: Path) -> None:
    store.close()
    with raw(store_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('westfall_store', 'm999_from_the_future', 'later')"
        )
    conn.close()
    before = store_path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="m999_from_the_future") as caught:
        Store.open(PASSPHRASE, store_path)
    assert "never downgraded" in caught.value.user_line()
    assert store_path.read_bytes() == before


def test_a_file_that_is_not_a_store_is_refused(store_path: Path) -> None:
    sqlite3.connect(store_path).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(StoreError, match="not a Westfall Legal store"):
        Store.open(PASSPHRASE, store_path)
    store_path.write_bytes(b"garbage" * 1000)
    with pytest.raises(StoreError, match="damaged or not a Westfall Legal store"):
        Store.open(PASSPHRASE, store_path)


def test_a_missing_database_next_to_its_head_is_not_silently_recreated(
    store: Store, store_path: Path
) -> None:
    store.close()
    for name in list(store_files(store_path)):
        if name.startswith("store.sqlite3"):
            (store_path.parent / name).unlink()
    with pytest.raises(StoreError, match="database file is missing") as caught:
        Store.create(PASSPHRASE, store_path)
    assert "westfall store restore" in caught.value.user_line()
