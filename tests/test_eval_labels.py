from __future__ import annotations

import pytest

from onrecord.evaluation.labels import FormTagger, gold_kind, quoted_mask


def _content(text: str, part: str) -> tuple[tuple[int, int], ...]:
    a = text.index(part)
    return ((a, a + len(part)),)


@pytest.mark.parametrize(
    "text, content, kind",
    [
        ('“We will rebuild the pier,” Mayor Okafor said.', "We will rebuild the pier", "direct"),
        ('“We will rebuild the pier,” Mayor Okafor said.', "“We will rebuild the pier,”", "direct"),
        ('Okafor said the town would rebuild “a better pier” soon.', "the town would rebuild “a better pier” soon", "mixed"),
        ('Okafor said the town would rebuild the pier.', "the town would rebuild the pier", "indirect"),
        ('He said "it is over" and "done".', '"it is over" and "done"', "mixed"),
        ('“This runs on\n\nand on', "and on", "indirect"),  # a paragraph break ends an open quote
        ('“This runs on and on to the end of the paragraph', "This runs on and on", "direct"),
        ("It’s ‘in their heads,’ Caddell said.", "in their heads", "direct"),
        ("The town’s plan, he said, will work.", "The town’s plan", "indirect"),
        ("''We must not wait,'' he told me. Then he left.", "We must not wait", "direct"),
        ("He said it wasn't over and they'd stay.", "it wasn't over and they'd stay", "indirect"),
    ],
)
def test_gold_kind(text, content, kind):
    assert gold_kind(text, _content(text, content)) == kind


def test_quoted_mask_covers_the_marks():
    text = 'a "bc" d'
    assert list(quoted_mask(text)) == [0, 0, 1, 1, 1, 1, 0, 0]


@pytest.mark.parametrize(
    "mention, form",
    [
        ("he", "pronoun"),
        ("They", "pronoun"),
        ("who", "pronoun"),
        (None, "none"),
        ("", "none"),
        ("Mayor Ilse Brandt", "name"),
        ("Brandt, a harbour official,", "name"),
        ("a harbour official", "nominal"),
        ("Okafor", "name"),
        ("The Post", "name"),
        ("Senate Democrats", "name"),
        ("the ferry company's spokeswoman", "nominal"),
    ],
)
def test_speaker_form(mention, form):
    assert FormTagger().form(mention) == form
