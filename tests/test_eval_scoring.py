from __future__ import annotations

import pytest

from onrecord.evaluation.scoring import (
    Counts,
    Item,
    attribution_score,
    exact_score,
    make_items,
    match,
    overlap_score,
    score_items,
)


def item(*frags, doc="d", tags=None, source=None):
    return Item(doc, tuple(frags), tags or {}, source=source)


@pytest.mark.parametrize(
    "gold, pred, exact, overlap",
    [
        ((0, 10), (0, 10), True, True),
        ((0, 10), (0, 9), False, True),  # Jaccard 0.9
        ((0, 10), (0, 5), False, True),  # Jaccard exactly 0.5 passes
        ((0, 10), (0, 4), False, False),  # Jaccard 0.4
        ((0, 10), (5, 20), False, False),  # 5 / 20
        ((0, 10), (10, 20), False, False),
    ],
)
def test_exact_vs_overlap_threshold(gold, pred, exact, overlap):
    assert bool(exact_score(item(gold), item(pred))) is exact
    assert bool(overlap_score(item(gold), item(pred))) is overlap


def test_matching_is_one_to_one_and_greedy_by_score():
    golds = [item((0, 10)), item((12, 20))]
    preds = [item((0, 9)), item((0, 10)), item((0, 8))]
    pairs = match(golds, preds, overlap_score)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]  # the best prediction takes the gold; no second match


def test_one_prediction_cannot_match_two_golds():
    golds = [item((0, 10)), item((0, 10), (30, 31))]
    tally, _ = score_items(golds, [item((0, 10))], overlap_score)
    assert (tally.total.matched_gold, tally.total.n_gold, tally.total.matched_pred) == (1, 2, 1)


def test_discontinuous_gold_against_contiguous_prediction():
    gold = item((0, 10), (20, 30))
    assert exact_score(gold, item((0, 30))) == 0.0
    assert overlap_score(gold, item((0, 30))) == pytest.approx(20 / 30)
    assert exact_score(gold, item((0, 10), (20, 30))) == 1.0


@pytest.mark.parametrize(
    "gold_source, pred_source, ok",
    [
        (((0, 5),), ((0, 2),), True),
        (((0, 5),), ((6, 9),), False),
        (((0, 5),), None, False),
        (None, None, True),
        (None, ((6, 9),), True),
    ],
)
def test_attribution_needs_the_source(gold_source, pred_source, ok):
    g = item((10, 40), source=gold_source)
    p = item((10, 40), source=pred_source)
    assert bool(attribution_score(g, p)) is ok


def test_attribution_needs_content_overlap():
    assert attribution_score(item((10, 40), source=((0, 5),)), item((35, 60), source=((0, 5),))) == 0.0


def test_breakdown_counts_golds_and_predictions_by_their_own_tags():
    golds = [item((0, 10), tags={"kind": "direct"}), item((20, 30), tags={"kind": "indirect"})]
    preds = [item((0, 10), tags={"kind": "indirect"}), item((40, 50), tags={"kind": "indirect"})]
    tally, _ = score_items(golds, preds, exact_score)
    direct, indirect = tally.by["kind"]["direct"], tally.by["kind"]["indirect"]
    assert (direct.matched_gold, direct.n_gold, direct.n_pred) == (1, 1, 0)
    assert (indirect.matched_gold, indirect.n_gold, indirect.matched_pred, indirect.n_pred) == (0, 1, 1, 2)
    assert tally.total.f1 == pytest.approx(0.5)


def test_documents_are_matched_separately():
    tally, _ = score_items([item((0, 10), doc="a")], [item((0, 10), doc="b")], exact_score)
    assert (tally.total.matched_gold, tally.total.n_pred) == (0, 1)


@pytest.mark.parametrize(
    "counts, p, r, f1",
    [
        (Counts(1, 2, 1, 4), 0.5, 0.25, 1 / 3),
        (Counts(0, 0, 0, 3), 0.0, 0.0, 0.0),
        (Counts(3, 3, 3, 3), 1.0, 1.0, 1.0),
    ],
)
def test_counts(counts, p, r, f1):
    assert (counts.precision, counts.recall, counts.f1) == (pytest.approx(p), pytest.approx(r), pytest.approx(f1))


def test_make_items_trims_and_dedupes():
    text = '"Yes," she said. "Yes," she said.'
    items = make_items("d", text, [((0, 6),), ((0, 5),), None, ((17, 23),)], [{}] * 4, dedupe=True)
    assert [it.span for it in items] == [((1, 4),), ((18, 21),)]
    assert [it.ref for it in items] == [0, 3]
