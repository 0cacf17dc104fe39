"""The review's verification step around the engine: who is asked, how the confidence is
blended, and that a failing model leaves the classifier's clauses standing."""

from __future__ import annotations

import pytest
from fakes.llm import FakeLlm

from westfall_legal.models import Clause
from westfall_legal.pipeline import VERIFY_BELOW, Engines, _verified
from westfall_legal.progress import CancelToken, ProgressEvent
from westfall_legal.settings import Settings


def _clause(cid: str, confidence: float) -> Clause:
    return Clause(cid, "Governing Law", confidence, "governed by Ohio law", 0, 20, 1, (), None)


CLAUSES = [_clause("a", 0.95), _clause("b", 0.6), _clause("c", VERIFY_BELOW - 0.01)]


def test_only_uncertain_clauses_are_asked_and_blended() -> None:
    llm = FakeLlm(adapter=object())
    events: list[ProgressEvent] = []
    out = _verified(CLAUSES, Engines(llm=llm), Settings(), events.append, CancelToken())
    assert llm.asked == 2 and [e.done for e in events] == [1, 2]
    assert (out[0].confidence, out[0].verifier) == (0.95, None)
    assert (out[1].confidence, out[1].verifier) == (pytest.approx(0.4), 0.2)
    assert out[2].confidence == pytest.approx((VERIFY_BELOW - 0.01 + 0.2) / 2)


def test_no_adapter_or_no_llm_leaves_the_clauses_as_scored() -> None:
    llm = FakeLlm(adapter=None)
    engines = Engines(llm=llm)
    assert _verified(CLAUSES, engines, Settings(), lambda _e: None, CancelToken()) == CLAUSES
    off = Settings(use_llm=False)
    engines = Engines(llm=FakeLlm(adapter=object()))
    assert _verified(CLAUSES, engines, off, lambda _e: None, CancelToken()) == CLAUSES
    assert llm.asked == 0


def test_a_failing_model_leaves_every_clause_unverified() -> None:
    llm = FakeLlm(adapter=object(), fail_after=1)
    out = _verified(CLAUSES, Engines(llm=llm), Settings(), lambda _e: None, CancelToken())
    assert out == CLAUSES  # not half verified
