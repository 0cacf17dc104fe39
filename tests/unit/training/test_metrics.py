"""Hand-made cases for westfall_legal.training.metrics (the stable metric definitions)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from westfall_legal.training.dataset import ContractRecord
from westfall_legal.training.metrics import (
    PRF,
    CategoryAccumulator,
    PredMatch,
    SpanMatch,
    TokenIndex,
    accumulate,
    best_threshold,
    interpolate_precisions,
    macro_average,
    match_spans,
    match_spans_offsets,
    normalise_tokens,
    pr_curve,
    prf_at_threshold,
    recall_threshold,
)

# --- tokens -------------------------------------------------------------------------------------


def test_pdf_and_txt_readings_give_the_same_tokens() -> None:
    pdf = (
        "This  Agree-\nment shall termi-\n  nate on the\nEffective\u00a0Date;  the Con\ufb01dential"
    )
    pdf += " non-\ncompete  Party\u2019s obliga\u00adtions."
    txt = "THIS AGREEMENT shall terminate on the effective date, the Confidential "
    txt += "non-compete Party's obligations"
    assert normalise_tokens(pdf) == normalise_tokens(txt)
    assert normalise_tokens(txt) == [
        "this",
        "agreement",
        "shall",
        "terminate",
        "on",
        "the",
        "effective",
        "date",
        "the",
        "confidential",
        "noncompete",
        "party",
        "s",
        "obligations",
    ]


def test_tokens_drop_punctuation_and_underscores_but_keep_separate_words() -> None:
    assert normalise_tokens("(a) $1,000; ____ see: Section 3 -\nTerm") == [
        "a",
        "1",
        "000",
        "see",
        "section",
        "3",
        "term",
    ]
    # A hyphen followed by a space (not a line break) does not join words.
    assert normalise_tokens("pre- and post-closing") == ["pre", "and", "postclosing"]
    assert normalise_tokens("") == []


def test_token_index_positions_follow_character_offsets() -> None:
    text = "Hello, wor-\nld! foo"
    index = TokenIndex(text)
    assert index.tokens == ("hello", "world", "foo")
    assert list(index.positions(0, 5)) == [0]
    assert list(index.positions(5, 7)) == []  # ", " only
    assert list(index.positions(8, 9)) == [1]  # a token counts when any of its chars overlap
    assert list(index.positions(0, len(text))) == [0, 1, 2]
    with pytest.raises(ValueError):
        index.positions(3, 2)


# --- the 50% rules ------------------------------------------------------------------------------

GOLD_100 = " ".join(f"w{i}" for i in range(100))


def _words(lo: int, hi: int, prefix: str = "w") -> str:
    return " ".join(f"{prefix}{i}" for i in range(lo, hi))


@pytest.mark.parametrize(("n_covered", "found"), [(49, False), (50, True), (51, True)])
def test_gold_span_found_when_a_prediction_covers_half_its_tokens(
    n_covered: int, found: bool
) -> None:
    match = match_spans([GOLD_100], [(_words(0, n_covered), 0.5)])
    assert match.n_gold == 1
    assert match.preds[0].found == (frozenset({0}) if found else frozenset())


@pytest.mark.parametrize(("n_in_gold", "correct"), [(49, False), (51, True)])
def test_prediction_correct_when_half_its_tokens_lie_in_gold(n_in_gold: int, correct: bool) -> None:
    # 200-token gold span: 51 of its tokens are too few to *find* it, so only the
    # prediction-side rule (share of the prediction's 100 tokens inside gold) decides.
    gold = _words(0, 200)
    pred = _words(0, n_in_gold) + " " + _words(0, 100 - n_in_gold, prefix="junk")
    (p,) = match_spans([gold], [(pred, 0.5)]).preds
    assert p.found == frozenset()
    assert (p.n_tokens, p.in_gold) == (100, n_in_gold)
    assert p.correct is correct


def test_prediction_correct_when_it_finds_a_gold_span_though_mostly_outside_gold() -> None:
    # Covers all 10 tokens of a short gold span, but 90 of its 100 tokens are outside gold.
    pred = _words(0, 10) + " " + _words(0, 90, prefix="junk")
    (p,) = match_spans([_words(0, 10)], [(pred, 0.5)]).preds
    assert p.found == frozenset({0})
    assert p.correct


def test_in_gold_counts_against_all_gold_spans_of_the_category() -> None:
    # Half of the prediction in each of two gold spans: it finds neither (each 20 tokens long)
    # but all of its tokens lie in gold.
    gold = [_words(0, 20, "a"), _words(0, 20, "b")]
    (p,) = match_spans(gold, [(_words(0, 5, "a") + " " + _words(0, 5, "b"), 0.5)]).preds
    assert p.found == frozenset()
    assert p.in_gold == 10
    assert p.correct


def test_punctuation_only_spans() -> None:
    match = match_spans(["...", "a b"], [("--", 0.9), ("a b", 0.8)])
    assert match.n_gold == 1  # a gold span without tokens cannot be matched and is ignored
    assert match.preds[0] == PredMatch(0.9, False, frozenset(), 0, 0)
    assert match.preds[1].found == frozenset({1})  # indices refer to the gold sequence given


def test_match_spans_rejects_nan_confidence() -> None:
    with pytest.raises(ValueError):
        match_spans(["a"], [("a", math.nan)])


def test_offsets_use_positions_where_bags_cannot() -> None:
    text = "The party shall pay.\nThe party shall pay. Notices go by post."
    first = (0, 20)
    second = (21, 41)
    assert text[first[0] : first[1]] == text[second[0] : second[1]] == "The party shall pay."
    by_offsets = match_spans_offsets(text, [first], [(*second, 0.9), (0, 10, 0.8)])
    assert by_offsets.n_gold == 1
    wrong, half = by_offsets.preds
    assert (wrong.correct, wrong.found, wrong.in_gold) == (False, frozenset(), 0)
    assert (half.correct, half.found, half.n_tokens) == (True, frozenset({0}), 2)  # 2 of 4
    # The text-only fallback sees the same words and cannot tell the repetition apart.
    by_text = match_spans([text[first[0] : first[1]]], [(text[second[0] : second[1]], 0.9)])
    assert by_text.preds[0].found == frozenset({0})


def test_offsets_accept_a_shared_token_index() -> None:
    text = "Term. This Agreement starts today. Law. England governs."
    index = TokenIndex(text)
    start = text.index("This")
    end = text.index("today.") + len("today.")
    match = match_spans_offsets(index, [(start, end)], [(start, end - 7, 0.7)])
    assert match == SpanMatch(1, (PredMatch(0.7, True, frozenset({0}), 3, 3),))


# --- ranking metrics ----------------------------------------------------------------------------

GOLD_A = [
    "The Supplier shall indemnify the Customer against all losses.",
    "This Agreement is governed by the laws of England.",
]
PREDS_A = [
    ("the supplier shall indemnify the customer against all losses", 0.9),  # finds gold 0
    ("Payment is due within thirty days of invoice.", 0.8),  # wrong
    ("governed by the laws of England and Wales", 0.7),  # 6 of gold 1's 9 tokens: finds it
    ("Notices must be in writing.", 0.6),  # wrong
]


def test_worked_aupr_example() -> None:
    # Ranked:   conf 0.9 ok, 0.8 wrong, 0.7 ok, 0.6 wrong; 2 gold spans.
    # Points:   precision 1, 1/2, 2/3, 1/2   recall 1/2, 1/2, 1, 1
    # With CUAD's (recall 0, precision 1) anchor in front and precision interpolated (max at that
    # point or any later one): recall 0, .5, .5, 1, 1 -> precision 1, 1, 2/3, 2/3, 1/2.
    # Trapezoids: 0->.5: .5*(1+1)/2 = .5; .5->.5: 0; .5->1: .5*(2/3+2/3)/2 = 1/3; 1->1: 0.
    # AUPR = 5/6. The first point with recall >= .8 (and >= .9) has interpolated precision 2/3.
    acc = CategoryAccumulator("Governing Law")
    match = acc.add(GOLD_A, PREDS_A)
    assert [(p.correct, p.found) for p in match.preds] == [
        (True, frozenset({0})),
        (False, frozenset()),
        (True, frozenset({1})),
        (False, frozenset()),
    ]
    curve = acc.curve()
    assert curve.confidences == (0.9, 0.8, 0.7, 0.6)
    assert curve.precisions == pytest.approx((1, 1 / 2, 2 / 3, 1 / 2))
    assert curve.recalls == (0.5, 0.5, 1.0, 1.0)
    assert acc.aupr() == pytest.approx(5 / 6)
    assert acc.precision_at_recall(0.8) == pytest.approx(2 / 3)
    assert acc.precision_at_recall(0.9) == pytest.approx(2 / 3)


def test_precision_at_recall_is_zero_when_recall_never_reached() -> None:
    # Without the 0.7 prediction only gold 0 is ever found: recall tops out at 1/2.
    # Points (anchored, interpolated): recall 0, .5, .5 -> precision 1, 1, 1/2 -> AUPR = .5.
    acc = CategoryAccumulator()
    acc.add(GOLD_A, [p for p in PREDS_A if p[1] != 0.7])
    assert acc.aupr() == pytest.approx(0.5)
    assert acc.precision_at_recall(0.8) == 0.0
    assert acc.precision_at_recall(0.9) == 0.0
    assert acc.precision_at_recall(0.5) == pytest.approx(1.0)


def test_curve_pools_documents_and_ranks_globally() -> None:
    # 5 gold spans in two documents; 7 predictions ranked across both:
    #   .95 d1 ok, .90 d2 ok, .85 d1 wrong, .80 d1 ok, .75 d2 ok, .70 d2 wrong, .65 d1 ok
    # precision 1, 1, 2/3, 3/4, 4/5, 4/6, 5/7   recall .2, .4, .4, .6, .8, .8, 1
    # anchored + interpolated: recall 0 .2 .4 .4 .6 .8 .8 1 -> precision 1 1 1 .8 .8 .8 5/7 5/7
    # AUPR = .2 + .2 + 0 + .16 + .16 + 0 + .2*5/7 = 151/175 (0.862857...)
    # P@80%R = .8 (first point with recall >= .8); P@90%R = 5/7 (only recall 1 qualifies).
    doc1_gold = ["alpha bravo", "charlie delta", "echo foxtrot"]
    doc1_preds = [("Alpha, Bravo", 0.95), ("zulu yankee", 0.85), ("charlie delta", 0.8)]
    doc1_preds.append(("echo foxtrot", 0.65))
    doc2_gold = ["golf hotel", "india juliet"]
    doc2_preds = [("golf hotel", 0.9), ("india juliet", 0.75), ("x-ray", 0.7)]
    forward = CategoryAccumulator()
    forward.add(doc1_gold, doc1_preds)
    forward.add(doc2_gold, doc2_preds)
    backward = CategoryAccumulator()
    backward.add(doc2_gold, doc2_preds[::-1])
    backward.add(doc1_gold, doc1_preds[::-1])
    for acc in (forward, backward):
        assert (acc.n_docs, acc.n_gold, acc.n_gold_docs) == (2, 5, 2)
        assert acc.curve().recalls == pytest.approx((0.2, 0.4, 0.4, 0.6, 0.8, 0.8, 1.0))
        assert acc.aupr() == pytest.approx(151 / 175)
        assert acc.precision_at_recall(0.8) == pytest.approx(0.8)
        assert acc.precision_at_recall(0.9) == pytest.approx(5 / 7)


def test_recall_counts_distinct_gold_spans_and_precision_counts_predictions() -> None:
    # Two predictions find the same gold span: both correct, recall stays 1/2.
    acc = CategoryAccumulator()
    acc.add(["a b", "c d"], [("a b", 0.9), ("A, B.", 0.8)])
    curve = acc.curve()
    assert curve.precisions == (1.0, 1.0)
    assert curve.recalls == (0.5, 0.5)
    assert acc.precision_at_recall(0.8) == 0.0
    assert acc.aupr() == pytest.approx(0.5)


def test_tied_confidences_form_one_point_whatever_their_order() -> None:
    # One gold span; a correct and a wrong prediction tie at 0.5: a single point
    # (recall 1, precision 1/2). With CUAD's anchor (0, 1): AUPR = (1 + 1/2)/2 = 3/4.
    for preds in ([("a b", 0.5), ("x y", 0.5)], [("x y", 0.5), ("a b", 0.5)]):
        acc = CategoryAccumulator()
        acc.add(["a b"], preds)
        curve = acc.curve()
        assert (curve.confidences, curve.precisions, curve.recalls) == ((0.5,), (0.5,), (1.0,))
        assert acc.aupr() == pytest.approx(0.75)
        assert acc.precision_at_recall(0.9) == pytest.approx(0.5)


def test_no_predictions_and_no_gold() -> None:
    only_gold = CategoryAccumulator()
    only_gold.add(["a b"], [])
    assert only_gold.aupr() == 0.0
    assert only_gold.precision_at_recall(0.8) == 0.0
    only_preds = CategoryAccumulator()
    only_preds.add([], [("a b", 0.9)])
    assert only_preds.curve().precisions == (0.0,)
    assert only_preds.aupr() is None
    assert only_preds.precision_at_recall(0.8) is None


def test_interpolation_and_pr_curve_helpers() -> None:
    assert interpolate_precisions([1.0, 0.5, 2 / 3, 0.5]) == [1.0, 2 / 3, 2 / 3, 0.5]
    curve = pr_curve([(0.2, True, ["x"]), (0.9, False, [])], n_gold=1)
    assert curve.confidences == (0.9, 0.2)
    assert curve.precisions == (0.0, 0.5)
    assert curve.recalls == (0.0, 1.0)
    with pytest.raises(ValueError):
        pr_curve([(0.5, True, ["x", "y"])], n_gold=1)


def test_span_prf_at_threshold() -> None:
    acc = CategoryAccumulator()
    acc.add(GOLD_A, PREDS_A)
    prf = acc.span_prf(0.75)  # predictions at 0.9 (ok, finds gold 0) and 0.8 (wrong)
    assert (prf.precision, prf.recall, prf.f1) == (0.5, 0.5, 0.5)
    assert (prf.n_pred, prf.n_gold) == (2, 2)
    assert acc.span_prf(0.95) == PRF(0.0, 0.0, 0.0, 0, 2)


# --- document level -----------------------------------------------------------------------------


def test_doc_prf_over_contracts() -> None:
    acc = CategoryAccumulator()
    acc.add(["a b"], [("a b", 0.9), ("x", 0.1)])  # gold present, max confidence 0.9
    acc.add(["c d"], [("c d", 0.3)])  # gold present, max 0.3
    acc.add([], [("e", 0.8)])  # no gold, max 0.8
    acc.add([], [])  # no gold, no prediction
    assert acc.doc_scores() == ([0.9, 0.3, 0.8, -math.inf], [True, True, False, False])
    prf = acc.doc_prf(0.5)  # predicted present: docs 1 and 3; correct: doc 1
    assert (prf.precision, prf.recall, prf.f1, prf.n_pred, prf.n_gold) == (0.5, 0.5, 0.5, 2, 2)
    low = acc.doc_prf(-math.inf)  # a contract without predictions is never "present"
    assert low.precision == pytest.approx(2 / 3)
    assert (low.recall, low.n_pred) == (1.0, 3)
    assert low.f1 == pytest.approx(0.8)


def test_prf_edge_cases() -> None:
    # No gold, no prediction: everything undefined.
    assert prf_at_threshold([-math.inf, 0.1], [False, False], 0.5) == PRF(None, None, None, 0, 0)
    # Gold but no prediction: precision 0 (not undefined), recall 0, F1 0.
    assert prf_at_threshold([0.1], [True], 0.5) == PRF(0.0, 0.0, 0.0, 0, 1)
    # Predictions but no gold: all false positives; recall undefined, F1 0.
    assert prf_at_threshold([0.9], [False], 0.5) == PRF(0.0, None, 0.0, 1, 0)
    # All right.
    assert prf_at_threshold([0.9, 0.1], [True, False], 0.5) == PRF(1.0, 1.0, 1.0, 1, 1)
    with pytest.raises(ValueError):
        prf_at_threshold([0.9], [True, False], 0.5)


def test_macro_average_skips_zero_support_and_undefined() -> None:
    values = {"a": 0.5, "b": None, "c": 1.0, "d": 0.7, "e": None}
    support = {"a": 2, "b": 0, "c": 0, "d": 1, "e": 3}
    assert macro_average(values, support) == pytest.approx(0.6)
    assert macro_average({"a": 1.0}, {}) is None
    assert macro_average({}, {}) is None


def test_best_threshold_maximises_f1() -> None:
    # t=.9: F1 2/4 = .5; t=.8: 4/5 = .8; t=.7: 4/6; t=.4: 6/7 (best); t=.3: 6/8.
    scores = [0.9, 0.8, 0.7, 0.4, 0.3]
    labels = [True, True, False, True, False]
    t = best_threshold(scores, labels)
    assert t == 0.4
    assert prf_at_threshold(scores, labels, t).f1 == pytest.approx(6 / 7)
    # Order of the input does not matter.
    assert best_threshold(scores[::-1], labels[::-1]) == 0.4


def test_best_threshold_ties_and_degenerate_cases() -> None:
    # t=.9 and t=.6 both give F1 2/3: the higher threshold wins.
    assert best_threshold([0.9, 0.8, 0.7, 0.6], [True, False, False, True]) == 0.9
    # A -inf score (no prediction) is never positive, so it is never the threshold.
    assert best_threshold([-math.inf, 0.2], [True, True]) == 0.2
    # No positive label: just above the top score, predicting nothing.
    t = best_threshold([0.3, 0.7], [False, False])
    assert t > 0.7
    assert prf_at_threshold([0.3, 0.7], [False, False], t).n_pred == 0
    with pytest.raises(ValueError):
        best_threshold([-math.inf], [True])
    with pytest.raises(ValueError):
        best_threshold([0.5, math.nan], [True, False])


def test_calibration_error_on_a_worked_example() -> None:
    from westfall_legal.training.metrics import calibration

    # Bin 0.9: confidences 0.9, 0.9 with one right -> |0.9 - 0.5| = 0.4, weight 2/4.
    # Bin 0.2: confidences 0.2, 0.2 with none right -> |0.2 - 0.0| = 0.2, weight 2/4.
    ece, table = calibration([(0.9, True), (0.9, False), (0.2, False), (0.2, False)])
    assert ece == pytest.approx(0.3)
    assert [row["count"] for row in table] == [2, 2]
    perfect, _ = calibration([(1.0, True), (0.0, False)])
    assert perfect == pytest.approx(0.0)
    assert calibration([]) == (None, [])


def test_recall_threshold_is_the_highest_that_reaches_the_recall() -> None:
    scores, labels = [0.9, 0.8, 0.1, 0.5], [True, False, True, True]
    assert recall_threshold(scores, labels, 0.9) == 0.1  # all three positives
    assert recall_threshold(scores, labels, 0.6) == 0.5  # two of three
    assert recall_threshold(scores, labels, 0.0) == 0.9  # at least one
    with pytest.raises(ValueError, match="no positive"):
        recall_threshold([0.3], [False], 0.9)


def test_accumulate_merges_adjacent_candidates_as_the_app_shows_them() -> None:
    pieces = ["alpha beta gamma delta", "epsilon zeta eta theta", "iota kappa lambda mu"]
    text = " ".join(pieces)
    bounds, at = [], 0
    for p in pieces:
        bounds.append((at, at + len(p), ""))
        at += len(p) + 1
    # One long gold clause over the first two pieces and half of the third: each piece alone
    # covers under half of it; the first two together cover two thirds of it.
    gold = {"Cap On Liability": [(0, bounds[2][0] + len("iota kappa"))]}
    record = ContractRecord("c", "Supply", text, 1, bounds, [set(), set(), set()], gold)
    probs = np.array([[0.9], [0.8], [0.1]])

    def found(thresholds: list[float] | None) -> float | None:
        accs = {0: CategoryAccumulator("Cap On Liability")}
        accumulate(accs, record, probs, thresholds)
        return accs[0].aupr()

    assert found(None) == 0.0  # three pieces ranked apart: the clause is never found
    assert found([0.5]) == 1.0  # pieces 1-2 are one clause at 0.9: found first
