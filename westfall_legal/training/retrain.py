"""``westfall retrain``: a candidate clause model from CUAD and the users' corrections,
compared with the active model before anyone can switch it on.

1. The feedback: the verified bundles (the pool, or files), each document once, from the
   newest bundle that carries it. About one document in four is held out by a hash of its
   name (:func:`held_out`): the same document is held out in every retraining, so the
   candidate is never measured on what it was trained on.
2. Training: CUAD's development contracts outside the fixed validation split, plus the
   feedback documents not held out (repeated ``weight`` times: a firm's few documents
   against CUAD's 400). Thresholds come from k-fold out-of-fold scores on the unrepeated
   set, as ``train-clauses`` does.
3. Comparison (:mod:`.compare`) of the candidate and the active model on CUAD's validation
   split and on the held-out feedback documents; the gate's verdict.
4. The candidate is written to the data folder's ``models/ID`` (model, manifest with the
   training data's digest, model card, ``comparison.json``, ``COMPARISON.md``) and
   registered as a candidate (:mod:`.clause_registry`). It is not switched on.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import tempfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from westfall_legal import paths
from westfall_legal.categories import CATEGORIES
from westfall_legal.errors import KnownError, ModelError
from westfall_legal.feedback import Bundle, latest_documents
from westfall_legal.feedback.bundle import safe_join
from westfall_legal.hashing import sha256_file
from westfall_legal.pipeline import load_clause_model
from westfall_legal.training import clause_registry
from westfall_legal.training.compare import (
    CUAD_SET,
    FEEDBACK_SET,
    compare_set,
    comparison_markdown,
    gate,
)
from westfall_legal.training.cuad import (
    VALIDATION_SIZE,
    GoldContract,
    read_gold,
    validation_split,
)
from westfall_legal.training.dataset import ContractRecord, build_records
from westfall_legal.training.model_card import write_model_card
from westfall_legal.training.train_clauses import (
    Params,
    check_trainable,
    context_categories,
    evaluate_records,
    fit_shipped,
    timed,
)

log = logging.getLogger(__name__)
HOLD_OUT_EVERY = 4
DEFAULT_WEIGHT = 3
COMPARISON_FILE = "comparison.json"


def held_out(name: str) -> bool:
    """Whether a feedback document is held out from training (fixed by its name)."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % HOLD_OUT_EVERY == 0


def split_feedback(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """(train, held out); with two or more documents, at least one of each."""
    ordered = sorted(names, key=lambda n: hashlib.sha256(n.encode()).hexdigest())
    held = [n for n in ordered if held_out(n)]
    if len(ordered) >= 2 and not held:
        held = ordered[:1]
    if len(ordered) >= 2 and len(held) == len(ordered):
        held = held[:-1]
    return sorted(n for n in names if n not in held), sorted(held)


@dataclass(frozen=True)
class FeedbackData:
    train: list[GoldContract]
    held_out: list[GoldContract]
    bundles: dict[str, str]  # document name -> the bundle it comes from


def feedback_contracts(bundles: Sequence[Bundle], folder: Path) -> FeedbackData:
    """The bundles' documents (each once) written under ``folder`` as CUAD-format data."""
    chosen = latest_documents(list(bundles))
    contracts: list[GoldContract] = []
    for bundle in bundles:
        mine = {name for name, b in chosen.items() if b is bundle}
        if mine:
            labels = bundle.extract(safe_join(folder, bundle.bundle_id, bundle.source), mine)
            contracts += [c for c in read_gold(labels) if c.name in mine]
    _, held = split_feedback([c.name for c in contracts])
    keep = set(held)
    return FeedbackData(
        train=[c for c in contracts if c.name not in keep],
        held_out=[c for c in contracts if c.name in keep],
        bundles={name: b.bundle_id for name, b in chosen.items()},
    )


@dataclass(frozen=True)
class RetrainResult:
    model_id: str
    folder: Path
    comparison: dict[str, Any]
    validation: dict[str, float]


def new_model_id() -> str:
    return "clauses-" + datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")


def _records(
    contracts: list[GoldContract], cache: Path | None, progress: Callable[[str], None], what: str
) -> list[ContractRecord]:
    done = timed(f"read {len(contracts)} {what}", progress)
    records = build_records(
        contracts,
        cache=cache,
        progress=lambda i, n: progress(f"{what}: read {i}/{n}") if i % 50 == 0 else None,
    )
    done()
    failed = [r for r in records if r.error]
    if failed:
        progress(f"{what}: {len(failed)} could not be read (left out), e.g. {failed[0].error}")
    return [r for r in records if r.error is None]


def _digest(cuad_labels: Path | None, data: FeedbackData, weight: int, params: Params) -> str:
    described = {
        "cuad": sha256_file(cuad_labels) if cuad_labels else None,
        "feedback": sorted(data.bundles.items()),
        "held_out": sorted(c.name for c in data.held_out),
        "weight": weight,
        "params": params.__dict__,
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def _cuad(cuad_dir: Path, size: int) -> tuple[Path, list[GoldContract], set[str]]:
    labels = cuad_dir / "labels.dev.jsonl"
    contracts = read_gold(labels)
    _, val = validation_split(contracts, size)
    return labels, contracts, set(val)


def compare_models(
    active_name: str, candidate_id: str, sets: dict[str, list[ContractRecord]]
) -> dict[str, Any]:
    active = load_clause_model(active_name)
    candidate = load_clause_model(candidate_id)
    result = {name: compare_set(active, candidate, records) for name, records in sets.items()}
    return {
        "candidate": candidate_id,
        "active": active_name,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "sets": result,
        "gate": gate(result),
    }


def _write_comparison(folder: Path, comparison: dict[str, Any]) -> None:
    paths.write_json(folder / COMPARISON_FILE, comparison, indent=2)
    paths.write_atomic(folder / "COMPARISON.md", comparison_markdown(comparison) + "\n")


def retrain(
    bundles: Sequence[Bundle],
    *,
    cuad_dir: Path,
    params: Params | None = None,
    cache: Path | None = None,
    weight: int = DEFAULT_WEIGHT,
    model_id: str | None = None,
    validation_size: int = VALIDATION_SIZE,
    exclude: Collection[str] = (),
    progress: Callable[[str], None] = print,
) -> RetrainResult:
    """Train, compare and register a candidate (see the module docstring). ``exclude``:
    CUAD contracts kept out of both training and validation (those the feedback also
    carries, as in a demonstration that corrects CUAD contracts)."""
    params = params or Params()
    model_id = model_id or new_model_id()
    target = paths.user_models_dir() / model_id
    if target.exists() or model_id in {e.id for e in clause_registry.entries()}:
        raise ModelError(f"{target}: a clause model {model_id!r} exists already.",
                         hint="Choose another --id.")  # fmt: skip
    if weight < 1:
        raise KnownError("--feedback-weight must be 1 or more.")
    labels, contracts, val_names = _cuad(cuad_dir, validation_size)
    hint = (
        f"{validation_size} CUAD contracts are held out for validation and about one feedback "
        "document in four for the comparison: point --cuad at the full CUAD v1 folder (510 "
        "contracts) or add feedback bundles."
    )
    with tempfile.TemporaryDirectory(prefix="westfall-feedback-") as tmp:
        data = feedback_contracts(bundles, Path(tmp))
        outside = [c for c in contracts if c.name not in val_names and c.name not in exclude]
        check_trainable([c.contract_type for c in [*outside, *data.train]], params,
                        source=labels, hint=hint)  # fmt: skip
        cuad_records = [
            r
            for r in _records(contracts, cache, progress, "CUAD contracts")
            if r.name not in exclude
        ]
        fb_train = _records(data.train, None, progress, "feedback documents")
        fb_held = _records(data.held_out, None, progress, "held-out feedback documents")
    cuad_train = [r for r in cuad_records if r.name not in val_names]
    cuad_val = [r for r in cuad_records if r.name in val_names]
    check_trainable([r.contract_type for r in [*cuad_train, *fb_train]], params, source=labels,
                    hint=f"Some contracts could not be read (above). {hint}")  # fmt: skip
    progress(
        f"training on {len(cuad_train)} CUAD contracts + {len(fb_train)} feedback documents "
        f"(x{weight}); held out: {len(cuad_val)} CUAD, {len(fb_held)} feedback"
    )
    candidate = fit_shipped(
        [*cuad_train, *fb_train], params, progress, fit_records=[*cuad_train, *fb_train * weight]
    )
    candidate.version = model_id
    validation = evaluate_records(candidate, cuad_val)
    digest = _digest(labels, data, weight, params)
    extra = _manifest_extra(params, validation, data, digest, weight, cuad_train)
    extra["context_categories"] = context_categories(candidate)
    candidate.save(target, extra)
    (target / "validation_split.txt").write_text("\n".join(sorted(val_names)) + "\n", "utf-8")
    write_model_card(target)
    active_name = clause_registry.active_id()
    comparison = compare_models(active_name, model_id, {CUAD_SET: cuad_val, FEEDBACK_SET: fb_held})
    comparison["held_out_feedback"] = sorted(c.name for c in data.held_out)
    _write_comparison(target, comparison)
    clause_registry.register_candidate(
        clause_registry.ClauseModelEntry(
            id=model_id,
            status="candidate",
            created=comparison["created"],
            sha256=candidate.sha256,
            gate=comparison["gate"],
            summary=clause_registry.summary(comparison),
            training_data=digest,
            against=active_name,
        )
    )
    progress(f"wrote {target}; registered {model_id} as a candidate")
    return RetrainResult(model_id, target, comparison, validation)


def _manifest_extra(
    params: Params,
    validation: dict[str, float],
    data: FeedbackData,
    digest: str,
    weight: int,
    cuad_train: list[ContractRecord],
) -> dict[str, object]:
    return {
        "kind": "clause-classifier",
        "categories": list(CATEGORIES),
        "training_data": (
            f"CUAD v1 (The Atticus Project, CC BY 4.0): {len(cuad_train)} development "
            f"contracts; validation split held out. Feedback: {len(data.train)} documents "
            f"corrected by reviewers (x{weight}) from {len(set(data.bundles.values()))} "
            f"bundle(s); {len(data.held_out)} held out for the comparison"
        ),
        "training_data_sha256": digest,
        "feedback_bundles": sorted(set(data.bundles.values())),
        "licence": "Model: AGPL-3.0-or-later (Westfall Legal); trained on CUAD v1, CC BY 4.0, "
        "and on the firm's own corrected documents",
        "params": params.__dict__,
        "validation": validation,
    }


def recompare(
    candidate_id: str,
    bundles: Sequence[Bundle],
    *,
    cuad_dir: Path,
    against: str | None = None,
    cache: Path | None = None,
    validation_size: int = VALIDATION_SIZE,
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Compare a registered candidate again (with the active model, or ``against``) on the
    same held-out sets; the registry records the new gate."""
    clause_registry.get(candidate_id)
    held_names = set(json.loads((paths.user_models_dir() / candidate_id / COMPARISON_FILE)
                                .read_text("utf-8")).get("held_out_feedback", []))  # fmt: skip
    _, contracts, val_names = _cuad(cuad_dir, validation_size)
    with tempfile.TemporaryDirectory(prefix="westfall-feedback-") as tmp:
        data = feedback_contracts(bundles, Path(tmp))
        fb = [c for c in [*data.train, *data.held_out] if c.name in held_names]
        fb_held = _records(fb, None, progress, "held-out feedback documents")
    cuad_records = _records(contracts, cache, progress, "CUAD contracts")
    cuad_val = [r for r in cuad_records if r.name in val_names]
    active_name = against or clause_registry.active_id()
    comparison = compare_models(
        active_name, candidate_id, {CUAD_SET: cuad_val, FEEDBACK_SET: fb_held}
    )
    comparison["held_out_feedback"] = sorted(held_names)
    _write_comparison(paths.user_models_dir() / candidate_id, comparison)
    if against is None:
        clause_registry.update_comparison(candidate_id, comparison)
    return comparison
