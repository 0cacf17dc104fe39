"""Documents and the AI output of their reviews, stored from the review JSON (a plain dict).

The store takes ``report.review_json(review)``
(``westfall_legal/data/schema/review.schema.json``), so it depends on no pipeline code. A
document is identified within its matter by its sha256: a second review of the same file adds
a review to the same document. Each clause, fact and
finding becomes one sealed annotation row; the rest of the review (contract type, summary,
model, timings, structure) is the review row's sealed body. The document's text is sealed in
its own column, read only when asked for.

The sha256 is sealed in the body, so it is found through the ``digest`` column (schema 4):
HMAC-SHA-256 of the matter id and the sha256 under a key from the store key
(``Keyring.document_digest``), one indexed equality query whatever the matter's size. The row
found is opened and its sealed sha256 compared, so a digest copied onto another row is caught.
A store of schema 3 or older (built for tests) is searched the old way, row by row.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from westfall_legal.errors import KeyDestroyedError, NotInStoreError, StoreError, StoreTamperedError
from westfall_legal.store.common import dumps, now, random_id
from westfall_legal.store.crypto import associated_data
from westfall_legal.store.records import Annotation, DocumentInfo, ReviewInfo, StoredReview

if TYPE_CHECKING:
    from westfall_legal.store.core import Store

log = logging.getLogger(__name__)
_NOT_IN_BODY = ("document", "text", "clauses", "facts", "findings")
_SHA256 = frozenset("0123456789abcdef")


def annotation_bodies(review: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The review JSON's clauses, facts and findings as annotation bodies, in order."""
    bodies: list[dict[str, Any]] = [
        {"kind": "clause", "ref": str(c["id"]), "data": c} for c in review.get("clauses", [])
    ]
    bodies += [
        {"kind": "fact", "ref": name, "data": {"name": name, **fact}}
        for name, fact in (review.get("facts") or {}).items()
    ]
    bodies += [
        {"kind": "finding", "ref": f"f{n}", "data": finding}
        for n, finding in enumerate(review.get("findings", []), start=1)
    ]
    return bodies


class Reviews:
    def __init__(self, store: Store) -> None:
        self._store = store

    # Writing -------------------------------------------------------------------------------

    def add(
        self, matter: str, review: Mapping[str, Any], *, size: int | None = None
    ) -> StoredReview:
        """Store a review JSON dict in ``matter`` (name or id); ``size``: the file's bytes.
        Any mapping: its shape is checked here, so a malformed one is refused with why."""
        store = self._store
        try:
            doc = review["document"]
            file_name = Path(str(doc["path"])).name  # the name only, never the folder
            sha256 = str(doc["sha256"])
            pages = list(doc.get("pages", []))
        except (KeyError, TypeError) as exc:
            raise StoreError(
                f"the review to store is not a westfall.review/1 JSON (missing {exc}).",
                hint="Store the JSON written by `westfall review`.",
            ) from None
        with store.write():
            matter_id = store.matters.open_id(matter)
            known = self._lookup(matter_id, sha256)
            if known is not None:
                document_id, new_document = known, False
            else:
                document_id, new_document = random_id(), True
                self._insert(matter_id, document_id, size, file_name, sha256, pages, review)
            review_id = random_id()
            rest = {k: v for k, v in review.items() if k not in _NOT_IN_BODY}
            store.db.execute(
                "INSERT INTO reviews (id, matter_id, document_id, created, body) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    review_id,
                    matter_id,
                    document_id,
                    now(),
                    store.seal(matter_id, "reviews", review_id, "body", rest),
                ],
            )
            cipher = store.cipher(matter_id)
            rows, parts = [], []
            for body in annotation_bodies(review):
                annotation_id = random_id()
                plain = dumps(body)
                parts.append((annotation_id, plain))
                sealed = cipher.seal(plain, associated_data("annotations", annotation_id, "body"))
                rows.append((annotation_id, matter_id, document_id, review_id, sealed))
            store.db.conn.executemany(
                "INSERT INTO annotations (id, matter_id, document_id, review_id, body) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )
            store.audit.append(
                matter_id,
                "review.stored",
                {
                    "review": review_id,
                    "document": document_id,
                    "file_name": file_name,
                    "sha256": sha256,
                    "model": review.get("model"),
                    "annotations": len(rows),
                    "digest": store.audit.digest(parts),
                },
            )
            info = self.document(document_id)
        return StoredReview(review_id, info, len(rows), new_document)

    def _insert(
        self,
        matter_id: str,
        document_id: str,
        size: int | None,
        file_name: str,
        sha256: str,
        pages: list[Any],
        review: Mapping[str, Any],
    ) -> None:
        store, seal = self._store, self._store.seal
        values = {
            "id": document_id,
            "matter_id": matter_id,
            "created": now(),
            "size": size,
            "body": seal(
                matter_id,
                "documents",
                document_id,
                "body",
                {"file_name": file_name, "sha256": sha256, "pages": pages},
            ),
            "text": seal(matter_id, "documents", document_id, "text", review.get("text", "")),
        }
        if store.indexed:
            values["digest"] = store.keyring.document_digest(matter_id, sha256)
        columns = ", ".join(values)
        store.db.execute(
            f"INSERT INTO documents ({columns}) VALUES ({', '.join('?' * len(values))})",
            list(values.values()),
        )

    # Finding by sha256 ---------------------------------------------------------------------

    def by_sha256(self, matter: str, sha256: str) -> DocumentInfo | None:
        """The document of ``matter`` (name or id) that is the file with this sha256 (the
        first stored, should there be two), or None; one indexed query."""
        store = self._store
        with store.read():
            found = self._lookup(store.matters.id_of(matter), sha256)
            return None if found is None else self.document(found)

    def _lookup(self, matter_id: str, sha256: str) -> str | None:
        """The id of the matter's document with this sha256, through the keyed index."""
        store = self._store
        if not store.indexed:
            return self._scan(matter_id, sha256)
        want = sha256.strip().lower()
        rows = store.db.execute(
            "SELECT id, body FROM documents WHERE matter_id = ? AND digest = ? "
            "ORDER BY created, rowid",
            [matter_id, store.keyring.document_digest(matter_id, want)],
        ).fetchall()
        for document_id, blob in rows:
            body = store.unseal(matter_id, "documents", document_id, "body", blob)
            if str(body["sha256"]).lower() == want:
                return str(document_id)
            raise StoreTamperedError(
                f"store table documents, row {document_id}, column digest: the index entry "
                "belongs to another document (it was altered, or copied from another row)."
            )
        return None

    def _scan(self, matter_id: str, sha256: str) -> str | None:
        """The lookup of schema 3 and older: every document row of the matter opened."""
        want = sha256.strip().lower()
        found = [d for d in self._rows("matter_id = ?", [matter_id]) if d.sha256.lower() == want]
        return found[0].id if found else None

    def digest_of_row(self, matter_id: str, document_id: str, blob: bytes) -> bytes | None:
        """A stored row's index entry (the migration to schema 4); None when the row cannot
        be opened: it is left out of the index (and said), not allowed to lock the store."""
        try:
            body = self._store.unseal(matter_id, "documents", document_id, "body", blob)
            return self._store.keyring.document_digest(matter_id, str(body["sha256"]))
        except (StoreTamperedError, KeyDestroyedError, KeyError, TypeError, ValueError):
            log.warning("document %s cannot be opened: it is left out of the index", document_id)
            return None

    # Reading -------------------------------------------------------------------------------

    def _info(self, row: dict[str, Any], reviews: int) -> DocumentInfo:
        body = self._store.unseal(row["matter_id"], "documents", row["id"], "body", row["body"])
        return DocumentInfo(
            id=row["id"],
            matter_id=row["matter_id"],
            file_name=body["file_name"],
            sha256=body["sha256"],
            pages=len(body.get("pages", [])),
            size=row["size"],
            created=row["created"],
            reviews=reviews,
        )

    def _rows(self, where: str, args: list[Any]) -> list[DocumentInfo]:
        store = self._store
        with store.read():
            counts = dict(
                store.db.execute(
                    "SELECT document_id, count(*) FROM reviews WHERE document_id IN "
                    f"(SELECT id FROM documents WHERE {where}) GROUP BY document_id",
                    args,
                )
            )
            rows = store.db.query(
                "SELECT id, matter_id, created, size, body FROM documents "
                f"WHERE {where} ORDER BY created",
                args,
            )
            return [self._info(r, counts.get(r["id"], 0)) for r in rows]

    def documents(self, matter: str) -> list[DocumentInfo]:
        """The documents of a matter (name or id), oldest first."""
        matter_id = self._store.matters.id_of(matter)
        return self._rows("matter_id = ?", [matter_id])

    def document(self, document_id: str) -> DocumentInfo:
        found = self._rows("id = ?", [document_id])
        if not found:
            raise NotInStoreError(f"no document {document_id} in the store.")
        return found[0]

    def find(self, matter: str, ref: str) -> DocumentInfo:
        """A document of a matter by id, file name (case-insensitive) or sha256 prefix (a
        whole sha256 is found through the index)."""
        whole = ref.strip().lower()
        if len(whole) == 64 and set(whole) <= _SHA256:
            found_by_hash = self.by_sha256(matter, whole)
            if found_by_hash is not None:
                return found_by_hash
        docs = self.documents(matter)
        want = ref.strip().casefold()
        found = (
            [d for d in docs if d.id == ref]
            or [d for d in docs if d.file_name.casefold() == want]
            or [d for d in docs if len(want) >= 8 and d.sha256.startswith(want)]
        )
        if len(found) != 1:
            names = ", ".join(d.file_name for d in docs) or "none"
            raise NotInStoreError(
                f"matter {matter!r}: {'no' if not found else 'more than one'} document "
                f"matches {ref!r} (documents: {names}).",
                hint="Name the document by its file name, its id or its sha256.",
            )
        return found[0]

    def text(self, document_id: str) -> str:
        store = self._store
        row = store.db.execute(
            "SELECT matter_id, text FROM documents WHERE id = ?", [document_id]
        ).fetchone()
        if row is None:
            raise NotInStoreError(f"no document {document_id} in the store.")
        text: str = store.unseal(row[0], "documents", document_id, "text", row[1])
        return text

    def latest(self, document_id: str) -> ReviewInfo | None:
        """The document's most recent review."""
        store = self._store
        row = store.db.execute(
            "SELECT id, matter_id, created, body FROM reviews WHERE document_id = ? "
            "ORDER BY created DESC, rowid DESC LIMIT 1",
            [document_id],
        ).fetchone()
        if row is None:
            return None
        body = store.unseal(row[1], "reviews", row[0], "body", row[3])
        return ReviewInfo(row[0], document_id, row[2], body.get("model"), body)

    def annotations(self, document_id: str, review_id: str | None = None) -> list[Annotation]:
        """The AI output of one review (default: the latest), in the review's order."""
        store = self._store
        with store.read():
            if review_id is None:
                latest = self.latest(document_id)
                if latest is None:
                    return []
                review_id = latest.id
            rows = store.db.execute(
                "SELECT id, matter_id, body FROM annotations WHERE review_id = ? ORDER BY rowid",
                [review_id],
            ).fetchall()
            out = []
            for annotation_id, matter_id, blob in rows:
                body = store.unseal(matter_id, "annotations", annotation_id, "body", blob)
                out.append(
                    Annotation(annotation_id, review_id, body["kind"], body["ref"], body["data"])
                )
        return out

    def annotation_digest(self, review_id: str) -> str:
        """The keyed digest over a review's annotations, as its audit entry recorded it."""
        store = self._store
        parts = [
            (annotation_id, store.open_bytes(matter_id, "annotations", annotation_id, "body", blob))
            for annotation_id, matter_id, blob in store.db.execute(
                "SELECT id, matter_id, body FROM annotations WHERE review_id = ?", [review_id]
            )
        ]
        return store.audit.digest(parts)
