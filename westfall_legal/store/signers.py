"""The signer keys this installation trusts for feedback bundles, kept in the store.

A bundle's signature proves who wrote it; whether that writer is trusted is this list's
call. Each entry holds the signer's Ed25519 public key, its fingerprint and the name the
user gave it ("Office B"), sealed under the store key like every other field; only the row
id and the time it was added are clear. Adding and removing a signer is audited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from westfall_legal.errors import NotInStoreError, StoreError
from westfall_legal.store.common import now, random_id
from westfall_legal.store.signing import decode_key, encode_key, fingerprint

if TYPE_CHECKING:
    from westfall_legal.store.core import Store

log = logging.getLogger(__name__)
TABLE = "trusted_signers"
MAX_NAME = 80


@dataclass(frozen=True, slots=True)
class TrustedSigner:
    id: str
    name: str
    fingerprint: str
    public_key: str  # base64, as `westfall feedback-key` prints it
    added: str


def normalise_fingerprint(text: str) -> str:
    """``"ABCD EF01..."`` or ``"abcdef01..."`` -> the printed form ``"abcd ef01 ..."``."""
    compact = "".join(text.split()).lower()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


class TrustedSigners:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list(self) -> list[TrustedSigner]:
        store = self._store
        with store.read():
            rows = list(store.db.query(f"SELECT id, created, body FROM {TABLE} ORDER BY created"))
        out = []
        for r in rows:
            body = store.unseal(None, TABLE, r["id"], "body", r["body"])
            out.append(
                TrustedSigner(
                    r["id"], body["name"], body["fingerprint"], body["public_key"], r["created"]
                )
            )
        return out

    def find(self, signer_fingerprint: str) -> TrustedSigner | None:
        wanted = normalise_fingerprint(signer_fingerprint)
        return next((s for s in self.list() if s.fingerprint == wanted), None)

    def add(self, public_key: str, name: str) -> TrustedSigner:
        """Trust the signing key ``public_key`` (base64) under ``name``; a key already
        trusted is renamed."""
        raw = decode_key(public_key, "signing key")
        name = " ".join(name.split())
        if not name or len(name) > MAX_NAME:
            raise StoreError(
                f"a trusted signer needs a name of 1 to {MAX_NAME} characters.",
                hint='Name the office or firm the key belongs to, e.g. --name "Office B".',
            )
        store = self._store
        signer_fp = fingerprint(raw)
        with store.write():
            existing = self.find(signer_fp)
            row_id = existing.id if existing else random_id()
            body = {"name": name, "fingerprint": signer_fp, "public_key": encode_key(raw)}
            added = existing.added if existing else now()
            store.db.table(TABLE).upsert(
                {
                    "id": row_id,
                    "created": added,
                    "body": store.seal(None, TABLE, row_id, "body", body),
                },
                pk="id",
            )
            store.audit.append(
                None,
                "signer.trusted",
                {"fingerprint": signer_fp, "name": name, "renamed": existing is not None},
            )
        log.info("feedback signer trusted")
        return TrustedSigner(row_id, name, signer_fp, encode_key(raw), added)

    def remove(self, ref: str) -> TrustedSigner:
        """Stop trusting a signer, by fingerprint or by name (case-insensitive)."""
        wanted = normalise_fingerprint(ref)
        signers = self.list()
        found = [s for s in signers if s.fingerprint == wanted] or [
            s for s in signers if s.name.casefold() == " ".join(ref.split()).casefold()
        ]
        if not found:
            raise NotInStoreError(
                f"no trusted signer {ref!r}.",
                hint="List them with `westfall feedback-trust list`.",
            )
        signer = found[0]
        store = self._store
        with store.write():
            store.db.execute(f"DELETE FROM {TABLE} WHERE id = ?", [signer.id])
            store.audit.append(
                None, "signer.removed", {"fingerprint": signer.fingerprint, "name": signer.name}
            )
        return signer
