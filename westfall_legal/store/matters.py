"""Matters: create, list, close and reopen, delete (crypto-shredding) and re-key.

A matter's name is sealed under the matter's own key, so listing matters unwraps each key.
Deleting a matter deletes its wrapped key with its rows; with ``secure_delete`` on and the
WAL truncated afterwards, no copy of that key remains in the live store files, so its
ciphertext (in the audit log, or in a copy of the rows) cannot be decrypted by this store.
A backup taken before the deletion still holds the wrapped key: see docs/store.md.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from westfall_legal.errors import MatterClosedError, NotInStoreError, StoreError
from westfall_legal.store.common import now, random_id
from westfall_legal.store.crypto import FieldCipher, associated_data
from westfall_legal.store.db import checkpoint
from westfall_legal.store.records import Matter

if TYPE_CHECKING:
    from westfall_legal.store.core import Store

log = logging.getLogger(__name__)

# Every sealed column of a matter's rows: table -> (id column, matter column, sealed columns).
SEALED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "matters": ("id", "id", ("name",)),
    "documents": ("id", "matter_id", ("body", "text")),
    "reviews": ("id", "matter_id", ("body",)),
    "annotations": ("id", "matter_id", ("body",)),
    "corrections": ("id", "matter_id", ("body",)),
    "comparisons": ("id", "matter_id", ("listing", "data", "html")),  # schema 5
    "audit": ("seq", "matter_id", ("payload",)),
}
# Deleted with the matter, children first. The audit log keeps its (now unreadable) entries.
OWNED = ("annotations", "corrections", "comparisons", "reviews", "documents", "matters")


class Matters:
    def __init__(self, store: Store) -> None:
        self._store = store

    def live_ids(self) -> set[str]:
        return {r[0] for r in self._store.db.execute("SELECT id FROM matters")}

    def _all(self, counts: dict[str, int]) -> list[Matter]:
        """Every matter, its name unsealed; ``documents`` from ``counts`` (0 where absent)."""
        store = self._store
        return [
            Matter(
                id=r["id"],
                name=store.unseal(r["id"], "matters", r["id"], "name", r["name"]),
                created=r["created"],
                closed=r.get("closed"),  # schema 1 had no closing
                documents=counts.get(r["id"], 0),
            )
            for r in store.db.query("SELECT * FROM matters ORDER BY created")
        ]

    def _match(self, ref: str) -> Matter:
        """A matter by its name (case-insensitive) or its id, its documents not counted
        (counting them reads the matter's whole index: a write needs only the id)."""
        matters = self._all({})
        found = [m for m in matters if m.id == ref] or [
            m for m in matters if m.name.casefold() == ref.strip().casefold()
        ]
        if not found:
            raise NotInStoreError(f"no matter named {ref!r} in the store.")
        return found[0]

    def list(self, *, include_closed: bool = True) -> list[Matter]:
        store = self._store
        with store.read():
            counts = dict(
                store.db.execute("SELECT matter_id, count(*) FROM documents GROUP BY matter_id")
            )
            matters = self._all(counts)
        return [m for m in matters if include_closed or m.closed is None]

    def get(self, ref: str) -> Matter:
        """A matter by its name (case-insensitive) or its id."""
        store = self._store
        with store.read():
            matter = self._match(ref)
            row = store.db.execute(
                "SELECT count(*) FROM documents WHERE matter_id = ?", [matter.id]
            ).fetchone()
        return dataclasses.replace(matter, documents=row[0])

    def id_of(self, ref: str) -> str:
        """The id of a matter named by its name or id (nothing counted)."""
        return self._match(ref).id

    def open_id(self, ref: str) -> str:
        """The id of an open matter (name or id), for a write; a closed one is refused."""
        matter = self._match(ref)
        if matter.closed:
            raise MatterClosedError(f"matter {matter.name!r} is closed.")
        return matter.id

    def require_open(self, ref: str) -> Matter:
        return self.get(self.open_id(ref))

    def create(self, name: str) -> Matter:
        name = name.strip()
        if not name:
            raise StoreError("a matter needs a name.", hint="Give it one, e.g. `Acme v Beta 2025`.")
        store = self._store
        with store.write():
            if any(m.name.casefold() == name.casefold() for m in self.list()):
                raise StoreError(
                    f"a matter named {name!r} already exists.",
                    hint="Choose another name, or list them with `westfall matter list`.",
                )
            store.require_current_keyring()
            matter_id = random_id()
            wrapped, cipher = store.keyring.new_matter_key(matter_id)
            store.keyring.adopt(matter_id, cipher)
            created = now()
            store.db.execute(
                "INSERT INTO matters (id, created, key_version, wrapped_key, name) "
                "VALUES (?, ?, 1, ?, ?)",
                [
                    matter_id,
                    created,
                    wrapped,
                    store.seal(matter_id, "matters", matter_id, "name", name),
                ],
            )
            store.audit.append(matter_id, "matter.created", {"matter": matter_id, "name": name})
        return Matter(matter_id, name, created, None, 0)

    def _set_closed(self, ref: str, closed: str | None) -> Matter:
        store = self._store
        with store.write():
            matter = self.get(ref)
            store.db.execute("UPDATE matters SET closed = ? WHERE id = ?", [closed, matter.id])
            event = "matter.closed" if closed else "matter.reopened"
            store.audit.append(matter.id, event, {"matter": matter.id, "name": matter.name})
        return self.get(matter.id)

    def close(self, ref: str) -> Matter:
        """Close a matter: it stays readable, and refuses new reviews and corrections."""
        return self._set_closed(ref, now())

    def reopen(self, ref: str) -> Matter:
        return self._set_closed(ref, None)

    def delete(self, ref: str) -> dict[str, int]:
        """Crypto-shred a matter: destroy its key, delete its rows. Returns rows per table."""
        store = self._store
        with store.write():
            matter = self.get(ref)
            deleted = {
                table: store.db.execute(
                    f"DELETE FROM {table} WHERE {SEALED[table][1]} = ?", [matter.id]
                ).rowcount
                for table in OWNED
                if table in self._tables()
            }
            store.audit.append(None, "matter.deleted", {"matter": matter.id, "rows": deleted})
        store.keyring.forget(matter.id)
        if not checkpoint(store.db):
            log.warning("matter deleted; the WAL is cleared when the other window closes")
        return deleted

    def rekey(self, ref: str) -> int:
        """Rotate a matter's data key: re-encrypt all its rows under a new key. Returns rows."""
        store = self._store
        with store.write():
            matter = self.get(ref)
            store.require_current_keyring()
            wrapped, new = store.keyring.new_matter_key(matter.id)
            try:
                rows = sum(
                    self._reseal(matter.id, table, new)
                    for table in SEALED
                    if table in self._tables()
                )
                store.db.execute(
                    "UPDATE matters SET wrapped_key = ?, key_version = key_version + 1 "
                    "WHERE id = ?",
                    [wrapped, matter.id],
                )
                store.keyring.adopt(matter.id, new)  # the entry below is sealed under it
                store.audit.append(matter.id, "key.rotated", {"matter": matter.id, "rows": rows})
            except BaseException:
                store.keyring.forget(matter.id)
                raise
        checkpoint(store.db)
        return rows

    def _tables(self) -> set[str]:
        """The tables this store's schema has (one built older, for tests, lacks the later)."""
        return set(self._store.db.table_names())

    def _reseal(self, matter_id: str, table: str, new: FieldCipher) -> int:
        """Re-encrypt one table's rows of a matter under ``new``; returns the row count."""
        store = self._store
        id_col, matter_col, columns = SEALED[table]
        found = store.db.execute(
            f"SELECT {id_col}, {', '.join(columns)} FROM {table} WHERE {matter_col} = ?",
            [matter_id],
        ).fetchall()
        assignments = ", ".join(f"{c} = ?" for c in columns)
        for row_id, *blobs in found:
            values = [
                None
                if blob is None
                else new.seal(
                    store.open_bytes(matter_id, table, row_id, column, blob),
                    associated_data(table, row_id, column),
                )
                for column, blob in zip(columns, blobs, strict=True)
            ]
            store.db.execute(
                f"UPDATE {table} SET {assignments} WHERE {id_col} = ?", [*values, row_id]
            )
        return len(found)
