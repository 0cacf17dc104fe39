"""Anonymisation: every planted name, email, phone, address and account number leaves every
member of the bundle; amounts and dates stay; spans still point at the same words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from feedback_helpers import CONTRACT, KEPT, PLANTED, SCHEMA, members

from westfall_legal.feedback import Selection, export_feedback, preview_export
from westfall_legal.feedback.anonymise import Anonymiser, OffsetMap
from westfall_legal.feedback.verify import Bundle
from westfall_legal.store import Store


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def _export(store: Store, tmp_path: Path, anonymise: bool = True) -> dict[str, bytes]:
    out = tmp_path / ("plain.wfb" if not anonymise else "anon.wfb")
    export_feedback(store, out, Selection(anonymise=anonymise), SCHEMA)
    return members(out.read_bytes())


def test_every_planted_value_leaves_every_member(
    store: Store, corrected: str, tmp_path: Path
) -> None:
    files = _export(store, tmp_path)
    raw = (tmp_path / "anon.wfb").read_bytes()
    assert set(files) >= {"manifest.json", "signature", "corrections.jsonl", "train/sft.jsonl",
                          "train/spans.jsonl", "quality.json", "anonymisation.json"}  # fmt: skip
    for kind, values in PLANTED.items():
        for value in values:
            assert value.encode() not in raw, f"{kind} {value!r} in the raw zip"
            for name, data in files.items():
                # JSON escapes line breaks; compare on the decoded text with any whitespace
                text = data.decode("utf-8").replace("\\n", " ")
                assert _flat(value) not in _flat(text), f"{kind} {value!r} left in {name}"
    text = next(d for n, d in files.items() if n.startswith("train/texts/")).decode()
    for value in KEPT:
        assert value in text, f"{value!r} was removed (amounts and dates carry the meaning)"
    for placeholder in ("PARTY_A", "PARTY_B", "PERSON_A", "[EMAIL]", "[PHONE]", "[ADDRESS]",
                        "[ACCOUNT]", "[SIGNATURE]", "[URL]"):  # fmt: skip
        assert placeholder in text


def test_without_anonymisation_the_planted_values_are_there(
    store: Store, corrected: str, tmp_path: Path
) -> None:
    """The control: the scan above would catch them."""
    files = _export(store, tmp_path, anonymise=False)
    text = b"".join(files.values()).decode()
    for value in ("Quillfeather", "Priya Venkataraman", "priya.v@quillfeather.example",
                  "GB82 WEST 1234 5698 7654 32", "512-555-0143"):  # fmt: skip
        assert value in text
    manifest = json.loads(files["manifest.json"])
    assert manifest["anonymised"] is False
    assert "Alice Lee" not in text  # reviewers are always pseudonyms


def test_the_report_lists_replacements_per_kind_and_the_map_stays_local(
    store: Store, corrected: str, tmp_path: Path
) -> None:
    preview = preview_export(store, Selection(), SCHEMA)
    counts = preview.report.counts
    assert counts["party"] >= 4 and counts["person"] >= 3
    assert (counts["email"], counts["phone"], counts["address"], counts["account"]) == (1, 2, 2, 2)
    assert preview.report.mapping["priya.v@quillfeather.example"] == "[EMAIL]"
    assert preview.report.mapping["QUILLFEATHER ROBOTICS, INC."] == "PARTY_A"
    assert preview.report.mapping["BRANTWOOD ORCHARD HOLDINGS LLC"] == "PARTY_B"
    written = json.loads(preview.content.members["anonymisation.json"])
    assert written["counts"] == counts
    assert "mapping" not in written and "Quillfeather" not in json.dumps(written)


def test_spans_point_at_the_same_words_after_replacement(
    store: Store, corrected: str, tmp_path: Path
) -> None:
    files = _export(store, tmp_path)
    record = json.loads(files["train/spans.jsonl"])
    text = files[f"train/{record['txt_file']}"].decode()
    for category, label in record["labels"].items():
        for span in label["spans"]:
            (s, e) = span["segments"][0]
            assert text[s:e] == span["text"], category
    audit = record["labels"]["Audit Rights"]["spans"][0]["text"]
    assert audit == "7. Audit. Buyer may audit Supplier's records once a year on 30 days' notice."
    parties = record["labels"]["Parties"]["spans"][0]["text"]
    assert parties.startswith("This Master Supply") and "PARTY_B" in parties
    for row in map(json.loads, files["corrections.jsonl"].decode().splitlines()):
        if "span" in row:
            assert text[row["span"][0] : row["span"][1]] == row["span_text"]


def test_party_placeholders_are_consistent_across_documents() -> None:
    anonymiser = Anonymiser()
    first = "Agreement between ACME ROCKETS, INC. and ZEPHYR MILLS LLC. Acme Rockets pays."
    second = "Amendment between ZEPHYR MILLS LLC and ACME ROCKETS, INC. Zephyr Mills agrees."
    anonymiser.learn(first, {})
    anonymiser.learn(second, {})
    one, two = anonymiser.text(first).text, anonymiser.text(second).text
    assert one == "Agreement between PARTY_A and PARTY_B. PARTY_A pays."
    assert two == "Amendment between PARTY_B and PARTY_A. PARTY_B agrees."


def test_offset_map_moves_spans_around_replacements() -> None:
    anonymiser = Anonymiser()
    text = "Pay to jane.doe@example.com now. Then call 212-555-0100 today."
    done = anonymiser.text(text)
    assert done.text == "Pay to [EMAIL] now. Then call [PHONE] today."
    offsets: OffsetMap = done.offsets
    now = text.index("now")
    assert done.text[offsets.start(now) : offsets.end(now + 3)] == "now"
    inside = text.index("doe")  # a span starting inside a replacement starts at its start
    assert done.text[offsets.start(inside) : offsets.end(text.index(" now"))] == "[EMAIL]"
    assert offsets.end(len(text)) == len(done.text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The fee is $1,250,000.00 payable on 2024-03-01.", "$1,250,000.00 payable on 2024-03-01"),
        ("Within 30 days after March 3, 2025, pay EUR 100 000 000.", "EUR 100 000 000"),
        ("Section 12.3.4 and Schedule 2 apply for 99.9% availability.", "Section 12.3.4"),
        ("Taking into account the 2023 and 2024 figures.", "2023 and 2024 figures"),
    ],
)
def test_amounts_dates_and_references_are_kept(text: str, kept: str) -> None:
    assert kept in Anonymiser().text(text).text


def test_roles_are_not_names() -> None:
    anonymiser = Anonymiser()
    anonymiser.add_party("PROVIDER")
    anonymiser.add_party("Customer")
    anonymiser.add_person("General Counsel")
    assert anonymiser.text("Provider and Customer notify the General Counsel.").text == (
        "Provider and Customer notify the General Counsel."
    )


def test_the_planted_contract_keeps_its_structure() -> None:
    anonymiser = Anonymiser()
    anonymiser.learn(CONTRACT, {})
    text = anonymiser.text(CONTRACT).text
    assert "4. Governing Law. This Agreement is governed by the laws of the State of Texas." in text
    assert "Title: Chief Executive Officer" in text and "Attention: Legal Department" in text


def test_a_bundle_reads_back_its_texts(store: Store, corrected: str, tmp_path: Path) -> None:
    files = _export(store, tmp_path)
    bundle = Bundle("x", json.loads(files["manifest.json"]), files, b"", False)
    (name,) = bundle.documents
    assert bundle.text(name).startswith("MASTER SUPPLY AGREEMENT")


def test_what_finders_catch_around_a_party_name_is_dropped() -> None:
    """Seen on CUAD contracts: connectives, exhibit numbers and headings taken for names."""
    anonymiser = Anonymiser()
    text = (
        "EXHIBIT 10.1\nTHIS AGREEMENT is made BY AND BETWEEN XENCOR, INC. and And as and for "
        "Jasper Products, LLC. Between them, Xencor pays Jasper."
    )
    anonymiser.learn(text, {"structure": {"signature_blocks": [
        {"party": "SIGNATURE PAGE TO MULTIPLE LINAC DISTRIBUTOR AGREEMENT", "signatory": None},
        {"party": "/s/ S.G.A. Durbin", "signatory": None},
    ]}})  # fmt: skip
    done = anonymiser.text(text).text
    assert done == (
        "EXHIBIT 10.1\nTHIS AGREEMENT is made BY AND BETWEEN PARTY_A and And as and for "
        "PARTY_B. Between them, PARTY_A pays PARTY_B."
    )
    assert set(anonymiser.report().placeholders) == {"PARTY_A", "PARTY_B"}
    assert anonymiser.leaks(done) == []


def test_a_single_word_leaks_only_in_the_cases_it_is_replaced_in() -> None:
    anonymiser = Anonymiser()
    anonymiser.add_party("Heritage Foods, LLC")
    done = anonymiser.text("Heritage Foods, LLC keeps its heritage; HERITAGE brands.").text
    assert done == "PARTY_A keeps its heritage; PARTY_A brands."
    assert anonymiser.leaks(done) == []
    assert {w.casefold() for w in anonymiser.leaks("Heritage was here")} == {"heritage"}
