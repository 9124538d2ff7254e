"""Train the attribution tagger (a linear-chain CRF) on PolNeAR train and score it on PolNeAR dev.

    python eval/train_tagger.py --data ../shared/data/polnear --out src/onrecord/models/tagger

writes ``<out>.crfsuite`` (the CRF: averaged perceptron, 40 passes), ``<out>.cues.txt`` (cue words seen
in training, a feature lexicon), ``<out>.triggers.txt`` (the words that are part of a cue in at least 30 %
of their occurrences in training: a sentence without one is not worth tagging) and ``<out>.json`` (the
temperature for the marginals, fitted on dev, and the training settings), then prints per-role P/R/F1 on dev as JSON (exact span match after trimming edge
whitespace, punctuation and quote marks; overlap = character Jaccard >= 0.5; one-to-one matching).
The test split is never read.

Parses are cached under ``--cache`` (default /tmp/onrecord_tagger) so a second run only re-trains.
``--score-only`` scores the model at ``--out`` on dev without training; ``--triggers-only`` writes only
``<out>.triggers.txt``; ``--harness`` adds the figures
of ``onrecord.evaluation.polnear`` with the tagger as the whole system.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("train_tagger")

ROLES = ("Source", "Cue", "Content")
LETTER = {"Source": "S", "Cue": "C", "Content": "Q"}


@dataclass
class GoldAttribution:
    source: list[tuple[int, int]]
    cue: list[tuple[int, int]]
    content: list[tuple[int, int]]


@dataclass
class GoldArticle:
    name: str
    text: str
    attributions: list[GoldAttribution]


def read_ann(path: Path) -> list[GoldAttribution]:
    """The attribution relations (E lines) of one brat file, each role as a list of character fragments."""
    spans: dict[str, list[tuple[int, int]]] = {}
    events: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, mid, _ = (line.split("\t") + ["", ""])[:3]
            label, _, offs = mid.partition(" ")
            frags = []
            for piece in offs.split(";"):
                nums = piece.split()
                if len(nums) == 2:
                    frags.append((int(nums[0]), int(nums[1])))
            spans[tid] = frags
        elif line.startswith("E"):
            events.append(line.split("\t")[1])
    out = []
    for ev in events:
        args = dict(part.split(":", 1) for part in ev.split())
        out.append(GoldAttribution(
            source=spans.get(args.get("Source", ""), []),
            cue=spans.get(args.get("Cue", ""), []),
            content=spans.get(args.get("Content", ""), []),
        ))
    return out


def read_split(data: Path, split: str) -> list[GoldArticle]:
    """One annotation file per article (the first annotator in sorted order)."""
    base = data / "data" / split
    anns: dict[str, list[Path]] = {}
    for p in sorted((base / "attributions").glob("*.ann")):
        name = p.stem.rsplit("_", 1)[0]
        anns.setdefault(name, []).append(p)
    out = []
    for txt in sorted((base / "text").glob("*.txt")):
        name = txt.stem
        if name not in anns:
            continue
        out.append(GoldArticle(name, txt.read_text(encoding="utf-8"), read_ann(anns[name][0])))
    return out


# ---------------------------------------------------------------- parsing and labels


def parse_split(articles: list[GoldArticle], cache: Path, split: str, n_process: int) -> list[list]:
    """Paragraph docs per article, parsed like the pipeline does (cached as a DocBin)."""
    from spacy.tokens import DocBin

    from onrecord import nlp as nlp_mod
    from onrecord.extract.parse import paragraph_bounds

    nlp = nlp_mod.load()
    path = cache / f"{split}.spacy"
    bounds = [paragraph_bounds(a.text) for a in articles]
    texts = [a.text[s:e] for a, bs in zip(articles, bounds) for s, e in bs]
    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab)) if path.exists() else []
    if [d.text for d in docs] != texts:  # no cache, or one cut into paragraphs another way
        t0 = time.time()
        docs = list(nlp.pipe(texts, batch_size=64, n_process=n_process))
        db = DocBin(store_user_data=False)
        for d in docs:
            db.add(d)
        cache.mkdir(parents=True, exist_ok=True)
        db.to_disk(path)
        log.info("parsed %s: %d paragraphs in %.0fs", split, len(texts), time.time() - t0)
    out, i = [], 0
    for bs in bounds:
        out.append([(s, docs[i + k]) for k, (s, _) in enumerate(bs)])
        i += len(bs)
    return out


def gold_labels(article: GoldArticle, paras: list, scheme: str) -> list[list[str]]:
    """BIO labels per token of each paragraph, nested attributions flattened by ``scheme``.

    ``inner``: cue and source spans win over the content that contains them;
    ``outer``: content wins over the cue and source spans nested inside it.
    """
    n = len(article.text)
    role_at = [""] * n
    span_id = [-1] * n
    # outer: write S/C first then content over them; inner: content first then S/C over it
    order = ("Content", "Source", "Cue") if scheme == "inner" else ("Source", "Cue", "Content")
    sid = 0
    for role in order:
        for att in article.attributions:
            frags = {"Source": att.source, "Cue": att.cue, "Content": att.content}[role]
            for a, b in frags:
                sid += 1
                for c in range(a, min(b, n)):
                    role_at[c] = LETTER[role]
                    span_id[c] = sid
    labels = []
    for start, doc in paras:
        labs, prev = [], None
        for t in doc:
            if t.is_space:
                labs.append("O")
                prev = None
                continue
            a = start + t.idx
            chars = [c for c in range(a, a + len(t.text)) if role_at[c]]
            if not chars:
                labs.append("O")
                prev = None
                continue
            c = Counter((role_at[c], span_id[c]) for c in chars).most_common(1)[0][0]
            role, sid_ = c
            labs.append(("I-" if prev == (role, sid_) else "B-") + role)
            prev = (role, sid_)
        labels.append(labs)
    return labels


# ---------------------------------------------------------------- scoring

_EDGE = "[\\s\"'“”‘’«»,.;:!?()\\-–—]"


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    s = text[a:b]
    m = re.match(f"^{_EDGE}*", s)
    lead = m.end() if m else 0
    m2 = re.search(f"{_EDGE}*$", s[lead:])
    tail = len(s[lead:]) - (m2.start() if m2 else len(s[lead:]))
    return a + lead, b - tail


def _spans_of(text: str, frags: list[tuple[int, int]], hull: bool) -> list[tuple[int, int]]:
    """The trimmed gold spans of one role: each fragment, or the hull of a discontinuous span."""
    if not frags:
        return []
    pieces = [(min(f[0] for f in frags), max(f[1] for f in frags))] if hull else frags
    out = [_trim(text, a, b) for a, b in pieces]
    return [(a, b) for a, b in out if b > a]


def _match(gold: list[tuple[int, int]], pred: list[tuple[int, int]], exact: bool) -> int:
    """Greedy one-to-one matching; exact = same trimmed offsets, else character Jaccard >= 0.5."""
    used: set[int] = set()
    hits = 0
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if exact:
                if g == p:
                    pairs.append((1.0, i, j))
            else:
                inter = max(0, min(g[1], p[1]) - max(g[0], p[0]))
                if inter:
                    union = max(g[1], p[1]) - min(g[0], p[0])
                    jac = inter / union
                    if jac >= 0.5:
                        pairs.append((jac, i, j))
    pairs.sort(reverse=True)
    gused: set[int] = set()
    for _, i, j in pairs:
        if i in gused or j in used:
            continue
        gused.add(i)
        used.add(j)
        hits += 1
    return hits


def score(golds: list[GoldArticle], preds: list[dict[str, list[tuple[int, int]]]],
          hull: bool = False) -> dict[str, dict[str, float]]:
    """Per-role P/R/F1, exact and overlap, over unique spans per article.

    Discontinuous gold spans count fragment by fragment, or as one hull span with ``hull``.
    """
    tallies = {(r, m): [0, 0, 0] for r in ROLES for m in ("exact", "overlap")}
    for art, pred in zip(golds, preds):
        for role in ROLES:
            g = set()
            for att in art.attributions:
                frags = {"Source": att.source, "Cue": att.cue, "Content": att.content}[role]
                g.update(_spans_of(art.text, frags, hull))
            p = {s for s in (_trim(art.text, a, b) for a, b in pred.get(role, [])) if s[1] > s[0]}
            gl, pl = sorted(g), sorted(p)
            for mode in ("exact", "overlap"):
                h = _match(gl, pl, mode == "exact")
                t = tallies[(role, mode)]
                t[0] += h
                t[1] += len(pl)
                t[2] += len(gl)
    out: dict[str, dict[str, float]] = {}
    for (role, mode), (h, np_, ng) in tallies.items():
        p = h / np_ if np_ else 0.0
        r = h / ng if ng else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[f"{role}/{mode}"] = {"P": round(p, 4), "R": round(r, 4), "F1": round(f, 4), "gold": ng, "pred": np_}
    return out


def bio_spans(paras: list, labels: list[list[str]]) -> dict[str, list[tuple[int, int]]]:
    """Article character spans per role from BIO labels."""
    from onrecord.extract.tagger import spans_from_bio

    out: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
    name = {"S": "Source", "C": "Cue", "Q": "Content"}
    for (start, doc), labs in zip(paras, labels):
        for role, i, j in spans_from_bio(labs):
            out[name[role]].append((start + doc[i].idx, start + doc[j - 1].idx + len(doc[j - 1].text)))
    return out


def grouped_spans(tagger, golds: list[GoldArticle], paras: list[list]) -> list[dict[str, list[tuple[int, int]]]]:
    """Role spans of the Attributions the tagger builds (content pieces without a cue included)."""
    from onrecord.extract.types import Paragraph, Parsed
    from onrecord.model import Article

    out = []
    for art, ps in zip(golds, paras):
        parsed = Parsed(Article(text=art.text), [Paragraph(i, s, s + len(d.text), d) for i, (s, d) in enumerate(ps)])
        roles: dict[str, set[tuple[int, int]]] = {r: set() for r in ROLES}
        for a in tagger.attributions(parsed):
            roles["Content"].add((a.content.start, a.content.end))
            if a.cue:
                roles["Cue"].add((a.cue.start, a.cue.end))
            if a.source:
                roles["Source"].add((a.source.start, a.source.end))
        out.append({r: sorted(v) for r, v in roles.items()})
    return out


def fit_temperature(tagger, golds: list[GoldArticle], paras: list[list], scheme: str) -> float:
    """The temperature minimising the negative log-likelihood of the gold labels (dev articles).

    A log-spaced grid from 1 to 10^5 (perceptron weights are large), then a finer grid around the best.
    """
    import numpy

    from onrecord.extract.tagger import doc_features

    w = tagger.weights
    col = {lab: k for k, lab in enumerate(w.labels)}
    cached = []
    for art, ps in zip(golds, paras):
        for (_, doc), labs in zip(ps, gold_labels(art, ps, scheme)):
            if len(doc):
                gold = numpy.array([col.get(lab, col["O"]) for lab in labs])
                cached.append((w.scores(doc_features(doc, tagger.cues)), gold))
    def nll(t: float) -> float:
        total = 0.0
        for sc, gold in cached:
            m = w.marginals_of(sc, t)
            total -= float(numpy.log(numpy.maximum(m[numpy.arange(len(gold)), gold], 1e-12)).sum())
        log.info("temperature %.4g: dev NLL %.0f", t, total)
        return total

    best = min((10 ** (k / 2) for k in range(11)), key=nll)
    return round(min((best * 10 ** (k / 8) for k in range(-3, 4)), key=nll), 3)


def harness_figures(tagger, data: Path) -> dict[str, float]:
    """Dev F1 figures from ``onrecord.evaluation.polnear`` with the tagger as the whole system."""
    from onrecord import nlp as nlp_mod
    from onrecord.evaluation.brat import load_split
    from onrecord.evaluation.polnear import evaluate, run_system
    from onrecord.evaluation.scoring import PredStatement
    from onrecord.extract.parse import parse
    from onrecord.model import Article

    nlp = nlp_mod.load()

    def system(text: str) -> list[PredStatement]:
        atts = tagger.attributions(parse(Article(text=text), nlp))
        frag = (lambda s: ((s.start, s.end),) if s is not None else None)
        return [PredStatement(a.kind, frag(a.content), frag(a.cue), frag(a.source), "tagger") for a in atts]

    docs = list(load_split(data, "dev"))
    ev, _ = evaluate(docs, run_system("tagger", system, docs))
    out = {k: round(v, 4) for k, v in ev.figures().items()}
    out["articles_per_s"] = round(ev.articles_per_s, 2)
    return out


def cue_rates(train_paras: list[list], labels: list[list[list[str]]], min_count: int) -> dict[str, float]:
    """For each word form (lower case) part of a cue at least ``min_count`` times in training, the share
    of its occurrences that are."""
    seen: Counter[str] = Counter()
    cue: Counter[str] = Counter()
    for ps, ls in zip(train_paras, labels):
        for (_, doc), labs in zip(ps, ls):
            for t, lab in zip(doc, labs):
                if t.is_alpha:
                    seen[t.lower_] += 1
                    if lab.endswith("-C"):
                        cue[t.lower_] += 1
    return {w: c / seen[w] for w, c in cue.items() if c >= min_count}


def trigger_words(rates: dict[str, float], min_rate: float) -> list[str]:
    """The word forms of ``rates`` that are part of a cue in at least ``min_rate`` of their uses."""
    return sorted(w for w, r in rates.items() if r >= min_rate)


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="the PolNeAR folder (with data/train, data/dev)")
    ap.add_argument("--out", type=Path, required=True, help="model path prefix, e.g. src/onrecord/models/tagger")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/onrecord_tagger"))
    ap.add_argument("--scheme", choices=("inner", "outer"), default="inner")
    ap.add_argument("--algorithm", choices=("ap", "lbfgs", "l2sgd"), default="ap",
                    help="crfsuite training algorithm (ap: averaged perceptron, the best on dev)")
    ap.add_argument("--c1", type=float, default=0.05, help="L1 weight (lbfgs only)")
    ap.add_argument("--c2", type=float, default=1.0, help="L2 weight (lbfgs, l2sgd)")
    ap.add_argument("--iterations", type=int, default=40, help="passes (ap, l2sgd) or iterations (lbfgs)")
    ap.add_argument("--minfreq", type=float, default=3, help="drop features seen fewer times (keeps the model small)")
    ap.add_argument("--min-cue-count", type=int, default=3)
    ap.add_argument("--n-process", type=int, default=2)
    ap.add_argument("--min-trigger-rate", type=float, default=0.3,
                    help="share of a word's occurrences inside a cue that makes it a trigger word")
    ap.add_argument("--min-parse-rate", type=float, default=0.5,
                    help="share that makes a trigger word worth parsing a paragraph the rules would skip")
    ap.add_argument("--score-only", action="store_true")
    ap.add_argument("--triggers-only", action="store_true", help="write only <out>.triggers.txt")
    ap.add_argument("--parse-only", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the dev scores here")
    ap.add_argument("--harness", action="store_true",
                    help="also score with onrecord's PolNeAR harness (pipeline parse, attributions as statements)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    if not (args.data / "data" / "train").is_dir():
        log.error("%s has no data/train: point --data at the PolNeAR folder", args.data)
        return 2
    train = [] if args.score_only else read_split(args.data, "train")
    dev = read_split(args.data, "dev")
    train_paras = parse_split(train, args.cache, "train", args.n_process) if train else []
    dev_paras = parse_split(dev, args.cache, "dev", args.n_process)
    if args.parse_only:
        return 0

    from onrecord.extract import tagger as tg

    model = args.out.with_suffix(".crfsuite")
    cues_path = args.out.with_suffix(".cues.txt")
    if train:
        labels = [gold_labels(a, ps, args.scheme) for a, ps in zip(train, train_paras)]
        rates = cue_rates(train_paras, labels, args.min_cue_count)
        triggers = trigger_words(rates, args.min_trigger_rate)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.with_suffix(".triggers.txt").write_text("\n".join(triggers) + "\n", encoding="utf-8")
        log.info("%d trigger words (cue rate >= %.2f)", len(triggers), args.min_trigger_rate)
        strong = trigger_words(rates, args.min_parse_rate)
        args.out.with_suffix(".parse_triggers.txt").write_text("\n".join(strong) + "\n", encoding="utf-8")
        log.info("%d parse trigger words (cue rate >= %.2f)", len(strong), args.min_parse_rate)
        if args.triggers_only:
            return 0
    if not args.score_only:
        import pycrfsuite

        t0 = time.time()
        cue_words: Counter[str] = Counter()
        for ps, ls in zip(train_paras, labels):
            for (_, doc), labs in zip(ps, ls):
                for t, lab in zip(doc, labs):
                    if lab.endswith("-C") and tg.coarse(t.tag_) in tg.CUE_CLASSES:
                        cue_words[t.lower_] += 1
        cues = sorted(w for w, c in cue_words.items() if c >= args.min_cue_count)
        model.parent.mkdir(parents=True, exist_ok=True)
        cues_path.write_text("\n".join(cues) + "\n", encoding="utf-8")
        lexicon = frozenset(cues)
        trainer = pycrfsuite.Trainer(algorithm=args.algorithm, verbose=False)
        n_tok = 0
        for ps, ls in zip(train_paras, labels):
            for (_, doc), labs in zip(ps, ls):
                if len(doc) == 0:
                    continue
                trainer.append(tg.doc_features(doc, lexicon), labs)
                n_tok += len(doc)
        log.info("features for %d tokens in %.0fs", n_tok, time.time() - t0)
        params: dict[str, object] = {"max_iterations": args.iterations, "feature.possible_transitions": True,
                                     "feature.minfreq": args.minfreq}
        if args.algorithm == "lbfgs":
            params.update({"c1": args.c1, "c2": args.c2})
        elif args.algorithm == "l2sgd":
            params.update({"c2": args.c2})
        trainer.set_params(params)
        t1 = time.time()
        trainer.train(str(model))
        log.info("trained in %.0fs: %s (%.1f MB)", time.time() - t1, model, model.stat().st_size / 1e6)

    meta_path = args.out.with_suffix(".json")
    tagger = tg.Tagger.from_files(model, cues_path, meta_path)
    if not args.score_only or not meta_path.is_file():
        tagger.temperature = fit_temperature(tagger, dev, dev_paras, args.scheme)
        meta = {"temperature": tagger.temperature, "algorithm": args.algorithm, "iterations": args.iterations,
                "minfreq": args.minfreq, "scheme": args.scheme, "c1": args.c1, "c2": args.c2,
                "trained_on": "PolNeAR v1.0.0 train (first annotation per article)", "labels": ["S", "C", "Q"]}
        meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    t2 = time.time()
    preds = []
    n_tok = 0
    from onrecord.extract.types import Paragraph

    for art, ps in zip(dev, dev_paras):
        labs = [tagger.tag(Paragraph(i, s, s + len(d.text), d)) for i, (s, d) in enumerate(ps)]
        n_tok += sum(len(d) for _, d in ps)
        preds.append(bio_spans(ps, labs))
    dt = time.time() - t2
    res = score(dev, preds)
    res["_hull"] = score(dev, preds, hull=True)
    res["_grouped"] = score(dev, grouped_spans(tagger, dev, dev_paras))
    res["_speed"] = {"tokens": n_tok, "seconds": round(dt, 2), "tokens_per_s": round(n_tok / dt)}
    res["_params"] = {"algorithm": args.algorithm, "scheme": args.scheme, "c1": args.c1, "c2": args.c2,
                      "iterations": args.iterations, "minfreq": args.minfreq}
    if args.harness:
        res["_harness"] = harness_figures(tagger, args.data)
    print(json.dumps(res, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
