"""Bundles: export -> import round trip; any tampering refused with the member named and
nothing imported; encryption to a recipient; the installation's keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from feedback_helpers import PASSPHRASE, SCHEMA, members, resign, rezip

from westfall_legal.errors import (
    BundleRecipientError,
    BundleTamperedError,
    BundleVersionError,
    FeedbackBundleError,
)
from westfall_legal.feedback import (
    Selection,
    export_feedback,
    import_bundle,
    latest_documents,
    pooled_bundles,
    read_bundle,
    read_index,
)
from westfall_legal.feedback import bundle as fmt
from westfall_legal.feedback.pool import pool_dir
from westfall_legal.hashing import sha256_bytes
from westfall_legal.store import Store
from westfall_legal.store.signing import InstallationKeys, encode_key, fingerprint


def _events(store: Store, event: str) -> list[dict[str, object]]:
    return [e.payload or {} for e in store.audit.entries() if e.event == event]


def test_round_trip_export_then_import(store: Store, exported: Path) -> None:
    bundle = read_bundle(exported, InstallationKeys.of(store), SCHEMA)
    assert bundle.manifest["counts"]["corrections"] == 7  # the undone rejection is not there
    assert bundle.manifest["counts"]["corrections_by_action"] == {
        "accept": 1, "add": 1, "comment": 1, "fact": 1, "reject": 1, "relabel": 1, "span": 1,
    }  # fmt: skip
    assert bundle.manifest["models"] == [{"id": "clauses-v1", "sha256": "ab" * 32}]
    assert bundle.signer == InstallationKeys.of(store).fingerprint
    result = import_bundle(store, exported, SCHEMA)
    assert not result.already_imported and result.new_documents == bundle.documents
    assert result.path is not None and result.path.exists()
    assert b"Supplier" not in result.path.read_bytes()  # sealed in the pool
    (pooled,) = pooled_bundles(store, SCHEMA)
    assert pooled.members == bundle.members
    assert [e["id"] for e in read_index()] == [bundle.bundle_id]
    assert _events(store, "feedback.exported")[0]["bundle"] == bundle.bundle_id
    assert _events(store, "feedback.imported")[0]["documents"] == 1
    store.audit.verify()


def test_an_imported_bundle_trains_once_and_the_newest_copy_wins(
    store: Store, corrected: str, exported: Path, tmp_path: Path
) -> None:
    assert import_bundle(store, exported, SCHEMA).new_documents
    again = import_bundle(store, exported, SCHEMA)
    assert again.already_imported and again.path is None
    store.corrections.accept(corrected, "c5", reviewer="Alice Lee")
    later = tmp_path / "later.wfb"
    export_feedback(store, later, Selection(), SCHEMA)
    second = import_bundle(store, later, SCHEMA)
    assert not second.already_imported and second.new_documents == []
    bundles = pooled_bundles(store, SCHEMA)
    assert len(bundles) == 2
    (name,) = second.documents
    assert latest_documents(bundles)[name].bundle_id == second.bundle_id


def _rewrite(src: Path, dest: Path, change: dict[str, bytes | None]) -> Path:
    files = members(src.read_bytes())
    for name, data in change.items():
        if data is None:
            files.pop(name)
        else:
            files[name] = data
    dest.write_bytes(rezip(files))
    return dest


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"corrections.jsonl": b'{"action": "accept"}\n'}, "member corrections.jsonl"),
        ({"train/spans.jsonl": b""}, "member train/spans.jsonl"),
        ({"quality.json": None}, "member quality.json is missing"),
        ({"train/texts/extra.txt": b"hello"}, "member train/texts/extra.txt is not listed"),
        ({"extra.txt": b"hello"}, "'extra.txt' is not a member a feedback bundle may hold"),
        ({"signature": b"AAAA\n"}, "signature"),
        ({"signature": None}, "not signed"),
        ({"manifest.json": None}, "no manifest.json"),
    ],
)
def test_tampering_with_any_member_is_refused_and_nothing_is_imported(
    store: Store, exported: Path, tmp_path: Path, change: dict[str, bytes | None], named: str
) -> None:
    bad = _rewrite(exported, tmp_path / "bad.wfb", change)
    with pytest.raises(BundleTamperedError, match=named) as caught:
        import_bundle(store, bad, SCHEMA)
    assert "nothing was imported" in caught.value.user_line()
    assert read_index() == [] and not pool_dir().exists()
    assert _events(store, "feedback.imported") == []


def test_every_member_is_covered_by_the_signature(
    store: Store, exported: Path, tmp_path: Path
) -> None:
    for name, data in members(exported.read_bytes()).items():
        if name in ("manifest.json", "signature"):
            continue
        bad = _rewrite(exported, tmp_path / "bad.wfb", {name: data.replace(b"e", b"E", 1) + b" "})
        with pytest.raises(BundleTamperedError, match=f"member {name} does not match"):
            read_bundle(bad, None, SCHEMA)
        bad.unlink()


def test_an_altered_manifest_breaks_the_signature(
    store: Store, exported: Path, tmp_path: Path
) -> None:
    files = members(exported.read_bytes())
    manifest = json.loads(files["manifest.json"])
    manifest["anonymised"] = True
    manifest["counts"]["corrections"] = 99
    bad = _rewrite(exported, tmp_path / "bad.wfb", {"manifest.json": fmt.dumps(manifest)})
    with pytest.raises(BundleTamperedError, match=r"signature does not match manifest\.json"):
        read_bundle(bad, None, SCHEMA)


def test_truncated_and_unknown_version_bundles_are_refused(
    store: Store, exported: Path, tmp_path: Path
) -> None:
    data = exported.read_bytes()
    cut = tmp_path / "cut.wfb"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(BundleTamperedError, match="truncated or damaged"):
        import_bundle(store, cut, SCHEMA)
    files = members(data)
    manifest = json.loads(files["manifest.json"])
    manifest["version"] = 2
    newer = tmp_path / "newer.wfb"
    newer.write_bytes(rezip(resign(store, files, manifest)))
    with pytest.raises(BundleVersionError, match="version 2"):
        import_bundle(store, newer, SCHEMA)
    assert read_index() == []


def test_a_bundle_resigned_by_someone_else_is_refused_when_the_signer_is_pinned(
    store: Store, other: Store, exported: Path, tmp_path: Path
) -> None:
    files = members(exported.read_bytes())
    files["corrections.jsonl"] = files["corrections.jsonl"].replace(b"accept", b"reject")
    manifest = json.loads(files["manifest.json"])
    manifest["members"]["corrections.jsonl"]["sha256"] = sha256_bytes(files["corrections.jsonl"])
    forged = tmp_path / "forged.wfb"
    forged.write_bytes(rezip(resign(other, files, manifest)))
    ours = InstallationKeys.of(store).fingerprint
    with pytest.raises(BundleTamperedError, match="not by the expected signer"):
        import_bundle(store, forged, SCHEMA, expect_signer=ours)
    assert read_bundle(exported, None, SCHEMA, expect_signer=ours.upper()).signer == ours


def test_encryption_to_a_recipient_round_trips_and_fails_for_another_key(
    store: Store, corrected: str, other: Store, tmp_path: Path
) -> None:
    out = tmp_path / "sealed.wfb"
    recipient = InstallationKeys.of(other)
    _, result = export_feedback(
        store, out, Selection(), SCHEMA, recipient=recipient.encryption_public
    )
    data = out.read_bytes()
    assert data.startswith(fmt.MAGIC) and b"manifest.json" not in data
    assert result.encrypted_to == fingerprint(recipient.encryption_public)
    other.signers.add(encode_key(InstallationKeys.of(store).signing_public), "Office A")
    imported = import_bundle(other, out, SCHEMA)
    assert imported.encrypted and imported.signer_name == "Office A"
    assert imported.encrypted and imported.signer == InstallationKeys.of(store).fingerprint
    with pytest.raises(BundleRecipientError, match="encrypted to another key"):
        import_bundle(store, out, SCHEMA)  # the sender is not the recipient
    flipped = tmp_path / "flipped.wfb"
    flipped.write_bytes(data[:-5] + bytes([data[-5] ^ 1]) + data[-4:])
    with pytest.raises(BundleRecipientError):
        import_bundle(other, flipped, SCHEMA)
    with pytest.raises(BundleRecipientError, match="unlock"):
        read_bundle(out, None, SCHEMA)


def test_a_bundle_with_another_label_schema_is_refused(store: Store, exported: Path) -> None:
    other_schema = fmt.LabelSchema((*SCHEMA.categories, "Brand New Category"))
    with pytest.raises(BundleVersionError, match="labels"):
        read_bundle(exported, None, other_schema)


def test_export_refuses_an_empty_selection_and_an_existing_file(
    store: Store, corrected: str, exported: Path
) -> None:
    with pytest.raises(FeedbackBundleError, match="no corrections"):
        export_feedback(store, exported.with_name("x.wfb"), Selection(since="2999-01-01"), SCHEMA)
    with pytest.raises(FeedbackBundleError, match="already exists"):
        export_feedback(store, exported, Selection(), SCHEMA)
    with pytest.raises(FeedbackBundleError, match="not a date"):
        export_feedback(store, exported.with_name("y.wfb"), Selection(since="last week"), SCHEMA)


def test_the_installation_keys_live_in_the_store(store: Store, other: Store) -> None:
    keys = InstallationKeys.of(store)
    assert keys.signing_public != InstallationKeys.of(other).signing_public
    assert keys.pseudonym("Alice  Lee") == keys.pseudonym("alice lee") != keys.pseudonym("Bob")
    assert keys.pseudonym("Alice Lee") != InstallationKeys.of(other).pseudonym("Alice Lee")
    store.change_passphrase("a new passphrase")
    path = store.path
    store.close()
    with Store.open("a new passphrase", path) as reopened:
        again = InstallationKeys.of(reopened)
        assert (again.signing_public, again.encryption_public) == (
            keys.signing_public, keys.encryption_public,
        )  # fmt: skip
    assert PASSPHRASE not in keys.fingerprint
