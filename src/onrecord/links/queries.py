"""Reading and correcting the cross-article tables: identities, overrides, stories, denial links."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from typing import Any

from ..errors import OnrecordError
from .names import fold


class LinkError(OnrecordError):
    """A speaker or story the user named cannot be found (or is ambiguous), or the ledger is not linked."""


def _rows(cur: sqlite3.Cursor) -> list[dict[str, Any]]:
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def has_identities(conn: sqlite3.Connection) -> bool:
    """Whether a link run has filled the identity table."""
    try:
        return conn.execute("SELECT 1 FROM speaker_identity LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:
        return False


def identity_speakers(conn: sqlite3.Connection, *, name: str | None = None, type: str | None = None,
                      limit: int | None = None) -> list[dict[str, Any]] | None:
    """Speakers across articles, most statements first; None when the ledger has not been linked.

    Each item: id, name, type, aliases, roles, affiliations (lists of {value, first_seen, last_seen,
    count}), statements and articles (near-duplicate articles counted once), first_seen, last_seen.
    ``name`` matches part of the name or of an alias, case-insensitively.
    """
    if not has_identities(conn):
        return None
    where, params = [], []
    if name:
        where.append("(name LIKE ? ESCAPE '\\' OR aliases LIKE ? ESCAPE '\\')")
        like = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [like, like]
    if type:
        where.append("type = ?")
        params.append(type)
    sql = ("SELECT id, name, type, aliases, roles, affiliations, n_statements AS statements,"
           " n_articles AS articles, first_seen, last_seen FROM speaker_identity"
           f" {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY n_statements DESC, name, id")
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    out = _rows(conn.execute(sql, params))
    for row in out:
        for k in ("aliases", "roles", "affiliations"):
            row[k] = json.loads(row[k])
    return out


def find_identity(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """The identity ``ref`` names: an id, else an exact name, else an exact alias (case-insensitive)."""
    if not has_identities(conn):
        raise LinkError("the ledger has no speaker identities yet: run `onrecord link --db LEDGER` first")
    if ref.strip().isdigit():
        row = conn.execute("SELECT id, key, name, forms FROM speaker_identity WHERE id = ?", (int(ref),)).fetchone()
        if row is None:
            raise LinkError(f"no speaker with id {ref}")
        return {"id": row[0], "key": row[1], "name": row[2], "forms": json.loads(row[3])}
    want = fold(ref.strip())
    rows = conn.execute("SELECT id, key, name, forms, aliases FROM speaker_identity").fetchall()
    hits = [r for r in rows if fold(r[2]) == want] or [r for r in rows if want in map(fold, json.loads(r[4]))]
    if not hits:
        raise LinkError(f"no speaker named {ref!r}: see `onrecord speakers --db LEDGER`")
    if len(hits) > 1:
        listing = ", ".join(f"{r[0]} ({r[2]})" for r in hits[:10])
        raise LinkError(f"{ref!r} names {len(hits)} speakers: {listing}; give the id instead")
    r = hits[0]
    return {"id": r[0], "key": r[1], "name": r[2], "forms": json.loads(r[3])}


def add_override(conn: sqlite3.Connection, op: str, a: dict[str, Any], b: dict[str, Any] | None = None,
                 name: str | None = None) -> int:
    """Record a manual override (identities as returned by ``find_identity``); returns its id."""
    if op == "merge" and (b is None or b["id"] == a["id"]):
        raise LinkError("merge needs two different speakers")
    note = " -> ".join(x["name"] for x in (a, b) if x) + (f" as {name!r}" if name else "")
    cur = conn.execute(
        "INSERT INTO speaker_overrides (op, a, b, name, note, created_at) VALUES (?,?,?,?,?,?)",
        (op, a["key"], b["key"] if b else None, name, note,
         datetime.now(timezone.utc).isoformat(timespec="seconds")))
    return int(cur.lastrowid or 0)


def find_story(conn: sqlite3.Connection, query: str) -> dict[str, Any] | None:
    """The story whose articles and statements match the full-text ``query`` best: most matching articles,
    then most matching statements."""
    try:
        conn.execute("SELECT 1 FROM stories LIMIT 1").fetchone()
    except sqlite3.OperationalError as e:
        raise LinkError(f"the ledger has no stories table: {e}") from None
    if conn.execute("SELECT 1 FROM story_articles LIMIT 1").fetchone() is None:
        raise LinkError("the ledger has no stories yet: run `onrecord link --db LEDGER` first")
    sql = ("SELECT sa.story_id, count(DISTINCT m.article_id) AS hits, sum(m.said) AS said FROM ("
           " SELECT s.article_id, 1 AS said FROM statements s JOIN statements_fts f ON f.rowid = s.id"
           " WHERE statements_fts MATCH ?"
           " UNION ALL SELECT a.id, 0 FROM articles a JOIN articles_fts g ON g.rowid = a.id WHERE articles_fts MATCH ?"
           ") m JOIN story_articles sa ON sa.article_id = m.article_id"
           " JOIN stories st ON st.id = sa.story_id"
           " GROUP BY sa.story_id ORDER BY hits DESC, said DESC, st.n_articles DESC, sa.story_id LIMIT 1")
    try:
        row = conn.execute(sql, (query, query)).fetchone()
    except sqlite3.OperationalError as e:
        raise LinkError(f"cannot search for {query!r}: {e} (quote phrases with \"...\", balance parentheses)") from None
    if row is None:
        return None
    story = _rows(conn.execute("SELECT * FROM stories WHERE id = ?", (row[0],)))[0]
    story["terms"] = json.loads(story["terms"])
    story["statements"] = story_statements(conn, story["id"])
    return story


def story_statements(conn: sqlite3.Connection, story_id: int) -> list[dict[str, Any]]:
    """The statements of a story in time order, each with its speaker identity, stance and links."""
    sql = (
        "SELECT s.id, s.article_id, COALESCE(s.date, a.published) AS date, a.title, a.outlet,"
        " COALESCE(i.name, s.speaker_name) AS speaker, si.identity_id AS speaker_id, s.speaker_type, s.kind,"
        " s.content, s.channel, st.stance, d.cluster_id AS duplicate_of,"
        " (SELECT json_group_array(json_object('relation', l.relation, 'statement', l.target_statement_id,"
        "   'article', l.target_article_id, 'score', l.score)) FROM statement_links l WHERE l.statement_id = s.id)"
        "   AS links"
        " FROM story_articles sa JOIN statements s ON s.article_id = sa.article_id"
        " JOIN articles a ON a.id = s.article_id"
        " LEFT JOIN statement_identity si ON si.statement_id = s.id"
        " LEFT JOIN speaker_identity i ON i.id = si.identity_id"
        " LEFT JOIN statement_stance st ON st.statement_id = s.id"
        " LEFT JOIN article_duplicates d ON d.article_id = s.article_id"
        " WHERE sa.story_id = ? ORDER BY date, s.article_id, s.seq")
    out = _rows(conn.execute(sql, (story_id,)))
    for row in out:
        row["links"] = json.loads(row["links"] or "[]")
    return out
