"""Near-duplicate articles (a wire story republished by several outlets) with MinHash LSH.

Each article becomes the set of its word 3-grams; MinHash LSH proposes candidate pairs and
every candidate is checked on the exact sets: a pair is a duplicate when its Jaccard
similarity or its overlap (the share of the shorter text found in the longer) reaches the
threshold, and the two texts carry mostly the same figures (template stories such as dividend
notices share their wording but not their numbers). Duplicates are grouped transitively; a
cluster is named by its smallest article id.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import MissingExtra
from .names import fold

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")


@dataclass(frozen=True)
class DupConfig:
    """Shingle size, MinHash width, and the similarity a pair needs to be a duplicate."""

    shingle: int = 3
    num_perm: int = 64
    lsh_threshold: float = 0.3
    jaccard: float = 0.5
    overlap: float = 0.8
    min_shingles: int = 8
    numbers: float = 0.6  # share of the figures (of the text with fewer) both texts must carry


def shingles(text: str, k: int = 3) -> set[int]:
    """The hashed word ``k``-grams of ``text`` (case and accents ignored)."""
    words = _WORD.findall(fold(text))
    if len(words) < k:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i:i + k]).encode()) for i in range(len(words) - k + 1)}


def figures(text: str) -> set[str]:
    """The numbers in ``text``: amounts, dates and times that tell template stories apart."""
    return set(_NUMBER.findall(text))


def _same_figures(a: set[str], b: set[str], share: float) -> bool:
    if len(a) < 3 or len(b) < 3:
        return True
    return len(a & b) / min(len(a), len(b)) >= share


def _identity(x: int) -> int:
    return x


def similarity(a: set[int], b: set[int]) -> tuple[float, float]:
    """(Jaccard, overlap coefficient) of two shingle sets."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


def find_duplicates(docs: Iterable[tuple[int, str]], config: DupConfig = DupConfig()) -> dict[int, tuple[int, float]]:
    """Article id -> (cluster id, best similarity to another member) for every article that has a near duplicate."""
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise MissingExtra("near-duplicate detection", "links") from e

    sets: dict[int, set[int]] = {}
    numbers: dict[int, set[str]] = {}
    for aid, text in docs:
        s = shingles(text, config.shingle)
        if len(s) >= config.min_shingles:
            sets[aid] = s
            numbers[aid] = figures(text)
    ids = sorted(sets)
    lsh = MinHashLSH(threshold=config.lsh_threshold, num_perm=config.num_perm)
    hashes = MinHash.bulk((sets[i] for i in ids), num_perm=config.num_perm, hashfunc=_identity)
    with lsh.insertion_session() as session:
        for aid, mh in zip(ids, hashes):
            session.insert(aid, mh, check_duplication=False)

    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    best: dict[int, float] = {}
    checked = 0
    for aid, mh in zip(ids, hashes):
        for other in lsh.query(mh):
            if other <= aid:
                continue
            checked += 1
            jac, ovl = similarity(sets[aid], sets[other])
            if (jac >= config.jaccard or ovl >= config.overlap) and _same_figures(
                    numbers[aid], numbers[other], config.numbers):
                score = max(jac, ovl)
                best[aid] = max(best.get(aid, 0.0), score)
                best[other] = max(best.get(other, 0.0), score)
                ra, rb = find(aid), find(other)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    log.info("near-duplicates: %d articles, %d candidate pairs checked, %d in clusters", len(ids), checked, len(best))
    return {aid: (find(aid), best[aid]) for aid in best}
