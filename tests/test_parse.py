"""Paragraph splitting and the selective parse (extract/parse.py)."""

from __future__ import annotations

import pytest

from onrecord.extract.parse import paragraph_bounds, parse, parse_many
from onrecord.model import Article


@pytest.mark.parametrize(
    "text, expected",
    [
        ("One.\n\nTwo.", ["One.", "Two."]),
        ("  One.  \n \n\n  Two.\n", ["One.", "Two."]),
        ("One.\r\n\r\nTwo.", ["One.", "Two."]),
        ("Line one\nline two.\n\nNext.", ["Line one\nline two.", "Next."]),
        ("", []),
        ("\n\n  \n", []),
        # one paragraph a line, as scraped pages and corpora often come, even beside a blank line
        ("The mayor spoke first.\n\u201cWe are ready,\u201d she said.\n\nThe council agreed.\nIt voted.",
         ["The mayor spoke first.", "\u201cWe are ready,\u201d she said.", "The council agreed.", "It voted."]),
        ("One line ends,\nand carries on.\nA new one.", ["One line ends,\nand carries on.", "A new one."]),
        ("One.\r\nTwo.\r\n\r\nThree.", ["One.", "Two.", "Three."]),
        # hard-wrapped newswire: an indented line opens a paragraph; the wrapped lines stay together
        ("The company said it would cut 500 jobs at its plant in the north of\n"
         "the country by the end of the year.\n"
         "    The union said it would fight the cuts.\n"
         "    Shares fell two pct on the news in early\n"
         "trading on Monday.",
         ["The company said it would cut 500 jobs at its plant in the north of\n"
          "the country by the end of the year.",
          "The union said it would fight the cuts.",
          "Shares fell two pct on the news in early\ntrading on Monday."]),
    ],
)
def test_paragraph_bounds(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in paragraph_bounds(text)] == expected


def test_quote_after_a_line_break_is_not_paired_across_paragraphs() -> None:
    """A text with one paragraph a line used to be one paragraph up to its next blank line: a
    speaker's clause and the next line's quotation ran together and the quotation's cue claimed the
    text between them as its content."""
    from onrecord.api import extract_text

    text = ("The mayor spoke first.\n\n"
            "But Ann Hester, a senior adviser at the Institute for Schools, said parents want local schools.\n"
            "\u201cNobody wants to bus their kids across town. What parents want is a good school nearby,\u201d "
            "said Hester.\n"
            "Tom Mulgrew, president of the teachers' union, which represents city teachers, said he hopes the "
            "day of action sends a message that \u201ccommunities are standing up for their schools.\u201d\n"
            "\u201cLet\u2019s get back to saying our schools are something we support,\u201d said Mulgrew.")
    got = {(s.speaker.mention.text if s.speaker.mention else None, s.content.text) for s in extract_text(text).statements}
    assert ("Mulgrew", "Let\u2019s get back to saying our schools are something we support") in got
    assert not any(content.startswith("Tom Mulgrew") for _, content in got)
    assert any(content.startswith("he hopes the day of action") for _, content in got)


@pytest.mark.parametrize(
    "paragraph, parsed",
    [
        ("The council met on Tuesday in Riverton.", False),
        ("The mayor said the bridge would reopen.", True),
        ('"We are done," she told them.', True),
        ("Three people died, according to police.", True),
        ("The ministry's statement was short.", True),
        ("They watched «Les Enfants» again.", False),  # a quotation alone needs no parse
        ('"And then we left," he continued.', True),  # a quote-only cue beside a quote mark
        ("He continued his speech.", False),
        ("The weather was cold and windy all week.", False),
        # ambiguous forms ("states", "reports") count only in a subject + clause shape
        ("The agency states that the water is safe.", True),
        ("The agency reports the water is safe again.", True),
        ("The state reports were late.", False),
        ("Both states reported flooding in the spring.", True),
        ("The two states held elections in May.", False),
        # belief and stance verbs
        ("Keller believes the pier will reopen.", True),
    ],
)
def test_only_paragraphs_that_can_attribute_are_parsed(paragraph: str, parsed: bool) -> None:
    (p,) = parse(Article(text=paragraph)).paragraphs
    assert p.parsed is parsed
    assert p.doc.has_annotation("ENT_IOB")  # the entity recognizer always runs
    assert list(p.doc.sents)  # sentence boundaries are always set
    if parsed:
        assert any(t.dep_ == "ROOT" for t in p.doc) and all(t.pos_ for t in p.doc)


def test_offsets_are_exact_and_names_everywhere() -> None:
    text = ("  Anna Weber arrived in Berlin on Monday.\n\n\n"
            "Weber said the talks in Paris had failed.\n\n"
            "The train from Paris was late again.  ")
    parsed = parse(Article(text=text))
    assert [p.parsed for p in parsed.paragraphs] == [False, True, False]
    for p in parsed.paragraphs:
        assert text[p.start:p.end] == p.doc.text
        for t in p.doc:
            assert text[p.start + t.idx: p.start + t.idx + len(t.text)] == t.text
    # the unparsed paragraphs get the names the recognizer found in the parsed one
    assert [(e.text, e.label_) for e in parsed.paragraphs[0].doc.ents] == [("Anna Weber", "PERSON")]
    assert [(e.text, e.label_) for e in parsed.paragraphs[2].doc.ents] == [("Paris", "GPE")]
    span = parsed.paragraphs[1].span(text, 0, 1)
    assert span.text == "Weber" and text[span.start:span.end] == "Weber"


def test_full_parses_everything() -> None:
    text = "The council met on Tuesday.\n\nThe mayor said the bridge would reopen."
    parsed = parse(Article(text=text), full=True)
    assert all(p.parsed for p in parsed.paragraphs)
    assert parsed.paragraphs[0].doc[1].lemma_ == "council"


def test_empty_article() -> None:
    assert parse(Article(text="   ")).paragraphs == []


def test_parse_many_matches_parse() -> None:
    texts = ["The council met on Tuesday.\n\nThe mayor said the bridge would reopen.",
             '"We are done," she told them.',
             "Weber arrived in Berlin.\n\nShe warned that the talks could fail."]
    batched = list(parse_many((Article(text=t) for t in texts), batch_chars=50))
    assert [p.text for p in batched] == texts
    for many, text in zip(batched, texts):
        one = parse(Article(text=text))
        assert [(p.start, p.end, p.parsed) for p in many.paragraphs] == [(p.start, p.end, p.parsed) for p in one.paragraphs]
        for a, b in zip(many.paragraphs, one.paragraphs):
            assert [(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in a.doc] == \
                   [(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in b.doc]


def test_light_words_get_a_skipped_paragraph_parsed_without_the_recognizer() -> None:
    text = ("Mayor Ana Ruiz met the council.\n\nRuiz said the bridge would reopen.\n\n"
            "Ruiz scolded the harbour scheme in a speech.\n\nThe weather was cold.")
    light = frozenset({"scolded"})
    plain = parse(Article(text=text))
    got = parse(Article(text=text), light=light)
    assert [p.parsed for p in plain.paragraphs] == [False, True, False, False]
    assert [p.parsed for p in got.paragraphs] == [False, True, True, False]
    doc = got.paragraphs[2].doc
    assert [t.dep_ for t in doc if t.text == "scolded"] == ["ROOT"]
    # its names come the way an unparsed paragraph's do (names.label_names), not from the recognizer
    assert [(e.text, e.label_) for e in doc.ents] == [(e.text, e.label_) for e in plain.paragraphs[2].doc.ents]
    for a, b in zip(plain.paragraphs[:2], got.paragraphs[:2]):  # the others as before
        assert [(t.tag_, t.dep_, t.ent_type_) for t in a.doc] == [(t.tag_, t.dep_, t.ent_type_) for t in b.doc]
    many = next(parse_many([Article(text=text)], light=light))
    assert [(t.text, t.dep_, t.ent_type_) for p in many.paragraphs for t in p.doc] == \
           [(t.text, t.dep_, t.ent_type_) for p in got.paragraphs for t in p.doc]
