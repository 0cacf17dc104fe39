"""The key hierarchy: passphrase -> key-encryption key -> the store key and each matter's key.

- The key-encryption key (KEK) is derived from the passphrase with Argon2id (scrypt where the
  OpenSSL build lacks Argon2); the algorithm, its cost and the salt are stored in clear in the
  ``keyring`` row, so the cost can be raised later (:meth:`Keyring.rewrap`).
- The store key (random) seals store-level audit entries and keys the audit chain's HMAC
  and the documents' index (HMAC of each document's sha256, under a key of its own).
- Each matter has its own random data key, wrapped by the KEK into its ``matters`` row:
  deleting that row destroys the key (crypto-shredding).
- No hash of the passphrase is stored: it is checked by unwrapping the store key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from westfall_legal.errors import StoreTamperedError, WrongPassphraseError
from westfall_legal.store import crypto
from westfall_legal.store.crypto import FieldCipher, KdfParams

# RFC 9106, section 4, second recommended option: 64 MiB, 3 passes, 4 lanes (about 0.25 s
# on a 2-core laptop). Tests lower it through ``DEFAULT_KDF``; users always get this one.
PRODUCTION_KDF = KdfParams(
    algorithm="argon2id", salt="", iterations=3, lanes=4, memory_cost=64 * 1024
)
# Where OpenSSL has no Argon2: scrypt at N=2^17, r=8, p=1 (128 MiB, RFC 7914's interactive+).
SCRYPT_KDF = KdfParams(algorithm="scrypt", salt="", n=2**17, r=8, p=1)
DEFAULT_KDF = PRODUCTION_KDF


def default_kdf() -> KdfParams:
    """The KDF for a new store or a new passphrase, with a fresh random salt."""
    base = DEFAULT_KDF
    if base.algorithm == "argon2id" and not crypto.argon2id_available():
        base = SCRYPT_KDF
    return base.with_new_salt()


def _wrap_ad(table: str, row_id: str | int, column: str) -> bytes:
    return crypto.associated_data(table, row_id, column)


STORE_KEY_AD = _wrap_ad("keyring", 1, "store_key")


def matter_key_ad(matter_id: str) -> bytes:
    return _wrap_ad("matters", matter_id, "wrapped_key")


@dataclass
class Keyring:
    """The unlocked keys of one open store (kept in memory only)."""

    kdf_json: str  # the stored parameters this KEK was derived with, verbatim
    kek: FieldCipher
    store_key: bytes = field(repr=False)  # never in a log or a traceback's locals
    store_cipher: FieldCipher
    audit_key: bytes = field(repr=False)
    index_key: bytes = field(repr=False)
    _matters: dict[str, FieldCipher] = field(default_factory=dict)

    @classmethod
    def _from_kek(cls, kdf_json: str, kek: FieldCipher, store_key: bytes) -> Keyring:
        return cls(
            kdf_json=kdf_json,
            kek=kek,
            store_key=store_key,
            store_cipher=FieldCipher(crypto.subkey(store_key, "fields")),
            audit_key=crypto.subkey(store_key, "audit"),
            index_key=crypto.subkey(store_key, "document-index"),
        )

    @classmethod
    def new(cls, passphrase: str, params: KdfParams | None = None) -> tuple[Keyring, bytes]:
        """A keyring for a new store, and the wrapped store key to keep in it."""
        params = params or default_kdf()
        kdf_json = json.dumps(params.to_json(), sort_keys=True)
        kek = FieldCipher(crypto.derive_kek(passphrase, params))
        store_key = crypto.random_key()
        return cls._from_kek(kdf_json, kek, store_key), kek.seal(store_key, STORE_KEY_AD)

    @classmethod
    def unlock(
        cls, passphrase: str, kdf_json: str, wrapped_store_key: bytes, where: str
    ) -> Keyring:
        """Derive the KEK and unwrap the store key; a wrong passphrase changes nothing."""
        params = KdfParams.from_json(json.loads(kdf_json))
        kek = FieldCipher(crypto.derive_kek(passphrase, params))
        try:
            store_key = kek.open(wrapped_store_key, STORE_KEY_AD)
        except StoreTamperedError:
            raise WrongPassphraseError(
                f"{where}: the passphrase does not unlock the store."
            ) from None
        return cls._from_kek(kdf_json, kek, store_key)

    def document_digest(self, matter_id: str, sha256: str) -> bytes:
        """The documents' index entry for a file of ``matter_id``: HMAC-SHA-256 over the
        matter id and the file's sha256 (lower-case hex) under a key from the store key, so
        that the file alone cannot tell whether a known contract is inside, nor which two
        matters hold the same one."""
        return crypto.keyed_mac(self.index_key, f"{matter_id}|{sha256.lower()}".encode())

    # Matter keys -------------------------------------------------------------------------

    def new_matter_key(self, matter_id: str) -> tuple[bytes, FieldCipher]:
        """A fresh data key for ``matter_id``: its wrap (to store) and its cipher."""
        key = crypto.random_key()
        return self.kek.seal(key, matter_key_ad(matter_id)), FieldCipher(key)

    def matter_cipher(self, matter_id: str, wrapped: bytes) -> FieldCipher:
        """The cipher of a matter, unwrapping ``wrapped`` unless it is cached."""
        cipher = self._matters.get(matter_id)
        if cipher is None:
            cipher = self._matters[matter_id] = FieldCipher(self._unwrap(matter_id, wrapped))
        return cipher

    def _unwrap(self, matter_id: str, wrapped: bytes) -> bytes:
        try:
            return self.kek.open(wrapped, matter_key_ad(matter_id))
        except StoreTamperedError:
            raise StoreTamperedError(
                f"matter {matter_id}: its wrapped key does not unwrap under this "
                "passphrase (the key was altered, or the passphrase was changed by "
                "another window: unlock the store again)."
            ) from None

    def cached(self, matter_id: str) -> FieldCipher | None:
        return self._matters.get(matter_id)

    def adopt(self, matter_id: str, cipher: FieldCipher) -> None:
        self._matters[matter_id] = cipher

    def forget(self, matter_id: str) -> None:
        self._matters.pop(matter_id, None)

    # Passphrase change -------------------------------------------------------------------

    def rewrap(
        self, new_passphrase: str, wrapped: Iterable[tuple[str, bytes]], params: KdfParams | None
    ) -> tuple[Keyring, bytes, list[tuple[str, bytes]]]:
        """Unwrap every matter key under this KEK and wrap it under the new passphrase's.

        Returns the new keyring, the new wrapped store key and ``(matter id, new wrap)``
        pairs; the data itself is not touched.
        """
        params = params or default_kdf()
        kdf_json = json.dumps(params.to_json(), sort_keys=True)
        new_kek = FieldCipher(crypto.derive_kek(new_passphrase, params))
        rewrapped = [
            (matter_id, new_kek.seal(self._unwrap(matter_id, wrap), matter_key_ad(matter_id)))
            for matter_id, wrap in wrapped
        ]
        new = Keyring._from_kek(kdf_json, new_kek, self.store_key)
        new._matters = dict(self._matters)
        return new, new_kek.seal(self.store_key, STORE_KEY_AD), rewrapped
