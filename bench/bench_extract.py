"""Extraction throughput and peak memory, side by side with spaCy's full pipeline.

    python bench/bench_extract.py                  # both corpora, every article, 3 rounds
    python bench/bench_extract.py --limit 60 --rounds 1
    python bench/bench_extract.py --stress         # also time one paragraph with 10,000 quote marks

Each run is a fresh subprocess (so peak RSS is its own); runs alternate baseline /
onrecord so both see the same machine load. Modes:

    baseline   nlp.pipe over the article texts, every component, spaCy's default (BLIS) ops
    onrecord     extract.parse.parse_many (selective parse, paragraphs of several articles per
                 batch) + extract.attributions.find_attributions
    per-article  the same, one article at a time (extract.parse.parse)
    pipeline     extract.pipeline.extract_articles (adds speaker, channel and date resolution)

--jobs N adds a run of each non-baseline mode over N worker processes (fork).

Texts come from ../shared/data (wikinews-sample/articles.jsonl, polnear/data/dev/text).
"""

from __future__ import annotations

import argparse
import glob
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "data"
CORPORA = {
    "wikinews": SHARED / "wikinews-sample" / "articles.jsonl",
    "polnear-dev": SHARED / "polnear" / "data" / "dev" / "text",
}
MODES = ("baseline", "onrecord", "per-article", "pipeline")
WARMUP = 3


def load_texts(corpus: str, limit: int | None) -> list[str]:
    path = CORPORA[corpus]
    if corpus == "wikinews":
        texts = [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line.strip()]
    else:
        texts = [Path(f).read_text("utf-8") for f in sorted(glob.glob(str(path / "*.txt")))]
    return texts[:limit] if limit else texts


def _shard(args: tuple[str, list[str]]) -> tuple[int, float]:
    """Statements found in ``texts`` and the CPU seconds it took (one process of a --jobs run)."""
    mode, texts = args
    c0 = time.process_time()
    return _extract(mode, texts), time.process_time() - c0


def _extract(mode: str, texts: list[str]) -> int:
    from onrecord import nlp as nlp_mod
    from onrecord.extract.attributions import find_attributions
    from onrecord.extract.parse import parse, parse_many
    from onrecord.extract.pipeline import extract_articles
    from onrecord.model import Article
    from onrecord.settings import Settings

    settings = Settings.load()
    nlp = nlp_mod.load(settings.model, numpy_gemm=settings.numpy_gemm)
    if mode == "baseline":
        for _ in nlp.pipe(texts):
            pass
        return 0
    if mode == "onrecord":
        return sum(len(find_attributions(p, settings)) for p in parse_many((Article(text=t) for t in texts), nlp))
    if mode == "per-article":
        return sum(len(find_attributions(parse(Article(text=t), nlp), settings)) for t in texts)
    return sum(len(r.statements) for r in extract_articles((Article(text=t) for t in texts), settings))


def _init_worker() -> None:
    from onrecord import nlp as nlp_mod
    from onrecord.settings import Settings

    settings = Settings.load()
    nlp_mod.load(settings.model, numpy_gemm=settings.numpy_gemm)


def worker(mode: str, corpus: str, limit: int | None, jobs: int = 1) -> dict[str, object]:
    """One measured run (inside its own process)."""
    texts = load_texts(corpus, limit)
    t0 = time.perf_counter()
    from onrecord import nlp as nlp_mod
    from onrecord.settings import Settings

    settings = Settings.load()
    # the baseline keeps spaCy's default ops (BLIS); onrecord's loader may route gemm to numpy
    nlp_mod.load(settings.model, numpy_gemm=settings.numpy_gemm if mode != "baseline" else False)
    load_s = time.perf_counter() - t0
    _extract(mode, texts[:WARMUP])
    if jobs > 1:
        import multiprocessing

        shards = [(mode, texts[i::jobs]) for i in range(jobs)]
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_init_worker) as pool:
            pool.map(_shard, [(mode, texts[:WARMUP])] * jobs)
            t0 = time.perf_counter()
            results = pool.map(_shard, shards)
            seconds = time.perf_counter() - t0
        statements, cpu = sum(r[0] for r in results), sum(r[1] for r in results)
    else:
        t0, c0 = time.perf_counter(), time.process_time()
        statements = _extract(mode, texts)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    words = sum(len(t.split()) for t in texts)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if jobs > 1:
        rss += jobs * resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # an upper bound
    return {"mode": mode if jobs == 1 else f"{mode} x{jobs}", "corpus": corpus, "articles": len(texts),
            "words": words, "seconds": seconds, "cpu": cpu, "load_s": load_s, "statements": statements,
            "peak_rss_mb": rss / 1024}


def run_one(mode: str, corpus: str, limit: int | None, jobs: int = 1) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--worker", mode, "--corpus", corpus, "--jobs", str(jobs)]
    if limit:
        cmd += ["--limit", str(limit)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def stress() -> str:
    from onrecord.extract.attributions import find_attributions
    from onrecord.extract.parse import paragraph_bounds, parse
    from onrecord.extract.quotes import find_quotes
    from onrecord.model import Article
    from onrecord.settings import Settings

    lines = []
    for mark in ('"', "“"):
        text = ("word " + mark) * 10_000
        t0 = time.perf_counter()
        find_quotes(text, paragraph_bounds(text))
        pair_s = time.perf_counter() - t0
        parsed = parse(Article(text=text))
        t0 = time.perf_counter()
        n = len(find_attributions(parsed, Settings.load()))
        find_s = time.perf_counter() - t0
        lines.append(f"| 10,000 `{mark}` in one paragraph | pairing {pair_s * 1000:.0f} ms | "
                     f"find_attributions {find_s * 1000:.0f} ms ({n} statements) |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="articles per corpus (default: all)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating runs per mode (median reported)")
    ap.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    ap.add_argument("--modes", default="baseline,onrecord", help=f"comma-separated, from {', '.join(MODES)}")
    ap.add_argument("--stress", action="store_true", help="time a paragraph with 10,000 quote marks")
    ap.add_argument("--jobs", type=int, default=1, help="also run each non-baseline mode over N processes")
    ap.add_argument("--worker", choices=MODES, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.corpus, args.limit, args.jobs)))
        return
    corpora = list(CORPORA) if args.corpus == "all" else [args.corpus]
    missing = [str(CORPORA[c]) for c in corpora if not CORPORA[c].exists()]
    if missing:
        sys.exit(f"../shared/data not present: {', '.join(missing)}")
    plan = [(m, 1) for m in args.modes.split(",")]
    if args.jobs > 1:
        plan += [(m, args.jobs) for m, _ in plan if m != "baseline"]
    print(f"# bench_extract: {' '.join(sys.argv[1:]) or '(defaults)'}; median of {args.rounds} alternating runs\n")
    print("| corpus | mode | articles | words | wall s | words/s | articles/s | peak RSS MB | statements "
          "| wall vs baseline | CPU s | CPU vs baseline |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for corpus in corpora:
        runs: dict[str, list[dict[str, object]]] = {}
        for _ in range(args.rounds):
            for m, jobs in plan:
                r = run_one(m, corpus, args.limit, jobs)
                runs.setdefault(str(r["mode"]), []).append(r)
        base = statistics.median(float(r["seconds"]) for r in runs["baseline"]) if "baseline" in runs else None
        base_cpu = statistics.median(float(r["cpu"]) for r in runs["baseline"]) if "baseline" in runs else None
        for m, rs in runs.items():
            s = statistics.median(float(r["seconds"]) for r in rs)
            cpu = statistics.median(float(r["cpu"]) for r in rs)
            r0 = rs[0]
            ratio = f"{base / s:.2f}x" if base else "-"
            cpu_ratio = f"{base_cpu / cpu:.2f}x" if base_cpu else "-"
            print(f"| {corpus} | {m} | {r0['articles']} | {r0['words']} | {s:.1f} | {int(r0['words']) / s:,.0f} | "
                  f"{int(r0['articles']) / s:.2f} | {max(float(r['peak_rss_mb']) for r in rs):.0f} | "
                  f"{r0['statements']} | {ratio} | {cpu:.1f} | {cpu_ratio} |")
        sys.stdout.flush()
    if args.stress:
        print("\n| stress | quote pairing | attribution finding |\n|---|---|---|")
        print(stress())


if __name__ == "__main__":
    main()
