"""The reading room on a linked ledger (speaker identities) and on the same ledger unlinked, through TestClient."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402
from serve_ledger import XSS_CONTENT, XSS_SPEAKER, build_ledger  # noqa: E402
from serve_linked_ledger import WIRE_OUTLETS, build_linked_ledger  # noqa: E402

from onrecord.links.linker import run_links  # noqa: E402
from onrecord.serve import identities  # noqa: E402
from onrecord.serve.app import create_app  # noqa: E402
from onrecord.serve.db import connect_ro  # noqa: E402
from onrecord.store import Ledger  # noqa: E402


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("identities")
    return {"linked": build_linked_ledger(base / "linked.db"),
            "unlinked": build_linked_ledger(base / "unlinked.db", link=False)}


@pytest.fixture(scope="module")
def clients(ledgers: dict[str, Path]) -> Iterator[dict[str, TestClient]]:
    with TestClient(create_app(ledgers["linked"], cache_dir=ledgers["linked"].parent / "cache")) as linked, \
            TestClient(create_app(ledgers["unlinked"], cache_dir=ledgers["unlinked"].parent / "cache")) as unlinked:
        yield {"linked": linked, "unlinked": unlinked}


def ledger_rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def identity_id(path: Path, name: str) -> int:
    return int(ledger_rows(path, "SELECT id FROM speaker_identity WHERE name = ?", (name,))[0][0])


def statement_id(client: TestClient, content_start: str, outlet: str | None = None) -> int:
    items = client.get("/api/statements", params={"limit": 100}).json()["items"]
    return next(it["id"] for it in items if it["content"].startswith(content_start)
                and (outlet is None or it["article"]["outlet"] == outlet))


# -- the speaker list ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("which, params, expected", [
    # linked: one entry per person, "Vostok" merged into Irena Vostok; a wire story's copies count once
    ("linked", {}, {"Irena Vostok": (5, 3), "Paul Marren": (1, 1)}),
    ("linked", {"q": "vostok"}, {"Irena Vostok": (5, 3)}),
    ("linked", {"q": "FOREIGN MINISTER IRENA"}, {"Irena Vostok": (5, 3)}),  # an alias (a mention) matches too
    ("linked", {"q": "nobody"}, {}),
    # unlinked: grouped by name, every copy counted
    ("unlinked", {}, {"Irena Vostok": (8, 4), "Vostok": (1, 1), "Paul Marren": (1, 1)}),
    ("unlinked", {"q": "vostok"}, {"Irena Vostok": (8, 4), "Vostok": (1, 1)}),
])
def test_speaker_list(clients: dict[str, TestClient], which: str, params: dict, expected: dict) -> None:
    body = clients[which].get("/api/speakers", params=params).json()
    assert body["speakers_by"] == ("identity" if which == "linked" else "name")
    assert {it["name"]: (it["statements"], it["articles"]) for it in body["items"]} == expected
    assert body["total"] == len(expected)


def test_identity_list_entry(clients: dict[str, TestClient], ledgers: dict[str, Path]) -> None:
    item = clients["linked"].get("/api/speakers", params={"q": "vostok"}).json()["items"][0]
    assert item["id"] == identity_id(ledgers["linked"], "Irena Vostok")
    assert "Vostok" in item["aliases"] and "Irena Vostok" not in item["aliases"]
    assert [(r["value"], r["first_seen"], r["last_seen"]) for r in item["roles"]] == [
        ("Foreign Minister", "2021-03-01", "2021-03-16")]
    assert (item["first_seen"], item["last_seen"]) == ("2021-03-01", "2021-03-20")


# -- one identity ------------------------------------------------------------------------------------------------

def test_identity_detail(clients: dict[str, TestClient], ledgers: dict[str, Path]) -> None:
    iid = identity_id(ledgers["linked"], "Irena Vostok")
    sp = clients["linked"].get(f"/api/identities/{iid}").json()
    assert (sp["name"], sp["statements"], sp["articles"], sp["said"]) == ("Irena Vostok", 5, 3, 9)
    assert {(a["value"], a["first_seen"], a["last_seen"]) for a in sp["affiliations"]} == {
        ("Calder foreign ministry", "2021-03-01", "2021-03-20")}
    # the wire story's two statements each stand once, with the two other outlets as copies
    assert len(sp["items"]) == 5
    folded = [it for it in sp["items"] if it["copies"]]
    assert len(folded) == 2
    for it in folded:
        assert it["duplicate_of"] is None
        assert {c["outlet"] for c in it["copies"]} | {it["article"]["outlet"]} == set(WIRE_OUTLETS)
    # every statement of the identity is on the page once, as itself or as a copy
    shown = [it["id"] for it in sp["items"]] + [c["id"] for it in sp["items"] for c in it["copies"]]
    expected = [r[0] for r in ledger_rows(ledgers["linked"], "SELECT statement_id FROM statement_identity "
                                                             "WHERE identity_id = ?", (iid,))]
    assert sorted(shown) == sorted(expected)
    dates = [it["when"] for it in sp["items"]]
    assert dates == sorted(dates, reverse=True)
    assert sum(p["count"] for p in sp["timeline"]["points"]) == 5  # the copies counted once here too
    assert {o["value"] for o in sp["outlets"]} == {"Daily Ledger", *WIRE_OUTLETS}


@pytest.mark.parametrize("limit", [1, 2, 4])
def test_identity_timeline_pages_cover_every_statement(clients: dict[str, TestClient], ledgers: dict[str, Path],
                                                       limit: int) -> None:
    iid = identity_id(ledgers["linked"], "Irena Vostok")
    first = clients["linked"].get(f"/api/identities/{iid}", params={"limit": limit}).json()
    shown: list[int] = []
    for page in range(1, first["pages"] + 1):
        body = clients["linked"].get(f"/api/identities/{iid}", params={"limit": limit, "page": page}).json()
        shown += [it["id"] for it in body["items"]] + [c["id"] for it in body["items"] for c in it["copies"]]
    assert sorted(shown) == sorted(r[0] for r in ledger_rows(
        ledgers["linked"], "SELECT statement_id FROM statement_identity WHERE identity_id = ?", (iid,)))


def test_denial_is_marked_and_linked(clients: dict[str, TestClient], ledgers: dict[str, Path]) -> None:
    links = ledger_rows(ledgers["linked"], "SELECT statement_id, target_statement_id, target_article_id, relation "
                                           "FROM statement_links")
    assert links, "the linker found no denial link in the test ledger"
    stances = dict(ledger_rows(ledgers["linked"], "SELECT statement_id, stance FROM statement_stance"))
    iid = identity_id(ledgers["linked"], "Paul Marren")
    items = clients["linked"].get(f"/api/identities/{iid}").json()["items"]
    for it in items:
        assert it["stance"] == stances.get(it["id"])
        assert [(it["id"], x["statement_id"], x["article_id"] if x["statement_id"] is None else None, x["relation"])
                for x in it["links"]] == [(s, t, a, r) for s, t, a, r in links if s == it["id"]]
    denial = next(it for it in items if it["stance"] == "denial")
    target = clients["linked"].get(f"/api/statements/{denial['links'][0]['statement_id']}").json()
    assert denial["links"][0]["content"] == target["content"][:200]
    html = clients["linked"].get(f"/identities/{iid}").text
    assert f'href="/statements/{target["id"]}"' in html and "denial" in html


@pytest.mark.parametrize("ref, found", [
    ("Irena Vostok", "Irena Vostok"),
    ("irena vostok", "Irena Vostok"),
    ("Vostok", "Irena Vostok"),                 # an alias
    ("Foreign Minister Irena Vostok", "Irena Vostok"),
    ("Paul Marren", "Paul Marren"),
    ("Nobody Atall", None),
    ("999", None),
])
def test_identity_by_name_or_id(clients: dict[str, TestClient], ledgers: dict[str, Path], ref: str,
                                found: str | None) -> None:
    r = clients["linked"].get("/api/identities/" + quote(ref, safe=""))
    if found is None:
        assert r.status_code == 404 and r.json()["detail"]
        assert clients["linked"].get("/identities/" + quote(ref, safe="")).status_code == 404
        return
    assert r.status_code == 200 and r.json()["name"] == found
    page = clients["linked"].get("/identities/" + quote(ref, safe=""), follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == f"/identities/{identity_id(ledgers['linked'], found)}"


def test_identities_need_a_linked_ledger(clients: dict[str, TestClient]) -> None:
    r = clients["unlinked"].get("/api/identities/1")
    assert r.status_code == 404 and "onrecord link" in r.json()["detail"]
    assert clients["unlinked"].get("/api/statements", params={"identity": 1}).status_code == 400
    assert "onrecord link" in clients["unlinked"].get("/identities/1").text


# -- old speaker URLs --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, identity", [("Irena Vostok", "Irena Vostok"), ("Vostok", "Irena Vostok"),
                                            ("Paul Marren", "Paul Marren")])
def test_old_speaker_urls_lead_to_the_identity(clients: dict[str, TestClient], ledgers: dict[str, Path], name: str,
                                               identity: str) -> None:
    iid = identity_id(ledgers["linked"], identity)
    for (sid,) in ledger_rows(ledgers["linked"], "SELECT id FROM speakers WHERE name = ?", (name,)):
        api = clients["linked"].get(f"/api/speakers/{sid}", follow_redirects=False)
        assert api.status_code == 307 and api.headers["location"] == f"/api/identities/{iid}"
        assert clients["linked"].get(f"/api/speakers/{sid}").json()["name"] == identity
        page = clients["linked"].get(f"/speakers/{sid}", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == f"/identities/{iid}"
    by_name = clients["linked"].get("/speakers/" + quote(name, safe=""))
    assert by_name.status_code == 200 and str(by_name.url).endswith(f"/identities/{iid}")


@pytest.mark.parametrize("name", ["Irena Vostok", "Vostok"])
def test_unlinked_speaker_urls_stay(clients: dict[str, TestClient], ledgers: dict[str, Path], name: str) -> None:
    sid = min(r[0] for r in ledger_rows(ledgers["unlinked"], "SELECT id FROM speakers WHERE name = ?", (name,)))
    r = clients["unlinked"].get(f"/api/speakers/{sid}", follow_redirects=False)
    assert r.status_code == 200 and r.json()["name"] == name
    page = clients["unlinked"].get("/speakers/" + quote(name, safe=""), follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == f"/speakers/{sid}"


# -- statements, facets, articles --------------------------------------------------------------------------------

@pytest.mark.parametrize("which, params, expected", [
    ("linked", {"q": "Kestrel"}, {"Irena Vostok": 2, "Paul Marren": 1}),     # the wire copies once
    ("unlinked", {"q": "Kestrel"}, {"Irena Vostok": 4, "Paul Marren": 1}),   # every copy
    ("linked", {"q": "trucks OR convoys"}, {"Irena Vostok": 3}),             # "Vostok" is Irena here
    ("unlinked", {"q": "trucks OR convoys"}, {"Irena Vostok": 6, "Vostok": 1}),
])
def test_speaker_facet(clients: dict[str, TestClient], which: str, params: dict, expected: dict) -> None:
    body = clients[which].get("/api/statements", params=params).json()
    assert body["speakers_by"] == ("identity" if which == "linked" else "name")
    assert {f["value"]: f["count"] for f in body["facets"]["speaker"]} == expected


@pytest.mark.parametrize("identity, total", [("Irena Vostok", 9), ("Paul Marren", 1)])
def test_search_by_identity(clients: dict[str, TestClient], ledgers: dict[str, Path], identity: str,
                            total: int) -> None:
    iid = identity_id(ledgers["linked"], identity)
    body = clients["linked"].get("/api/statements", params={"identity": iid, "limit": 100}).json()
    assert body["total"] == total == len(body["items"])
    assert {it["speaker"]["identity"]["id"] for it in body["items"]} == {iid}
    narrowed = clients["linked"].get("/api/statements", params={"identity": iid, "q": "trucks"}).json()
    assert all("trucks" in it["content"].lower() for it in narrowed["items"])
    html = clients["linked"].get("/", params={"identity": iid}).text
    assert f"speaker: {identity}" in html  # the chip names the speaker, not the number


@pytest.mark.parametrize("which", ["linked", "unlinked"])
def test_statement_shape(clients: dict[str, TestClient], ledgers: dict[str, Path], which: str) -> None:
    client = clients[which]
    copy = client.get(f"/api/statements/{statement_id(client, 'The trucks', WIRE_OUTLETS[-1])}").json()
    original = client.get(f"/api/statements/{statement_id(client, 'The trucks', WIRE_OUTLETS[0])}").json()
    if which == "unlinked":
        assert copy["speaker"]["identity"] is None and copy["duplicate_of"] is None and copy["links"] == []
        return
    assert copy["speaker"]["identity"] == {"id": identity_id(ledgers["linked"], "Irena Vostok"), "name": "Irena Vostok"}
    assert copy["duplicate_of"] == original["article_id"] and original["duplicate_of"] is None


@pytest.mark.parametrize("which", ["linked", "unlinked"])
def test_article_links_speakers(clients: dict[str, TestClient], ledgers: dict[str, Path], which: str) -> None:
    client = clients[which]
    st = client.get(f"/api/statements/{statement_id(client, 'the grain convoys')}").json()
    html = client.get(f"/articles/{st['article_id']}").text
    if which == "linked":
        assert f'href="/identities/{identity_id(ledgers["linked"], "Irena Vostok")}"' in html
    else:
        assert f'href="/speakers/{st["speaker"]["id"]}"' in html and "/identities/" not in html


def test_pages_render(clients: dict[str, TestClient], ledgers: dict[str, Path]) -> None:
    iid = identity_id(ledgers["linked"], "Irena Vostok")
    html = clients["linked"].get(f"/identities/{iid}").text
    assert 'class="alias">Vostok<' in html and "Also in 2 copies" in html
    assert "2021-03-01 – 2021-03-16" in html  # a role with the dates it was seen
    listing = clients["linked"].get("/speakers").text
    assert f'href="/identities/{iid}"' in listing and ">Vostok<" not in listing
    assert "script-src 'self'" in clients["linked"].get(f"/identities/{iid}").headers["content-security-policy"]


def test_openapi_has_identities(clients: dict[str, TestClient]) -> None:
    spec = clients["linked"].get("/openapi.json").json()
    assert "/api/identities/{ref}" in spec["paths"]
    assert {"IdentityDetail", "TimelineStatement", "StanceLink"} <= set(spec["components"]["schemas"])
    params = {p["name"] for p in spec["paths"]["/api/statements"]["get"]["parameters"]}
    assert "identity" in params


# -- the side file and the ledger agree --------------------------------------------------------------------------

def test_side_file_and_ledger_answer_alike(clients: dict[str, TestClient], ledgers: dict[str, Path]) -> None:
    """While the side file is rebuilt after a link run, the ledger answers the same (only more slowly)."""
    conn = connect_ro(ledgers["linked"])
    side = clients["linked"].app.state.counts.connection()
    empty = sqlite3.connect(":memory:")
    try:
        assert identities.side_ready(side) and not identities.side_ready(empty)
        assert (identities.list_identities(conn, side)["items"] == identities.list_identities(conn, empty)["items"])
        iid = identity_id(ledgers["linked"], "Irena Vostok")
        for limit in (3, 20):
            a = identities.get_identity(conn, side, iid, limit=limit)
            b = identities.get_identity(conn, empty, iid, limit=limit)
            assert a is not None and b is not None
            assert [it["id"] for it in a["items"]] == [it["id"] for it in b["items"]]
            assert a["said"] == b["said"] == 9
    finally:
        conn.close()
        empty.close()


@pytest.mark.parametrize("sql, linked", [
    ("", False),
    ("CREATE TABLE speaker_identity (id INTEGER PRIMARY KEY, name TEXT)", False),
    ("CREATE TABLE speaker_identity (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO speaker_identity VALUES (1, 'A')",
     True),
])
def test_is_linked(sql: str, linked: bool) -> None:
    conn = sqlite3.connect(":memory:")
    conn.executescript(sql)
    assert identities.is_linked(conn) is linked


def test_identity_pages_escape_hostile_names(tmp_path: Path) -> None:
    """Names, aliases and statements from pages are shown as text on the identity pages too."""
    path = build_ledger(tmp_path / "hostile.db")
    with Ledger.open(path) as ledger:
        run_links(ledger.conn)
        ledger.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with TestClient(create_app(path, cache_dir=tmp_path / "cache")) as client:
        iid = identity_id(path, XSS_SPEAKER)
        for url in (f"/identities/{iid}", "/speakers?q=img", f"/?identity={iid}"):
            html = client.get(url).text
            assert XSS_SPEAKER not in html and "&lt;img src=x onerror=alert(1)&gt;" in html, url
        assert XSS_CONTENT not in client.get(f"/identities/{iid}").text


@pytest.mark.parametrize("which, expected", [
    ("linked", {"Irena Vostok": 9, "Paul Marren": 1}),            # "Vostok" is counted as Irena Vostok
    ("unlinked", {"Irena Vostok": 8, "Vostok": 1, "Paul Marren": 1}),
])
def test_story_series(clients: dict[str, TestClient], ledgers: dict[str, Path], which: str, expected: dict) -> None:
    story = clients[which].get("/api/story", params={"q": "Kestrel"}).json()
    assert {s["name"]: s["total"] for s in story["series"]} == expected
    for s in story["series"]:
        assert s["identity_id"] == (identity_id(ledgers["linked"], s["name"]) if which == "linked" else None)
    html = clients[which].get("/story", params={"q": "Kestrel"}).text
    assert ("/identities/" in html) is (which == "linked")


@pytest.mark.parametrize("which, expected", [
    ("linked", [("Irena Vostok", 1), ("Paul Marren", 1)]),   # "Vostok" in the text, Irena Vostok across articles
    ("unlinked", [("Vostok", 1), ("Paul Marren", 1)]),
])
def test_article_legend(clients: dict[str, TestClient], which: str, expected: list) -> None:
    client = clients[which]
    said = client.get(f"/api/statements/{statement_id(client, 'the grain convoys')}").json()
    article = client.get(f"/api/articles/{said['article_id']}").json()
    got = [(sp["name"], sp["statements"]) for sp in article["speakers"]]
    assert got == expected
    assert len({st["speaker"]["color"] for st in article["statements"]}) == len(expected)
