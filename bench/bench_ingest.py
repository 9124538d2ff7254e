"""Ingest throughput and memory: one worker against all workers (the speed-up), and Ray local against the pool.

    python bench/bench_ingest.py --limit 1000

Corpora (read from ../shared/data, never copied into the repo): the Reuters-21578 bodies
(reuters-21578/articles.jsonl.gz, the first --limit articles with text) and the Wikinews sample. Each
configuration runs ``onrecord ingest`` in a fresh process into a fresh ledger; the figures include starting
the process and loading the model (and, for Ray, starting Ray and merging the shards). Peak memory is the
largest resident size of the whole process tree (ingest process, pool workers, Ray processes), and CPU
time the tree's user + system seconds, both sampled every 0.1 s from /proc (CPU ms per input does not
depend on how busy the machine is; the wall-clock speed-up does).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "data"


def tree_sample(pid: int, cpu: dict[int, float]) -> int:
    """Resident bytes of ``pid`` and all its descendants; records each one's CPU seconds so far in ``cpu``."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    ticks: dict[int, float] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        p = int(entry.name)
        children.setdefault(int(fields[1]), []).append(p)
        rss[p] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        ticks[p] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        cpu[p] = max(cpu.get(p, 0.0), ticks.get(p, 0.0))
        todo.extend(children.get(p, []))
    return total


def run(cmd: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak tree RSS and CPU seconds (the process tree, sampled) of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    cpu: dict[int, float] = {}
    while proc.poll() is None:
        peak = max(peak, tree_sample(proc.pid, cpu))
        time.sleep(0.1)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return wall, peak, sum(cpu.values())


def prepare(tmp: Path, limit: int) -> dict[str, Path]:
    corpora = {}
    reuters = SHARED / "reuters-21578" / "articles.jsonl.gz"
    if reuters.exists():
        path = tmp / "reuters" / "reuters.jsonl"
        path.parent.mkdir()
        n = 0
        with gzip.open(reuters, "rt", encoding="utf-8") as src, open(path, "w", encoding="utf-8") as dst:
            for line in src:
                if n >= limit:
                    break
                if json.loads(line).get("text", "").strip():
                    dst.write(line)
                    n += 1
        corpora[f"reuters ({n} articles)"] = path
    else:
        print(f"skipping Reuters: {reuters} not present", file=sys.stderr)
    wikinews = SHARED / "wikinews-sample" / "articles.jsonl"
    if wikinews.exists():
        path = tmp / "wikinews" / "wikinews.jsonl"
        path.parent.mkdir()
        lines = wikinews.read_text("utf-8").splitlines(keepends=True)[:limit]
        path.write_text("".join(lines), encoding="utf-8")
        corpora[f"wikinews ({len(lines)} articles)"] = path
    else:
        print(f"skipping Wikinews: {wikinews} not present", file=sys.stderr)
    return corpora


def counts(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        items = conn.execute("SELECT count(*) FROM inputs WHERE kind = 'item'").fetchone()[0]
        statements = conn.execute("SELECT count(*) FROM statements").fetchone()[0]
        return items, statements
    finally:
        conn.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=1000, help="articles per corpus (default 1000)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="'all workers' (default: all cores)")
    ap.add_argument("--no-ray", action="store_true", help="skip the Ray configuration")
    args = ap.parse_args()
    exe = [sys.executable, "-m", "onrecord.cli.main", "ingest", "--no-progress"]
    rows = []
    startup, _, _ = run([sys.executable, "-c", "import onrecord.nlp as n; n.load()"])
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp_name:
        tmp = Path(tmp_name)
        corpora = prepare(tmp, args.limit)
        if not corpora:
            raise SystemExit("no corpus under ../shared/data: nothing to measure")
        for name, path in corpora.items():
            configs = [("pool, 1 worker", ["--workers", "1"]), (f"pool, {args.workers} workers",
                                                                   ["--workers", str(args.workers)])]
            if not args.no_ray:
                configs.append((f"ray local ({args.workers} CPUs)", ["--engine", "ray", "--out"]))
            base = None
            for label, extra in configs:
                db = tmp / f"{len(rows)}.db"
                note = ""
                if extra[-1] == "--out":  # the Ray run writes shards, then a merge loads them (timed apart)
                    shards = str(tmp / f"shards{len(rows)}")
                    wall, peak, cpu = run([*exe, str(path), *extra, shards])
                    merge_wall, merge_peak, merge_cpu = run([*exe[:-2], "merge", shards, "--db", str(db),
                                                             "--no-progress"])
                    note = f"incl. merge {merge_wall:.1f} s"
                    wall, peak, cpu = wall + merge_wall, max(peak, merge_peak), cpu + merge_cpu
                else:
                    wall, peak, cpu = run([*exe, str(path), "--db", str(db), *extra])
                items, statements = counts(db)
                rate = items / wall
                base = base or rate
                rows.append((name, label, items, statements, wall, rate, rate / base, cpu / items * 1000,
                             peak / 2**20, note))
                print(f"{name:24} {label:22} {items:6d} inputs {statements:6d} statements {wall:7.1f} s "
                      f"{rate:7.2f}/s x{rate / base:4.2f} {cpu / items * 1000:6.0f} CPU ms/input "
                      f"peak {peak / 2**20:7.0f} MiB {note}", file=sys.stderr)
                os.remove(db)
                shutil.rmtree(tmp / f"shards{len(rows) - 1}", ignore_errors=True)
    print(f"\n`python bench/bench_ingest.py --limit {args.limit}` on {os.cpu_count()} cores "
          f"(starting a process and loading the model alone: {startup:.1f} s):\n")
    print("| corpus | configuration | inputs | statements | wall s | inputs/s | vs 1 worker | CPU ms/input "
          "| peak RSS (MiB) | |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, label, items, statements, wall, rate, ratio, cpu_ms, peak, note in rows:
        print(f"| {name} | {label} | {items} | {statements} | {wall:.1f} | {rate:.2f} | {ratio:.2f}x | {cpu_ms:.0f} "
              f"| {peak:.0f} | {note} |")


if __name__ == "__main__":
    main()
