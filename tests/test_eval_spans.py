from __future__ import annotations

import pytest

from onrecord.evaluation.spans import frags_of, intersection, jaccard, overlaps, text_of, trim

TEXT = 'He said: "The bridge will reopen," and left.'


@pytest.mark.parametrize(
    "frags, expected",
    [
        (((9, 34),), "The bridge will reopen"),  # quote marks and comma cut
        (((8, 11),), "T"),
        (((2, 3),), ""),  # whitespace only
        (((0, 2), (2, 7)), "He said"),  # touching fragments merge
        (((0, 2), (3, 7)), "He said"),  # a gap of whitespace only merges
        (((10, 13), (26, 34)), "The reopen"),  # a gap with words stays discontinuous
    ],
)
def test_trim(frags, expected):
    assert text_of(TEXT, trim(TEXT, frags)) == expected


def test_trim_keeps_discontinuous_fragments():
    assert trim(TEXT, ((10, 13), (26, 34))) == ((10, 13), (26, 32))


@pytest.mark.parametrize(
    "x, y, inter, jac",
    [
        (((0, 10),), ((0, 10),), 10, 1.0),
        (((0, 10),), ((5, 15),), 5, 5 / 15),
        (((0, 10),), ((10, 20),), 0, 0.0),
        (((0, 4), (6, 10)), ((0, 10),), 8, 0.8),
        (((0, 4), (6, 10)), ((2, 8),), 4, 4 / 10),
        ((), ((0, 3),), 0, 0.0),
    ],
)
def test_intersection_and_jaccard(x, y, inter, jac):
    assert intersection(x, y) == inter == intersection(y, x)
    assert jaccard(x, y) == pytest.approx(jac)
    assert overlaps(x, y) == (inter > 0)


def test_frags_of_sorts_and_drops_empty():
    assert frags_of([("7", "9"), (1, 3), (4, 4)]) == ((1, 3), (7, 9))


@pytest.mark.parametrize(
    "x, cut, expected",
    [
        (((0, 30),), ((10, 15),), ((0, 10), (15, 30))),
        (((0, 30),), ((10, 15), (20, 22)), ((0, 10), (15, 20), (22, 30))),
        (((0, 30),), ((40, 45),), ((0, 30),)),
        (((0, 10), (20, 30)), ((5, 25),), ((0, 5), (25, 30))),
        (((0, 10),), ((0, 10),), ()),
    ],
)
def test_subtract(x, cut, expected):
    from onrecord.evaluation.spans import subtract

    assert subtract(x, cut) == expected
