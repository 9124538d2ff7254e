"""Error categories: why a gold attribution was missed or a prediction was wrong.

Statements are paired by content overlap (Jaccard >= 0.5, one-to-one). Then:

- a gold relation left unpaired is *missed*: a belief/intention attribution (PolNeAR
  counts "X believes / wants / hopes ..."), a direct or mixed quote, an indirect
  statement with cue X, one without a cue, or a content boundary far off (a
  prediction overlaps it, but below 0.5);
- a pair can still be wrong: content too long / too short / shifted, source missing /
  wrong / boundary, cue missing / wrong, kind mismatch;
- a prediction overlapping no gold content is a *false positive*: a direct quote
  (scare quotes, titles, unattributed quotes) or narration with cue X.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .polnear import Labelled
from .scoring import match, overlap_score, make_items
from .spans import length, overlaps, text_of, trim

BELIEF_CUES = frozenset(
    "believe think want hope expect plan fear worry feel know intend consider seek wish doubt suspect assume "
    "understand decide refuse try aim prefer like love hate need favor favour support oppose endorse back "
    "see view regard recognize recognise realize realise remember forget trust predict anticipate "
    "envision imagine estimate".split()
)


def _stems(word: str) -> set[str]:
    w = word.lower()
    out = {w}
    for suf in ("ing", "ed", "es", "s", "d"):
        if w.endswith(suf) and len(w) > len(suf) + 2:
            base = w[: -len(suf)]
            out |= {base, base + "e"}
            if len(base) > 2 and base[-1] == base[-2]:
                out.add(base[:-1])
    if w.endswith("ies"):
        out.add(w[:-3] + "y")
    if w.endswith("ied"):
        out.add(w[:-3] + "y")
    return out


def is_belief_cue(cue: str) -> bool:
    """True when the cue is a verb of belief, intention or attitude rather than speech."""
    return any(_stems(w) & BELIEF_CUES for w in re.findall(r"[A-Za-z]+", cue))


def cue_key(cue: str | None) -> str:
    """A short normalised cue for grouping ("said", "according to", "told")."""
    if not cue:
        return "-"
    return " ".join(cue.lower().split())[:30]


@dataclass
class Diagnosis:
    """Error counts by (category, detail), and a few examples (document key, excerpt) per category."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, category: str, detail: str = "", example: tuple[str, str] | None = None) -> None:
        self.counts[(category, detail)] += 1
        if example is not None:
            ex = self.examples.setdefault(category, [])
            if len(ex) < 3:
                ex.append(example)

    def by_category(self) -> Counter[str]:
        out: Counter[str] = Counter()
        for (cat, _), n in self.counts.items():
            out[cat] += n
        return out

    def details(self, category: str, n: int = 5) -> list[tuple[str, int]]:
        """The most common details (cues, kind pairs) within a category."""
        sub = Counter({d: k for (c, d), k in self.counts.items() if c == category and d})
        return sub.most_common(n)

    def top(self, n: int = 10) -> list[tuple[str, int]]:
        """The ``n`` most common error types, each with its most common details (e.g. cues)."""
        out = []
        for cat, k in self.by_category().most_common(n):
            det = self.details(cat)
            out.append((f"{cat} ({', '.join(f'{d} {c}' for d, c in det)})" if det else cat, k))
        return out

    def to_dict(self, n: int = 20) -> dict[str, object]:
        return {"categories": dict(self.by_category().most_common()),
                "top": [{"error": cat, "count": k, "details": dict(self.details(cat, 10))}
                        for cat, k in self.by_category().most_common(n)]}


def _excerpt(text: str, a: int, b: int, width: int = 90) -> str:
    s = " ".join(text[a:b].split())
    return s if len(s) <= width else s[: width - 3] + "..."


def _without_that(text: str, span: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...] | None:
    """The span without a leading complementizer "that" (None when it has none)."""
    a, b = span[0]
    m = re.match(r"that\s+", text[a:b], re.I)
    if not m:
        return None
    return trim(text, ((a + m.end(), b),) + span[1:])


def diagnose(labelled: Iterable[Labelled]) -> Diagnosis:
    """Categorise every miss, every wrong pair and every false positive."""
    diag = Diagnosis()
    for lab in labelled:
        d, text = lab.doc, lab.doc.text
        golds = make_items(d.key, text, [r.content for r in d.relations], lab.gold_tags)
        preds = make_items(d.key, text, [p.content for p in lab.preds], lab.pred_tags)
        pairs = match(golds, preds, overlap_score)
        g_hit = {i for i, _, _ in pairs}
        p_hit = {j for _, j, _ in pairs}
        for i, g in enumerate(golds):
            if i in g_hit:
                continue
            rel = d.relations[g.ref]
            cue = text_of(text, rel.cue) if rel.cue else ""
            ex = (d.key, _excerpt(text, g.span[0][0], g.span[-1][1]))
            kind = g.tags["kind"]
            if any(overlaps(g.span, p.span) for p in preds):
                diag.add("missed: content boundary far off (overlap < 0.5)", "", ex)
            elif cue and is_belief_cue(cue):
                diag.add("missed belief/intention attribution, cue", cue_key(cue), ex)
            elif kind == "direct":
                diag.add("missed direct quote, cue", cue_key(cue), ex)
            elif kind == "mixed":
                diag.add("missed mixed quote, cue", cue_key(cue), ex)
            elif not cue:
                diag.add("missed attribution without cue", "", ex)
            else:
                diag.add("missed indirect, cue", cue_key(cue), ex)
        for i, j, _ in pairs:
            g, p = golds[i], preds[j]
            kind_pair = f"gold {g.tags['kind']}, predicted {p.tags['kind']}"
            rel, pred = d.relations[g.ref], lab.preds[p.ref]
            ex = (d.key, _excerpt(text, p.span[0][0], p.span[-1][1]))
            if g.span != p.span:
                lg, lp = length(g.span), length(p.span)
                if _without_that(text, g.span) == p.span:
                    diag.add("content boundary: leading 'that' left out (PolNeAR includes it)", "", ex)
                elif len(g.span) > 1 and any(a <= p.span[0][0] and p.span[-1][1] <= b for a, b in g.span):
                    diag.add("content: one part of a split quote (PolNeAR joins the parts)", "", ex)
                elif lp > lg:
                    diag.add("content boundary too long", "", ex)
                elif lp < lg:
                    diag.add("content boundary too short", "", ex)
                else:
                    diag.add("content boundary shifted", "", ex)
            if rel.source:
                gs = trim(text, rel.source)
                ps = trim(text, pred.source) if pred.source else ()
                if not ps:
                    diag.add("source missing", "", ex)
                elif not overlaps(gs, ps):
                    diag.add("wrong source", "", (d.key, f"gold {text_of(text, gs)!r} vs {text_of(text, ps)!r}"))
                elif gs != ps:
                    diag.add("source boundary", "", (d.key, f"gold {text_of(text, gs)!r} vs {text_of(text, ps)!r}"))
            elif pred.source:
                diag.add("source given where gold has none", "", ex)
            if rel.cue:
                gc = trim(text, rel.cue)
                pc = trim(text, pred.cue) if pred.cue else ()
                if not pc:
                    diag.add("cue missing", "", ex)
                elif not overlaps(gc, pc):
                    diag.add("wrong cue", "", (d.key, f"gold {text_of(text, gc)!r} vs {text_of(text, pc)!r}"))
            if g.tags["kind"] != p.tags["kind"]:
                diag.add("kind mismatch", kind_pair, ex)
        for j, p in enumerate(preds):
            if j in p_hit or any(overlaps(g.span, p.span) for g in golds):
                continue
            pred = lab.preds[p.ref]
            ex = (d.key, _excerpt(text, p.span[0][0], p.span[-1][1]))
            if p.tags["kind"] == "direct":
                diag.add("false positive direct quote (scare quote, title, unattributed)", "", ex)
            else:
                cue = text_of(text, pred.cue) if pred.cue else ""
                diag.add("false positive narration, cue", cue_key(cue), ex)
    return diag


def format_diagnosis(diag: Diagnosis, n: int = 10, examples: bool = True) -> str:
    """The ``n`` most common error types with counts (and a few examples per category)."""
    lines = [f"{'count':>6}  error type (most common details)"]
    for label, k in diag.top(n):
        lines.append(f"{k:>6}  {label}")
    if examples:
        lines.append("")
        lines.append("examples by category:")
        for cat, k in diag.by_category().most_common(n):
            lines.append(f"  {cat} ({k})")
            for key, ex in diag.examples.get(cat, []):
                lines.append(f"      {key}: {ex}")
    return "\n".join(lines) + "\n"
