"""The app's LLM engine against bare llama-cpp-python, on the same model, prompt and threads.

    python -m benchmarks.llm [--quick] [--json PATH]

Loads the active model (run `westfall models install-default` first) twice: through
``LlmEngine`` (registry check, sha256, streaming, cancel and timeout checks per token) and
as a bare ``llama_cpp.Llama`` with the same settings. Each run processes the same ~2,000-token
prompt and generates the same number of tokens greedily; engine and bare runs alternate and
medians are reported. Also: load time, grammar-constrained vs free generation speed, peak
RSS, and the seconds to produce the sample contract's summary. Headline: ``ratio`` (engine
prompt tokens/s / bare), ``prompt_tps``, ``gen_tps``, ``summary_s``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a file (python benchmarks/NAME.py), not as python -m benchmarks.NAME
    sys.path.insert(0, str(ROOT))

from benchmarks._report import report  # noqa: E402
from westfall_legal.llm.engine import LlmEngine  # noqa: E402
from westfall_legal.llm.registry import Registry, verified_path  # noqa: E402
from westfall_legal.pipeline import Engines, analyse  # noqa: E402
from westfall_legal.settings import load  # noqa: E402

SAMPLE = ROOT / "resources" / "samples" / "master_services_agreement.pdf"
GENERATED = 32


def _prompt(engine: LlmEngine, tokens: int) -> str:
    """About ``tokens`` tokens of the sample contract's text, ending in a summary cue."""
    text = SAMPLE.with_suffix(".txt")
    words = (text.read_text() if text.exists() else _sample_text()).split()
    cut = len(words)
    while engine.count_tokens(" ".join(words[:cut])) > tokens:
        cut = int(cut * 0.9)
    return " ".join(words[:cut]) + "\n\nIn one sentence, this agreement"


def _sample_text() -> str:
    review = analyse(SAMPLE, settings=load().replace(use_llm=False))
    return review.doc_text.text


def _bare_run(llm: Any, prompt: str) -> tuple[float, float]:
    """(prompt tokens/s, generated tokens/s) of bare llama-cpp-python, streaming."""
    llm.reset()
    n_prompt = len(llm.tokenize(prompt.encode("utf-8"), add_bos=True))
    start = time.perf_counter()
    first = None
    count = 0
    for _ in llm.create_completion(prompt, max_tokens=GENERATED, temperature=0.0, stream=True):
        first = first or time.perf_counter()
        count += 1
    end = time.perf_counter()
    assert first is not None
    return n_prompt / (first - start), max(count - 1, 1) / max(end - first, 1e-9)


def _engine_run(engine: LlmEngine, prompt: str) -> tuple[float, float]:
    engine._llm.reset()  # no KV-cache reuse between runs, as for the bare one
    done = engine.complete(prompt, max_tokens=GENERATED)
    gen_seconds = max(done.seconds - done.prompt_seconds, 1e-9)
    return done.prompt_tokens / done.prompt_seconds, max(done.tokens - 1, 1) / gen_seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, shorter prompt")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    settings = load().replace(llm_context=4096)
    entry = Registry().active("model")
    if entry is None:
        print("no active model: run `westfall models install-default` first")
        return 2

    start = time.perf_counter()
    engine = LlmEngine(entry, settings=settings)
    engine_load = time.perf_counter() - start
    import llama_cpp  # the benchmark measures the bare library on purpose

    start = time.perf_counter()
    bare = llama_cpp.Llama(
        model_path=str(verified_path(entry)),
        n_ctx=settings.llm_context,
        n_threads=settings.llm_threads,
        n_threads_batch=settings.llm_batch_threads,
        n_gpu_layers=0,
        verbose=False,
    )
    bare_load = time.perf_counter() - start
    prompt = _prompt(engine, 500 if args.quick else 1900)
    n_prompt = engine.count_tokens(prompt)

    runs: dict[str, list[tuple[float, float]]] = {"engine": [], "bare": []}
    for _ in range(repeats):  # alternate, so both see the same machine load
        runs["engine"].append(_engine_run(engine, prompt))
        runs["bare"].append(_bare_run(bare, prompt))
    med = {
        name: (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs))
        for name, rs in runs.items()
    }
    ratio = med["engine"][0] / med["bare"][0]
    gen_ratio = med["engine"][1] / med["bare"][1]
    del bare

    schema = {"type": "object", "properties": {"summary": {"type": "string", "maxLength": 80}}}
    schema["required"] = ["summary"]
    short = prompt[-1500:]
    timed: dict[str, float] = {}
    for name, kwargs in (("free", {"stop": ["\n"]}), ("grammar", {"schema": schema})):
        engine._llm.reset()
        done = engine.complete(short, max_tokens=24, **kwargs)
        timed[name] = max(done.tokens - 1, 1) / max(done.seconds - done.prompt_seconds, 1e-9)

    engines = Engines(llm=engine)
    start = time.perf_counter()
    review = analyse(SAMPLE, settings=settings, engines=engines)
    review_s = time.perf_counter() - start
    summary = review.summary
    assert summary is not None
    llm_sentences = [s for s in summary.sentences if s.source == "llm"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        f"model {entry.id} ({entry.quantisation}), {settings.llm_threads} thread(s), "
        f"{settings.llm_batch_threads} batch thread(s), backend {engine.backend}"
    )
    print(f"{'':10} {'prompt tok/s':>13} {'gen tok/s':>10} {'load s':>7}")
    print(f"{'engine':10} {med['engine'][0]:13.1f} {med['engine'][1]:10.1f} {engine_load:7.2f}")
    print(f"{'bare':10} {med['bare'][0]:13.1f} {med['bare'][1]:10.1f} {bare_load:7.2f}")
    print(
        f"ratio (engine / bare): prompt {ratio:.3f}, generation {gen_ratio:.3f}; "
        f"{n_prompt}-token prompt, {GENERATED} generated, median of {repeats}"
    )
    print(
        f"generation with a JSON-schema grammar: {timed['grammar']:.1f} tok/s, "
        f"free: {timed['free']:.1f} tok/s"
    )
    print(
        f"sample summary: {summary.seconds:.1f} s for {len(llm_sentences)} model-written "
        f"sentences ({summary.note or 'none discarded'}); whole review {review_s:.1f} s; "
        f"peak RSS {peak_mb:.0f} MB"
    )
    report(
        {
            "ratio": round(ratio, 3),
            "prompt_tps": round(med["engine"][0], 1),
            "gen_tps": round(med["engine"][1], 1),
            "summary_s": summary.seconds,
        },
        args.json,
        bare={"prompt_tps": round(med["bare"][0], 1), "gen_tps": round(med["bare"][1], 1)},
        generation_ratio=round(gen_ratio, 3),
        prompt_tokens=n_prompt,
        generated_tokens=GENERATED,
        repeats=repeats,
        load_s={"engine": round(engine_load, 2), "bare": round(bare_load, 2)},
        grammar_gen_tps=round(timed["grammar"], 2),
        free_gen_tps=round(timed["free"], 2),
        summary_sentences_llm=len(llm_sentences),
        summary_note=summary.note,
        review_s=round(review_s, 2),
        peak_rss_mb=round(peak_mb),
        threads=settings.llm_threads,
        batch_threads=settings.llm_batch_threads,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
