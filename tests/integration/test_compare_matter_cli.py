"""`westfall compare OLD NEW --matter M` keeps the comparison in the matter, end to end on
the sample agreement (its PDF against its Word draft): `matter show` and `comparison list`
list it, `comparison export` writes back the very JSON and redline the command wrote, and
`verify-audit`, `store rekey` and `matter delete` cover it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from westfall_legal.cli import main
from westfall_legal.errors import ExitCode
from westfall_legal.store import KdfParams, keys

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
PDF, DOCX = SAMPLES / "master_services_agreement.pdf", SAMPLES / "master_services_agreement.docx"
FAST = KdfParams(algorithm="argon2id", salt="", iterations=1, lanes=1, memory_cost=8)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_compare_into_a_matter_then_list_export_rekey_and_delete(
    tmp_path: Path, app_home: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setattr(keys, "DEFAULT_KDF", FAST)
    monkeypatch.setenv("WESTFALL_PASSPHRASE", "tin roof rusted")
    assert run(capsys, "matter", "create", "Acme")[0] == 0
    out = tmp_path / "out"
    code, said, _ = run(capsys, "compare", "-q", "--out", str(out), "--matter", "Acme",
                        str(PDF), str(DOCX))  # fmt: skip
    assert code == 0
    assert said.count(": stored in matter 'Acme' (document") == 2  # both reviews
    assert "comparison stored in matter 'Acme'" in said and "linked to 2 of its documents" in said
    written = out / "master_services_agreement_pdf_vs_docx.compare.json"
    data = json.loads(written.read_text(encoding="utf-8"))

    code, shown, _ = run(capsys, "matter", "show", "Acme")
    assert code == 0 and "comparisons (1):" in shown
    line = shown.splitlines()[-1].strip()
    comparison_id = line.split()[0]
    assert "master_services_agreement.pdf → master_services_agreement.docx" in line
    assert f"{data['counts']['changed']} changed" in line and "3 risks changed" in line
    code, listed, _ = run(capsys, "comparison", "list", "Acme")
    assert code == 0 and listed.strip() == line

    back = tmp_path / "back"
    code, said, _ = run(capsys, "comparison", "export", "Acme", comparison_id[:8], "--out",
                        str(back))  # fmt: skip
    assert code == 0
    exported = sorted(back.iterdir())
    assert [p.name for p in exported] == [
        f"master_services_agreement_pdf_vs_docx.{comparison_id[:8]}.compare.{ext}"
        for ext in ("html", "json")
    ]
    assert exported[1].read_bytes() == written.read_bytes()
    assert exported[0].read_bytes() == written.with_suffix(".html").read_bytes()

    code, said, _ = run(capsys, "verify-audit")
    assert code == 0 and "3 reviews, corrections and comparisons match" in said
    code, said, _ = run(capsys, "store", "rekey", "Acme")
    assert code == 0
    again = tmp_path / "again"
    assert run(capsys, "comparison", "export", "Acme", comparison_id, "--out", str(again),
               "--format", "json")[0] == 0  # fmt: skip
    assert [p.read_bytes() for p in again.iterdir()] == [written.read_bytes()]

    code, _, err = run(capsys, "comparison", "export", "Acme", "feedfacecafe")
    assert code == ExitCode.STORE and "no comparison 'feedfacecafe'" in err
    assert "westfall comparison list" in err  # the next step

    assert run(capsys, "matter", "delete", "Acme", "--yes")[0] == 0
    assert run(capsys, "matter", "create", "Acme")[0] == 0
    code, listed, _ = run(capsys, "comparison", "list", "Acme")
    assert code == 0 and "keeps no comparisons" in listed
