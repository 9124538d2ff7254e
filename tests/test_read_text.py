"""Scraped text -> Article: chrome out, headline, date, byline, captions, credits, outlet, language."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from onrecord.errors import InputError
from onrecord.read.text import article_as_is, article_from_text, is_sentence, is_title_like, paragraphs

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / ".." / "shared" / "seed" / "000_cbc5cbe718c2ff54.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "scraped"
CHROME = ("Accessibility links", "Breaking News", "16x9 Image", "Skip to", "Menu", "Related", "Sign up",
          "most popular", "With reporting by", "•")


@pytest.mark.shared
def test_seed_page():
    if not SEED.exists():
        pytest.skip(f"../shared/seed not present: {SEED} is needed for the seed-page test")
    a = article_from_text(SEED.read_text("utf-8"), source=str(SEED))
    assert a.title == "U.S. Envoy Hails 'Significant Progress' In Talks With Taliban"
    assert a.text.startswith("The U.S. special envoy for peace in Afghanistan says ")
    assert a.text.endswith(" negotiators together.")
    paras = a.text.split("\n\n")
    assert len(paras) == 14 and all(p == p.strip() and "\n" not in p for p in paras)
    for chrome in CHROME:
        assert chrome not in a.text
    assert "talks with local reporters" not in a.text
    assert len(a.captions) == 1 and a.captions[0].startswith("AFGHANISTAN -- ")
    assert a.published is None and a.date_hint == "2018-11-18"
    assert a.credits == ("AFP", "Reuters")
    assert a.outlet == "RFE/RL"
    assert a.language == "en"


def test_bundled_example():
    text = resources.files("onrecord").joinpath("examples", "envoy.txt").read_text("utf-8")
    a = article_from_text(text, source="envoy.txt")
    assert a.title == "Envoy Reports 'Real Movement' In Harbor Talks, Rebels Deny Truce Deal"
    assert a.published == "2024-03-04" and a.date_hint is None
    assert a.authors == ("Lena Ortiz",)
    assert a.credits == ("AFP", "Reuters")
    assert a.outlet == "The Valdoria Courier"
    assert a.text.startswith("The United Nations envoy for Valdoria said on Monday")
    assert a.text.endswith("brief the Security Council next week.")
    assert a.captions and a.captions[0].startswith("VALDORIA -- ")
    for chrome in CHROME:
        assert chrome not in a.text


@pytest.mark.parametrize(
    "name, title, published, authors, credits, outlet, first, last",
    [
        ("wire_dateline.txt", "Harbor Council Approves Budget After Long Standoff", "2023-03-12",
         ("Nadia Fenwick", "Ollie Brandt"), ("Nadia Fenwick", "Reuters"), "Reuters",
         "PORT SELA, March 11 (Reuters) - The harbor council", "keep pushing for changes."),
        ("blog_related.txt", "Mayor Promises New Bridge Before Winter", "2022-10-05", (), (), "Lindholm Weekly",
         "The mayor of Lindholm said on Wednesday", "the old bridge for years."),
        ("wrapped.txt", "Fishermen Return To Port After Storm Warning", None, (), ("AFP",), None,
         "The coast guard of Marisol said on Friday that all fishing boats had returned to port after",
         "forecasters said."),
    ],
)
def test_scraped_fixtures(name, title, published, authors, credits, outlet, first, last):
    a = article_from_text((FIXTURES / name).read_text("utf-8"), source=name)
    assert (a.title, a.published, a.authors, a.credits, a.outlet) == (title, published, authors, credits, outlet)
    assert a.text.startswith(first)
    assert a.text.endswith(last)
    assert a.language == "en"
    for chrome in ("Advertisement", "Related stories", "Sign up", "Share", "Menu", "Reporting by", "Our Standards",
                   "Home | News", "Updated", "With reporting"):
        assert chrome not in a.text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("One line.\n\nTwo line.", ["One line.", "Two line."]),
        ("One line.\nTwo line.\r\nThree.", ["One line.", "Two line.", "Three."]),
        ("  spaced\u00a0 out\t text  \n\n\n\nnext", ["spaced out text", "next"]),
        ("", []),
        ("Magma Harbor Co, a subsidiary of Newmont Shipping Lines Inc,\nsaid it is cutting its ferry fares by 75 cents, "
         "effective\nimmediately.", ["Magma Harbor Co, a subsidiary of Newmont Shipping Lines Inc, said it is cutting "
                                    "its ferry fares by 75 cents, effective immediately."]),
        ("Menu\nHarbor News\nThe ferry left on time.", ["Menu", "Harbor News", "The ferry left on time."]),
        # hard-wrapped at ~60 columns: lines join back into paragraphs, a short last line ends one
        ("The council said on Friday that the harbor would reopen in\n"
         "time for the summer season, and that the repairs were done\n"
         "ahead of schedule after crews had worked through the weekend.\n"
         "The mayor welcomed the news in a short statement on Friday\n"
         "evening and thanked the crews for their work on the harbor.\n"
         "Residents cheered.\n"
         "Shops near the harbor said they expected a busy season this\n"
         "year after two quiet summers in a row on the waterfront here.",
         ["The council said on Friday that the harbor would reopen in time for the summer season, and that the "
          "repairs were done ahead of schedule after crews had worked through the weekend. The mayor welcomed the news "
          "in a short statement on Friday evening and thanked the crews for their work on the harbor. "
          "Residents cheered.",
          "Shops near the harbor said they expected a busy season this year after two quiet summers in a row on "
          "the waterfront here."]),
        # paragraphs marked by indenting, the first line cut short
        ("Harbor Corp is not under\n"
         "pressure to act quickly on its offering and would do well to\n"
         "delay it because of the stock's recent poor showing, analysts said.\n"
         "    Some analysts said they have recommended the company delay\n"
         "its offering, which has yet to be approved by the regulator.\n"
         "    The stock fell this week, along with other harbor issues, on\n"
         "news that the port has suspended payments.",
         ["Harbor Corp is not under pressure to act quickly on its offering and would do well to delay it because "
          "of the stock's recent poor showing, analysts said.",
          "Some analysts said they have recommended the company delay its offering, which has yet to be approved "
          "by the regulator.",
          "The stock fell this week, along with other harbor issues, on news that the port has suspended payments."]),
    ],
)
def test_paragraphs(text, expected):
    assert paragraphs(text) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("U.S. Envoy Hails 'Significant Progress' In Talks With Taliban", True),
        ("Mayor Promises New Bridge Before Winter", True),
        ("Will The Talks Succeed?", True),
        ("The mayor said the bridge would open in May.", False),
        ("Breaking", False),
        ("the council met on friday to discuss the budget again", False),
    ],
)
def test_is_title_like(line, expected):
    assert is_title_like(line) is expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("The mayor said the bridge would open in May.", True),
        ('"We will not wait," she said.', True),
        ("Sign up for our daily briefing", False),
        ("Related", False),
        ("Short one.", False),
        ("香港行政长官在各方压力下到立法会接受质询，并向香港民众道歉。", True),
        ("香港新闻", False),
    ],
)
def test_is_sentence(line, expected):
    assert is_sentence(line) is expected


@pytest.mark.parametrize(
    "text, date_hint, captions",
    [
        ("Talks Resume In Lisbon\n\nLISBON -- Delegates arrive for the talks in Lisbon, May 2, 2021\n\n"
         "The envoy said on Monday that the talks in Lisbon would go on for another week at least.",
         "2021-05-02", 1),
        ("Talks Resume In Lisbon\n\nMay 3, 2021\n\nLISBON -- Delegates arrive for the talks in Lisbon, May 2, 2021\n\n"
         "The envoy said on Monday that the talks in Lisbon would go on for another week at least.",
         None, 1),
        ("Talks Resume In Lisbon\n\nDelegates arrive for the talks in Lisbon. REUTERS/Ana Lobo\n\n"
         "The envoy said on Monday that the talks in Lisbon would go on for another week at least.",
         None, 1),
    ],
)
def test_captions_and_date_hint(text, date_hint, captions):
    a = article_from_text(text)
    assert a.date_hint == date_hint
    assert len(a.captions) == captions
    assert a.text == "The envoy said on Monday that the talks in Lisbon would go on for another week at least."
    assert a.title == "Talks Resume In Lisbon"


@pytest.mark.parametrize(
    "text, title",
    [
        ("Home | World | Middle East | Asia Pacific\n\nBridge Opens\n\n" + "The new bridge opened on Monday, "
         "the city said in a statement.", "Bridge Opens"),
        ("Skip to main content\n\nthe new bridge opens after years of delay\n\nMay 2, 2022\n\n"
         "The new bridge opened on Monday, the city said in a statement.", "the new bridge opens after years of delay"),
        ("The new bridge opened on Monday, the city said in a statement.", None),
    ],
)
def test_title(text, title):
    assert article_from_text(text).title == title


def test_chrome_only_is_empty():
    with pytest.raises(InputError) as e:
        article_from_text("Menu\n\nSkip to main content\n\nShare\n\nRelated")
    assert e.value.code == "empty"


def test_meta_wins_over_page():
    a = article_from_text("Old Title Here\n\nThe ferry left on time on Monday, the operator said in a statement.",
                          meta={"title": "Given", "published": "2020-01-02", "outlet": "Given Outlet", "id": "x1"})
    assert (a.title, a.published, a.outlet, a.id) == ("Given", "2020-01-02", "Given Outlet", "x1")


@pytest.mark.parametrize("text", ["Menu\n\n  Line one.\r\nLine  two.\n", "\"A quote,\" she said.  \n\n\nEnd"])
def test_as_is_keeps_text_exactly(text):
    a = article_as_is(text, source="t.txt")
    assert a.text == text
    assert a.title is None and a.credits == ()


@pytest.mark.parametrize(
    "line, kept",
    [
        ("Watchdog Warns Of Harbor Pollution", True),
        ("Search For Survivors Goes On", True),
        ("Copyright Law Changes Debated", True),
        ("Watch: the bridge opening", False),
        ("Copyright 2023 The Sela Courier. All rights reserved.", False),
        ("© 2021 Courier Media", False),
        ("Accept all cookies", False),
        ("We use cookies to improve your experience on our site. By continuing to browse you agree to our policy.",
         False),
    ],
)
def test_chrome_prefixes_match_whole_words(line, kept):
    body = "The new bridge opened on Monday, the city said in a statement to the press."
    a = article_from_text(f"{body}\n\n{line}\n\n{body.replace('Monday', 'Tuesday')}")
    assert (line in a.text) is kept
