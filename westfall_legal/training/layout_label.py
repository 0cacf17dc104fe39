"""The labelling aid behind the layout gold set (tests/data/layout_gold.json).

    python -m westfall_legal.training.layout_label show PDF [--refs]
    python -m westfall_legal.training.layout_label review DECISIONS.json INDEX
    python -m westfall_legal.training.layout_label build DECISIONS.json OUT.json

The decisions behind tests/data/layout_gold_edgar.json are tests/data/layout_gold_decisions.json
(line indices, numbers, titles and reference offsets per contract; PDF paths relative to the
CUAD folder, ../shared/data/cuad unless WESTFALL_CUAD says otherwise). Document texts are
cached in the temporary folder between runs.

``show`` lists every line that could open a section (a number, ``ARTICLE``, ``Section``,
``Schedule``/``Exhibit``, ``Part``, a number alone on its line) with its page, its left
edge, whether it continues the numbering of the lines accepted before it (``seq``) and
whether the layout stage made a section of it (``det``), and a few words of it; ``--refs``
lists every reference mention with the words after it. The proposal is the numbering
sequence, never the detector's output: a person reads each contract's listing, and the
decisions file records what they accepted, rejected and added, and each reference's
reading (internal, external with its instrument, or missing). ``build`` turns the decisions
into gold rows: numbers, short titles, pages, labels, never contract text.

The candidates come from their own liberal patterns, not from layout/sections.py, so that
a miss of the detector still shows up here.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.text import build_text
from westfall_legal.models import DocumentText

CACHE = Path(tempfile.gettempdir()) / "layout_label_cache"
_SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "cuad"
CUAD = Path(os.environ.get("WESTFALL_CUAD", _SHARED))
_CANDIDATE = re.compile(
    r"^\s*(?:"
    r"(?P<art>(?i:article))\s+(?P<artn>[IVXLC]+|\d{1,2})\b"
    r"|(?P<sec>(?i:section))\s+(?P<secn>\d{1,3}(?:\.\d{1,3}){0,4})\b"
    r"|(?P<annex>(?i:schedule|exhibit|annex|appendix|attachment))\s+(?P<annexn>[A-Z0-9]{1,3}(?:[.-]\d{1,2})?)\b"
    r"|(?P<part>(?i:part))\s+(?P<partn>[A-Z]|[IVX]{1,5}|\d{1,2})\b"
    r"|(?P<num>\d{1,3}(?:\.\d{1,3}){0,4})(?P<dot>\.?)(?=\s|$|[A-Z])"
    r")"
)
ANNEX_WORDS = ("Schedule", "Exhibit", "Annex", "Appendix", "Attachment")
_TITLE_END = re.compile(r"(?<=[A-Za-z)])\.(?:\s|$)|:\s")


@dataclass
class Candidate:
    index: int
    page: int
    left: float
    number: str
    text: str
    nxt: str
    seq: bool
    det: bool
    det_title: str | None = None
    char_start: int = 0


def load(pdf: Path) -> DocumentText:
    """The document text of ``pdf``, cached between runs of the aid."""
    CACHE.mkdir(exist_ok=True)
    cached = CACHE / (re.sub(r"\W+", "_", pdf.stem)[:80] + ".pkl")
    if cached.exists():
        doc_text: DocumentText = pickle.loads(cached.read_bytes())
        return doc_text
    from westfall_legal.ingest.document import load_document

    doc_text = build_text(load_document(pdf))
    cached.write_bytes(pickle.dumps(doc_text))
    return doc_text


def _number(m: re.Match[str]) -> str | None:
    if m.group("art"):
        return m.group("artn")
    if m.group("sec"):
        return m.group("secn")
    if m.group("annex"):
        return f"{m.group('annex').title()} {m.group('annexn')}"
    if m.group("part"):
        return f"Part {m.group('partn')}"
    return m.group("num")


def _fits(number: str, last: list[int]) -> bool:
    """Whether a dotted number continues the numbering seen so far (``last``, by depth)."""
    parts = _parts(number)
    if parts is None:
        return True  # schedules, parts: shown, judged by the reader
    depth = len(parts)
    if depth == 1:
        return (
            not last
            or parts[0] == last[0] + 1
            or (parts[0] == 1 and len(last) == 1 and last[0] > 3)
        )
    if len(last) < depth - 1 or parts[:-1] != last[: depth - 1]:
        return False
    if len(last) >= depth:
        return parts[-1] == last[depth - 1] + 1
    return parts[-1] in (0, 1)


def _parts(number: str) -> list[int] | None:
    if re.fullmatch(r"[IVXLC]+", number):
        return [int(_key(number))]
    if not re.fullmatch(r"\d+(?:\.\d+)*", number):
        return None
    parts = [int(p) for p in number.split(".")]
    return parts[:1] if len(parts) == 2 and parts[1] == 0 else parts


def candidates(doc_text: DocumentText) -> list[Candidate]:
    starts = {s.char_start: s.title for s in build_sections(doc_text)}
    lines = [ln for ln in doc_text.lines if not ln.is_margin]
    out: list[Candidate] = []
    last: list[int] = []
    for i, ln in enumerate(lines):
        text = doc_text.text[ln.char_start : ln.char_end].strip()
        m = _CANDIDATE.match(text)
        if not m:
            continue
        number = _number(m)
        if number is None:
            continue
        if m.group("num") and "." not in number and not m.group("dot"):
            rest = text[m.end() :].strip()
            if (
                not rest
                or not rest[0].isupper()
                or len(text) > 80
                or text[m.end() : m.end() + 1] != " "
            ):
                continue  # "5 days", or a bare page number; "1 Definitions" stays
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        below = doc_text.text[nxt.char_start : nxt.char_end].strip() if nxt else ""
        seq = _fits(number, last)
        parts = _parts(number)
        if seq and parts is not None:
            last = parts
        elif m.group("annex"):
            last = []  # numbering may restart inside an exhibit
        hits = [t for s, t in starts.items() if ln.char_start <= s < ln.char_end]
        out.append(
            Candidate(
                i,
                ln.page,
                round(ln.box[0]),
                number,
                text,
                below,
                seq,
                bool(hits),
                hits[0] if hits else None,
                ln.char_start,
            )
        )
    return out


def proposed_title(c: Candidate) -> str | None:
    """A short title from the heading line (or the line under a lone number)."""
    if re.match(r"(?i)schedule|exhibit|annex|appendix|attachment", c.number):
        return "?"  # an annex's title is not checked (see the notes)
    rest = _CANDIDATE.sub("", c.text, count=1).strip(" .:-\u2013\u2014")
    if not rest:
        rest = c.nxt  # a number alone on its line: the title, or the text, is below it
    head = _TITLE_END.split(rest, maxsplit=1)[0].strip()
    words = head.split()
    if not words or len(words) > 10:
        return None
    small = {
        "of",
        "and",
        "or",
        "to",
        "the",
        "for",
        "in",
        "on",
        "by",
        "a",
        "an",
        "with",
        "upon",
        "at",
        "as",
        "from",
        "between",
    }
    titled = all(w[0].isupper() or not w[0].isalpha() or w.lower() in small for w in words)
    return head.rstrip(".") if titled else None


_REF = re.compile(
    r"\b(?P<kw>Sections?|SECTIONS?|Articles?|ARTICLES?|Clauses?|Paragraphs?|Schedules?|"
    r"Exhibits?|Annex(?:es)?|Appendix|Appendices|Parts?|Rules?)\s+"
    r"(?P<items>(?:[0-9IVXLC][\w.()-]*|[A-Z](?:-\d+)?)(?:(?:\s*,\s*|\s+(?:and|or|through|to|and/or)\s+)"
    r"(?:\d[\w.()-]*|\([a-zA-Z0-9]{1,4}\)[\w.()]*|[IVXLC]+\b|[A-Z](?:-\d+)?)(?!\w))*)"
)


def references(
    doc_text: DocumentText, heads: set[int] | None = None
) -> list[tuple[int, int, str, str, str]]:
    """(start, page, keyword, items, the words around) for every reference-like mention that
    is not a heading's own number (``heads``: where the accepted headings start)."""
    flat = re.sub(r"\s", " ", doc_text.text)  # a reference split over lines reads as one
    out = []
    for m in _REF.finditer(flat):
        if heads and m.start() in heads:
            continue
        page, _ = doc_text.locate(m.start(), m.start() + 1)
        after = flat[max(0, m.start() - 25) : m.start()] + " [*] " + flat[m.end() : m.end() + 50]
        out.append((m.start(), page, m.group("kw"), m.group("items").rstrip(".,"), after))
    return out


def _head_start(doc_text: DocumentText, c: Candidate) -> int:
    line = doc_text.text[c.char_start :]
    return c.char_start + len(line) - len(line.lstrip())


def show(pdf: Path, refs: bool) -> None:
    doc_text = load(pdf)
    for c in candidates(doc_text):
        mark = ("S" if c.seq else "-") + ("D" if c.det else "-")
        title = proposed_title(c)
        other = "" if not c.det or c.det_title == title else f" DET={c.det_title!r}"
        line = f"{c.index:5} p{c.page:<3} x{c.left:<4} {mark} {c.number:8}|{c.text[:95]}|"
        print(f"{line} t={title!r}{other}")
    if refs:
        for start, page, kw, items, after in references(doc_text):
            print(f"R {start:7} p{page:<3} {kw} {items} || {after}")


def mention_numbers(kw: str, items: str) -> list[str]:
    """The numbers of one mention: "5.1, 5.2(a) and (b)" -> 5.1, 5.2(a), 5.2(b); a range
    "7.2.2 through 7.2.4" gives its two ends."""
    out: list[str] = []
    for item in re.split(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and/or|and|or|through|to)\s+", items):
        item = item.strip().rstrip(".,;")
        while item.count(")") > item.count("("):
            item = item[: item.rindex(")")]
        if not item:
            continue
        if re.fullmatch(r"\d+(?:\.\d+)+-\d+(?:\.\d+)+", item):  # "11.1-11.4": a range, its two ends
            out.extend(item.split("-"))
            continue
        if item.startswith("(") and out:
            base = re.sub(r"\([^()]*\)$", "", out[-1])
            item = base + item
        out.append(item)
    return out


_WORDS = ("Section", "Article", "Clause", "Paragraph", "Schedule", "Exhibit", "Part", "Rule")
KEYWORD = {
    **{w.lower(): w for w in (*_WORDS, "Annex", "Appendix")},
    **{w.lower() + "s": w for w in _WORDS},
    "annexes": "Annex",
    "appendices": "Appendix",
}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _key(number: str) -> str:
    number = number.rstrip(".")
    if number and all(c in _ROMAN for c in number):
        total = 0
        for i, c in enumerate(number):
            v = _ROMAN[c]
            total += -v if i + 1 < len(number) and _ROMAN[number[i + 1]] > v else v
        return str(total)
    return re.sub(r"^(\d+)\.0+$", r"\1", number)


def gold_of(contract: dict[str, Any]) -> dict[str, Any]:
    """One contract's gold rows from its decisions (see tests/data/layout_gold_notes.md).

    Sections: the candidates the numbering sequence proposed (``S``), less ``reject``,
    plus ``add`` (line indices), with ``numbers`` and ``titles`` overriding the proposal.
    References: every mention's numbers; an internal one's target is the accepted section
    of that number (``targets`` overrides, by "start:label"); ``external`` maps a mention's
    start to the instrument it names; ``skip`` lists starts that are not references.
    """
    doc_text = load(CUAD / contract["pdf"])
    cands = candidates(doc_text)
    reject, add = set(contract.get("reject", [])), set(contract.get("add", []))
    skip_pages = set(contract.get("skip_pages", []))  # a table of contents
    numbers = {int(k): v for k, v in contract.get("numbers", {}).items()}
    titles = {int(k): v for k, v in contract.get("titles", {}).items()}
    lines = [ln for ln in doc_text.lines if not ln.is_margin]
    known = {c.index for c in cands}
    for i in sorted(add - known):  # a heading no candidate pattern saw ("I. DEFINITIONS")
        ln = lines[i]
        text = doc_text.text[ln.char_start : ln.char_end].strip()
        cands.append(Candidate(i, ln.page, round(ln.box[0]), numbers[i], text, "", False, False))
    cands.sort(key=lambda c: c.index)
    sections = []
    # an exhibit's caption alone on its line is not a reference; ``not_captions`` lists the
    # short lines that only look like one ("Schedule A5]." ending a sentence's bracket)
    mentions = set(contract.get("not_captions", []))
    heads: set[int] = {
        _head_start(doc_text, c)
        for c in cands
        if c.number.split()[0] in ANNEX_WORDS
        and len(c.text.split()) <= 3
        and c.index not in mentions
    }
    for c in cands:
        if (
            c.index in reject
            or c.page in skip_pages
            or c.index < contract.get("reject_before", 0)
            or not (c.seq or c.index in add)
        ):
            continue
        number = numbers.get(c.index, c.number)
        title = titles[c.index] if c.index in titles else proposed_title(c)
        if contract.get("titles_unchecked"):
            title = "?"  # numbers in their own column, read apart from their text
        sections.append([number, title, c.page])
        heads.add(_head_start(doc_text, c))
    by_key: dict[str, list[list[Any]]] = {}
    for row in sections:
        by_key.setdefault(_key(row[0]).casefold(), []).append(row)
    external = {int(k): v for k, v in contract.get("external", {}).items()}
    internal = set(contract.get("internal", []))
    external_kinds = contract.get(
        "external_kinds", {}
    )  # "Schedule": every one is another document's
    for start, _page, kw, _numbers, after in references(doc_text, heads):
        inst = proposed_external(after) or external_kinds.get(KEYWORD[kw.lower()])
        if inst and start not in internal:
            external.setdefault(start, inst)
    skip = set(contract.get("skip", []))
    targets = contract.get("targets", {})
    labels = contract.get("labels", {})  # "start:label" -> what the text means (relabelled)
    refs = []
    for start, page, kw, items, after in references(doc_text, heads):
        if start in skip:
            continue
        word = KEYWORD[kw.lower()]
        of_annex = re.match(
            r"\s*\[\*\]\s+of\s+(?:the\s+)?(Exhibit|Schedule|Annex|Appendix)\s+([A-Z0-9][\w.-]*)",
            after.split("[*]", 1)[0] and after[after.index("[*]") :],
            re.I,
        )
        if word == "Part" and of_annex and f"part {items}".casefold() not in by_key:
            annex = f"{of_annex.group(1).title()} {of_annex.group(2).rstrip('.,;')}"
            hit = by_key.get(annex.casefold(), [])
            refs.append([f"Part {items}", page, annex if hit else None, hit[0][2] if hit else None])
            continue
        for label in relabelled(labels, start, word, mention_numbers(kw, items)):
            number = label.split(" ", 1)[1]
            if start in external or word == "Rule":
                refs.append([label, page, None, None, external.get(start, "")])
                continue
            base = number.split("(")[0] if not number.startswith("(") else ""
            base = re.sub(r"(?<=\d)\.?[a-zA-Z]$", "", base)  # "5.2.2.a", "10.3.2b": item a of 5.2.2
            if not base:
                continue  # a relative "(c)": out of scope
            key = (
                f"{word} {base}"
                if word in ("Schedule", "Exhibit", "Annex", "Appendix", "Part")
                else _key(base)
            )
            override = targets.get(f"{start}:{label}")
            if override is not None:
                hit = by_key.get(_key(override).casefold(), [])
                refs.append([label, page, override, hit[0][2] if hit else None])
                continue
            hit = by_key.get(key.casefold(), [])
            if hit:  # an annex by its label ("Exhibit A"), a section by the number written
                refs.append([label, page, label if key.startswith(word) else number, hit[0][2]])
            else:
                refs.append([label, page, None, None])
    return {"sections": sections, "cross_references": refs, "heads": sorted(heads)}


def relabelled(
    labels: dict[str, str | list[str] | None], start: int, word: str, numbers: list[str]
) -> list[str]:
    """A mention's labels, with the decisions' ``labels`` read: "start:label" to the label the
    text means, to null where the aid glued the sentence's own enumeration to a reference
    ("this Section 10.2 or (b)"), or to a list where one item the aid read stands for several
    (a range "Schedule A1-A6" by its two ends; a list broken by bracketed titles, "Sections
    2(a) [License Grant], 2(b) [Sublicensing], ... 3, and 11")."""
    out: list[str] = []
    for number in numbers:
        fixed = labels.get(f"{start}:{word} {number}", f"{word} {number}")
        if fixed is not None:
            out.extend([fixed] if isinstance(fixed, str) else fixed)
    return out


_PROPOSE_EXTERNAL = re.compile(
    r"^[\s(\w).,-]{0,14}?\s*(?:of|under|in)\s+(?:the\s+)?(?P<inst>(?:(?:[A-Z0-9][\w.&'’-]*|of|and|on|for)\s+){0,8}?"
    r"(?:Act|Code|Regulations?|Rules|Law|Statutes?|U\.S\.C\.?|C\.F\.R\.?"
    r"|(?<!this )(?<!the )Agreement|Indenture|Plan)"
    r"(?:\s+of\s+\d{4})?)"
)


def proposed_external(after: str) -> str | None:
    """The instrument named after a mention ("of the Securities Act of 1933"), if any."""
    m = _PROPOSE_EXTERNAL.match(after.split("[*]", 1)[-1])
    if not m or m.group("inst").strip() in ("Agreement", "this Agreement"):
        return None
    return m.group("inst").strip()


def build(decisions: Path, out: Path) -> None:
    """Gold rows from the decisions file."""
    data: dict[str, Any] = json.loads(decisions.read_text(encoding="utf-8"))
    contracts = []
    for c in data["contracts"]:
        gold = gold_of(c)
        row = {k: c[k] for k in ("file", "type", "families", "split", "style") if k in c}
        gold.pop("heads")
        contracts.append({**row, **gold})
        counts = f"{len(gold['sections']):4} sections {len(gold['cross_references']):4} refs"
        print(f"{c['file'][:50]:50} {counts}")
    doc = {k: v for k, v in data.items() if k != "contracts"}
    doc["contracts"] = contracts
    out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("show")
    s.add_argument("pdf", type=Path)
    s.add_argument("--refs", action="store_true")
    r = sub.add_parser("review")
    r.add_argument("decisions", type=Path)
    r.add_argument("index", type=int)
    b = sub.add_parser("build")
    b.add_argument("decisions", type=Path)
    b.add_argument("out", type=Path)
    args = parser.parse_args()
    if args.command == "show":
        show(args.pdf, args.refs)
    elif args.command == "review":
        from westfall_legal.training.layout_label_review import review

        data = json.loads(args.decisions.read_text(encoding="utf-8"))
        review(data["contracts"][args.index])
    else:
        build(args.decisions, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
