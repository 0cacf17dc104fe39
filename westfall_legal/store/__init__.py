"""The encrypted store: matters, documents, review annotations, corrections, audit log.

    from westfall_legal.store import Store
    with Store.open(passphrase) as store:          # or Store.create(passphrase)
        matter = store.matters.create("Acme v Beta")
        saved = store.reviews.add(matter.id, review_json_dict, size=file_size)
        store.corrections.relabel(saved.document.id, "k12", "Governing Law", reviewer="A. Lee")
        state = store.corrections.state(saved.document.id)   # what the reviewer sees
        store.audit.verify()

Only ``crypto.py`` imports ``cryptography``. See docs/store.md.
"""

from westfall_legal.store.backup import backup, restore
from westfall_legal.store.core import MIN_PASSPHRASE, Store, check_new_passphrase
from westfall_legal.store.crypto import KdfParams
from westfall_legal.store.records import (
    ACTIONS,
    Annotation,
    AuditEntry,
    AuditReport,
    ClauseState,
    ComparisonInfo,
    Correction,
    DocumentInfo,
    DocumentState,
    FactState,
    Matter,
    ReviewInfo,
    StoredComparison,
    StoredReview,
)

__all__ = [
    "ACTIONS",
    "MIN_PASSPHRASE",
    "Annotation",
    "AuditEntry",
    "AuditReport",
    "ClauseState",
    "ComparisonInfo",
    "Correction",
    "DocumentInfo",
    "DocumentState",
    "FactState",
    "KdfParams",
    "Matter",
    "ReviewInfo",
    "Store",
    "StoredComparison",
    "StoredReview",
    "backup",
    "check_new_passphrase",
    "restore",
]
