"""The data room walked: every document under a folder, recursively, identical files (by
sha256) grouped so that each is reviewed once, and the files that are no document."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from westfall_legal.errors import InputNotFoundError, UnsupportedFileError
from westfall_legal.hashing import sha256_file
from westfall_legal.ingest.formats import READ_SUFFIXES


@dataclass(frozen=True)
class Item:
    """One contract: its sha256, the first path it was found at (in sorted order), the
    other paths that hold the same bytes, and its size in bytes."""

    sha256: str
    path: Path
    size: int
    also: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A file under the folder that is not reviewed, and why (one line naming the file)."""

    path: Path
    why: str


@dataclass
class Scan:
    root: Path
    items: list[Item] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        return sum(len(item.also) for item in self.items)


def walk(root: Path) -> Iterator[Path]:
    """The files under ``root``, sorted, hidden files and folders left out, links not
    followed (a link out of the data room is not part of it)."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                path = Path(folder) / name
                if not path.is_symlink():
                    yield path


def scan(root: Path) -> Scan:
    """The documents under ``root``: one :class:`Item` per distinct content, in the order
    of their first path; every other file is :class:`Skipped` with the reason."""
    if not root.is_dir():
        raise InputNotFoundError(
            f"{root}: no such folder.", hint="Point `westfall portfolio` at the data room folder."
        )
    found = Scan(root)
    first: dict[str, tuple[Path, int]] = {}
    others: dict[str, list[Path]] = {}
    for path in walk(root):
        if path.suffix.lower() not in READ_SUFFIXES:
            why = UnsupportedFileError(f"{path}: unsupported file type {path.suffix or '(none)'}.")
            found.skipped.append(Skipped(path, why.user_line()))
            continue
        try:
            digest, size = sha256_file(path), path.stat().st_size
        except OSError as exc:
            found.skipped.append(Skipped(path, f"{path}: cannot be read ({exc.strerror})."))
            continue
        if digest in first:
            others.setdefault(digest, []).append(path)
        else:
            first[digest] = (path, size)
    for digest, (path, size) in first.items():
        found.items.append(Item(digest, path, size, tuple(others.get(digest, ()))))
    if not found.items:
        raise InputNotFoundError(
            f"{root}: no PDF, PNG, JPEG, TIFF, Word or text files in it or its subfolders.",
            hint="Point `westfall portfolio` at the data room folder.",
        )
    return found
