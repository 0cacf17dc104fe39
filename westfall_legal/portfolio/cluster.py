"""The portfolio on the firm's own Dask distributed cluster (the one module that imports
Dask): Dask's scheduler places the jobs, re-runs a job whose worker died on another worker,
and carries every byte over TLS with the firm's certificates.

- A job is a document's bytes and the settings; what comes back is its review. Workers are
  given no passphrase and no key: only this process (the client) opens the store and
  writes to it, one outcome at a time, as each comes back.
- Workers need the installed package (the same version) and the model files; each job
  carries the sha256 of the client's clause model and a worker with another refuses it.
- A plain-TCP address is refused unless it is this machine (loopback) or ``--insecure`` is
  given: over TCP, contract bytes and reviews would cross the network in clear.
- A worker that dies mid-document: the scheduler runs the document again elsewhere (Dask's
  ``allowed-failures``, then the job's own ``retries``); the client gets one result per
  document, and records it once.
"""

from __future__ import annotations

import contextlib
import ipaddress
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from westfall_legal.errors import ExitCode, KnownError, MissingDependencyError
from westfall_legal.portfolio.run import died
from westfall_legal.portfolio.task import Job, Outcome, Task, review_job
from westfall_legal.settings import Settings

INSTALL_HINT = 'Install the portfolio extra: pip install "westfall-legal[portfolio]".'
RETRIES = 2  # a job that raised (beyond a worker's death, which Dask re-runs by itself)
IN_FLIGHT_PER_THREAD = 2
CONNECT_TIMEOUT_S = 30


@dataclass(frozen=True)
class Tls:
    """The firm's certificates: the CA that signed the cluster's, and this client's own."""

    ca: Path | None = None
    cert: Path | None = None
    key: Path | None = None

    @property
    def given(self) -> bool:
        return any((self.ca, self.cert, self.key))


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise MissingDependencyError(
            "`--cluster` needs Dask distributed, which is not installed.", hint=INSTALL_HINT
        ) from None
    return distributed


class ClusterUsageError(KnownError):
    """A cluster address or certificate that cannot be used as given."""

    exit_code = ExitCode.USAGE


def _host(address: str) -> tuple[str, str]:
    """The scheme (``tcp`` where none is given) and the host of a scheduler address."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    return parts.scheme.lower(), parts.hostname or ""


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_address(address: str, tls: Tls, *, insecure: bool) -> str:
    """The scheduler address, if it may be used; a refusal that says why otherwise."""
    scheme, host = _host(address)
    if scheme == "tls":
        if not (tls.ca and tls.cert and tls.key):
            raise ClusterUsageError(
                f"{address}: a TLS cluster needs the firm's certificates.",
                hint="Give --tls-ca CA.pem --tls-cert CLIENT.pem --tls-key CLIENT.key.",
            )
        return address
    if scheme != "tcp":
        raise ClusterUsageError(
            f"{address}: Westfall Legal talks to a Dask scheduler over tls:// (or tcp:// on "
            "this machine only).",
            hint="Use tls://HOST:PORT with --tls-ca, --tls-cert and --tls-key.",
        )
    if tls.given:
        raise ClusterUsageError(
            f"{address}: certificates were given for a plain-TCP address.",
            hint=f"Use tls://{address.partition('://')[2] or address}.",
        )
    if not is_loopback(host) and not insecure:
        raise ClusterUsageError(
            f"{address}: refused: over plain TCP the contracts and their reviews would cross "
            "the network unencrypted.",
            hint="Run the cluster with TLS and use tls://HOST:PORT with --tls-ca, --tls-cert "
            "and --tls-key; or, on a network you trust entirely, add --insecure.",
        )
    return address


def security(tls: Tls) -> Any:
    """Dask's own TLS settings: encryption required, the firm's CA and client certificate."""
    if not tls.given:
        return None
    for path in (tls.ca, tls.cert, tls.key):
        if path is not None and not path.is_file():
            raise ClusterUsageError(f"{path}: no such certificate or key file.")
    return _distributed().security.Security(
        tls_ca_file=str(tls.ca),
        tls_client_cert=str(tls.cert),
        tls_client_key=str(tls.key),
        require_encryption=True,
    )


@contextlib.contextmanager
def connect(address: str, tls: Tls, *, insecure: bool = False) -> Iterator[ClusterRunner]:
    """A runner on the cluster at ``address`` (checked first), closed on the way out."""
    check_address(address, tls, insecure=insecure)
    distributed = _distributed()
    try:
        client = distributed.Client(
            address, security=security(tls), timeout=CONNECT_TIMEOUT_S, set_as_default=False
        )
    except (OSError, TimeoutError) as exc:
        raise KnownError(
            f"cannot reach the Dask scheduler at {address} ({type(exc).__name__}).",
            hint="Check the address, that the scheduler runs, and the certificates.",
        ) from None
    try:
        yield ClusterRunner(client)
    finally:
        client.close()


@dataclass
class ClusterRunner:
    client: Any  # distributed.Client
    sends_bytes: bool = True
    ocr_workers: int = 1  # a Dask worker is a daemon process: it may start no processes

    def window(self) -> int:
        threads = sum(self.client.nthreads().values()) or 1
        return threads * IN_FLIGHT_PER_THREAD

    def __call__(
        self, jobs: Iterable[Job], settings: Settings, keep: Callable[[Outcome], object]
    ) -> None:
        run_cluster(self.client, jobs, settings, keep, self.window())


def run_cluster(
    client: Any,
    jobs: Iterable[Job],
    settings: Settings,
    keep: Callable[[Outcome], object],
    window: int,
    task: Task = review_job,
) -> None:
    """Submit ``jobs`` a window at a time; ``keep`` each outcome in this process as it
    comes back, then let Dask forget it (memory stays flat on both sides)."""
    pending = iter(jobs)
    held: dict[str, Job] = {}
    done = _distributed().as_completed()

    def submit() -> None:
        job = next(pending, None)
        if job is None:
            return
        key = f"westfall-review-{job.sha256[:16]}-{uuid.uuid4().hex[:8]}"
        held[key] = job
        done.add(client.submit(task, job, settings, key=key, pure=False, retries=RETRIES))

    for _ in range(window):
        submit()
    try:
        for future in done:
            job = held.pop(future.key)
            try:
                outcome = future.result()
            except Exception as exc:  # KilledWorker (died too often), or the job raised
                outcome = _lost(job, exc)
            future.release()
            keep(outcome)
            submit()
    finally:
        for key in list(held):
            with contextlib.suppress(Exception):
                client.cancel(key)


def _lost(job: Job, exc: Exception) -> Outcome:
    if type(exc).__name__ == "KilledWorker":
        return died(job, "every worker that took it died")
    return Outcome(
        job.sha256,
        job.shown,
        None,
        None,
        error=f"{job.shown}: the cluster could not review it ({type(exc).__name__}).",
        code=1,
    )
