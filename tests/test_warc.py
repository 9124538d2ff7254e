"""read/warc.py: HTML response records become articles with the record's URL and date; the rest is skipped;
a damaged file gives the articles before the damage and an error row."""

from __future__ import annotations

import gzip as gz
from pathlib import Path

import pytest

from onrecord.model import Article, ErrorRecord

pytest.importorskip("warcio")
from onrecord.read.warc import iter_warc  # noqa: E402


def page(title: str, body: str) -> bytes:
    paras = "".join(f"<p>{body} Sentence {i} of the report adds detail for the reader.</p>" for i in range(4))
    return (f"<html><head><title>{title}</title></head><body><nav>Home | World</nav>"
            f"<article><h1>{title}</h1>{paras}</article><footer>Contact us</footer></body></html>").encode()


PAGES = [
    {"url": "https://news.example/harbour", "date": "2021-06-01T08:00:00Z",
     "body": page("Harbour reopens", "The harbour master Ilse Varn said the quay would reopen on Friday.")},
    {"url": "https://news.example/robots.txt", "content_type": "text/plain", "body": b"User-agent: *"},
    {"url": "https://news.example/gone", "status": "404 Not Found", "body": page("Gone", "Nothing here at all.")},
    {"url": "https://news.example/harbour", "type": "request", "body": b"GET /harbour HTTP/1.1\r\n\r\n"},
    {"url": "https://news.example/bridge", "date": "2021-06-02T09:30:00Z",
     "body": page("Bridge vote delayed", "Councillor Amos Pell said the vote on the bridge was delayed.")},
]


def articles(items: list) -> list[Article]:
    return [x for x in items if isinstance(x, Article)]


def errors(items: list) -> list[ErrorRecord]:
    return [x for x in items if isinstance(x, ErrorRecord)]


@pytest.mark.parametrize("gzipped", [True, False])
def test_html_responses_become_articles_with_record_url_and_date(tmp_path: Path, make_warc, gzipped: bool):
    path = make_warc(tmp_path / ("a.warc.gz" if gzipped else "a.warc"), PAGES, gzip=gzipped)
    items = list(iter_warc(path))
    assert errors(items) == []
    got = [(a.url, a.published, a.title) for a in articles(items)]
    assert got == [("https://news.example/harbour", "2021-06-01", "Harbour reopens"),
                   ("https://news.example/bridge", "2021-06-02", "Bridge vote delayed")]
    assert "Ilse Varn" in articles(items)[0].text
    assert all(a.source.startswith(f"{path}@") for a in articles(items))
    assert len({a.source for a in articles(items)}) == 2


@pytest.mark.parametrize("gzipped, keep", [(True, 0.6), (False, 0.6), (False, 0.95), (True, 0.95)])
def test_truncated_file_gives_the_records_before_and_an_error(tmp_path: Path, make_warc, gzipped: bool, keep: float):
    full = make_warc(tmp_path / "full.warc", PAGES, gzip=gzipped).read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gzipped else "cut.warc")
    cut.write_bytes(full[: int(len(full) * keep)])
    items = list(iter_warc(cut))
    complete = articles(list(iter_warc(tmp_path / "full.warc")))
    assert len(errors(items)) == 1
    assert errors(items)[0].error.code == "truncated"
    assert [a.url for a in articles(items)] == [a.url for a in complete[: len(articles(items))]]
    assert len(articles(items)) < len(complete)


@pytest.mark.parametrize("data, code", [
    (b"", "empty"),
    (b"\x1f\x8b\x08\x00garbage that is not deflate data at all", "bad_gzip"),
    (b"this is a plain text file, not an archive\n" * 3, "bad_warc"),
])
def test_unreadable_files_give_one_error(tmp_path: Path, data: bytes, code: str):
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(data)
    items = list(iter_warc(path))
    assert [(type(x).__name__, x.error.code) for x in items] == [("ErrorRecord", code)]


def test_a_gzip_of_the_whole_file_reads_like_per_record_gzip(tmp_path: Path, make_warc):
    plain = make_warc(tmp_path / "a.warc", PAGES, gzip=False)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gz.compress(plain.read_bytes()))
    items = list(iter_warc(whole))
    assert errors(items) == []
    assert [a.url for a in articles(items)] == ["https://news.example/harbour", "https://news.example/bridge"]


def test_read_sources_delegates_warc_files(tmp_path: Path, make_warc):
    from onrecord.read import read_sources

    path = make_warc(tmp_path / "crawl.warc.gz", PAGES)
    got = [a.url for a in articles(list(read_sources([str(tmp_path)])))]
    assert got == ["https://news.example/harbour", "https://news.example/bridge"]
