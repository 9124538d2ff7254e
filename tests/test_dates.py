"""Statement dates: phrases near the cue, resolved against the article's date."""

from __future__ import annotations

import datetime as dt

import pytest

from onrecord.extract.dates import find_dates, resolve_date

from attr_builder import Spec, resolved

PUBLISHED = dt.date(2024, 3, 6)  # a Wednesday


@pytest.mark.parametrize("phrase, published, hint, expected", [
    ("January 26", PUBLISHED, None, ("2024-01-26", False, None)),
    ("Jan. 26, 2019", PUBLISHED, None, ("2019-01-26", False, None)),
    ("26 January", PUBLISHED, None, ("2024-01-26", False, None)),
    ("2023-11-02", None, None, ("2023-11-02", False, None)),
    # a month-day after the publication date belongs to the year before
    ("December 30", dt.date(2024, 1, 3), None, ("2023-12-30", False, None)),
    # no publication date: the page's date hint is a lower bound for the year
    ("January 26", None, dt.date(2018, 11, 18), ("2019-01-26", False, "date_hint")),
    ("November 20", None, dt.date(2018, 11, 18), ("2018-11-20", False, "date_hint")),
    ("January 26", None, None, (None, False, None)),
    # weekdays: the latest such day on or before publication
    ("Tuesday", PUBLISHED, None, ("2024-03-05", False, None)),
    ("Wednesday", PUBLISHED, None, ("2024-03-06", False, None)),
    ("last Wednesday", PUBLISHED, None, ("2024-02-28", False, None)),
    ("Tuesday", None, dt.date(2018, 11, 18), (None, False, None)),
    ("yesterday", PUBLISHED, None, ("2024-03-05", False, None)),
    ("last week", PUBLISHED, None, ("2024-02-28", True, None)),
    ("February 30", PUBLISHED, None, (None, False, None)),
])
def test_resolve_date(phrase: str, published: dt.date | None, hint: dt.date | None, expected: tuple) -> None:
    found = find_dates(phrase, 0, len(phrase))
    assert len(found) == 1 and found[0].text == phrase
    r = resolve_date(found[0], published, hint)
    assert (r.iso, r.approximate, r.year_from) == expected


@pytest.mark.parametrize("text", ["in February", "the May deadline", "Monday-Friday", "at 10 a.m."])
def test_not_a_day(text: str) -> None:
    assert [d.kind for d in find_dates(text, 0, len(text)) if d.kind in ("md", "dm", "iso")] == []


CONTENT = "the harbor would reopen"


# text, published, date_hint, expected date, expected problem codes
CASES = [
    ("Keel said on Tuesday that the harbor would reopen.", "2024-03-06", None, "2024-03-05", []),
    ("Keel said last week that the harbor would reopen.", "2024-03-06", None, "2024-02-28", []),
    ("Keel said yesterday that the harbor would reopen.", "2024-03-06", None, "2024-03-05", []),
    ("Keel said on January 26 that the harbor would reopen.", "2024-03-06", None, "2024-01-26", []),
    ("Keel said that the harbor would reopen.", "2024-03-06", None, "2024-03-06", []),
    ("Keel said on January 26 that the harbor would reopen.", None, "2018-11-18", "2019-01-26", ["year_inferred"]),
    ("Keel said that the harbor would reopen.", None, "2018-11-18", None, ["date_unknown"]),
    ("Keel said on Tuesday that the harbor would reopen.", None, None, None, ["date_unknown"]),
    # a date inside the content is not the statement's date
    ("Keel said that the harbor would reopen on January 26.", "2024-03-06", None, "2024-03-06", []),
    # a date in a relative clause about the speaker is not the statement's date
    ("Keel, who arrived on Monday, said that the harbor would reopen.", "2024-03-06", None, "2024-03-06", []),
]


@pytest.mark.parametrize("text, published, hint, date, problems", CASES)
def test_statement_date(text: str, published: str | None, hint: str | None, date: str | None,
                        problems: list[str]) -> None:
    content = "the harbor would reopen on January 26" if "reopen on" in text else CONTENT
    statements, found = resolved(text, [Spec("indirect", content, "said", "Keel")], published=published,
                                 date_hint=hint)
    assert statements[0].date == date
    assert [p.code for p in found] == problems


def test_approximate_date_is_flagged() -> None:
    statements, _ = resolved("Keel said last week that the harbor would reopen.",
                             [Spec("indirect", CONTENT, "said", "Keel")], published="2024-03-06")
    assert "approximate_date" in statements[0].flags


def test_inferred_year_problem_says_from_what() -> None:
    _, problems = resolved("Keel said on January 26 that the harbor would reopen.",
                           [Spec("indirect", CONTENT, "said", "Keel")], date_hint="2018-11-18")
    assert "2018-11-18" in problems[0].message and "January 26" in problems[0].message
