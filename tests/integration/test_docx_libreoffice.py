"""The numbers Westfall Legal computes for a Word draft are the numbers LibreOffice shows.

LibreOffice (``soffice --headless --convert-to pdf``) lays the draft out with its own
numbering engine; the PDF's text is read back with the app's PDF reader, and each numbered
paragraph's number must stand right before its first words there. LibreOffice shows tracked
changes instead of accepting them, and marks the numbers of changed paragraphs ("12.2[12.3]"),
so both sides read a copy with the tracked-change markup taken out (insertions kept,
deletions dropped). Skipped where LibreOffice is not installed.

LibreOffice 7.4 (Debian 12's) ignores two numbering properties that Word honours (ECMA-376
17.9.4 isLgl, Word's "Legal style numbering"; 17.9.11 lvlRestart, Word's "Restart list
after"): it shows "Section I.01" for Word's "Section 1.01" and restarts "(A)" after a
level that lvlRestart says does not restart it. The features draft's test accepts either
reading for exactly those paragraphs and requires every other number to agree.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.docx_samples import features_bytes, sample_bytes, write
from westfall_legal.ingest.document import load_document
from westfall_legal.ingest.docx import read_docx
from westfall_legal.layout.text import build_text
from westfall_legal.models import WordDraft

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)",
)
KEY = 24  # characters of a paragraph's first words looked for in LibreOffice's text


_DROPPED = re.compile(
    rb"<w:del\b[^>]*/>|<w:del\b[^>]*>.*?</w:del>|<w:moveFrom\b[^>]*>.*?</w:moveFrom>", re.S
)
_UNWRAPPED = re.compile(rb"</?w:(?:ins|moveTo)\b[^>]*>")


def _accepted(data: bytes) -> bytes:
    """A .docx with its tracked changes' markup taken out: insertions and moves kept as
    plain text, deletions (and deleted paragraph marks) gone."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = source.read(info)
            if info.filename == "word/document.xml":
                member = _UNWRAPPED.sub(b"", _DROPPED.sub(b"", member))
            target.writestr(info, member)
    return out.getvalue()


def _rendered(docx: Path, tmp_path: Path) -> str:
    """LibreOffice's PDF of ``docx``, read back as one line of text (bullets as "•")."""
    assert SOFFICE is not None
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    pdf = tmp_path / f"{docx.stem}.pdf"
    text = build_text(load_document(pdf)).text
    text = "".join("•" if 0xF000 <= ord(ch) <= 0xF0FF else ch for ch in text)
    return " ".join(text.split())


def numbering_agreement(
    draft: WordDraft, rendered: str, known: dict[str, set[str]] | None = None
) -> tuple[int, list[str]]:
    """How many numbered paragraphs LibreOffice shows with the same number, and the others
    (number, what LibreOffice shows before the paragraph's words). ``known``: numbers that
    LibreOffice may also show another way (see the module's docstring)."""
    agreed, differ = 0, []
    cursor = 0
    for p in draft.paragraphs:
        if not p.number:
            continue
        text = draft.text[p.char_start : p.char_end]
        words = " ".join(text[len(p.number) :].split())[:KEY]
        at = rendered.find(words, cursor)
        before = rendered[max(cursor, at - 40) : at].rstrip() if at >= 0 else "(not found)"
        shown = {p.number, *(known or {}).get(p.number, ())}
        if at >= 0 and any(before.endswith(number) for number in shown):
            agreed += 1
            cursor = at + len(words)
        else:
            differ.append(f"{p.number} != {before[-20:]!r}")
    return agreed, differ


def test_the_sample_draft_is_numbered_as_libreoffice_numbers_it(tmp_path: Path) -> None:
    path = write(tmp_path, "msa.docx", _accepted(sample_bytes()))
    draft = read_docx(path)
    assert not draft.revisions
    agreed, differ = numbering_agreement(draft, _rendered(path, tmp_path))
    assert not differ, differ
    assert agreed == 197  # every number: articles, sections, (a), (i), recitals, schedules


def test_legal_bullet_and_style_numbering_as_libreoffice_shows_it(tmp_path: Path) -> None:
    """isLgl ("Section 1.01" under "ARTICLE I"), numbering from paragraph styles, lvlRestart,
    a symbol-font bullet and a list that starts at v)."""
    path = write(tmp_path, "features.docx", _accepted(features_bytes()))
    draft = read_docx(path)
    legal = {
        f"Section {a}.0{b}": {f"Section {r}.0{b}"} for a, r in ((1, "I"), (2, "II")) for b in (1, 2)
    }
    known = {**legal, "(C)": {"(A)"}}  # LibreOffice 7.4: no isLgl, no lvlRestart
    agreed, differ = numbering_agreement(draft, _rendered(path, tmp_path), known)
    assert not differ, differ
    assert agreed == len([p for p in draft.paragraphs if p.number]) == 13
