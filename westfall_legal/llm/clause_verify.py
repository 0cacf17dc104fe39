"""The clause-labelling prompts the legal adapter is trained on and asked with.

One format serves three places, so they cannot drift apart: the feedback bundle's
``train/sft.jsonl`` rows (chat messages), the fine-tune that turns those rows into token
sequences, and the verifier that asks the adapted model whether a clause belongs to a
category. The clause comes before the question, so the questions about one clause share
its evaluated prefix in llama.cpp and each further category costs only a dozen tokens.

Gemma has no system role: the system text opens the user turn, as Gemma's own chat
template does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from westfall_legal.llm.model import LanguageModel

SYSTEM_PROMPT = (
    "You label clauses of commercial contracts with the 41 CUAD categories. Answer with the "
    "category name only, or with Yes or No when asked a yes/no question."
)
CLAUSE_CHARS = 1500
END_OF_TURN = "<end_of_turn>"
YES, NO = "Yes", "No"


def clause_text(text: str) -> str:
    return " ".join(text.split())[:CLAUSE_CHARS]


def yes_no_question(text: str, category: str) -> str:
    return f"Clause: {clause_text(text)}\n\nIs this clause a {category} clause? Answer Yes or No."


_YES_NO = re.compile(r"Is this clause a (.+) clause\? Answer Yes or No\.$")


def asked_category(question: str) -> str | None:
    """The category a :func:`yes_no_question` asks about; None for any other question."""
    found = _YES_NO.search(question)
    return found.group(1) if found else None


def asked_clause(prompt: str) -> str:
    """The clause text a question (or its turn prompt) quotes, as :func:`clause_text` wrote it."""
    return prompt.split("Clause: ", 1)[-1].split("\n\n", 1)[0]


def category_question(text: str) -> str:
    return f"Clause: {clause_text(text)}\n\nWhich CUAD category is this clause?"


def chat(user: str, answer: str) -> dict[str, Any]:
    """One chat example in the bundle's ``train/sft.jsonl`` form."""
    return {
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user},
            {"role": "assistant", "content": answer},
        ]
    }


def turn_prompt(system: str, user: str) -> str:
    """The Gemma turn text that precedes the model's answer."""
    opening = f"{system}\n\n{user}" if system else user
    return f"<start_of_turn>user\n{opening}{END_OF_TURN}\n<start_of_turn>model\n"


def prompt_and_answer(messages: Sequence[dict[str, Any]]) -> tuple[str, str]:
    """A chat example as (prompt, answer): the answer is the last assistant message, which
    the fine-tune learns followed by the end-of-turn token."""
    roles = [m.get("role") for m in messages]
    if not roles or roles[-1] != "assistant" or "user" not in roles:
        raise ValueError("a chat example needs a user message and ends with the answer")
    system = "\n".join(str(m["content"]) for m in messages if m["role"] == "system")
    user = "\n\n".join(str(m["content"]) for m in messages[:-1] if m["role"] == "user")
    return turn_prompt(system, user), str(messages[-1]["content"]) + END_OF_TURN


def yes_probability(engine: LanguageModel, text: str, category: str) -> float:
    """P(Yes) from the (adapted) model that ``text`` is a ``category`` clause, normalised over
    Yes and No."""
    prompt = turn_prompt(SYSTEM_PROMPT, yes_no_question(text, category))
    return engine.choice_probabilities(prompt, [YES, NO])[0]
