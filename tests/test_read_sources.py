"""Sources: files, folders, standard input; format from the name and the content; forced formats."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from onrecord.errors import InputError
from onrecord.model import Article, ErrorRecord, RawInput
from onrecord.read import read_input, read_sources
from onrecord.settings import Settings
from onrecord.read.sources import format_of_name, sniff, walk

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGE = (FIXTURES / "pages" / "harbor.html").read_bytes()
TEXT = (FIXTURES / "scraped" / "blog_related.txt").read_bytes()


@pytest.mark.parametrize(
    "name, expected",
    [("a.html", "html"), ("a.HTM", "html"), ("a.xhtml", "html"), ("a.html.gz", "html"), ("a.txt", "text"),
     ("a.txt.gz", "text"), ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"), ("a.warc", "warc"), ("a.warc.gz", "warc"),
     ("a.pdf", None), ("README", None)],
)
def test_format_of_name(name, expected):
    assert format_of_name(name) == expected


@pytest.mark.parametrize(
    "head, expected",
    [(b"<!DOCTYPE html><html><body>", "html"), (b"\n  <html lang='en'>", "html"),
     (b"<div><p>a</p><p>b</p></div>", "html"), (b"WARC/1.0\r\nWARC-Type: warcinfo", "warc"),
     (b'{"text": "a"}\n{"text": "b"}\n', "jsonl"), (b"Menu\n\nA headline\n\nThe body.", "text"),
     (b"\xef\xbb\xbf<!doctype html>", "html")],
)
def test_sniff(head, expected):
    assert sniff(head) == expected


def _build(tmp_path: Path) -> Path:
    root = tmp_path / "batch"
    (root / "b_sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "a.html").write_bytes(PAGE)
    (root / "b_sub" / "c.txt.gz").write_bytes(gzip.compress(TEXT))
    (root / "b_sub" / "notes.pdf").write_bytes(b"%PDF-1.4")
    (root / ".hidden" / "x.txt").write_bytes(TEXT)
    (root / "d.jsonl").write_text(json.dumps({"id": "j1", "text": TEXT.decode()}) + "\n")
    (root / "e.page").write_bytes(PAGE)  # unknown extension: only read when a format is forced
    return root


def test_folder_is_walked_in_order(tmp_path):
    root = _build(tmp_path)
    assert [Path(p).relative_to(root).as_posix() for p in walk(str(root))] == ["a.html", "b_sub/c.txt.gz", "d.jsonl"]
    out = list(read_sources([str(root)]))
    assert all(isinstance(o, Article) for o in out)
    assert [o.title for o in out] == ["Ferry Strike Ends After Deal", "Mayor Promises New Bridge Before Winter",
                                      "Mayor Promises New Bridge Before Winter"]
    assert out[2].id == "j1" and out[1].id == out[1].content_hash


def test_unknown_extension_is_sniffed_when_named(tmp_path):
    root = _build(tmp_path)
    (a,) = read_sources([str(root / "e.page")])
    assert isinstance(a, Article) and a.title == "Ferry Strike Ends After Deal"


def test_forced_format(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(PAGE)
    (as_html,) = read_sources([str(path)], format="html")
    assert as_html.title == "Ferry Strike Ends After Deal" and "<p>" not in as_html.text
    (as_text,) = read_sources([str(path)], format="text", as_is=True)
    assert as_text.text == PAGE.decode()


def test_text_file_with_an_html_page_is_read_as_html(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_bytes(PAGE)
    (a,) = read_sources([str(path)])
    assert a.outlet == "The Sela Courier"


@pytest.mark.parametrize(
    "data, check",
    [
        (PAGE, lambda out: out[0].title == "Ferry Strike Ends After Deal"),
        (TEXT, lambda out: out[0].title == "Mayor Promises New Bridge Before Winter"),
        (gzip.compress(TEXT), lambda out: out[0].published == "2022-10-05"),
        (b'{"id": "s1", "text": "The port reopened on Thursday, the harbor master said."}\n{"x": 1}\n',
         lambda out: [type(o).__name__ for o in out] == ["Article", "ErrorRecord"] and out[1].source == "-:2"),
    ],
)
def test_stdin(monkeypatch, data, check):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert check(list(read_sources(["-"])))


def test_as_is_offsets_index_the_decoded_file(tmp_path):
    text = "Menu\r\n\r\n“A quote,” she said.\r\nCafé.\n"
    path = tmp_path / "exact.txt"
    path.write_bytes(text.encode("cp1252"))
    (a,) = read_sources([str(path)], as_is=True)
    assert a.text == text
    start = a.text.index("she")
    assert a.text[start:start + 8] == "she said"


def test_mixed_batch_keeps_order(tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes(TEXT)
    out = list(read_sources([str(tmp_path / "missing.html"), str(good), str(tmp_path / "missing2.txt")]))
    assert [type(o).__name__ for o in out] == ["ErrorRecord", "Article", "ErrorRecord"]
    assert all(isinstance(o, Article) or o.error.code == "not_found" for o in out)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (RawInput("p.html", PAGE, "html"), "Ferry Strike Ends After Deal"),
        (RawInput("p", PAGE, None), "Ferry Strike Ends After Deal"),
        (RawInput("t", TEXT.decode(), "text"), "Mayor Promises New Bridge Before Winter"),
        (RawInput("j:1", '{"text": "The port reopened on Thursday, officials said.", "title": "T"}', "jsonl"), "T"),
    ],
)
def test_read_input(raw, expected):
    assert read_input(raw, Settings.load()).title == expected


@pytest.mark.parametrize(
    "raw, code",
    [
        (RawInput("e", b"", None), "empty"),
        (RawInput("big", b"x" * 2000, "text"), "too_large"),
        (RawInput("w", b"WARC/1.0\r\n", "warc"), "unsupported"),
    ],
)
def test_read_input_errors(raw, code):
    with pytest.raises(InputError) as e:
        read_input(raw, Settings.load().with_(max_input_bytes=1000))
    assert e.value.code == code


def test_an_unexpected_failure_is_an_error_record(monkeypatch):
    import onrecord.read as read

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(read, "article_from_html", broken)
    out = read.convert(RawInput("p.html", PAGE, "html"), Settings.load())
    assert isinstance(out, ErrorRecord) and out.error.code == "read_failed" and "boom" in out.error.message


def test_warc_is_handed_to_the_warc_reader(tmp_path):
    pytest.importorskip("warcio", reason="the warc extra is not installed")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://courier.example/x", "response",
                                                      payload=io.BytesIO(PAGE), http_headers=headers))
    (a,) = read_sources([str(path)])
    assert isinstance(a, Article) and a.title == "Ferry Strike Ends After Deal"
