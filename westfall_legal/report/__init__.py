"""A Review as the stable review JSON (``westfall.review/1``, :mod:`.data`) and as a
self-contained HTML page (:mod:`.page`)."""

from westfall_legal.report.data import (
    FIRST_USES,
    SCHEMA,
    dumps,
    review_json,
    summary_json,
    write_atomic,
)
from westfall_legal.report.page import review_html

__all__ = [
    "FIRST_USES",
    "SCHEMA",
    "dumps",
    "review_html",
    "review_json",
    "summary_json",
    "write_atomic",
]
