"""Channels and relaying outlets, read from the reporting clause around the cue."""

from __future__ import annotations

import pytest

from onrecord.extract.channels import CHANNEL_CODES, channel_patterns, find_channels, find_relays

from attr_builder import Spec, resolved

CONTENT = "the harbor would reopen"


def one(text: str, source: str = "Keel", cue: str = "said", **extra: str):  # type: ignore[no-untyped-def]
    statements, _ = resolved(text, [Spec("indirect", CONTENT, cue, source, extra)], published="2024-03-06")
    return statements[0]


# text, expected channel, expected via
CASES = [
    ("Keel said on Twitter that the harbor would reopen.", "tweet", None),
    ("Keel tweeted that the harbor would reopen.", "tweet", None),
    ("Keel said in a post on X that the harbor would reopen.", "tweet", None),
    ("Keel said in a Facebook post that the harbor would reopen.", "social_media", None),
    ("Keel said on Telegram that the harbor would reopen.", "social_media", None),
    ("Keel said in a statement that the harbor would reopen.", "statement", None),
    ("Keel said in a press release that the harbor would reopen.", "statement", None),
    ("Keel said at a news conference in Lisbon that the harbor would reopen.", "news_conference", None),
    ("Keel told a press conference that the harbor would reopen.", "news_conference", None),
    ("Keel told reporters that the harbor would reopen.", "reporters", None),
    ("Keel told reporters at a news conference that the harbor would reopen.", "news_conference", None),
    ("Keel told Reuters in a statement that the harbor would reopen.", "statement", "Reuters"),
    ("Keel told journalists in Lisbon that the harbor would reopen.", "reporters", None),
    ("Keel told Reuters that the harbor would reopen.", "interview", "Reuters"),
    ("Keel said in an interview with the BBC that the harbor would reopen.", "interview", "BBC"),
    ("Keel told the Valdoria Times that the harbor would reopen.", "interview", "Valdoria Times"),
    ("Keel said in an email that the harbor would reopen.", "email", None),
    ("Keel wrote in an op-ed that the harbor would reopen.", "op_ed", None),
    ("Keel said in a speech to parliament that the harbor would reopen.", "speech", None),
    ("Keel said in a letter to the council that the harbor would reopen.", "letter", None),
    ("Keel said on state television that the harbor would reopen.", "broadcast", None),
    ("Keel testified that the harbor would reopen.", "testimony", None),
    ("Keel said by phone that the harbor would reopen.", "phone", None),
    ("Keel said in a report that the harbor would reopen.", "report", None),
    # a relaying outlet without a channel phrase
    ("Keel, quoted by AFP, said that the harbor would reopen.", None, "AFP"),
    # "via" names the relay, even an outlet no lexicon lists, and a reporter's outlet after "of"
    ("Keel, via the Harbor Ledger, said that the harbor would reopen.", None, "Harbor Ledger"),
    ("Keel said, via Ines Moro of the Valdoria Post-Courier, that the harbor would reopen.", None,
     "Valdoria Post-Courier"),
    ("Keel said, via USA Today, that the harbor would reopen.", None, "USA Today"),
    # an outlet word that starts a longer name is not the outlet's name
    ("Keel told the Daily Sela Courier that the harbor would reopen.", None, None),
    ("Keel said, via news agency Sela Wire, that the harbor would reopen.", None, "Sela Wire"),
    # a platform after "via" is the channel, not a relay
    ("Keel said via Twitter that the harbor would reopen.", "tweet", None),
    ("Keel said via Facebook that the harbor would reopen.", "social_media", None),
    # "told <reporter> of <outlet>": an interview relayed by the outlet (call sign or "news" after it)
    ("Keel told Ines Moro of KVLD 7 news that the harbor would reopen.", "interview", "KVLD 7"),
    ("Keel told Ines Moro of the Valdoria Times that the harbor would reopen.", "interview", "Valdoria Times"),
    # a reporter's employer that is not an outlet is no relay
    ("Keel told Ines Moro of the Port Authority that the harbor would reopen.", None, None),
    ("Keel said in a teleconference with reporters that the harbor would reopen.", "news_conference", None),
    ("Speaking on Sela One TV, Keel said that the harbor would reopen.", "broadcast", None),
]


@pytest.mark.parametrize("text, channel, via", CASES)
def test_channel_and_via(text: str, channel: str | None, via: str | None) -> None:
    cue = "tweeted" if "tweeted" in text else "testified" if "testified" in text else "wrote" if "wrote" in text \
        else "told" if "told" in text else "said"
    st = one(text, cue=cue)
    assert (st.channel, st.via) == (channel, via)


def test_channel_inside_the_content_is_not_the_statements() -> None:
    text = "Keel said that the rebels had announced on Twitter that the harbor would reopen."
    content = "the rebels had announced on Twitter that the harbor would reopen"
    statements, _ = resolved(text, [Spec("indirect", content, "said", "Keel")], published="2024-03-06")
    assert statements[0].channel is None


def test_reported_citing_makes_the_cited_source_the_speaker() -> None:
    text = "The harbor would reopen in May, Reuters reported, citing rebel sources."
    statements, _ = resolved(text, [Spec("indirect", "The harbor would reopen in May", "reported", "Reuters",
                                         {"citing": "rebel sources"})], published="2024-03-06")
    st = statements[0]
    assert (st.speaker.name, st.speaker.type, st.via) == ("rebel sources", "anonymous", "Reuters")


def test_reported_citing_found_without_the_finder_saying_so() -> None:
    text = "The harbor would reopen in May, Reuters reported, citing Northern Front sources."
    statements, _ = resolved(text, [Spec("indirect", "The harbor would reopen in May", "reported", "Reuters")],
                             published="2024-03-06")
    st = statements[0]
    assert (st.speaker.type, st.speaker.affiliation, st.via) == ("anonymous", "Northern Front", "Reuters")


@pytest.mark.parametrize(("text", "cited", "speaker", "via"), [
    # a reason is cited, not a speaker: the reporter stays the speaker (regression: "a rise in shipping"
    # was the speaker, via Reuters)
    ("The harbor would reopen in May, Reuters reported, citing a rise in shipping.", "a rise in shipping",
     "Reuters", None),
    ("The harbor would reopen in May, the union said, citing falling wages.", "falling wages", "union", None),
    # who is cited speaks
    ("The harbor would reopen in May, Reuters reported, citing port officials.", "port officials",
     "port officials", "Reuters"),
    ("The harbor would reopen in May, Reuters reported, citing a ministry spokesman.", "a ministry spokesman",
     "a ministry spokesman", "Reuters"),
])
def test_citing_a_reason_is_no_relay(text: str, cited: str, speaker: str, via: str | None) -> None:
    source = "Reuters" if "Reuters" in text else "the union"
    cue = "reported" if "reported" in text else "said"
    statements, _ = resolved(text, [Spec("indirect", "The harbor would reopen in May", cue, source,
                                         {"citing": cited})], published="2024-03-06")
    st = statements[0]
    assert (st.speaker.name, st.via) == (speaker, via)


def test_outlet_as_the_source_is_not_a_relay() -> None:
    text = "According to the AP, the harbor would reopen."
    statements, _ = resolved(text, [Spec("indirect", CONTENT, "According to", "the AP")], published="2024-03-06")
    st = statements[0]
    assert (st.speaker.name, st.speaker.type, st.via) == ("Associated Press", "outlet", None)


def test_every_lexicon_code_is_documented_and_known() -> None:
    from pathlib import Path

    schema = Path(__file__).resolve().parents[1] / "docs" / "schema.md"
    codes = {code for code, _ in channel_patterns()}
    assert codes <= set(CHANNEL_CODES)
    text = schema.read_text("utf-8")
    assert all(f"`{c}`" in text for c in CHANNEL_CODES)


@pytest.mark.parametrize("text, expected", [
    ("said on X on Monday", ["tweet"]),
    ("on X-ray machines", []),
    ("told reporters at a briefing", ["news_conference", "reporters"]),
])
def test_find_channels(text: str, expected: list[str]) -> None:
    assert sorted(e.value for e in find_channels(text, 0, len(text))) == sorted(expected)


@pytest.mark.parametrize("text, expected", [
    ("a source told Reuters", [("told", "Reuters")]),
    ("sources quoted by the Associated Press", [("quoted", "Associated Press")]),
    ("Reuters reported, citing sources", [("reported", "Reuters")]),
    ("she told the council", []),
])
def test_find_relays(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(e.kind, e.value) for e in find_relays(text, 0, len(text))] == expected
