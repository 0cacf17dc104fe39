"""The Debian packages `make` installs cover what the desktop GUI needs on a real X display."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _apt_packages() -> set[str]:
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(r"^APT_PACKAGES :=((?:.*\\\n)*.*)$", makefile, re.MULTILINE)
    assert match, "no APT_PACKAGES line in the Makefile"
    return set(match.group(1).replace("\\\n", " ").split())


def test_make_installs_the_qt_xcb_libraries_the_packaging_notes_list() -> None:
    notes = " ".join((ROOT / "packaging" / "README.md").read_text().split())
    listed = re.search(r"Qt's X11 plugin links `([^`]+)`", notes)
    assert listed, "packaging/README.md no longer lists the xcb plugin's libraries"
    needed = set(listed.group(1).split())
    assert {"libxcb-cursor0", "libxkbcommon-x11-0"} <= needed
    missing = needed - _apt_packages()
    assert not missing, f"the Makefile's APT_PACKAGES lacks {sorted(missing)}"
