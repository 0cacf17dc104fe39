"""Benchmarks of Westfall Legal: each module runs as ``python -m benchmarks.NAME [--quick]``
(``make bench`` runs them all quickly) and ends with ``_report.report``."""
