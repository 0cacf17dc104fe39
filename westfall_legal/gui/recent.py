"""Where the reviewer's documents lie on disk, so a stored document can be opened again.

The store keeps a document's file name, never its folder. The workspace remembers each
document's path by its sha256 in ``gui-recent.sealed`` beside the store, sealed with the
store's own key, so the paths are as private as the store. A file that cannot be read back
(another store's, or damaged) is set aside and the list starts empty.
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
        self._paths: dict[str, str] = self._load()

    def _load(self) -> dict[str, str]:
        if not self.file.exists():
            return {}
        try:
            blob = base64.b64decode(self.file.read_text(encoding="ascii"))
            found = self._store.unseal(None, *_WHERE, blob)
            return {str(k): str(v) for k, v in dict(found).items()}
        except (OSError, ValueError, TypeError, KnownError) as exc:
            log.warning("recent documents list unreadable, starting afresh: %s", type(exc).__name__)
            return {}

    def remember(self, sha256: str, path: Path) -> None:
        self._paths.pop(sha256, None)
        self._paths[sha256] = str(path.resolve())
        while len(self._paths) > LIMIT:
            self._paths.pop(next(iter(self._paths)))
        sealed = self._store.seal(None, *_WHERE, self._paths)
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
