"""One reviewed document -> the bundle's rows: corrections, SFT chat examples, CUAD spans.

Everything here works on the anonymised text: spans are moved onto it with the
anonymiser's :class:`~westfall_legal.feedback.anonymise.OffsetMap`, and clause texts are cut
from it, so ``train/spans.jsonl`` offsets point into ``train/texts/DOC.txt`` exactly.

The gold spans of a document are its clauses as the reviewers left them
(:meth:`Corrections.state`): every clause not rejected, with its corrected category and
span, and every clause a reviewer added. Untouched proposals count as accepted: the review
shows each one and the reviewer left it standing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from westfall_legal.feedback.anonymise import Anonymised, Anonymiser
from westfall_legal.llm.clause_verify import NO, YES, category_question, chat, yes_no_question
from westfall_legal.store import ClauseState, Correction, DocumentInfo, DocumentState, FactState

CONTEXT_CHARS = 200
UNKNOWN_TYPE = "Unknown"


@dataclass(frozen=True)
class ExportDocument:
    """A stored document chosen for export, with what the bundle is built from."""

    info: DocumentInfo
    text: str
    body: dict[str, Any]  # the latest review's stored body (contract type, structure, model)
    state: DocumentState
    corrections: tuple[Correction, ...]  # effective (not undone) ones in the selection
    predictions: dict[str, dict[str, Any]] = field(default_factory=dict)  # annotation id -> data


@dataclass
class DocumentRows:
    name: str
    text: str
    contract_type: str
    corrections: list[dict[str, Any]]
    sft: list[dict[str, Any]]
    spans: dict[str, Any]
    skipped: int = 0  # corrections about an older review's clauses


def contract_type(doc: ExportDocument) -> str:
    fact = doc.state.facts.get("contract_type")
    if fact is not None and (fact.source == "reviewer" or fact.status == "accepted"):
        return str(fact.value)
    found = doc.body.get("contract_type")
    return str(found["label"]) if isinstance(found, dict) and found.get("label") else UNKNOWN_TYPE


def _span(anon: Anonymised, start: int, end: int) -> tuple[int, int]:
    s, e = anon.offsets.start(start), anon.offsets.end(end)
    return (s, max(s, e))


def _context(text: str, s: int, e: int) -> dict[str, str]:
    return {"before": text[max(0, s - CONTEXT_CHARS) : s], "after": text[e : e + CONTEXT_CHARS]}


def sft_examples(clause_text: str, clause: ClauseState) -> list[dict[str, Any]]:
    """Chat examples for one corrected clause: which category it is, and yes/no questions on
    the category it has and the one the model first gave it (the prompts the legal adapter
    is fine-tuned on and asked with: :mod:`westfall_legal.llm.clause_verify`)."""
    if clause.status == "rejected":
        return [chat(yes_no_question(clause_text, clause.category), NO)]
    out = [
        chat(category_question(clause_text), clause.category),
        chat(yes_no_question(clause_text, clause.category), YES),
    ]
    if clause.original_category and clause.original_category != clause.category:
        out.append(chat(yes_no_question(clause_text, clause.original_category), NO))
    return out


class RowBuilder:
    """Builds the rows of the documents of one bundle with one anonymiser."""

    def __init__(self, anonymiser: Anonymiser | None, pseudonym: Any) -> None:
        self.anonymiser = anonymiser
        self.pseudonym = pseudonym

    def _free(self, value: Any) -> Any:
        return self.anonymiser.value(value) if self.anonymiser else value

    def build(self, doc: ExportDocument, name: str, anon: Anonymised) -> DocumentRows:
        text = anon.text
        clauses = {c.id: c for c in doc.state.clauses}
        facts = {f.id: f for f in doc.state.facts.values()}
        ctype = contract_type(doc)
        rows = DocumentRows(name, text, ctype, [], [], {})
        corrected: dict[str, ClauseState] = {}
        for c in doc.corrections:
            clause = clauses.get(c.id if c.action == "add" else c.target or "")
            fact = facts.get(c.target or "") or doc.state.facts.get(str(c.ref))
            if clause is None and c.target is not None and c.action != "fact" and fact is None:
                rows.skipped += 1
                continue
            if clause is not None:
                corrected[clause.id] = clause
            rows.corrections.append(self._row(doc, name, anon, ctype, c, clause, fact))
        for clause in corrected.values():
            s, e = _span(anon, clause.char_start, clause.char_end)
            rows.sft += sft_examples(text[s:e], clause)
        rows.spans = self._spans(doc, name, anon, ctype)
        return rows

    def _row(
        self,
        doc: ExportDocument,
        name: str,
        anon: Anonymised,
        ctype: str,
        c: Correction,
        clause: ClauseState | None,
        fact: FactState | None,
    ) -> dict[str, Any]:
        text = anon.text
        row: dict[str, Any] = {
            "id": c.id,
            "document": name,
            "time": c.created,
            "reviewer": self.pseudonym(c.reviewer),
            "action": c.action,
            "model": c.model,
            "contract_type": ctype,
            "clause": clause.ref if clause else None,
            "category": clause.category if clause else None,
            "prediction": None,
            "correction": self._correction(c, anon),
        }
        item: ClauseState | FactState | None = clause if clause is not None else fact
        if item is not None and item.char_end > item.char_start:
            s, e = _span(anon, item.char_start, item.char_end)
            row.update(span=[s, e], span_text=text[s:e], context=_context(text, s, e))
        if clause is not None and clause.source == "model":
            data = doc.predictions.get(clause.id, {})
            row["prediction"] = {
                "category": clause.original_category,
                "confidence": clause.confidence,
            }
            if "char_start" in data:
                s, e = _span(anon, data["char_start"], data["char_end"])
                row["prediction"].update(char_start=s, char_end=e)
        elif fact is not None and fact.source == "model":
            row["prediction"] = {"fact": fact.name, "value": self._free(fact.original_value)}
        return row

    def _correction(self, c: Correction, anon: Anonymised) -> Any:
        after = c.after
        if c.action in ("span", "add"):
            s, e = _span(anon, after["char_start"], after["char_end"])
            out = {"char_start": s, "char_end": e}
            return {"category": after["category"], **out} if c.action == "add" else out
        if c.action == "relabel":
            return {"category": after}
        if c.action == "fact":
            return {"fact": c.ref, "value": self._free(after.get("value"))}
        if c.action == "comment":
            return {"text": self._free(after)}
        return {"status": "accepted" if c.action == "accept" else "rejected"}

    def _spans(
        self, doc: ExportDocument, name: str, anon: Anonymised, ctype: str
    ) -> dict[str, Any]:
        labels: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for clause in doc.state.clauses:
            if clause.status == "rejected":
                continue
            s, e = _span(anon, clause.char_start, clause.char_end)
            if e > s:
                labels[clause.category].append({"text": anon.text[s:e], "segments": [[s, e]]})
        return {
            "filename": name,
            "txt_file": f"texts/{name}.txt",
            "pdf_file": f"texts/{name}.txt",  # no PDF travels: readers use the text
            "contract_type": ctype,
            "labels": {
                category: {"answer": "Yes", "spans": spans}
                for category, spans in sorted(labels.items())
            },
        }
