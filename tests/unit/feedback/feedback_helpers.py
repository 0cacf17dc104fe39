"""Helpers of the feedback tests: a contract with personal data planted in every kind the
anonymiser must remove (and amounts and dates it must keep), its review JSON dict, and a
store holding it with corrections of every kind."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

from westfall_legal.feedback import LabelSchema
from westfall_legal.feedback import bundle as fmt
from westfall_legal.store import KdfParams, Store
from westfall_legal.store.signing import InstallationKeys, encode_key

FAST_KDF = KdfParams(algorithm="argon2id", salt="", iterations=1, lanes=1, memory_cost=8)
PASSPHRASE = "correct horse battery staple"
CATEGORIES = (
    "Parties", "Agreement Date", "Governing Law", "Anti-Assignment", "Revenue/Profit Sharing",
    "Cap On Liability", "Expiration Date", "Audit Rights",
)  # fmt: skip
SCHEMA = LabelSchema(CATEGORIES, ("Supply", "License_Agreements", "Service"))

CONTRACT = """MASTER SUPPLY AGREEMENT

This Master Supply Agreement is made on 14 February 2024 by and between QUILLFEATHER ROBOTICS,
INC., a Delaware corporation having its principal place of business at 77 Marrowbone Lane,
Suite 12, Boise, Idaho 83702 (the "Supplier"), and BRANTWOOD ORCHARD HOLDINGS LLC, a Texas
limited liability company (the "Buyer").

1. Term. This Agreement begins on March 1, 2024 and lasts for three (3) years.

2. Fees. Buyer shall pay Supplier $125,000.00 per year, due on January 15 of each year.

3. Payment. Payments are made to IBAN GB82 WEST 1234 5698 7654 32, Account No. 004417829.

4. Governing Law. This Agreement is governed by the laws of the State of Texas.

5. Notices. Notices to Quillfeather Robotics go to Attention: Priya Venkataraman, email
priya.v@quillfeather.example, telephone +1 (208) 555-0199. Notices to Brantwood Orchard go to
4100 Pecan Hollow Road, Austin, Texas 78701, Attention: Legal Department, phone 512-555-0143.

6. Assignment. Neither party may assign this Agreement without the other's consent. Brantwood
may not assign it to a competitor of Quillfeather. See www.quillfeather.example/terms.

7. Audit. Buyer may audit Supplier's records once a year on 30 days' notice.

IN WITNESS WHEREOF, the parties have signed this Agreement.

QUILLFEATHER ROBOTICS, INC.

By: /s/ Priya Venkataraman
Name: Priya Venkataraman
Title: Chief Executive Officer

BRANTWOOD ORCHARD HOLDINGS LLC

By: ______________________
Name: Dmitri Oyelaran-Fitch
Title: President
"""

# Must not appear in any member of an anonymised bundle.
PLANTED = {
    "party": ["QUILLFEATHER ROBOTICS", "Quillfeather", "BRANTWOOD ORCHARD", "Brantwood"],
    "person": ["Priya Venkataraman", "Venkataraman", "Dmitri Oyelaran-Fitch", "Oyelaran"],
    "email": ["priya.v@quillfeather.example"],
    "url": ["www.quillfeather.example"],
    "phone": ["(208) 555-0199", "555-0199", "512-555-0143"],
    "address": ["77 Marrowbone Lane", "Marrowbone", "Boise, Idaho 83702", "83702",
                "4100 Pecan Hollow Road", "Pecan Hollow", "78701"],
    "account": ["GB82 WEST 1234 5698 7654 32", "GB82", "004417829"],
    "reviewer": ["Alice Lee", "Bob Marsh"],
    "file": ["quillfeather-brantwood-msa"],
}  # fmt: skip
KEPT = ["$125,000.00", "14 February 2024", "March 1, 2024", "January 15", "three (3) years"]


def _clause(cid: str, category: str, needle: str, end_needle: str, conf: float) -> dict[str, Any]:
    start = CONTRACT.index(needle)
    end = CONTRACT.index(end_needle, start) + len(end_needle)
    return {
        "id": cid, "category": category, "confidence": conf, "text": CONTRACT[start:end],
        "char_start": start, "char_end": end, "page": 1, "boxes": [], "section": None,
        "needs_review": False,
    }  # fmt: skip


def review_json(text: str = CONTRACT, name: str = "quillfeather-brantwood-msa.pdf") -> Any:
    sha = hashlib.sha256(text.encode()).hexdigest()
    law = text.index("the laws of the State of Texas")
    return {
        "schema": "westfall.review/1",
        "document": {"path": f"/matters/{name}", "sha256": sha,
                     "pages": [{"number": 1, "source": "text", "ocr_confidence": None}]},
        "text": text,
        "contract_type": {"label": "Supply", "confidence": 0.8},
        "clauses": [
            _clause("k1", "Parties", "This Master Supply", '(the "Buyer").', 0.99),
            _clause("c2", "Expiration Date", "1. Term.", "three (3) years.", 0.7),
            _clause("c3", "Cap On Liability", "2. Fees.", "of each year.", 0.55),
            _clause("c4", "Governing Law", "4. Governing Law.", "State of Texas.", 0.95),
            _clause("c5", "Anti-Assignment", "6. Assignment.", "of Quillfeather.", 0.9),
        ],
        "facts": {"governing_law": {"value": "Texas", "text": text[law:law + 30],
                                    "char_start": law, "char_end": law + 30, "page": 1,
                                    "confidence": 0.9}},
        "findings": [], "summary": None,
        "model": {"id": "clauses-v1", "sha256": "ab" * 32},
        "structure": {"sections": [], "definitions": [], "cross_references": [],
                      "signature_blocks": [
                          {"party": "QUILLFEATHER ROBOTICS, INC.",
                           "signatory": "Priya Venkataraman", "page": 1, "box": None,
                           "status": "signed", "char_start": 0, "char_end": 0},
                          {"party": "BRANTWOOD ORCHARD HOLDINGS LLC",
                           "signatory": "Dmitri Oyelaran-Fitch", "page": 1, "box": None,
                           "status": "unsigned", "char_start": 0, "char_end": 0}]},
    }  # fmt: skip


def fill_store(store: Store, matter: str = "Quillfeather supply") -> str:
    """The contract reviewed and corrected in every way; returns the document id."""
    store.matters.create(matter)
    doc = store.reviews.add(matter, review_json()).document.id
    c = store.corrections
    c.relabel(doc, "c3", "Revenue/Profit Sharing", reviewer="Alice Lee")
    c.reject(doc, "c2", reviewer="Alice Lee")
    c.accept(doc, "c4", reviewer="Bob Marsh")
    audit = CONTRACT.index("7. Audit.")
    c.add_clause(
        doc, "Audit Rights", audit, CONTRACT.index("notice.", audit) + 7, reviewer="Bob Marsh"
    )
    span_end = CONTRACT.index("other's consent.") + len("other's consent.")
    c.change_span(doc, "c5", CONTRACT.index("6. Assignment."), span_end, reviewer="Alice Lee")
    c.edit_fact(doc, "governing_law", "Texas, USA", reviewer="Alice Lee")
    c.comment(doc, "Ask Priya Venkataraman (priya.v@quillfeather.example) about it",
              reviewer="Bob Marsh", target="c4")  # fmt: skip
    c.reject(doc, "k1", reviewer="Bob Marsh")
    c.undo(doc, reviewer="Bob Marsh")  # the rejection of k1 is taken back
    return doc


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def rezip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def open_store(path: Path) -> Store:
    return Store.open(PASSPHRASE, path)


def resign(store: Store, files: dict[str, bytes], manifest: dict[str, Any]) -> dict[str, bytes]:
    """``files`` with ``manifest`` written and signed by ``store``'s installation key."""
    keys = InstallationKeys.of(store)
    manifest = {**manifest, "signer": {"algorithm": "Ed25519", "fingerprint": keys.fingerprint,
                                       "public_key": encode_key(keys.signing_public)}}  # fmt: skip
    raw = fmt.dumps(manifest)
    return {**files, "manifest.json": raw, "signature": encode_key(keys.sign(raw)).encode()}
