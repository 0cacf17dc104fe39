"""The desktop review workspace (PySide6): the only package that imports Qt.

It holds no business logic: reviews come from :func:`westfall_legal.pipeline.analyse`, what
the reviewers make of them is kept by :mod:`westfall_legal.store`, and long work runs in the
background through :mod:`westfall_legal.gui.tasks`.
"""
