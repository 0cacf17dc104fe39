"""Third parties: every organisation and person a contract names leaves the bundle, with
consistent placeholders; role words stay; the export refuses a bundle that would leak one;
the finders are linear on hostile text."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from feedback_helpers import SCHEMA, members

from westfall_legal.errors import AnonymisationError
from westfall_legal.feedback import Selection, export_feedback
from westfall_legal.feedback.anonymise import Anonymiser
from westfall_legal.feedback.matcher import NameMatcher
from westfall_legal.feedback.names import find_names
from westfall_legal.ingest.document import load_document
from westfall_legal.layout.text import build_text
from westfall_legal.store import Store

SAMPLE = (
    Path(__file__).resolve().parents[3] / "resources" / "samples" / "master_services_agreement.pdf"
)
COMPETITORS = ("Calloway Larder Group, Inc.", "Brightmere Pantry Holdings LLC",
               "Ostrander Fine Foods Corporation")  # fmt: skip
DISTINCTIVE = ("Calloway", "Larder", "Brightmere", "Pantry", "Ostrander")


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def _sample_review(text: str) -> dict[str, Any]:
    """A stored review of the sample: its text, two clauses, its signature blocks."""

    def clause(cid: str, category: str, needle: str, end_needle: str) -> dict[str, Any]:
        start = text.index(needle)
        end = text.index(end_needle, start) + len(end_needle)
        return {"id": cid, "category": category, "confidence": 0.9, "text": text[start:end],
                "char_start": start, "char_end": end, "page": 1, "boxes": [], "section": None,
                "needs_review": False}  # fmt: skip

    return {
        "schema": "westfall.review/1",
        "document": {"path": "/m/master_services_agreement.pdf",
                     "sha256": hashlib.sha256(text.encode()).hexdigest(),
                     "pages": [{"number": 1, "source": "text", "ocr_confidence": None}]},
        "text": text,
        "contract_type": {"label": "Service", "confidence": 0.8},
        "clauses": [clause("k1", "Parties", "This MASTER SERVICES AGREEMENT", "Customer"),
                    clause("k2", "Non-Compete", "Designated Competitors. As at", "Affiliates.")],
        "facts": {}, "findings": [], "summary": None,
        "model": {"id": "clauses-v1", "sha256": "ab" * 32},
        "structure": {"sections": [], "definitions": [], "cross_references": [],
                      "signature_blocks": []},
    }  # fmt: skip


@pytest.fixture(scope="module")
def sample_text() -> str:
    return build_text(load_document(SAMPLE)).text


def _store_sample(store: Store, text: str) -> str:
    store.matters.create("Wexcombe")
    doc = store.reviews.add("Wexcombe", _sample_review(text)).document.id
    store.corrections.accept(doc, "k2", reviewer="Alice Lee")
    store.corrections.comment(doc, "Brightmere Pantry Holdings LLC is the worry", target="k2",
                              reviewer="Alice Lee")  # fmt: skip
    return doc


def test_the_designated_competitors_never_leave_in_a_bundle(
    store: Store, sample_text: str, tmp_path: Path
) -> None:
    for name in COMPETITORS:
        assert _flat(name) in _flat(sample_text)  # the control: they are in the sample
    _store_sample(store, sample_text)
    out = tmp_path / "sample.wfb"
    preview, _ = export_feedback(store, out, Selection(), SCHEMA)
    raw = out.read_bytes()
    for member, data in members(raw).items():
        text = _flat(data.decode("utf-8").replace("\\n", " "))
        for value in (*COMPETITORS, *DISTINCTIVE, "Halloran", "Wexcombe", "Lindqvist"):
            assert _flat(value) not in text, f"{value!r} left in {member}"
    placeholders = {preview.report.mapping[n] for n in COMPETITORS}
    assert len(placeholders) == 3 and all(p.startswith("ORG_") for p in placeholders)
    assert preview.report.mapping["HALLORAN PIKE DIGITAL SERVICES, INC."] == "PARTY_A"


def test_an_export_that_would_leak_a_competitor_is_refused(
    store: Store, sample_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_sample(store, sample_text)
    hits = Anonymiser._hits

    def missing_calloway(self: Anonymiser, text: str) -> list[tuple[int, int, str, str]]:
        return [h for h in hits(self, text) if "calloway" not in text[h[0] : h[1]].casefold()]

    monkeypatch.setattr(Anonymiser, "_hits", missing_calloway)
    with pytest.raises(AnonymisationError, match="would still hold"):
        export_feedback(store, tmp_path / "leaky.wfb", Selection(), SCHEMA)
    assert not (tmp_path / "leaky.wfb").exists()


def test_the_leak_check_finds_an_organisation_it_never_learnt() -> None:
    """A member that was never anonymised (a new code path) still cannot carry a company."""
    anonymiser = Anonymiser()
    assert anonymiser.leaks("Questions go to Ostrander Fine Foods Corporation.") == [
        "Ostrander Fine Foods Corporation"
    ]
    assert anonymiser.leaks("Ask ORG_A about the Company and the Licensor.") == []


@pytest.mark.parametrize(
    "name",
    ["Siemens AG", "Nestlé S.A.", "Koninklijke Philips N.V.", "Heineken Brouwerijen B.V.",
     "Ferrari S.p.A.", "Luxottica S.r.l.", "Woolworths Pty Ltd", "Toyota Tsusho K.K.",
     "Honda Motor Co., Ltd.", "Nokia Oyj", "Volvo Lastvagnar AB", "Maersk Line A/S",
     "Allianz SE", "Robert Bosch GmbH", "Dassault Systèmes S.A.S.", "Rungis Marée SARL",
     "Acorn Widgets L.L.C.", "Marlow Grey LLP", "Tesco Stores PLC", "Barrow Lane Limited",
     "Quenby Corp.", "Tallgrass Energy, LP", "Carver Federal Savings Bank"],
)  # fmt: skip
def test_legal_forms_of_many_jurisdictions(name: str) -> None:
    text = f"The supplier is {name}, which delivers. Orders go to {name} by email."
    anonymiser = Anonymiser()
    anonymiser.learn(text, {})
    done = anonymiser.text(text).text
    assert done == "The supplier is ORG_A, which delivers. Orders go to ORG_A by email.", name


def test_short_names_and_capitals_share_the_placeholder_and_roles_stay() -> None:
    text = (
        'This Agreement is made between ACME WIDGETS, INC., a Delaware corporation ("Licensor"), '
        'and Zephyr Mills LLC (the "Company"). Acme Widgets, Inc. ("Acme") is a Party. '
        "Zephyr Mills and Acme agree; ZEPHYR may not sue ACME WIDGETS. The Licensor and the "
        "Company are the Parties; Licensee has no rights under this Agreement."
    )
    anonymiser = Anonymiser()
    anonymiser.learn(text, {})
    done = anonymiser.text(text).text
    assert done == (
        'This Agreement is made between PARTY_A, a Delaware corporation ("Licensor"), '
        'and PARTY_B (the "Company"). PARTY_A ("PARTY_A") is a Party. '
        "PARTY_B and PARTY_A agree; PARTY_B may not sue PARTY_A. The Licensor and the "
        "Company are the Parties; Licensee has no rights under this Agreement."
    )


def test_people_in_signature_and_notice_blocks_and_in_the_text() -> None:
    text = (
        "Notices to Acme go to Attention: Priya N. Venkataraman. Questions go to Avtar Dhillon, "
        "President. Ms. Venkataraman and Mr. Dhillon meet monthly.\n\n"
        "ACME WIDGETS, INC.\nBy: /s/ Priya N. Venkataraman\nName: Priya N. Venkataraman\n"
        "Title: Chief Executive Officer\n\n/s/ He, Li\n\nHe, Li Chief Financial Officer"
    )
    anonymiser = Anonymiser()
    anonymiser.learn(text, {})
    done = anonymiser.text(text).text
    for name in ("Venkataraman", "Priya", "Dhillon", "Avtar", "He, Li"):
        assert name not in done
    mapping = anonymiser.report().mapping
    priya, avtar = mapping["Priya N. Venkataraman"], mapping["Avtar Dhillon"]
    assert len({priya, avtar, mapping["He, Li"]}) == 3
    assert f"Attention: {priya}." in done and f"{avtar}, President" in done
    assert f"Ms. {priya} and Mr. {avtar}" in done
    assert "Title: Chief Executive Officer" in done and "Chief Financial Officer" in done


def test_headings_and_role_phrases_are_no_names() -> None:
    text = (
        "IN WITNESS WHEREOF, INCLUDING BUT NOT LIMITED TO THE COMPANY AS SET FORTH. During the "
        "Term, Company shall pay. Each Holding Company, a Delaware limited liability company, "
        "and the Licensor. The laws of the State of Texas govern. Series E Notes. Any Affiliate "
        "of the Company."
    )
    found = find_names(text)
    assert (found.organisations, found.people, found.aliases) == ([], [], {})


# Hostile text: each finder must stay linear. 1 MB takes 8 times as long as 125 kB when it
# is (64 times when quadratic); the bound leaves room for a busy machine.
HOSTILE: dict[str, Callable[[int], str]] = {
    "one long capitalised token": lambda n: "A" * n,
    "capitalised words": lambda n: "Ab " * (n // 3),
    "initials": lambda n: "A. " * (n // 3),
    "legal forms": lambda n: "Inc. " * (n // 5),
    "names with forms": lambda n: "Acme Inc. " * (n // 10),
    "quoted parentheses": lambda n: '("A") ' * (n // 6),
    "quotes": lambda n: '"' * n,
    "conformed signatures": lambda n: "/s/ Ab Cd " * (n // 10),
    "name fields": lambda n: "Name: Ab Cd Ef Gh Ij Kl " * (n // 24),
    "commas": lambda n: "Ab, " * (n // 4),
    "defined names": lambda n: 'Acme Inc. ("Acme") ' * (n // 19),
    "incorporations": lambda n: "Ab, a Ab Ab Ab Ab Ab " * (n // 22),
}


def _seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_the_finders_are_linear_on_hostile_text(kind: str) -> None:
    small, large = HOSTILE[kind](125_000), HOSTILE[kind](1_000_000)
    t_small = _seconds(lambda: find_names(small))
    t_large = _seconds(lambda: find_names(large))
    assert t_large < 24 * max(t_small, 0.05), (kind, t_small, t_large)
    matcher = NameMatcher()
    for name in ("Acme Inc.", "Ab Cd", "A A A A A A A A A A A A A A A A"):
        matcher.add(name, "ORG_A")
    t_small = _seconds(lambda: list(matcher.finditer(small)))
    t_large = _seconds(lambda: list(matcher.finditer(large)))
    assert t_large < 24 * max(t_small, 0.05), (kind, t_small, t_large)
