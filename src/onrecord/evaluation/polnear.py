"""``onrecord eval polnear``: run a system over PolNeAR articles and score its statements.

Every article's .txt content is handed to the system as the exact body, so the
predicted offsets index the same text as the gold ones. Scores:

- per role (source, cue, content), exact and overlap (see ``spans``), one-to-one;
- attribution level: a predicted statement counts when its content overlaps a gold
  content (Jaccard >= 0.5) and its source mention overlaps that relation's gold source
  (any prediction will do for a relation without a source);
- each broken down by kind (direct / indirect / mixed) and by the speaker form of
  the source (name / pronoun / nominal / none).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Statement
from ..settings import Settings
from .brat import GoldDoc
from .labels import FORMS, KIND_LABELS, FormTagger, gold_kind, quoted_mask
from .scoring import MODES, ROLES, SCORERS, Item, PredStatement, Tally, by_doc, make_items, score_items
from .spans import Frags, subtract, text_of

System = Callable[[str], list[PredStatement]]


def _frags(span: Any) -> Frags | None:
    return ((span.start, span.end),) if span is not None and span.end > span.start else None


def from_statement(s: Statement) -> PredStatement:
    """The scorer's view of an onrecord Statement (the source is the speaker's literal mention).

    A content that holds its own cue or mention ('A, he said, B' as one span) loses them:
    in PolNeAR every character belongs to one role, so such a content is discontinuous.
    """
    cue, source = _frags(s.cue), _frags(s.speaker.mention)
    content = subtract(_frags(s.content) or (), (cue or ()) + (source or ()))
    return PredStatement(s.kind, content, cue, source, "learned" if "learned" in s.flags else "rules")


def merge_shared_cues(preds: Sequence[PredStatement]) -> list[PredStatement]:
    """Statements that share one cue span scored as one statement with a discontinuous content.

    '"A," she said, "B."' is one relation in PolNeAR (content "A" + "B"); onrecord reports
    the two halves as two statements with the same cue and speaker. The merged statement is
    direct when every part is, else mixed; its source is the first part's source.
    """
    out: list[PredStatement] = []
    by_cue: dict[Frags, int] = {}
    for p in preds:
        k = by_cue.get(p.cue) if p.cue else None
        if k is None:
            if p.cue:
                by_cue[p.cue] = len(out)
            out.append(p)
            continue
        first = out[k]
        content = tuple(sorted(set(first.content) | set(p.content)))
        kind = "direct" if first.kind == p.kind == "direct" else "mixed"
        out[k] = PredStatement(kind, content, first.cue, first.source or p.source, first.rule)
    return out


def onrecord_system(settings: Settings | None = None) -> System:
    """onrecord's ``extract_text`` as a system (warmed up: model and lexicons load before any timing)."""
    from ..api import extract_text

    settings = settings or Settings.load()
    extract_text('"The pier is open," the mayor said. She said that it would stay open.', settings=settings)

    def run(text: str) -> list[PredStatement]:
        record = extract_text(text, settings=settings)
        return [from_statement(s) for s in record.statements]

    return run


@dataclass
class Run:
    """A system's predictions per document key, and the time it took."""

    system: str
    preds: dict[str, list[PredStatement]]
    articles: int
    seconds: float

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def run_system(name: str, system: System, docs: Sequence[GoldDoc],
               progress: Callable[[int], None] | None = None, merge: bool = True) -> Run:
    """Predictions for every document; each article is processed once even with several annotators.

    With ``merge`` statements sharing a cue are scored as one (see ``merge_shared_cues``).
    """
    by_article: dict[str, list[PredStatement]] = {}
    start = time.perf_counter()
    for doc in docs:
        if doc.name not in by_article:
            preds = system(doc.text)
            by_article[doc.name] = merge_shared_cues(preds) if merge else preds
            if progress:
                progress(1)
    seconds = time.perf_counter() - start
    return Run(name, {d.key: by_article[d.name] for d in docs}, len(by_article), seconds)


@dataclass
class Evaluation:
    """All figures of one system on one set of documents."""

    system: str
    documents: int
    articles: int
    seconds: float
    roles: dict[str, dict[str, Tally]] = field(default_factory=dict)  # role -> mode -> tally
    attribution: Tally = field(default_factory=Tally)
    kind_accuracy: float = 0.0  # among attribution-level matches, share whose kind agrees with the gold kind

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    def figures(self) -> dict[str, float]:
        """Flat F1 figures (``source.exact``, ..., ``attribution``), the ones the gate pins."""
        out = {f"{role}.{mode}": self.roles[role][mode].total.f1 for role in ROLES for mode in MODES}
        out["attribution"] = self.attribution.total.f1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "documents": self.documents,
            "articles": self.articles,
            "seconds": round(self.seconds, 3),
            "articles_per_s": round(self.articles_per_s, 3),
            "roles": {r: {m: t.to_dict() for m, t in modes.items()} for r, modes in self.roles.items()},
            "attribution": self.attribution.to_dict(),
            "kind_accuracy": round(self.kind_accuracy, 4),
        }


@dataclass
class Labelled:
    """Gold and predicted statements of one document with their breakdown tags."""

    doc: GoldDoc
    preds: list[PredStatement]
    gold_tags: list[dict[str, str]]
    pred_tags: list[dict[str, str]]


def label(docs: Sequence[GoldDoc], run: Run, forms: FormTagger) -> list[Labelled]:
    """Kind and speaker-form tags for every gold relation and every prediction."""
    g_mentions = [text_of(d.text, r.source) if r.source else None for d in docs for r in d.relations]
    p_mentions = [text_of(d.text, p.source) if p.source else None for d in docs for p in run.preds.get(d.key, [])]
    g_forms = iter(forms.forms(g_mentions))
    p_forms = iter(forms.forms(p_mentions))
    out = []
    for d in docs:
        mask = quoted_mask(d.text)
        gt = [{"kind": gold_kind(d.text, r.content, mask), "form": next(g_forms)} for r in d.relations]
        preds = run.preds.get(d.key, [])
        pt = [{"kind": p.kind, "form": next(p_forms), "origin": p.rule or "-"} for p in preds]
        out.append(Labelled(d, preds, gt, pt))
    return out


def role_items(labelled: Iterable[Labelled], role: str) -> tuple[list[Item], list[Item]]:
    """Gold and predicted items of one role; identical predicted spans count once."""
    golds: list[Item] = []
    preds: list[Item] = []
    for lab in labelled:
        d = lab.doc
        golds += make_items(d.key, d.text, [getattr(r, role) for r in d.relations], lab.gold_tags)
        preds += make_items(d.key, d.text, [getattr(p, role) for p in lab.preds], lab.pred_tags, dedupe=True)
    return golds, preds


def attribution_items(labelled: Iterable[Labelled]) -> tuple[list[Item], list[Item]]:
    golds: list[Item] = []
    preds: list[Item] = []
    for lab in labelled:
        d = lab.doc
        golds += make_items(d.key, d.text, [r.content for r in d.relations], lab.gold_tags,
                            [r.source for r in d.relations])
        preds += make_items(d.key, d.text, [p.content for p in lab.preds], lab.pred_tags,
                            [p.source for p in lab.preds])
    return golds, preds


def evaluate(docs: Sequence[GoldDoc], run: Run, forms: FormTagger | None = None) -> tuple[Evaluation, list[Labelled]]:
    """Every figure of ``run`` against ``docs``."""
    labelled = label(docs, run, forms or FormTagger())
    ev = Evaluation(run.system, len(docs), run.articles, run.seconds)
    for role in ROLES:
        golds, preds = role_items(labelled, role)
        ev.roles[role] = {mode: score_items(golds, preds, SCORERS[mode])[0] for mode in MODES}
    golds, preds = attribution_items(labelled)
    ev.attribution, pairs = score_items(golds, preds, SCORERS["attribution"])
    g_docs, p_docs = by_doc(golds), by_doc(preds)
    agree = total = 0
    for doc, doc_pairs in pairs.items():
        for i, j, _ in doc_pairs:
            total += 1
            agree += g_docs[doc][i].tags["kind"] == p_docs[doc][j].tags["kind"]
    ev.kind_accuracy = agree / total if total else 0.0
    return ev, labelled


# ---------------------------------------------------------------- rendering

BREAKDOWNS: tuple[tuple[str, tuple[str, ...]], ...] = (("kind", KIND_LABELS), ("form", FORMS))
# where an onrecord statement comes from: the rule-based finder or the learned tagger (flag "learned")
ORIGINS = {"rules": "found by the rules", "learned": "found by the learned tagger"}


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def format_table(evals: Sequence[Evaluation], breakdowns: bool = True) -> str:
    """A plain-text report: P/R/F1 per role and mode, attribution level, breakdowns, throughput."""
    lines = []
    head = f"{'system':<10} {'figure':<18} {'P':>5} {'R':>5} {'F1':>5} {'gold':>6} {'pred':>6}"
    lines.append(head)
    lines.append("-" * len(head))
    for ev in evals:
        for name, t in _figure_rows(ev):
            c = t.total
            lines.append(f"{ev.system:<10} {name:<18} {_pct(c.precision)} {_pct(c.recall)} {_pct(c.f1)} "
                         f"{c.n_gold:>6} {c.n_pred:>6}")
        lines.append(f"{ev.system:<10} {'kind accuracy':<18} {_pct(ev.kind_accuracy)}   (among attribution matches)")
        for origin, c in sorted(ev.attribution.by.get("origin", {}).items()):
            if origin in ORIGINS:
                lines.append(f"{ev.system:<10} {'P of ' + origin:<18} {_pct(c.precision)}   "
                             f"(attribution level, {c.n_pred} statements {ORIGINS[origin]})")
        lines.append(f"{ev.system:<10} {'throughput':<18} {ev.articles_per_s:.2f} articles/s "
                     f"({ev.articles} articles in {ev.seconds:.1f} s)")
        lines.append("")
    if breakdowns:
        for dim, values in BREAKDOWNS:
            lines.append(f"F1 by {dim} (overlap for spans; recall counts golds of that {dim}, "
                         "precision predictions of it)")
            heads = " ".join(f"{h:>13}" for h in ("source", "cue", "content", "attribution"))
            lines.append(f"{'system':<10} {dim:<9} {heads} {'gold':>6}")
            for ev in evals:
                for v in values:
                    cells = []
                    n_gold = 0
                    for t in [ev.roles[r]["overlap"] for r in ROLES] + [ev.attribution]:
                        cell = t.by.get(dim, {}).get(v)
                        cells.append(f"{_pct(cell.recall)}/{_pct(cell.f1)}" if cell else f"{'-':>13}")
                        if cell and t is ev.attribution:
                            n_gold = cell.n_gold
                    lines.append(f"{ev.system:<10} {v:<9} " + " ".join(f"{x:>13}" for x in cells) + f" {n_gold:>6}")
            lines.append("  (cells: recall/F1)")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _figure_rows(ev: Evaluation) -> list[tuple[str, Tally]]:
    """The headline figures of one system, in report order: each role and mode, then the attribution level."""
    rows: list[tuple[str, Tally]] = [(f"{r} {m}", ev.roles[r][m]) for r in ROLES for m in MODES]
    rows.append(("attribution", ev.attribution))
    return rows


def format_markdown(evals: Sequence[Evaluation]) -> str:
    """The same figures as Markdown tables (the ones in docs/accuracy.md)."""
    out = ["| system | figure | P | R | F1 | gold | predicted |", "|---|---|---|---|---|---|---|"]
    for ev in evals:
        for name, t in _figure_rows(ev):
            c = t.total
            out.append(f"| {ev.system} | {name} | {_pct(c.precision).strip()} | {_pct(c.recall).strip()} | "
                       f"{_pct(c.f1).strip()} | {c.n_gold} | {c.n_pred} |")
    out.append("")
    out.append("| system | throughput | kind accuracy (attribution matches) | attribution P: rules / learned |")
    out.append("|---|---|---|---|")
    for ev in evals:
        origin = ev.attribution.by.get("origin", {})
        by_origin = " / ".join(f"{_pct(origin[o].precision).strip()} ({origin[o].n_pred})" if o in origin else "-"
                               for o in ORIGINS)
        out.append(f"| {ev.system} | {ev.articles_per_s:.2f} articles/s ({ev.articles} in {ev.seconds:.0f} s) | "
                   f"{_pct(ev.kind_accuracy).strip()} | {by_origin if origin.keys() & ORIGINS.keys() else '-'} |")
    for dim, values in BREAKDOWNS:
        out.append("")
        out.append(f"| system | {dim} | gold | source R / F1 | cue R / F1 | content R / F1 | attribution R / F1 |")
        out.append("|---|---|---|---|---|---|---|")
        for ev in evals:
            for v in values:
                cells = []
                for t in [ev.roles[r]["overlap"] for r in ROLES] + [ev.attribution]:
                    cell = t.by.get(dim, {}).get(v)
                    ok = cell is not None and cell.n_gold > 0
                    cells.append(f"{_pct(cell.recall).strip()} / {_pct(cell.f1).strip()}" if cell and ok else "-")
                n = ev.attribution.by.get(dim, {}).get(v)
                out.append(f"| {ev.system} | {v} | {n.n_gold if n else 0} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"
