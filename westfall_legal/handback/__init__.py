"""Compare and hand back (DESIGN §11): two versions of a contract aligned clause by clause
(:mod:`.compare`, written out by :mod:`.redline`), and a review's findings and reviewer
comments as notes anchored on their clauses, for the Word copy handed back (:mod:`.notes`).

Pure: reviews and review JSON in, plain data out. Reading and writing Word files is the Word
adapter's (:mod:`westfall_legal.ingest.docx`).
"""
