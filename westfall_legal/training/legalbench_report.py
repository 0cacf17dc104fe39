"""The LegalBench part of ``westfall evaluate``: which stages can answer, the run, the table."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from westfall_legal.analysis.playbook import load_playbook
from westfall_legal.errors import KnownError
from westfall_legal.pipeline import DEFAULT_PLAYBOOK, Engines, load_clause_model
from westfall_legal.settings import Settings
from westfall_legal.settings import load as load_settings
from westfall_legal.training.legalbench import Verifier, run_legalbench
from westfall_legal.training.legalbench_published import beside
from westfall_legal.training.legalbench_tos import TASK as TOS
from westfall_legal.training.legalbench_tos import run_unfair_tos

ENCODER_ABSENT = (
    "not shipped: no clause encoder is installed or configured (settings clause_encoder), "
    "so there is no encoder stage to score"
)


def _verifier(settings: Settings) -> tuple[Verifier | None, str]:
    """The LLM verifier when a LoRA adapter is active; else None and why."""
    from westfall_legal.llm.clause_verify import yes_probability
    from westfall_legal.llm.registry import Registry

    if not settings.use_llm:
        return None, "not run: the language model is switched off (settings use_llm)"
    if Registry().active("adapter") is None:
        return None, "not run: no LoRA adapter is active (`westfall models activate ID`)"
    engines = Engines()
    llm = engines.language_model(settings)
    if llm is None or llm.adapter is None:
        return None, f"not run: the language model could not be loaded ({engines.llm_error})"
    return (lambda text, category: yes_probability(llm, text, category)), ""


def legalbench_report(
    folder: Path,
    *,
    only: list[str] | None = None,
    cuad_dir: Path | None = None,
    llm_rows: int = 40,
    quiet: bool = False,
) -> dict[str, Any]:
    """The cuad_* tasks per stage, unfair_tos through the playbook, published figures."""
    settings = load_settings()
    model = load_clause_model(settings.clause_model)
    verifier, verifier_note = _verifier(settings)
    encoder_note = ENCODER_ABSENT
    if settings.clause_encoder:
        encoder_note = (f"not run: the encoder {settings.clause_encoder} scores candidates "
                        "inside a document review only")  # fmt: skip
    cuad_only = [t for t in only or [] if t != TOS] or None
    if only and not cuad_only:
        raise KnownError("--legalbench-tasks names no cuad_* task.")
    report = run_legalbench(
        folder, model, cuad_dir=cuad_dir or folder.parent / "cuad", only=cuad_only,
        verifier=verifier, llm_rows=llm_rows, verifier_note=verifier_note,
        encoder_note=encoder_note,
        progress=None if quiet else lambda m: print(f"\r{m:70}", end="", file=sys.stderr),
    )  # fmt: skip
    if not quiet:
        print(file=sys.stderr)
    report["model"] = {"id": model.version, "sha256": model.sha256}
    report["published"] = beside(report["tasks"])
    if (folder / TOS / "test.tsv").exists() and (not only or TOS in only):
        settings_playbook = Path(settings.playbook) if settings.playbook else DEFAULT_PLAYBOOK
        report[TOS] = run_unfair_tos(folder, model, load_playbook(settings_playbook))
    return report


def _f(x: float | None) -> str:
    return "    -" if x is None else f"{x:.3f}"


def print_legalbench(lb: dict[str, Any]) -> None:
    print(f"{'LegalBench task':40} {'rows':>5} {'seen':>5} {'stage':8} {'BA':>6} {'acc':>6} "
          f"{'BA uns':>6} {'AUC':>6} {'BAcuad':>6}")  # fmt: skip
    for name, t in lb["tasks"].items():
        for stage, f in t["stages"].items():
            cuad = (
                t["shipped"]["cuad"]["balanced_accuracy"]
                if stage == t["shipped"]["stage"]
                else None
            )
            print(
                f"{name[:40]:40} {f['train']['rows']:5} {t['seen_rows'] or 0:5} {stage:8} "
                f"{_f(f['train']['balanced_accuracy']):>6} {_f(f['train']['accuracy']):>6} "
                f"{_f(f.get('unseen', {}).get('balanced_accuracy')):>6} {_f(f['roc_auc']):>6} "
                f"{_f(cuad):>6}"
            )
    for stage, parts in lb["macro"].items():
        line = ", ".join(
            f"{p} BA {_f(v['balanced_accuracy'])} acc {_f(v['accuracy'])} ({v['tasks']} tasks)"
            for p, v in parts.items()
        )
        print(f"macro {stage}: {line}")
    for stage, note in lb["stages_absent"].items():
        print(f"{stage}: {note}")
    tos = lb.get("unfair_tos")
    if tos:
        covered = {k: v for k, v in tos["classes"].items() if v["rules"]}
        print(f"unfair_tos: {tos['classes_covered']}/{tos['classes_total']} classes covered by "
              f"playbook rules ({_f(tos['unfair_rows_covered'])} of unfair rows); "
              + "; ".join(f"{k}: recall {_f(v['recall'])}, BA {_f(v['balanced_accuracy'])}"
                          for k, v in covered.items()))  # fmt: skip
    index = lb["seconds_seen_index"]
    print(f"LegalBench: {lb['rows']} rows in {lb['seconds']:.1f} s, {lb['cpu_seconds']:.1f} s "
          f"of CPU (of which {index:.1f} s indexing the training contracts)")  # fmt: skip
