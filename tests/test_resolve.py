"""The resolver end to end over hand-built attributions: inheritance of channel and date, flags, floating quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.model import SPEAKER_TYPES

from attr_builder import Spec, resolved

PUB = "2024-03-06"


def test_same_sentence_same_speaker_inherits_channel_and_date() -> None:
    text = "Marta Keel said on Twitter on Monday that no deal was reached, but she said talks would resume."
    sts, _ = resolved(text, [Spec("indirect", "no deal was reached", "said", "Marta Keel"),
                             Spec("indirect", "talks would resume", "said", "she", after="but")], published=PUB)
    assert [(s.speaker.name, s.channel, s.date) for s in sts] == [("Marta Keel", "tweet", "2024-03-04")] * 2


@pytest.mark.parametrize("second, cue, inherits", [
    ("She also said that the talks would resume.", "said", True),
    ("She added that the talks would resume.", "added", True),
    ("She said that the talks would resume.", "said", False),
])
def test_continuation_inherits_only_when_the_text_says_so(second: str, cue: str, inherits: bool) -> None:
    text = "Marta Keel said on Twitter on Monday that no deal was reached.\n\n" + second
    sts, _ = resolved(text, [Spec("indirect", "no deal was reached", "said", "Marta Keel"),
                             Spec("indirect", "the talks would resume", cue, "She")], published=PUB)
    assert sts[1].speaker.name == "Marta Keel"
    assert (sts[1].channel, sts[1].date) == (("tweet", "2024-03-04") if inherits else (None, PUB))


def test_same_channel_is_the_same_event() -> None:
    text = ("Marta Keel said on Twitter on Monday that no deal was reached.\n\n"
            '"We are close," Keel said in a tweet.')
    sts, _ = resolved(text, [Spec("indirect", "no deal was reached", "said", "Marta Keel"),
                             Spec("direct", "We are close,", "said", "Keel")], published=PUB)
    assert (sts[1].speaker.name, sts[1].channel, sts[1].date) == ("Marta Keel", "tweet", "2024-03-04")


def test_another_speaker_inherits_nothing() -> None:
    text = ("Marta Keel said on Twitter on Monday that no deal was reached, "
            "but Idris Halloran said talks would resume.")
    sts, _ = resolved(text, [Spec("indirect", "no deal was reached", "said", "Marta Keel"),
                             Spec("indirect", "talks would resume", "said", "Idris Halloran", after="but")],
                      published=PUB)
    assert (sts[1].channel, sts[1].date) == (None, PUB)


def test_document_speaker_tied_to_its_issuer() -> None:
    text = ("Northern Front spokesman Idris Halloran said in a statement released on Tuesday that the truce "
            "was over.\n\nThe statement added that the group would fight on.")
    sts, _ = resolved(text, [Spec("indirect", "the truce was over", "said", "Northern Front spokesman Idris Halloran"),
                             Spec("indirect", "the group would fight on", "added", "The statement")], published=PUB)
    sp = sts[1].speaker
    assert (sp.name, sp.type, sp.issued_by, sp.affiliation) == ("statement", "document", "Idris Halloran",
                                                                "Northern Front")
    assert (sts[1].channel, sts[1].date) == ("statement", "2024-03-05")


def test_document_without_an_issuing_statement_stays_untied() -> None:
    text = "Idris Halloran spoke on Monday.\n\nThe letter said the group would fight on."
    sts, _ = resolved(text, [Spec("indirect", "the group would fight on", "said", "The letter")], published=PUB)
    sp = sts[0].speaker
    assert (sp.name, sp.type, sp.issued_by, sts[0].channel) == ("letter", "document", None, "letter")


# text, content, cue, source, expected flags
FLAGS = [
    ("Halloran denied that the truce was over.", "the truce was over", "denied", "Halloran", ["denial"]),
    ("Halloran rejected claims that the truce was over.", "the truce was over", "rejected", "Halloran", ["denial"]),
    ('Halloran said reports of a truce "are not true."', 'reports of a truce "are not true."', "said", "Halloran",
     ["denial"]),
    ("Halloran said the reports were untrue.", "the reports were untrue", "said", "Halloran", ["denial"]),
    ("Halloran dismissed as false reports that the truce was over.", "reports that the truce was over",
     "dismissed as false", "Halloran", ["denial"]),
    ("Halloran confirmed that the truce was over.", "the truce was over", "confirmed", "Halloran", ["confirmation"]),
    ("Halloran said that the truce was over.", "the truce was over", "said", "Halloran", []),
]


@pytest.mark.parametrize("text, content, cue, source, flags", FLAGS)
def test_denial_and_confirmation(text: str, content: str, cue: str, source: str, flags: list[str]) -> None:
    sts, _ = resolved(text, [Spec("indirect", content, cue, source)], published=PUB)
    assert [f for f in sts[0].flags if f != "date_from_article"] == flags


# text, published, expected date, whether the date is the article's by default
DATE_SOURCES = [
    ("Halloran said on Monday that the truce was over.", PUB, "2024-03-04", False),
    ("Halloran said that the truce was over.", PUB, PUB, True),
    ("Halloran said that the truce was over.", None, None, False),
]


@pytest.mark.parametrize("text, published, date, default", DATE_SOURCES)
def test_date_from_article_flag(text: str, published: str | None, date: str | None, default: bool) -> None:
    sts, _ = resolved(text, [Spec("indirect", "the truce was over", "said", "Halloran")], published=published)
    assert sts[0].date == date
    assert ("date_from_article" in sts[0].flags) is default


def test_floating_quote_takes_the_previous_speaker() -> None:
    text = ('Marta Keel said on Monday that the talks were useful.\n\n'
            '"We will be back in April."')
    sts, _ = resolved(text, [Spec("indirect", "the talks were useful", "said", "Marta Keel"),
                             Spec("direct", "We will be back in April.", None, None)], published=PUB)
    assert (sts[1].speaker.name, sts[1].speaker.mention) == ("Marta Keel", None)


def test_floating_quote_takes_the_topic_person() -> None:
    text = ("Marta Keel arrived in Lisbon on Monday for a third round of talks.\n\n"
            '"We will be back in April."')
    sts, _ = resolved(text, [Spec("direct", "We will be back in April.", None, None)], published=PUB)
    assert sts[0].speaker.name == "Marta Keel"


def test_unresolved_pronoun_is_flagged_with_lower_confidence() -> None:
    sts, _ = resolved("He said the talks were useful.", [Spec("indirect", "the talks were useful", "said", "He")],
                      published=PUB)
    assert sts[0].speaker.name is None and "speaker_unresolved" in sts[0].flags and sts[0].confidence < 1


def test_via_from_the_finders_relay_and_addressee() -> None:
    text = "Northern Front sources quoted by AFP said the truce was over. A rebel told Reuters the war goes on."
    sts, _ = resolved(text, [Spec("indirect", "the truce was over", "said", "Northern Front sources",
                                  {"via_mention": "AFP"}),
                             Spec("indirect", "the war goes on", "told", "A rebel", {"addressee": "Reuters"})],
                      published=PUB)
    assert [(s.via, s.channel) for s in sts] == [("AFP", None), ("Reuters", "interview")]


def test_statements_come_back_in_input_order() -> None:
    text = "Keel said the talks were useful. Halloran said the truce was over."
    specs = [Spec("indirect", "the truce was over", "said", "Halloran"),
             Spec("indirect", "the talks were useful", "said", "Keel")]
    sts, _ = resolved(text, specs, published=PUB)
    assert [s.content.text for s in sts] == ["the truce was over", "the talks were useful"]


def test_schema_documents_every_speaker_type_flag_and_problem_code() -> None:
    schema = (Path(__file__).resolve().parents[1] / "docs" / "schema.md").read_text("utf-8")
    codes = ["year_inferred", "date_unknown", "denial", "confirmation", "speaker_unresolved", "approximate_date",
             "date_from_article"]
    assert all(f"`{c}`" in schema for c in [*SPEAKER_TYPES, *codes])


TRANSCRIPT = ("Marine biologist Lena Ortiz studies the kelp forests off Valdoria.\n\n"
              "((WN))  Do you think the kelp will recover?\n\n"
              "((Lena Ortiz))  I think the kelp will recover within a decade.\n\n"
              "We believe the warm water was the cause.\n\n"
              "((WN))  You said the survey took two years.")

# content, cue, source, expected speaker name, expected flag
INTERVIEW = [
    ("the kelp will recover within a decade", "think", "I", "Lena Ortiz", "interviewee"),
    # an answer running over several paragraphs keeps its label
    ("the warm water was the cause", "believe", "We", "Lena Ortiz", "interviewee"),
    # "you" in the interviewer's question is the addressee, not someone on record
    ("the survey took two years", "said", "You", None, "interviewer_question"),
]


@pytest.mark.parametrize("content, cue, source, name, flag", INTERVIEW)
def test_interview_transcript_speakers(content: str, cue: str, source: str, name: str | None, flag: str) -> None:
    sts, _ = resolved(TRANSCRIPT, [Spec("indirect", content, cue, source)], published=PUB)
    assert (sts[0].speaker.name, flag in sts[0].flags) == (name, True)
    assert (sts[0].confidence < 0.5) is (flag == "interviewer_question")


def test_first_person_outside_a_transcript_stays_unresolved() -> None:
    text = "Lena Ortiz studies kelp.\n\n((Lena Ortiz)) I think the kelp will recover."
    sts, _ = resolved(text, [Spec("indirect", "the kelp will recover", "think", "I")], published=PUB)
    assert sts[0].speaker.name is None


# second sentence between the statements, expected speaker of "They also said"
GOES_ON = [
    ("Villagers fled the coast on Tuesday.", "Northern Front"),
    ("Protesters marched in Port Sela on Tuesday.", "Northern Front"),
]


@pytest.mark.parametrize("between, name", GOES_ON)
def test_they_also_said_goes_on_for_the_last_source(between: str, name: str) -> None:
    text = f"The Northern Front said the offer was a trap. {between}\n\nThey also said the truce had failed."
    sts, _ = resolved(text, [Spec("indirect", "the offer was a trap", "said", "The Northern Front"),
                             Spec("indirect", "the truce had failed", "said", "They")], published=PUB)
    assert (sts[1].speaker.name, sts[1].speaker.type) == (name, "organization")


def test_they_without_going_on_may_be_a_group() -> None:
    text = ("The Northern Front said the offer was a trap. Villagers fled the coast on Tuesday.\n\n"
            "They said the water had risen.")
    sts, _ = resolved(text, [Spec("indirect", "the offer was a trap", "said", "The Northern Front"),
                             Spec("indirect", "the water had risen", "said", "They")], published=PUB)
    assert (sts[1].speaker.name, sts[1].speaker.type) == ("Villagers", "anonymous")


INITIALS = ("Marine biologist Lena Ortiz studies the kelp forests off Valdoria.\n\n"
            "((JS))  Why do you study kelp?\n\n"
            "((LO))  Kelp forests hold more life than any other coast.")

# source (the label), content, expected (name, type), expected flag
LABELS = [
    # an answer's label in initials is the person named in full
    ("LO", "Kelp forests hold more life than any other coast.", ("Lena Ortiz", "person"), "interviewee"),
    # a label whose paragraphs are all questions is the interviewer: the outlet asks, nobody is on record
    ("JS", "Why do you study kelp?", ("Sela Wire", "outlet"), "interviewer_question"),
]


@pytest.mark.parametrize("source, content, who, flag", LABELS)
def test_transcript_labels_as_sources(source: str, content: str, who: tuple[str, str], flag: str) -> None:
    sts, _ = resolved(INITIALS, [Spec("direct", content, None, source)], published=PUB, outlet="Sela Wire")
    assert ((sts[0].speaker.name, sts[0].speaker.type), flag in sts[0].flags) == (who, True)


def test_initials_stand_for_the_person_named_in_full() -> None:
    text = ("Marine biologist Lena Ortiz studies the kelp forests off Valdoria.\n\n"
            "LO: Kelp forests hold more life than any other coast.")
    sts, _ = resolved(text, [Spec("direct", "Kelp forests hold more life than any other coast.", None, "LO")],
                      published=PUB)
    assert (sts[0].speaker.name, sts[0].speaker.type) == ("Lena Ortiz", "person")
