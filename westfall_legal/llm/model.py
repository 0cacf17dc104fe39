"""What a review needs of a language model (:class:`LanguageModel`): the summary's completion
(:class:`~westfall_legal.llm.summary.TextModel`), the verifier's Yes/No probabilities, and the
entries it was loaded from. ``LlmEngine`` is one; the tests' fakes only have to look like one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from westfall_legal.llm.registry import ModelEntry
from westfall_legal.llm.summary import TextModel


class LanguageModel(TextModel, Protocol):
    entry: ModelEntry  # the base model (the paraphrase gate reads its measurement)
    adapter: ModelEntry | None  # the LoRA adapter, when one is active (the verifier needs it)

    def choice_probabilities(self, prompt: str, options: Sequence[str]) -> list[float]:
        """The probability of each option as the next answer, normalised over them."""
        ...
