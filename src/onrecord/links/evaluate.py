"""Scores for the cross-article pass: speaker merging, near-duplicates, denial detection and linking.

    python -m onrecord.links.evaluate [--db LEDGER] [--relink] [--shared ../shared] [--json]
                                      [--thresholds 0.3,0.4,0.5,0.6,0.7]

Gold sets live in ``eval/links/`` as article ids, character offsets into the article's text
as ``../shared`` holds it, and labels (no article text): ``speakers.json`` (who really said
each statement), ``denials.json`` (whether each statement denies, confirms or neither),
``denial_links.json`` (what each denial or confirmation denies or confirms, and the articles
added to the ledger for it) and ``corpus.json`` (the articles the ledger is built from).
Near-duplicate pairs are made by code from Reuters-21578 texts (``make_copy``) with a fixed
seed, so only the recipe is stored. A gold statement is found again in the ledger by its
content (located in the ledger's copy of the article with the words before it, whitespace
aside) and the largest overlap with the ledger's statements, so the sets survive reader and
engine changes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import random
import re
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

from .duplicates import DupConfig, find_duplicates
from .names import compatible, parse_person

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[3]
GOLD = REPO / "eval" / "links"
SHARED = REPO / ".." / "shared"
CORPORA = {"wikinews": "data/wikinews-sample/articles.jsonl", "reuters": "data/reuters-21578/articles.jsonl.gz"}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def read_corpus(shared: Path, ids: set[str] | None = None) -> Iterator[dict[str, Any]]:
    """Articles of the Wikinews sample and Reuters-21578 (those in ``ids`` when given), as JSONL rows."""
    for rel in CORPORA.values():
        path = shared / rel
        if not path.exists():
            raise FileNotFoundError(f"{path} not present: the evaluation reads ../shared/{rel}")
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:  # type: ignore[operator]
            for line in f:
                d = json.loads(line)
                if d.get("text") and (ids is None or d["id"] in ids):
                    yield {"id": d["id"], "title": d.get("title"), "date": (d.get("date") or "")[:10] or None,
                           "outlet": d.get("outlet"), "url": d.get("url"), "text": d["text"]}


# -- matching gold statements to the ledger --------------------------------------------------------------------

def _collapsed(text: str) -> tuple[str, list[int]]:
    """``text`` with runs of whitespace as one space, and the index in ``text`` of each kept character."""
    out, where = [], []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
        else:
            out.append(ch)
            where.append(i)
            space = False
    return "".join(out), where


def locate(snippet: str, text: str, near: int | None = None) -> tuple[int, int] | None:
    """Offsets of ``snippet`` in ``text``, ignoring differences in whitespace; None when absent.

    With ``near``, the occurrence that starts closest to that offset ("the rumors" twice in an article).
    """
    flat, where = _collapsed(text)
    needle = " ".join(snippet.split())
    i = flat.find(needle)
    if i < 0 or not needle:
        return None
    if near is not None:
        hits = []
        while i >= 0:
            hits.append(i)
            i = flat.find(needle, i + 1)
        i = min(hits, key=lambda h: abs(where[h] - near))
    return where[i], where[i + len(needle) - 1] + 1


class _Matcher:
    """Gold offsets (into the ../shared text of an article) -> the ledger's statement with that content."""

    def __init__(self, conn: sqlite3.Connection, sources: dict[str, str]) -> None:
        self.article = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT ext_id, id, text FROM articles")}
        self.sources = sources
        self.statements: dict[int, list[tuple[int, int, int]]] = {}
        for sid, aid, a, b in conn.execute("SELECT id, article_id, content_start, content_end FROM statements"):
            self.statements.setdefault(aid, []).append((a, b, sid))

    @staticmethod
    def place(source: str, start: int, end: int, text: str) -> tuple[int, int] | None:
        """Where ``source[start:end]`` is in ``text``: located with the words before it, so that a short
        snippet ("the rumors", "him") is not taken for an earlier occurrence; the snippet alone if that fails."""
        for pad in (80, 30):
            hit = locate(source[max(0, start - pad): end], text)
            if hit is not None:
                inner = locate(source[start:end], text[hit[0]: hit[1]], near=hit[1] - hit[0])
                if inner is not None:
                    return hit[0] + inner[0], hit[0] + inner[1]
        return locate(source[start:end], text)

    def find(self, ext_id: str, start: int, end: int) -> int | None:
        """The statement whose content overlaps the gold content most (at least half of the shorter)."""
        if ext_id not in self.article or ext_id not in self.sources:
            return None
        aid, text = self.article[ext_id]
        span = self.place(self.sources[ext_id], start, end, text)
        if span is None:
            return None
        start, end = span
        best, best_overlap = None, 0
        for a, b, sid in self.statements.get(aid, []):
            overlap = min(b, end) - max(a, start)
            if overlap > best_overlap and overlap >= 0.5 * min(b - a, end - start):
                best, best_overlap = sid, overlap
        return best


def _names_gold(engine_name: str | None, engine_type: str | None, gold: dict[str, Any]) -> bool:
    """Whether the engine's speaker is the gold speaker as far as a name can tell (the linker's input is right)."""
    if gold["type"] == "anonymous":
        return engine_type == "anonymous"
    if gold["type"] != "person" or not engine_name:
        return False
    a, b = parse_person(engine_name), parse_person(re.sub(r"\(.*?\)", "", gold["speaker"]))
    return a is not None and b is not None and compatible(a, b)


def score_speakers(conn: sqlite3.Connection, gold: list[dict[str, Any]], sources: dict[str, str]) -> dict[str, Any]:
    """Pairwise merging precision/recall over statements of different articles.

    A pair is "same" in the gold when both statements are by the same person (``speaker`` label),
    and in the ledger when both map to the same speaker identity. ``linker`` judges the linker
    alone: only statements whose engine-resolved speaker (in this ledger) fits the gold one (a
    compatible person name, or an anonymous source for an anonymous one); ``end_to_end`` counts
    every statement, engine errors included.
    """
    match = _Matcher(conn, sources)
    identity = dict(conn.execute("SELECT statement_id, identity_id FROM statement_identity").fetchall())
    names = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, speaker_name, speaker_type FROM statements")}
    items = []
    for g in gold:
        sid = match.find(g["article"], g["start"], g["end"])
        if sid is not None:
            items.append((g, identity.get(sid), names.get(sid, (None, None))))
    out: dict[str, Any] = {"gold": len(gold), "matched": len(items)}
    selections = {
        "linker": [(g, i) for g, i, (n, t) in items if _names_gold(n, t, g)],
        "end_to_end": [(g, i) for g, i, _ in items],
    }
    for name, sel in selections.items():
        tp = fp = fn = 0
        for (ga, ia), (gb, ib) in combinations(sel, 2):
            if ga["article"] == gb["article"]:
                continue
            gold_same = ga["speaker"] == gb["speaker"] and ga["type"] == "person" and gb["type"] == "person"
            sys_same = ia is not None and ia == ib
            tp += gold_same and sys_same
            fp += sys_same and not gold_same
            fn += gold_same and not sys_same
        out[name] = {"statements": len(sel), **_prf(tp, fp, fn)}
    anon = [(g, i) for g, i, _ in items if g["type"] == "anonymous"]
    out["anonymous_merged_across_articles"] = sum(
        1 for (ga, ia), (gb, ib) in combinations(anon, 2) if ga["article"] != gb["article"] and ia is not None
        and ia == ib)
    return out


def score_denials(conn: sqlite3.Connection, gold: list[dict[str, Any]], sources: dict[str, str]) -> dict[str, Any]:
    """Detection precision/recall for denials and for confirmations, and how many gold denials got a link."""
    match = _Matcher(conn, sources)
    stance = dict(conn.execute("SELECT statement_id, stance FROM statement_stance").fetchall())
    linked = {r[0] for r in conn.execute("SELECT statement_id FROM statement_links")}
    out: dict[str, Any] = {"gold": len(gold)}
    pairs = [(g, match.find(g["article"], g["start"], g["end"])) for g in gold]
    pairs = [(g, s) for g, s in pairs if s is not None]
    out["matched"] = len(pairs)
    for label in ("denial", "confirmation"):
        tp = sum(g["stance"] == label and stance.get(s) == label for g, s in pairs)
        fp = sum(g["stance"] != label and stance.get(s) == label for g, s in pairs)
        fn = sum(g["stance"] == label and stance.get(s) != label for g, s in pairs)
        out[label] = _prf(tp, fp, fn)
    out["denials_linked"] = sum(1 for g, s in pairs if g["stance"] == "denial" and s in linked)
    return out


def score_links(conn: sqlite3.Connection, gold: list[dict[str, Any]], sources: dict[str, str]) -> dict[str, Any]:
    """Precision and recall of what denials and confirmations are linked to.

    A link is right when its target is one of the gold ``targets``: a statement (found again by
    its offsets) or an article (the article itself or any of its statements). Every link the
    ledger made from a gold statement counts: a link from a statement whose gold ``targets`` is
    empty (nothing in the ledger is the claim) is wrong. Recall is over the gold statements that
    have a target; ``same_article`` and ``other_article`` split it by where the gold target is.
    ``wrong_on_non_stances`` counts the wrong links made from statements that deny or confirm nothing
    (a detection error), ``links_outside_gold`` the links from statements the gold set does not hold.
    """
    match = _Matcher(conn, sources)
    article_of = dict(conn.execute("SELECT id, article_id FROM statements").fetchall())
    ext_of = dict(conn.execute("SELECT id, ext_id FROM articles").fetchall())
    links: dict[int, list[tuple[int | None, int | None]]] = {}
    for sid, ts, ta in conn.execute("SELECT statement_id, target_statement_id, target_article_id FROM statement_links"):
        links.setdefault(sid, []).append((ts, ta))
    tp = fp = 0
    out: dict[str, Any] = {"gold": len(gold), "with_target": sum(bool(g["targets"]) for g in gold)}
    matched = wrong_on_none = 0
    seen: set[int] = set()
    recall: dict[str, list[int]] = {"same_article": [0, 0], "other_article": [0, 0]}
    for g in gold:
        sid = match.find(g["article"], g["start"], g["end"])
        matched += sid is not None
        if sid is not None:
            seen.add(sid)
        statements = {match.find(t["article"], t["start"], t["end"]) for t in g["targets"] if "start" in t} - {None}
        articles = {t["article"] for t in g["targets"] if "start" not in t}
        right = False
        for ts, ta in links.get(sid, []) if sid is not None else []:
            where = ext_of.get(article_of.get(ts)) if ts is not None else ext_of.get(ta)
            ok = (ts is not None and ts in statements) or where in articles
            tp += ok
            fp += not ok
            wrong_on_none += not ok and g.get("stance") is None
            right = right or ok
        if g["targets"]:
            kind = "same_article" if any(t["article"] == g["article"] for t in g["targets"]) else "other_article"
            recall[kind][0] += right
            recall[kind][1] += 1
    out["matched"] = matched
    out["links"] = tp + fp
    out.update(_prf(tp, fp, out["with_target"] - sum(r for r, _ in recall.values())))
    for kind, (r, n) in recall.items():
        out[kind] = f"{r}/{n}"
    out["wrong_on_non_stances"] = wrong_on_none
    out["links_outside_gold"] = sum(len(v) for k, v in links.items() if k not in seen)
    return out


def link_table(conn: sqlite3.Connection, gold: list[dict[str, Any]], sources: dict[str, str],
               thresholds: list[float]) -> list[dict[str, Any]]:
    """``score_links`` after re-linking at each threshold; the ledger is left linked with the default settings."""
    from .denials import DenialConfig
    from .linker import LinkConfig, run_links

    rows = []
    for t in thresholds:
        run_links(conn, LinkConfig(denials=DenialConfig(threshold=t)))
        got = score_links(conn, gold, sources)
        rows.append({"threshold": t, **{k: got[k] for k in ("links", "precision", "recall", "tp", "fp", "fn")}})
    run_links(conn)
    return rows


# -- near-duplicates --------------------------------------------------------------------------------------------

BOILERPLATE = ("Copyright {year} {outlet}. All rights reserved.", "Sign up for our daily newsletter.",
               "Reporting by staff; editing by the desk.", "Read more: latest business news",
               "{outlet} ({city}) -", "This article was republished from a wire service.")
SUBSTITUTES = {"said": "stated", "company": "firm", "shares": "stock", "rose": "climbed", "fell": "dropped",
               "year": "12 months", "government": "administration", "told": "informed", "expected": "anticipated",
               "increase": "rise", "reported": "announced", "total": "overall", "price": "cost", "about": "around"}
_SENT = re.compile(r"(?<=[.!?])\s+")


def make_copy(text: str, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """A lightly edited republication of ``text``: a sentence dropped, words substituted, boilerplate added."""
    sents = _SENT.split(text.strip())
    edits: dict[str, Any] = {"dropped": 0, "substituted": 0, "boilerplate": 0}
    if len(sents) > 3:
        for _ in range(rng.randint(1, max(1, len(sents) // 5))):
            sents.pop(rng.randrange(1, len(sents)))
            edits["dropped"] += 1
    words = " ".join(sents).split(" ")
    for i, w in enumerate(words):
        if w.lower() in SUBSTITUTES and rng.random() < 0.7:
            words[i] = SUBSTITUTES[w.lower()]
            edits["substituted"] += 1
        elif w.isalpha() and len(w) > 6 and rng.random() < 0.04:
            words[i] = w[::-1]  # a word nobody else uses: a typo, a rename, a translation
            edits["substituted"] += 1
    body = " ".join(words)
    fill = {"year": rng.choice(["1987", "2024"]), "outlet": rng.choice(["Daily Ledger", "Harbour News", "The Post"]),
            "city": rng.choice(["LONDON", "NEW YORK", "TOKYO"])}
    head = [BOILERPLATE[4].format(**fill)] if rng.random() < 0.5 else []
    tail = [BOILERPLATE[i].format(**fill) for i in rng.sample([0, 1, 2, 3, 5], rng.randint(1, 3))]
    edits["boilerplate"] = len(head) + len(tail)
    return " ".join(head + [body] + tail), edits


def score_duplicates(shared: Path, n: int = 500, seed: int = 1987, config: DupConfig = DupConfig()) -> dict[str, Any]:
    """P/R on ``n`` (wire text, edited copy) pairs and ``2n`` (text, unrelated text) pairs from Reuters-21578.

    Half of the unrelated pairs are "hard": another article with the same topic label within a week.
    """
    path = shared / CORPORA["reuters"]
    if not path.exists():
        raise FileNotFoundError(f"{path} not present: the near-duplicate evaluation reads it")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [d for d in map(json.loads, f) if d.get("text") and len(d["text"].split()) >= 40]
    # leave out texts that already have a near-duplicate in the corpus (by the default settings, whatever
    # ``config`` is scored), so negatives are unrelated and the same for every config
    known = find_duplicates(((i, d["text"]) for i, d in enumerate(rows)), DupConfig())
    rows = [d for i, d in enumerate(rows) if i not in known]
    rng = random.Random(seed)
    picked = rng.sample(range(len(rows)), n)
    by_topic: dict[str, list[int]] = {}
    for i, d in enumerate(rows):
        for t in d.get("topics") or []:
            by_topic.setdefault(t, []).append(i)
    docs: dict[int, str] = {}
    pairs: list[tuple[int, int, bool]] = []
    next_id = len(rows)
    for k, i in enumerate(picked):
        docs[i] = rows[i]["text"]
        copy, _ = make_copy(rows[i]["text"], rng)
        docs[next_id] = copy
        pairs.append((i, next_id, True))
        next_id += 1
        topics = rows[i].get("topics") or []
        same = [j for t in topics for j in by_topic.get(t, []) if j != i and rows[j]["date"][:8] == rows[i]["date"][:8]]
        for j in (rng.choice(same) if same else rng.randrange(len(rows)), rng.randrange(len(rows))):
            if j != i:
                docs[j] = rows[j]["text"]
                pairs.append((i, j, False))
    found = find_duplicates(docs.items(), config)
    cluster = {a: c for a, (c, _) in found.items()}
    tp = sum(1 for a, b, y in pairs if y and a in cluster and cluster.get(b) == cluster[a])
    fp = sum(1 for a, b, y in pairs if not y and a in cluster and cluster.get(b) == cluster[a])
    fn = sum(1 for a, b, y in pairs if y) - tp
    return {"positive_pairs": sum(y for *_, y in pairs), "negative_pairs": sum(not y for *_, y in pairs),
            **_prf(tp, fp, fn)}


# -- the command ------------------------------------------------------------------------------------------------

def build_ledger(db: Path, shared: Path, ids: list[str], workers: int | None = None) -> None:
    """Ingest the corpus articles ``ids`` into ``db`` and link it."""
    from ..store import Ledger
    from .linker import run_links

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        with src.open("w", encoding="utf-8") as f:
            for row in read_corpus(shared, set(ids)):
                f.write(json.dumps(row) + "\n")
        with Ledger.open(db) as ledger:
            ledger.ingest([src], workers=workers)
            run_links(ledger.conn)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m onrecord.links.evaluate", description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, help="a ledger of eval/links/corpus.json (built there when absent)")
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--pairs", type=int, default=500, help="Near-duplicate positive pairs to construct")
    ap.add_argument("--relink", action="store_true", help="Run `link` on --db before scoring")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--thresholds", help="Comma-separated denial-link thresholds to score in a table")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    result: dict[str, Any] = {"duplicates": score_duplicates(args.shared, args.pairs)}
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        linked = json.loads((GOLD / "denial_links.json").read_text())
        wanted = json.loads((GOLD / "corpus.json").read_text())["articles"] + linked["articles"]
        if db is None or not db.exists():
            db = db or Path(tmp) / "eval.db"
            build_ledger(db, args.shared, wanted)
        else:
            with sqlite3.connect(db) as c:
                have = {r[0] for r in c.execute("SELECT ext_id FROM articles")}
            missing = [i for i in linked["articles"] if i not in have]
            if missing:  # a ledger built before the linking gold set: add its articles (and link)
                build_ledger(db, args.shared, missing)
        conn = sqlite3.connect(db)
        if args.relink:
            from .linker import run_links

            conn.isolation_level = None
            run_links(conn)
        speakers = json.loads((GOLD / "speakers.json").read_text())["statements"]
        denials = json.loads((GOLD / "denials.json").read_text())["statements"]
        ids = {g["article"] for g in speakers + denials + linked["statements"]}
        ids |= {t["article"] for g in linked["statements"] for t in g["targets"]}
        sources = {row["id"]: row["text"] for row in read_corpus(args.shared, ids)}
        result["speakers"] = score_speakers(conn, speakers, sources)
        result["denials"] = score_denials(conn, denials, sources)
        if args.thresholds:
            conn.isolation_level = None
            table = link_table(conn, linked["statements"], sources, [float(t) for t in args.thresholds.split(",")])
            result["denial_link_thresholds"] = {str(r.pop("threshold")): r for r in table}
        result["denial_links"] = score_links(conn, linked["statements"], sources)
        conn.close()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for part, scores in result.items():
            print(part)
            for k, v in scores.items():
                print(f"  {k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
