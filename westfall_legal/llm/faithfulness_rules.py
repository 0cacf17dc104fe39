"""Does a sentence state its clause faithfully? Rules a careful reader applies.

``misstatements(clause, sentence)`` lists what is wrong with a sentence that claims to say
what ``clause`` says, each as an error kind:

- ``party_swap``: a party named in the sentence plays a role (subject of a verb; after "to",
  "by", "from", "of", "with") in which the clause never names it, or "either party" became
  "the other party";
- ``modal_change``: a verb is said to be an obligation, a permission or a prohibition when the
  clause makes it another (shall -> may; must and shall, may and can are the same);
- ``negation``: a verb is negated where the clause does not negate it, or the reverse;
- ``number``: a number (digits, words, amounts) not in the clause, or with another unit;
- ``qualifier``: a qualifier a lawyer relies on (exclusive, non-exclusive, irrevocable,
  perpetual, sole, worldwide, royalty-free, non-transferable, ...) added, or dropped where the
  sentence speaks of what it qualifies;
- ``wrong_section``: the sentence names a section other than the one holding the clause;
- ``unsupported``: the sentence is about a subject the clause is not about (liability,
  payment, assignment, ...) or its content words are mostly not the clause's (nonsense
  recombination).

Linear in the two texts: tokens, dictionaries and fixed windows, no backtracking pattern.
Pure: no file, model or registry is read (the gate, in :mod:`.faithfulness`, does that).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


WINDOW = 4  # tokens between a modal or negation and its verb
_TOKEN = re.compile(r"\$?[A-Za-z0-9]+(?:[.,][0-9]+)*%?|[,;:()]")
_SECTION = re.compile(r"(?:(?:section|clause|article|§) ?)?([0-9]+(?:\.[0-9]+)*)", re.IGNORECASE)

_OBLIGE = _set("shall must will agrees agree undertakes covenants required obliged")
_PERMIT = _set("may can entitled right rights option discretion")
_VERBS = _set(
    "grant grants granted agree agrees assign assigns transfer transfers covenant covenants "
    "warrant warrants represent represents acknowledge acknowledges elect elects inform informs "
    "license licenses notify notifies permit permits provide provides pay pays retain retains "
    "own owns terminate terminates give gives offer offers conduct conducts secure secures "
    "does do is are has have"
)
_PRONOUNS = {"we": "we", "us": "we", "our": "we", "you": "you", "your": "you"}
_NEGATE = _set("not no never neither nor without cannot fails fail unable")
_PREPS = _set("to by from")  # "granted to X", "by X", "from X"
_COMPARATIVES = _set("less more later earlier greater fewer")
_QUALIFIERS = _set(
    "exclusive nonexclusive irrevocable revocable perpetual sole worldwide royaltyfree "
    "nontransferable transferable sublicensable nonsublicensable exclusively solely "
    "fullypaid terminable unlimited"
)
_TOPICS = (  # subjects a clause is about, by stem; a sentence may not bring in a new one
    "liabil", "indemn", "assign", "termin", "govern", "licen", "insur", "audit", "confid",
    "warrant", "pay", "fee", "royal", "compet", "solicit", "renew", "exclus", "damag",
)  # fmt: skip
_NUMBER_WORDS: dict[str, float] = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "  # noqa: SIM905
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_WORDS |= {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
_NUMBER_WORDS |= {"eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "half": 0.5}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_UNITS = {
    "day": "day", "days": "day", "month": "month", "months": "month", "year": "year",
    "years": "year", "percent": "%", "%": "%", "business": "day", "calendar": "day",
    "week": "week", "weeks": "week", "hours": "hour", "hour": "hour",
}  # fmt: skip
_STOP = _set(
    "a an the and or of to in on at by for with from as is are be been was were this that "
    "these those it its any all each such under upon within than then if which who their "
    "there hereunder herein thereof agreement party parties shall may will must not no "
    "can has have had do does"
)
_AUXILIARIES = _set("hereby promptly to does do is have has")
_PARTY_DETS = {"either": "every", "each": "every", "neither": "every", "both": "every"}
_PARTY_DETS |= {"any": "every", "other": "other"}


def _tokens(text: str) -> list[str]:
    """Words (hyphens and apostrophes split, "non-exclusive" joined to "nonexclusive")."""
    text = text.replace("’", "'").replace("‘", "'").replace("throughout the world", "worldwide")
    raw = _TOKEN.findall(text)
    out: list[str] = []
    i = 0
    while i < len(raw):
        word = raw[i]
        low = word.lower()
        if low in ("non", "royalty", "fully", "sub") and i + 1 < len(raw):
            nxt = raw[i + 1].lower()
            if low == "royalty" and nxt == "free":
                out.append("royaltyfree")
                i += 2
                continue
            if low == "fully" and nxt == "paid":
                out.append("fullypaid")
                i += 2
                continue
            if low in ("non", "sub"):
                out.append(low + nxt)
                i += 2
                continue
        out.append(word)
        i += 1
    return out


def _stem(word: str) -> str:
    return word.lower()[:5] if word[:1].isalnum() or word[:1] == "$" else ""


def _numbers(words: Sequence[str]) -> list[tuple[float, str]]:
    """(value, unit) for each number: "ninety (90) days" is one 90-day, "$1,000" one 1000."""
    out: list[tuple[float, str]] = []
    lows = [w.lower() for w in words]
    i = 0
    while i < len(lows):
        w = lows[i]
        value: float | None = None
        digits = w.lstrip("$").rstrip("%").replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            value = _NUMBER_WORDS.get(w)
        if value is None:
            i += 1
            continue
        j = i + 1
        while j < len(lows) and (lows[j] in _NUMBER_WORDS or lows[j] == "and"):
            j += 1  # "twenty five", "one hundred and twenty": read as the first word's value
        if j < len(lows) and lows[j] in _SCALE:
            value *= _SCALE[lows[j]]
            j += 1
        if j < len(lows) and lows[j].replace(",", "") == format(value, "g"):
            j += 1  # "ninety (90)": the figure repeats the words
        unit = "%" if w.endswith("%") else _UNITS.get(lows[j], "") if j < len(lows) else ""
        if w.startswith("$") or (i and lows[i - 1] in ("$", "usd", "us")):
            unit = "$"
        if value in (1.0,) and not unit:
            i = j  # "one" as a pronoun ("any one of them")
            continue
        out.append((value, unit))
        i = j
    return out


def _modal_class(words: Sequence[str], i: int) -> str | None:
    """The modality governing the verb at ``i``: "oblige", "permit", "forbid" or None."""
    seen: str | None = None
    negated = False
    for k in range(max(0, i - WINDOW), i):
        w = words[k].lower()
        if w in _OBLIGE:
            seen = "oblige"
        elif w in _PERMIT:
            seen = "permit"
        elif w in ("not", "cannot", "never", "no"):
            negated = True
    if words[max(0, i - 1)].lower() == "cannot":
        seen, negated = "permit", True
    if seen is None:
        return None
    return "forbid" if negated else seen


def _negated(words: Sequence[str], i: int) -> bool:
    return any(words[k].lower() in _NEGATE for k in range(max(0, i - WINDOW), i))


@dataclass(frozen=True)
class _Read:
    words: list[str]
    stems: list[str]
    modals: dict[str, set[str | None]]  # verb stem -> the modalities it appears under
    negations: dict[str, set[bool]]  # content stem -> negated or not, at each appearance
    roles: dict[str, set[str]]  # party -> its roles
    numbers: list[tuple[float, str]]
    negators: int
    negated: set[str]  # content stems within WINDOW words after a negation
    qualifiers: dict[str, set[str]]  # qualifier -> the stems it qualifies


def _parties(words: Sequence[str], known: frozenset[str]) -> list[tuple[int, str]]:
    """(index, name) of each party mention: a capitalised word not at a sentence start (or at
    it, when the text uses it capitalised elsewhere), "we"/"you", or "either/other party"."""
    out: list[tuple[int, str]] = []
    capitalised = {w.lower() for i, w in enumerate(words) if i and w[:1].isupper()} | known
    for i, w in enumerate(words):
        low = w.lower()
        if low in ("party", "parties"):
            det = words[i - 1].lower() if i else ""
            out.append((i, _PARTY_DETS.get(det, "a") + " party"))
        elif low in _PRONOUNS:
            out.append((i, _PRONOUNS[low]))
        elif w[:1].isupper() and low not in _STOP and not w.isdigit():
            if (i == 0 or words[i - 1] in (",", ";", ":", "(")) and low not in capitalised:
                continue  # a sentence's first word: a name only if used as one elsewhere
            if i and words[i - 1][:1].isupper() and out and out[-1][0] == i - 1:
                continue  # "Bank of America", "FCE Background": the first word names it
            out.append((i, low))
    return out


def _role(words: Sequence[str], i: int) -> set[str]:
    """A party mention's roles: the preposition before it, or "subject" and "subject:VERB"
    when a modal or verb follows it at once ("Licensee shall pay", "Fox grants")."""
    prev = words[i - 1].lower() if i else ""
    if i >= 2 and prev in _PARTY_DETS:
        prev = words[i - 2].lower()
    if prev in _PREPS:
        return {prev}
    nxt = words[i + 1].lower() if i + 1 < len(words) else ""
    if not (nxt in _OBLIGE or nxt in _PERMIT or nxt in _VERBS or nxt in ("not", "hereby")):
        return {"other"}
    for k in range(i + 1, min(len(words), i + WINDOW + 1)):
        w = words[k].lower()
        if w not in _OBLIGE | _PERMIT | _NEGATE | _STOP | _AUXILIARIES:
            return {"subject", "subject:" + _stem(w)}
    return {"subject"}


def _read(text: str, known: frozenset[str] = frozenset()) -> _Read:
    """``known``: the names the clause uses, so that a sentence may start with one."""
    words = _tokens(text)
    stems = [_stem(w) for w in words]
    modals: dict[str, set[str | None]] = {}
    negations: dict[str, set[bool]] = {}
    qualifiers: dict[str, set[str]] = {}
    for i, w in enumerate(words):
        low = w.lower()
        if low in _STOP or not w.isalpha():
            continue
        modals.setdefault(stems[i], set()).add(_modal_class(words, i))
        negations.setdefault(stems[i], set()).add(_negated(words, i))
        if low in _QUALIFIERS:
            qualified = {
                stems[k]
                for k in range(i + 1, min(len(words), i + 6))
                if words[k].lower() not in _STOP and words[k].lower() not in _QUALIFIERS
            }
            qualifiers.setdefault(low, set()).update(qualified)
    roles: dict[str, set[str]] = {}
    for i, name in _parties(words, known):
        roles.setdefault(name, set()).update(_role(words, i))
    negators = 0
    negated: set[str] = set()
    for i, w in enumerate(words):
        low = w.lower()
        after = words[i + 1].lower() if i + 1 < len(words) else ""
        if low in _NEGATE and low != "nor" and after not in _COMPARATIVES:
            negators += 1  # "not less than" and "no later than" bound; they do not negate
            negated.update(stems[k] for k in range(i + 1, min(len(words), i + WINDOW + 1)))
        elif low.startswith("non") and low not in _QUALIFIERS and len(low) > 5:
            negators += 1  # "non-renewal"
            negated.add(low[3:8])
    return _Read(
        words, stems, modals, negations, roles, _numbers(words), negators, negated, qualifiers
    )


def misstatements(
    clause: str, sentence: str, *, section: str | None = None, true_section: str | None = None
) -> list[str]:
    """The error kinds ``sentence`` commits against ``clause`` (empty: faithful as far as the
    rules can tell). ``section``: the section the sentence names, when it names one apart
    from its text; ``true_section``: the number of the section holding the clause."""
    errors: list[str] = []
    named = section
    head, colon, rest = sentence.partition(":")
    m = _SECTION.match(head)
    if colon and m and len(head) <= 80:  # "12.1 Governing Law: ..." names its section
        named, sentence = named or m.group(1), rest
    elif m and named is None:
        named = m.group(1)
    src = _read(clause)
    names = frozenset(n for n in src.roles if " " not in n)
    said = _read(sentence, names)
    if true_section and named and not _same_section(named, true_section):
        errors.append("wrong_section")
    if _party_swapped(src, said):
        errors.append("party_swap")
    modal, negation = _modality(src, said)
    if modal:
        errors.append("modal_change")
    if negation:
        errors.append("negation")
    if any(n not in src.numbers and (n[0], "") not in src.numbers for n in said.numbers):
        errors.append("number")
    if _qualifier_changed(src, said):
        errors.append("qualifier")
    if _unsupported(src, said):
        errors.append("unsupported")
    return errors


def _same_section(named: str, true: str) -> bool:
    """Whether a cited number names the section or one above or below it ("12" and "12.1")."""
    m = _SECTION.match(true)
    a, b = named.strip(".").split("."), (m.group(1) if m else true).strip(".").split(".")
    return a[: len(b)] == b or b[: len(a)] == a


def _party_swapped(src: _Read, said: _Read) -> bool:
    clause_words = {w.lower() for w in src.words}
    doers: dict[str, set[str]] = {}  # "subject:VERB" -> the parties doing it in the clause
    for name, roles in src.roles.items():
        for role in roles:
            doers.setdefault(role, set()).add(name)
    for name, roles in said.roles.items():
        if name == "a party":
            continue
        if name not in src.roles:
            if name.endswith(" party") or name in _PRONOUNS.values():
                if any(n.endswith(" party") for n in src.roles):
                    return True  # "either party" became "the other party"
                continue
            if name not in clause_words:
                return True  # a party the clause does not name
            continue
        known = src.roles[name]
        for role in roles - {"other"}:
            if role.startswith("subject:"):
                if doers.get(role) and role not in known:
                    return True  # another party does that in the clause
            elif role not in known and "subject" not in roles and known - {"other"}:
                return True
        if "subject" in roles and "subject" not in known and known - {"other"}:
            return True
    return False


def _modality(src: _Read, said: _Read) -> tuple[bool, bool]:
    """(modal changed, negation flipped)."""
    modal = False
    for i, stem in enumerate(said.stems):
        word = said.words[i].lower()
        if word in _STOP or not word.isalpha() or stem not in src.modals:
            continue
        cls = _modal_class(said.words, i)
        known = src.modals[stem] - {None}
        if cls is not None and cls != "forbid" and known and cls not in known:
            modal = modal or "forbid" not in known
    plain_said = set(said.stems) - said.negated
    plain_src = set(src.stems) - src.negated
    if said.negators > src.negators:  # a negation added to what the clause states plainly
        negation = bool((said.negated - src.negated) & plain_src)
    elif said.negators < src.negators:  # a negation of the clause dropped
        negation = bool((src.negated - said.negated) & plain_said)
    else:
        negation = False
    return modal, negation


def _qualifier_changed(src: _Read, said: _Read) -> bool:
    if set(said.qualifiers) - set(src.qualifiers):
        return True
    stems = set(said.stems)
    return any(
        q not in said.qualifiers and qualified & stems for q, qualified in src.qualifiers.items()
    )


def _unsupported(src: _Read, said: _Read) -> bool:
    clause_stems = set(src.stems)
    for topic in _TOPICS:
        if any(s.startswith(topic[:5]) for s in said.stems) and not any(
            s.startswith(topic[:5]) for s in clause_stems
        ):
            return True
    content = [s for s, w in zip(said.stems, said.words, strict=True) if w.lower() not in _STOP]
    if not content:
        return True
    return sum(s in clause_stems for s in content) / len(content) < 0.6
