"""The cross-article pass against ingest: seconds to link a ledger beside seconds to ingest it.

    python bench/bench_links.py --limit 1500            # engine statements: ingest, then link
    python bench/bench_links.py --stand-in              # all 19k Reuters articles, regex statements

Reads Reuters-21578 from ../shared/data (never copied into the repo). The first mode runs
``onrecord ingest`` (all cores) on the first --limit articles with text, then ``onrecord link``,
each in a fresh process, and prints both times and their ratio. The second sizes the link pass
on the whole corpus without waiting for the engine: every article goes into the ledger with the
statements a one-line stand-in finds ("<Capitalised Name> said <clause>."), so the duplicates,
stories, identities and denials steps all see realistic volumes; its ingest figure is the
first mode's articles/s applied to the corpus size (pass --ingest-rate).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REUTERS = ROOT / ".." / "shared" / "data" / "reuters-21578" / "articles.jsonl.gz"
SAID = re.compile(r"((?:[A-Z][\w.'-]+ ){0,3}[A-Z][\w.'-]+) (said|denied|confirmed) (?:that )?([^.]{10,300})\.")


def articles(limit: int | None) -> list[dict]:
    if not REUTERS.exists():
        sys.exit(f"{REUTERS} not present: the link benchmark reads Reuters-21578 from ../shared/data")
    out = []
    with gzip.open(REUTERS, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d.get("text"):
                out.append({"id": d["id"], "title": d["title"], "date": (d["date"] or "")[:10] or None,
                            "outlet": "Reuters", "text": d["text"]})
                if limit and len(out) >= limit:
                    break
    return out


def timed(cmd: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return time.perf_counter() - start, proc.stdout


def stand_in_ledger(db: Path, rows: list[dict]) -> int:
    """Every article with stand-in statements, written through ``Ledger.add``; returns the statement count."""
    from onrecord.model import Article, Record, Speaker, Span, Statement
    from onrecord.store import Ledger

    n = 0
    with Ledger.open(db) as ledger, ledger.transaction():
        for d in rows:
            text = " ".join(d["text"].split())
            said = []
            for m in SAID.finditer(text):
                name, verb = m.group(1), m.group(2)
                kind = "person" if len(name.split()) >= 2 else "organization"
                said.append(Statement("indirect", Span.of(text, m.start(3), m.end(3)),
                                      Span.of(text, m.start(2), m.end(2)),
                                      Speaker(name, kind, Span.of(text, m.start(1), m.end(1))),
                                      flags=("denial",) if verb == "denied" else ()))
            n += len(said)
            ledger.add(Record(Article(text=text, id=d["id"], title=d["title"], published=d["date"],
                                      outlet="Reuters"), tuple(said)))
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=1500, help="articles for the engine run")
    ap.add_argument("--stand-in", action="store_true", help="the whole corpus with stand-in statements")
    ap.add_argument("--ingest-rate", type=float, default=None, help="articles/s of an engine ingest (stand-in mode)")
    args = ap.parse_args()
    onrecord = [sys.executable, "-m", "onrecord.cli.main"]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "ledger.db"
        if args.stand_in:
            rows = articles(None)
            start = time.perf_counter()
            n = stand_in_ledger(db, rows)
            print(f"stand-in ledger: {len(rows)} articles, {n} statements in {time.perf_counter() - start:.1f} s")
            ingest_s = len(rows) / args.ingest_rate if args.ingest_rate else None
        else:
            rows = articles(args.limit)
            src = Path(tmp) / "reuters.jsonl"
            src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
            ingest_s, _ = timed([*onrecord, "ingest", str(src), "--db", str(db), "--no-progress"])
            print(f"ingest: {len(rows)} articles in {ingest_s:.1f} s ({len(rows) / ingest_s:.2f} articles/s)")
        link_s, out = timed([*onrecord, "link", "--db", str(db), "--format", "json"])
        result = json.loads(out)
        print(f"link: {link_s:.1f} s wall (steps: {result['timings']})")
        print(f"counts: {result['counts']}")
        if ingest_s:
            print(f"link / ingest = {link_s / ingest_s:.4f} (ingest {ingest_s:.0f} s"
                  f"{', extrapolated' if args.stand_in else ''})")


if __name__ == "__main__":
    main()
