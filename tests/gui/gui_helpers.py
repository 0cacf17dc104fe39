"""Constants and helpers the GUI tests share."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from westfall_legal.gui.main_window import MainWindow
from westfall_legal.store import KdfParams

PASSPHRASE = "correct horse battery staple"
REVIEWER = "A. Reviewer"
SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
SAMPLE = SAMPLES / "master_services_agreement.pdf"
SCAN = SAMPLES / "master_services_agreement_scanned.pdf"
FAST_KDF = KdfParams(algorithm="argon2id", salt="", iterations=1, lanes=1, memory_cost=8)
REVIEW_TIMEOUT_MS = 120_000


def review(qtbot: QtBot, window: MainWindow, path: Path, password: str | None = None) -> None:
    """Open ``path`` and wait until its review is shown (or has failed)."""
    with qtbot.waitSignal(window.reviewFinished, timeout=REVIEW_TIMEOUT_MS):
        window.open_file(path, password)
