"""Reader throughput and peak memory, side by side with trafilatura's default extraction.

    python bench/bench_read.py                 # Zyte HTML pages and Wikinews JSONL texts, 3 rounds
    python bench/bench_read.py --rounds 1 --limit 60
    python bench/bench_read.py --big 20        # also one generated HTML page of 20 MB

Each run is a fresh subprocess (so peak RSS is its own); runs alternate baseline / onrecord so both
see the same machine load. Modes:

    baseline   trafilatura.extract(html) with its defaults (no metadata)
    html       onrecord.read.html.article_from_html (body, paragraphs, quotes, metadata)
    text       onrecord.read.text.article_from_text over the Wikinews texts (chrome, captions, dates)

Pages come from ../shared/data (zyte-article-extraction-benchmark/html, wikinews-sample/articles.jsonl).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "data"
ZYTE = SHARED / "zyte-article-extraction-benchmark" / "html"
WIKINEWS = SHARED / "wikinews-sample" / "articles.jsonl"


def _inputs(mode: str, limit: int | None, big_mb: int) -> list[str | bytes]:
    if mode == "big":
        para = '<p>The council said on day {i} that works number {i} would resume, and residents said they ' \
               'were "tired of waiting" for repair {i}.</p>\n'
        parts, size, i = [], 0, 0
        while size < big_mb * 1_000_000:
            p = para.format(i=i)
            parts.append(p)
            size += len(p)
            i += 1
        return ["<html><head><title>Big</title></head><body><article>" + "".join(parts) + "</article></body></html>"]
    if mode == "text":
        return [json.loads(line)["text"] for line in WIKINEWS.open(encoding="utf-8")][:limit]
    return [gzip.decompress(p.read_bytes()) for p in sorted(ZYTE.glob("*.html.gz"))][:limit]


def run_one(mode: str, limit: int | None, big_mb: int) -> dict[str, float]:
    """One timed pass in this process (called in a subprocess)."""
    if mode in ("baseline", "big-baseline"):
        import trafilatura

        def fn(x):
            return trafilatura.extract(x, include_comments=False) or ""
    elif mode == "text":
        from onrecord.read.text import article_from_text

        def fn(x):
            return article_from_text(x).text
    else:
        from onrecord.read.html import article_from_html

        def fn(x):
            return article_from_html(x).text
    items = _inputs("big" if mode.startswith("big") else ("text" if mode == "text" else "html"), limit, big_mb)
    fn(items[0]) if not mode.startswith("big") else None  # warm-up: imports, caches
    start = time.perf_counter()
    chars = 0
    for x in items:
        try:
            chars += len(fn(x))
        except Exception:  # an error record counts as a page read
            pass
    elapsed = time.perf_counter() - start
    return {"pages": len(items), "seconds": elapsed, "chars": chars,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _spawn(mode: str, limit: int | None, big_mb: int) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", mode, "--big", str(big_mb)] + (["--limit", str(limit)] if limit else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--big", type=int, default=0, help="also time one generated HTML page of this many MB")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.limit, args.big)))
        return
    if not ZYTE.exists() or not WIKINEWS.exists():
        sys.exit(f"../shared/data not present: need {ZYTE} and {WIKINEWS}")
    pairs = [("baseline", "html"), ("text", None)]
    if args.big:
        pairs.append(("big-baseline", "big"))
    for base, mine in pairs:
        runs: dict[str, list[dict[str, float]]] = {base: [], mine or "": []}
        for _ in range(args.rounds):
            runs[base].append(_spawn(base, args.limit, args.big))
            if mine:
                runs[mine].append(_spawn(mine, args.limit, args.big))
        for mode, rs in runs.items():
            if not rs:
                continue
            rate = statistics.median(r["pages"] / r["seconds"] for r in rs)
            print(f"{mode:13s} pages={int(rs[0]['pages']):4d}  pages/s={rate:8.2f}  "
                  f"s/page={1 / rate:7.3f}  peak RSS={max(r['maxrss_mb'] for r in rs):7.1f} MB")
        if mine:
            ratio = statistics.median(r["seconds"] for r in runs[mine]) / statistics.median(r["seconds"] for r in runs[base])
            print(f"{'':13s} {mine} takes {ratio:.2f}x the time of {base}")


if __name__ == "__main__":
    main()
