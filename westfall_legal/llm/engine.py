"""The one adapter over llama-cpp-python: load a checked GGUF, complete, stream, constrain.

Only this module imports ``llama_cpp``. A model is loaded only from a registry entry whose
header and sha256 were checked (``registry.verified_path``). Every call has a token limit, a
hard timeout and a cancel token, checked between tokens; prompts longer than the context
raise instead of being truncated. Structured answers are decoded under a GBNF grammar built
from a JSON schema whose strings cannot contain control characters.
"""

from __future__ import annotations

import ctypes
import json
import logging
import math
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from westfall_legal.errors import Cancelled, LlmTimeoutError, MissingDependencyError, ModelError
from westfall_legal.llm.registry import ModelEntry, Registry, verified_path
from westfall_legal.progress import CancelToken
from westfall_legal.settings import Settings

log = logging.getLogger(__name__)
INSTALL_HINT = "Install it: pip install llama-cpp-python==0.3.36 (make demo does this)."


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    tokens: int
    prompt_seconds: float  # until the first generated token
    seconds: float
    finish: str  # "stop", "length"


def _llama() -> Any:
    try:
        import llama_cpp
    except ImportError as exc:  # pragma: no cover - the dependency is always installed
        raise MissingDependencyError(
            "llama-cpp-python is not installed.", hint=INSTALL_HINT
        ) from exc
    _load_cpu_variants(llama_cpp)
    return llama_cpp


# A portable llama.cpp build (GGML_BACKEND_DL=ON, GGML_CPU_ALL_VARIANTS=ON: the desktop
# bundle's) has no CPU code in libggml itself: each instruction-set level is its own library
# (libggml-cpu-x64.so, -sse42, -haswell, -skylakex, -icelake, ...) and ggml loads the best one
# the CPU can run. ggml looks for them only beside the executable and in the working folder,
# which for Python are neither, and llama-cpp-python does not tell it where its lib folder is.
_CPU_VARIANT = re.compile(r"(?:lib)?ggml-cpu-([A-Za-z0-9_]+)\.(?:so|dll)$")
# The library to call ggml's loader through. Not libggml.so by path: the wheel holds copies
# (libggml.so, .so.0, .so.0.x) and libllama links libggml.so.0, so opening another copy would
# give a second ggml with its own backend registry. libllama is the very file llama_cpp
# opened, and a symbol looked up through it is found in the libraries it links. Windows looks
# only in the DLL itself, and has one ggml.dll.
_LOADER_LIBRARY = {"win32": ("ggml.dll",), "darwin": ("libllama.dylib", "libllama.so")}
_variants_loaded = False


def llama_lib_dir(llama_cpp: Any) -> Path:
    """Where llama-cpp-python loads its libraries from (it honours LLAMA_CPP_LIB_PATH too)."""
    override = os.environ.get("LLAMA_CPP_LIB_PATH")
    return Path(override) if override else Path(llama_cpp.__file__).resolve().parent / "lib"


def _load_cpu_variants(llama_cpp: Any) -> None:
    """Point ggml at the CPU-variant libraries of a portable build, once; a build for one CPU
    (``-march=native``, the checkout's) has none and needs nothing."""
    global _variants_loaded
    if _variants_loaded:
        return
    _variants_loaded = True
    folder = llama_lib_dir(llama_cpp)
    if not folder.is_dir() or not any(_CPU_VARIANT.match(p.name) for p in folder.iterdir()):
        return
    names = _LOADER_LIBRARY.get(sys.platform, ("libllama.so",))
    loader = ctypes.CDLL(str(next((folder / n for n in names if (folder / n).exists()), names[0])))
    loader.ggml_backend_reg_count.restype = ctypes.c_size_t
    if loader.ggml_backend_reg_count() == 0:
        loader.ggml_backend_load_all_from_path.argtypes = [ctypes.c_char_p]
        loader.ggml_backend_load_all_from_path(os.fsencode(folder))
    log.info("llama.cpp CPU variant: %s", cpu_variant() or "unknown")


def cpu_variant() -> str | None:
    """The CPU-variant library a portable llama.cpp build loaded (``haswell``, ``icelake``...),
    read from the process's memory map; None for a single-CPU build or off Linux."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in maps.splitlines():
        found = _CPU_VARIANT.match(line.rsplit("/", 1)[-1])
        if found:
            return found.group(1)
    return None


def gpu_available() -> bool:
    """Whether the installed llama.cpp build can offload layers to a GPU."""
    return bool(_llama().llama_supports_gpu_offload())


def backend_label(settings: Settings, setting: str = "llm_gpu_layers") -> str:
    """What `models list` and the GUI show: where the model (or, with ``setting`` =
    "encoder_gpu_layers", the clause encoder) will run, and why."""
    wanted = int(getattr(settings, setting))
    if wanted != 0 and gpu_available():
        layers = "all" if wanted < 0 else str(wanted)
        return f"GPU ({layers} layers offloaded)"
    if wanted != 0:
        return "CPU (this llama.cpp build has no GPU backend)"
    gpu = gpu_available()  # loads llama.cpp's backends first, so the variant is known
    notes = [f"llama.cpp's {variant} variant"] if (variant := cpu_variant()) else []
    if gpu:
        notes.append(f"a GPU is available: set {setting} to use it")
    return "CPU" + (f" ({'; '.join(notes)})" if notes else "")


# A JSON string character: anything but a quote, a backslash or a control character, or an
# escape. llama-cpp-python's converter lets raw control characters through, so a model can
# put a literal newline inside a string and json.loads fails although generation "stopped".
_SAFE_CHAR = (
    r'char ::= [^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" '
    r"[0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F])"
)


def schema_grammar(schema: dict[str, Any]) -> str:
    """GBNF for ``schema`` whose strings cannot contain control characters."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    gbnf: str = json_schema_to_gbnf(json.dumps(schema))
    fixed, count = re.subn(r"(?m)^char ::= .*$", lambda _m: _SAFE_CHAR, gbnf)
    if count > 1:  # none: the schema has no free strings (enums, numbers)
        raise ModelError("the JSON-schema grammar has an unexpected form (two char rules).")
    return fixed


class LlmEngine:
    """One loaded model (plus an optional LoRA adapter)."""

    def __init__(
        self,
        entry: ModelEntry,
        *,
        settings: Settings,
        adapter: ModelEntry | None = None,
    ) -> None:
        path = verified_path(entry)
        lora = verified_path(adapter) if adapter is not None else None
        self.entry = entry
        self.adapter = adapter
        self.settings = settings
        llama_cpp = _llama()
        gpu_layers = settings.llm_gpu_layers if gpu_available() else 0
        start = time.perf_counter()
        try:
            self._llm = llama_cpp.Llama(
                model_path=str(path),
                lora_path=str(lora) if lora else None,
                n_ctx=settings.llm_context,
                n_threads=settings.llm_threads,
                n_threads_batch=settings.llm_batch_threads,
                n_gpu_layers=gpu_layers,
                logits_all=False,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"{path}: llama.cpp could not load the model ({exc}).") from exc
        self._adapter_on = adapter is not None
        self.load_seconds = time.perf_counter() - start
        self.backend = backend_label(settings)
        log.info("model %s loaded in %.2f s on %s", entry.id, self.load_seconds, self.backend)

    @classmethod
    def active(cls, settings: Settings, registry: Registry | None = None) -> LlmEngine:
        """The registry's active model (and active adapter), checked before loading."""
        registry = registry or Registry()
        entry = registry.active("model")
        if entry is None:
            raise ModelError(
                "no language model is active.",
                hint="Run `westfall models install-default`, or `westfall models activate ID`.",
            )
        adapter = registry.active("adapter")
        return cls(entry, settings=settings, adapter=adapter)

    @property
    def model_id(self) -> str:
        return self.entry.id + (f"+{self.adapter.id}" if self.adapter else "")

    @property
    def sha256(self) -> str:
        return self.entry.sha256 + (f"+{self.adapter.sha256}" if self.adapter else "")

    @property
    def context(self) -> int:
        return int(self._llm.n_ctx())

    def _use_adapter(self, on: bool) -> None:
        """Apply the LoRA adapter to the next evaluations, or take it off. The adapters
        ``westfall finetune`` makes answer the clause questions; the summary is written by the
        base model. The evaluated prefix is dropped on a switch: it was computed with the
        other weights."""
        lora = getattr(self._llm, "_lora_adapter", None)  # llama-cpp-python keeps it there
        if lora is None or self._adapter_on == on:
            return
        llama_cpp = _llama()
        if on:
            adapters = (llama_cpp.llama_adapter_lora_p_ctypes * 1)(lora)
            scales = (ctypes.c_float * 1)(1.0)
            failed = llama_cpp.llama_set_adapters_lora(self._llm.ctx, adapters, 1, scales)
        else:
            failed = llama_cpp.llama_set_adapters_lora(self._llm.ctx, None, 0, None)
        if failed:
            raise ModelError(
                f"llama.cpp could not switch the adapter {self.model_id} (code {failed})."
            )
        self._llm.n_tokens = 0
        self._adapter_on = on

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=True))

    def choice_probabilities(self, prompt: str, options: Sequence[str]) -> list[float]:
        """The (adapted) model's probabilities of each option as the next token after
        ``prompt``, normalised over the options (each option is scored by its first token).

        Special tokens in the prompt (``<start_of_turn>``) are parsed as the completion
        parses them; the evaluated prefix shared with the previous call is reused, so
        questions that share a long clause cost only their differing tail.
        """
        self._use_adapter(True)
        tokens = self._llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
        if len(tokens) > self.context:
            raise ModelError(
                f"the prompt needs {len(tokens)} tokens, more than the model's context of "
                f"{self.context}; it was not truncated.",
                hint="Raise llm_context in the settings, or split the text.",
            )
        ids = [self._llm.tokenize(o.encode("utf-8"), add_bos=False)[0] for o in options]
        cached = self._llm.input_ids[: self._llm.n_tokens].tolist()
        keep = 0
        while keep < min(len(cached), len(tokens) - 1) and cached[keep] == tokens[keep]:
            keep += 1
        self._llm.n_tokens = keep
        self._llm.eval(tokens[keep:])
        llama_cpp = _llama()
        row = llama_cpp.llama_get_logits_ith(self._llm.ctx, -1)
        logits = [float(row[i]) for i in ids]
        top = max(logits)
        weights = [math.exp(v - top) for v in logits]
        return [w / sum(weights) for w in weights]

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: Sequence[str] = (),
        schema: dict[str, Any] | None = None,
        on_token: Callable[[str], None] | None = None,
        cancel: CancelToken | None = None,
        timeout_s: float | None = None,
    ) -> Completion:
        """Greedy completion of ``prompt`` by the base model (the adapter is for the clause
        questions), streamed token by token to ``on_token``."""
        self._use_adapter(False)
        prompt_tokens = self.count_tokens(prompt)
        if prompt_tokens + max_tokens > self.context:
            raise ModelError(
                f"the prompt needs {prompt_tokens} + {max_tokens} tokens, more than the "
                f"model's context of {self.context}; it was not truncated.",
                hint="Raise llm_context in the settings, or split the text.",
            )
        grammar = None
        if schema is not None:
            grammar = _llama().LlamaGrammar.from_string(schema_grammar(schema), verbose=False)
        timeout = timeout_s if timeout_s is not None else self.settings.llm_timeout_s
        start = time.perf_counter()
        first: float | None = None
        parts: list[str] = []
        finish = "stop"
        stream: Iterator[dict[str, Any]] = self._llm.create_completion(
            prompt,
            max_tokens=max_tokens,
            temperature=0.0,
            stop=list(stop) or None,
            grammar=grammar,
            stream=True,
        )
        try:
            for chunk in stream:
                choice = chunk["choices"][0]
                piece = choice["text"]
                first = first if first is not None else time.perf_counter() - start
                parts.append(piece)
                if on_token is not None and piece:
                    on_token(piece)
                finish = choice.get("finish_reason") or finish
                if cancel is not None and cancel.cancelled:
                    raise Cancelled("the language model was stopped.")
                if time.perf_counter() - start > timeout:
                    raise LlmTimeoutError(
                        f"the language model took longer than {timeout:.0f} s and was stopped."
                    )
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        seconds = time.perf_counter() - start
        text = "".join(parts)
        return Completion(
            text=text,
            prompt_tokens=prompt_tokens,
            tokens=len(parts),
            prompt_seconds=first if first is not None else seconds,
            seconds=seconds,
            finish=finish,
        )

    def structured(
        self,
        prompt: str,
        schema: dict[str, Any],
        *,
        max_tokens: int,
        cancel: CancelToken | None = None,
        timeout_s: float | None = None,
    ) -> dict[str, Any]:
        """A JSON object matching ``schema``, decoded under its grammar and checked.

        ``max_tokens`` is raised to what the schema's bounded strings can need, so a long but
        valid answer is never cut off mid-string.
        """
        budget = max(max_tokens, token_budget(schema))
        done = self.complete(
            prompt, max_tokens=budget, schema=schema, cancel=cancel, timeout_s=timeout_s
        )
        try:
            value = json.loads(done.text)
        except json.JSONDecodeError as exc:
            raise ModelError(
                f"the model's answer is not complete JSON ({done.finish} after {done.tokens} "
                "tokens).",
                hint="Raise max_tokens for this prompt, or bound the schema's strings.",
            ) from exc
        problems = check_schema(value, schema)
        if problems:
            raise ModelError(f"the model's answer does not match its schema: {problems[0]}.")
        assert isinstance(value, dict)
        return value


def token_budget(schema: dict[str, Any]) -> int:
    """Tokens enough for any answer the schema allows (a token is at least one character)."""
    if "enum" in schema:
        return max(len(json.dumps(v)) for v in schema["enum"]) + 2
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return 4 + sum(len(k) + 6 + token_budget(v) for k, v in props.items())
    if kind == "string":
        if "maxLength" not in schema:
            raise ModelError(
                "a JSON-schema string field has no maxLength: a small model can loop in it "
                "until the token limit.",
                hint="Bound every string field of the prompt's schema with maxLength.",
            )
        return 2 + 2 * int(schema["maxLength"])  # escapes take two characters
    if kind in ("integer", "number"):
        return 24
    if kind == "boolean":
        return 5
    raise ModelError(f"the prompt schema uses an unsupported type {kind!r}.")


def check_schema(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """The subset of JSON schema the prompts use: object, string, integer, number, enum."""
    problems: list[str] = []
    kind = schema.get("type")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where} is not one of {schema['enum']}")
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{where} is not an object"]
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where}.{key} is missing")
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                problems += check_schema(value[key], sub, f"{where}.{key}")
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{where} is not a string")
        elif len(value) > schema.get("maxLength", len(value)):
            problems.append(f"{where} is longer than {schema['maxLength']}")
    elif kind == "integer" and not (isinstance(value, int) and not isinstance(value, bool)):
        problems.append(f"{where} is not an integer")
    elif kind == "number" and not isinstance(value, int | float):
        problems.append(f"{where} is not a number")
    return problems


def tokenize_texts(model: Path, texts: Sequence[str]) -> list[list[int]]:
    """``texts`` tokenised by llama.cpp's own tokenizer of ``model`` (vocabulary only, with
    BOS, special tokens parsed): the token ids a fine-tune trains on are exactly the ones the
    engine will feed the model."""
    llama_cpp = _llama()
    try:
        vocab = llama_cpp.Llama(model_path=str(model), vocab_only=True, verbose=False)
    except (ValueError, RuntimeError, OSError) as exc:
        raise ModelError(f"{model}: llama.cpp could not read its vocabulary ({exc}).") from exc
    return [vocab.tokenize(t.encode("utf-8"), add_bos=True, special=True) for t in texts]


SEQUENCES = 4  # texts decoded together by the encoder


class EmbeddingEngine:
    """An encoder GGUF loaded for embeddings: mean-pooled, not normalised, each text cut
    after ``max_tokens`` tokens (its batch size: llama.cpp truncates there). The caller has
    checked the file's sha256 (``llm.encoder``)."""

    def __init__(self, path: Path, *, max_tokens: int, threads: int, gpu_layers: int) -> None:
        llama_cpp = _llama()
        self.gpu = gpu_layers != 0 and gpu_available()
        start = time.perf_counter()
        try:
            self._llm = llama_cpp.Llama(
                model_path=str(path),
                embedding=True,
                pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN,
                n_ctx=max_tokens * SEQUENCES,  # each sequence's share: max_tokens
                n_batch=max_tokens,
                n_ubatch=max_tokens,
                n_seq_max=SEQUENCES,
                n_threads=threads,
                n_threads_batch=threads,
                n_gpu_layers=gpu_layers if self.gpu else 0,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"{path}: llama.cpp could not load the encoder ({exc}).") from exc
        self.load_seconds = time.perf_counter() - start

    def count_tokens(self, texts: Sequence[str]) -> int:
        """The tokens :meth:`embed` feeds the model for ``texts`` (after truncation)."""
        batch = int(self._llm.n_batch)
        return sum(min(batch, len(self._llm.tokenize(t.encode("utf-8")))) for t in texts)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One embedding per text (truncated at the batch size, as in training)."""
        try:
            out = self._llm.embed(list(texts), normalize=False, truncate=True)
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"llama.cpp could not embed the candidates ({exc}).") from exc
        return [list(map(float, e)) for e in out]
