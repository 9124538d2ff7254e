"""Metadata in text lines: dates, bylines, wire credits, captions, outlets."""

from __future__ import annotations

import pytest

from onrecord.read.meta import (
    blurb_outlet,
    byline,
    caption,
    copyright_outlet,
    credit_line,
    date_line,
    dateline_outlet,
    find_dates,
    normalize_date,
)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("With reporting by AFP and Reuters", ["AFP", "Reuters"]),
        ("Reporting by Jane Doe in Kabul; Editing by Tom Roe", ["Jane Doe"]),
        ("Additional reporting by Sam Lee and Ana Ruiz; Writing by Bo Chan; Editing by Ed Ito",
         ["Sam Lee", "Ana Ruiz", "Bo Chan"]),
        ("(Reuters)", ["Reuters"]),
        ("AP contributed to this report.", ["AP"]),
        ("The Associated Press contributed to this report", ["AP"]),
        ("Agence France-Presse contributed to this story.", ["AFP"]),
        ("With AFP", ["AFP"]),
        ("The statement added that the talks would resume.", None),
        ("With love from the islands", None),
        ("Reporting by the seaside is fun in summer, said nobody at all in the town", None),
    ],
)
def test_credit_line(line, expected):
    assert credit_line(line) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("By Lena Ortiz", (["Lena Ortiz"], None)),
        ("By Jane Doe and John Roe, Reuters", (["Jane Doe", "John Roe"], "Reuters")),
        ("BY MARK VALE", (["MARK VALE"], None)),
        ("By the way, the meeting was cancelled because nobody came to it at all", None),
        ("Lena Ortiz", None),
    ],
)
def test_byline(line, expected):
    assert byline(line) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("March 4, 2024", "2024-03-04"),
        ("Published: 4 March 2024 10:02 GMT", "2024-03-04"),
        ("Monday, January 7, 2019\u00a0", "2019-01-07"),
        ("Updated 2024-03-04 | 3 min read", "2024-03-04"),
        ("Sept. 9, 2020 at 5:30 p.m. EDT", "2020-09-09"),
        ("The talks ended on March 4, 2024.", None),
        ("LISBON -- Delegates arrive for the talks in Lisbon, May 2, 2021", None),
        ("February 30, 2024", None),
    ],
)
def test_date_line(line, expected):
    assert date_line(line) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("2023-06-15T10:00:00Z", "2023-06-15"), ("2019-01-04", "2019-01-04"), ("Jan 4, 2019", "2019-01-04"),
     ("4th of July 2021", "2021-07-04"), ("soon", None), (None, None)],
)
def test_normalize_date(value, expected):
    assert normalize_date(value) == expected


def test_find_dates_in_order():
    assert [d for _, _, d in find_dates("On 2 May 2021 and again on June 3, 2022 (2023-01-09)")] == \
        ["2021-05-02", "2022-06-03", "2023-01-09"]


@pytest.mark.parametrize(
    "line, date",
    [
        ("VALDORIA -- The envoy speaks to reporters in Port Sela, February 12, 2024", "2024-02-12"),
        ("Police officers stand guard in Port Sela. REUTERS/Ana Lobo", None),
        ("Crowds at the harbor on May 1, 2022 (AP Photo/Jon Vik)", "2022-05-01"),
        ("Image caption: The harbor at dawn", None),
    ],
)
def test_caption(line, date):
    found = caption(line)
    assert found is not None and found[1] == date


@pytest.mark.parametrize(
    "line",
    [
        "KABUL -- Afghan officials said talks would resume on November 18, 2018.",
        "The envoy met reporters in Kabul on November 18, 2018, and said talks went well.",
        '"We are ready," she said.',
    ],
)
def test_not_a_caption(line):
    assert caption(line) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("PORT SELA, March 11 (Reuters) - The council approved", "Reuters"),
        ("WASHINGTON (AP) — The senator said", "AP"),
        ("The (new) plan - was approved", None),
        ("The council approved the plan.", None),
    ],
)
def test_dateline_outlet(text, expected):
    assert dateline_outlet(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("RFE/RL's Radio Azadi is one of the most popular and trusted media outlets in the country.", "RFE/RL"),
        ("The Valdoria Courier is an independent newspaper published in Port Sela since 1921.",
         "The Valdoria Courier"),
        ("The district council is the only level of government that is, as news sources noted, elected.", None),
        ("The mayor is a former journalist.", None),
    ],
)
def test_blurb_outlet(text, expected):
    assert blurb_outlet(text) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("© 2023 The Sela Courier. All rights reserved.", "The Sela Courier"),
        ("Copyright 2019-2024 Harbor Media Group", "Harbor Media Group"),
        ("Copyright (c) 2021 Reuters. Click for restrictions.", "Reuters"),
        ("Copyright law changes in 2023 were debated", None),
        ("The 2023 Harbor Festival", None),
    ],
)
def test_copyright_outlet(line, expected):
    assert copyright_outlet(line) == expected
