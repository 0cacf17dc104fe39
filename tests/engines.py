"""Markers for tests that need an outside engine installed on the machine."""

from __future__ import annotations

import shutil

import pytest

TESSERACT = shutil.which("tesseract")
needs_tesseract = pytest.mark.skipif(
    TESSERACT is None,
    reason="Tesseract OCR is not installed (sudo apt-get install -y tesseract-ocr "
    "tesseract-ocr-eng tesseract-ocr-osd)",
)
