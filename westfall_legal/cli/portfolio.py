"""`westfall portfolio DIR --matter NAME`: a data room reviewed into one spreadsheet
(portfolio.xlsx, portfolio.csv) and a dashboard (portfolio.html), on all cores or on a
Dask cluster (``--cluster``), resumable: the same command again carries on where a stopped
run left off. See docs/portfolio.md."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from westfall_legal.cli.common import Passphrases
from westfall_legal.errors import ExitCode, KnownError

if TYPE_CHECKING:
    from westfall_legal.portfolio.review import Runner


@contextlib.contextmanager
def _runner(args: argparse.Namespace) -> Iterator[Runner]:
    from westfall_legal.portfolio.review import LocalRunner
    from westfall_legal.portfolio.run import default_workers

    if not args.cluster:
        if args.insecure or args.tls_ca or args.tls_cert or args.tls_key:
            raise KnownError(
                "--insecure and --tls-* are for --cluster.", hint="Add --cluster ADDRESS."
            )
        yield LocalRunner(args.workers or default_workers())
        return
    from westfall_legal.portfolio.cluster import Tls, connect

    tls = Tls(*(Path(p) if p else None for p in (args.tls_ca, args.tls_cert, args.tls_key)))
    with connect(args.cluster, tls, insecure=args.insecure) as runner:
        yield runner


def cmd_portfolio(args: argparse.Namespace, passphrases: Passphrases) -> int:
    from westfall_legal.portfolio.review import review_portfolio
    from westfall_legal.portfolio.sheets import openpyxl
    from westfall_legal.settings import load

    openpyxl()  # the extra is missing: say so before asking for the passphrase
    out = Path(args.out)
    stream = None if args.quiet else sys.stderr
    with _runner(args) as runner, passphrases.open_store() as store:
        try:
            result = review_portfolio(
                Path(args.folder),
                store=store,
                matter=args.matter,
                out=out,
                settings=load(),
                runner=runner,
                retry_failed=args.retry_failed,
                stream=stream,
            )
        except KeyboardInterrupt:
            print(
                "\nwestfall: portfolio stopped; every document finished so far is kept. Run the "
                "same command again to carry on.",
                file=sys.stderr,
            )
            return ExitCode.CANCELLED
    failed = f"; {result.failed} with an error (the Error column)" if result.failed else ""
    print(
        f"portfolio: {result.documents} documents ({result.reviewed} reviewed now, "
        f"{result.already} before{failed}); wrote {result.xlsx}, {result.csv}, {result.html}"
    )
    return ExitCode.OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "portfolio",
        help="review a data room into one spreadsheet and dashboard (resumable)",
        description="Review every PDF, scan, image, Word and text file under FOLDER "
        "(recursively; identical files once) into MATTER, on all cores or a Dask cluster, "
        "and write portfolio.xlsx, portfolio.csv, portfolio.html and one HTML review per "
        "contract. Run the same command again to carry on after a stop. Needs the "
        'portfolio extra: pip install "westfall-legal[portfolio]".',
    )
    p.add_argument("folder", help="the data room: a folder of contracts (searched recursively)")
    p.add_argument("--matter", required=True, help="the matter that keeps the reviews")
    p.add_argument("--out", default="out/portfolio", help="output folder (default: %(default)s)")
    p.add_argument(
        "--workers", type=int, default=0, help="worker processes (default: one per core)"
    )
    p.add_argument(
        "--retry-failed", action="store_true", help="review again the documents that failed"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    p.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="a Dask scheduler, tls://HOST:PORT (plain tcp:// only on this machine)",
    )
    p.add_argument("--tls-ca", help="the CA certificate the cluster's certificates come from")
    p.add_argument("--tls-cert", help="this client's certificate (PEM)")
    p.add_argument("--tls-key", help="this client's private key (PEM)")
    p.add_argument(
        "--insecure",
        action="store_true",
        help="allow a plain-TCP cluster on another machine (contracts travel unencrypted)",
    )
    p.set_defaults(func=cmd_portfolio)
