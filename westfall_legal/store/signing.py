"""The installation's feedback keys: an Ed25519 signing key and an X25519 decryption key.

Both are derived from the store key (HMAC-SHA-256 under their own purpose labels, as the
field and audit keys are), so they live in the encrypted store: only the passphrase unlocks
them, they survive a passphrase change, a backup and a restore, and no key file is ever
written. Rotating them means a new store. Public keys travel as base64 text (44 characters).

The same module seals imported bundles kept in the data folder (AES-256-GCM under a key
derived from the store key) and turns reviewer names into stable, keyed pseudonyms.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from westfall_legal.errors import FeedbackBundleError, StoreTamperedError
from westfall_legal.store import crypto
from westfall_legal.store.crypto import FieldCipher

if TYPE_CHECKING:
    from westfall_legal.store.core import Store

BOX_INFO = b"westfall-legal/feedback-bundle/1"


def encode_key(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def decode_key(text: str, what: str = "public key") -> bytes:
    """A 32-byte public key from its base64 text; a clear error for anything else."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != crypto.PUBLIC_KEY_BYTES:
        raise FeedbackBundleError(
            f"{text.strip()[:60]!r} is not a Westfall Legal {what} (44 characters of base64).",
            hint="Copy the key exactly as `westfall feedback-key` prints it.",
        )
    return raw


def fingerprint(public: bytes) -> str:
    """A short, readable fingerprint of a public key (first 80 bits of its SHA-256)."""
    digest = hashlib.sha256(public).hexdigest()[:20]
    return " ".join(digest[i : i + 4] for i in range(0, 20, 4))


def verify(public: bytes, signature: bytes, data: bytes) -> bool:
    return crypto.ed25519_verify(public, signature, data)


def seal_to(recipient: bytes, data: bytes) -> bytes:
    """``data`` encrypted to a recipient's X25519 public key (see :func:`crypto.seal_to`)."""
    try:
        return crypto.seal_to(recipient, data, BOX_INFO)
    except ValueError:
        raise FeedbackBundleError(
            "the recipient key is not a valid X25519 public key.",
            hint="Copy the encryption key exactly as `westfall feedback-key` prints it.",
        ) from None


@dataclass(frozen=True)
class InstallationKeys:
    """The unlocked feedback keys of one store (kept in memory only)."""

    _signing_seed: bytes
    _box_secret: bytes
    _pseudonym_key: bytes
    _pool: FieldCipher
    signing_public: bytes
    encryption_public: bytes

    @classmethod
    def of(cls, store: Store) -> InstallationKeys:
        root = store.keyring.store_key
        seed = crypto.subkey(root, "feedback/ed25519")
        secret = crypto.subkey(root, "feedback/x25519")
        return cls(
            _signing_seed=seed,
            _box_secret=secret,
            _pseudonym_key=crypto.subkey(root, "feedback/pseudonym"),
            _pool=FieldCipher(crypto.subkey(root, "feedback/pool")),
            signing_public=crypto.ed25519_public(seed),
            encryption_public=crypto.x25519_public(secret),
        )

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public)

    def sign(self, data: bytes) -> bytes:
        return crypto.ed25519_sign(self._signing_seed, data)

    def open_sealed(self, blob: bytes) -> bytes | None:
        """What :func:`seal_to` encrypted to this installation; None for another key."""
        return crypto.open_sealed(self._box_secret, blob, BOX_INFO)

    def pseudonym(self, reviewer: str) -> str:
        """A stable pseudonym for a reviewer: the same name always gives the same one here,
        and it cannot be turned back into the name without this store's key."""
        name = " ".join(reviewer.split()).casefold().encode("utf-8")
        return "reviewer-" + crypto.keyed_digest(self._pseudonym_key, name)[:8]

    def seal_file(self, data: bytes, label: str) -> bytes:
        """Bytes to keep in the data folder, bound to ``label`` (e.g. the file name)."""
        return self._pool.seal(data, crypto.associated_data("feedback_pool", label, "bundle"))

    def open_file(self, blob: bytes, label: str) -> bytes:
        """Raises StoreTamperedError when the file was altered or renamed."""
        ad = crypto.associated_data("feedback_pool", label, "bundle")
        try:
            return self._pool.open(blob, ad)
        except StoreTamperedError:
            raise StoreTamperedError(
                f"imported feedback {label}: the sealed file does not authenticate (it was "
                "altered, renamed, or sealed by another store).",
                hint="Import the bundle again with `westfall import-feedback FILE`.",
            ) from None
