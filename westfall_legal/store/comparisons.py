"""Comparisons of two versions of a contract kept in a matter (schema 5).

``westfall compare OLD NEW --matter M`` and the window's Compare with… keep the
``westfall.compare/1`` JSON and its HTML redline here, each sealed under the matter's key in
its own column, with a short sealed listing (the two file names and the counts) so that
listing a matter's comparisons opens no redline. In clear: the ids, the time, and the two
versions' document rows when those files are in the matter (found through the keyed index,
``Reviews.by_sha256``; null otherwise). Each stored comparison is an audit entry carrying a
keyed digest of its JSON and redline, which ``verify-audit`` checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from westfall_legal.errors import NotInStoreError, StoreError
from westfall_legal.store.common import dumps, now, random_id
from westfall_legal.store.records import ComparisonInfo, StoredComparison

if TYPE_CHECKING:
    from westfall_legal.store.core import Store

COUNTS = ("changed", "added", "removed", "moved", "renumbered", "unchanged")
_SEALED = ("data", "html")  # the columns the audit digest covers


class Comparisons:
    def __init__(self, store: Store) -> None:
        self._store = store

    def _require_table(self) -> None:
        if not self._store.compares:
            raise StoreError(
                f"{self._store.path}: this store's schema keeps no comparisons.",
                hint="Open it with Store.open, which upgrades it.",
            )

    def add(self, matter: str, data: Mapping[str, Any], html: str) -> ComparisonInfo:
        """Keep a ``westfall.compare/1`` dict and its HTML redline in ``matter`` (an open
        one, by name or id); the versions' documents are linked where the matter has them."""
        try:
            sides = {
                side: (Path(str(data[side]["path"])).name, str(data[side]["sha256"]))
                for side in ("old", "new")
            }
            counts = {k: int(data["counts"][k]) for k in COUNTS}
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(
                "the comparison to store is not a westfall.compare/1 JSON "
                f"(missing or malformed: {exc}).",
                hint="Store the JSON written by `westfall compare`.",
            ) from None
        self._require_table()
        store = self._store
        with store.write():
            matter_id = store.matters.open_id(matter)
            found = {
                side: store.reviews.by_sha256(matter_id, sha) for side, (_, sha) in sides.items()
            }
            linked = {side: doc.id if doc else None for side, doc in found.items()}
            comparison_id, created = random_id(), now()
            listing = {
                "old": sides["old"][0],
                "new": sides["new"][0],
                "counts": counts,
                "facts": len(data.get("facts", [])),
                "risks": len(data.get("risks", [])),
            }
            plain = {"data": dict(data), "html": html}
            seal = store.seal
            store.db.execute(
                "INSERT INTO comparisons (id, matter_id, created, old_document_id, "
                "new_document_id, listing, data, html) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    comparison_id,
                    matter_id,
                    created,
                    linked["old"],
                    linked["new"],
                    *(
                        seal(matter_id, "comparisons", comparison_id, column, value)
                        for column, value in (("listing", listing), *plain.items())
                    ),
                ],
            )
            store.audit.append(
                matter_id,
                "comparison.stored",
                {
                    "comparison": comparison_id,
                    "old_document": linked["old"],
                    "new_document": linked["new"],
                    "old": sides["old"][0],
                    "new": sides["new"][0],
                    "digest": store.audit.digest([(c, dumps(plain[c])) for c in _SEALED]),
                },
            )
        return self._info(comparison_id, matter_id, created, linked["old"], linked["new"], listing)

    @staticmethod
    def _info(
        comparison_id: str,
        matter_id: str,
        created: str,
        old_id: str | None,
        new_id: str | None,
        listing: dict[str, Any],
    ) -> ComparisonInfo:
        return ComparisonInfo(
            id=comparison_id,
            matter_id=matter_id,
            created=created,
            old_file=str(listing["old"]),
            new_file=str(listing["new"]),
            old_document_id=old_id,
            new_document_id=new_id,
            counts=dict(listing["counts"]),
            facts=int(listing["facts"]),
            risks=int(listing["risks"]),
        )

    def list(self, matter: str) -> list[ComparisonInfo]:
        """A matter's comparisons (name or id), oldest first; none in an older schema."""
        store = self._store
        if not store.compares:
            return []
        with store.read():
            matter_id = store.matters.id_of(matter)
            rows = store.db.execute(
                "SELECT id, created, old_document_id, new_document_id, listing FROM comparisons "
                "WHERE matter_id = ? ORDER BY created, rowid",
                [matter_id],
            ).fetchall()
            return [
                self._info(
                    i,
                    matter_id,
                    c,
                    old,
                    new,
                    store.unseal(matter_id, "comparisons", i, "listing", blob),
                )
                for i, c, old, new, blob in rows
            ]

    def get(self, matter: str, comparison_id: str) -> StoredComparison:
        """One comparison of ``matter`` by its id (or a unique prefix of 6 characters or
        more): its listing, the compare JSON and the HTML redline."""
        found = [c for c in self.list(matter) if c.id == comparison_id]
        if not found and len(comparison_id) >= 6:
            found = [c for c in self.list(matter) if c.id.startswith(comparison_id)]
        if len(found) != 1:
            raise NotInStoreError(
                f"matter {matter!r}: {'no' if not found else 'more than one'} comparison "
                f"{comparison_id!r}.",
                hint=f"List them with `westfall comparison list {matter!r}`.",
            )
        info = found[0]
        store = self._store
        row = store.db.execute(
            "SELECT data, html FROM comparisons WHERE id = ?", [info.id]
        ).fetchone()
        data = store.unseal(info.matter_id, "comparisons", info.id, "data", row[0])
        html = store.unseal(info.matter_id, "comparisons", info.id, "html", row[1])
        return StoredComparison(info, data, str(html))

    def digest(self, comparison_id: str) -> str:
        """The keyed digest over a comparison's JSON and redline, as its audit entry has it."""
        store = self._store
        row = store.db.execute(
            "SELECT matter_id, data, html FROM comparisons WHERE id = ?", [comparison_id]
        ).fetchone()
        matter_id, blobs = row[0], dict(zip(_SEALED, row[1:], strict=True))
        return store.audit.digest(
            [
                (c, store.open_bytes(matter_id, "comparisons", comparison_id, c, blobs[c]))
                for c in _SEALED
            ]
        )
