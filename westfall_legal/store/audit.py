"""The audit log: an append-only chain over every stored AI output and every human change.

Each entry ``seq`` holds, in clear, its time, its matter id, ``digest`` = HMAC(audit key,
payload plaintext) and ``prev`` (the previous entry's hash); its ``hash`` is
HMAC(audit key, [seq, created, matter id, digest, prev]). The payload (who, what, from, to,
which model) is sealed under the matter's key, or the store key for store-wide events, and
carries a random nonce so its digest cannot be confirmed by guessing. Keyed hashes mean the
chain cannot be recomputed without the passphrase; digests over plaintext mean re-keying a
matter does not touch the chain, and the entries of a shredded matter still verify.

The last entry's ``(seq, hash)`` is also written, after each commit, to ``store.audit-head``
next to the database, so a database cut back to an earlier state shows. After a crash the
head may lag the log by the last commit; it is caught up on the next open.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from westfall_legal import paths
from westfall_legal.errors import AuditBrokenError, StoreTamperedError
from westfall_legal.store.common import dumps, now
from westfall_legal.store.crypto import associated_data, keyed_digest
from westfall_legal.store.records import AuditEntry, AuditReport

if TYPE_CHECKING:
    from westfall_legal.store.core import Store

log = logging.getLogger(__name__)
GENESIS = "0" * 64
_SELECT = "SELECT seq, created, matter_id, payload, digest, prev, hash FROM audit"


def head_path(store_path: Path) -> Path:
    """``store.sqlite3`` -> ``store.audit-head`` in the same folder."""
    return store_path.with_suffix(".audit-head")


@dataclass(frozen=True)
class Head:
    store_id: str
    seq: int
    hash: str


def read_head(path: Path) -> Head | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Head(str(raw["store"]), int(raw["seq"]), str(raw["hash"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return Head("", -1, "")  # unreadable: never matches


def write_head(path: Path, head: Head) -> None:
    paths.write_json(path, {"store": head.store_id, "seq": head.seq, "hash": head.hash})


def entry_hash(
    key: bytes, seq: int, created: str, matter_id: str | None, digest: str, prev: str
) -> str:
    return keyed_digest(key, dumps([seq, created, matter_id, digest, prev]))


def _broken(seq: int, message: str) -> AuditBrokenError:
    return AuditBrokenError(message, seq=seq)


class AuditLog:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._pending: Head | None = None

    @property
    def head_file(self) -> Path:
        return head_path(self._store.path)

    # Writing -------------------------------------------------------------------------------

    def append(self, matter_id: str | None, event: str, payload: dict[str, Any]) -> int:
        """Chain one entry; call inside ``store.write()``. Returns its seq."""
        store = self._store
        key = store.keyring.audit_key
        last = store.db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        created = now()
        plain = dumps({"event": event, "nonce": os.urandom(16).hex(), **payload})
        digest = keyed_digest(key, plain)
        sealed = store.cipher(matter_id).seal(plain, associated_data("audit", seq, "payload"))
        chained = entry_hash(key, seq, created, matter_id, digest, prev)
        store.db.execute(
            "INSERT INTO audit (seq, created, matter_id, payload, digest, prev, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [seq, created, matter_id, sealed, digest, prev, chained],
        )
        self._pending = Head(store.store_id, seq, chained)
        return seq

    def digest(self, parts: list[tuple[str, bytes]]) -> str:
        """One keyed digest over ``(id, plaintext)`` pairs (a review's annotations)."""
        blob = b"".join(i.encode() + b"\0" + p + b"\0" for i, p in sorted(parts))
        return keyed_digest(self._store.keyring.audit_key, blob)

    def committed(self) -> None:
        head, self._pending = self._pending, None
        if head is None:
            return
        current = read_head(self.head_file)
        if current and current.store_id == head.store_id and current.seq > head.seq:
            return  # another process already moved it further
        try:
            write_head(self.head_file, head)
        except OSError as exc:  # the commit stands; the head catches up on the next open
            log.warning("could not write the audit head: %s", exc.strerror)

    def rolled_back(self) -> None:
        self._pending = None

    def catch_up_head(self) -> None:
        """On open: move a head that lags the log (a crash after a commit) to its last entry.

        Only when the log still holds the head's entry; otherwise the head is left as it is
        and :meth:`verify` reports the gap.
        """
        for stale in self.head_file.parent.glob(f".{self.head_file.name}.*.tmp"):
            with contextlib.suppress(OSError):  # left by a process killed mid-write
                if time.time() - stale.stat().st_mtime > 60:
                    stale.unlink()
        head = read_head(self.head_file)
        last = self._store.db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        tip = last.fetchone()
        if head is None or tip is None or head.store_id != self._store.store_id:
            return
        if head.seq == tip[0] or head.seq > tip[0]:
            return
        row = self._store.db.execute("SELECT hash FROM audit WHERE seq = ?", [head.seq]).fetchone()
        if row and row[0] == head.hash:
            log.info("audit head caught up from %d to %d", head.seq, tip[0])
            write_head(self.head_file, Head(self._store.store_id, tip[0], tip[1]))

    def reset_head(self) -> AuditReport:
        """Accept the log as it is (after moving the store without its head file).

        The chain itself must verify; the reset is recorded as an entry.
        """
        report = self.verify(check_head=False)
        old = read_head(self.head_file)
        with self._store.write():
            self.append(None, "audit.head_reset", {"previous": old.seq if old else None})
        return report

    def reset_to_tip(self) -> None:
        """Point the head at the log's last entry (a restore replaced the whole log)."""
        tip = self._store.db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        row = tip.fetchone()
        if row:
            write_head(self.head_file, Head(self._store.store_id, row[0], row[1]))

    # Reading and verifying -----------------------------------------------------------------

    def entries(self, matter_id: str | None = None) -> list[AuditEntry]:
        """The log (or one matter's part of it), payloads opened where the key still exists."""
        store = self._store
        live = store.matters.live_ids()
        where, args = (" WHERE matter_id = ?", [matter_id]) if matter_id else ("", [])
        out = []
        with store.read():
            for seq, created, mid, blob, _d, _p, _h in store.db.execute(
                _SELECT + where + " ORDER BY seq", args
            ):
                payload = None
                if mid is None or mid in live:
                    payload = json.loads(store.open_bytes(mid, "audit", seq, "payload", blob))
                event = payload.pop("event", None) if payload else None
                if payload:
                    payload.pop("nonce", None)
                out.append(AuditEntry(seq, created, mid, event, payload))
        return out

    def verify(self, *, check_head: bool = True) -> AuditReport:
        """Recompute the chain; raise AuditBrokenError naming the first broken entry."""
        store = self._store
        key = store.keyring.audit_key
        with store.read():
            live = store.matters.live_ids()
            rows = store.db.execute(_SELECT + " ORDER BY seq").fetchall()
            expected, prev, sealed = 1, GENESIS, 0
            opened: list[tuple[int, str | None, dict[str, Any]]] = []
            for seq, created, mid, blob, digest, prev_hash, chained in rows:
                if seq != expected:
                    raise _broken(
                        expected, f"audit entry {expected} is missing (deleted from the log)."
                    )
                if prev_hash != prev:
                    raise _broken(
                        seq,
                        f"audit entry {seq} does not follow entry {seq - 1} "
                        "(entries were removed, reordered or altered).",
                    )
                if chained != entry_hash(key, seq, created, mid, digest, prev_hash):
                    raise _broken(seq, f"audit entry {seq} was altered (its hash does not match).")
                if mid is None or mid in live:
                    try:
                        plain = store.open_bytes(mid, "audit", seq, "payload", blob)
                    except StoreTamperedError:
                        raise _broken(seq, f"audit entry {seq}: its payload was altered.") from None
                    if keyed_digest(key, plain) != digest:
                        raise _broken(seq, f"audit entry {seq}: its payload does not match.")
                    opened.append((seq, mid, json.loads(plain)))
                else:
                    sealed += 1
                prev, expected = chained, expected + 1
            head = self._check_head(rows) if check_head else (rows[-1][0] if rows else 0)
            checked = self._check_objects(opened, live)
        return AuditReport(len(rows), sealed, head, checked)

    def _check_head(self, rows: list[Any]) -> int:
        head = read_head(self.head_file)
        last = rows[-1][0] if rows else 0
        if head is None:
            raise _broken(0, f"{self.head_file}: the audit head file is missing.") from None
        if head.store_id != self._store.store_id:
            raise _broken(0, f"{self.head_file}: the audit head belongs to another store.")
        if head.seq > last:
            raise _broken(
                last + 1,
                f"the audit log ends at entry {last} but its head records "
                f"entry {head.seq}: entries {last + 1} to {head.seq} were removed "
                "(the log or the store file was cut back).",
            )
        if head.seq >= 1 and rows[head.seq - 1][6] != head.hash:
            raise _broken(
                head.seq, f"audit entry {head.seq} differs from the one the head recorded."
            )
        return head.seq

    def _check_objects(
        self, opened: list[tuple[int, str | None, dict[str, Any]]], live: set[str]
    ) -> int:
        """Every stored review, correction and comparison matches its entry, and each has
        one."""
        store = self._store
        reviews = {r[0]: r[1] for r in store.db.execute("SELECT id, matter_id FROM reviews")}
        corrections = {
            r[0]: r[1] for r in store.db.execute("SELECT id, matter_id FROM corrections")
        }
        comparisons = (
            {r[0]: r[1] for r in store.db.execute("SELECT id, matter_id FROM comparisons")}
            if "comparisons" in store.db.table_names()  # schema 5 on (a backup may be older)
            else {}
        )
        seen: dict[str, set[str]] = {"review": set(), "correction": set(), "comparison": set()}
        checks = {
            "review.stored": ("review", reviews, store.reviews.annotation_digest),
            "correction": ("correction", corrections, store.corrections.body_digest),
            "comparison.stored": ("comparison", comparisons, store.comparisons.digest),
        }
        for seq, _mid, payload in opened:
            check = checks.get(payload.get("event", ""))
            if check is None:
                continue
            kind, table, digest_of = check
            object_id = payload[kind]
            if object_id not in table:
                raise _broken(
                    seq,
                    f"audit entry {seq} records {kind} {object_id}, which is "
                    "missing from the store.",
                )
            if digest_of(object_id) != payload["digest"]:
                raise _broken(
                    seq, f"audit entry {seq}: {kind} {object_id} differs from the one recorded."
                )
            seen[kind].add(object_id)
        for kind, table, _ in checks.values():
            extra = sorted(i for i, m in table.items() if m in live and i not in seen[kind])
            if extra:
                raise _broken(0, f"{kind} {extra[0]} is in the store but not in the audit log.")
        return sum(len(ids) for ids in seen.values())
