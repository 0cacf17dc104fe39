"""Score anonymisation against hand-made lists of the names in contracts.

The gold set (``tests/data/anonymisation_names.json``) lists, per CUAD contract, the
organisations and people it names, built by reading the texts (never by running a finder;
its ``about`` says what counts as a name). A contract is anonymised as an export does it
with nothing but its text (no review body: the signature blocks and ``parties`` fact an
export also has are left out, so this is a lower bound), and then:

- a name is **caught** when none of its occurrences remains in the anonymised text (case
  aside, any whitespace, whole words); recall is caught names over names;
- a **replacement that is not a name** is a replaced organisation or person span that
  overlaps no occurrence of a listed name: the cost of the finders in context lost;
- the export's leak check (:meth:`Anonymiser.leaks`) is run on the anonymised text: what it
  reports would make an export of that contract fail.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from westfall_legal.feedback.anonymise import Anonymiser

NAME_KINDS = ("party", "organisation", "person")


@dataclass(frozen=True)
class GoldNames:
    file: str  # the CUAD file name (labels.dev.jsonl's ``filename``)
    organisations: tuple[str, ...]
    people: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return self.organisations + self.people


@dataclass
class Score:
    names: int = 0
    caught: int = 0
    absent: list[str] = field(default_factory=list)  # listed, but not in the text
    missed: list[str] = field(default_factory=list)
    replaced: int = 0  # organisation and person spans replaced
    not_names: Counter[str] = field(default_factory=Counter)  # replaced spans that are not
    leak_check: list[str] = field(default_factory=list)  # what the export's check reports
    characters: int = 0

    def add(self, other: Score) -> None:
        self.names += other.names
        self.caught += other.caught
        self.absent += other.absent
        self.missed += other.missed
        self.replaced += other.replaced
        self.not_names.update(other.not_names)
        self.leak_check += other.leak_check
        self.characters += other.characters

    @property
    def recall(self) -> float:
        return self.caught / self.names if self.names else 1.0

    def figures(self) -> dict[str, object]:
        return {
            "names": self.names,
            "caught": self.caught,
            "recall": round(self.recall, 4),
            "missed": self.missed,
            "absent_from_text": self.absent,
            "replaced_name_spans": self.replaced,
            "replaced_not_names": sum(self.not_names.values()),
            "leak_check_reports": len(self.leak_check),
        }


def load_gold(path: Path) -> list[GoldNames]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        GoldNames(file, tuple(v.get("organisations", ())), tuple(v.get("people", ())))
        for file, v in data["contracts"].items()
    ]


def occurrences(name: str, text: str) -> list[tuple[int, int]]:
    """Where ``name`` occurs in ``text``: case aside, any whitespace, whole words (an
    underscore is no letter: "/s/ Michael Grimes___")."""
    source = r"\s+".join(re.escape(part) for part in name.split())
    regex = re.compile(rf"(?<![^\W_]){source}(?![^\W_])", re.IGNORECASE)
    return [(m.start(), m.end()) for m in regex.finditer(text)]


def score(text: str, names: tuple[str, ...]) -> tuple[Score, str]:
    """Anonymise ``text`` as a one-document export does and score it against ``names``."""
    anonymiser = Anonymiser()
    anonymiser.learn(text, {})
    done = anonymiser.text(text)
    result = Score(names=len(names), characters=len(text))
    listed: list[tuple[int, int]] = []
    for name in names:
        where = occurrences(name, text)
        listed += where
        if not where:
            result.absent.append(name)
        if occurrences(name, done.text):
            result.missed.append(name)
        else:
            result.caught += 1
    for (start, end, _ns, _ne), kind in zip(done.offsets.spans, done.kinds, strict=True):
        if kind not in NAME_KINDS:
            continue
        result.replaced += 1
        if not any(s < end and start < e for s, e in listed):
            result.not_names[" ".join(text[start:end].split())] += 1
    result.leak_check = anonymiser.leaks(done.text)
    return result, done.text
