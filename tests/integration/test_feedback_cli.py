"""The feedback loop through the CLI: review -> corrections -> preview -> export (signed,
anonymised, encrypted to another installation) -> import there -> evaluate the bundle's
spans -> retrain -> compare -> activate (the gate) -> roll back."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from test_store_cli import run, unlocked  # noqa: F401 - the cheap KDF and the passphrase

from westfall_legal.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "master_services_agreement.pdf"
# Names and contact details in the sample contract (resources/samples/generate.py).
PRIVATE = ("HALLORAN PIKE", "Halloran Pike", "Wexcombe", "WEXCOMBE", "Lindqvist", "Asante",
           "halloranpike.example", "1450 Lantern Wharf Road", "88 Corliss Exchange Place",
           "Stamford, Connecticut 06901", "Reviewer Rae", "master_services_agreement")  # fmt: skip


def _synthetic() -> ModuleType:
    """tests/unit/feedback/synthetic.py: tiny CUAD-format contracts."""
    path = ROOT / "tests" / "unit" / "feedback" / "synthetic.py"
    spec = importlib.util.spec_from_file_location("feedback_synthetic", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reviewed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The sample contract reviewed into a matter and corrected."""
    assert run(capsys, "matter", "create", "Halloran")[0] == 0
    code, _, err = run(capsys, "review", "-q", str(SAMPLE), "--out", str(tmp_path), "--no-llm",
                       "--matter", "Halloran")  # fmt: skip
    assert code == 0, err
    data = json.loads((tmp_path / "master_services_agreement.review.json").read_text())
    law = next(c for c in data["clauses"] if c["category"] == "Governing Law")["id"]
    other = next(c for c in data["clauses"] if c["category"] not in ("Governing Law", "Parties"))
    doc = ("--matter", "Halloran", "--document", "master_services_agreement.pdf",
           "--reviewer", "Reviewer Rae")  # fmt: skip
    assert run(capsys, "correct", *doc, "--clause", law, "accept")[0] == 0
    assert run(capsys, "correct", *doc, "--clause", other["id"], "reject")[0] == 0
    start = data["text"].index("IN WITNESS WHEREOF")
    code, _, err = run(capsys, "correct", *doc, "add", "Parties", str(start), str(start + 200))
    assert code == 0, err


def test_export_import_retrain_activate_rollback(
    tmp_path: Path,
    app_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _reviewed(capsys, tmp_path)
    code, out, _ = run(capsys, "export-feedback", "--preview")
    assert code == 0 and "preview only: nothing was written" in out
    assert "'HALLORAN PIKE DIGITAL SERVICES, INC.' -> PARTY_A" in out  # shown locally
    assert re.search(r"anonymised: party \d+, person \d+, email 2, .*address \d+", out)

    # The other installation (the retrainer) and its encryption key.
    there = tmp_path / "retrainer"
    monkeypatch.setenv("WESTFALL_HOME", str(there))
    code, out, _ = run(capsys, "feedback-key")
    key = out.splitlines()[1].strip()
    monkeypatch.setenv("WESTFALL_HOME", str(app_home))
    lines = run(capsys, "feedback-key")[1].splitlines()
    sender_fp, sender_key = lines[2].split("fingerprint ")[1].strip(), lines[3].strip()

    bundle = tmp_path / "halloran.wfb"
    code, out, err = run(capsys, "export-feedback", "--out", str(bundle), "--recipient", key)
    assert code == 0, err
    assert "encrypted to" in out
    code, _, err = run(capsys, "import-feedback", str(bundle))  # not the recipient
    assert code == ExitCode.BAD_INPUT and "encrypted to another key" in err

    plain = tmp_path / "plain.wfb"
    assert run(capsys, "export-feedback", "--out", str(plain))[0] == 0
    raw = plain.read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        files = {n: zf.read(n).decode() for n in zf.namelist()}
    for secret in PRIVATE:
        assert secret.encode() not in raw
        assert all(secret not in text for text in files.values()), secret
    assert "$48,500.00" in "".join(files.values())  # amounts stay

    # The bundle's spans are CUAD format: `evaluate --gold` reads them as they are.
    extracted = tmp_path / "extracted"
    with zipfile.ZipFile(plain) as zf:
        zf.extractall(extracted)
    code, out, err = run(capsys, "evaluate", "--gold", str(extracted / "train" / "spans.jsonl"),
                         "--out", str(tmp_path / "eval.json"), "--workers", "1", "-q")  # fmt: skip
    assert code == 0, err
    assert json.loads((tmp_path / "eval.json").read_text())["documents"] == 1

    # A tampered copy is refused with the member named.
    tampered = tmp_path / "tampered.wfb"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data + b"\n" if name == "corrections.jsonl" else data)
    monkeypatch.setenv("WESTFALL_HOME", str(there))
    code, _, err = run(capsys, "import-feedback", str(tampered))
    assert code == ExitCode.BAD_INPUT and "member corrections.jsonl" in err
    assert "nothing was imported" in err

    # Signed by a key the retrainer does not know: refused, with the fingerprint shown.
    code, out, err = run(capsys, "import-feedback", str(bundle))
    assert code == ExitCode.BAD_INPUT and "signed by an unknown key" in err, err
    assert sender_fp in err and "--trust-once" in err and "nothing was imported" in err.lower()
    assert "no other signer is trusted" in run(capsys, "feedback-trust", "list")[1]
    code, out, err = run(capsys, "feedback-trust", "add", sender_key, "--name", "Office A")
    assert code == 0 and f"trusted: Office A (fingerprint {sender_fp})" in out, err
    code, out, err = run(capsys, "import-feedback", str(bundle))
    assert code == 0 and "decrypted and verified" in out, err
    assert f"signed by Office A ({sender_fp})" in out
    assert "already" in run(capsys, "import-feedback", str(bundle))[1]
    pool = run(capsys, "feedback-pool")[1]
    assert "1 documents" in pool and "signed by Office A" in pool

    cuad = _synthetic().write_cuad(tmp_path / "cuad", 80)  # 70 held out, as for CUAD
    code, out, err = run(capsys, "retrain", "--cuad", str(cuad), "--id", "clauses-mine",
                         "--folds", "2")  # fmt: skip
    assert code == 0, err
    assert "# clauses-mine against clauses-v1" in out and "feedback_held_out" in out
    code, out, _ = run(capsys, "clause-model", "list")
    assert "active: clauses-v1" in out and re.search(r"candidate +clauses-mine", out)
    assert "Gate:" in run(capsys, "clause-model", "compare", "clauses-mine")[1]

    # Trained on toy contracts, it is worse on the real one (or, when the one feedback
    # document is not held out, unproven on the user's work): the gate refuses it.
    code, _, err = run(capsys, "clause-model", "activate", "clauses-mine")
    assert code == ExitCode.MODEL and "clauses-mine is not proven better than clauses-v1" in err
    code, out, _ = run(capsys, "clause-model", "activate", "clauses-mine", "--force")
    assert code == 0 and "forced" in out
    assert 'clause_model = "clauses-mine"' in (there / "settings.toml").read_text()
    code, out, _ = run(capsys, "clause-model", "rollback")
    assert code == 0 and "clauses-v1 is the active clause model again" in out

    monkeypatch.setenv("WESTFALL_HOME", str(app_home))
    code, out, _ = run(capsys, "drift")
    assert code == 0 and re.search(r"clauses-v1 \(\w{8}\) +\d{4}-\d\d +1 ", out)
