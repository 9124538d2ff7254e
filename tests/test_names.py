"""Names in paragraphs the entity recognizer does not read (extract/names.py)."""

from __future__ import annotations

import pytest

from onrecord.extract.names import label_names
from onrecord.extract.parse import parse
from onrecord.model import Article
from onrecord import nlp as nlp_mod


def _docs(recognised: list[tuple[str, list[tuple[str, str]]]], unread: str):
    """Docs for paragraphs with given entities (as the recognizer would have set them) and one unread paragraph."""
    nlp = nlp_mod.load()
    docs = []
    for text, ents in recognised:
        doc = nlp.make_doc(text)
        spans = []
        for name, label in ents:
            start = text.index(name)
            spans.append(doc.char_span(start, start + len(name), label=label))
        doc.set_ents(spans, default="outside")
        docs.append(doc)
    docs.append(nlp.make_doc(unread))
    return docs


# (names the recognizer found elsewhere, the unread paragraph, the entities it should get)
CASES = [
    # a known surname extends to the full name, titles left out
    ([("Pelosi said no.", [("Pelosi", "PERSON")])],
     "House Speaker Nancy Pelosi met the press.", [("Nancy Pelosi", "PERSON")]),
    # a known full name recurs with its label
    ([("Maria Lopez spoke.", [("Maria Lopez", "PERSON")])],
     "Maria Lopez left early.", [("Maria Lopez", "PERSON")]),
    # organisations and places recur with the recognizer's label
    ([("The Interior Ministry said so in Kabul.", [("Interior Ministry", "ORG"), ("Kabul", "GPE")])],
     "Officials from the Interior Ministry flew to Kabul.", [("Interior Ministry", "ORG"), ("Kabul", "GPE")]),
    # a first name from the lexicon starts a person name even when the surname is new
    ([("Nothing here.", [])], "Later, David Okafor arrived.", [("David Okafor", "PERSON")]),
    # an honorific names a person
    ([("Nothing here.", [])], "It was Mr. Brandtner who called.", [("Brandtner", "PERSON")]),
    # a sentence opener is not part of the name
    ([("Weber said no.", [("Weber", "PERSON")])], "But Anna Weber stayed.", [("Anna Weber", "PERSON")]),
    # a hyphenated compound is not a person ("the Browne-Jorgensen ticket")
    ([("Jorgensen said yes.", [("Jorgensen", "PERSON")])],
     "The Browne-Jorgensen ticket won.", [("Jorgensen", "PERSON")]),
    # particles inside a name
    ([("Beethoven wrote it.", [("Beethoven", "PERSON")])],
     "Ludwig van Beethoven died in 1827.", [("Ludwig van Beethoven", "PERSON")]),
    # a place is not a person
    ([("Nothing here.", [])], "The Grand Hotel reopened on Monday.", []),
    ([("Nothing here.", [])], "Crowds gathered in Costa Rica.", []),
    # by form: organisation words, acronyms, two capitalised words for a person
    ([("Nothing here.", [])], "Norvik Shipping Ltd lost two vessels.", [("Norvik Shipping Ltd", "ORG")]),
    ([("Nothing here.", [])], "The Valdoria Herald ran the story.", [("Valdoria Herald", "ORG")]),
    ([("Nothing here.", [])], "Officials at NATO agreed.", [("NATO", "ORG")]),
    ([("Nothing here.", [])], "Kiri Vance reached Lisbon on Monday.", [("Kiri Vance", "PERSON")]),
    # a lower-case title before the name ("spokesman Idris Halloran") names a person
    ([("Halloran said no.", [("Halloran", "GPE")])],
     "Northern Front spokesman Idris Halloran spoke.", [("Northern Front", "ORG"), ("Idris Halloran", "PERSON")]),
    # a possessive ends the name
    ([("Okoro said no.", [("Okoro", "PERSON")])], "Chidi Okoro's office declined.", [("Chidi Okoro", "PERSON")]),
]


@pytest.mark.parametrize(("recognised", "unread", "expected"), CASES)
def test_label_names(recognised, unread, expected) -> None:
    docs = _docs(recognised, unread)
    label_names(docs, [True] * len(recognised) + [False])
    assert [(e.text, e.label_) for e in docs[-1].ents] == expected


def test_recognised_docs_are_left_alone() -> None:
    docs = _docs([("Weber said no.", [("Weber", "PERSON")])], "Anna Weber stayed.")
    before = [(e.text, e.label_) for e in docs[0].ents]
    label_names(docs, [True, False])
    assert [(e.text, e.label_) for e in docs[0].ents] == before


def test_unread_paragraph_resolves_surname_speaker() -> None:
    """The full name named only in a paragraph with no cue still resolves the surname in a statement."""
    text = ("Prime Minister Helena Marsh arrived in Oslo on Monday.\n\n"
            "Marsh said the talks had gone well.")
    record_parsed = parse(Article(text=text))
    assert [p.parsed for p in record_parsed.paragraphs] == [False, True]
    from onrecord import extract_text

    record = extract_text(text)
    assert [s.speaker.name for s in record.statements] == ["Helena Marsh"]


@pytest.mark.parametrize("unread", [
    "",                                                      # empty paragraph
    "BREAKING NEWS: MARKETS FALL AS TALKS STALL",            # an all-capitals line
    "Москва и Киев не договорились.",                        # another script
    " ".join(["Alpha Beta Gamma Delta"] * 2000),             # a long run of capitalised words
])
def test_label_names_odd_paragraphs(unread) -> None:
    """Odd paragraphs end with entities that are whole tokens, in bounded time, and never fail."""
    docs = _docs([("Weber said no.", [("Weber", "PERSON")])], unread)
    label_names(docs, [True, False])
    for e in docs[-1].ents:
        assert e.text.strip() == e.text and len(e) <= 6
