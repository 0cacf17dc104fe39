"""Fake engines for the tests: OCR (``fakes.ocr``) and the language model (``fakes.llm``).

Importable as ``fakes`` from any test: ``tests/`` is on ``sys.path`` (pytest puts the folder
of the root ``conftest.py`` there), and so it is in the worker processes the OCR fakes are
pickled into.
"""
