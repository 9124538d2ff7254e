"""Quote-mark pairing (extract/quotes.py): text -> the quoted contents, their flags."""

from __future__ import annotations

import pytest

from onrecord.extract.parse import paragraph_bounds
from onrecord.extract.quotes import find_quotes


def quotes_of(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(text[q.start:q.end], q.flags) for q in find_quotes(text, paragraph_bounds(text))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"We are ready," she said.', [("We are ready,", ())]),
        ("“We are ready,” she said.", [("We are ready,", ())]),
        ("He said: «We are ready.»", [("We are ready.", ())]),
        ("Er sagte: »Wir sind bereit.« Dann ging er.", [("Wir sind bereit.", ())]),
        ("Er sagte: „Wir sind bereit.“", [("Wir sind bereit.", ())]),
        # apostrophes and single quotes never open a quotation
        ("\"It's the '90s and rock 'n' roll, don't forget,\" he said.",
         [("It's the '90s and rock 'n' roll, don't forget,", ())]),
        ("\"Nothing is agreed, and 'everything' must include a ceasefire,\" he said.",
         [("Nothing is agreed, and 'everything' must include a ceasefire,", ())]),
        ("The town's mayor didn't comment.", []),
        # two quotations, one split by the reporting clause
        ('"The water came at night," Ruiz said, "and nobody was ready."',
         [("The water came at night,", ()), ("and nobody was ready.", ())]),
        # an odd number of marks: pair what pairs, flag the rest
        ('The engineer said "the pumps were never tested.', [("the pumps were never tested.", ("unclosed_quote",))]),
        ('A 5" pipe burst, and "nobody came," he said.',
         [("A 5", ("unclosed_quote",)), ("nobody came,", ())]),
        # news convention: each paragraph opens a mark, only the last one closes
        ('"The first part is simple.\n\n"The second part is not," Ruiz said.',
         [('The first part is simple.\n\n"The second part is not,', ("multi_paragraph",))]),
        ('"One.\n\n"Two.\n\n"Three," she said.', [('One.\n\n"Two.\n\n"Three,', ("multi_paragraph",))]),
        # a closing mark typed for the opening one at the start of a line opens (regression: the credit
        # lines of a reader survey were paired the wrong way round)
        ("”We are ready.” ― Ana Ruiz\n”Nobody asked us.” ― Tom Baker",
         [("We are ready.", ()), ("Nobody asked us.", ())]),
        # two apostrophes as a double mark (some newspapers), at a word's edge only
        ("''We are ready,'' she said. ''Come in.''", [("We are ready,", ()), ("Come in.", ())]),
        ("He said it was ''a sad day.''", [("a sad day.", ())]),
        ("The '60s band''s tour was odd.", []),
        # an open quotation followed by a paragraph that does not open one stays unclosed
        ('"This never closes.\n\nThe next paragraph is narration.',
         [("This never closes.", ("unclosed_quote",))]),
    ],
)
def test_pairing(text: str, expected: list[tuple[str, tuple[str, ...]]]) -> None:
    assert quotes_of(text) == expected


def test_multi_paragraph_pieces_exclude_marks() -> None:
    text = '"The first part is simple.\n\n"The second part is not," Ruiz said.'
    (q,) = find_quotes(text, paragraph_bounds(text))
    assert [text[a:b] for a, b in q.pieces] == ["The first part is simple.", "The second part is not,"]
    assert q.paragraphs == (0, 1)
    assert text[q.open] == '"' and text[q.close] == '"'


@pytest.mark.parametrize("mark", ['"', "“", "”", "«"])
def test_ten_thousand_marks(mark: str) -> None:
    """Never an exception; bench/bench_extract.py --stress times this case."""
    text = ("word " + mark) * 10_000
    quotes = find_quotes(text, paragraph_bounds(text))
    assert quotes
    assert all(0 <= q.start < q.end <= len(text) for q in quotes)
    assert all(text[q.start:q.end] == "word" for q in quotes if q.close is not None)
