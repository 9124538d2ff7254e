"""JSON Lines records -> Articles; a bad line is an error record and the rest goes on."""

from __future__ import annotations

import json

import pytest

from onrecord.errors import InputError
from onrecord.model import Article, ErrorRecord
from onrecord.read import read_sources
from onrecord.read.jsonl import article_from_record, record_meta

BODY = "The harbor master said on Thursday that the port would reopen.\n\n\"Ships can dock again,\" she said."


@pytest.mark.parametrize(
    "record, expected",
    [
        ({"text": BODY, "id": 7, "date": "2023-06-15T10:00:00Z", "title": "Port Reopens", "outlet": "Courier"},
         {"id": "7", "published": "2023-06-15", "title": "Port Reopens", "outlet": "Courier"}),
        ({"text": BODY, "published": "June 15, 2023", "authors": ["Ida Renn"], "url": "https://x.example/1"},
         {"published": "2023-06-15", "authors": ("Ida Renn",), "url": "https://x.example/1"}),
    ],
)
def test_record_fields(record, expected):
    a = article_from_record(json.dumps(record), source="f.jsonl:1")
    assert a.text == BODY
    for key, value in expected.items():
        assert getattr(a, key) == value


def test_html_record():
    html = ("<html><body><article><p>The island council voted on Friday to extend the ferry subsidy for another "
            "year, its chair said.</p><p>\"We cannot leave the islands cut off,\" council chair Ole Brenner told "
            "the meeting.</p></article></body></html>")
    a = article_from_record(json.dumps({"html": html, "id": "h1"}), source="f.jsonl:2")
    assert a.id == "h1" and a.text.startswith("The island council voted on Friday")


@pytest.mark.parametrize(
    "line, code",
    [("{not json", "bad_json"), ("[1, 2]", "bad_json"), ('{"title": "no body"}', "no_text"),
     ('{"text": "   "}', "no_text"), ('{"text": 5}', "no_text")],
)
def test_bad_records(line, code):
    with pytest.raises(InputError) as e:
        article_from_record(line, source="f.jsonl:1")
    assert e.value.code == code


def test_bad_line_does_not_stop_the_file(tmp_path):
    path = tmp_path / "batch.jsonl"
    good = json.dumps({"id": "a", "text": BODY})
    path.write_text("\n".join([good, "{broken", "", json.dumps({"title": "x"}), good.replace('"a"', '"b"')]) + "\n")
    out = list(read_sources([str(path)]))
    kinds = [(type(o).__name__, o.source) for o in out]
    assert kinds == [("Article", f"{path}:1"), ("ErrorRecord", f"{path}:2"), ("ErrorRecord", f"{path}:4"),
                     ("Article", f"{path}:5")]
    assert [o.error.code for o in out if isinstance(o, ErrorRecord)] == ["bad_json", "no_text"]
    assert [o.id for o in out if isinstance(o, Article)] == ["a", "b"]


def test_as_is_keeps_record_text(tmp_path):
    text = "Menu\n\nThe port reopened on Thursday, officials said.\n\n\n"
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"text": text}) + "\n")
    (a,) = read_sources([str(path)], as_is=True)
    assert a.text == text


def test_record_meta_skips_empty_values():
    assert record_meta({"id": "", "title": None, "url": "u", "authors": []}) == {"url": "u"}
