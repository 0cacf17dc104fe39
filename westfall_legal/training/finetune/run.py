"""``westfall finetune``: a candidate LoRA adapter for the local model, measured, registered.

1. Examples (:mod:`.sft`): the verified bundles' chat rows (less the documents held out for
   the comparison) and, with ``--cuad``, yes/no questions from CUAD's development contracts
   outside the fixed validation split.
2. Tokens: llama.cpp's own tokenizer of the base GGUF, so training sees the ids the engine
   will feed; an example longer than ``max_tokens`` is dropped (counted), never cut.
3. Training (:mod:`.lora`), export to a GGUF LoRA adapter (:mod:`.export`), and a load
   check in llama.cpp with the base model.
4. With ``--cuad`` (or held-out feedback), the comparison (:mod:`.assess`) on questions the
   adapter never saw; then the adapter is registered as a *candidate* with its training
   data digest and figures, and its model card written. It is not switched on.
"""

from __future__ import annotations

import datetime
import json
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from westfall_legal import paths
from westfall_legal.errors import KnownError, ModelError
from westfall_legal.feedback import Bundle
from westfall_legal.hashing import sha256_file
from westfall_legal.llm.engine import LlmEngine, tokenize_texts
from westfall_legal.llm.gguf import GgufInfo
from westfall_legal.llm.registry import ModelEntry, Registry, verified_path
from westfall_legal.progress import CancelToken
from westfall_legal.settings import Settings
from westfall_legal.settings import load as load_settings
from westfall_legal.training.cuad import VALIDATION_SIZE
from westfall_legal.training.finetune import assess, sft
from westfall_legal.training.finetune.card import comparison_lines, write_adapter_card
from westfall_legal.training.finetune.export import export_adapter
from westfall_legal.training.finetune.lora import (
    LoraParams,
    TokenisedExample,
    TrainResult,
    train_lora,
)

LICENCE = "Gemma Terms of Use (base model); CUAD v1 CC BY 4.0 (training data)"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class FinetuneOptions:
    cuad_dir: Path | None = None
    per_category: int = 12  # CUAD questions per category and answer (Yes, No)
    assess_per_category: int = 4  # validation questions per category and answer; 0: none
    params: LoraParams = field(default_factory=LoraParams)
    cache: Path | None = None
    validation_size: int = VALIDATION_SIZE  # CUAD's fixed split; tests use a smaller one


@dataclass(frozen=True)
class FinetuneResult:
    adapter: ModelEntry
    folder: Path
    train: TrainResult
    counts: dict[str, int]
    assessment: dict[str, Any] | None


def new_adapter_id() -> str:
    return "legal-lora-" + datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")


def _cuad(
    options: FinetuneOptions, progress: Callable[[str], None]
) -> tuple[list[sft.Pair], list[sft.Pair]]:
    """(training questions, validation questions) from CUAD, scored by the active clause
    model."""
    from westfall_legal.pipeline import load_clause_model
    from westfall_legal.training import clause_registry
    from westfall_legal.training.cuad import read_gold, validation_split
    from westfall_legal.training.dataset import build_records

    assert options.cuad_dir is not None
    labels = options.cuad_dir / "labels.dev.jsonl"
    if not labels.is_file():
        raise KnownError(
            f"{labels}: CUAD's development labels are not there.",
            hint="Pass the CUAD folder of ../shared/data (with labels.dev.jsonl).",
        )
    contracts = read_gold(labels)
    _, val_names = validation_split(contracts, options.validation_size)
    progress(f"reading {len(contracts)} CUAD contracts through the pipeline")
    records = build_records(contracts, cache=options.cache)
    model = load_clause_model(clause_registry.active_id())
    p = options.params
    train = sft.candidate_pairs(
        model,
        [r for r in records if r.name not in val_names],
        per_category=options.per_category,
        seed=p.seed,
    )
    held: list[sft.Pair] = []
    if options.assess_per_category:
        held = sft.review_questions(
            model,
            [r for r in records if r.name in set(val_names)],
            per_category=options.assess_per_category,
            seed=p.seed + 1,
        )
    return train, held


def tokenise(
    gguf: Path, examples: Sequence[sft.SftExample], max_tokens: int
) -> tuple[list[TokenisedExample], int]:
    """Token ids per example (prompt with BOS; answer without), and how many were dropped."""
    tokens = tokenize_texts(gguf, [e.prompt for e in examples] + [e.answer for e in examples])
    prompts, answers = tokens[: len(examples)], tokens[len(examples) :]
    out = [
        TokenisedExample(p, a[1:])  # the answer's BOS dropped: it continues the prompt
        for p, a in zip(prompts, answers, strict=True)
    ]
    kept = [t for t in out if t.length <= max_tokens]
    return kept, len(out) - len(kept)


def _assess(
    base: ModelEntry,
    candidate: ModelEntry,
    questions: Sequence[sft.Pair],
    held_out: Sequence[sft.SftExample],
    settings: Settings,
    progress: Callable[[str], None],
    cancel: CancelToken | None,
) -> dict[str, Any]:
    engine = LlmEngine(base, settings=settings, adapter=candidate)
    last = [0]

    def tick(done: int, total: int) -> None:
        if done == total or done - last[0] >= 25:
            last[0] = done
            progress(f"comparison: {done}/{total} questions")

    cuad_rows, feedback_rows, seconds = assess.score_questions(
        engine, questions, held_out, progress=tick, cancel=cancel
    )
    report: dict[str, Any] = {"seconds_per_question": round(seconds, 3)}
    if cuad_rows:
        report["cuad_validation"] = assess.summarise(cuad_rows)
        report["cuad_questions"] = [  # every answer, for analyses the summary does not make
            [r.category, r.gold, round(r.classifier or 0.0, 5), round(r.adapter, 5)]
            for r in cuad_rows
        ]
        report["gate"] = assess.verdict(report["cuad_validation"])
    else:
        report["gate"] = {"passed": False, "reasons": ["no CUAD validation questions"]}
    if feedback_rows:
        report["feedback_held_out"] = assess.summarise(feedback_rows)
    return report


def _metrics(previous: dict[str, float], assessment: dict[str, Any] | None) -> dict[str, float]:
    """The registry's figures: training's (``previous``) and the comparison's; an adapter
    without a passed comparison is recorded as not passing its gate."""
    out = dict(previous)
    out["gate_passed"] = 1.0 if assessment and assessment["gate"]["passed"] else 0.0
    if assessment and "cuad_validation" in assessment:
        pooled = assessment["cuad_validation"]["pooled"]
        out.update({f"aupr_{k}": round(v, 4) for k, v in pooled.items() if v is not None})
        out["seconds_per_question"] = assessment["seconds_per_question"]
    return out


def _examples(
    bundles: Sequence[Bundle], options: FinetuneOptions, progress: Callable[[str], None]
) -> tuple[list[sft.SftExample], list[sft.SftExample], list[sft.Pair], dict[str, int]]:
    """(training examples, held-out feedback examples, CUAD validation questions, counts)."""
    fb_train, fb_held = sft.bundle_examples(bundles)
    cuad_train, cuad_held = _cuad(options, progress) if options.cuad_dir else ([], [])
    examples = fb_train + [sft.pair_example(p) for p in cuad_train]
    if not examples and fb_held:
        raise KnownError(
            f"all {len(fb_held)} examples of the bundles come from documents held out to "
            "measure the adapter; there is nothing left to train on.",
            hint="Add bundles with more corrected documents, or CUAD with --cuad.",
        )
    if not examples:
        raise KnownError(
            "there is nothing to fine-tune on.",
            hint="Pass feedback bundles with --data, or CUAD with --cuad.",
        )
    counts = {
        "bundle_examples": len(fb_train),
        "cuad_examples": len(cuad_train),
        "held_out_feedback": len(fb_held),
        "validation_questions": len(cuad_held),
    }
    return examples, fb_held, cuad_held, counts


def _train_and_export(
    gguf: Path,
    tokens: Sequence[TokenisedExample],
    params: LoraParams,
    out: Path,
    settings: Settings,
    progress: Callable[[str], None],
    cancel: CancelToken | None,
) -> tuple[TrainResult, GgufInfo]:
    def on_step(step: int, total: int, loss: float) -> None:
        if step == 1 or step == total or step % 10 == 0:
            progress(f"step {step}/{total}  loss {loss:.4f}")

    with tempfile.TemporaryDirectory(prefix="westfall-finetune-") as tmp:
        work = Path(tmp)
        result = train_lora(
            gguf,
            tokens,
            work,
            params,
            threads=settings.llm_batch_threads,
            on_step=on_step,
            cancel=cancel,
        )
        info = export_adapter(work, out)
        shutil.copy(work / "adapter" / "adapter_config.json", out.parent / "adapter_config.json")
    return result, info


def _candidate(
    out: Path, info: GgufInfo, adapter_id: str, base: ModelEntry, digest: str
) -> ModelEntry:
    """The registry entry the adapter will get (used to load it before it is registered)."""
    return ModelEntry(
        id=adapter_id,
        file=str(out.resolve()),
        sha256=sha256_file(out),
        size=info.size,
        architecture=info.architecture,
        quantisation=info.quantisation,
        licence=LICENCE,
        kind="adapter",
        base=base.id,
        training_data=digest,
    )


def finetune(
    bundles: Sequence[Bundle],
    *,
    options: FinetuneOptions,
    base_id: str | None = None,
    adapter_id: str | None = None,
    progress: Callable[[str], None] = print,
    cancel: CancelToken | None = None,
) -> FinetuneResult:
    """Train, export, check, compare and register a candidate adapter (module docstring).
    Nothing is left behind when any step fails or is cancelled."""
    registry = Registry()
    base = registry.get(base_id) if base_id else registry.active("model")
    if base is None or base.kind != "model":
        raise ModelError(
            "no base model to fine-tune.",
            hint="Run `westfall models install-default`, or pass --base MODEL_ID.",
        )
    gguf = verified_path(base)
    adapter_id = adapter_id or new_adapter_id()
    folder = paths.user_models_dir() / "adapters" / adapter_id
    if adapter_id in registry.entries or folder.exists():
        raise ModelError(
            f"{folder}: an adapter {adapter_id!r} exists already.", hint="Choose another --id."
        )
    examples, fb_held, cuad_held, counts = _examples(bundles, options, progress)
    p = options.params
    tokens, counts["dropped_too_long"] = tokenise(gguf, examples, p.max_tokens)
    progress(
        f"fine-tuning {base.id} on {len(tokens)} examples ({counts['dropped_too_long']} too "
        f"long, dropped): {p.steps} steps of {p.batch_size}"
    )
    settings = load_settings()
    out = folder / f"{adapter_id}.gguf"
    folder.mkdir(parents=True)
    try:
        result, info = _train_and_export(gguf, tokens, p, out, settings, progress, cancel)
        digest = sft.digest(examples)
        sft.write_jsonl(examples, folder / "train.jsonl")
        candidate = _candidate(out, info, adapter_id, base, digest)
        assessment = None
        if cuad_held or any(e.label is not None for e in fb_held):
            assessment = _assess(base, candidate, cuad_held, fb_held, settings, progress, cancel)
        else:  # at least prove llama.cpp loads it with the base and answers
            engine = LlmEngine(base, settings=settings, adapter=candidate)
            engine.choice_probabilities(examples[0].prompt, ["Yes", "No"])
        last = result.losses[-10:]
        trained = {"steps": float(result.steps), "final_loss": round(sum(last) / len(last), 4)}
        metrics = _metrics(trained, assessment)
        manifest = {
            "id": adapter_id,
            "base": {"id": base.id, "sha256": base.sha256},
            "file": out.name,
            "sha256": candidate.sha256,
            "size": candidate.size,
            "licence": LICENCE,
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "training_data": digest,
            "counts": counts,
            "params": asdict(p),
            "train": {**asdict(result), "losses": [round(x, 4) for x in result.losses]},
            "assessment": assessment,
            "metrics": metrics,
            "bundles": sorted(b.bundle_id for b in bundles),
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), "utf-8")
        write_adapter_card(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    entry = registry.add(
        out,
        model_id=adapter_id,
        licence=LICENCE,
        base=base.id,
        training_data=digest,
        metrics=metrics,
    )
    progress(f"wrote {folder}; registered {adapter_id} as a candidate adapter")
    return FinetuneResult(entry, folder, result, counts, assessment)


def adapter_folder(entry: ModelEntry) -> Path:
    return Path(entry.file).parent


def compare_adapter(
    entry: ModelEntry,
    *,
    cuad_dir: Path | None = None,
    per_category: int = 8,
    progress: Callable[[str], None] = print,
) -> str:
    """The adapter's comparison with the clause classifier as its model card shows it; with
    ``cuad_dir``, measured again on that many CUAD validation questions per category and
    answer, and the registry's figures updated. An adapter ``finetune`` wrote into this data
    folder gets the new comparison in its manifest and card; a shipped one (its folder is
    the app's, perhaps read-only) gets it beside, in ``models/adapters/ID/comparison.json``.
    """
    folder = adapter_folder(entry)
    manifest_path = folder / MANIFEST
    if entry.kind != "adapter" or not manifest_path.is_file():
        raise ModelError(
            f"{entry.id!r} is not an adapter made by `westfall finetune` (no {manifest_path})."
        )
    manifest = json.loads(manifest_path.read_text("utf-8"))
    assessment = manifest.get("assessment")
    if cuad_dir is not None:
        registry = Registry()
        base = registry.get(manifest["base"]["id"])
        options = FinetuneOptions(
            cuad_dir=cuad_dir, per_category=0, assess_per_category=per_category
        )
        _, questions = _cuad(options, progress)
        assessment = _assess(base, entry, questions, [], load_settings(), progress, None)
        trained = {k: v for k, v in entry.metrics.items() if k in ("steps", "final_loss")}
        metrics = _metrics(trained, assessment)
        own = paths.user_models_dir() / "adapters" / entry.id
        if folder.resolve() == own.resolve():
            manifest.update(assessment=assessment, metrics=metrics)
            paths.write_json(manifest_path, manifest, indent=1)
            write_adapter_card(folder)
        else:
            own.mkdir(parents=True, exist_ok=True)
            paths.write_json(own / "comparison.json", assessment, indent=1)
        registry.update_metrics(entry.id, metrics)
    return "\n".join(
        [f"# {entry.id} against the clause classifier", "", *comparison_lines(assessment)]
    )
