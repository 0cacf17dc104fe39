"""The structure labels follow their own text when a reading-order change shifts offsets."""

from __future__ import annotations

from westfall_legal.training import structure_gold
from westfall_legal.training.structure_gold import Found, anchor

OLD = "Party A\n\nBy:\nBy:\nName\n\n" + "x" * 50 + "\nBy:\nBy:\nName\n"
# a clause number joined to its line upstream: everything after it moves on by 6
NEW = "1.1 A\nParty A\n\nBy:\nBy:\nName\n\n" + "x" * 50 + "\nBy:\nBy:\nName\n"


def rows(text: str, status: str = "unsigned") -> list[dict[str, object]]:
    starts = [i for i in range(len(text)) if text.startswith("By:", i)]
    return [{"text": "By:", "char_start": s, "status": status} for s in starts]


def test_labels_move_onto_the_same_lines_in_the_shifted_text() -> None:
    labels = rows(OLD)
    moved = anchor(labels, NEW)
    assert [r["char_start"] for r in moved] == [r["char_start"] for r in rows(NEW)]
    assert [r["char_start"] for r in labels] != [r["char_start"] for r in moved]
    # unchanged text: unchanged offsets
    assert anchor(labels, OLD) == labels


def test_a_label_whose_text_is_gone_keeps_its_offset() -> None:
    label = {"text": "Signature:", "char_start": 3, "status": "unsigned"}
    assert anchor([label], NEW) == [label]


def test_an_unsigned_block_is_scored_on_the_anchored_labels() -> None:
    blocks = [(s, s + 12) for s in [r["char_start"] for r in rows(NEW)][::2]]
    found = Found(dangling=(), unsigned=tuple(blocks), text=NEW)
    labels = {"references": [], "signature_blocks": rows(OLD)}
    figures = structure_gold.score("f.pdf", labels, found).figures()
    assert figures["unsigned_precision"] == 1.0 and figures["unsigned_recall"] == 1.0
    # without the text the old offsets miss the blocks, as they did before anchoring
    stale = structure_gold.score("f.pdf", labels, Found((), tuple(blocks))).figures()
    assert stale["unsigned_recall"] != 1.0
