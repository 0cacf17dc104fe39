"""CUAD candidates -> the encoder's training examples.

A candidate's input is its heading and its text, whitespace-normalised and cut to its first
words (the tokenizer cuts again at ``max_tokens``), built by the run time's own
``llm.encoder.candidate_input``. Labels are the dataset's own positive rule
(``training.dataset``): the same candidates and labels the n-gram model trains on.

Almost every candidate is a negative for every category, so training samples: every
candidate positive for some category, plus negatives at ``neg_ratio`` per positive, half of
them hard (candidates today's n-gram model scores at or above ``HARD_FLOOR`` in some
category while the gold says none) and half drawn at random.

The 400 training contracts are split by a hash of their name into the contracts the encoder
is fitted on and a held-out slice: the stacked combination and its thresholds are fitted on
the held-out slice's scores, which no encoder weight has seen (fine-tuning k times is too
costly on a CPU). The validation split is never read here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from westfall_legal.categories import CATEGORIES
from westfall_legal.llm.encoder import candidate_input
from westfall_legal.training.dataset import ContractRecord
from westfall_legal.training.encoder.kfold_train import (
    HARD_FLOOR,
    any_label,
    pos_weight,
    sample_rows,
)

__all__ = ["HARD_FLOOR", "Examples", "examples", "held_out", "pos_weight", "sample"]


def held_out(name: str, every: int = 4) -> bool:
    """Whether a training contract belongs to the held-out slice (a fixed quarter)."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % every == 0


@dataclass(frozen=True)
class Examples:
    texts: list[str]
    labels: npt.NDArray[np.bool_]  # (candidates, categories)
    contract: npt.NDArray[np.int32]  # index of the candidate's record

    def __len__(self) -> int:
        return len(self.texts)


def examples(records: Sequence[ContractRecord]) -> Examples:
    """Every candidate of ``records``, in order, with its input string and labels."""
    index = {c: j for j, c in enumerate(CATEGORIES)}
    texts: list[str] = []
    rows: list[npt.NDArray[np.bool_]] = []
    owner: list[int] = []
    for i, record in enumerate(records):
        for (start, end, heading), labels in zip(record.segments, record.labels, strict=True):
            texts.append(candidate_input(heading, record.text[start:end]))
            row = np.zeros(len(CATEGORIES), np.bool_)
            for category in labels:
                if category in index:
                    row[index[category]] = True
            rows.append(row)
            owner.append(i)
    labels_matrix = np.stack(rows) if rows else np.zeros((0, len(CATEGORIES)), np.bool_)
    return Examples(texts, labels_matrix, np.asarray(owner, np.int32))


def sample(
    ex: Examples,
    ngram_scores: npt.NDArray[np.float32] | None,
    *,
    neg_ratio: float,
    seed: int,
) -> npt.NDArray[np.int64]:
    """Indices of the candidates to train on, shuffled (see the module docstring)."""
    positive = any_label(ex.labels)
    hard = np.zeros(len(positive), np.bool_)
    if ngram_scores is not None and len(ngram_scores):
        hard = np.asarray(ngram_scores.max(axis=1) >= HARD_FLOOR, dtype=np.bool_)
    return sample_rows(positive, hard, neg_ratio, seed)
