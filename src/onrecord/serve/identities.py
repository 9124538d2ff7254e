"""The reading room over a linked ledger: speakers as cross-article identities (``onrecord link``).

When the ledger's ``speaker_identity`` table is filled, the speaker list, the speaker facet and the speaker
pages speak in identities: one entry per person or organisation across articles, with its aliases, its roles
and affiliations with the dates they were seen, counts in which the copies of a wire story count once, and a
timeline of all its statements (copies folded) with denials and confirmations marked and linked to what they
deny or confirm. Lists and per-identity figures come from the side file (``aggregates``: ``idents``,
``idims``, ``itimeline``); the ledger is read by primary key or through its indexes only, and straight
(more slowly) only while the side file is being rebuilt after a link run.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Any

from ..links.names import fold
from .highlight import speaker_color

MAX_OFFSET = 10_000
TOP = 20


class NotLinked(LookupError):
    """The ledger has no speaker identities (``onrecord link`` has not run on it)."""


def is_linked(conn: sqlite3.Connection) -> bool:
    """Whether a link run has filled ``speaker_identity`` (False on a ledger without the table)."""
    try:
        return conn.execute("SELECT 1 FROM speaker_identity LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:
        return False


def json_list(raw: str | None) -> list[Any]:
    """A JSON list column as a list ([] when empty, malformed or not a list)."""
    try:
        value = json.loads(raw) if raw else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _dated(raw: str | None, top: int) -> list[dict[str, Any]]:
    """Roles or affiliations as stored by the linker: ``[{value, first_seen, last_seen, count}]``."""
    out = []
    for e in json_list(raw)[:top]:
        if isinstance(e, dict) and e.get("value"):
            out.append({"value": str(e["value"]), "first_seen": e.get("first_seen"), "last_seen": e.get("last_seen"),
                        "count": int(e.get("count") or 0)})
    return out


def content_key(text: str) -> str:
    """What makes two statements (in copies of one story) the same words: case and spacing aside."""
    return " ".join(text.casefold().split())


# -- statements: who (identity), stance, links, near-duplicate copies --------------------------------------------

def annotate(conn: sqlite3.Connection, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add each statement's identity, stance (denial/confirmation), stance links and ``duplicate_of``, in place.

    A no-op on a ledger that has not been linked. Every lookup is by primary key, in one query (and one more
    for the targets of stance links, when there are any).
    """
    if not items or not is_linked(conn):
        return items
    rows = conn.execute(
        "SELECT j.value, si.identity_id, i.name, st.stance, d.cluster_id, "
        "EXISTS (SELECT 1 FROM statement_links l WHERE l.statement_id = j.value) "
        "FROM json_each(?) j JOIN statements s ON s.id = j.value "
        "LEFT JOIN statement_identity si ON si.statement_id = j.value "
        "LEFT JOIN speaker_identity i ON i.id = si.identity_id "
        "LEFT JOIN statement_stance st ON st.statement_id = j.value "
        "LEFT JOIN article_duplicates d ON d.article_id = s.article_id",
        (json.dumps([st["id"] for st in items]),)).fetchall()
    facts = {r[0]: r for r in rows}
    linked = [r[0] for r in rows if r[5]]
    links: dict[int, list[dict[str, Any]]] = {}
    if linked:
        for r in conn.execute(
                "SELECT l.statement_id, l.relation, l.score, l.target_statement_id, "
                "coalesce(l.target_article_id, t.article_id), t.speaker_name, substr(t.content, 1, 200), a.title "
                "FROM statement_links l LEFT JOIN statements t ON t.id = l.target_statement_id "
                "LEFT JOIN articles a ON a.id = coalesce(l.target_article_id, t.article_id) "
                "WHERE l.statement_id IN (SELECT value FROM json_each(?)) ORDER BY l.score DESC, l.id",
                (json.dumps(linked),)):
            links.setdefault(r[0], []).append({"relation": r[1], "score": r[2], "statement_id": r[3],
                                               "article_id": r[4], "speaker": r[5], "content": r[6],
                                               "article_title": r[7]})
    for st in items:
        f = facts.get(st["id"])
        if f is None:
            continue
        st["speaker"]["identity"] = None if f[1] is None else {"id": f[1], "name": f[2]}
        st["stance"] = f[3]
        st["links"] = links.get(st["id"], [])
        st["duplicate_of"] = f[4] if f[4] is not None and f[4] != st["article_id"] else None
    return items


def fold_copies(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per statement repeated in near-duplicate articles: the original keeps the others as ``copies``.

    Statements fold when their articles are in one near-duplicate cluster and their words are the same.
    """
    groups: dict[tuple[int, str], list[dict[str, Any]]] = {}
    order: list[tuple[int, str]] = []
    for st in items:
        key = (st.get("duplicate_of") or st["article_id"], content_key(st["content"]))
        if key not in groups:
            order.append(key)
        groups.setdefault(key, []).append(st)
    out = []
    for key in order:
        members = groups[key]
        main = next((m for m in members if m.get("duplicate_of") is None), members[0])
        main = {**main, "copies": [{"id": m["id"], "article_id": m["article_id"], "outlet": m["article"]["outlet"],
                                    "title": m["article"]["title"]} for m in members if m is not main]}
        out.append(main)
    return out


def speaker_identity_id(conn: sqlite3.Connection, speaker_id: int) -> int | None:
    """The identity of a per-article ``speakers`` row (by its statements when the row itself is not linked)."""
    row = conn.execute("SELECT identity_id FROM speakers WHERE id = ?", (speaker_id,)).fetchone()
    if row is None:
        return None
    if row[0] is not None:
        return int(row[0])
    row = conn.execute("SELECT si.identity_id FROM statements s JOIN statement_identity si ON si.statement_id = s.id "
                       "WHERE s.speaker_id = ? LIMIT 1", (speaker_id,)).fetchone()
    return None if row is None else int(row[0])


def resolve(conn: sqlite3.Connection, ref: str) -> int | list[dict[str, Any]] | None:
    """The identity ``ref`` names: an id, else a name, else an alias (case aside).

    Returns the id, the candidates when the name fits several identities, or None.
    """
    if not is_linked(conn):
        raise NotLinked(ref)
    ref = ref.strip()
    if ref.isdigit():
        row = conn.execute("SELECT id FROM speaker_identity WHERE id = ?", (int(ref),)).fetchone()
        return None if row is None else int(row[0])
    rows = conn.execute("SELECT id, name, type, n_statements FROM speaker_identity WHERE name = ?", (ref,)).fetchall()
    if not rows:
        want = fold(ref)
        like = "%" + ref.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found = conn.execute("SELECT id, name, type, n_statements, aliases FROM speaker_identity "
                             "WHERE name LIKE ? ESCAPE '\\' OR aliases LIKE ? ESCAPE '\\'", (like, like)).fetchall()
        rows = ([r for r in found if fold(r[1]) == want]
                or [r for r in found if want in (fold(str(a)) for a in json_list(r[4]))])
    if len(rows) == 1:
        return int(rows[0][0])
    if not rows:
        return None
    return [{"id": r[0], "name": r[1], "type": r[2], "statements": r[3]} for r in
            sorted(rows, key=lambda r: (-r[3], r[0]))]


# -- the speaker list and facet ----------------------------------------------------------------------------------

def _summary(r: sqlite3.Row, top: int) -> dict[str, Any]:
    return {"id": r["iid"], "name": r["name"], "type": r["type"], "statements": r["statements"],
            "articles": r["articles"], "color": speaker_color(r["name"]),
            "aliases": [str(a) for a in json_list(r["aliases"])[:top]], "roles": _dated(r["roles"], top),
            "affiliations": _dated(r["affiliations"], top), "first_seen": r["first"], "last_seen": r["last"]}


LEDGER_IDENTS = ("(SELECT id AS iid, name, type, aliases, roles, affiliations, n_statements AS statements, "
                 "n_articles AS articles, first_seen AS first, last_seen AS last, "
                 "lower(name || char(10) || aliases) AS names FROM speaker_identity)")


def side_ready(counts: sqlite3.Connection) -> bool:
    """Whether the side file holds the identities (it lags a link run until it is rebuilt)."""
    try:
        return counts.execute("SELECT 1 FROM idents LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:
        return False


def list_identities(conn: sqlite3.Connection, counts: sqlite3.Connection, *, q: str | None = None,
                    type_: str | None = None, page: int = 1, limit: int = 50) -> dict[str, Any]:
    """Identities, most statements first; ``q`` matches part of the name or of an alias."""
    from .queries import QueryError

    offset = (page - 1) * limit
    if offset >= MAX_OFFSET:
        raise QueryError(f"page {page} is too deep (at most {MAX_OFFSET} speakers can be paged); narrow the list")
    clauses, params = [], []
    if q:
        clauses.append("names LIKE ? ESCAPE '\\'")
        params.append("%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if type_:
        clauses.append("type = ?")
        params.append(type_)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    if side_ready(counts):
        db, source, order = counts, "idents", "rank"
    else:
        db, source, order = conn, LEDGER_IDENTS, "statements DESC, name, iid"
    rows = db.execute(f"SELECT * FROM {source}{where} ORDER BY {order} LIMIT ? OFFSET ?",
                      [*params, limit, offset]).fetchall()
    total = db.execute(f"SELECT count(*) FROM {source}{where}", params).fetchone()[0]
    return {"items": [_summary(r, 5) for r in rows], "total": total, "page": page, "limit": limit,
            "pages": max(1, -(-total // limit)), "speakers_by": "identity"}


def identity_facet(conn: sqlite3.Connection, sample: list[tuple[int, int]], top: int) -> list[dict[str, Any]]:
    """The speaker facet by identity over ``sample`` (statement id, article id): a statement repeated in
    near-duplicate articles counts once. Only statements of such articles are read (for their words)."""
    def by_ids(sql: str, ids: Any) -> list[Any]:
        return conn.execute(sql, (json.dumps(sorted(set(ids))),)).fetchall()

    identity = dict(by_ids("SELECT statement_id, identity_id FROM statement_identity "
                           "WHERE statement_id IN (SELECT value FROM json_each(?))", (sid for sid, _ in sample)))
    cluster = dict(by_ids("SELECT article_id, cluster_id FROM article_duplicates "
                          "WHERE article_id IN (SELECT value FROM json_each(?))", (aid for _, aid in sample)))
    clustered = [sid for sid, aid in sample if aid in cluster and sid in identity]
    words = dict(by_ids("SELECT id, content FROM statements WHERE id IN (SELECT value FROM json_each(?))",
                        clustered)) if clustered else {}
    seen: set[tuple[int, int, str]] = set()
    counted: Counter[int] = Counter()
    for sid, aid in sample:
        iid = identity.get(sid)
        if iid is None:
            continue
        if aid in cluster:
            key = (iid, cluster[aid], content_key(words.get(sid, "")))
            if key in seen:
                continue
            seen.add(key)
        counted[iid] += 1
    ranked = counted.most_common()
    cut = ranked[top - 1][1] if len(ranked) >= top else 0
    ranked = [(i, n) for i, n in ranked if n >= cut]  # ties at the cut are ordered by name below
    names = dict(by_ids("SELECT id, name FROM speaker_identity WHERE id IN (SELECT value FROM json_each(?))",
                        (i for i, _ in ranked)))
    ranked = sorted(ranked, key=lambda kv: (-kv[1], names.get(kv[0], ""), kv[0]))[:top]
    return [{"value": names[i], "count": n, "id": i, "color": speaker_color(names[i])} for i, n in ranked if i in names]


def identity_name(conn: sqlite3.Connection, identity_id: int) -> str | None:
    try:
        row = conn.execute("SELECT name FROM speaker_identity WHERE id = ?", (identity_id,)).fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else str(row[0])


# -- one identity ------------------------------------------------------------------------------------------------

def _page_ids(conn: sqlite3.Connection, counts: sqlite3.Connection, identity_id: int, side: bool, limit: int,
              offset: int) -> list[int]:
    """One page of the identity's statement ids, newest first; a story's copies of one statement side by side."""
    if side:  # a range of the side file's index
        return [r[0] for r in counts.execute(
            "SELECT sid FROM itimeline WHERE iid = ? ORDER BY w DESC, g DESC, seq, sid LIMIT ? OFFSET ?",
            (identity_id, limit, offset))]
    return [r[0] for r in conn.execute(
        "SELECT s.id FROM statement_identity si JOIN statements s ON s.id = si.statement_id "
        "JOIN articles a ON a.id = s.article_id LEFT JOIN article_duplicates d ON d.article_id = s.article_id "
        "WHERE si.identity_id = ? ORDER BY coalesce(s.date, a.published) DESC, coalesce(d.cluster_id, s.article_id) "
        "DESC, s.seq, s.id LIMIT ? OFFSET ?", (identity_id, limit, offset))]


def get_identity(conn: sqlite3.Connection, counts: sqlite3.Connection, identity_id: int, *, page: int = 1,
                 limit: int = 20) -> dict[str, Any] | None:
    """One identity: names, dated roles and affiliations, counts, breakdowns, a timeline chart, and one page of
    its statements (newest first; copies folded; stances and their links)."""
    from .queries import QueryError, _bucket_format, statements_by_id

    offset = (page - 1) * limit
    if offset >= MAX_OFFSET:
        raise QueryError(f"page {page} is too deep (at most {MAX_OFFSET} statements can be paged)")
    r = conn.execute("SELECT id, name, type, aliases, roles, affiliations, forms, n_statements, n_articles, "
                     "first_seen, last_seen FROM speaker_identity WHERE id = ?", (identity_id,)).fetchone()
    if r is None:
        return None
    try:
        side = counts.execute("SELECT said FROM idents WHERE iid = ?", (identity_id,)).fetchone()
    except sqlite3.OperationalError:
        side = None
    if side is not None:
        said = int(side[0])
        dims: dict[str, list[tuple[str, int]]] = {}
        for d in counts.execute("SELECT dim, value, n FROM idims WHERE iid = ? ORDER BY n DESC, value", (identity_id,)):
            dims.setdefault(d[0], []).append((d[1], d[2]))
    else:  # the side file predates the link run: the figures wait for its rebuild, the statements do not
        said = int(conn.execute("SELECT count(*) FROM statement_identity WHERE identity_id = ?",
                                (identity_id,)).fetchone()[0])
        dims = {}
    width, unit = _bucket_format(r["first_seen"], r["last_seen"])
    timeline: Counter[str] = Counter()
    for day, n in dims.get("day", ()):
        timeline[day[:width]] += n
    items = statements_by_id(conn, _page_ids(conn, counts, identity_id, side is not None, limit, offset))
    color = speaker_color(r["name"])
    for st in items:  # on its page, every statement wears the identity's colour, whatever the name said
        st["speaker"]["color"] = color

    def top(dim: str) -> list[dict[str, Any]]:
        return [{"value": v, "count": n} for v, n in dims.get(dim, ())[:TOP]]

    return {
        "id": r["id"], "name": r["name"], "type": r["type"], "color": color,
        "aliases": [str(a) for a in json_list(r["aliases"])], "roles": _dated(r["roles"], 50),
        "affiliations": _dated(r["affiliations"], 50), "forms": len(json_list(r["forms"])),
        "statements": r["n_statements"], "articles": r["n_articles"], "said": said,
        "first_seen": r["first_seen"], "last_seen": r["last_seen"],
        "channels": top("channel"), "outlets": top("outlet"), "stances": top("stance"),
        "timeline": {"unit": unit, "points": [{"period": p, "count": n} for p, n in sorted(timeline.items())]},
        "page": page, "limit": limit, "pages": max(1, min(-(-said // limit), -(-MAX_OFFSET // limit))),
        "items": fold_copies(items),
    }
