"""Speakers named by layout (extract/credits.py): transcript labels and dash credit lines."""

from __future__ import annotations

import pytest

from onrecord.extract.credits import dash_credit, speaker_labels
from onrecord.extract.parse import parse
from onrecord.model import Article


def labels(text: str) -> list[tuple[str, str | None, str, bool]]:
    parsed = parse(Article(text=text))
    return [(c.source.text, c.cue.text if c.cue else None, text[c.start:c.end], c.transcript)
            for c in speaker_labels(parsed)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("KELLER: We never planned to close the school.",
         [("KELLER", ":", "We never planned to close the school.", True)]),
        ("Mayor Ruiz: The pier will reopen before the summer.",
         [("Mayor Ruiz", ":", "The pier will reopen before the summer.", False)]),
        ("((WN)) Why did you run?\n\n((Ana Ruiz)) Because nobody else would do it.",
         [("WN", None, "Why did you run?", True), ("Ana Ruiz", None, "Because nobody else would do it.", True)]),
        # one "((...))" alone is not an interview
        ("((Editor's note)) This story was changed on Monday.", []),
        # not speakers
        ("Update: the story was changed on Monday.", []),
        ("Photo: the old pier at dawn, from the lighthouse.", []),
        ("The Bottom Line: prices will rise again this year.", []),
        ("Monday, May 4: the council met for six hours.", []),
        # too short to be a statement
        ("RUIZ: Yes.", []),
        # a colon later in the sentence is not a label
        ("The mayor had one goal: reopen the pier by May.", []),
        # a transcript quoted paragraph by paragraph: the opening mark comes before the label
        ('"KELLER: We never planned to close the school.\n\n"RUIZ: Then why did you vote for it?',
         [("KELLER", ":", "We never planned to close the school.", True),
          ("RUIZ", ":", "Then why did you vote for it?", True)]),
        # ... for upper-case labels only: a quoted sentence with a colon is no label
        ('"Mayor Ruiz: The pier will reopen," the poster said.', []),
    ],
)
def test_speaker_labels(text: str, expected: list[tuple[str, str | None, str, bool]]) -> None:
    assert labels(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("“We can build a bridge one day.” ― Jane Roe", ("Jane Roe", "―")),
        ("“We can build a bridge one day.” ― Jane Roe.", ("Jane Roe", "―")),
        ("“Nothing works here.” — Tom A. Baker\nThe street was repaved.", ("Tom A. Baker", "—")),
        ("“Nothing works here.” -- Ruiz Jr.", ("Ruiz Jr.", "--")),
        # non-breaking spaces around the dash and after the name (regression: no credit was found)
        ("“We can build a bridge one day.”\u00a0―\u00a0Jane Roe\u00a0\nThe street was repaved.", ("Jane Roe", "―")),
        # a dash that goes on with narration is no credit
        ("“A quiet town,” — and the mayor left.", None),
        ("“A quiet town.” Then the mayor left.", None),
    ],
)
def test_dash_credit(text: str, expected: tuple[str, str] | None) -> None:
    parsed = parse(Article(text=text))
    para = parsed.paragraphs[0]
    close = max(text.rfind("”", 0, 40), text.rfind('"', 0, 40))
    c = dash_credit(parsed, para, close + 1)
    assert (None if c is None else (c.source.text, c.cue.text if c.cue else "")) == expected
    if c is not None:
        assert para.doc[c.source_head].text in c.source.text
