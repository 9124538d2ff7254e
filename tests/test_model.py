"""The typed records round-trip through JSON and keep their offsets honest."""

from __future__ import annotations

import json

import pytest

from onrecord.model import Article, Record, Speaker, Span, Statement, content_hash


TEXT = 'Mayor Ana Ruiz said on Monday that the bridge "will reopen in May."'


def test_span_of_indexes_the_text():
    s = Span.of(TEXT, 6, 14)
    assert s.text == TEXT[6:14] == "Ana Ruiz"


def test_record_round_trips_through_json():
    a = Article(text=TEXT, source="x.txt", title="Bridge", published="2024-03-04", credits=("AP",))
    st = Statement(
        "mixed", Span.of(TEXT, 35, 66), Span.of(TEXT, 15, 19),
        Speaker("Ana Ruiz", "person", Span.of(TEXT, 0, 14), "mayor", None),
        channel=None, date="2024-03-04", confidence=0.9, flags=("x",),
    )
    r = Record(a, (st,))
    d = json.loads(json.dumps(r.to_dict()))
    assert Record.from_dict(d).to_dict() == d
    assert set(d) == {"article", "statements", "problems"}
    assert set(d["article"]) >= {"id", "source", "url", "title", "published", "authors", "outlet", "credits",
                                 "language", "text"}


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("One  two\nthree", "One two three", True),
        ("Café", "Cafe\u0301", True),
        ("One two", "One three", False),
    ],
)
def test_content_hash_ignores_whitespace_and_unicode_form(a, b, same):
    assert (content_hash(a) == content_hash(b)) is same


def test_article_id_defaults_to_content_hash():
    assert Article(text="Hello.").id == content_hash("Hello.")
    assert Article(text="Hello.", id="given").id == "given"


def test_speaker_name_read_across_a_line_break_is_written_on_one_line() -> None:
    """Hard-wrapped wire text gave names such as "David \\n Knox" and "BT Asia\\nLtd"."""
    sp = Speaker("David \n Knox", "person", None, "World Bank\nVice-President", "BT Asia\xa0Ltd")
    assert (sp.name, sp.role, sp.affiliation) == ("David Knox", "World Bank Vice-President", "BT Asia Ltd")
    assert Speaker("Ana Ruiz").name == "Ana Ruiz"
