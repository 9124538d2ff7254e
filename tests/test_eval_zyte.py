from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from onrecord.evaluation import zyte

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
ZYTE = SHARED / "data" / "zyte-article-extraction-benchmark"


@pytest.mark.parametrize(
    "gold, pred, expected",
    [
        ("one two three four five", "one two three four five", (1.0, 0.0, 0.0)),
        ("one two three four five", "one two three four", (0.5, 0.0, 0.5)),
        ("one two three four", "nine two three four", (0.0, 0.5, 0.5)),
        ("a b", "a b", (1.0, 0.0, 0.0)),  # shorter than a shingle: the whole text is one
        ("", "", (0.0, 0.0, 0.0)),
        ("w x y z", "", (0.0, 0.0, 1.0)),
    ],
)
def test_page_counts(gold, pred, expected):
    assert zyte.page_counts(gold, pred) == pytest.approx(expected)


def test_shingles_are_a_multiset():
    assert zyte.shingles("a b c d a b c d")[("a", "b", "c", "d")] == 2


def test_metrics_macro_average():
    m = zyte.metrics(["one two three four five", "p q r s"], ["one two three four five", ""], bootstrap=50)
    assert m.precision == pytest.approx(1.0)
    assert m.recall == pytest.approx(0.5)
    assert m.f1 == pytest.approx(2 / 3)
    assert m.accuracy == pytest.approx(0.5)
    assert m.f1_std > 0


def test_load_pages(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(b"<html><body><p>Hi</p></body></html>"))
    (tmp_path / "ground-truth.json").write_text(json.dumps({"p1": {"articleBody": "Hi", "url": "https://x.test/a"},
                                                            "p2": {"articleBody": "x", "url": None}}))
    pages = zyte.load_pages(tmp_path)
    assert [(p.id, p.gold, p.html[:6]) for p in pages] == [("p1", "Hi", b"<html>")]


def test_trafilatura_reproduces_the_published_figure():
    if not ZYTE.is_dir():
        pytest.skip(f"../shared/data/zyte-article-extraction-benchmark not present: {ZYTE}")
    pages = zyte.load_pages(ZYTE)
    run = zyte.run_extractor("trafilatura", zyte.trafilatura_extractor(), pages, bootstrap=10)
    assert run.metrics.pages == 181
    assert run.metrics.f1 == pytest.approx(0.960, abs=0.005)


def test_cli_zyte_json(tmp_path):
    from click.testing import CliRunner

    from onrecord.cli.main import cli

    body = " ".join(f"The harbour ferry number {i} sails at dawn and returns at dusk." for i in range(30))
    html = f"<html><head><title>Ferry</title></head><body><article><p>{body}</p></article></body></html>"
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(html.encode()))
    (tmp_path / "ground-truth.json").write_text(json.dumps({"p1": {"articleBody": body, "url": None}}))
    result = CliRunner().invoke(cli, ["eval", "zyte", str(tmp_path), "--bootstrap", "10", "--format", "json"])
    assert result.exit_code == 0, result.output
    runs = {r["name"]: r for r in json.loads(result.stdout)["results"]}
    assert set(runs) == {"onrecord", "trafilatura (default)"}
    assert runs["trafilatura (default)"]["f1"] > 0.9
