"""``onrecord eval cofenet``: the CofeNet exact-span metric on their PolNeAR token files.

Their files are JSON Lines, one segment (a paragraph) per line, with ``tokens`` and
BIO ``labels`` over ``source`` / ``cue`` / ``content``; ``id`` is the PolNeAR
annotation file (article_annotator). Their figure: spans read from the BIO
sequences, a span counts when (type, start token, end token) match exactly,
micro P/R/F1 per role over all segments.

onrecord's side: the text of each segment is rebuilt by joining its tokens with
single spaces (PTB bracket and quote tokens mapped back: `` -> “, '' -> ”,
-LRB- -> (, ...), keeping every token's character offsets. By default the segments
of one id are joined with blank lines into one article, so the resolver sees the
context (``unit="segment"`` runs each segment alone). Predicted character spans are
mapped to token labels: a token is inside a span when it overlaps it; contents are
labelled first, then cues, then sources (the smaller roles win a shared token); every
span starts with a B- label.

Alignment: PolNeAR's contents of quotes include the quote marks (and the comma or
period before a closing mark), onrecord's exclude them; PolNeAR's reported clauses start at
the complementizer ("said [that the ...]"), onrecord's after it. With ``align_quotes`` (the
default) a predicted content is widened over an adjacent opening mark, over closing
punctuation plus a closing mark, and over a "that" right before it, so the same words give
the same tokens.
"""

from __future__ import annotations

import bisect
import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..extract.quotes import CLOSING_MARKS, OPENING_MARKS
from .scoring import Counts, PredStatement

ROLES: tuple[str, ...] = ("source", "cue", "content")

PTB = {"``": "“", "''": "”", "`": "‘", "-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]",
       "-LCB-": "{", "-RCB-": "}"}

Chunk = tuple[str, int, int]  # (type, first token, last token), inclusive like CofeNet


@dataclass(frozen=True)
class Segment:
    id: str
    tokens: tuple[str, ...]
    labels: tuple[str, ...]


def read_segments(path: str | Path) -> list[Segment]:
    """The segments of a CofeNet JSONL file, in file order."""
    out = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                tokens, labels = tuple(d["tokens"]), tuple(d["labels"])
            except (ValueError, KeyError) as e:
                raise ValueError(f"{path}:{lineno}: not a CofeNet segment ({e})") from e
            if len(tokens) != len(labels):
                raise ValueError(f"{path}:{lineno}: {len(tokens)} tokens but {len(labels)} labels")
            out.append(Segment(str(d.get("id", "")), tokens, labels))
    return out


def bio_chunks(labels: Sequence[str], strict: bool = False) -> set[Chunk]:
    """Spans of a BIO sequence.

    An ``I-X`` that follows ``O`` or another type opens a new span (the conlleval
    reading); with ``strict`` such a token is dropped instead.
    """
    chunks: set[Chunk] = set()
    kind: str | None = None
    start = 0
    for i, lab in enumerate(list(labels) + ["O"]):
        prefix, _, typ = lab.partition("-")
        continues = prefix == "I" and typ == kind
        if kind is not None and not continues:
            chunks.add((kind, start, i - 1))
            kind = None
        if prefix == "B" or (prefix == "I" and not continues and not strict):
            kind, start = typ, i
    return chunks


@dataclass
class SpanScore:
    """Micro counts per role."""

    roles: dict[str, Counts] = field(default_factory=lambda: {r: Counts() for r in ROLES})

    def add(self, gold: set[Chunk], pred: set[Chunk]) -> None:
        for role in ROLES:
            g = {c for c in gold if c[0] == role}
            p = {c for c in pred if c[0] == role}
            tp = len(g & p)
            self.roles[role].add(Counts(tp, len(p), tp, len(g)))

    def to_dict(self) -> dict[str, Any]:
        return {r: c.to_dict() for r, c in self.roles.items()}


def score_labels(gold: Iterable[Sequence[str]], pred: Iterable[Sequence[str]], strict: bool = False) -> SpanScore:
    """CofeNet's exact-span P/R/F1 of predicted label sequences against gold ones."""
    score = SpanScore()
    for g, p in zip(gold, pred, strict=True):
        score.add(bio_chunks(g, strict), bio_chunks(p, strict))
    return score


def detok(token: str) -> str:
    return PTB.get(token, token)


@dataclass
class Rebuilt:
    """Text rebuilt from segments, with each token's (start, end) and each segment's token range."""

    text: str
    offsets: list[tuple[int, int]]
    segments: list[tuple[int, int]]  # [first token, end token) per segment


def rebuild(segments: Sequence[Segment]) -> Rebuilt:
    """Tokens joined with spaces, segments with blank lines."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    ranges = []
    pos = 0
    for k, seg in enumerate(segments):
        if k:
            parts.append("\n\n")
            pos += 2
        first = len(offsets)
        for i, tok in enumerate(seg.tokens):
            if i:
                parts.append(" ")
                pos += 1
            t = detok(tok)
            parts.append(t)
            offsets.append((pos, pos + len(t)))
            pos += len(t)
        ranges.append((first, len(offsets)))
    return Rebuilt("".join(parts), offsets, ranges)


def labels_from_statements(rebuilt: Rebuilt, statements: Sequence[PredStatement]) -> list[str]:
    """Token BIO labels from predicted character spans (content first, then cue, then source)."""
    labels = ["O"] * len(rebuilt.offsets)
    starts = [a for a, _ in rebuilt.offsets]
    for role in ROLES[::-1]:  # content, cue, source
        for st in statements:
            frags = getattr(st, role)
            for a, b in frags or ():
                i = max(bisect.bisect_right(starts, a) - 1, 0)
                first = True
                while i < len(labels) and rebuilt.offsets[i][0] < b:
                    ta, tb = rebuilt.offsets[i]
                    if tb > a and ta < b:
                        labels[i] = ("B-" if first else "I-") + role
                        first = False
                    i += 1
    return labels


_CLOSING_PUNCT = ",.?!;:…"


def widen_over_quotes(text: str, a: int, b: int) -> tuple[int, int]:
    """(a, b) widened over an adjacent opening quote mark and closing punctuation + quote mark."""
    i = a - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    if i >= 0 and text[i] in OPENING_MARKS:
        a = i
    j = b
    while j < len(text) and (text[j] == " " or text[j] in _CLOSING_PUNCT):
        j += 1
    if j < len(text) and text[j] in CLOSING_MARKS:
        b = j + 1
    return a, b


def widen_over_that(text: str, a: int) -> int:
    """``a`` moved back over a complementizer right before it ("said [that] ...")."""
    i = a
    while i > 0 and text[i - 1] == " ":
        i -= 1
    if text[max(0, i - 4):i].lower() == "that" and (i == 4 or not text[i - 5].isalnum()):
        return i - 4
    return a


def align_quotes(text: str, statements: Sequence[PredStatement]) -> list[PredStatement]:
    """The statements with their contents widened over quote marks and a leading complementizer
    (see the module docstring)."""
    out = []
    for st in statements:
        content = tuple(widen_over_quotes(text, a, b) for a, b in st.content)
        if content:
            first_a, first_b = content[0]
            content = ((widen_over_that(text, first_a), first_b),) + content[1:]
        out.append(PredStatement(st.kind, content, st.cue, st.source, st.rule))
    return out


def group_by_id(segments: Sequence[Segment]) -> list[list[Segment]]:
    """Segments grouped by id, in order of first appearance."""
    groups: dict[str, list[Segment]] = {}
    for s in segments:
        groups.setdefault(s.id, []).append(s)
    return list(groups.values())


@dataclass
class CofenetResult:
    score: SpanScore
    segments: int
    units: int
    seconds: float
    unit: str

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "segments": self.segments, "units": self.units,
                "seconds": round(self.seconds, 3), "roles": self.score.to_dict()}


def predict_labels(segments: Sequence[Segment], system: Callable[[str], list[PredStatement]],
                   unit: str = "article", progress: Callable[[int], None] | None = None,
                   align: bool = True) -> list[list[str]]:
    """Predicted labels for every segment, in input order."""
    if unit not in ("article", "segment"):
        raise ValueError(f"unit must be 'article' or 'segment', not {unit!r}")
    groups = group_by_id(segments) if unit == "article" else [[s] for s in segments]
    cache: dict[str, list[PredStatement]] = {}
    by_segment: dict[int, list[str]] = {}
    for group in groups:
        rebuilt = rebuild(group)
        if rebuilt.text not in cache:
            cache[rebuilt.text] = system(rebuilt.text)
        statements = cache[rebuilt.text]
        if align:
            statements = align_quotes(rebuilt.text, statements)
        labels = labels_from_statements(rebuilt, statements)
        for seg, (a, b) in zip(group, rebuilt.segments):
            by_segment[id(seg)] = labels[a:b]
        if progress:
            progress(len(group))
    return [by_segment[id(s)] for s in segments]


def evaluate(segments: Sequence[Segment], system: Callable[[str], list[PredStatement]], unit: str = "article",
             strict: bool = False, progress: Callable[[int], None] | None = None, align: bool = True) -> CofenetResult:
    """The CofeNet exact-span figures of ``system`` over ``segments``."""
    t0 = time.perf_counter()
    pred = predict_labels(segments, system, unit, progress, align)
    seconds = time.perf_counter() - t0
    units = len(group_by_id(segments)) if unit == "article" else len(segments)
    return CofenetResult(score_labels([s.labels for s in segments], pred, strict), len(segments), units, seconds, unit)


def perturb(labels: Sequence[str], rng: random.Random, rate: float = 0.2) -> list[str]:
    """A copy of ``labels`` with the end of about ``rate`` of the spans moved one token (for scorer checks)."""
    out = list(labels)
    for _kind, _a, b in sorted(bio_chunks(labels)):
        if rng.random() < rate:
            if b + 1 < len(out) and out[b + 1] == "O":
                out[b + 1] = out[b].replace("B-", "I-")
            elif b > _a:
                out[b] = "O"
    return out


def self_check(segments: Sequence[Segment], seed: int = 0) -> tuple[SpanScore, SpanScore]:
    """Gold scored against itself (must be 1.0) and against a perturbed copy (must be lower)."""
    gold = [s.labels for s in segments]
    rng = random.Random(seed)
    return score_labels(gold, gold), score_labels(gold, [perturb(g, rng) for g in gold])


def format_score(name: str, score: SpanScore) -> str:
    lines = [f"{name}"]
    for role, c in score.roles.items():
        lines.append(f"  {role:<8} P {100 * c.precision:5.1f}  R {100 * c.recall:5.1f}  F1 {100 * c.f1:5.1f}"
                     f"   gold {c.n_gold:>5}  pred {c.n_pred:>5}")
    return "\n".join(lines) + "\n"
