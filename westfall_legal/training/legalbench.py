"""``westfall evaluate --legalbench DIR``: LegalBench's ``cuad_*`` Yes/No tasks, clause by clause.

Each LegalBench row is one clause on its own ("does this clause contain X?"), so it is scored
as a one-candidate document: the n-gram model's features of the clause's words alone (no
section heading, no neighbouring text, no position in a document), and, for the categories
where the model keeps its context re-scoring, that re-scoring of a document of one candidate
(its own score is also the document's best, it has no neighbours). A row is "Yes" when the
score reaches a threshold chosen *before* the test rows are read, two ways:

* ``train``: per task and stage, the threshold that maximises balanced accuracy on the task's
  own few-shot ``train.tsv`` rows (the midpoint, in logit space, of the best run of scores);
* ``cuad``: the model's own document threshold for the category, chosen by cross-validation
  on the 400 CUAD training contracts (what decides in the app).

The rows come from CUAD's contracts, and the shipped model trained on 400 of them: a row whose
text occurs in one of those (:class:`TextIndex`) is *seen*, the rest *unseen*; the unseen
figure is the honest one. Definitions and figures: docs/accuracy.md.
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from westfall_legal.analysis.clause_model import ClauseModel
from westfall_legal.analysis.context import context_features, logits
from westfall_legal.analysis.features import scores, term_counts
from westfall_legal.errors import InputNotFoundError, KnownError
from westfall_legal.training import cuad

TASK_PREFIX = "cuad_"
SHINGLE = 8  # words per shingle when looking a row up in the training contracts
SEEN_SHARE = 0.5  # a row is seen when at least this share of its shingles occur there
BATCH = 2048  # rows featurised and scored at once
_WORD = re.compile(r"\w+")
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

csv.field_size_limit(sys.maxsize)  # LegalBench rows can be long clauses


@dataclass(frozen=True)
class Rows:
    texts: list[str]
    labels: Bools


@dataclass(frozen=True)
class Task:
    name: str
    category: str
    test: Rows
    train: Rows


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def task_category(task: str, categories: Sequence[str]) -> str | None:
    """``cuad_rofr-rofo-rofn`` -> ``Rofr/Rofo/Rofn``: the CUAD category a task asks about."""
    wanted = _key(task.removeprefix(TASK_PREFIX))
    return next((c for c in categories if _key(c) == wanted), None)


def read_rows(
    path: Path, label_fields: Sequence[str] = ("label", "answer")
) -> list[dict[str, str]]:
    """The rows of one LegalBench TSV file (its header names the columns)."""
    if not path.exists():
        raise InputNotFoundError.for_path(path)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    if rows and ("text" not in rows[0] or not any(f in rows[0] for f in label_fields)):
        raise KnownError(
            f"{path}: not a LegalBench task file (no text and label columns).",
            hint="Point --legalbench at LegalBench's task folders (cuad_*/test.tsv).",
        )
    return rows


def _yes_no(path: Path) -> Rows:
    rows = read_rows(path)
    labels = [(r.get("label") or r.get("answer") or "").strip() for r in rows]
    odd = sorted({x for x in labels if x not in ("Yes", "No")})
    if odd:
        raise KnownError(f"{path}: labels other than Yes/No ({', '.join(odd[:3])}).")
    return Rows([r["text"] for r in rows], np.asarray([x == "Yes" for x in labels], bool))


def read_tasks(
    folder: Path, categories: Sequence[str], only: Sequence[str] | None = None
) -> list[Task]:
    """The ``cuad_*`` tasks of a LegalBench folder (or the ``only`` ones), in name order."""
    if not folder.is_dir():
        raise InputNotFoundError.for_path(folder)
    names = sorted(p.name for p in folder.glob(f"{TASK_PREFIX}*") if (p / "test.tsv").exists())
    if only:
        missing = sorted(set(only) - set(names))
        if missing:
            raise KnownError(f"{folder}: no LegalBench task {', '.join(missing)}.",
                             hint=f"Its tasks: {', '.join(names[:5])} ...")  # fmt: skip
        names = [n for n in names if n in set(only)]
    if not names:
        raise KnownError(
            f"{folder}: no LegalBench cuad_* task folders with a test.tsv.",
            hint="Download LegalBench's task files, or point --legalbench at their folder.",
        )
    tasks = []
    for name in names:
        category = task_category(name, categories)
        if category is None:
            raise KnownError(f"{folder / name}: no clause-model category matches this task.")
        train_path = folder / name / "train.tsv"
        train = _yes_no(train_path) if train_path.exists() else Rows([], np.zeros(0, bool))
        tasks.append(Task(name, category, _yes_no(folder / name / "test.tsv"), train))
    return tasks


# -- scoring -------------------------------------------------------------------------------


def _sigmoid(z: Floats) -> Floats:
    out: Floats = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
    return out


class IsolatedScorer:
    """The clause model's scores of clauses each read alone; every distinct text once."""

    def __init__(self, model: ClauseModel) -> None:
        self.model = model
        self._cache: dict[str, npt.NDArray[np.float32]] = {}

    def ngram(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """(rows, categories) n-gram probabilities: the clause's own words, no heading,
        no neighbours, no position."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache]
        m = self.model
        for i in range(0, len(todo), BATCH):
            chunk = todo[i : i + BATCH]
            rows = m.clause_vec.rows(term_counts(t) for t in chunk)
            z = scores(*rows, m.clause_w, m.clause_b).astype(np.float64)
            probs = _sigmoid(z).astype(np.float32)
            self._cache.update(zip(chunk, probs, strict=True))
        if not texts:
            return np.zeros((0, len(m.categories)), np.float32)
        return np.stack([self._cache[t] for t in texts])

    def context_applies(self, j: int) -> bool:
        ctx = self.model.context
        return ctx is not None and bool(ctx.active[j])

    def context(self, column: npt.NDArray[np.floating], j: int) -> Floats:
        """Category ``j``'s context re-scoring, each row a document of one candidate."""
        ctx = self.model.context
        assert ctx is not None
        if not len(column):
            return np.zeros(0)
        feats = np.vstack([context_features(logits(column[i : i + 1])) for i in range(len(column))])
        return _sigmoid(feats @ ctx.weights[j].astype(np.float64) + float(ctx.bias[j]))


# -- metrics -------------------------------------------------------------------------------


def balanced_accuracy(labels: Bools, predicted: Bools) -> float | None:
    """Mean recall of the classes present (sklearn's definition); None without rows."""
    recalls = [float(np.mean(predicted[labels == c] == c)) for c in (True, False)
               if np.any(labels == c)]  # fmt: skip
    return float(np.mean(recalls)) if recalls else None


def roc_auc(labels: Bools, score: Floats) -> float | None:
    """Probability that a Yes row outscores a No row (ties count half); None if one class."""
    pos, neg = int(labels.sum()), int((~labels).sum())
    if not pos or not neg:
        return None
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    ranks[order] = np.arange(1, len(score) + 1)
    sorted_scores = score[order]
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    for f, c in zip(first, counts, strict=True):  # ties share their mean rank
        if c > 1:
            ranks[order[f : f + c]] = f + (c + 1) / 2
    return float((ranks[labels].sum() - pos * (pos + 1) / 2) / (pos * neg))


def train_threshold(score: Floats, labels: Bools) -> float | None:
    """The score threshold (``>=`` is Yes) with the best balanced accuracy on the train rows:
    the middle, in logit space, of the best run of cut points; None if a class is missing."""
    if not labels.any() or labels.all():
        return None
    z = np.sort(np.unique(logits(score)))
    cuts = np.r_[z[0] - 1.0, (z[:-1] + z[1:]) / 2, z[-1] + 1.0]
    zs = logits(score)
    accs = np.array([balanced_accuracy(labels, zs >= c) or 0.0 for c in cuts])
    best = np.flatnonzero(accs == accs.max())
    end = 0
    while end + 1 < len(best) and best[end + 1] == best[end] + 1:
        end += 1  # the first run of equally good cut points
    middle = float((cuts[best[0]] + cuts[best[end]]) / 2)
    return float(_sigmoid(np.array([middle]))[0])


def _figures(labels: Bools, score: Floats, threshold: float | None) -> dict[str, Any]:
    out: dict[str, Any] = {"rows": len(labels), "balanced_accuracy": None, "accuracy": None,
                           "roc_auc": _round(roc_auc(labels, score))}  # fmt: skip
    if threshold is not None and len(labels):
        predicted = score >= threshold
        out["balanced_accuracy"] = _round(balanced_accuracy(labels, predicted))
        out["accuracy"] = _round(float(np.mean(predicted == labels)))
    return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


# -- seen and unseen rows --------------------------------------------------------------------


def norm_words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


class TextIndex:
    """Which texts occur in a set of contracts: hashed word 8-grams (shingles), and the
    contracts' joined words for texts shorter than a shingle."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.vocab: dict[str, int] = {}
        hashes: list[npt.NDArray[np.uint64]] = []
        joined: list[str] = []
        for text in texts:
            words = norm_words(text)
            joined.append(" ".join(words))
            ids = [self.vocab.setdefault(w, len(self.vocab)) for w in words]
            hashes.append(self._shingles(ids))
        self.hashes = np.unique(np.concatenate(hashes)) if hashes else np.zeros(0, np.uint64)
        self.joined = " \n ".join(joined)

    @staticmethod
    def _shingles(ids: Sequence[int]) -> npt.NDArray[np.uint64]:
        n = len(ids) - SHINGLE + 1
        if n <= 0:
            return np.zeros(0, np.uint64)
        arr = np.asarray(ids, np.uint64) + np.uint64(1)
        h = np.zeros(n, np.uint64)
        for k in range(SHINGLE):  # a polynomial hash, wrapping at 2**64
            h = h * np.uint64(1_000_003) + arr[k : k + n]
        return h

    def share(self, text: str) -> float:
        """The share of the text's shingles found in the contracts (short texts: 1.0 when
        its words occur there in a row, else 0.0)."""
        words = norm_words(text)
        if len(words) < SHINGLE:
            return float(bool(words) and f" {' '.join(words)} " in f" {self.joined} ")
        unknown = len(self.vocab) + 10**9  # a word the contracts lack: no shingle matches
        h = self._shingles([self.vocab.get(w, unknown) for w in words])
        pos = np.searchsorted(self.hashes, h)
        found = (pos < len(self.hashes)) & (self.hashes[np.minimum(pos, len(self.hashes) - 1)] == h)
        return float(found.mean())


@dataclass(frozen=True)
class SeenSplit:
    train: TextIndex
    validation: TextIndex
    train_contracts: int

    def seen(self, texts: Sequence[str]) -> tuple[Bools, Bools]:
        """Per row: in the training contracts; in the validation contracts (and not seen)."""
        seen = np.array([self.train.share(t) >= SEEN_SHARE for t in texts], bool)
        val = np.array([not s and self.validation.share(t) >= SEEN_SHARE
                        for t, s in zip(texts, seen, strict=True)], bool)  # fmt: skip
        return seen, val


def seen_split(cuad_dir: Path) -> SeenSplit:
    """The 400 training contracts and the 70 validation contracts of CUAD's fixed split."""
    contracts = cuad.read_gold(cuad_dir / "labels.dev.jsonl")
    train_names, _ = cuad.validation_split(contracts)
    keep = set(train_names)
    texts = {c.name: c.txt_path.read_text("utf-8", errors="replace") for c in contracts}
    return SeenSplit(
        TextIndex(t for n, t in texts.items() if n in keep),
        TextIndex(t for n, t in texts.items() if n not in keep),
        len(keep),
    )


# -- the run ---------------------------------------------------------------------------------

Verifier = Callable[[str, str], float]  # (clause text, category) -> P(Yes)


@dataclass
class Stage:
    """One way of scoring a task's rows: its scores of the train rows and of the test rows
    (all of them, or the ``rows`` sample)."""

    name: str
    train: Floats
    test: Floats
    rows: npt.NDArray[np.intp] | None = None


VERIFY_BELOW = 0.9  # as the review pipeline: a clause scoring this or more is not asked


def _verified(base: Floats, texts: Sequence[str], category: str, verifier: Verifier) -> Floats:
    """The pipeline's verifier step: under VERIFY_BELOW, the mean of the score and P(Yes)."""
    out = base.copy()
    for i, text in enumerate(texts):
        if base[i] < VERIFY_BELOW:
            out[i] = (base[i] + verifier(text, category)) / 2
    return out


def _stages(
    task: Task, j: int, scorer: IsolatedScorer, verifier: Verifier | None, llm_rows: int
) -> list[Stage]:
    train_p = scorer.ngram(task.train.texts)[:, j].astype(np.float64)
    test_p = scorer.ngram(task.test.texts)[:, j].astype(np.float64)
    out = [Stage("ngram", train_p, test_p)]
    if scorer.context_applies(j):
        out.append(Stage("context", scorer.context(train_p, j), scorer.context(test_p, j)))
    if verifier is not None:
        last = out[-1]
        rows = np.sort(np.random.default_rng(0).permutation(len(test_p))[:llm_rows])
        texts = [task.test.texts[i] for i in rows]
        train_v = _verified(last.train, task.train.texts, task.category, verifier)
        test_v = _verified(last.test[rows], texts, task.category, verifier)
        # the stage before the verifier on the very rows the verifier answered, to compare
        out.append(Stage(f"{last.name}_on_llm_rows", last.train, last.test[rows], rows))
        out.append(Stage("llm_verifier", train_v, test_v, rows))
    return out


def _task_report(
    task: Task, stages: list[Stage], cuad_threshold: float, seen: Bools | None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "category": task.category,
        "rows": len(task.test.labels),
        "yes": int(task.test.labels.sum()),
        "train_rows": len(task.train.labels),
        "seen_rows": None if seen is None else int(seen.sum()),
        "stages": {},
    }
    decides = [s for s in stages if s.rows is None][-1]  # the last stage over all rows
    for stage in stages:
        labels = task.test.labels if stage.rows is None else task.test.labels[stage.rows]
        part_seen = seen if seen is None or stage.rows is None else seen[stage.rows]
        t_train = train_threshold(stage.train, task.train.labels)
        fig: dict[str, Any] = {
            "threshold_train": _round(t_train),
            "roc_auc": _round(roc_auc(labels, stage.test)),
            "train": _figures(labels, stage.test, t_train),
        }
        if part_seen is not None:
            for part, mask in (("seen", part_seen), ("unseen", ~part_seen)):
                fig[part] = _figures(labels[mask], stage.test[mask], t_train)
        out["stages"][stage.name] = fig
    # the score the app decides on (context where it applies) at the model's own threshold
    labels = task.test.labels
    shipped: dict[str, Any] = {
        "stage": decides.name,
        "threshold_cuad": round(cuad_threshold, 4),
        "cuad": _figures(labels, decides.test, cuad_threshold),
    }
    if seen is not None:
        for part, mask in (("seen", seen), ("unseen", ~seen)):
            shipped[f"{part}_cuad"] = _figures(labels[mask], decides.test[mask], cuad_threshold)
    out["shipped"] = shipped
    return out


PARTS = ("train", "seen", "unseen")


def _parts(figs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Macro figures of the parts (all rows, seen, unseen) that have any task."""
    return {p: _macro(f) for p, f in figs.items() if f}


def _macro(figs: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"tasks": len(figs)}
    for key in ("balanced_accuracy", "accuracy", "roc_auc"):
        values = [f[key] for f in figs if f[key] is not None]
        out[key] = _round(float(np.mean(values))) if values else None
    out["rows"] = sum(f["rows"] for f in figs)
    return out


def macro_table(per_task: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Macro averages over tasks: per stage (the tasks where it applies) and threshold."""
    out: dict[str, Any] = {}
    names = dict.fromkeys(s for t in per_task.values() for s in t["stages"])
    for stage in names:
        figs = [t["stages"][stage] for t in per_task.values() if stage in t["stages"]]
        out[stage] = _parts({p: [f[p] for f in figs if p in f] for p in PARTS})
    context = [t for t in per_task.values() if "context" in t["stages"]]
    if context:  # the n-gram model alone on the tasks the context stage re-scores
        ngram = [t["stages"]["ngram"] for t in context]
        out["ngram_on_context_tasks"] = _parts({p: [f[p] for f in ngram if p in f] for p in PARTS})
    shipped = [t["shipped"] for t in per_task.values()]
    parts = ("cuad", "seen_cuad", "unseen_cuad")
    out["shipped"] = _parts({p: [s[p] for s in shipped if p in s] for p in parts})
    return out


def run_legalbench(
    folder: Path,
    model: ClauseModel,
    *,
    cuad_dir: Path | None = None,
    only: Sequence[str] | None = None,
    verifier: Verifier | None = None,
    llm_rows: int = 40,
    verifier_note: str = "",
    encoder_note: str = "",
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """The LegalBench section of the evaluation report (JSON-ready)."""
    start, cpu = time.perf_counter(), time.process_time()
    tasks = read_tasks(folder, model.categories, only)
    split: SeenSplit | None = None
    split_note = ""
    index_seconds = 0.0
    if cuad_dir is not None and (cuad_dir / "labels.dev.jsonl").exists():
        t0 = time.perf_counter()
        split = seen_split(cuad_dir)
        index_seconds = time.perf_counter() - t0
    else:
        split_note = f"CUAD not found at {cuad_dir}: rows not split into seen and unseen"
    scorer = IsolatedScorer(model)
    per_task: dict[str, dict[str, Any]] = {}
    in_validation = 0
    for n, task in enumerate(tasks, 1):
        j = model.categories.index(task.category)
        seen = None
        if split is not None:
            seen, val = split.seen(task.test.texts)
            in_validation += int(val.sum())
        stages = _stages(task, j, scorer, verifier, llm_rows)
        per_task[task.name] = _task_report(task, stages, float(model.thresholds[j]), seen)
        if progress:
            progress(f"[{n}/{len(tasks)}] {task.name}")
    ctx_tasks = [name for name, t in per_task.items() if "context" in t["stages"]]
    return {
        "tasks": per_task,
        "macro": macro_table(per_task),
        "context_tasks": ctx_tasks,
        "scoring": (
            "each row alone: the clause's own words, no section heading, no neighbouring text, "
            "no position; the context stage re-scores it as a document of one candidate"
        ),
        "thresholds": {
            "train": "per task and stage: best balanced accuracy on the task's train.tsv rows",
            "cuad": "the model's document threshold, chosen by cross-validation on the 400 "
            "CUAD training contracts, on the score the app decides on (shipped)",
        },
        "stages_absent": {
            **({} if verifier else {"llm_verifier": verifier_note}),
            "encoder": encoder_note,
        },
        "llm_rows_per_task": llm_rows if verifier else None,
        "seen": {
            "rule": f"a row is seen when >= {SEEN_SHARE:.0%} of its word {SHINGLE}-grams occur "
            f"in the {split.train_contracts if split else 400} CUAD contracts the model "
            "trained on",
            "rows": sum(t["seen_rows"] or 0 for t in per_task.values()) if split else None,
            "unseen_rows_in_validation_contracts": in_validation if split else None,
            "note": split_note,
        },
        "rows": sum(t["rows"] for t in per_task.values()),
        "seconds": round(time.perf_counter() - start, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "seconds_seen_index": round(index_seconds, 2),
    }
