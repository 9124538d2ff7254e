"""Character spans as fragment lists, and the two ways two spans can agree.

A span is a tuple of ``(start, end)`` fragments (brat allows discontinuous spans,
"a b;c d"). Before any comparison a span is *trimmed*: whitespace, punctuation
and quote marks are cut from both edges of every fragment, and fragments separated
only by such characters are merged. Then:

- exact: the trimmed fragment lists are identical;
- overlap: the character Jaccard of the trimmed spans is at least 0.5.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Frags = tuple[tuple[int, int], ...]

OVERLAP_THRESHOLD = 0.5


def _keep(ch: str) -> bool:
    """Characters that survive trimming at an edge: letters, digits and currency/percent signs."""
    return ch.isalnum() or ch in "$€£%"


def frags_of(pairs: Iterable[Sequence[int]]) -> Frags:
    """A sorted fragment tuple from (start, end) pairs; empty pairs are dropped."""
    return tuple(sorted((int(a), int(b)) for a, b in pairs if int(b) > int(a)))


def trim(text: str, frags: Frags) -> Frags:
    """``frags`` with non-word edges cut from each fragment and word-less gaps merged."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(frags):
        a, b = max(a, 0), min(b, len(text))
        while a < b and not _keep(text[a]):
            a += 1
        while b > a and not _keep(text[b - 1]):
            b -= 1
        if a >= b:
            continue
        if out:
            pa, pb = out[-1]
            if a <= pb or not any(_keep(c) for c in text[pb:a]):
                out[-1] = (pa, max(pb, b))
                continue
        out.append((a, b))
    return tuple(out)


def length(frags: Frags) -> int:
    return sum(b - a for a, b in frags)


def intersection(x: Frags, y: Frags) -> int:
    """Characters covered by both spans (fragments within a span do not overlap each other)."""
    total = 0
    i = j = 0
    while i < len(x) and j < len(y):
        a = max(x[i][0], y[j][0])
        b = min(x[i][1], y[j][1])
        if b > a:
            total += b - a
        if x[i][1] <= y[j][1]:
            i += 1
        else:
            j += 1
    return total


def jaccard(x: Frags, y: Frags) -> float:
    """|x ∩ y| / |x ∪ y| over character positions (0.0 when both are empty)."""
    inter = intersection(x, y)
    union = length(x) + length(y) - inter
    return inter / union if union else 0.0


def overlaps(x: Frags, y: Frags) -> bool:
    """True when the spans share at least one character."""
    return intersection(x, y) > 0


def subtract(x: Frags, cut: Frags) -> Frags:
    """The characters of ``x`` that are not in ``cut``, as fragments."""
    out: list[tuple[int, int]] = []
    for a, b in x:
        pieces = [(a, b)]
        for c, d in cut:
            nxt = []
            for p, q in pieces:
                if d <= p or c >= q:
                    nxt.append((p, q))
                    continue
                if p < c:
                    nxt.append((p, c))
                if d < q:
                    nxt.append((d, q))
            pieces = nxt
        out.extend(pieces)
    return tuple(sorted(out))


def text_of(text: str, frags: Frags, sep: str = " ") -> str:
    """The text of a span, fragments joined with ``sep``."""
    return sep.join(text[a:b] for a, b in frags)


def bounds(frags: Frags) -> tuple[int, int]:
    """(first start, last end) of a non-empty span."""
    return frags[0][0], frags[-1][1]
