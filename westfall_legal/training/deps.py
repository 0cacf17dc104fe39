"""The training libraries, imported on first use with an error that names the extra: the
one adapter for scikit-learn and scipy (the ``train`` extra) and for torch, transformers
and peft (the ``finetune`` extra). Every training module asks here.
"""

from __future__ import annotations

import os
from typing import Any

from westfall_legal.errors import MissingDependencyError


def sklearn_modules() -> tuple[Any, Any]:
    """(``sklearn.linear_model``, ``scipy.sparse``)."""
    try:
        import scipy.sparse
        import sklearn.linear_model
    except ImportError as exc:
        raise _no_sklearn() from exc
    return sklearn.linear_model, scipy.sparse


def torch_modules(purpose: str, hint: str, *, with_peft: bool = False) -> tuple[Any, ...]:
    """(torch, transformers), plus peft when asked, or a clear error naming what is missing
    for ``purpose``. The stack never reaches a model hub: all it needs is on this machine."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import torch
        import transformers

        modules: tuple[Any, ...] = (torch, transformers)
        if with_peft:
            import peft

            modules = (*modules, peft)
    except ImportError as exc:
        raise MissingDependencyError(f"{purpose} ({exc.name} is missing).", hint=hint) from exc
    return modules


def average_precision(truth: Any, scores: Any) -> float:
    """scikit-learn's average precision of ``scores`` against the 0/1 ``truth``."""
    try:
        from sklearn.metrics import average_precision_score
    except ImportError as exc:
        raise _no_sklearn() from exc
    return float(average_precision_score(truth, scores))


def _no_sklearn() -> MissingDependencyError:
    return MissingDependencyError(
        "Training needs scikit-learn and scipy.",
        hint="Install the training extra: pip install 'westfall-legal[train]'.",
    )
