from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from onrecord.cli.main import cli
from onrecord.model import Article, Record, Speaker, Span, Statement
from onrecord.store import Ledger

ARTICLES = [
    ("2024-05-01", "Harbour strike in Selden", "Hana Moreau said dock workers at Port Selden would strike on Monday.",
     [("dock workers at Port Selden would strike on Monday", "Hana Moreau")]),
    ("2024-05-02", "Selden strike talks", "Luc Moreau said talks on the Port Selden strike would resume.",
     [("talks on the Port Selden strike would resume", "Luc Moreau")]),
    ("2024-05-03", "Selden port denies strike", "The port authority denied that dock workers at Port Selden "
     "would strike on Monday.", [("dock workers at Port Selden would strike on Monday", "port authority")]),
]


@pytest.fixture()
def ledger_path(tmp_path):
    path = tmp_path / "ledger.db"
    with Ledger.open(path) as ledger:
        for date, title, text, said in ARTICLES:
            sts = []
            for content, name in said:
                i = text.index(content)
                kind = "person" if " " in name and name[0].isupper() else "organization"
                sts.append(Statement("indirect", Span.of(text, i, i + len(content)), None, Speaker(name, kind)))
            ledger.add(Record(Article(text=text, published=date, title=title), tuple(sts)))
    return str(path)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_link_then_speakers_jsonl(ledger_path):
    out = invoke("link", "--db", ledger_path, "--format", "json")
    assert out.exit_code == 0
    assert json.loads(out.output)["counts"]["articles"] == 3
    out = invoke("speakers", "--db", ledger_path, "--format", "jsonl")
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert {r["name"] for r in rows} == {"Hana Moreau", "Luc Moreau", "port authority"}
    for r in rows:
        assert set(r) >= {"id", "name", "aliases", "roles", "affiliations", "statements", "articles", "first_seen",
                          "last_seen"}


def test_speakers_merge_split_rename(ledger_path):
    invoke("link", "--db", ledger_path)
    assert invoke("speakers", "--db", ledger_path, "merge", "Hana Moreau", "Luc Moreau").exit_code == 0
    names = [json.loads(x)["name"] for x in invoke("speakers", "--db", ledger_path, "--format", "jsonl")
             .output.splitlines()]
    assert sorted(names) == ["Hana Moreau", "port authority"]
    assert invoke("speakers", "--db", ledger_path, "rename", "Hana Moreau", "The Moreaus").exit_code == 0
    assert invoke("speakers", "--db", ledger_path, "split", "The Moreaus").exit_code == 0
    invoke("link", "--db", ledger_path)  # the overrides are applied again after a new run
    names = [json.loads(x)["name"] for x in invoke("speakers", "--db", ledger_path, "--format", "jsonl")
             .output.splitlines()]
    assert sorted(names) == ["Hana Moreau", "Luc Moreau", "port authority"]


def test_unknown_speaker_is_a_clear_error(ledger_path):
    invoke("link", "--db", ledger_path)
    out = CliRunner().invoke(cli, ["speakers", "--db", ledger_path, "merge", "Nobody", "Luc Moreau"])
    assert out.exit_code == 2 and "no speaker named 'Nobody'" in out.output


@pytest.mark.parametrize("fmt", ["table", "jsonl"])
def test_story(ledger_path, fmt):
    invoke("link", "--db", ledger_path)
    out = invoke("story", "Selden", "--db", ledger_path, "--format", fmt)
    assert out.exit_code == 0
    if fmt == "jsonl":
        rows = [json.loads(x) for x in out.output.splitlines()]
        assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
        assert {r["stance"] for r in rows} == {None, "denial"}
    else:
        assert "Hana Moreau" in out.output and "DENIES" in out.output


def test_story_bad_query_exits_2(ledger_path):
    invoke("link", "--db", ledger_path)
    out = CliRunner().invoke(cli, ["story", "AND OR (", "--db", ledger_path])
    assert out.exit_code == 2 and "cannot search" in out.output


def test_link_on_a_missing_ledger(tmp_path):
    out = CliRunner().invoke(cli, ["link", "--db", str(tmp_path / "none.db")])
    assert out.exit_code == 2 and "no ledger" in out.output
