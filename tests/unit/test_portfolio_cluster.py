"""Portfolio on a Dask cluster, without one: which scheduler addresses are refused and
why, and what a job carries to a worker (a document and settings, never a secret)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from westfall_legal.cli import main
from westfall_legal.errors import ExitCode
from westfall_legal.portfolio.cluster import ClusterUsageError, Tls, check_address, is_loopback
from westfall_legal.portfolio.task import Job, worker_settings
from westfall_legal.settings import Settings

CERTS = Tls(Path("ca.pem"), Path("client.pem"), Path("client.key"))


@pytest.mark.parametrize(
    "address", ["tcp://127.0.0.1:8786", "127.0.0.1:8786", "tcp://localhost:8786", "tcp://[::1]:1"]
)
def test_plain_tcp_is_allowed_on_this_machine(address: str) -> None:
    assert check_address(address, Tls(), insecure=False) == address


@pytest.mark.parametrize("address", ["tcp://10.1.2.3:8786", "dask.firm.local:8786"])
def test_plain_tcp_to_another_machine_is_refused_unless_insecure(address: str) -> None:
    with pytest.raises(ClusterUsageError, match="unencrypted") as caught:
        check_address(address, Tls(), insecure=False)
    assert "tls://" in caught.value.hint and "--insecure" in caught.value.hint
    assert check_address(address, Tls(), insecure=True) == address


def test_tls_needs_the_firms_certificates() -> None:
    with pytest.raises(ClusterUsageError, match="certificates"):
        check_address("tls://dask.firm.local:8786", Tls(ca=Path("ca.pem")), insecure=False)
    assert check_address("tls://dask.firm.local:8786", CERTS, insecure=False)
    with pytest.raises(ClusterUsageError, match="plain-TCP"):
        check_address("tcp://127.0.0.1:8786", CERTS, insecure=False)
    with pytest.raises(ClusterUsageError, match="tls://"):
        check_address("ws://dask.firm.local:8786", Tls(), insecure=True)


def test_loopback() -> None:
    assert is_loopback("127.0.0.2") and is_loopback("::1") and is_loopback("LOCALHOST")
    assert not is_loopback("10.0.0.1") and not is_loopback("dask.example")


def test_the_cli_refuses_before_asking_for_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("openpyxl", reason="the portfolio extra is missing")
    monkeypatch.delenv("WESTFALL_PASSPHRASE", raising=False)
    code = main(["portfolio", str(tmp_path), "--matter", "DD", "--cluster", "tcp://10.0.0.9:8786"])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE and "unencrypted" in err and "--insecure" in err
    code = main(["portfolio", str(tmp_path), "--matter", "DD", "--insecure"])
    assert code != ExitCode.OK and "--cluster" in capsys.readouterr().err


def test_a_job_carries_no_passphrase_or_key(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "Quixotic-Zebra-Passphrase-77"
    monkeypatch.setenv("WESTFALL_PASSPHRASE", secret)
    job = Job("ab" * 32, "/room/a.pdf", "cd" * 32, payload=b"%PDF-1.4 contract bytes")
    settings = worker_settings(Settings())
    wire = pickle.dumps((job, settings))
    assert secret.encode() not in wire and b"WESTFALL_PASSPHRASE" not in wire
    assert settings.use_llm is False and settings.ocr_workers == 1


def test_a_bad_document_sent_to_a_worker_names_the_clients_file(tmp_path: Path) -> None:
    from westfall_legal.hashing import sha256_bytes
    from westfall_legal.portfolio.task import review_job

    payload = b"%PDF-1.4 this is not a whole PDF"
    job = Job(sha256_bytes(payload), "/room/deals/broken.pdf", "", payload=payload)
    outcome = review_job(job, Settings())
    assert not outcome.ok and outcome.data is None
    assert outcome.error and outcome.error.startswith("/room/deals/broken.pdf: ")
    assert "westfall-portfolio-" not in outcome.error  # not the worker's temporary copy
    tampered = review_job(Job("0" * 64, "/room/x.pdf", "", payload=payload), Settings())
    assert tampered.error and "sha256 differs" in tampered.error
