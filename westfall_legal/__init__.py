"""Westfall Legal: offline contract review."""

__version__ = "0.1.0"
