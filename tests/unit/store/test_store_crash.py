"""A process killed with SIGKILL in the middle of a batch of corrections loses no committed
correction and leaves a store that opens and verifies (many kills, at random moments)."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_helpers import PASSPHRASE, populate

from westfall_legal.store import Store

CHILD = """
import sys
from pathlib import Path
from westfall_legal.store import Store

path, doc, passphrase = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
categories = ["Insurance", "Audit Rights", "Governing Law"]
with Store.open(passphrase, path) as store:
    fix = store.corrections
    print("ready", flush=True)
    for n in range(100000):
        kind = n % 4
        if kind == 0:
            made = fix.comment(doc, f"note {n}", reviewer="Crash Test")
        elif kind == 1:
            made = fix.relabel(doc, "c3", categories[n % 3], reviewer="Crash Test")
        elif kind == 2:
            made = fix.accept(doc, "c2", reviewer="Crash Test")
        else:
            made = fix.undo(doc, reviewer="Crash Test")
        print(made.id, flush=True)  # after the commit: this one must survive
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_batch_loses_no_committed_correction(store: Store, store_path: Path) -> None:
    _, saved = populate(store)
    doc = saved.document.id
    store.close()
    script = store_path.with_name("child.py")
    script.write_text(CHILD)
    rng = random.Random(20251129)
    reported: list[str] = []
    for _ in range(20):
        child = subprocess.Popen(
            [sys.executable, str(script), str(store_path), doc, PASSPHRASE],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.2))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL
        reported += child.stdout.read().split()
        child.stdout.close()
        with Store.open(PASSPHRASE, store_path) as after:
            stored = {c.id for c in after.corrections.history(doc)}
            assert set(reported) <= stored
            after.audit.verify()
            after.corrections.state(doc)
    assert len(reported) > 20  # the kills did land in the middle of real work
