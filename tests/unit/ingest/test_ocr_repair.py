"""The repair of OCR misreadings against the lexicon (ingest/ocr_repair.py), and the
lexicon's build (training/ocr_lexicon.py)."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from westfall_legal.errors import KnownError
from westfall_legal.ingest import ocr_repair
from westfall_legal.ingest.ocr_repair import Lexicon, repair_token, repair_words
from westfall_legal.models import Word
from westfall_legal.pipeline import Engines
from westfall_legal.settings import Settings
from westfall_legal.training import ocr_lexicon


def fix(token: str, page: str = "") -> str:
    return repair_token(token, ocr_repair.default_lexicon(), Counter(page.lower().split()))


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("shail", "shall"),
        ("cach", "each"),
        ("thercof", "thereof"),
        ("Agreerent.", "Agreement."),  # punctuation kept
        ("DEVELCPMENT", "DEVELOPMENT"),  # case carried over
        ("Seetion", "Section"),
        ("shal]", "shall"),  # a closing bracket read for an l
        ("sha!l", "shall"),
        ("al!", "all"),
        ("\u201cSCCPE", "\u201cSCOPE"),
        ("Contridutions", "Contributions"),
        ("defmed", "defined"),  # "in" read as "m"
    ],
)
def test_a_misread_word_is_repaired(read: str, meant: str) -> None:
    assert fix(read) == meant


@pytest.mark.parametrize(
    "word",
    [
        "shall",  # a legal word
        "starch",  # a general English word contracts rarely use
        "tonne",
        "gateways",
        "(ii)",  # never a bracket read for an l after an opening one
        "No.",
        "te",  # too short to tell
        "DLL",  # an acronym
        "5.1.",
        "$5,09C",  # a digit: amounts are never touched
        "Karakudux",  # nothing near enough
        "Agent's",
        "non-compete",
        "biopharmaceuticals",  # the plural of a legal word
        "anda",  # "and a" run together: too short for two changes, and never the last letter
    ],
)
def test_what_is_not_a_misreading_is_left_alone(word: str) -> None:
    assert fix(word) == word


def test_a_word_read_twice_on_the_page_is_a_name_not_a_misreading() -> None:
    assert fix("Imprimis", "Imprimis shall Imprimis") == "Imprimis"
    assert fix("Jocal") == "Local"
    assert fix("Jocal", "Jocal Jocal") == "Jocal"


def test_no_clear_winner_changes_nothing() -> None:
    lexicon = Lexicon({"bat": 500, "cat": 500, "hat": 20}, frozenset())
    assert repair_token("zat", lexicon, Counter()) == "zat"
    assert repair_token("cet", lexicon, Counter()) == "cat"  # e/a look alike: the cheaper edit
    rare = Lexicon({"clause": 5}, frozenset())
    assert repair_token("c1ause", rare, Counter()) == "c1ause"  # a digit
    assert repair_token("clausc", rare, Counter()) == "clausc"  # seen too rarely


def test_repair_words_keeps_boxes_and_confidence_and_counts() -> None:
    words = [
        Word("The", (0, 0, 10, 5), block=1, line=1, conf=96.0),
        Word("Seller", (11, 0, 30, 5), block=1, line=1, conf=95.0),
        Word("shail", (31, 0, 45, 5), block=1, line=1, conf=44.0),
        Word("deliver", (46, 0, 70, 5), block=1, line=1, conf=93.0),
    ]
    out, repaired = repair_words(words)
    assert repaired == 1
    assert [w.text for w in out] == ["The", "Seller", "shall", "deliver"]
    assert out[2].box == words[2].box and out[2].conf == 44.0 and out[2].line == 1
    assert out[0] is words[0]


def test_the_shipped_lexicon_matches_its_manifest() -> None:
    folder = Path(ocr_repair.__file__).parents[1] / "data" / "ocr"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    data = (folder / manifest["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == manifest["sha256"]
    lexicon = ocr_repair.load_lexicon(folder)
    assert len(lexicon.legal) == manifest["legal_words"]
    assert len(lexicon.general) == manifest["general_words"]
    assert lexicon.legal["shall"] > 10_000


def test_a_damaged_or_missing_lexicon_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="OCR lexicon cannot be read") as missing:
        ocr_repair.load_lexicon(tmp_path)
    assert str(tmp_path) in str(missing.value) and "Reinstall" in missing.value.hint
    data = ocr_lexicon.lexicon_bytes(Counter({"shall": 30}), {"shall"})
    (tmp_path / "lexicon.tsv.gz").write_bytes(data[:-4] + b"\0\0\0\0")
    manifest = {"file": "lexicon.tsv.gz", "sha256": hashlib.sha256(data).hexdigest()}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(KnownError, match="SHA-256"):
        ocr_repair.load_lexicon(tmp_path)
    (tmp_path / "lexicon.tsv.gz").write_bytes(data)
    assert ocr_repair.load_lexicon(tmp_path).legal == {"shall": 30}
    manifest["file"] = "../lexicon.tsv.gz"
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(KnownError, match="not a file name"):
        ocr_repair.load_lexicon(tmp_path)


def test_legal_words_need_several_contracts() -> None:
    texts = ["The Seller shall deliver. Zorbex", "The Buyer shall pay.", "The parties shall."]
    counts = ocr_lexicon.legal_counts(texts, min_contracts=3)
    assert counts == Counter({"the": 3, "shall": 3})


def test_the_lexicon_file_is_the_same_bytes_for_the_same_words() -> None:
    one = ocr_lexicon.lexicon_bytes(Counter({"shall": 3, "the": 9}), {"the", "starch"})
    two = ocr_lexicon.lexicon_bytes(Counter({"the": 9, "shall": 3}), {"starch", "the"})
    assert one == two
    assert gzip.decompress(one).decode() == "shall\t3\t0\nstarch\t0\t1\nthe\t9\t1\n"


def test_a_general_list_that_is_not_symspell_is_refused(tmp_path: Path) -> None:
    small = tmp_path / "words.txt"
    small.write_text("the 100\nof 50\n", encoding="utf-8")
    with pytest.raises(KnownError, match="not SymSpell"):
        ocr_lexicon.general_words(small)


def test_the_setting_turns_the_repair_off() -> None:
    assert Engines().ocr_engine(Settings()).repair  # type: ignore[attr-defined]
    engine = Engines().ocr_engine(Settings(ocr_repair=False))
    assert not engine.repair  # type: ignore[attr-defined]
    other = Engines().ocr_engine(Settings(ocr_language="eng+deu"))
    assert not other.repair  # type: ignore[attr-defined]  # an English lexicon only
