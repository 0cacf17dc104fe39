"""A runtime check of a review dict against westfall_legal/review_json.py's TypedDicts.

jsonschema checks the file against the schema; this checks it against the types the code
reads it through, so a key the code relies on and the schema forgot shows up in a test.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, Union, get_args, get_origin


def mismatches(value: Any, kind: Any, where: str = "review") -> list[str]:
    """Every place where value is not of kind, as 'path: what' lines (empty when it conforms)."""
    if kind is Any:
        return []
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        options = [mismatches(value, k, where) for k in get_args(kind)]
        return [] if any(not o for o in options) else min(options, key=len)
    if origin is Literal:
        return [] if value in get_args(kind) else [f"{where}: {value!r} not in {get_args(kind)}"]
    if typing.is_typeddict(kind):
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        hints = typing.get_type_hints(kind)
        out = [f"{where}: missing {k}" for k in sorted(kind.__required_keys__ - set(value))]
        out += [f"{where}: unknown key {k}" for k in sorted(set(value) - set(hints))]
        for key in set(value) & set(hints):
            out += mismatches(value[key], hints[key], f"{where}.{key}")
        return out
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        (item,) = get_args(kind)
        return [m for i, v in enumerate(value) for m in mismatches(v, item, f"{where}[{i}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        _, item = get_args(kind)
        return [m for k, v in value.items() for m in mismatches(v, item, f"{where}.{k}")]
    if kind is type(None):
        return [] if value is None else [f"{where}: not null"]
    if kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if ok else [f"{where}: not a number"]
    if kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{where}: not an integer"]
    return [] if isinstance(value, kind) else [f"{where}: not {kind.__name__}"]
