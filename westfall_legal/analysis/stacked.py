"""The n-gram model and the fine-tuned encoder, stacked: one score per candidate and category.

Per category, a logistic regression over the n-gram model's probability (after its context
re-scoring) and the encoder's, both as logits, fitted with its own document thresholds on
scores of training contracts neither model saw (``training.encoder.stack``). The encoder
runs only on candidates the n-gram model gives at least ``floor`` in some category (the rest
keep their n-gram scores): the recall that costs is measured there.

Pure numpy: the encoder comes in as a function, so the analysis column never imports llm.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from westfall_legal.analysis.clause_model import ClauseModel
from westfall_legal.errors import KnownError, ModelError
from westfall_legal.models import ContractType

log = logging.getLogger(__name__)
Scores = npt.NDArray[np.float32]
EncoderFn = Callable[[Sequence[str], Sequence[str]], Scores]
STACK_FILE = "stack.npz"
_EPS = 1e-5


def logit(p: Scores) -> Scores:
    q = np.clip(p, _EPS, 1 - _EPS)
    out: Scores = np.log(q / (1 - q)).astype(np.float32)
    return out


@dataclass(frozen=True)
class Stack:
    weights: Scores  # (categories, 3): n-gram logit, encoder logit, bias
    thresholds: Scores  # (categories,) document thresholds on the stacked score
    floor: float  # the n-gram score below which the encoder is not asked

    def combine(self, ngram: Scores, encoder: Scores) -> Scores:
        z = logit(ngram) * self.weights[:, 0] + logit(encoder) * self.weights[:, 1]
        z = z + self.weights[:, 2]
        out: Scores = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
        return out

    def save(self, folder: Path) -> Path:
        path = folder / STACK_FILE
        np.savez(path, weights=self.weights, thresholds=self.thresholds,
                 floor=np.float32(self.floor))  # fmt: skip
        return path

    @classmethod
    def load(cls, path: Path, categories: int) -> Stack:
        try:
            with np.load(path, allow_pickle=False) as z:
                stack = cls(z["weights"].astype(np.float32), z["thresholds"].astype(np.float32),
                            float(z["floor"]))  # fmt: skip
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"{path}: the stacked model is unreadable ({exc}).") from None
        if stack.weights.shape != (categories, 3) or stack.thresholds.shape != (categories,):
            raise ModelError(f"{path}: the stacked model does not fit the clause model.")
        return stack


def encoder_scores(
    base: Scores, texts: Sequence[str], headings: Sequence[str], encoder: EncoderFn, floor: float
) -> tuple[Scores, int]:
    """The encoder's scores of the candidates the n-gram model (``base``) gives at least
    ``floor`` in some category; the others keep their n-gram scores (the encoder is taken
    to agree). Also returns how many candidates the encoder scored."""
    ask = np.flatnonzero(base.max(axis=1) >= floor).tolist() if len(base) else []
    scores = base.copy()
    if ask:
        scores[ask] = encoder([texts[i] for i in ask], [headings[i] for i in ask])
    return scores, len(ask)


class StackedClauseModel:
    """A :class:`ClauseModel` stand-in for ``classify``: its categories and contract type,
    the stacked scores and thresholds."""

    def __init__(self, ngram: ClauseModel, encoder: EncoderFn, stack: Stack, label: str) -> None:
        self.ngram = ngram
        self.encoder = encoder
        self.stack = stack
        self.categories = ngram.categories
        self.thresholds = stack.thresholds
        self.type_labels = ngram.type_labels
        self.version = f"{ngram.version}+{label}"
        self.sha256 = ngram.sha256
        self.asked = 0  # candidates the encoder scored in the last call
        self.failure: str | None = None  # why the last call fell back to the n-gram model

    def clause_probabilities(self, texts: Sequence[str], headings: Sequence[str]) -> Scores:
        """Stacked scores; when the encoder fails, the n-gram model's own scores, with its
        own thresholds, and ``failure`` says why (the review records it, and goes on)."""
        self.failure, self.thresholds = None, self.stack.thresholds
        base = self.ngram.clause_probabilities(texts, headings)
        if not len(base):
            return base
        try:
            encoder, self.asked = encoder_scores(
                base, texts, headings, self.encoder, self.stack.floor
            )
        except KnownError as exc:
            self.failure = f"clause encoder failed, n-gram model alone: {exc.user_line()}"
            log.warning("%s", self.failure)
            self.thresholds = self.ngram.thresholds
            return base
        return self.stack.combine(base, encoder)

    def contract_type(self, text: str) -> ContractType:
        return self.ngram.contract_type(text)
