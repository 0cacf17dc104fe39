"""Where the reviewer's documents lie on disk, so a stored document can be opened again, and
the zoom each was last read at.

The store keeps a document's file name, never its folder. The workspace remembers each
document's path (and zoom) by its sha256 in ``gui-recent.sealed`` beside the store, sealed
with the store's own key, so the paths are as private as the store. A file that cannot be
read back (another store's, or damaged) is set aside and the list starts empty. A file of
the first format (paths only) is read as it is.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from westfall_legal.errors import KnownError
from westfall_legal.paths import write_atomic

if TYPE_CHECKING:
    from westfall_legal.store import Store

log = logging.getLogger(__name__)

FILE_NAME = "gui-recent.sealed"
LIMIT = 50
_WHERE = ("gui", "recent", "paths")  # what the seal is bound to


class RecentPaths:
    def __init__(self, store: Store) -> None:
        self._store = store
        self.file = store.path.parent / FILE_NAME
        self._paths: dict[str, str] = {}
        self._zooms: dict[str, float] = {}  # 0.0: fit width
        self._load()

    def _load(self) -> None:
        if not self.file.exists():
            return
        try:
            blob = base64.b64decode(self.file.read_text(encoding="ascii"))
            found = dict(self._store.unseal(None, *_WHERE, blob))
            paths = found.get("paths", found)  # the first format: {sha256: path}
            zooms = found.get("zoom", {})
            self._paths = {str(k): str(v) for k, v in dict(paths).items()}
            self._zooms = {str(k): float(v) for k, v in dict(zooms).items() if k in self._paths}
        except (OSError, ValueError, TypeError, KnownError) as exc:
            log.warning("recent documents list unreadable, starting afresh: %s", type(exc).__name__)
            self._paths, self._zooms = {}, {}

    def remember(self, sha256: str, path: Path) -> None:
        self._paths.pop(sha256, None)
        self._paths[sha256] = str(path.resolve())
        while len(self._paths) > LIMIT:
            oldest = next(iter(self._paths))
            del self._paths[oldest]
            self._zooms.pop(oldest, None)
        self._save()

    def remember_zoom(self, sha256: str, zoom: float | None) -> None:
        """The zoom ``sha256`` was read at (None: fitted to the width)."""
        if sha256 in self._paths and self._zooms.get(sha256) != (zoom or 0.0):
            self._zooms[sha256] = zoom or 0.0
            self._save()

    def zoom_for(self, sha256: str) -> float | None:
        """The zoom a document was last read at (0.0: fitted to the width; None: unknown)."""
        return self._zooms.get(sha256)

    def _save(self) -> None:
        sealed = self._store.seal(None, *_WHERE, {"paths": self._paths, "zoom": self._zooms})
        try:
            write_atomic(self.file, base64.b64encode(sealed).decode("ascii"))
        except OSError as exc:  # the list is a convenience: the review itself is stored
            log.warning("cannot save the recent documents list: %s", exc.strerror)

    def path_for(self, sha256: str) -> Path | None:
        found = self._paths.get(sha256)
        return Path(found) if found else None

    def paths(self) -> list[Path]:
        """The remembered files, the most recently opened first."""
        return [Path(p) for p in reversed(self._paths.values())]
