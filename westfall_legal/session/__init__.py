"""The review session both front ends share: one document open for correction
(:mod:`.workspace`) and the rows its clause list shows (:mod:`.rows`). No Qt here.

Nothing is imported here, so that the light :mod:`.rows` loads without the pipeline.
"""
