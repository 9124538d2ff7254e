"""Stories: articles about the same event, grouped by shared names and words within a time window.

An article is described by its most distinctive terms (TF-IDF over the title and the lead,
capitalised names weighted up) plus the named speakers it quotes. Two articles published
within ``window_days`` of each other whose descriptions are similar enough (cosine) belong to
the same story; near-duplicates always do. Stories are the connected groups of such pairs.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .names import fold

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other
our out over own same she should so some such than that the their them then there these they this those through
to too under until up very was we were what when where which while who whom why will with would you your said
says say told mln pct year years week month new last first one two three would dlrs per cts may also reuter
reuters inc corp co ltd company group today yesterday monday tuesday wednesday thursday friday saturday sunday
january february march april june july august september october november december jan feb mar apr jun jul aug
sep sept oct nov dec billion million percent against including made make could added
""".split())


@dataclass(frozen=True)
class StoryConfig:
    """How many terms describe an article, how rare a term must be, and when two articles are one story."""

    window_days: int = 4
    top_terms: int = 15
    lead_chars: int = 1200
    max_df: float = 0.004
    min_max_df: int = 25
    threshold: float = 0.45
    min_shared: int = 3


@dataclass
class Doc:
    """What stories are built from: an article's id, date, title, text and the named speakers it quotes."""

    id: int
    date: str | None
    title: str = ""
    text: str = ""
    speakers: Iterable[str] = ()


@dataclass
class Story:
    """A group of articles; ``terms`` are the words its articles share most."""

    articles: list[int]
    first_date: str | None = None
    last_date: str | None = None
    title: str = ""
    terms: list[str] = field(default_factory=list)


def _terms(doc: Doc, lead_chars: int) -> Counter[str]:
    c: Counter[str] = Counter()
    text = f"{doc.title}\n{doc.title}\n{doc.text[:lead_chars]}"
    for m in _WORD.finditer(text):
        w = m.group()
        f = fold(w)
        if len(f) < 3 or f in STOPWORDS:
            continue
        c[f] += 2 if w[:1].isupper() and not w.isupper() else 1
    for s in doc.speakers:
        c["@" + s] += 3
    return c


def _day(d: str | None) -> int | None:
    if not d:
        return None
    try:
        return date.fromisoformat(d[:10]).toordinal()
    except ValueError:
        return None


def group_stories(docs: Iterable[Doc], dup_of: dict[int, int] | None = None,
                  config: StoryConfig = StoryConfig()) -> list[Story]:
    """Stories over ``docs``; every doc ends in exactly one story (most in a story of their own)."""
    docs = list(docs)
    dup_of = dup_of or {}
    counts = {d.id: _terms(d, config.lead_chars) for d in docs}
    df: Counter[str] = Counter()
    for c in counts.values():
        df.update(c.keys())
    n = max(len(docs), 1)
    max_df = max(config.min_max_df, int(config.max_df * n))
    vectors: dict[int, dict[str, float]] = {}
    for aid, c in counts.items():
        weighted = {t: (1 + math.log(tf)) * math.log(n / df[t]) for t, tf in c.items() if 1 < df[t] <= max_df}
        top = sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))[: config.top_terms]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vectors[aid] = {t: w / norm for t, w in top}

    parent: dict[int, int] = {d.id: d.id for d in docs}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for aid, cluster in dup_of.items():
        if aid in parent and cluster in parent:
            union(aid, cluster)

    days = {d.id: _day(d.date) for d in docs}
    postings: dict[str, list[int]] = defaultdict(list)
    pairs = 0
    for d in sorted(docs, key=lambda d: (days[d.id] or 0, d.id)):
        vec = vectors[d.id]
        dot: dict[int, float] = defaultdict(float)
        shared: Counter[int] = Counter()
        for t, w in vec.items():
            for other in postings[t]:
                dot[other] += w * vectors[other][t]
                shared[other] += 1
            postings[t].append(d.id)
        day = days[d.id]
        for other, score in dot.items():
            if score < config.threshold or shared[other] < config.min_shared:
                continue
            od = days[other]
            if day is not None and od is not None and abs(day - od) > config.window_days:
                continue
            pairs += 1
            union(d.id, other)
    members: dict[int, list[int]] = defaultdict(list)
    for d in docs:
        members[find(d.id)].append(d.id)
    by_id = {d.id: d for d in docs}
    stories = []
    for ids in members.values():
        ids.sort()
        dates = sorted(x for x in (by_id[i].date for i in ids) if x)
        term_counts: Counter[str] = Counter()
        for i in ids:
            term_counts.update(t for t in vectors[i] if not t.startswith("@"))
        first = min(ids, key=lambda i: (by_id[i].date or "9999", i))
        stories.append(Story(ids, dates[0][:10] if dates else None, dates[-1][:10] if dates else None,
                             by_id[first].title or "", [t for t, _ in term_counts.most_common(8)]))
    stories.sort(key=lambda s: s.articles[0])
    log.info("stories: %d articles, %d similar pairs, %d stories (%d with 2+ articles)", len(docs), pairs,
             len(stories), sum(len(s.articles) > 1 for s in stories))
    return stories
