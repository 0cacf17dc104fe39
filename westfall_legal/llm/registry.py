"""The model registry: which GGUF files the app may load, and which one is active.

A JSON manifest in the data folder (``models/registry.json``) lists every model and adapter
the firm allowed: id, file, sha256, size, architecture, quantisation, licence, base/adapter
relation, training data, metrics and status (active / candidate / retired). The manifest is
signed with HMAC-SHA256 under a per-installation key kept beside it (``.registry-key``, owner
read/write only): an edited or copied-in manifest is refused. That detects tampering by
anything that cannot read the key; it is not a defence against someone who owns the account.

Before llama.cpp parses a file, :func:`verified_path` checks its header (``gguf.read_header``)
and its sha256 against the entry: an unknown or altered file is never loaded.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path
from typing import Any, Literal

from westfall_legal import paths
from westfall_legal.errors import AdapterGateError, ModelError
from westfall_legal.hashing import sha256_file
from westfall_legal.llm.gguf import read_header

SCHEMA = "westfall.models/1"
Status = Literal["active", "candidate", "retired"]
STATUSES: tuple[Status, ...] = ("active", "candidate", "retired")


@dataclass(frozen=True)
class ModelEntry:
    id: str
    file: str  # absolute path
    sha256: str
    size: int
    architecture: str
    quantisation: str
    licence: str
    kind: Literal["model", "adapter"]
    status: Status = "candidate"
    base: str | None = None  # for an adapter: the id of the model it adapts
    training_data: str = ""
    metrics: dict[str, float] = field(default_factory=dict)
    added: str = ""
    chat_template: bool = False


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Registry:
    """Load, change and save the manifest. Every change is saved atomically."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or paths.user_models_dir()
        self.file = self.folder / "registry.json"
        self.key_file = self.folder / ".registry-key"
        self.entries: dict[str, ModelEntry] = {}
        self.history: list[dict[str, str]] = []  # activations, oldest first
        self._load()

    # -- persistence ------------------------------------------------------------------
    def _key(self, create: bool) -> bytes | None:
        if self.key_file.exists():
            return bytes.fromhex(self.key_file.read_text(encoding="ascii").strip())
        if not create:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.hex())
        return key

    @staticmethod
    def _body(entries: list[dict[str, Any]], history: list[dict[str, str]]) -> bytes:
        return json.dumps(
            {"schema": SCHEMA, "entries": entries, "history": history}, sort_keys=True
        ).encode("utf-8")

    def _load(self) -> None:
        if not self.file.exists():
            return
        bad = ModelError(
            f"{self.file}: the model registry was changed outside Westfall Legal "
            "(its signature does not match).",
            hint="Restore it from a backup, or delete it and register the models again with "
            "`westfall models add FILE`.",
        )
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            body = self._body(data["entries"], data["history"])
            signature = str(data["mac"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise bad from exc
        key = self._key(create=False)
        if key is None or not hmac.compare_digest(
            hmac.new(key, body, sha256).hexdigest(), signature
        ):
            raise bad
        self.entries = {e["id"]: ModelEntry(**e) for e in data["entries"]}
        self.history = list(data["history"])

    def save(self) -> None:
        key = self._key(create=True)
        assert key is not None
        entries = [asdict(e) for e in self.entries.values()]
        body = self._body(entries, self.history)
        data = {
            "schema": SCHEMA,
            "entries": entries,
            "history": self.history,
            "mac": hmac.new(key, body, sha256).hexdigest(),
        }
        paths.write_json(self.file, data, indent=2, sort_keys=True)

    # -- queries ----------------------------------------------------------------------
    def get(self, model_id: str) -> ModelEntry:
        try:
            return self.entries[model_id]
        except KeyError:
            known = ", ".join(sorted(self.entries)) or "none"
            raise ModelError(
                f"no model with id {model_id!r} in the registry (registered: {known}).",
                hint="Run `westfall models list`.",
            ) from None

    def active(self, kind: Literal["model", "adapter"] = "model") -> ModelEntry | None:
        return next(
            (e for e in self.entries.values() if e.status == "active" and e.kind == kind), None
        )

    def unregistered(self, folders: list[Path]) -> list[Path]:
        """GGUF files lying in ``folders`` that are not registered (listed, never loaded)."""
        known = {Path(e.file).resolve() for e in self.entries.values()}
        found: dict[Path, None] = {}
        for folder in folders:
            if folder.is_dir():
                found.update(
                    (p, None) for p in sorted(folder.rglob("*.gguf")) if p.resolve() not in known
                )
        return list(found)

    # -- changes ----------------------------------------------------------------------
    def add(
        self,
        path: Path,
        *,
        model_id: str | None = None,
        licence: str | None = None,
        base: str | None = None,
        training_data: str = "",
        metrics: dict[str, float] | None = None,
    ) -> ModelEntry:
        """Check ``path`` (header, size) and register it as a candidate."""
        path = path.resolve()
        info = read_header(path)
        model_id = model_id or _slug(info.name)
        if model_id in self.entries:
            raise ModelError(
                f"a model with id {model_id!r} is already registered.",
                hint="Choose another id with --id.",
            )
        if info.kind == "adapter":
            if base is None:
                raise ModelError(
                    f"{path}: a LoRA adapter needs the id of the model it adapts.",
                    hint="Add it with --base MODEL_ID.",
                )
            self.get(base)
        entry = ModelEntry(
            id=model_id,
            file=str(path),
            sha256=sha256_file(path),
            size=info.size,
            architecture=info.architecture,
            quantisation=info.quantisation,
            licence=licence or info.licence,
            kind="adapter" if info.kind == "adapter" else "model",
            base=base,
            training_data=training_data,
            metrics=dict(metrics or {}),
            added=_now(),
            chat_template=info.has_chat_template,
        )
        self.entries[model_id] = entry
        self.save()
        return entry

    def activate(self, model_id: str, *, force: bool = False) -> ModelEntry:
        """Switch ``model_id`` on, after checking its file (header and sha256: ``force``
        never overrides integrity). An adapter whose comparison failed its gate (``westfall
        finetune`` records it as the ``gate_passed`` metric) is refused unless ``force``."""
        entry = self.get(model_id)
        verified_path(entry)
        if entry.kind == "adapter" and entry.metrics.get("gate_passed") == 0.0 and not force:
            raise AdapterGateError(
                f"adapter {model_id!r} did not pass its comparison with the clause classifier."
            )
        if entry.kind == "adapter":
            model = self.active("model")
            if model is None or model.id != entry.base:
                raise ModelError(
                    f"adapter {model_id!r} adapts {entry.base!r}, which is not the active model.",
                    hint=f"Activate {entry.base!r} first.",
                )
        else:
            adapter = self.active("adapter")
            if adapter is not None and adapter.base != model_id:  # it would not fit the new base
                self.entries[adapter.id] = replace(adapter, status="candidate")
        previous = self.active(entry.kind)
        if previous is not None and previous.id != model_id:
            self.entries[previous.id] = replace(previous, status="candidate")
        self.entries[model_id] = replace(entry, status="active")
        self.history.append({"id": model_id, "kind": entry.kind, "at": _now()})
        self.save()
        return self.entries[model_id]

    def rollback(self, kind: Literal["model", "adapter"] = "model") -> ModelEntry:
        """Retire the active model (or adapter) and re-activate the one before it."""
        current = self.active(kind)
        earlier = [
            h["id"]
            for h in self.history
            if h["kind"] == kind
            and h["id"] in self.entries
            and current is not None
            and h["id"] != current.id
            and self.entries[h["id"]].status != "retired"
        ]
        if current is None or not earlier:
            raise ModelError(
                f"there is no earlier {kind} to roll back to.",
                hint="Run `westfall models list` to see the registered models.",
            )
        self.entries[current.id] = replace(current, status="retired")
        return self.activate(earlier[-1], force=True)  # it was switched on before

    def update_metrics(self, model_id: str, metrics: dict[str, float]) -> ModelEntry:
        """Replace an entry's figures (a new comparison); the file and its digest stay."""
        self.entries[model_id] = replace(self.get(model_id), metrics=dict(metrics))
        self.save()
        return self.entries[model_id]

    def retire(self, model_id: str) -> None:
        self.entries[model_id] = replace(self.get(model_id), status="retired")
        self.save()


def verified_path(entry: ModelEntry) -> Path:
    """The entry's file, after checking its header and its sha256 against the registry."""
    path = Path(entry.file)
    read_header(path)
    digest = sha256_file(path)
    if digest != entry.sha256:
        raise ModelError(
            f"{path}: the file changed since it was registered as {entry.id!r} "
            f"(sha256 {digest[:12]}..., registered {entry.sha256[:12]}...); it will not be loaded.",
            hint="Restore the original file, or register the new one with "
            "`westfall models add FILE --id NEW_ID`.",
        )
    return path


def _slug(name: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in name)
    return "-".join(part for part in keep.split("-") if part) or "model"
