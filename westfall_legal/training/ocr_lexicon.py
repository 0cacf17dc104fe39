"""Build the lexicon that OCR misreadings are repaired against (``ingest/ocr_repair.py``).

Two word lists go into ``westfall_legal/data/ocr/lexicon.tsv.gz``:

- **legal**: the words of CUAD's 400 training contracts (the fixed split of
  ``training.cuad.validation_split``) that occur in at least ``MIN_CONTRACTS`` of them, with
  their counts. A repaired word always becomes one of these. The floor keeps one contract's
  names and typos out: a word must be common to several contracts' drafting.
- **general**: the English words of SymSpell's frequency dictionary
  (``frequency_dictionary_en_82_765.txt`` in the ``symspellpy`` wheel, MIT licence; built by
  its authors from Google Books Ngram and SCOWL). A word on either list is never repaired:
  "starch", "tonne" or "gateways" are real words even where contracts rarely use them.

Run it from the repository root::

    pip download --no-deps symspellpy==6.10.1 -d /tmp/ss && unzip -o /tmp/ss/*.whl -d /tmp/ss
    python -m westfall_legal.training.ocr_lexicon --cuad ../shared/data/cuad \\
        --general /tmp/ss/symspellpy/frequency_dictionary_en_82_765.txt

The output is byte-for-byte the same for the same inputs (sorted, gzip without a time stamp),
and ``manifest.json`` beside it records both inputs' SHA-256 and the counts.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from westfall_legal import paths
from westfall_legal.errors import KnownError
from westfall_legal.training.cuad import read_gold, validation_split

MIN_CONTRACTS = 3  # a legal word is in at least this many training contracts
LEXICON_NAME = "lexicon.tsv.gz"
_WORD = re.compile(r"[A-Za-z]++")


def words_of(text: str) -> list[str]:
    """The lower-cased alphabetic words of ``text``."""
    return [w.lower() for w in _WORD.findall(text)]


def legal_counts(texts: Iterable[str], min_contracts: int = MIN_CONTRACTS) -> Counter[str]:
    """Counts of the words found in at least ``min_contracts`` of ``texts``."""
    counts: Counter[str] = Counter()
    contracts: Counter[str] = Counter()
    for text in texts:
        words = words_of(text)
        counts.update(words)
        contracts.update(set(words))
    return Counter({w: n for w, n in counts.items() if contracts[w] >= min_contracts})


def general_words(path: Path) -> set[str]:
    """The alphabetic words of a SymSpell frequency dictionary (``word count`` lines)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise KnownError(
            f"{path}: cannot read the general word list ({exc}).",
            hint="Give --general the frequency_dictionary_en_82_765.txt of the symspellpy wheel.",
        ) from exc
    words = {line.split(" ", 1)[0].lower() for line in lines if line.strip()}
    words = {w for w in words if w.isascii() and w.isalpha()}
    if len(words) < 10_000:
        raise KnownError(
            f"{path}: {len(words)} words; this is not SymSpell's English dictionary.",
            hint="Give --general the frequency_dictionary_en_82_765.txt of the symspellpy wheel.",
        )
    return words


def lexicon_bytes(legal: Counter[str], general: set[str]) -> bytes:
    """The gzipped TSV: ``word<TAB>legal count<TAB>1 if general else 0``, sorted by word."""
    lines = [f"{w}\t{legal.get(w, 0)}\t{int(w in general)}\n" for w in sorted(set(legal) | general)]
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as handle:
        handle.write("".join(lines).encode("ascii"))
    return buffer.getvalue()


def build(cuad: Path, general_path: Path, out: Path) -> dict[str, object]:
    """Write the lexicon and its manifest into ``out``; return the manifest."""
    gold = read_gold(cuad / "labels.dev.jsonl")
    train, _ = validation_split(gold)
    names = set(train)
    legal = legal_counts(
        c.txt_path.read_text(encoding="utf-8", errors="replace") for c in gold if c.name in names
    )
    general = general_words(general_path)
    data = lexicon_bytes(legal, general)
    out.mkdir(parents=True, exist_ok=True)
    paths.write_atomic(out / LEXICON_NAME, data)
    manifest: dict[str, object] = {
        "file": LEXICON_NAME,
        "sha256": hashlib.sha256(data).hexdigest(),
        "legal_words": len(legal),
        "general_words": len(general),
        "min_contracts": MIN_CONTRACTS,
        "legal_source": f"CUAD v1, the {len(names)} training contracts (CC BY 4.0)",
        "general_source": "symspellpy frequency_dictionary_en_82_765.txt (MIT)",
        "general_sha256": hashlib.sha256(general_path.read_bytes()).hexdigest(),
    }
    paths.write_json(out / "manifest.json", manifest, indent=2)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cuad", type=Path, required=True, help="CUAD v1 folder")
    parser.add_argument("--general", type=Path, required=True, help="SymSpell's dictionary")
    parser.add_argument(
        "--out", type=Path, default=Path("westfall_legal/data/ocr"), help="where to write"
    )
    args = parser.parse_args(argv)
    try:
        manifest = build(args.cuad, args.general, args.out)
    except KnownError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 4
    counts = f"{manifest['legal_words']} legal words, {manifest['general_words']} general words"
    print(f"{args.out / LEXICON_NAME}: {counts}, sha256 {str(manifest['sha256'])[:12]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
