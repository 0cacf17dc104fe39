"""Language models without llama.cpp: a verifier with a fixed yes-probability that can fail
after N questions (``FakeLlm``), and a completer that answers from a script (``ScriptedModel``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from westfall_legal.errors import ModelError
from westfall_legal.progress import CancelToken


@dataclass
class FakeLlm:
    """A verifier (``llm.model.LanguageModel``) with a fixed P(Yes); it writes no summary."""

    adapter: Any
    p_yes: float = 0.2
    fail_after: int | None = None
    asked: int = 0
    entry: Any = None
    model_id: str = "fake-verifier"
    sha256: str = "0" * 64

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str] = (),
        on_token: Callable[[str], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> Done:
        raise ModelError("this fake only answers Yes/No questions.")

    def choice_probabilities(self, prompt: str, options: Sequence[str]) -> list[float]:
        assert list(options) == ["Yes", "No"] and "Is this clause a" in prompt
        self.asked += 1
        if self.fail_after is not None and self.asked > self.fail_after:
            raise ModelError("the language model took too long.")
        return [self.p_yes, 1 - self.p_yes]


@dataclass
class Done:
    text: str


class ScriptedModel:
    model_id = "fake"
    sha256 = "0" * 64

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers
        self.prompts: list[str] = []

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str] = (),
        on_token: Callable[[str], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> Done:
        self.prompts.append(prompt)
        clause = prompt.rsplit("Clause: ", 1)[1]
        answer = next(a for k, a in self.answers.items() if k in clause)
        if on_token is not None:
            for word in answer.split(" "):
                on_token(word)
        return Done(answer)
