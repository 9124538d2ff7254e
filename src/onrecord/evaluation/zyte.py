"""``onrecord eval zyte``: the Zyte article-extraction benchmark's own metric.

Per page, the gold and extracted bodies become multisets of token 4-gram shingles
(tokens: the regex ``\\w+``; a text of fewer than four tokens is one shingle). TP,
FP and FN are the multiset overlap and the two differences, normalised to sum to
one per page; precision and recall are macro-averaged over pages as the benchmark
does (the normalised counts are summed, then P = TP / (TP + FP), R = TP / (TP + FN)),
F1 is the harmonic mean of the averaged P and R, ± is the bootstrap standard deviation
of F1 over 1000 resamples of the pages, and accuracy is the share of pages whose
token sequences match exactly.
"""

from __future__ import annotations

import gzip
import json
import logging
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"\w+", re.UNICODE)

Extractor = Callable[[bytes, str | None], str]


def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = tokens(text)
    return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i:i + n])


def page_counts(gold: str | None, pred: str | None, n: int = 4) -> tuple[float, float, float]:
    """(TP, FP, FN) of one page's shingles, normalised to sum to one (all zero when both are empty)."""
    g, p = shingles(gold, n), shingles(pred, n)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Metrics:
    precision: float
    recall: float
    f1: float
    f1_std: float
    accuracy: float
    pages: int

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _prf(counts: Sequence[tuple[float, float, float]]) -> tuple[float, float, float]:
    tp = sum(c[0] for c in counts)
    fp = sum(c[1] for c in counts)
    fn = sum(c[2] for c in counts)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def metrics(golds: Sequence[str], preds: Sequence[str], *, bootstrap: int = 1000, seed: int = 0) -> Metrics:
    """The benchmark's figures for aligned lists of gold and extracted bodies."""
    counts = [page_counts(g, p) for g, p in zip(golds, preds, strict=True)]
    p, r, f1 = _prf(counts)
    rng = random.Random(seed)
    samples = [_prf([rng.choice(counts) for _ in counts])[2] for _ in range(bootstrap)] if counts else []
    std = statistics.pstdev(samples) if len(samples) > 1 else 0.0
    acc = sum(tokens(g) == tokens(q) for g, q in zip(golds, preds)) / len(golds) if golds else 0.0
    return Metrics(p, r, f1, std, acc, len(counts))


@dataclass(frozen=True)
class Page:
    id: str
    url: str | None
    html: bytes
    gold: str


def load_pages(root: str | Path, limit: int | None = None) -> list[Page]:
    """The benchmark's pages (``html/<id>.html.gz``) with their gold ``articleBody``, sorted by id."""
    root = Path(root)
    truth_file = root / "ground-truth.json"
    if not truth_file.is_file():
        raise FileNotFoundError(f"no ground-truth.json in {root}")
    truth = json.loads(truth_file.read_text("utf-8"))
    ids = sorted(truth)[:limit] if limit is not None else sorted(truth)
    pages = []
    for pid in ids:
        path = root / "html" / f"{pid}.html.gz"
        if not path.is_file():
            log.warning("no HTML for %s", pid)
            continue
        gold = truth[pid].get("articleBody") or ""
        pages.append(Page(pid, truth[pid].get("url"), gzip.decompress(path.read_bytes()), gold))
    return pages


def onrecord_extractor() -> Extractor:
    """onrecord's HTML reader: the body text of ``onrecord.read.html.article_from_html`` ("" on an error record)."""
    from ..errors import InputError
    from ..read.html import article_from_html

    def run(html: bytes, url: str | None) -> str:
        try:
            return article_from_html(html, source=url or "-", meta={"url": url} if url else {}).text
        except InputError:
            return ""

    return run


def trafilatura_extractor(**options: Any) -> Extractor:
    """``trafilatura.extract`` with its defaults (comments left out), or ``options``."""
    import trafilatura

    opts = {"include_comments": False, **options}

    def run(html: bytes, url: str | None) -> str:
        return trafilatura.extract(html.decode("utf-8", errors="replace"), url=url, **opts) or ""

    return run


@dataclass
class ZyteRun:
    name: str
    metrics: Metrics
    seconds: float

    @property
    def pages_per_s(self) -> float:
        return self.metrics.pages / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, **self.metrics.to_dict(), "seconds": round(self.seconds, 3),
                "pages_per_s": round(self.pages_per_s, 2)}


def run_extractor(name: str, extractor: Extractor, pages: Sequence[Page],
                  progress: Callable[[int], None] | None = None, bootstrap: int = 1000) -> ZyteRun:
    """Extract every page (one warm-up call first, not timed) and score the bodies."""
    if pages:
        extractor(pages[0].html, pages[0].url)
    preds = []
    seconds = 0.0
    for page in pages:
        t0 = time.perf_counter()
        try:
            preds.append(extractor(page.html, page.url))
        except Exception as e:  # a page that breaks an extractor scores as empty, the run goes on
            log.warning("%s failed on %s: %s", name, page.id, e)
            preds.append("")
        seconds += time.perf_counter() - t0
        if progress:
            progress(1)
    return ZyteRun(name, metrics([p.gold for p in pages], preds, bootstrap=bootstrap), seconds)


def format_runs(runs: Sequence[ZyteRun]) -> str:
    lines = [f"{'extractor':<24} {'F1':>6} {'±':>6} {'P':>6} {'R':>6} {'acc':>6} {'pages/s':>8}"]
    for r in runs:
        m = r.metrics
        lines.append(f"{r.name:<24} {m.f1:6.3f} {m.f1_std:6.3f} {m.precision:6.3f} {m.recall:6.3f} "
                     f"{m.accuracy:6.3f} {r.pages_per_s:8.1f}")
    return "\n".join(lines) + "\n"
