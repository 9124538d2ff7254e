"""store/: the schema, writing records (dedupe by body), search, speakers, export, and their CLI commands."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli.main import cli
from onrecord.model import Article, ErrorRecord, Problem, Record, Speaker, Span, Statement
from onrecord.store import SCHEMA_VERSION, TABLES, Ledger
from onrecord.store.query import QueryError

T1 = ('Mayor Ilse Varn said on Monday that the harbour would reopen. "The quay is safe," Varn told reporters. '
      "A port official, who asked not to be named, denied that fees would rise.")
T2 = 'Councillor Amos Pell said the bridge vote was delayed. "We need more time," Pell said.'


def span(text: str, piece: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return Span.of(text, start, start + len(piece))


def stmt(text: str, content: str, name: str | None, mention: str, kind: str = "direct", type_: str = "person",
         date: str | None = None, channel: str | None = None, role: str | None = None) -> Statement:
    cue = span(text, "said") if "said" in text else None
    return Statement(kind, span(text, content), cue,  # type: ignore[arg-type]
                     Speaker(name, type_, span(text, mention), role), None, channel, date, 0.87654, ("denial",)
                     if "denied" in content else ())


def records() -> list[Record]:
    a1 = Article(T1, source="one.html", title="Harbour to reopen", published="2022-05-02", outlet="Lindholt Post",
                 authors=("Rosa Tam",))
    a2 = Article(T2, source="two.jsonl:1", id="ext-2", title="Bridge vote delayed", published="2022-06-10")
    return [
        Record(a1, (stmt(T1, "the harbour would reopen", "Ilse Varn", "Mayor Ilse Varn", "indirect", date="2022-05-02",
                         role="mayor"),
                    stmt(T1, "The quay is safe,", "Ilse Varn", "Varn", channel="press conference"),
                    stmt(T1, "denied that fees would rise", None, "A port official", "indirect", "anonymous")),
               (Problem("no_date", "a made-up problem"),)),
        Record(a2, (stmt(T2, "the bridge vote was delayed", "Amos Pell", "Councillor Amos Pell", "indirect"),
                    stmt(T2, "We need more time,", "Amos Pell", "Pell"))),
    ]


@pytest.fixture
def ledger(tmp_path: Path):
    with Ledger.open(tmp_path / "l.db") as led:
        with led.transaction():
            for r in records():
                led.add(r, run_id=None)
        yield led


def test_open_creates_schema_wal_and_version(tmp_path: Path):
    path = tmp_path / "new.db"
    with Ledger.open(path) as led:
        assert led.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert led.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert set(led.counts()) == set(TABLES)
    with Ledger.open(path) as again:  # reopening migrates nothing and keeps the version
        assert again.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_newer_schema_is_refused(tmp_path: Path):
    from onrecord.errors import ConfigError

    path = tmp_path / "future.db"
    sqlite3.connect(path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    with pytest.raises(ConfigError, match="newer"):
        Ledger.open(path)


def test_records_become_rows_with_offsets_into_the_text(ledger: Ledger):
    assert {k: v for k, v in ledger.counts().items() if k != "runs"} == {
        "articles": 2, "speakers": 3, "statements": 5, "problems": 1, "errors": 0, "inputs": 0}
    for row in ledger.conn.execute("SELECT s.content, s.content_start, s.content_end, s.speaker_mention,"
                                   " s.mention_start, s.mention_end, a.text FROM statements s"
                                   " JOIN articles a ON a.id = s.article_id"):
        assert row["text"][row["content_start"]:row["content_end"]] == row["content"]
        assert row["text"][row["mention_start"]:row["mention_end"]] == row["speaker_mention"]
    a = ledger.conn.execute("SELECT * FROM articles WHERE ext_id = 'ext-2'").fetchone()
    assert (a["title"], a["n_statements"], json.loads(a["authors"])) == ("Bridge vote delayed", 2, [])
    assert [r["seq"] for r in ledger.rows("statements")] == [0, 1, 2, 0, 1]
    assert {r["confidence"] for r in ledger.rows("statements")} == {0.877}


def test_speakers_are_one_row_per_name_and_type_in_an_article(ledger: Ledger):
    rows = ledger.conn.execute("SELECT article_id, name, type, role, n_statements FROM speakers ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [(1, "Ilse Varn", "person", "mayor", 2),
                                        (1, "A port official", "anonymous", None, 1),
                                        (2, "Amos Pell", "person", None, 2)]


@pytest.mark.parametrize("text", [T1, T1.replace(" ", "  "), "  " + T1 + "\n", T1.replace("Mayor", "Mayor\n")])
def test_the_same_body_is_one_article(ledger: Ledger, text: str):
    status, article_id = ledger.add(Record(Article(text, source="again.txt")))
    assert (status, article_id) == ("duplicate", 1)
    assert ledger.counts()["articles"] == 2 and ledger.counts()["statements"] == 5


def test_an_error_record_is_an_error_row(ledger: Ledger):
    status, error_id = ledger.add(ErrorRecord("bad.html", Problem("binary", "not text"), "read"))
    assert status == "error"
    row = ledger.conn.execute("SELECT input, stage, code, message FROM errors WHERE id = ?", (error_id,)).fetchone()
    assert tuple(row) == ("bad.html", "read", "binary", "not text")


@pytest.mark.parametrize("query, filters, expected", [
    ("harbour", {}, ["the harbour would reopen"]),
    ("quay OR bridge", {}, ["The quay is safe,", "the bridge vote was delayed"]),
    ('"more time"', {}, ["We need more time,"]),
    ("pell", {}, ["the bridge vote was delayed", "We need more time,"]),  # the speaker name is searched too
    ("", {"speaker": "varn"}, ["the harbour would reopen", "The quay is safe,"]),
    ("", {"kind": "direct", "speaker": "Pell"}, ["We need more time,"]),
    ("", {"since": "2022-06"}, ["the bridge vote was delayed", "We need more time,"]),
    ("", {"until": "2022-05"}, ["the harbour would reopen", "The quay is safe,", "denied that fees would rise"]),
    ("", {"channel": "press conference"}, ["The quay is safe,"]),
    ("", {"outlet": "Lindholt Post", "kind": "indirect"}, ["the harbour would reopen", "denied that fees would rise"]),
    ("tim*", {}, ["We need more time,"]),
    ("zebra", {}, []),
])
def test_search(ledger: Ledger, query: str, filters: dict, expected: list[str]):
    got = [r["content"] for r in ledger.search(query, **filters)]
    assert sorted(got) == sorted(expected)


def test_search_without_query_lists_newest_first_and_limits(ledger: Ledger):
    rows = ledger.search(None, limit=2)
    assert [r["published"] for r in rows] == ["2022-06-10", "2022-06-10"]
    assert rows[0]["title"] == "Bridge vote delayed" and isinstance(rows[0]["flags"], list)


@pytest.mark.parametrize("query", ["AND OR (", '"unbalanced', "quay AND", "(harbour", "NOT", "a:b"])
def test_malformed_queries_raise_query_error(ledger: Ledger, query: str):
    with pytest.raises(QueryError, match="malformed search query"):
        ledger.search(query)


@pytest.mark.parametrize("bad", ["yesterday", "2022/05/01", "05-2022"])
def test_bad_dates_raise_query_error(ledger: Ledger, bad: str):
    with pytest.raises(QueryError, match="not a date"):
        ledger.search("harbour", since=bad)


def test_speakers_counts(ledger: Ledger):
    rows = ledger.speakers()
    assert [(r["name"], r["type"], r["statements"], r["articles"]) for r in rows] == [
        ("Amos Pell", "person", 2, 1), ("Ilse Varn", "person", 2, 1), ("A port official", "anonymous", 1, 1)]
    assert [r["name"] for r in ledger.speakers(type="anonymous")] == ["A port official"]
    assert [r["roles"] for r in ledger.speakers(name="varn")] == ["mayor"]


@pytest.mark.parametrize("table, n", [("statements", 5), ("articles", 2), ("speakers", 3), ("problems", 1)])
def test_export_jsonl_csv_parquet_agree(ledger: Ledger, tmp_path: Path, table: str, n: int):
    out = io.StringIO()
    assert ledger.export(table, "jsonl", out) == n
    as_jsonl = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in as_jsonl] == list(range(1, n + 1))
    assert ledger.export(table, "csv", tmp_path / "t.csv") == n
    with open(tmp_path / "t.csv", newline="", encoding="utf-8") as f:
        as_csv = list(csv.DictReader(f))
    assert [int(r["id"]) for r in as_csv] == list(range(1, n + 1))
    pq = pytest.importorskip("pyarrow.parquet")
    assert ledger.export(table, "parquet", tmp_path / "t.parquet") == n
    assert pq.read_table(tmp_path / "t.parquet").column("id").to_pylist() == list(range(1, n + 1))
    if table == "statements":
        assert as_jsonl[2]["flags"] == ["denial"] and as_csv[2]["flags"] == '["denial"]'


# -- the commands -----------------------------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def db(ledger: Ledger) -> str:
    return ledger.path


@pytest.mark.parametrize("fmt", ["table", "jsonl", "csv"])
def test_cli_search_formats(db: str, fmt: str):
    result = run("search", "quay", "--db", db, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "The quay is safe," in result.output
    assert "bridge" not in result.output


@pytest.mark.parametrize("query", ["AND OR (", '"unbalanced'])
def test_cli_search_malformed_query_exits_2_with_a_message(db: str, query: str):
    result = run("search", query, "--db", db)
    assert result.exit_code == 2
    assert "malformed search query" in result.output and "Traceback" not in result.output


def test_cli_search_missing_ledger_exits_2(tmp_path: Path):
    result = run("search", "x", "--db", str(tmp_path / "nope.db"))
    assert result.exit_code == 2 and "does not exist" in result.output


def test_cli_speakers_is_a_group_listing_counts(db: str):
    from onrecord.cli.ledger_cmd import speakers

    assert speakers.invoke_without_command
    result = run("speakers", "--db", db, "--format", "jsonl")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["name"], r["statements"]) for r in rows][:2] == [("Amos Pell", 2), ("Ilse Varn", 2)]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_cli_export(db: str, fmt: str):
    result = run("export", "--db", db, "--table", "articles", "--format", fmt)
    assert result.exit_code == 0
    assert "Harbour to reopen" in result.output and "Bridge vote delayed" in result.output


def test_cli_export_parquet_needs_a_file(db: str):
    assert run("export", "--db", db, "--format", "parquet").exit_code == 2
