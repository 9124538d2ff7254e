"""The reading room's JSON API and pages, through FastAPI's TestClient over a small ledger built per module."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

import httpx  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from onrecord.errors import ConfigError  # noqa: E402
from onrecord.serve.app import create_app  # noqa: E402
from onrecord.serve.db import ReadOnlyPool  # noqa: E402

from serve_ledger import (XSS_CONTENT, XSS_OUTLET, XSS_SPEAKER, XSS_SPEAKER_2, XSS_TITLE,  # noqa: E402
                          build_ledger, records)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ledger(tmp_path_factory.mktemp("serve") / "ledger.db")


@pytest.fixture(scope="module")
def client(ledger: Path) -> TestClient:
    with TestClient(create_app(ledger, cache_dir=ledger.parent / "cache")) as c:
        yield c


def ids_by_content(client: TestClient) -> dict[str, int]:
    items = client.get("/api/statements", params={"limit": 100}).json()["items"]
    return {it["content"]: it["id"] for it in items}


# -- /api/statements ---------------------------------------------------------------------------------------------

SEARCH_CASES = [
    ({"q": "progress"}, {"made real progress."}),
    ({"q": "hold"}, {"the ceasefire would hold", "It will hold,"}),
    ({"q": "Brenn"}, {"that any deal had been signed"}),  # the speaker name is searched too
    ({"q": "speaker_name:Quill AND hold"}, {"the ceasefire would hold", "It will hold,"}),
    ({"q": "resum*", "since": "2019-06", "until": "2019-07"},
     {"the ceasefire talks resumed in month 6", "the ceasefire talks resumed in month 7"}),
    ({"speaker": "Tomas Brenn"}, {"that any deal had been signed"}),
    ({"kind": "direct", "outlet": "Daily Ledger"}, {"made real progress.", "We are not there yet,"}),
    ({"channel": "anonymous"}, {"the talks had stalled"}),
    ({"outlet": XSS_OUTLET, "kind": "direct"}, {XSS_CONTENT}),
    ({"q": "alert"}, {XSS_CONTENT, "the ceasefire is <svg onload=alert(3)>"}),
    ({"until": "2019-02"}, {"made real progress.", "We are not there yet,", "that any deal had been signed"}),
    ({"q": "nothingmatchesthis"}, set()),
]


@pytest.mark.parametrize("params, expected", SEARCH_CASES)
def test_search_finds_exactly(client: TestClient, params: dict, expected: set[str]) -> None:
    r = client.get("/api/statements", params={**params, "limit": 100})
    assert r.status_code == 200, r.text
    body = r.json()
    assert {it["content"] for it in body["items"]} == expected
    assert body["total"] == len(expected) and body["total_capped"] is False


def test_search_facets_count_the_matches(client: TestClient) -> None:
    body = client.get("/api/statements", params={"q": "ceasefire"}).json()
    facets = body["facets"]
    assert sum(f["count"] for f in facets["kind"]) == body["total"]
    quill = next(f for f in facets["speaker"] if f["value"] == "Marta Quill")
    assert quill["count"] == sum(1 for it in body["items"] if it["speaker"]["name"] == "Marta Quill")
    assert client.get(f"/api/speakers/{quill['id']}").json()["name"] == "Marta Quill"
    assert [y["value"] for y in facets["year"]] == ["2019", "2020"]


def test_search_sorts_and_pages(client: TestClient) -> None:
    newest = client.get("/api/statements", params={"limit": 3}).json()
    oldest = client.get("/api/statements", params={"limit": 3, "sort": "oldest"}).json()
    assert [it["when"] for it in newest["items"]] == sorted((it["when"] for it in newest["items"]), reverse=True)
    assert newest["items"][0]["when"] == "2020-01-05" and oldest["items"][0]["when"] == "2019-02-25"
    everything = client.get("/api/statements", params={"limit": 100}).json()
    pages = [client.get("/api/statements", params={"limit": 4, "page": p}).json() for p in (1, 2, 3, 4)]
    paged = [it["id"] for page in pages for it in page["items"]]
    assert paged == [it["id"] for it in everything["items"]]
    assert pages[0]["pages"] == -(-everything["total"] // 4)


def test_search_total_is_capped(ledger: Path) -> None:
    with TestClient(create_app(ledger, count_cap=3, cache_dir=ledger.parent / "cache")) as c:
        body = c.get("/api/statements").json()
    assert body["total"] == 3 and body["total_capped"] is True


@pytest.mark.parametrize("params, status", [
    ({"q": "AND OR ("}, 400),
    ({"q": '"unbalanced'}, 400),
    ({"q": "nosuchcolumn:word"}, 400),
    ({"kind": "shouted"}, 422),
    ({"since": "yesterday"}, 422),
    ({"until": "2019-1-1"}, 422),
    ({"page": "0"}, 422),
    ({"page": "x"}, 422),
    ({"limit": "1000"}, 422),
    ({"sort": "random"}, 422),
    ({"page": "900", "limit": "20"}, 400),  # deeper than the paging limit
    ({"q": "x" * 501}, 422),
])
def test_search_rejects_bad_parameters(client: TestClient, params: dict, status: int) -> None:
    r = client.get("/api/statements", params=params)
    assert r.status_code == status, r.text
    assert r.json()["detail"]


def test_fts_error_names_the_problem(client: TestClient) -> None:
    r = client.get("/api/statements", params={"q": "AND OR ("})
    assert "malformed full-text query" in r.json()["detail"]


# -- single items ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/statements/{}", "/api/speakers/{}", "/api/articles/{}"])
@pytest.mark.parametrize("bad, status", [(999999, 404), (0, 404), (-1, 404), ("abc", 422)])
def test_unknown_or_malformed_ids(client: TestClient, path: str, bad: object, status: int) -> None:
    r = client.get(path.format(bad))
    assert r.status_code == status
    assert r.json()["detail"]


def test_statement_by_id(client: TestClient) -> None:
    sid = ids_by_content(client)["that any deal had been signed"]
    st = client.get(f"/api/statements/{sid}").json()
    assert (st["kind"], st["speaker"]["name"], st["speaker"]["role"], st["speaker"]["affiliation"]) == (
        "indirect", "Tomas Brenn", "spokesman", "Northern Alliance")
    assert st["cue"]["text"] == "denied" and st["flags"] == ["denial"]
    assert st["article"]["title"] == "Envoy reports progress in ceasefire talks"


def test_article_offsets_point_into_its_text(client: TestClient) -> None:
    for article_id in range(1, len(records()) + 1):
        art = client.get(f"/api/articles/{article_id}").json()
        text = art["text"]
        for st in art["statements"]:
            assert text[st["content_start"]:st["content_end"]] == st["content"]
            for span in (st["cue"], st["speaker"]["mention"]):
                if span:
                    assert text[span["start"]:span["end"]] == span["text"]


def test_article_lists_speakers_with_distinct_colours(client: TestClient) -> None:
    art = client.get("/api/articles/2").json()
    assert [s["seq"] for s in art["statements"]] == [0, 1, 2, 3]
    names = {s["name"]: s["statements"] for s in art["speakers"]}
    assert names == {"Marta Quill": 2, "Ministry of Calm": 1, "a senior official": 1}
    assert len({s["color"] for s in art["speakers"]}) == len(art["speakers"])


def test_article_without_statements(client: TestClient) -> None:
    weather = next(i for i in range(1, 20) if client.get(f"/api/articles/{i}").json()["title"] == "Weather report")
    art = client.get(f"/api/articles/{weather}").json()
    assert art["statements"] == [] and art["speakers"] == []


# -- speakers ----------------------------------------------------------------------------------------------------

def test_speaker_list_groups_articles(client: TestClient) -> None:
    body = client.get("/api/speakers").json()
    top = body["items"][0]
    assert (top["name"], top["statements"], top["articles"]) == ("Marta Quill", 9, 7)
    assert body["total"] == len({(s["name"], s["type"]) for s in body["items"]}) == 6


@pytest.mark.parametrize("params, names", [
    ({"q": "quill"}, ["Marta Quill"]),
    ({"q": "%"}, []),  # LIKE wildcards are literal
    ({"q": "<img"}, [XSS_SPEAKER]),
    ({"type": "anonymous"}, ["a senior official"]),
    ({"type": "organization"}, ["Ministry of Calm"]),
])
def test_speaker_list_filters(client: TestClient, params: dict, names: list[str]) -> None:
    assert [s["name"] for s in client.get("/api/speakers", params=params).json()["items"]] == names


@pytest.mark.parametrize("params", [{"page": "0"}, {"limit": "0"}, {"limit": "201"}])
def test_speaker_list_rejects_bad_parameters(client: TestClient, params: dict) -> None:
    assert client.get("/api/speakers", params=params).status_code == 422


def test_speaker_detail_aggregates_across_articles(client: TestClient) -> None:
    any_quill = client.get("/api/statements", params={"speaker": "Marta Quill", "limit": 1}).json()["items"][0]
    sp = client.get(f"/api/speakers/{any_quill['speaker']['id']}").json()
    assert (sp["name"], sp["statements"], sp["articles"]) == ("Marta Quill", 9, 7)
    assert (sp["first_seen"], sp["last_seen"]) == ("2019-02-25", "2019-08-15")
    assert sp["roles"] == [{"value": "special envoy", "count": 9}]
    assert {c["value"]: c["count"] for c in sp["channels"]} == {"interview": 5, "remarks": 2, "press": 1,
                                                                "statement": 1}
    assert sp["timeline"]["unit"] == "month"
    assert sum(p["count"] for p in sp["timeline"]["points"]) == 9
    assert [p["period"] for p in sp["timeline"]["points"]] == ["2019-02", "2019-03", "2019-04", "2019-05",
                                                              "2019-06", "2019-07", "2019-08"]
    assert len(sp["recent"]) == 9 and sp["recent"][0]["when"] == "2019-08-15"
    # every per-article row of the speaker leads to the same speaker
    assert client.get(f"/api/speakers/{sp['id']}").json()["statements"] == 9


# -- story -------------------------------------------------------------------------------------------------------

def test_story_counts_speakers_over_time(client: TestClient) -> None:
    story = client.get("/api/story", params={"q": "ceasefire"}).json()
    assert story["articles"] == 8  # every article that mentions the word, in its title or body
    by_name = {s["name"]: s for s in story["series"]}
    assert by_name["Marta Quill"]["total"] == 9
    assert all(len(s["counts"]) == len(story["periods"]) for s in story["series"])
    assert story["periods"][0] == "2019-02" and story["periods"][-1] == "2020-01"
    assert len(story["periods"]) == 12  # months without statements are kept, as zeros
    assert sum(s["total"] for s in story["series"]) == story["statements"]


@pytest.mark.parametrize("params, status", [({}, 422), ({"q": ""}, 422), ({"q": "   "}, 400), ({"q": "("}, 400),
                                            ({"q": "nothingmatchesthis"}, 200)])
def test_story_parameters(client: TestClient, params: dict, status: int) -> None:
    assert client.get("/api/story", params=params).status_code == status


# -- openapi, headers, read-only ----------------------------------------------------------------------------------

def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {"/api/statements", "/api/statements/{statement_id}", "/api/speakers",
                                  "/api/speakers/{speaker_id}", "/api/identities/{ref}", "/api/articles/{article_id}",
                                  "/api/story"}
    assert "SearchResult" in spec["components"]["schemas"]


@pytest.mark.parametrize("path", ["/", "/api/statements", "/articles/1", "/static/app.js"])
def test_security_headers(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_no_write_endpoints(client: TestClient, method: str) -> None:
    assert getattr(client, method)("/api/statements").status_code == 405


def test_connections_are_read_only(ledger: Path) -> None:
    pool = ReadOnlyPool(ledger)
    with pool.connection() as conn, pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM statements")
    pool.close()


@pytest.mark.parametrize("content", [b"", b"not a database at all, just bytes" * 200])
def test_not_a_ledger(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(ConfigError):
        create_app(path)


def test_missing_ledger(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no ledger"):
        create_app(tmp_path / "absent.db")


# -- pages -------------------------------------------------------------------------------------------------------

class Marks(HTMLParser):
    """The text of an article body, and the text inside <mark class="st" data-st=N> per statement."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_body = 0
        self.stack: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self.by_statement: dict[str, list[str]] = {}
        self.roles: dict[str, set[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "article":
            self.in_body += 1
        elif self.in_body:
            if tag != "mark":
                raise AssertionError(f"unexpected <{tag}> in the article body")
            self.stack.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_body -= 1
        elif self.in_body and tag == "mark":
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.in_body:
            return
        self.text.append(data)
        for a in self.stack:
            classes = set((a.get("class") or "").split())
            st = a.get("data-st") or ""
            if "st" in classes:
                self.by_statement.setdefault(st, []).append(data)
            self.roles.setdefault(st, set()).update(classes & {"st", "cue", "mention"})


@pytest.mark.parametrize("article_id", list(range(1, 4)))
def test_article_page_highlights_every_statement_in_place(client: TestClient, article_id: int) -> None:
    art = client.get(f"/api/articles/{article_id}").json()
    page = client.get(f"/articles/{article_id}")
    assert page.status_code == 200
    parser = Marks()
    parser.feed(page.text)
    assert "".join(parser.text) == art["text"]  # the body is the article text, every character, as text
    for st in art["statements"]:
        assert "".join(parser.by_statement[str(st["id"])]) == st["content"]
        assert f'id="s-{st["id"]}"' in page.text


@pytest.mark.parametrize("path", ["/", "/?q=alert", "/articles/3", "/speakers", "/story?q=alert"])
def test_pages_escape_hostile_strings(client: TestClient, path: str) -> None:
    html = client.get(path).text
    for raw in (XSS_SPEAKER, XSS_CONTENT, XSS_TITLE, XSS_OUTLET, XSS_SPEAKER_2, "<svg onload"):
        assert raw not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html or path in ("/speakers",)
    assert 'href="javascript:' not in html


def test_article_page_links_only_http_urls(client: TestClient) -> None:
    assert 'href="https://example.org/envoy-progress"' in client.get("/articles/1").text
    assert "original page" not in client.get("/articles/3").text


@pytest.mark.parametrize("path, status, needle", [
    ("/", 200, 'id="results"'),
    ("/?q=nothingmatchesthis", 200, 'id="empty"'),
    ("/?q=AND+OR+(", 400, "malformed full-text query"),
    ("/?kind=shouted", 400, "unknown kind"),
    ("/?since=yesterday", 400, "since must be a date"),
    ("/?speaker=Marta+Quill&limit=4&page=2", 200, "page 2 of 3"),
    ("/?speaker=Marta+Quill&page=2", 200, "Back to the first page"),
    ("/speakers?q=quill", 200, "Marta Quill"),
    ("/speakers?q=nobody", 200, 'id="empty"'),
    ("/story", 200, 'id="empty"'),
    ("/story?q=ceasefire", 200, 'class="chart-data"'),
    ("/story?q=nothingmatchesthis", 200, "No article matches"),
    ("/story?q=(", 400, "malformed full-text query"),
    ("/articles/999", 404, "no article 999"),
    ("/speakers/999", 404, "no speaker 999"),
    ("/articles/abc", 404, "Not found"),
    ("/no/such/page", 404, "Not found"),
])
def test_pages(client: TestClient, path: str, status: int, needle: str) -> None:
    r = client.get(path)
    assert r.status_code == status
    assert needle.lower() in r.text.lower()
    assert r.headers["content-type"].startswith("text/html")


def test_statement_page_redirects_to_its_place_in_the_article(client: TestClient) -> None:
    sid = ids_by_content(client)["made real progress."]
    r = client.get(f"/statements/{sid}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/articles/1#s-{sid}"


def test_speaker_page_embeds_chart_data_as_json(client: TestClient) -> None:
    page = client.get("/speakers/1").text
    assert page.count('class="chart-data"') == 2
    assert '"labels": ["2019-02", "2019-03", "2019-04", "2019-05", "2019-06", "2019-07", "2019-08"]' in page


# -- counting and the speaker side file --------------------------------------------------------------------------

def test_facets_of_a_large_full_text_match_are_sampled(ledger: Path) -> None:
    from onrecord.serve import queries
    from onrecord.serve.db import connect_ro

    conn = connect_ro(ledger)
    full = queries.search_statements(conn, queries.Filters(q="ceasefire"))
    sampled = queries.search_statements(conn, queries.Filters(q="ceasefire"), facet_sample=2)
    conn.close()
    assert sampled["total"] == full["total"] > 2  # the total stays exact: it comes from the index
    assert sampled["facets_sampled"] is True and full["facets_sampled"] is False
    assert sum(f["count"] for f in sampled["facets"]["kind"]) == 2
    assert [it["id"] for it in sampled["items"]] == [it["id"] for it in full["items"]]


def test_speaker_counts_follow_the_ledger(tmp_path: Path) -> None:
    from onrecord.model import Article, Record, Speaker, Span, Statement
    from onrecord.serve.aggregates import SpeakerCounts
    from onrecord.store import Ledger

    path = build_ledger(tmp_path / "l.db")
    counts = SpeakerCounts(ReadOnlyPool(path), tmp_path / "cache", min_rebuild_s=0)
    first = counts.ensure()
    names = {r[0] for r in counts.connection().execute("SELECT name FROM groups")}
    assert "Zed Newcomer" not in names
    text = "Zed Newcomer said the vote was fair."
    st = Statement("indirect", Span.of(text, 18, 35), Span.of(text, 13, 17),
                   Speaker("Zed Newcomer", "person", Span.of(text, 0, 12)), date="2021-01-01")
    with Ledger.open(path) as ledger, ledger.transaction():
        ledger.add(Record(Article(text=text, title="Vote", published="2021-01-01"), (st,)))
    # the old counts answer while the new ones are built in the background; wait (bounded) for the swap
    deadline = time.monotonic() + 30
    while (counts.ensure() == first or first.exists()) and time.monotonic() < deadline:
        time.sleep(0.05)
    names = {r[0] for r in counts.connection().execute("SELECT name FROM groups")}
    assert "Zed Newcomer" in names
    assert not first.exists()  # the stale file is gone


# -- the command --------------------------------------------------------------------------------------------------

def test_serve_command_needs_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from onrecord.cli.serve_cmd import _require_extra
    from onrecord.errors import MissingExtra

    monkeypatch.setitem(sys.modules, "uvicorn", None)
    with pytest.raises(MissingExtra, match=r"onrecord\[serve\]"):
        _require_extra()


@pytest.mark.parametrize("content, message", [(b"plain text, not SQLite" * 100, "not an onrecord ledger"),
                                              (b"", "not an onrecord ledger")])
def test_serve_command_refuses_a_non_ledger(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    done = subprocess.run([sys.executable, "-m", "onrecord.cli.main", "serve", str(bad), "--port", "0"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_serve_command_serves_read_only_on_loopback(ledger: Path, tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    proc = subprocess.Popen([sys.executable, "-m", "onrecord.cli.main", "serve", str(ledger), "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        body = None
        while time.monotonic() < deadline and body is None:
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/api/statements", params={"q": "hold"}, timeout=5).json()
            except httpx.HTTPError:
                time.sleep(0.2)
        assert body is not None, "the server did not answer"
        assert {it["content"] for it in body["items"]} == {"the ceasefire would hold", "It will hold,"}
        assert httpx.get(f"http://127.0.0.1:{port}/api/speakers", timeout=30).json()["items"][0]["name"] == "Marta Quill"
        assert httpx.delete(f"http://127.0.0.1:{port}/api/statements", timeout=5).status_code == 405
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.parametrize("path, needle", [
    ("/", "no statements yet"),
    ("/speakers", "no speakers yet"),
    ("/story?q=anything", "No article matches"),
    ("/api/statements", '"total":0'),
    ("/api/speakers", '"total":0'),
])
def test_empty_ledger(tmp_path: Path, path: str, needle: str) -> None:
    from onrecord.store import Ledger

    Ledger.open(tmp_path / "empty.db").close()
    with TestClient(create_app(tmp_path / "empty.db", cache_dir=tmp_path / "cache")) as c:
        r = c.get(path)
    assert r.status_code == 200
    assert needle in r.text


def test_repeated_searches_come_from_the_cache_until_the_ledger_changes(tmp_path: Path) -> None:
    from onrecord.serve.db import ResultCache

    generation = [1]
    calls: list[str] = []
    cache = ResultCache(lambda: generation[0], size=2)

    def compute(key: str):
        return lambda: calls.append(key) or {"answer": key}

    assert cache.get("a", compute("a")) == {"answer": "a"}
    assert cache.get("a", compute("a")) == {"answer": "a"}
    assert calls == ["a"]
    cache.get("b", compute("b"))
    cache.get("c", compute("c"))  # size 2: "a" is the least recently used and goes
    cache.get("a", compute("a"))
    assert calls == ["a", "b", "c", "a"]
    generation[0] = 2  # the ledger changed: everything is computed again
    cache.get("a", compute("a"))
    assert calls == ["a", "b", "c", "a", "a"]
