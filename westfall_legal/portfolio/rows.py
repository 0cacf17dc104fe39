"""One row per contract, as a due-diligence sheet has it, read back from the encrypted
matter (the review as its reviewers left it: a rejected clause is not counted, a corrected
fact shows its new value) one document at a time, so that memory stays flat."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from westfall_legal.categories import TOP_CATEGORIES
from westfall_legal.portfolio.record import Entry
from westfall_legal.portfolio.scan import Item, Scan
from westfall_legal.store import ClauseState, DocumentState, Store

SEVERITIES = ("high", "medium", "low")
FACTS = (
    ("Agreement date", "agreement_date"),
    ("Effective date", "effective_date"),
    ("Expiration date", "expiration_date"),
    ("Term", "term"),
    ("Renewal term", "renewal_term"),
    ("Notice period", "notice_period"),
    ("Governing law", "governing_law"),
)
FIRST_WORDS = 12
PARTY_WORDS = 24
COLUMNS: tuple[str, ...] = (
    "File",
    "Folder",
    "Type",
    "Parties",
    *(name for name, _ in FACTS),
    *(f"{c}{suffix}" for c in TOP_CATEGORIES for suffix in ("", ": first words", ": page")),
    *(f"Findings {s}" for s in SEVERITIES),
    "Pages",
    "OCR pages",
    "Review",
    "Error",
    "Duplicates",
    "sha256",
)


@dataclass(frozen=True)
class Row:
    """A contract's row: the values under :data:`COLUMNS`, and the HTML review it links to
    (relative to the output folder; empty for a document that failed)."""

    values: dict[str, Any]
    review: str = ""

    def cells(self) -> list[Any]:
        return [self.values.get(c, "") for c in COLUMNS]

    @property
    def error(self) -> str:
        return str(self.values.get("Error") or "")


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def _relative(path: Path, root: Path) -> Path:
    try:
        return path.relative_to(root)
    except ValueError:
        return path


def _base(item: Item | None, path: Path, root: Path, sha256: str) -> dict[str, Any]:
    where = _relative(path, root)
    also = "; ".join(str(_relative(p, root)) for p in item.also) if item else ""
    folder = str(where.parent) if str(where.parent) != "." else ""
    return {"File": where.name, "Folder": folder, "Duplicates": also, "sha256": sha256}


def _best(clauses: list[ClauseState]) -> ClauseState:
    """The clause a lawyer reads first: a reviewer's, else the most confident, else the first."""
    return max(clauses, key=lambda c: (c.source == "reviewer", c.confidence or 0.0, -c.char_start))


def document_row(state: DocumentState, entry: Entry, item: Item | None, root: Path) -> Row:
    """The row of a reviewed document, from its stored state and its journal line."""
    values = _base(item, item.path if item else Path(entry.path), root, entry.sha256)
    body = state.review.body if state.review else {}
    contract_type = body.get("contract_type") or {}
    values["Type"] = contract_type.get("label", "")
    by_category: dict[str, list[ClauseState]] = {}
    for clause in state.clauses:
        if clause.status != "rejected":
            by_category.setdefault(clause.category, []).append(clause)
    if "Parties" in by_category:
        values["Parties"] = first_words(_best(by_category["Parties"]).text, PARTY_WORDS)
    for column, name in FACTS:
        fact = state.facts.get(name)
        if fact is not None and fact.status != "rejected":
            values[column] = str(fact.value)
    for category in TOP_CATEGORIES:
        found = by_category.get(category)
        values[category] = "yes" if found else "no"
        if found:
            best = _best(found)
            values[f"{category}: first words"] = first_words(best.text)
            values[f"{category}: page"] = best.page
    for severity in SEVERITIES:
        values[f"Findings {severity}"] = sum(f.get("severity") == severity for f in state.findings)
    values["Pages"] = entry.pages or state.document.pages
    values["OCR pages"] = entry.ocr_pages
    values["Review"] = entry.html
    return Row(values, review=entry.html)


def failed_row(path: Path, why: str, root: Path, item: Item | None = None, sha256: str = "") -> Row:
    values = _base(item, path, root, sha256)
    values["Error"] = why
    return Row(values)


def rows(found: Scan, journal: dict[str, Entry], store: Store, matter: str) -> Iterator[Row]:
    """The portfolio's rows: each contract in the order of the scan, then the files that
    are not documents. A contract with no journal line (the run was stopped) says so."""
    stored = {d.sha256: d for d in store.reviews.documents(matter)}
    for item in found.items:
        entry = journal.get(item.sha256)
        if entry is None or (entry.status == "reviewed" and item.sha256 not in stored):
            yield failed_row(
                item.path, "not reviewed yet: run the same command again", found.root, item,
                item.sha256,
            )  # fmt: skip
        elif entry.status == "failed":
            yield failed_row(item.path, entry.error, found.root, item, item.sha256)
        else:
            state = store.corrections.state(stored[item.sha256].id)
            yield document_row(state, entry, item, found.root)
    for skipped in found.skipped:
        yield failed_row(skipped.path, skipped.why, found.root)


def stored_rows(store: Store, matter: str) -> Iterator[Row]:
    """The rows of every document in a matter, from the store alone (the GUI's portfolio
    table): no folder, journal or HTML review needed, so no OCR page count either."""
    for document in store.reviews.documents(matter):
        state = store.corrections.state(document.id)
        entry = Entry(document.sha256, document.file_name, "reviewed", pages=document.pages)
        yield document_row(state, entry, None, Path(""))
