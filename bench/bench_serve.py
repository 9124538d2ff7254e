"""Load test of the reading room: a synthetic ledger of a million statements, a fixed request rate, latencies.

    python bench/bench_serve.py                       # build /tmp/onrecord-bench-serve.db once, 200 req/s for 25 s
    python bench/bench_serve.py --rate 200 --duration 25 --workers 2 --statements 1000000
    python bench/bench_serve.py --linked              # the same ledger after a cross-article link pass

``--linked`` serves a copy of the ledger (``<db>.linked.db``) whose cross-article tables are filled by SQL in the
shapes ``onrecord link`` writes (one identity per name, three articles in twenty a near-duplicate cluster, one
statement in 97 a denial or confirmation, half of them linked): a stand-in, since linking a million generated
statements would measure the generator. Speaker requests then go to the identity a per-article speaker id
redirects to, and speaker-filtered searches filter by identity.

It builds a ledger with the ledger's own schema (``onrecord.store.migrations``) from generated text (no data
from elsewhere), starts ``uvicorn`` on loopback with ``--workers`` processes, and drives an open-loop request
schedule from a second process with an async httpx client: search requests (full-text queries of several
frequencies, some with filters) and speaker requests (one speaker's page, the speaker list). Latency is measured
from each request's scheduled time to its last byte, so a server that falls behind shows it. The run is bounded
(``--duration``, then 10 s of grace; requests still open are cancelled and counted as unfinished) and stops by
itself. It prints p50/p90/p99 per kind of request, the answered requests per second, and the server's CPU time
per request (user + system of the uvicorn processes, from /proc): a figure that a busy machine distorts less
than latency, to compare runs made under different loads. The load average is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DB = Path("/tmp/onrecord-bench-serve.db")
TOPICS = ["ceasefire", "sanctions", "election", "pipeline", "tariffs", "refugees", "vaccine", "drought",
          "summit", "strike", "budget", "treaty", "inflation", "protest", "ballot", "border"]
CHANNELS = ["remarks", "statement", "interview", "press conference", "social media", "anonymous", "testimony", None]
KINDS = ["direct", "indirect", "mixed"]
SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "vos", "bel", "dor", "an", "is", "quel", "mar", "to", "ri", "sen",
             "gra", "hul", "pe", "zan", "or", "li", "fen", "da", "cro", "mus", "tai", "ver", "no", "shi", "bo"]


# -- the synthetic ledger ----------------------------------------------------------------------------------------

def _words(rng: np.random.Generator, n: int, lo: int, hi: int) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        k = int(rng.integers(lo, hi + 1))
        out.add("".join(SYLLABLES[i] for i in rng.integers(0, len(SYLLABLES), k)))
    return sorted(out)


def build(db: Path, n_statements: int, per_article: int = 10, seed: int = 7) -> dict[str, Any]:
    """Write a ledger of ``n_statements`` generated statements at ``db``; returns what the load needs to know."""
    sys.path.insert(0, str(REPO / "src"))
    from onrecord.store.migrations import migrate

    rng = np.random.default_rng(seed)
    vocab = _words(rng, 20_000, 2, 4)
    firsts, lasts = _words(rng, 800, 2, 3), _words(rng, 6000, 2, 4)
    n_speakers = 30_000
    speakers = sorted({f"{firsts[rng.integers(len(firsts))].title()} {lasts[rng.integers(len(lasts))].title()}"
                       for _ in range(n_speakers)})
    outlets = [f"{w.title()} {s}" for w, s in zip(_words(rng, 60, 2, 3), ["Times", "Post", "Wire", "News"] * 15)]
    word_p = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
    word_p /= word_p.sum()
    spk_p = 1.0 / np.arange(1, len(speakers) + 1) ** 0.9
    spk_p /= spk_p.sum()
    topic_p = np.array([0.02 / (i + 1) for i in range(len(TOPICS))])  # 2% .. 0.1% of statements per topic

    if db.exists():
        db.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn)
    conn.execute("PRAGMA journal_mode=OFF")  # a scratch file: no journal while loading, WAL (as a ledger) after
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-262144")
    n_articles = n_statements // per_article
    day0 = np.datetime64("2015-01-01")
    t0 = time.perf_counter()
    batch = 5000
    sid = 0
    spk_row = 0
    for a0 in range(0, n_articles, batch):
        conn.execute("BEGIN")
        arts, sts, sps = [], [], []
        for a in range(a0, min(n_articles, a0 + batch)):
            aid = a + 1
            published = str(day0 + int(rng.integers(0, 3650)))
            chosen = rng.choice(len(speakers), size=per_article, p=spk_p)
            lengths = rng.integers(8, 30, size=per_article)
            words = rng.choice(len(vocab), size=int(lengths.sum()), p=word_p)
            topics = rng.random((per_article, len(TOPICS))) < topic_p
            parts: list[str] = []
            pos = 0
            local: dict[int, int] = {}
            counts: dict[int, int] = {}
            w = 0
            for i in range(per_article):
                toks = [vocab[j] for j in words[w:w + lengths[i]]]
                w += int(lengths[i])
                for t in np.flatnonzero(topics[i]):
                    toks.insert(int(rng.integers(0, len(toks) + 1)), TOPICS[t])
                content = " ".join(toks)
                name = speakers[int(chosen[i])]
                kind = KINDS[int(rng.integers(0, 3))]
                channel = CHANNELS[int(rng.integers(0, len(CHANNELS)))]
                if kind == "direct":
                    sentence = f'"{content}," {name} said. '
                    c0 = pos + 1
                    m0 = pos + len(content) + 4
                    cue0 = m0 + len(name) + 1
                else:
                    sentence = f"{name} said {content}. "
                    m0 = pos
                    cue0 = pos + len(name) + 1
                    c0 = cue0 + 5
                if int(chosen[i]) not in local:
                    spk_row += 1
                    local[int(chosen[i])] = spk_row
                    sps.append([spk_row, aid, name, "person", "official" if chosen[i] % 3 else "minister",
                                outlets[int(chosen[i]) % len(outlets)] if chosen[i] % 5 == 0 else None, 0])
                speaker_id = local[int(chosen[i])]
                counts[speaker_id] = counts.get(speaker_id, 0) + 1
                sid += 1
                sts.append((sid, aid, i, kind, content, c0, c0 + len(content), "said", cue0, cue0 + 4, name, m0,
                            m0 + len(name), speaker_id, name, "person", channel, published))
                parts.append(sentence)
                pos += len(sentence)
            for row in sps[len(sps) - len(local):]:
                row[6] = counts[row[0]]
            arts.append((aid, f"h{aid}", f"synthetic-{aid}", f"synthetic#{aid}", f"Article {aid}: {TOPICS[aid % 16]}",
                         published, outlets[int(rng.integers(0, len(outlets)))], "".join(parts), per_article,
                         "2026-01-01T00:00:00Z"))
        conn.executemany("INSERT INTO articles (id, content_hash, ext_id, source, title, published, outlet, text, "
                         "n_statements, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)", arts)
        conn.executemany("INSERT INTO speakers (id, article_id, name, type, role, affiliation, n_statements) "
                         "VALUES (?,?,?,?,?,?,?)", sps)
        conn.executemany("INSERT INTO statements (id, article_id, seq, kind, content, content_start, content_end, "
                         "cue, cue_start, cue_end, speaker_mention, mention_start, mention_end, speaker_id, "
                         "speaker_name, speaker_type, channel, date) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         sts)
        conn.execute("COMMIT")
        print(f"\r  {sid:,} statements  {time.perf_counter() - t0:5.1f}s", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    conn.execute("INSERT INTO statements_fts(statements_fts) VALUES ('optimize')")
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    meta = {"statements": n_statements, "articles": n_articles, "build_s": round(time.perf_counter() - t0, 1),
            "vocab_mid": vocab[200:2000], "speakers_top": speakers[:200], "outlets": outlets}
    Path(f"{db}.json").write_text(json.dumps(meta))
    return meta


# -- the load ----------------------------------------------------------------------------------------------------

def requests_plan(meta: dict[str, Any], n: int, mix: str, seed: int = 11) -> list[tuple[str, str, dict[str, Any]]]:
    """``n`` requests as (kind, path, params): "search" (full text, some with filters or two words, some filter-only
    browsing) and "speaker" (a speaker's page by a per-article speaker id, or the most-quoted list)."""
    rnd = random.Random(seed)
    vocab, top, outlets = meta["vocab_mid"], meta["speakers_top"], meta["outlets"]
    n_speaker_rows = meta["speaker_rows"]
    plan: list[tuple[str, str, dict[str, Any]]] = []
    for _ in range(n):
        kind = mix if mix != "both" else ("search" if rnd.random() < 0.6 else "speaker")
        if kind == "search":
            r = rnd.random()
            params: dict[str, Any]
            if r < 0.45:
                params = {"q": rnd.choice(vocab)}
            elif r < 0.60:
                params = {"q": rnd.choice(TOPICS)}
            elif r < 0.70:
                params = {"q": f"{rnd.choice(vocab)} {rnd.choice(TOPICS[:6])}"}
            elif r < 0.85:
                params = {"q": rnd.choice(vocab), rnd.choice(["kind", "outlet", "since"]): None}
                if "kind" in params:
                    params["kind"] = rnd.choice(KINDS)
                elif "outlet" in params:
                    params["outlet"] = rnd.choice(outlets)
                else:
                    year = rnd.randint(2015, 2023)
                    params.update(since=f"{year}-01-01", until=f"{year}-06-30")
            else:
                params = {"speaker": rnd.choice(top[:50])} if rnd.random() < 0.5 else {"channel": "interview"}
            if rnd.random() < 0.2:
                params["page"] = rnd.randint(2, 5)
            plan.append(("search", "/api/statements", params))
        else:
            if rnd.random() < 0.8:
                plan.append(("speaker", f"/api/speakers/{rnd.randint(1, n_speaker_rows)}", {}))
            else:
                plan.append(("speaker", "/api/speakers",
                             {"q": rnd.choice(top)[:4]} if rnd.random() < 0.5 else {"limit": 50}))
    return plan


async def drive(url: str, plan: list[tuple[str, str, dict[str, Any]]], rate: float, max_in_flight: int,
                grace_s: float = 10.0) -> dict:
    """Send ``plan`` at ``rate`` requests/s (open loop); latency runs from each request's scheduled time.

    Requests not answered ``grace_s`` after the last one was due are cancelled and reported as unfinished."""
    import httpx

    results: list[tuple[str, float, int]] = []
    sem = asyncio.Semaphore(max_in_flight)
    limits = httpx.Limits(max_connections=max_in_flight, max_keepalive_connections=max_in_flight)
    async with httpx.AsyncClient(base_url=url, timeout=10.0, limits=limits) as client:
        loop = asyncio.get_running_loop()
        start = loop.time() + 0.2

        async def one(i: int, kind: str, path: str, params: dict[str, Any]) -> None:
            scheduled = start + i / rate
            try:
                await asyncio.sleep(max(0.0, scheduled - loop.time()))
                async with sem:
                    try:
                        r = await client.get(path, params=params)
                        await r.aread()
                        status = r.status_code
                    except httpx.HTTPError:
                        status = 0
            except asyncio.CancelledError:  # unfinished at the end: a failure, with the time it waited
                results.append((kind, loop.time() - scheduled, -1))
                raise
            results.append((kind, loop.time() - scheduled, status))

        tasks = [asyncio.ensure_future(one(i, *req)) for i, req in enumerate(plan)]
        duration = len(plan) / rate
        _, pending = await asyncio.wait(tasks, timeout=duration + grace_s + 0.2)
        for t in pending:  # still queued or in flight at the end: counted as failures with their wait so far
            t.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        elapsed = loop.time() - start
    return {"elapsed_s": elapsed, "results": results, "unfinished": sum(1 for r in results if r[2] == -1)}


def summarize(out: dict[str, Any]) -> dict[str, Any]:
    by: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    for kind, latency, status in out["results"]:
        by.setdefault(kind, []).append(latency * 1000)
        if status != 200:
            errors[kind] = errors.get(kind, 0) + 1
    ok = sum(1 for _, _, status in out["results"] if status == 200)
    summary: dict[str, Any] = {"requests": len(out["results"]), "unfinished": out["unfinished"],
                               "elapsed_s": round(out["elapsed_s"], 2),
                               "throughput_rps": round(ok / out["elapsed_s"], 1)}
    for kind, ms in sorted(by.items()):
        a = np.array(ms)
        summary[kind] = {"n": len(ms), "errors": errors.get(kind, 0), "p50_ms": round(float(np.percentile(a, 50)), 1),
                         "p90_ms": round(float(np.percentile(a, 90)), 1),
                         "p99_ms": round(float(np.percentile(a, 99)), 1), "max_ms": round(float(a.max()), 1)}
    return summary


def cpu_seconds(root: int) -> float:
    """User + system CPU seconds of process ``root`` and its children (the uvicorn workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == root or ppid == root:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "ONRECORD_SERVE_LEDGER": str(db), "ONRECORD_SERVE_CACHE": f"{db}.cache",
           "PYTHONPATH": str(REPO / "src")}
    cmd = [sys.executable, "-m", "uvicorn", "onrecord.serve.app:app_from_env", "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    import httpx

    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:  # the speaker list waits for the per-speaker counts (built once per ledger state, then reused)
            if httpx.get(f"http://127.0.0.1:{port}/api/speakers", params={"limit": 1}, timeout=600).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not come up")


LINK_STANDIN = """
BEGIN;
DELETE FROM speaker_identity; DELETE FROM statement_identity; DELETE FROM article_duplicates;
DELETE FROM statement_stance; DELETE FROM statement_links;
INSERT INTO speaker_identity (key, name, type, aliases, roles, affiliations, forms, n_statements, n_articles,
                              first_seen, last_seen)
  SELECT 'person:' || lower(coalesce(speaker_name, '?')) || ':' || speaker_type, coalesce(speaker_name, '?'),
         speaker_type, json_array(substr(speaker_name, instr(speaker_name, ' ') + 1)),
         json_array(json_object('value', 'minister', 'first_seen', min(date), 'last_seen', max(date),
                                'count', count(*))),
         '[]', '[]', count(*), count(DISTINCT article_id), min(date), max(date)
  FROM statements GROUP BY speaker_name, speaker_type;
CREATE TEMP TABLE k AS SELECT id, name, type FROM speaker_identity;
CREATE INDEX temp.k_name ON k(name, type);
INSERT INTO statement_identity (statement_id, identity_id, form)
  SELECT s.id, k.id, 'f' FROM statements s JOIN k ON k.name = coalesce(s.speaker_name, '?') AND k.type = s.speaker_type;
UPDATE speakers SET identity_id = (SELECT k.id FROM k WHERE k.name = coalesce(speakers.name, '?') AND k.type = speakers.type);
INSERT INTO article_duplicates SELECT id, id - (id % 20), 0.9 FROM articles WHERE id % 20 IN (0, 1, 2) AND id >= 20;
INSERT INTO statement_stance
  SELECT id, CASE WHEN id % 2 THEN 'denial' ELSE 'confirmation' END FROM statements WHERE id % 97 = 0;
INSERT INTO statement_links (statement_id, target_statement_id, relation, score)
  SELECT id, id - 500, CASE WHEN id % 2 THEN 'denies' ELSE 'confirms' END, 0.6
  FROM statements WHERE id % 194 = 0 AND id > 500;
COMMIT;
"""


def linked_copy(db: Path) -> Path:
    """``<db>.linked.db``: a copy of the bench ledger with its cross-article tables filled (kept between runs)."""
    out = Path(f"{db}.linked.db")
    if out.exists() and out.stat().st_mtime >= db.stat().st_mtime:
        return out
    print(f"building {out} (a copy of the ledger, linked by SQL)", file=sys.stderr)
    tmp = Path(f"{out}.tmp")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    dst = sqlite3.connect(tmp)
    src.backup(dst)
    src.close()
    dst.isolation_level = None
    dst.execute("PRAGMA journal_mode=WAL")
    dst.execute("PRAGMA synchronous=OFF")
    dst.executescript(LINK_STANDIN)
    dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    dst.close()
    tmp.replace(out)
    return out


def to_identities(db: Path, plan: list[tuple[str, str, dict[str, Any]]]) -> list[tuple[str, str, dict[str, Any]]]:
    """The plan as a linked reading room is used: identity pages and identity filters."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    of_row = dict(conn.execute("SELECT id, identity_id FROM speakers"))
    of_name = dict(conn.execute("SELECT name, id FROM speaker_identity"))
    conn.close()
    out = []
    for kind, path, params in plan:
        if path.startswith("/api/speakers/"):
            path = f"/api/identities/{of_row[int(path.rsplit('/', 1)[1])]}"
        if "speaker" in params:
            params = {**{k: v for k, v in params.items() if k != "speaker"}, "identity": of_name[params["speaker"]]}
        out.append((kind, path, params))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=DEFAULT_DB)
    ap.add_argument("--statements", type=int, default=1_000_000)
    ap.add_argument("--rebuild", action="store_true", help="build the ledger even when --db exists")
    ap.add_argument("--rate", type=float, default=200.0, help="requests per second")
    ap.add_argument("--duration", type=float, default=25.0, help="seconds of load per mix")
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--mix", choices=["search", "speaker", "both", "all"], default="all",
                    help="which requests: 'all' runs search, then speaker, then both")
    ap.add_argument("--max-in-flight", type=int, default=64)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--linked", action="store_true", help="serve a linked copy of the ledger (see above)")
    ap.add_argument("--drive", default=None, help=argparse.SUPPRESS)  # internal: the load process
    ap.add_argument("--serve-db", type=Path, default=None, help=argparse.SUPPRESS)  # internal: the ledger served
    args = ap.parse_args()

    meta_path = Path(f"{args.db}.json")
    if args.drive:
        meta = json.loads(meta_path.read_text())
        plan = requests_plan(meta, int(args.rate * args.duration), args.mix)
        if args.linked:
            plan = to_identities(args.serve_db or args.db, plan)
        try:  # a cheaper event loop for the load process, when installed
            import uvloop

            uvloop.install()
        except ImportError:
            pass
        print(json.dumps(summarize(asyncio.run(drive(args.drive, plan, args.rate, args.max_in_flight)))))
        return

    if args.rebuild or not args.db.exists() or not meta_path.exists() or \
            json.loads(meta_path.read_text()).get("statements") != args.statements:
        print(f"building {args.db} ({args.statements:,} statements)", file=sys.stderr)
        build(args.db, args.statements)
    meta = json.loads(meta_path.read_text())
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    meta["speaker_rows"] = conn.execute("SELECT max(id) FROM speakers").fetchone()[0]
    n_statements = conn.execute("SELECT max(id) FROM statements").fetchone()[0]
    conn.close()
    meta_path.write_text(json.dumps(meta))

    served_db = linked_copy(args.db) if args.linked else args.db
    port = free_port()
    t0 = time.perf_counter()
    server = start_server(served_db, port, args.workers)
    ready_s = time.perf_counter() - t0
    report: dict[str, Any] = {"statements": n_statements, "linked": args.linked,
                              "rate_rps": args.rate, "duration_s": args.duration,
                              "workers": args.workers, "cpus": os.cpu_count(), "build_s": meta.get("build_s"),
                              "server_ready_s": round(ready_s, 1), "load_average_before": os.getloadavg()[0]}
    try:
        mixes = ["search", "speaker", "both"] if args.mix == "all" else [args.mix]
        for mix in mixes:
            cmd = [sys.executable, __file__, "--db", str(args.db), "--drive", f"http://127.0.0.1:{port}",
                   "--rate", str(args.rate), "--duration", str(args.duration), "--mix", mix,
                   "--max-in-flight", str(args.max_in_flight)] + (["--linked", "--serve-db", str(served_db)]
                                                                   if args.linked else [])
            cpu0 = cpu_seconds(server.pid)
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=args.duration * 4 + 60)
            if done.returncode != 0:
                raise SystemExit(done.stderr)
            report[mix] = json.loads(done.stdout.strip().splitlines()[-1])
            served = report[mix]["requests"] - report[mix]["unfinished"]
            report[mix]["server_cpu_ms_per_request"] = round((cpu_seconds(server.pid) - cpu0) * 1000 / max(1, served), 2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    print(f"ledger: {n_statements:,} statements{' (linked copy)' if args.linked else ''}; "
          f"server ready in {ready_s:.1f} s; load average before the run "
          f"{report['load_average_before']:.1f}; after {os.getloadavg()[0]:.1f}")
    print(f"{args.workers} uvicorn workers on {os.cpu_count()} CPUs; "
          f"open-loop {args.rate:g} req/s for {args.duration:g} s per mix; latency from scheduled send to last byte")
    print(f"{'mix':8} {'kind':8} {'n':>6} {'err':>4} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'ok req/s':>8} {'unfinished':>10} {'server CPU ms/req':>17}")
    for mix in (m for m in ("search", "speaker", "both") if m in report):
        r = report[mix]
        for kind in ("search", "speaker"):
            if kind in r:
                k = r[kind]
                print(f"{mix:8} {kind:8} {k['n']:6d} {k['errors']:4d} {k['p50_ms']:8.1f} {k['p90_ms']:8.1f} "
                      f"{k['p99_ms']:8.1f} {k['max_ms']:8.1f} {r['throughput_rps']:8.1f} {r['unfinished']:10d} "
                      f"{r['server_cpu_ms_per_request']:17.2f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
