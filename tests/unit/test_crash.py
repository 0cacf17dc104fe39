"""Crash reports (the GUI's dialog and the CLI's per-file boundary): code places, no text."""

from __future__ import annotations

from pathlib import Path

from westfall_legal.crash import save_crash_report


def test_a_crash_report_is_saved_in_the_data_folder_without_the_message(app_home: Path) -> None:
    try:
        raise ValueError("the Supplier's liability is capped at fees paid")
    except ValueError as exc:
        saved = save_crash_report(exc, versions="Toolkit 1.2")
    assert saved is not None and saved.parent == app_home / "crash-reports"
    text = saved.read_text()
    assert "Toolkit 1.2" in text and "builtins.ValueError (message left out)" in text
    assert "test_crash.py" in text and "liability" not in text
