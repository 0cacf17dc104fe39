"""The one module that imports ``cryptography``: AES-256-GCM fields and key wraps, the KDF.

Every ciphertext is ``0x01 || nonce (12 bytes) || AES-256-GCM(ciphertext || tag)`` with a
random nonce and associated data that names where the ciphertext belongs
(``table|row id|column``), so a ciphertext moved to another row, column or table fails to
authenticate. A failure to authenticate becomes :class:`StoreTamperedError` naming that place;
the caller that knows better (a key unwrapped with a passphrase) turns it into its own error.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from westfall_legal.errors import StoreError, StoreTamperedError

FORMAT = 1
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
_HEADER = bytes([FORMAT])


def random_key() -> bytes:
    """A fresh 256-bit key from the operating system's CSPRNG."""
    return os.urandom(KEY_BYTES)


def associated_data(table: str, row_id: str | int, column: str) -> bytes:
    return f"{table}|{row_id}|{column}".encode()


class FieldCipher:
    """AES-256-GCM under one key; :meth:`seal` and :meth:`open` take the associated data."""

    __slots__ = ("_aead",)

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("AES-256 needs a 32-byte key")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, ad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return _HEADER + nonce + self._aead.encrypt(nonce, plaintext, ad)

    def open(self, blob: bytes, ad: bytes) -> bytes:
        if len(blob) < 1 + NONCE_BYTES + TAG_BYTES or blob[0] != FORMAT:
            raise _tampered(ad)
        try:
            return self._aead.decrypt(blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :], ad)
        except InvalidTag:
            raise _tampered(ad) from None


def _tampered(ad: bytes) -> StoreTamperedError:
    table, _, rest = ad.decode(errors="replace").partition("|")
    row, _, column = rest.rpartition("|")
    return StoreTamperedError(
        f"store table {table}, row {row}, column {column}: the encrypted data does not "
        "authenticate (it was altered, or moved from another row)."
    )


def keyed_digest(key: bytes, data: bytes) -> str:
    """HMAC-SHA-256 of ``data`` under ``key``, in hex (the audit chain's hash)."""
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def keyed_mac(key: bytes, data: bytes) -> bytes:
    """HMAC-SHA-256 of ``data`` under ``key``, 32 raw bytes (the documents' index)."""
    return hmac.new(key, data, hashlib.sha256).digest()


def subkey(key: bytes, purpose: str) -> bytes:
    """A key for one purpose derived from ``key`` (HMAC-SHA-256 as a PRF)."""
    return hmac.new(key, b"westfall-legal/" + purpose.encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class KdfParams:
    """How the key-encryption key is derived from the passphrase; stored next to the wraps.

    ``memory_cost`` is in KiB (Argon2id); scrypt uses ``n``/``r``/``p``.
    """

    algorithm: str
    salt: str  # hex
    iterations: int = 0
    lanes: int = 0
    memory_cost: int = 0
    n: int = 0
    r: int = 0
    p: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> KdfParams:
        return cls(**raw)

    def with_new_salt(self) -> KdfParams:
        return KdfParams(**{**asdict(self), "salt": os.urandom(16).hex()})


def derive_kek(passphrase: str, params: KdfParams) -> bytes:
    """The 256-bit key-encryption key for ``passphrase`` under ``params``."""
    secret = passphrase.encode("utf-8")
    salt = bytes.fromhex(params.salt)
    if params.algorithm == "argon2id":
        kdf: Argon2id | Scrypt = Argon2id(
            salt=salt,
            length=KEY_BYTES,
            iterations=params.iterations,
            lanes=params.lanes,
            memory_cost=params.memory_cost,
        )
    elif params.algorithm == "scrypt":
        kdf = Scrypt(salt=salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p)
    else:
        raise StoreError(
            f"the store's key derivation {params.algorithm!r} is unknown to this version.",
            hint="Open the store with the Westfall Legal version that wrote it.",
        )
    return kdf.derive(secret)


def argon2id_available() -> bool:
    try:
        Argon2id(salt=b"0" * 16, length=32, iterations=1, lanes=1, memory_cost=8).derive(b"x")
    except Exception:  # an OpenSSL without Argon2 raises UnsupportedAlgorithm
        return False
    return True


# Signing and public-key encryption (feedback bundles) -----------------------------------------
# Keys are 32-byte seeds; the caller (``store/signing.py``) derives them from the store key.
PUBLIC_KEY_BYTES = 32


def _raw_public(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def ed25519_public(seed: bytes) -> bytes:
    """The raw 32-byte Ed25519 public key of a 32-byte private seed."""
    return _raw_public(Ed25519PrivateKey.from_private_bytes(seed).public_key())


def ed25519_sign(seed: bytes, data: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(seed).sign(data)


def ed25519_verify(public: bytes, signature: bytes, data: bytes) -> bool:
    """True when ``signature`` is ``public``'s signature over ``data``; False otherwise
    (a malformed key or signature included)."""
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def x25519_public(secret: bytes) -> bytes:
    """The raw 32-byte X25519 public key of a 32-byte private key."""
    return _raw_public(X25519PrivateKey.from_private_bytes(secret).public_key())


def _box_key(shared: bytes, ephemeral: bytes, recipient: bytes, info: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=ephemeral + recipient, info=info
    ).derive(shared)


def seal_to(recipient: bytes, plaintext: bytes, info: bytes) -> bytes:
    """Encrypt to an X25519 public key: ``ephemeral public (32) || nonce (12) ||
    AES-256-GCM``, the key from HKDF-SHA-256 over the X25519 shared secret. Raises
    ValueError for a malformed recipient key."""
    peer = X25519PublicKey.from_public_bytes(recipient)
    ephemeral = X25519PrivateKey.generate()
    eph_public = _raw_public(ephemeral.public_key())
    key = _box_key(ephemeral.exchange(peer), eph_public, recipient, info)
    nonce = os.urandom(NONCE_BYTES)
    return eph_public + nonce + AESGCM(key).encrypt(nonce, plaintext, info)


def open_sealed(secret: bytes, blob: bytes, info: bytes) -> bytes | None:
    """The plaintext of :func:`seal_to`'s output for our X25519 key; None when it was sealed
    to another key, or altered."""
    head = PUBLIC_KEY_BYTES + NONCE_BYTES
    if len(blob) < head + TAG_BYTES:
        return None
    private = X25519PrivateKey.from_private_bytes(secret)
    ours = _raw_public(private.public_key())
    eph_public, nonce = blob[:PUBLIC_KEY_BYTES], blob[PUBLIC_KEY_BYTES:head]
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(eph_public))
        key = _box_key(shared, eph_public, ours, info)
        return AESGCM(key).decrypt(nonce, blob[head:], info)
    except (InvalidTag, ValueError):
        return None
