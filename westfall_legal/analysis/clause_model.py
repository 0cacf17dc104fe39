"""The shipped clause model: CUAD's 41 categories per candidate clause, and contract type.

Two linear models over the features of :mod:`westfall_legal.analysis.features`, stored as
plain numpy arrays in one ``.npz`` (loaded with ``allow_pickle=False``: no code runs on
load) next to a ``manifest.json`` that records its sha256. Scores are logistic
probabilities, re-scored in their document's context for the categories where that paid
(:mod:`westfall_legal.analysis.context`); per-category document thresholds were chosen by
cross-validation.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from westfall_legal import paths
from westfall_legal.analysis.context import ContextModel
from westfall_legal.analysis.contract_types import TITLE_BOOST, title_types
from westfall_legal.analysis.features import (
    Vectoriser,
    candidate_counts,
    scores,
    term_counts,
    tokens,
)
from westfall_legal.errors import ModelError
from westfall_legal.hashing import sha256_file
from westfall_legal.models import ContractType

log = logging.getLogger(__name__)

MODEL_FILE = "model.npz"
MANIFEST_FILE = "manifest.json"
TYPE_HEAD_CHARS = 3000
TYPE_TITLE_CHARS = 400


def type_counts(text: str) -> Counter[str]:
    """Contract-type features: the opening (title, parties, recitals) and the whole text."""
    counts = term_counts(text[:TYPE_HEAD_CHARS])
    counts.update("t:" + w for w in tokens(text[:TYPE_TITLE_CHARS]))
    counts.update("d:" + w for w in tokens(text))
    return counts


def _sigmoid(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    out: npt.NDArray[np.float32] = (1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))).astype(np.float32)
    return out


def _softmax(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    z = np.exp(x - x.max())
    out: npt.NDArray[np.float32] = (z / z.sum()).astype(np.float32)
    return out


@dataclass
class ClauseModel:
    categories: list[str]
    clause_vec: Vectoriser
    clause_w: npt.NDArray[np.float32]  # (features, categories)
    clause_b: npt.NDArray[np.float32]
    thresholds: npt.NDArray[np.float32]  # per category: document-level decision
    type_labels: list[str]
    type_vec: Vectoriser
    type_w: npt.NDArray[np.float32]  # (features, types)
    type_b: npt.NDArray[np.float32]
    version: str = "clauses-v1"
    sha256: str = ""  # of the stored file, once saved or loaded
    context: ContextModel | None = None  # the second look, where training kept it

    def clause_probabilities(
        self, texts: Sequence[str], headings: Sequence[str]
    ) -> npt.NDArray[np.float32]:
        """(segments, categories) probabilities of the candidates of one document, in order."""
        if not texts:
            return np.zeros((0, len(self.categories)), np.float32)
        rows = self.clause_vec.rows(candidate_counts(texts, headings))
        probs = _sigmoid(scores(*rows, self.clause_w, self.clause_b))
        return self.context.rescore(probs) if self.context is not None else probs

    def contract_type(self, text: str) -> ContractType:
        """The classifier's type, with the types the title names boosted (``contract_types``)."""
        rows = self.type_vec.rows([type_counts(text)])
        probs = _softmax(scores(*rows, self.type_w, self.type_b)[0])
        named = title_types(text)
        boost = np.array([TITLE_BOOST if t in named else 1.0 for t in self.type_labels])
        probs = probs * boost / float(np.dot(probs, boost))
        best = int(np.argmax(probs))
        return ContractType(self.type_labels[best], round(float(probs[best]), 4))

    # -- storage -------------------------------------------------------------------------

    def save(self, folder: Path, extra: dict[str, object] | None = None) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / MODEL_FILE
        context: dict[str, Any] = {}
        if self.context is not None:
            context = {
                "context_w": self.context.weights,
                "context_b": self.context.bias,
                "context_on": self.context.active,
            }
        with path.open("wb") as fh:
            np.savez_compressed(
                fh,
                **context,
                categories=np.asarray(self.categories),
                clause_terms=np.asarray(_terms(self.clause_vec)),
                clause_idf=self.clause_vec.idf,
                clause_w=self.clause_w.astype(np.float16),
                clause_b=self.clause_b,
                thresholds=self.thresholds,
                type_labels=np.asarray(self.type_labels),
                type_terms=np.asarray(_terms(self.type_vec)),
                type_idf=self.type_vec.idf,
                type_w=self.type_w.astype(np.float16),
                type_b=self.type_b,
                version=np.asarray(self.version),
            )
        self.sha256 = sha256_file(path)
        manifest = {
            "id": self.version,
            "file": MODEL_FILE,
            "sha256": self.sha256,
            "size": path.stat().st_size,
            **(extra or {}),
        }
        paths.write_json(folder / MANIFEST_FILE, manifest, indent=2)
        return path

    @classmethod
    def load(cls, folder: Path) -> ClauseModel:
        path = folder / MODEL_FILE
        manifest_path = folder / MANIFEST_FILE
        hint = "Reinstall Westfall Legal, or rebuild it with `westfall train-clauses --cuad DIR`."
        if not path.exists() or not manifest_path.exists():
            raise ModelError(f"{folder}: the clause model is missing.", hint=hint)
        try:
            manifest = json.loads(manifest_path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{manifest_path}: unreadable model manifest.", hint=hint) from exc
        digest = sha256_file(path)
        if digest != manifest.get("sha256"):
            raise ModelError(f"{path}: the clause model does not match its manifest.", hint=hint)
        try:
            with np.load(path, allow_pickle=False) as z:
                return cls(
                    categories=[str(c) for c in z["categories"]],
                    clause_vec=Vectoriser(_vocab(z["clause_terms"]), z["clause_idf"]),
                    clause_w=z["clause_w"].astype(np.float32),
                    clause_b=z["clause_b"].astype(np.float32),
                    thresholds=z["thresholds"].astype(np.float32),
                    type_labels=[str(c) for c in z["type_labels"]],
                    type_vec=Vectoriser(_vocab(z["type_terms"]), z["type_idf"]),
                    type_w=z["type_w"].astype(np.float32),
                    type_b=z["type_b"].astype(np.float32),
                    version=str(z["version"]),
                    sha256=digest,
                    context=_context(z),
                )
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"{path}: the clause model is damaged.", hint=hint) from exc


def _context(z: np.lib.npyio.NpzFile) -> ContextModel | None:
    """The context re-scoring, when the stored model has one (models before it do not)."""
    if "context_w" not in z.files:
        return None
    return ContextModel(
        weights=z["context_w"].astype(np.float32),
        bias=z["context_b"].astype(np.float32),
        active=z["context_on"].astype(bool),
    )


def _terms(vec: Vectoriser) -> list[str]:
    terms = [""] * vec.size
    for term, index in vec.vocabulary.items():
        terms[index] = term
    return terms


def _vocab(terms: npt.NDArray[np.str_]) -> dict[str, int]:
    return {str(t): i for i, t in enumerate(terms)}
