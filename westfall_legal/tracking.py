"""Experiment tracking in MLflow (the ``tracking`` extra): the one module that imports mlflow.

Every training and evaluation command (``train-clauses``, ``retrain``, ``finetune``,
``train-encoder``, ``evaluate``) runs inside :func:`tracked`, which records the run's
parameters, data digests, metrics (per step or epoch, per category), the model card and the
reports, and the sha256 of the model it produced with the registry entry that holds it.
``westfall runs list|show`` reads them back (:func:`list_runs`, :func:`get_run`).

Where: a local MLflow file store in the data folder (``mlruns/``, :func:`store_dir`). The
``tracking_uri`` setting points it at a firm's own MLflow server instead, or turns tracking
off (``"off"``). Nothing is sent anywhere unless that setting names a server: MLflow's usage
telemetry (which otherwise looks up ``config.mlflow-telemetry.io`` when mlflow is imported)
is switched off before the import, here.

Without mlflow, training runs exactly as before and says once that tracking is off. A
tracking failure never costs a trained model: opening the store fails before any training
starts (a :class:`TrackingError`); a failure while logging is reported once and the run's
record is left incomplete.
"""

from __future__ import annotations

import json
import logging
import math
import os
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from westfall_legal import __version__, paths
from westfall_legal.errors import Cancelled, KnownError, MissingDependencyError
from westfall_legal.hashing import sha256_bytes, sha256_file
from westfall_legal.settings import Settings
from westfall_legal.settings import load as load_settings

log = logging.getLogger(__name__)

# Set before mlflow is imported: no telemetry (MLflow 3 phones home by default), and the
# file store, which MLflow 3 keeps in maintenance mode and refuses unless allowed.
ENVIRONMENT = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",
    "MLFLOW_ALLOW_FILE_STORE": "true",
}
OFF = "off"
EXPERIMENT_PREFIX = "westfall/"
INSTALL_HINT = "Install the tracking extra: pip install 'westfall-legal[tracking]'."
_PARAM_CHARS = 500  # a parameter's value is cut here (MLflow allows 6000)
_said: set[str] = set()  # what this process has said once already


class TrackingError(KnownError):
    """The tracking store cannot be opened or read (a bad setting, an unreachable server)."""

    default_hint = 'Check the tracking_uri setting in settings.toml, or set it to "off".'


def store_dir() -> Path:
    """The local tracking store (an MLflow file store) in the data folder."""
    return paths.data_dir() / "mlruns"


def tracking_uri(settings: Settings | None = None) -> str | None:
    """Where runs are logged: the ``tracking_uri`` setting, the local store when it is
    empty, None when it is "off"."""
    value = (settings or load_settings()).tracking_uri.strip()
    if value.lower() == OFF:
        return None
    return value or store_dir().as_uri()


def shown(uri: str) -> str:
    """``uri`` without a user name or password in it (for messages)."""
    parts = urlsplit(uri)
    if parts.scheme == "file":
        return parts.path
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _say_once(key: str, line: str) -> None:
    if key not in _said:
        _said.add(key)
        print(f"westfall: {line}", file=sys.stderr, flush=True)


def _client(uri: str) -> Any | None:
    """An ``MlflowClient`` on ``uri``, or None without mlflow installed."""
    os.environ.update(ENVIRONMENT)
    try:
        from mlflow.tracking import MlflowClient
    except ImportError:
        return None
    try:
        return MlflowClient(tracking_uri=uri)
    except Exception as exc:  # mlflow's own errors, OSError (a file where a folder should be)
        raise _unopened(uri, exc) from exc


def _unopened(uri: str, exc: Exception) -> TrackingError:
    return TrackingError(
        f"cannot open the experiment tracking store at {shown(uri)} ({type(exc).__name__}); "
        "nothing was trained."
    )


def key(name: str) -> str:
    """A metric or parameter name MLflow accepts (letters, digits, ``_-. ``)."""
    return "".join(ch if ch.isalnum() or ch in "_-. " else "_" for ch in name)


def flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as one level of dotted names."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{prefix}{name}."))
        else:
            out[key(f"{prefix}{name}")] = value
    return out


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


class Run:
    """One tracked run. On the run of a disabled tracker every method does nothing."""

    def __init__(self, client: Any | None = None, run_id: str = "") -> None:
        self._client = client
        self.id = run_id

    @property
    def active(self) -> bool:
        return self._client is not None

    def _do(self, what: str, *args: Any, **kwargs: Any) -> None:
        if self._client is None:
            return
        try:
            getattr(self._client, what)(self.id, *args, **kwargs)
        except Exception as exc:  # mlflow's own errors, OSError, an HTTP client's errors
            log.warning("tracking: %s failed: %s", what, type(exc).__name__)
            _say_once("failed", f"experiment tracking failed ({what}: {type(exc).__name__}); "
                      "this run's record is incomplete, its results are not affected.")  # fmt: skip
            self._client = None

    def params(self, values: Mapping[str, Any], prefix: str = "") -> None:
        if not self.active:
            return
        from mlflow.entities import Param

        items = [
            Param(k, str(v)[:_PARAM_CHARS])
            for k, v in flatten(values, prefix).items()
            if v is not None
        ]
        for i in range(0, len(items), 100):
            self._do("log_batch", params=items[i : i + 100])

    def digests(self, values: Mapping[str, str]) -> None:
        """The sha256 of each input (parameters ``data.NAME``)."""
        self.params(values, "data.")

    def metrics(self, values: Mapping[str, Any], prefix: str = "", *, step: int = 0) -> None:
        """The numbers among ``values`` (nested: dotted names); others are left out."""
        if not self.active:
            return
        from mlflow.entities import Metric

        stamp = int(time.time() * 1000)
        items = [
            Metric(k, v, stamp, step)
            for k, raw in flatten(values, prefix).items()
            if (v := _number(raw)) is not None
        ]
        for i in range(0, len(items), 1000):
            self._do("log_batch", metrics=items[i : i + 1000])

    def series(self, name: str, values: list[tuple[int, float]]) -> None:
        """One metric per step or epoch (a loss curve)."""
        if not self.active:
            return
        from mlflow.entities import Metric

        stamp = int(time.time() * 1000)
        items = [Metric(key(name), float(v), stamp, s) for s, v in values if _number(v) is not None]
        for i in range(0, len(items), 1000):
            self._do("log_batch", metrics=items[i : i + 1000])

    def per_category(self, rows: Mapping[str, Mapping[str, Any]], prefix: str = "") -> None:
        """Figures per category as metrics ``category.NAME.FIGURE``."""
        self.metrics({f"{prefix}category": {key(c): dict(v) for c, v in rows.items()}})

    def tags(self, values: Mapping[str, str]) -> None:
        for name, value in values.items():
            self._do("set_tag", key(name), value)

    def artifact(self, path: Path, folder: str | None = None) -> None:
        if path.is_file():
            self._do("log_artifact", str(path), folder)

    def document(self, obj: Any, name: str) -> None:
        """A JSON artifact written from ``obj``."""
        self._do("log_dict", obj, name)

    def digest_files(self, files: Mapping[str, Path]) -> None:
        """The sha256 of each input file that exists (parameters ``data.NAME``)."""
        self.digests({n: sha256_file(p) for n, p in files.items() if self.active and p.is_file()})

    def bundles(self, bundles: Sequence[Any]) -> None:
        """Each feedback bundle trained on: its id and the sha256 of its signed zip."""
        self.digests({f"bundle.{b.bundle_id}": sha256_bytes(b.zip_bytes) for b in bundles})

    def loss_log(self, path: Path) -> None:
        """A JSON-lines log of ``{"step", "loss"}`` records as the metric ``loss``."""
        if not self.active or not path.is_file():
            return
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        self.series("loss", [(int(r["step"]), float(r["loss"])) for r in rows if "loss" in r])

    def model(self, *, model_id: str, sha256: str, registry: str, folder: Path | None) -> None:
        """The model the run produced, and the registry entry that holds it."""
        self.tags({"model.id": model_id, "model.sha256": sha256, "model.registry": registry,
                   **({"model.folder": str(folder)} if folder else {})})  # fmt: skip

    def model_folder(self, folder: Path, *, registry: str, files: tuple[str, ...] = ()) -> None:
        """A model folder's manifest (its params, validation figures, sha256) and card."""
        if not self.active:
            return
        manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text("utf-8"))
        self.params(manifest.get("params") or {})
        data = manifest.get("training_data_sha256") or manifest.get("training_data")
        if isinstance(data, str) and len(data) == 64:
            self.digests({"training_data": data})
        self.metrics(manifest.get("validation") or {}, "validation.")
        self.metrics(manifest.get("metrics") or {})
        self.per_category(manifest.get("validation_per_category") or {}, "validation.")
        losses = (manifest.get("train") or {}).get("losses") or []
        self.series("loss", list(enumerate(losses, 1)))
        model_id, sha256 = str(manifest.get("id", folder.name)), str(manifest.get("sha256", ""))
        self.model(model_id=model_id, sha256=sha256, registry=registry, folder=folder)
        for name in ("manifest.json", "MODEL_CARD.md", *files):
            self.artifact(folder / name, "model")

    def encoder(self, final: Path) -> None:
        """A trained encoder's folder: the sha256 of its weights (registered once exported)."""
        weights = final / "model.safetensors"
        if self.active and weights.is_file():
            self.model(model_id=final.parent.name, sha256=sha256_file(weights),
                       registry="encoder run folder", folder=final)  # fmt: skip

    def comparison(self, comparison: Mapping[str, Any]) -> None:
        """A candidate's side-by-side comparison: its own figures per set and category."""
        for name, figures in (comparison.get("sets") or {}).items():
            self.metrics(figures.get("macro") or {}, f"{name}.")
            rows = {c: {m: v.get("candidate") for m, v in row.items() if isinstance(v, Mapping)}
                    for c, row in (figures.get("per_category") or {}).items()}  # fmt: skip
            self.per_category(rows, f"{name}.")
        self.tags({"gate.passed": str(bool((comparison.get("gate") or {}).get("passed")))})

    def evaluation(self, report: Mapping[str, Any], json_out: Path, html_out: Path | None) -> None:
        """An evaluation report: macro, per-category and fact figures, the JSON and HTML."""
        scalars = {k: v for k, v in report.items() if _number(v) is not None}
        self.metrics({"macro": report.get("macro") or {}, "facts": report.get("facts") or {},
                      **scalars})  # fmt: skip
        self.per_category(report.get("per_category") or {})
        model = report.get("model") or {}
        if model.get("id"):
            self.tags({"evaluated.model": str(model["id"])})
        self.artifact(json_out, "evaluation")
        if html_out is not None:
            self.artifact(html_out, "evaluation")


@contextmanager
def tracked(
    command: str, *, params: Mapping[str, Any] | None = None, settings: Settings | None = None
) -> Iterator[Run]:
    """Run the body as one tracked run of ``command`` (the experiment ``westfall/COMMAND``);
    its status is FINISHED, FAILED or KILLED (interrupted or cancelled) as the body ends."""
    uri = tracking_uri(settings)
    client = _client(uri) if uri else None
    if client is None or uri is None:
        why = 'the tracking_uri setting is "off"' if uri is None else INSTALL_HINT
        _say_once("off", f"experiment tracking is off ({why}).")
        yield Run()
        return
    try:
        name = EXPERIMENT_PREFIX + command
        found = client.get_experiment_by_name(name)
        experiment = found.experiment_id if found else client.create_experiment(name)
        created = client.create_run(
            experiment,
            tags={"westfall.command": command, "westfall.version": __version__},
            run_name=f"{command}-{time.strftime('%Y%m%d-%H%M%S')}",
        )
    except Exception as exc:  # mlflow's own errors, OSError, an HTTP client's errors
        raise _unopened(uri, exc) from exc
    run = Run(client, created.info.run_id)
    run.params(params or {})
    status = "FAILED"
    try:
        yield run
        status = "FINISHED"
    except (KeyboardInterrupt, Cancelled):
        status = "KILLED"
        raise
    finally:
        run._do("set_terminated", status)
        if run.active:
            print(f"tracked as run {run.id[:12]} (`westfall runs show {run.id[:12]}`)",
                  file=sys.stderr)  # fmt: skip


# --- reading the store back -------------------------------------------------------------


@dataclass(frozen=True)
class RunRecord:
    id: str
    command: str
    name: str
    status: str
    started: str  # ISO time, UTC
    seconds: float | None
    params: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    artifacts: tuple[str, ...] = ()

    @property
    def model(self) -> dict[str, str]:
        """The model the run produced: id, sha256, registry, folder (where recorded)."""
        return {k[6:]: v for k, v in self.tags.items() if k.startswith("model.")}


def _reader(uri: str | None = None) -> tuple[Any, str]:
    uri = uri or tracking_uri() or store_dir().as_uri()
    client = _client(uri)
    if client is None:
        raise MissingDependencyError("reading tracked runs needs mlflow.", hint=INSTALL_HINT)
    return client, uri


def _record(raw: Any, artifacts: tuple[str, ...] = ()) -> RunRecord:
    info, data = raw.info, raw.data
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(info.start_time / 1000))
    seconds = (info.end_time - info.start_time) / 1000 if info.end_time else None
    tags = {k: v for k, v in data.tags.items() if not k.startswith("mlflow.")}
    return RunRecord(id=info.run_id, command=tags.get("westfall.command", "?"),
                     name=info.run_name or "", status=info.status, started=started,
                     seconds=seconds, params=dict(data.params), metrics=dict(data.metrics),
                     tags=tags, artifacts=artifacts)  # fmt: skip


def list_runs(
    *, limit: int = 50, command: str | None = None, uri: str | None = None
) -> list[RunRecord]:
    """The newest runs first, of every command or of one."""
    client, uri = _reader(uri)
    if uri.startswith("file:") and not store_dir().exists() and uri == store_dir().as_uri():
        return []
    try:
        ids = [e.experiment_id for e in client.search_experiments()
               if e.name.startswith(EXPERIMENT_PREFIX + (command or ""))]  # fmt: skip
        if not ids:
            return []
        found = client.search_runs(ids, max_results=limit, order_by=["attributes.start_time DESC"])
    except Exception as exc:  # mlflow's own errors, OSError, an HTTP client's errors
        raise TrackingError(
            f"cannot read the tracking store at {shown(uri)} ({type(exc).__name__})."
        ) from exc
    return [_record(r) for r in found]


def get_run(ref: str, *, uri: str | None = None) -> RunRecord:
    """One run by its id or an unambiguous prefix of it (at least 6 characters)."""
    client, uri = _reader(uri)
    matches = [r.id for r in list_runs(limit=10_000, uri=uri) if r.id.startswith(ref)]
    if len(ref) < 6 or len(matches) != 1:
        why = "is ambiguous" if len(matches) > 1 and len(ref) >= 6 else "matches no run"
        if len(ref) < 6:
            why = "is too short (give at least 6 characters)"
        raise TrackingError(f"run {ref!r} {why} in {shown(uri)}.",
                            hint="List the runs with `westfall runs list`.")  # fmt: skip
    try:
        raw = client.get_run(matches[0])
        files = _artifacts(client, matches[0], None)
    except Exception as exc:  # mlflow's own errors, OSError, an HTTP client's errors
        raise TrackingError(f"cannot read run {ref} ({type(exc).__name__}).") from exc
    return _record(raw, tuple(files))


def _artifacts(client: Any, run_id: str, folder: str | None) -> list[str]:
    out: list[str] = []
    for item in client.list_artifacts(run_id, folder):
        out += _artifacts(client, run_id, item.path) if item.is_dir else [item.path]
    return out


def metric_history(run_id: str, name: str, *, uri: str | None = None) -> list[tuple[int, float]]:
    """(step, value) of one metric over the run (a loss curve)."""
    client, _ = _reader(uri)
    return [(m.step, m.value) for m in client.get_metric_history(run_id, name)]
