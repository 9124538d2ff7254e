"""store/merge.py: Parquet shards load in input order, a range of files at a time, with the ingest's dedupe rules."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from onrecord.model import Article, ErrorRecord, Problem, Record
from onrecord.store import Ledger
from onrecord.store.rows import result_to_json

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def shard_rows() -> list[dict]:
    """Rows for three files: a.jsonl (4 items, one a duplicate of b.txt's, one an error), b.txt, c.txt."""
    items = {
        0: ("/in/a.jsonl", [Record(Article("Alpha story body text.", source="/in/a.jsonl:1")),
                            ErrorRecord("/in/a.jsonl:2", Problem("bad_json", "not JSON")),
                            Record(Article("Bravo story body text.", source="/in/a.jsonl:3")),
                            Record(Article("Charlie story body text.", source="/in/a.jsonl:4"))]),
        1: ("/in/b.txt", [Record(Article("Bravo   story body text.", source="/in/b.txt"))]),
        2: ("/in/c.txt", [Record(Article("Delta story body text.", source="/in/c.txt"))]),
    }
    return [{"file_idx": idx, "path": path, "ordinal": i, "n_items": len(results), "record": result_to_json(r)}
            for idx, (path, results) in items.items() for i, r in enumerate(results)]


def write_shards(folder: Path, rows: list[dict], n: int, seed: int) -> None:
    folder.mkdir()
    rows = rows[:]
    random.Random(seed).shuffle(rows)
    for k in range(n):
        part = rows[k::n]
        if part:
            pq.write_table(pa.Table.from_pylist(part), folder / f"part-{k}.parquet")


@pytest.mark.parametrize("range_rows", [1, 3, 5000])
@pytest.mark.parametrize("n_shards, seed", [(1, 0), (3, 1), (6, 2)])
def test_merge_loads_in_input_order_whatever_the_shards(tmp_path: Path, monkeypatch, range_rows: int,
                                                        n_shards: int, seed: int):
    import onrecord.store.merge as merge_mod

    monkeypatch.setattr(merge_mod, "RANGE_ROWS", range_rows)
    write_shards(tmp_path / "shards", shard_rows(), n_shards, seed)
    with Ledger.open(":memory:") as led:
        stats = led.merge(tmp_path / "shards")
        assert (stats["articles"], stats["duplicates"], stats["errors"], stats["files"]) == (4, 1, 1, 3)
        assert [r["source"] for r in led.rows("articles")] == ["/in/a.jsonl:1", "/in/a.jsonl:3", "/in/a.jsonl:4",
                                                               "/in/c.txt"]
        statuses = {r["key"]: r["status"] for r in led.rows("inputs")}
        assert statuses == {"/in/a.jsonl": "done", "/in/a.jsonl#0": "article", "/in/a.jsonl#1": "error",
                            "/in/a.jsonl#2": "article", "/in/a.jsonl#3": "article", "/in/b.txt": "done",
                            "/in/b.txt#0": "duplicate", "/in/c.txt": "done", "/in/c.txt#0": "article"}


@pytest.mark.parametrize("crash", ["item:2", "item:6", "commit:1"])
def test_a_killed_merge_resumes_to_the_rows_of_a_clean_one(tmp_path: Path, ledger_dump, crash: str):
    import os
    import signal
    import subprocess
    import sys

    write_shards(tmp_path / "shards", shard_rows(), 2, 5)

    def merge(db: Path, env_crash: str | None) -> int:
        env = {k: v for k, v in os.environ.items() if k != "ONRECORD_CRASH_AT"}
        if env_crash:
            env["ONRECORD_CRASH_AT"] = env_crash
        cmd = [sys.executable, "-m", "onrecord.cli.main", "merge", str(tmp_path / "shards"), "--db", str(db),
               "--no-progress"]
        return subprocess.run(cmd, env=env, capture_output=True, timeout=120).returncode

    assert merge(tmp_path / "clean.db", None) == 0
    assert merge(tmp_path / "killed.db", crash) == -signal.SIGKILL
    assert merge(tmp_path / "killed.db", None) == 0
    assert ledger_dump(tmp_path / "killed.db") == ledger_dump(tmp_path / "clean.db")
