"""The cross-article pass over a ledger: near-duplicates, stories, speaker identities, denial links.

``run_links(conn)`` reads articles and statements, runs every step in memory, and replaces the
derived tables in one transaction; manual overrides (``speaker_overrides``) are re-applied on
every run, so they survive re-ingest and re-linking.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .denials import DenialConfig, Report, Said, link_stances
from .duplicates import DupConfig, find_duplicates
from .identity import Identity, Mention, Override, form_of, link_identities, person_surnames
from .stories import Doc, StoryConfig, group_stories

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkConfig:
    """The settings of every step of the pass."""

    dups: DupConfig = field(default_factory=DupConfig)
    stories: StoryConfig = field(default_factory=StoryConfig)
    denials: DenialConfig = field(default_factory=DenialConfig)
    context_chars: int = 80  # article text kept on each side of a cue for the denial detector
    sentence_chars: int = 250  # article text kept on each side of a statement for what a denial is about
    # off (None): a bare surname joins a full name only with evidence; N: also when one person with that
    # surname is quoted within N days of it
    bare_window_days: int | None = None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _flags(raw: str | None) -> tuple[str, ...]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return ()
    return tuple(str(f) for f in value) if isinstance(value, list) else ()


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019]?\s+")
_THAT = re.compile(r"that\s+(?=\S)", re.IGNORECASE)


def _before(text: str, a: int, reach: int) -> str:
    """Up to ``reach`` characters before ``a``, from the start of the sentence holding ``a``."""
    left = text[max(0, a - reach): a]
    ends = list(_SENTENCE_END.finditer(left))
    return left[ends[-1].end():] if ends else left


def _sentence(text: str, a: int, b: int, reach: int) -> str:
    """``text[a:b]`` widened by up to ``reach`` characters each side, without crossing a sentence end."""
    left = _before(text, a, reach)
    right = text[b: b + reach]
    end = _SENTENCE_END.search(right)
    if end:
        right = right[: end.start() + 1]
    return left + text[a:b] + right


def load_mentions(conn: sqlite3.Connection) -> list[Mention]:
    """Every statement's speaker, dated by the statement or else its article."""
    rows = conn.execute(
        "SELECT s.id, s.article_id, COALESCE(s.date, a.published), s.speaker_name, s.speaker_type, s.role,"
        " s.affiliation, s.speaker_mention, s.speaker_id, s.issued_by, s.content"
        " FROM statements s JOIN articles a ON a.id = s.article_id ORDER BY s.id")
    return [Mention(r[0], r[1], (r[2] or None) and str(r[2])[:10], r[3], r[4] or "unknown", r[5], r[6], r[7], r[8],
                    r[9], r[10] or "") for r in rows]


def load_overrides(conn: sqlite3.Connection) -> list[Override]:
    return [Override(r[0], r[1], r[2], r[3]) for r in conn.execute(
        "SELECT op, a, b, name FROM speaker_overrides ORDER BY id")]


def _write_identities(conn: sqlite3.Connection, identities: list[Identity], mentions: list[Mention]) -> dict[str, int]:
    """Replace speaker_identity and statement_identity, keeping each key's id; returns key -> id."""
    existing = {k: i for k, i in conn.execute("SELECT key, id FROM speaker_identity")}
    keep = {i.key for i in identities}
    conn.executemany("DELETE FROM speaker_identity WHERE key = ?", [(k,) for k in existing if k not in keep])
    ids: dict[str, int] = {}
    for ident in identities:
        values = (ident.name, ident.type, json.dumps(ident.aliases), json.dumps(ident.roles),
                  json.dumps(ident.affiliations), json.dumps(ident.forms), ident.statements, ident.articles,
                  ident.first_seen, ident.last_seen)
        if ident.key in existing:
            conn.execute("UPDATE speaker_identity SET name=?, type=?, aliases=?, roles=?, affiliations=?, forms=?,"
                         " n_statements=?, n_articles=?, first_seen=?, last_seen=? WHERE id=?",
                         (*values, existing[ident.key]))
            ids[ident.key] = existing[ident.key]
        else:
            cur = conn.execute("INSERT INTO speaker_identity (key, name, type, aliases, roles, affiliations, forms,"
                               " n_statements, n_articles, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                               (ident.key, *values))
            ids[ident.key] = int(cur.lastrowid or 0)
    identity_of = {sid: ids[i.key] for i in identities for sid in i.statement_ids}
    conn.execute("DELETE FROM statement_identity")
    rows = sorted((sid, ids[i.key], f) for i in identities for sid, f in i.statement_forms.items())
    conn.executemany("INSERT INTO statement_identity (statement_id, identity_id, form) VALUES (?,?,?)", rows)
    conn.execute("UPDATE speakers SET identity_id = NULL WHERE identity_id IS NOT NULL")
    by_speaker = {m.speaker_id: identity_of[m.statement_id] for m in mentions
                  if m.speaker_id is not None and m.statement_id in identity_of}
    conn.executemany("UPDATE speakers SET identity_id = ? WHERE id = ?", [(v, k) for k, v in by_speaker.items()])
    return ids


class _Texts(Mapping[int, str]):
    """Article texts read from the ledger on demand."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __getitem__(self, article_id: int) -> str:
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise KeyError(article_id)
        return str(row[0])

    def __iter__(self) -> Iterator[int]:
        return (r[0] for r in self.conn.execute("SELECT id FROM articles"))

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def relink_identities(conn: sqlite3.Connection) -> int:
    """Re-run speaker identity only (after an override), with the stored stories and duplicates."""
    mentions = load_mentions(conn)
    story_of = dict(conn.execute("SELECT article_id, story_id FROM story_articles").fetchall())
    dup_of = dict(conn.execute("SELECT article_id, cluster_id FROM article_duplicates").fetchall())
    last = conn.execute("SELECT settings FROM link_runs ORDER BY id DESC LIMIT 1").fetchone()
    window = json.loads(last[0]).get("bare_window_days") if last else None
    identities = link_identities(mentions, story_of=story_of, dup_of=dup_of, overrides=load_overrides(conn),
                                 texts=_Texts(conn), bare_window_days=window)
    with _transaction(conn):
        _write_identities(conn, identities, mentions)
    return len(identities)


def run_links(conn: sqlite3.Connection, config: LinkConfig = LinkConfig()) -> dict[str, Any]:
    """The whole cross-article pass; returns counts and seconds per step."""
    started = _now()
    timings: dict[str, float] = {}
    t = time.perf_counter()
    articles = conn.execute("SELECT id, published, title, text FROM articles ORDER BY id").fetchall()
    mentions = load_mentions(conn)
    cues = {r[0]: (r[1] or "", r[2], r[3], r[4], r[5]) for r in conn.execute(
        "SELECT id, cue, cue_start, cue_end, content_start, content_end FROM statements")}
    flags = {r[0]: _flags(r[1]) for r in conn.execute("SELECT id, flags FROM statements WHERE flags != '[]'")}
    timings["load"] = time.perf_counter() - t

    t = time.perf_counter()
    dups = find_duplicates(((a[0], a[3]) for a in articles), config.dups)
    dup_of = {aid: c for aid, (c, _) in dups.items()}
    timings["duplicates"] = time.perf_counter() - t

    t = time.perf_counter()
    speakers_of: dict[int, set[str]] = defaultdict(set)
    surnames = person_surnames(mentions)
    for m in mentions:
        f = form_of(m, surnames)
        if f is not None and f.startswith("person:"):
            speakers_of[m.article_id].add(f)
    docs = [Doc(a[0], a[1], a[2] or "", a[3], speakers_of.get(a[0], ())) for a in articles]
    stories = group_stories(docs, dup_of, config.stories)
    story_of = {aid: s.articles[0] for s in stories for aid in s.articles}
    timings["stories"] = time.perf_counter() - t

    t = time.perf_counter()
    text_of = {a[0]: a[3] for a in articles}
    identities = link_identities(mentions, story_of=story_of, dup_of=dup_of, overrides=load_overrides(conn),
                                 texts=text_of, bare_window_days=config.bare_window_days)
    timings["identities"] = time.perf_counter() - t

    t = time.perf_counter()
    identity_of = {sid: n for n, i in enumerate(identities) for sid in i.statement_ids}
    said = []
    for m in mentions:
        cue, cs, ce, start, end = cues.get(m.statement_id, ("", None, None, None, None))
        text = text_of.get(m.article_id, "")
        context = lead = ""
        if cs is not None and ce is not None:
            context = _sentence(text, cs, ce, config.context_chars)
            if m.content:
                context = context.replace(m.content, " ... ")  # the frame around the content, not the content
        question = end is not None and "?" in text[end: end + 3]
        around = ""
        if start is not None and end is not None:
            around = _sentence(text, start, end, config.sentence_chars).replace(text[start:end], " ... ")
        content = m.content or ""
        that = _THAT.match(content)
        if that and start is not None:
            # "denied [that X ...]" (a learned content keeps PolNeAR's boundary): the claim is X
            content, start = content[that.end():], start + that.end()
        if start is not None:
            lead = _before(text, start, config.context_chars)
        said.append(Said(m.statement_id, m.article_id, m.date, content, cue, context, lead,
                         flags.get(m.statement_id, ()), identity_of.get(m.statement_id), dup_of.get(m.article_id),
                         (start, end) if start is not None and end is not None else None, question,
                         m.name or "", m.type or "unknown", story_of.get(m.article_id), around))
    reports = [Report(a[0], a[1], f"{a[2] or ''}\n{a[3][:400]}", dup_of.get(a[0]), story_of.get(a[0]))
               for a in articles]
    stances, links = link_stances(said, reports, config.denials)
    timings["denials"] = time.perf_counter() - t

    t = time.perf_counter()
    n_statements: dict[int, int] = defaultdict(int)
    for m in mentions:
        n_statements[story_of.get(m.article_id, m.article_id)] += 1
    with _transaction(conn):
        for table in ("article_duplicates", "story_articles", "stories", "statement_stance", "statement_links"):
            conn.execute(f"DELETE FROM {table}")
        conn.executemany("INSERT INTO article_duplicates (article_id, cluster_id, similarity) VALUES (?,?,?)",
                         [(a, c, round(s, 3)) for a, (c, s) in sorted(dups.items())])
        conn.executemany("INSERT INTO stories (id, title, terms, first_date, last_date, n_articles, n_statements)"
                         " VALUES (?,?,?,?,?,?,?)",
                         [(s.articles[0], s.title, json.dumps(s.terms), s.first_date, s.last_date, len(s.articles),
                           n_statements.get(s.articles[0], 0)) for s in stories])
        conn.executemany("INSERT INTO story_articles (article_id, story_id) VALUES (?,?)", sorted(story_of.items()))
        _write_identities(conn, identities, mentions)
        conn.executemany("INSERT INTO statement_stance (statement_id, stance) VALUES (?,?)", sorted(stances.items()))
        conn.executemany("INSERT INTO statement_links (statement_id, target_statement_id, target_article_id,"
                         " relation, score) VALUES (?,?,?,?,?)",
                         [(k.statement_id, k.target_statement_id, k.target_article_id, k.relation, k.score)
                          for k in links])
        counts = {
            "articles": len(articles), "statements": len(mentions), "identities": len(identities),
            "merged_identities": sum(len(i.forms) > 1 for i in identities),
            "duplicate_articles": len(dups), "duplicate_clusters": len(set(dup_of.values())),
            "stories": len(stories), "multi_article_stories": sum(len(s.articles) > 1 for s in stories),
            "denials": sum(v == "denial" for v in stances.values()),
            "confirmations": sum(v == "confirmation" for v in stances.values()), "links": len(links),
        }
        timings["write"] = time.perf_counter() - t
        timings = {k: round(v, 3) for k, v in timings.items()}
        conn.execute("INSERT INTO link_runs (started, finished, settings, counts, timings) VALUES (?,?,?,?,?)",
                     (started, _now(), json.dumps({"bare_window_days": config.bare_window_days}),
                      json.dumps(counts), json.dumps(timings)))
    log.info("link: %s in %s", counts, timings)
    return {"counts": counts, "timings": timings}
