"""Portfolio review (due diligence): every contract under a folder becomes one row of a
spreadsheet and a point on a dashboard, reviewed on all cores or on a Dask cluster,
resumable after a crash.

- :mod:`.scan`: the folder walked recursively, documents identical by sha256 grouped;
- :mod:`.task`: the one per-document job (runs in a worker process or on a Dask worker);
- :mod:`.record`: the parent's side: each outcome kept in the encrypted matter, its HTML
  review written, and the journal line that lets a later run carry on;
- :mod:`.run`: the process pool and the progress line; :mod:`.cluster`: the same on Dask;
- :mod:`.rows`: one row per contract, read back from the store;
- :mod:`.sheets` (xlsx, csv) and :mod:`.dashboard` (the self-contained HTML page).

Only the parent process opens the store: workers get a document's bytes or path and the
settings, never a passphrase or a key, and hand back the review JSON.
"""
