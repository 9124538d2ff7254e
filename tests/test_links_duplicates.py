from __future__ import annotations

import pytest

from onrecord.links.duplicates import find_duplicates, shingles, similarity

WIRE = ("The port authority of Selden said on Tuesday that dock workers would return to work after a two-day "
        "strike over pay. Talks with the union would resume next week, a spokeswoman said. Ferries to the "
        "islands were running on a reduced timetable and freight traffic was expected to recover by Friday.")
OTHER = ("Heavy snow closed the mountain pass above Brenwick for a third day, and the regional council said "
         "schools in four valleys would stay shut. Power was restored to most homes by the evening.")


@pytest.mark.parametrize("copy, expected", [
    (WIRE, True),
    (WIRE.replace("Tuesday", "Wednesday").replace("two-day", "48-hour"), True),
    (WIRE + " Copyright 2024 Harbour News. All rights reserved. Sign up for our newsletter.", True),
    (WIRE.split(". ", 1)[1], True),  # the first sentence dropped
    ("SELDEN (Wire) - " + WIRE.upper(), True),  # case and a dateline do not matter
    (OTHER, False),
    (OTHER + " Ferries to the islands were running on a reduced timetable.", False),
])
def test_near_duplicate(copy, expected):
    found = find_duplicates([(1, WIRE), (2, copy)])
    assert (2 in found) is expected
    if expected:
        assert found[1][0] == found[2][0] == 1


def test_clusters_are_transitive_and_named_by_smallest_id():
    a = WIRE
    b = WIRE + " Officials declined to comment further on the dispute."
    c = b + " Shares in the port operator rose two percent."
    found = find_duplicates([(7, c), (3, a), (5, b), (9, OTHER)])
    assert {k: v[0] for k, v in found.items()} == {3: 3, 5: 3, 7: 3}


def test_short_texts_are_left_alone():
    assert find_duplicates([(1, "No comment."), (2, "No comment.")]) == {}


def test_similarity():
    a, b = shingles(WIRE), shingles(WIRE + " " + OTHER)
    jac, ovl = similarity(a, b)
    assert 0.4 < jac < 0.7 and ovl == 1.0
    assert similarity(set(), a) == (0.0, 0.0)
