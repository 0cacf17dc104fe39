"""The review summary: facts and findings stated by rule, key sections quoted.

Built per section and then combined. Every sentence carries the clause ids it rests on and
says where it came from: ``rule`` sentences are fixed text over the extracted facts and the
playbook's findings, or a quotation picked by rule; ``llm`` sentences were chosen by the
local model under a versioned prompt. The review is complete without them.

Two modes (``Settings.summary_mode``). ``quote`` (the default, and the only one a model
that has not passed the faithfulness gate may use): the model picks the operative words of
a section's key clause and cuts what surrounds them; its answer is kept only if it passes
the quotation check (``quote.check_quote``), and is shown cut from the clause itself, with
the number and title of the section that holds it. When the answer fails, the clause's
best operative sentence picked by rule takes its place, so every key section gets a line.
``paraphrase``: the model rewrites the clause in one sentence, which is kept only if it is
grounded and the faithfulness checker finds nothing wrong in it.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from westfall_legal import paths
from westfall_legal.analysis.playbook import full_number
from westfall_legal.errors import ModelError
from westfall_legal.llm.quote import (
    MIN_RUN,
    Quote,
    check_quote,
    operative_quote,
    section_at,
    tokens,
)
from westfall_legal.models import (
    Clause,
    ContractType,
    Fact,
    Finding,
    Section,
    Sentence,
    Summary,
)
from westfall_legal.progress import CancelToken, ProgressCallback, ProgressEvent, no_progress

log = logging.getLogger(__name__)

# What reviewers ask for most: sections holding these clauses are summarised first.
KEY_CATEGORIES = (
    "Governing Law", "Termination For Convenience", "Cap On Liability", "Uncapped Liability",
    "Anti-Assignment", "Change Of Control", "Non-Compete", "Exclusivity",
    "Ip Ownership Assignment", "Renewal Term", "Liquidated Damages", "License Grant",
)  # fmt: skip
_AS_WRITTEN = ("renewal_term", "notice_period")  # durations read better in the contract's words
CLAUSE_WORDS = 120  # words of a clause given to the model: enough for its gist
GROUNDED = 0.75  # share of a sentence's content words that must come from its clause
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(  # a word list reads better as prose
    "a an the and or of to in on at by for with without from as is are be been was were this that "  # noqa: SIM905
    "these those it its any all each either neither other such under upon within than then "
    "may shall will can must not no if unless until which who whom whose their there thereof "
    "agreement party parties contract".split()
)


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.lower()) if w not in _STOP}


def grounded(sentence: str, clause: str) -> bool:
    """Whether a generated sentence only says what its clause says, as far as words can tell.

    Every number must be in the clause, and most content words (compared by their first five
    letters, so "terminate" matches "termination") too. A small model invents: "liability
    is capped at thirty days of fees" for a termination clause fails both tests.
    """
    said, source = _stems(sentence), _stems(clause)
    if not said:
        return False
    numbers = {w for w in said if w.isdigit()}
    if not numbers <= source:
        return False
    return len(said & source) / len(said) >= GROUNDED


@dataclass(frozen=True)
class Prompt:
    id: str
    version: str
    template: str
    max_tokens: int
    stop: tuple[str, ...]

    def render(self, **values: str) -> str:
        return self.template.replace("{clause}", values["clause"])


def load_prompt(name: str) -> Prompt:
    path = paths.resource_path("prompts", f"{name}.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Prompt(
            id=str(data["id"]),
            version=str(data["version"]),
            template=str(data["template"]),
            max_tokens=int(data["max_tokens"]),
            stop=tuple(data.get("stop", ())),
        )
    except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise ModelError(
            f"{path}: the prompt file is missing or damaged ({exc}).",
            hint="Reinstall Westfall Legal to restore westfall_legal/data/prompts.",
        ) from exc


class TextModel(Protocol):
    """What the summary needs from an engine (``LlmEngine``; a fake in unit tests)."""

    @property
    def model_id(self) -> str: ...

    @property
    def sha256(self) -> str: ...

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str] = (),
        on_token: Callable[[str], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> object: ...


@dataclass
class SummaryInput:
    clauses: Sequence[Clause]
    sections: Sequence[Section]
    facts: dict[str, Fact]
    contract_type: ContractType | None
    findings: Sequence[Finding]
    text: str = ""  # the document's text: a heading-only clause is quoted from its section

    def clause_at(self, start: int, end: int) -> str | None:
        """The id of the clause holding a character span (a fact's provenance)."""
        for c in self.clauses:
            if c.char_start <= start and end <= c.char_end:
                return c.id
        return None


def rule_sentences(data: SummaryInput) -> list[Sentence]:
    """The opening: what the contract is and its key facts; the findings that need action."""
    out: list[Sentence] = []
    facts = data.facts
    if data.contract_type is not None:
        label = data.contract_type.label
        out.append(Sentence(f"This appears to be a {label} agreement.", (), "rule"))
    for name, text in (
        ("governing_law", "It is governed by the law of {}."),
        ("effective_date", "It takes effect on {}."),
        ("expiration_date", "Its initial term ends on {}."),
        ("renewal_term", "It renews for periods of {}."),
        ("notice_period", "Notice to stop renewal: {}."),
    ):
        fact = facts.get(name)
        if fact is not None:
            value = " ".join(fact.text.split()) if name in _AS_WRITTEN else fact.value
            cited = data.clause_at(fact.char_start, fact.char_end)
            out.append(Sentence(text.format(value), (cited,) if cited else (), "rule"))
    serious = [f for f in data.findings if f.severity in ("high", "medium")]
    if serious:
        out.append(
            Sentence(
                f"{len(serious)} point(s) need attention: "
                + "; ".join(f.title or f.rule for f in serious)
                + ".",
                tuple(dict.fromkeys(c for f in serious for c in f.citations)),
                "rule",
            )
        )
    for f in serious:
        preferred = dict(f.position).get("preferred")
        if preferred:
            out.append(
                Sentence(f"Recommended ({f.title or f.rule}): {preferred}", f.citations, "rule")
            )
    return out


def pick_sections(data: SummaryInput, limit: int) -> list[tuple[Section | None, Clause]]:
    """The sections to summarise, each with its key clause: findings first, then key categories."""
    sections = {s.id: s for s in data.sections}
    cited = {c for f in data.findings for c in f.citations}
    best: dict[str | None, Clause] = {}
    rank: dict[str | None, tuple[int, int, float]] = {}
    for c in data.clauses:
        key_rank = KEY_CATEGORIES.index(c.category) if c.category in KEY_CATEGORIES else 99
        score = (0 if c.id in cited else 1, key_rank, -c.confidence)
        if c.section not in rank or score < rank[c.section]:
            rank[c.section], best[c.section] = score, c
    chosen = sorted((s for s in rank if rank[s][1] < 99 or rank[s][0] == 0), key=rank.__getitem__)
    picked = [(sections.get(s or ""), best[s]) for s in chosen[:limit]]
    return sorted(picked, key=lambda p: p[1].char_start)  # document order


def quotable(clause: Clause, section: Section | None, text: str) -> Clause:
    """The clause as the summary quotes it. A clause that is only a heading ("Permitted
    Assignments.") has no words to quote, so the words under it, to the end of its section,
    stand in for it: same id, the span that really holds them."""
    if len(tokens(clause.text)) >= MIN_RUN or section is None or not text:
        return clause
    start, end = max(section.char_start, clause.char_start), min(section.char_end, len(text))
    body = text[start:end]
    if len(tokens(body)) < MIN_RUN:
        return clause
    return dataclasses.replace(clause, text=body, char_start=start, char_end=end)


def _clean(text: str) -> str:
    """The model's line as one sentence: trimmed, its first sentence only."""
    text = " ".join(text.split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""
    return first if len(first) >= 12 else ""


def heading(section: Section | None, sections: dict[str, Section]) -> str:
    """How the summary names a section: "12.1 Governing Law", its number or its title."""
    if section is None:
        return ""
    number = full_number(section, sections)
    if number and section.title:
        return f"{number} {section.title}"
    return number or section.title or ""


def quoted(
    quote: Quote,
    clause: Clause,
    data: SummaryInput,
    sections: dict[str, Section],
    source: Literal["rule", "llm"],
) -> Sentence:
    """A quotation as a summary sentence, named by the section that really holds its words."""
    span = (clause.char_start + quote.start, clause.char_start + quote.end)
    section = section_at(*span, data.sections) or sections.get(clause.section or "")
    name = heading(section, sections)
    text = f"{name}: “{quote.text}”" if name else f"“{quote.text}”"
    return Sentence(
        text, (clause.id,), source, section.id if section else None, quote.text, name, span
    )


def summarise(
    data: SummaryInput,
    model: TextModel | None,
    *,
    limit: int = 8,
    mode: Literal["quote", "paraphrase"] = "quote",
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    note: str | None = None,
) -> Summary:
    """The whole summary; without a model (``--no-llm`` or none loadable) the rule part only.

    ``paraphrase`` is for a model that passed the faithfulness gate (the caller checks)."""
    opening = rule_sentences(data)
    if model is None:
        return Summary(tuple(opening), note=note or "the language model was not used", mode=mode)
    sections = {s.id: s for s in data.sections}
    prompt = load_prompt("clause_quote" if mode == "quote" else "clause_summary")
    picked = pick_sections(data, limit)
    start = time.perf_counter()
    written: list[Sentence] = []
    passed = 0
    for i, (section, clause) in enumerate(picked):
        if cancel is not None:
            cancel.check()
        clause = quotable(clause, section, data.text)
        words = clause.text.split()
        excerpt = " ".join(words[:CLAUSE_WORDS]) + (" ..." if len(words) > CLAUSE_WORDS else "")

        def stream(piece: str, i: int = i) -> None:  # each token, as it is generated
            progress(ProgressEvent("summary-token", i, len(picked), piece))

        done = model.complete(
            prompt.render(clause=excerpt),
            max_tokens=prompt.max_tokens,
            stop=prompt.stop,
            on_token=stream,
            cancel=cancel,
        )
        answer = " ".join(str(getattr(done, "text", "")).split("\n", 1)[0].split())
        sentence = _answer(answer, clause, section, data, sections, mode)
        if sentence is not None:
            passed += 1
        else:
            log.info("the model's line for clause %s failed its check; rule-picked", clause.id)
            fallback = operative_quote(clause.text, clause.category)
            sentence = quoted(fallback, clause, data, sections, "rule") if fallback else None
        if sentence is not None:
            written.append(sentence)
        progress(ProgressEvent("summary", i + 1, len(picked), sentence.text if sentence else ""))
    failed = len(picked) - passed
    return Summary(
        tuple(opening + written),
        model_id=model.model_id,
        model_sha256=model.sha256,
        prompt_id=prompt.id,
        prompt_version=prompt.version,
        seconds=round(time.perf_counter() - start, 2),
        note=(
            f"{failed} of {len(picked)} model answers failed the "
            f"{'quotation' if mode == 'quote' else 'faithfulness'} check; "
            "those sections are quoted by rule"
            if failed
            else None
        ),
        mode=mode,
        asked=len(picked),
        passed=passed,
    )


def _answer(
    answer: str,
    clause: Clause,
    section: Section | None,
    data: SummaryInput,
    sections: dict[str, Section],
    mode: Literal["quote", "paraphrase"],
) -> Sentence | None:
    """The model's answer as a sentence, or None when it fails its mode's check."""
    if mode == "quote":
        quote = check_quote(answer, clause.text)
        return quoted(quote, clause, data, sections, "llm") if quote else None
    from westfall_legal.llm.faithfulness import misstatements

    sentence = _clean(answer)
    if not sentence or not grounded(sentence, clause.text) or misstatements(clause.text, sentence):
        return None
    name = heading(section, sections)
    return Sentence(
        f"{name}: {sentence}" if name else sentence,
        (clause.id,),
        "llm",
        section.id if section else None,
        heading=name,
    )
