"""Span scoring: one-to-one matching and P/R/F1 with breakdowns.

Gold and predicted spans become ``Item``s (a trimmed span plus tags such as
``kind`` and ``form``). Within each document, every candidate pair whose score
passes the criterion is ranked by score and taken greedily, so one prediction
matches at most one gold span and vice versa. Precision counts matched
predictions, recall matched golds; a breakdown by a tag counts predictions by
their own tag and golds by theirs (a direct gold matched by a prediction
labelled indirect counts in both rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .spans import OVERLAP_THRESHOLD, Frags, jaccard, overlaps, trim

ROLES: tuple[str, ...] = ("source", "cue", "content")
MODES: tuple[str, ...] = ("exact", "overlap")


@dataclass(frozen=True)
class PredStatement:
    """A system's statement as the scorer sees it: kind and untrimmed spans (None when absent)."""

    kind: str
    content: Frags
    cue: Frags | None = None
    source: Frags | None = None
    rule: str = ""


@dataclass(frozen=True)
class Item:
    """One span to match: its document, trimmed span, tags, and the index of the statement it came from."""

    doc: str
    span: Frags
    tags: Mapping[str, str] = field(default_factory=dict)
    ref: int = -1
    source: Frags | None = None  # attribution level: the statement's source span


@dataclass
class Counts:
    matched_pred: int = 0
    n_pred: int = 0
    matched_gold: int = 0
    n_gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.matched_pred += other.matched_pred
        self.n_pred += other.n_pred
        self.matched_gold += other.matched_gold
        self.n_gold += other.n_gold

    def to_dict(self) -> dict[str, Any]:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4), "f1": round(self.f1, 4),
                "n_gold": self.n_gold, "n_pred": self.n_pred, "tp": self.matched_gold}


@dataclass
class Tally:
    """Counts overall and by each tag value."""

    total: Counts = field(default_factory=Counts)
    by: dict[str, dict[str, Counts]] = field(default_factory=dict)

    def _cell(self, dim: str, value: str) -> Counts:
        return self.by.setdefault(dim, {}).setdefault(value, Counts())

    def count(self, golds: Sequence[Item], preds: Sequence[Item], pairs: Iterable[tuple[int, int]]) -> None:
        pairs = list(pairs)
        g_hit = {g for g, _ in pairs}
        p_hit = {p for _, p in pairs}
        self.total.add(Counts(len(p_hit), len(preds), len(g_hit), len(golds)))
        for i, g in enumerate(golds):
            for dim, value in g.tags.items():
                c = self._cell(dim, value)
                c.n_gold += 1
                c.matched_gold += i in g_hit
        for j, p in enumerate(preds):
            for dim, value in p.tags.items():
                c = self._cell(dim, value)
                c.n_pred += 1
                c.matched_pred += j in p_hit

    def to_dict(self) -> dict[str, Any]:
        return {**self.total.to_dict(),
                "by": {dim: {v: c.to_dict() for v, c in sorted(cells.items())}
                       for dim, cells in sorted(self.by.items())}}


Scorer = Callable[[Item, Item], float]


def exact_score(g: Item, p: Item) -> float:
    return 1.0 if g.span == p.span else 0.0


def overlap_score(g: Item, p: Item) -> float:
    j = jaccard(g.span, p.span)
    return j if j >= OVERLAP_THRESHOLD else 0.0


def attribution_score(g: Item, p: Item) -> float:
    """Content overlap, provided the prediction's source overlaps the gold source (when the gold has one)."""
    j = jaccard(g.span, p.span)
    if j < OVERLAP_THRESHOLD:
        return 0.0
    if g.source is not None and (p.source is None or not overlaps(g.source, p.source)):
        return 0.0
    return j


SCORERS: dict[str, Scorer] = {"exact": exact_score, "overlap": overlap_score, "attribution": attribution_score}


def match(golds: Sequence[Item], preds: Sequence[Item], score: Scorer) -> list[tuple[int, int, float]]:
    """A one-to-one matching, greedy by score: (gold index, prediction index, score) of each pair."""
    candidates = []
    for i, g in enumerate(golds):
        for j, p in enumerate(preds):
            if g.span[-1][1] <= p.span[0][0] or p.span[-1][1] <= g.span[0][0]:
                continue  # disjoint bounds: no criterion can pass
            s = score(g, p)
            if s > 0:
                candidates.append((-s, i, j))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for neg, i, j in candidates:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((i, j, -neg))
    return out


def by_doc(items: Iterable[Item]) -> dict[str, list[Item]]:
    out: dict[str, list[Item]] = {}
    for it in items:
        out.setdefault(it.doc, []).append(it)
    return out


Pairs = list[tuple[int, int, float]]


def score_items(golds: Iterable[Item], preds: Iterable[Item], score: Scorer) -> tuple[Tally, dict[str, Pairs]]:
    """Match per document and tally; also returns each document's pairs (indices into its item lists)."""
    g_docs, p_docs = by_doc(golds), by_doc(preds)
    tally = Tally()
    pairs_by_doc = {}
    for doc in sorted(set(g_docs) | set(p_docs)):
        gs, ps = g_docs.get(doc, []), p_docs.get(doc, [])
        pairs = match(gs, ps, score)
        pairs_by_doc[doc] = pairs
        tally.count(gs, ps, ((i, j) for i, j, _ in pairs))
    return tally, pairs_by_doc


def make_items(doc: str, text: str, spans: Sequence[Frags | None], tags: Sequence[Mapping[str, str]],
               sources: Sequence[Frags | None] | None = None, *, dedupe: bool = False) -> list[Item]:
    """Items for the non-empty (after trimming) spans; ``dedupe`` keeps the first of identical spans."""
    out: list[Item] = []
    seen: set[Frags] = set()
    for k, span in enumerate(spans):
        if not span:
            continue
        t = trim(text, span)
        if not t or (dedupe and t in seen):
            continue
        seen.add(t)
        src = None
        if sources is not None and sources[k]:
            src = trim(text, sources[k]) or None  # type: ignore[arg-type]
        out.append(Item(doc, t, tags[k], k, src))
    return out
