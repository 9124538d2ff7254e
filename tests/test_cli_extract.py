"""``onrecord extract``: output formats, error objects, exit status, stdin, --as-is, time limit."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli.main import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGE = FIXTURES / "pages" / "harbor.html"
WIRE = FIXTURES / "scraped" / "wire_dateline.txt"


def run(*args: str, input: bytes | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["extract", *args], input=input, env=env, catch_exceptions=False)


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_jsonl_is_the_default():
    result = run(str(PAGE), str(WIRE))
    assert result.exit_code == 0, result.output
    rows = _jsonl(result.stdout)
    assert [r["article"]["title"] for r in rows] == ["Ferry Strike Ends After Deal",
                                                     "Harbor Council Approves Budget After Long Standoff"]
    assert all(set(r) == {"article", "statements", "problems"} for r in rows)
    wire = rows[1]["article"]
    assert wire["credits"] == ["Nadia Fenwick", "Reuters"] and wire["published"] == "2023-03-12"


def test_json_is_one_array():
    result = run("--format", "json", str(PAGE), str(WIRE))
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and len(rows) == 2


def test_json_with_no_inputs_left_is_an_empty_array(tmp_path):
    empty = tmp_path / "none.jsonl"
    empty.write_text("")
    result = run("--format", "json", str(empty))
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_table_is_for_people():
    result = run("--format", "table", str(WIRE))
    assert result.exit_code == 0
    out = result.stdout
    assert "Harbor Council Approves Budget After Long Standoff" in out
    assert "date: 2023-03-12" in out and "credits: Nadia Fenwick, Reuters" in out and "outlet: Reuters" in out
    assert "statement" in out


def test_failed_input_gives_an_error_object_and_exit_1(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 50)
    result = run(str(bad), str(WIRE), str(tmp_path / "missing.html"))
    assert result.exit_code == 1
    rows = _jsonl(result.stdout)
    assert rows[0] == {"source": str(bad), "stage": "read", "error": {"code": "binary", "message": rows[0]["error"]
                       ["message"]}}
    assert "article" in rows[1]
    assert rows[2]["error"]["code"] == "not_found"
    assert result.stderr.count("error: ") == 2 and "binary" in result.stderr


@pytest.mark.parametrize("args", [["--format", "xml", "x.txt"], [], ["--input-format", "pdf", "x.txt"],
                                  ["--nope", "x.txt"]])
def test_usage_errors_exit_2(args):
    assert run(*args).exit_code == 2


def test_bad_config_is_a_usage_error(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("no_such_setting = 1\n")
    result = run("--config", str(cfg), str(WIRE))
    assert result.exit_code == 2 and "no_such_setting" in result.output


def test_stdin():
    result = run("-", input=WIRE.read_bytes())
    assert result.exit_code == 0
    (row,) = _jsonl(result.stdout)
    assert row["article"]["source"] == "-" and row["article"]["title"].startswith("Harbor Council")


def test_as_is_and_input_format(tmp_path):
    page = tmp_path / "page.txt"
    text = "Menu\n\n\"The port is open,\" the harbor master said on Thursday.\n"
    page.write_text(text)
    (row,) = _jsonl(run("--as-is", str(page)).stdout)
    assert row["article"]["text"] == text
    for st in row["statements"]:
        span = st["content"]
        assert text[span["start"]:span["end"]] == span["text"]
    (row,) = _jsonl(run("--input-format", "html", str(PAGE)).stdout)
    assert row["article"]["outlet"] == "The Sela Courier"


def test_article_time_limit(monkeypatch):
    import onrecord.api

    def stuck(article, settings):
        time.sleep(30)

    monkeypatch.setattr(onrecord.api, "extract_one", stuck)
    start = time.monotonic()
    result = run(str(WIRE), env={"ONRECORD_ARTICLE_TIMEOUT_S": "0.5"})
    assert time.monotonic() - start < 25
    assert result.exit_code == 1
    (row,) = _jsonl(result.stdout)
    assert row["error"]["code"] == "timeout" and row["stage"] == "extract"
