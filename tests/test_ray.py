"""scale/: the Ray Data path (a local Ray with two CPUs) gives the same ledger rows as the local process pool."""

from __future__ import annotations

from pathlib import Path

import pytest

from click.testing import CliRunner

from onrecord.cli.main import cli
from onrecord.errors import ConfigError
from onrecord.settings import Settings
from onrecord.store import Ledger

pytest.importorskip("ray")
from onrecord.scale import plan_shards, ray_ingest  # noqa: E402
from test_ingest import build_corpus  # noqa: E402


@pytest.mark.parametrize("sizes, parallelism, expected", [
    ({"a.txt": 10, "b.jsonl": 10}, 4, [("a.txt", 0, 1), ("b.jsonl", 0, 1)]),
    ({"big.jsonl": 3 * 1024 * 1024}, 2, [("big.jsonl", 0, 3), ("big.jsonl", 1, 3), ("big.jsonl", 2, 3)]),
    ({"big.jsonl.gz": 9 * 1024 * 1024}, 1, [("big.jsonl.gz", 0, 2), ("big.jsonl.gz", 1, 2)]),
    ({"big.html": 9 * 1024 * 1024}, 4, [("big.html", 0, 1)]),
    ({"big.warc.gz": 2 * 1024 * 1024}, 4, [("big.warc.gz", 0, 2), ("big.warc.gz", 1, 2)]),
])
def test_plan_shards_splits_only_big_jsonl_and_warc_files(tmp_path: Path, sizes: dict, parallelism: int, expected: list):
    for name, size in sizes.items():
        with open(tmp_path / name, "wb") as f:
            f.truncate(size)
    shards = plan_shards([str(tmp_path)], None, parallelism)
    assert [(Path(s["path"]).name, s["k"], s["K"]) for s in shards] == expected


@pytest.mark.slow
def test_ray_local_gives_the_rows_of_the_local_path(tmp_path: Path, ledger_dump, make_warc, monkeypatch):
    import onrecord.scale.ray_job as ray_mod

    monkeypatch.setattr(ray_mod, "SHARD_BYTES", 1000)  # split the JSONL and WARC files across tasks
    corpus = build_corpus(tmp_path / "in")
    make_warc(corpus / "crawl.warc.gz", [{"url": f"https://x.example/{i}", "body": (
        b"<html><body><article><p>" + f"Minister Eda Holm said road {i} would be widened next year. ".encode() * 6
        + b"</p></article></body></html>")} for i in range(3)])
    settings = Settings.load()
    with Ledger.open(tmp_path / "local.db") as led:
        led.ingest([corpus], workers=0, settings=settings)
    counts = ray_ingest([str(corpus)], tmp_path / "shards", settings=settings, num_cpus=2)
    assert counts["items"] == 16 and counts["shards"] >= 9  # 7 files, the JSONL and the WARC in several shards
    merged = CliRunner().invoke(cli, ["merge", str(tmp_path / "shards"), "--db", str(tmp_path / "ray.db")])
    assert merged.exit_code == 0, merged.output
    with Ledger.open(tmp_path / "ray.db") as led:
        again = led.merge(tmp_path / "shards")  # merging twice adds nothing
    assert (again["articles"], again["skipped_files"]) == (0, 7)
    assert ledger_dump(tmp_path / "ray.db") == ledger_dump(tmp_path / "local.db")
    with pytest.raises(ConfigError, match="already holds"):  # shards are never mixed with an earlier run's
        ray_ingest([str(corpus)], tmp_path / "shards", settings=settings, num_cpus=2)


@pytest.mark.parametrize("args, message", [
    (["ingest", "x", "--engine", "ray"], "needs --out"),
    (["merge", "."], "no Parquet shards"),
])
def test_cli_refuses_with_a_message(tmp_path: Path, monkeypatch, args: list[str], message: str):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [*args, "--db", str(tmp_path / "l.db")])
    assert result.exit_code == 2 and message in result.output
