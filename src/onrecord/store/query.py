"""Reading the ledger: full-text statement search and the speaker list, each with filters and counts."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from ..errors import OnrecordError

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class QueryError(OnrecordError):
    """A search query or filter the ledger cannot run (a malformed full-text query, a bad date)."""


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _date(name: str, value: str | None) -> str | None:
    if value is not None and not _DATE.match(value):
        raise QueryError(f"--{name} {value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def search(conn: sqlite3.Connection, query: str | None = None, *, speaker: str | None = None,
           kind: str | None = None, channel: str | None = None, outlet: str | None = None,
           since: str | None = None, until: str | None = None, limit: int | None = 50,
           offset: int = 0) -> list[dict[str, Any]]:
    """Statements matching the FTS5 ``query`` (over content and speaker name) and the filters.

    ``speaker`` matches part of the speaker's name, case-insensitively; ``since``/``until`` bound the
    statement's date (the article's publication date when the statement has none), inclusive.
    Best matches first for a query, else newest first. Raises QueryError on a malformed query.
    """
    where: list[str] = []
    params: list[Any] = []
    joins = ""
    order = "COALESCE(s.date, a.published) DESC, s.id"
    if query and query.strip():
        joins = "JOIN statements_fts ON statements_fts.rowid = s.id"
        where.append("statements_fts MATCH ?")
        params.append(query)
        order = "statements_fts.rank, s.id"
    if speaker:
        where.append("s.speaker_name LIKE ? ESCAPE '\\'")
        params.append(_like(speaker))
    for column, value in (("s.kind", kind), ("s.channel", channel), ("a.outlet", outlet)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if _date("since", since):
        where.append("COALESCE(s.date, a.published) >= ?")
        params.append(since)
    if _date("until", until):
        where.append("substr(COALESCE(s.date, a.published), 1, ?) <= ?")
        params += [len(until or ""), until]
    sql = (
        "SELECT s.id, s.article_id, s.seq, s.kind, s.content, s.speaker_name, s.speaker_type, s.role,"
        " s.affiliation, s.cue, s.via, s.channel, s.date, s.confidence, s.flags,"
        " a.title, a.url, a.outlet, a.published"
        f" FROM statements s JOIN articles a ON a.id = s.article_id {joins}"
        f" {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {order}"
    )
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [int(limit), int(offset)]
    try:
        cur = conn.execute(sql, params)
        rows = cur.fetchall()
    except sqlite3.OperationalError as e:
        if query and ("fts5" in str(e) or "syntax error" in str(e) or "unterminated" in str(e)
                      or "no such column" in str(e)):
            raise QueryError(f"malformed search query {query!r} ({e}); quote words with special characters, "
                             'e.g. "U.S." or "peace talks", and balance quotes and parentheses') from None
        raise
    cols = [c[0] for c in cur.description]
    out = []
    for r in rows:
        d = dict(zip(cols, r))
        d["flags"] = json.loads(d["flags"] or "[]")
        out.append(d)
    return out


def speakers(conn: sqlite3.Connection, *, name: str | None = None, type: str | None = None,
             limit: int | None = None) -> list[dict[str, Any]]:
    """Speakers grouped by name and type, most statements first, with article and statement counts,
    the dates of their first and last statement, and the roles and affiliations seen."""
    from ..links.queries import identity_speakers  # one row per cross-article identity once `onrecord link` ran

    linked = identity_speakers(conn, name=name, type=type, limit=limit)
    if linked is not None:
        return linked
    where: list[str] = []
    params: list[Any] = []
    if name:
        where.append("sp.name LIKE ? ESCAPE '\\'")
        params.append(_like(name))
    if type:
        where.append("sp.type = ?")
        params.append(type)
    sql = (
        "SELECT sp.name, sp.type, sum(sp.n_statements) AS statements, count(DISTINCT sp.article_id) AS articles,"
        " min(a.published) AS first, max(a.published) AS last,"
        " group_concat(DISTINCT sp.role) AS roles, group_concat(DISTINCT sp.affiliation) AS affiliations"
        " FROM speakers sp JOIN articles a ON a.id = sp.article_id"
        f" {'WHERE ' + ' AND '.join(where) if where else ''}"
        " GROUP BY sp.name, sp.type ORDER BY statements DESC, sp.name, sp.type"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    cur = conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]
