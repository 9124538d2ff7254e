"""Bad input: every input ends as an Article or an ErrorRecord with a reason code, and the batch goes on."""

from __future__ import annotations

import codecs
import gzip
import os
from pathlib import Path

import pytest

import onrecord
from onrecord.model import Article, ErrorRecord, Record
from onrecord.read import read_sources
from onrecord.settings import Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGE = (FIXTURES / "pages" / "harbor.html").read_bytes()
STORY = ("Talks Resume In Lisbon\n\nThe envoy said on Monday that the talks in Lisbon would go on for another "
         "week, and that both sides had agreed to meet again.\n\n\u201cWe are closer than before,\u201d she said. "
         "The café near the venue stayed open late.\n")


def _one(path: Path, **kw) -> Article | ErrorRecord:
    (out,) = list(read_sources([str(path)], **kw))
    return out


def _code(item: Article | ErrorRecord) -> str | None:
    return item.error.code if isinstance(item, ErrorRecord) else None


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("empty.txt", b"", "empty"),
        ("blank.html", b"  \n\n  ", "empty"),
        ("empty.jsonl", b"", None),  # no lines, no records
        ("garbage.txt", os.urandom(4096).replace(b"\xef\xbb\xbf", b"") + b"\x00" * 64, "binary"),
        ("image.html", b"\x89PNG\r\n\x1a\n" + os.urandom(512), "binary"),
        ("bad.html.gz", b"\x1f\x8b\x08\x00" + b"not really gzip data at all" * 10, "bad_gzip"),
        ("cut.txt.gz", gzip.compress(STORY.encode() * 50)[:-40], "bad_gzip"),
        ("chrome.txt", b"Menu\n\nShare\n\nRelated\n", "empty"),
    ],
)
def test_error_codes(tmp_path, name, data, code):
    path = tmp_path / name
    path.write_bytes(data)
    out = list(read_sources([str(path)]))
    if code is None:
        assert out == []
    else:
        assert [_code(o) for o in out] == [code]
        assert all(o.stage == "read" and o.source == str(path) for o in out)


def test_missing_file(tmp_path):
    assert _code(_one(tmp_path / "nope.html")) == "not_found"


def test_too_large_is_refused_from_its_size(tmp_path):
    settings = Settings.load()
    path = tmp_path / "huge.html"
    with open(path, "wb") as fh:  # a sparse file just over the limit: nothing is read to refuse it
        fh.truncate(settings.max_input_bytes + 1)
    out = _one(path, settings=settings)
    assert _code(out) == "too_large" and f"{settings.max_input_bytes + 1:,}" in out.error.message


def test_too_large_gzip_stops_at_the_limit(tmp_path):
    settings = Settings.load().with_(max_input_bytes=100_000)
    path = tmp_path / "bomb.html.gz"
    path.write_bytes(gzip.compress(b"<p>" + b"a" * 5_000_000 + b"</p>"))
    assert _code(_one(path, settings=settings)) == "too_large"


def test_too_large_text_after_cleaning(tmp_path):
    settings = Settings.load().with_(max_text_chars=50)
    path = tmp_path / "long.txt"
    path.write_text(STORY)
    assert _code(_one(path, settings=settings)) == "too_large"


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("cp1252"),
        lambda s: s.encode("latin-1", "replace"),
        lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le"),
        lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"),
        lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
    ],
)
def test_encodings(tmp_path, encode):
    path = tmp_path / "story.txt"
    path.write_bytes(encode(STORY))
    a = _one(path)
    assert isinstance(a, Article)
    assert "The café near the venue stayed open late." in a.text
    assert a.title == "Talks Resume In Lisbon"


@pytest.mark.parametrize("cut", [200, 700, 1200, len(PAGE) - 30])
def test_truncated_html(tmp_path, cut):
    path = tmp_path / "cut.html"
    path.write_bytes(PAGE[:cut])
    out = _one(path)
    assert isinstance(out, Article) or _code(out) in {"empty", "truncated"}


def test_one_bad_input_does_not_stop_the_batch(tmp_path):
    (tmp_path / "a_bad.txt").write_bytes(b"\x00\x01" * 100)
    (tmp_path / "b_good.txt").write_text(STORY)
    (tmp_path / "c_empty.html").write_bytes(b"")
    out = list(read_sources([str(tmp_path)]))
    assert [_code(o) for o in out] == ["binary", None, "empty"]


@pytest.mark.slow
def test_ten_thousand_quote_marks(tmp_path):
    """A page with 10,000 quote marks, some unpaired, goes through the whole pipeline to a result."""
    sentences = [f'The clerk wrote "item {i}" and "note {i}.' for i in range(3334)]  # 3 marks each
    body = "\n\n".join(" ".join(sentences[i:i + 50]) for i in range(0, len(sentences), 50))
    assert body.count('"') >= 10_000
    path = tmp_path / "quotes.txt"
    path.write_text("Quotes Everywhere In The Ledger\n\n" + body + "\n", encoding="utf-8")
    (result,) = list(onrecord.extract(str(path)))
    assert isinstance(result, (Record, ErrorRecord))
