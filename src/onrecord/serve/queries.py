"""The reading room's read-only SQL over the ledger: search, statements, articles, speakers, stories.

Every function takes an open connection and returns plain dicts shaped like the API's response models.
All SQL is parameterised. Work per request is bounded: a search reads at most ``cap`` rows to count and
facet (the answer says when a figure covers only part of the matches), its page is found by walking an
index when matches are many, per-speaker figures come from the side file (``aggregates``), and a story
reads at most ``max_articles`` articles. On a linked ledger, statements also carry their speaker identity,
stance and links, and the speaker facet counts identities (``identities``).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .highlight import PALETTE_SIZE, speaker_color
from .identities import annotate, identity_facet, is_linked, json_list

WHEN = "coalesce(s.date, a.published)"
STATEMENT_COLUMNS = (
    "s.id, s.article_id, s.seq, s.kind, s.content, s.content_start, s.content_end, s.cue, s.cue_start, s.cue_end, "
    "s.speaker_mention, s.mention_start, s.mention_end, s.speaker_id, s.speaker_name, s.speaker_type, s.role, "
    f"s.affiliation, s.issued_by, s.via, s.channel, s.date, {WHEN} AS when_, s.confidence, s.flags, "
    "a.title AS a_title, a.outlet AS a_outlet, a.published AS a_published, a.url AS a_url"
)
# a statement's date is the extracted one; the engine gives every statement of a dated article a date
SORTS = {
    "date": ("s.date DESC, s.id DESC", "statements_date"),
    "oldest": ("s.date ASC, s.id ASC", "statements_date"),
    "recorded": ("s.id DESC", None),
}
MAX_OFFSET = 10_000


class QueryError(ValueError):
    """A search the ledger cannot run as asked (a malformed full-text query, a page too deep)."""


def _fts_error(e: sqlite3.OperationalError) -> bool:
    msg = str(e)
    return msg.startswith("fts5") or msg.startswith(("no such column", "unterminated string", "unknown special query"))


def _run(conn: sqlite3.Connection, sql: str, params: list[Any] | tuple[Any, ...]) -> list[sqlite3.Row]:
    """Execute ``sql``; a full-text syntax error becomes a QueryError with SQLite's message."""
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as e:
        if _fts_error(e):
            raise QueryError(f"malformed full-text query: {e}") from None
        raise


def _span(text: str | None, start: int | None, end: int | None) -> dict[str, Any] | None:
    if text is None or start is None or end is None:
        return None
    return {"text": text, "start": start, "end": end}


def distinct_colors(names: list[str | None]) -> dict[str | None, int]:
    """Each speaker's own colour, except that speakers sharing one on a page get the next free colours.

    Deterministic: names are served in sorted order, so a page always colours the same way.
    """
    out: dict[str | None, int] = {}
    used: set[int] = set()
    for name in sorted(set(names), key=lambda n: (n is None, n or "")):
        color = speaker_color(name)
        for step in range(PALETTE_SIZE):
            candidate = (color + step) % PALETTE_SIZE
            if candidate not in used:
                color = candidate
                break
        used.add(color)
        out[name] = color
    return out


def statement_dict(r: sqlite3.Row) -> dict[str, Any]:
    """A statement row (``STATEMENT_COLUMNS``) as the API's Statement shape."""
    return {
        "id": r["id"],
        "article_id": r["article_id"],
        "seq": r["seq"],
        "kind": r["kind"],
        "content": r["content"],
        "content_start": r["content_start"],
        "content_end": r["content_end"],
        "cue": _span(r["cue"], r["cue_start"], r["cue_end"]),
        "speaker": {
            "id": r["speaker_id"],
            "name": r["speaker_name"],
            "type": r["speaker_type"],
            "mention": _span(r["speaker_mention"], r["mention_start"], r["mention_end"]),
            "role": r["role"],
            "affiliation": r["affiliation"],
            "issued_by": r["issued_by"],
            "color": speaker_color(r["speaker_name"]),
            "identity": None,
        },
        "via": r["via"],
        "channel": r["channel"],
        "date": r["date"],
        "when": r["when_"],
        "confidence": r["confidence"],
        "flags": [str(f) for f in json_list(r["flags"])],
        "stance": None,
        "links": [],
        "duplicate_of": None,
        "article": {"id": r["article_id"], "title": r["a_title"], "outlet": r["a_outlet"],
                    "published": r["a_published"], "url": r["a_url"]},
    }


@dataclass(frozen=True, slots=True)
class Filters:
    """What a statement search asks for; None means no constraint (``identity``: a linked ledger's speaker)."""

    q: str | None = None
    speaker: str | None = None
    identity: int | None = None
    kind: str | None = None
    channel: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None

    def where(self, fts_joined: bool = False) -> tuple[str, list[Any]]:
        """The WHERE clause and its parameters; ``fts_joined`` when the FROM clause joins statements_fts."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.q:
            clauses.append("statements_fts MATCH ?" if fts_joined else
                           "s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)")
            params.append(self.q)
        if self.identity is not None:  # statement_identity is joined (``joins``)
            clauses.append("si.identity_id = ?")
            params.append(self.identity)
        for column, value in (("s.speaker_name", self.speaker), ("s.kind", self.kind),
                              ("s.channel", self.channel), ("a.outlet", self.outlet)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.since:
            clauses.append("s.date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("s.date <= ?")
            params.append(self.until)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def joins(self, after_fts: bool = False) -> str:
        """What the WHERE clause needs joined to ``statements s``: articles for an outlet, the identity table.

        The identity is a join, so a walk stops at the page (an IN list is read whole first); after the
        full-text index it is a CROSS JOIN, which keeps SQLite from matching each of a speaker's statements.
        """
        out = " JOIN articles a ON a.id = s.article_id" if self.outlet is not None else ""
        if self.identity is not None:
            out += f" {'CROSS ' if after_fts else ''}JOIN statement_identity si ON si.statement_id = s.id"
        return out


def _facet(counter: Counter[Any], top: int) -> list[dict[str, Any]]:
    return [{"value": v, "count": n} for v, n in counter.most_common(top) if v is not None]


def _has_index(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)).fetchone() is not None


def _page_ids(conn: sqlite3.Connection, f: Filters, sort: str, many: bool, limit: int, offset: int) -> list[int]:
    """The ids of one page of matches in ``sort`` order, with the plan chosen by how many rows match.

    Few matches (at most the count cap): read their sort keys and sort them (the ``+`` keeps SQLite from
    walking an index instead). Many: walk the date index (or the rowids) in order and stop at the page,
    which is quick because matches are dense. Only the statements table is read (articles only for an
    outlet filter); the page's full rows are fetched afterwards.
    """
    order, index = SORTS[sort]
    where, params = f.where()
    hint = f" INDEXED BY {index}" if many and index and _has_index(conn, index) else ""
    if not many:
        order = ", ".join("+" + term for term in order.split(", "))
    rows = _run(conn, f"SELECT s.id FROM statements s{hint}{f.joins()}{where} ORDER BY {order} LIMIT ? OFFSET ?",
                [*params, limit, offset])
    return [r[0] for r in rows]


def statements_by_id(conn: sqlite3.Connection, ids: list[int]) -> list[dict[str, Any]]:
    """Statements (API shape) for ``ids``, in that order."""
    if not ids:
        return []
    rows = conn.execute(f"SELECT {STATEMENT_COLUMNS} FROM statements s JOIN articles a ON a.id = s.article_id "
                        "WHERE s.id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)).fetchall()
    by_id = {r["id"]: r for r in rows}
    return annotate(conn, [statement_dict(by_id[i]) for i in ids if i in by_id])


def search_statements(conn: sqlite3.Connection, f: Filters, *, page: int = 1, limit: int = 20,
                      sort: str = "date", cap: int = 1000, facet_sample: int = 300,
                      facet_top: int = 10) -> dict[str, Any]:
    """One page of matching statements, the total, and facet counts.

    A full-text query alone is counted exactly (from the index, without reading rows); with other filters,
    matches are counted up to ``cap``. Facets count the first ``facet_sample`` matches. ``total_capped`` /
    ``facets_sampled`` say when a figure covers only part of the matches.
    """
    offset = (page - 1) * limit
    if offset >= MAX_OFFSET:
        raise QueryError(f"page {page} is too deep (at most {MAX_OFFSET} results can be paged); narrow the search")
    linked = is_linked(conn)
    if f.identity is not None and not linked:
        raise QueryError("the ledger has no speaker identities: run `onrecord link --db LEDGER` first")
    streamed, params = f.where(fts_joined=True)  # the first matches, read straight from the full-text index
    source = "statements_fts JOIN statements s ON s.id = statements_fts.rowid" if f.q else "statements s"
    source += f.joins(after_fts=bool(f.q))
    q_only = bool(f.q) and f == Filters(q=f.q)
    counted = _run(conn, f"SELECT s.speaker_name, s.speaker_id, s.article_id, s.kind, s.channel, "
                         f"substr(s.date, 1, 4), s.id FROM {source}{streamed} LIMIT ?",
                   [*params, (facet_sample if q_only else cap) + 1])
    if q_only:
        total = int(_run(conn, "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH ?", [f.q])[0][0])
        capped = False
    else:
        total, capped = min(len(counted), cap), len(counted) > cap
    sampled = len(counted) > facet_sample
    sample = counted[:facet_sample]
    items = statements_by_id(conn, _page_ids(conn, f, sort, total > cap or capped, limit, offset))
    article_ids = sorted({r[2] for r in sample})
    outlet_of = dict(conn.execute("SELECT id, outlet FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                                  (json.dumps(article_ids),)).fetchall()) if article_ids else {}
    speakers: Counter[str | None] = Counter()
    speaker_ids: dict[str, int] = {}
    outlets: Counter[str | None] = Counter()
    kinds: Counter[str | None] = Counter()
    channels: Counter[str | None] = Counter()
    years: Counter[str | None] = Counter()
    for name, sid, article_id, kind, channel, year, _ in sample:
        speakers[name] += 1
        if name is not None and sid is not None:
            speaker_ids.setdefault(name, sid)
        outlets[outlet_of.get(article_id)] += 1
        kinds[kind] += 1
        channels[channel] += 1
        years[year] += 1
    if linked:  # one entry per identity, a wire story's copies once
        speaker_facet = identity_facet(conn, [(r[6], r[2]) for r in sample], facet_top)
    else:
        speaker_facet = _facet(speakers, facet_top)
        for item in speaker_facet:
            item["id"] = speaker_ids.get(item["value"])
            item["color"] = speaker_color(item["value"])
    return {
        "items": items,
        "total": total,
        "total_capped": capped,
        "facets_sampled": sampled,
        "page": page,
        "limit": limit,
        "pages": max(1, min(-(-total // limit), -(-MAX_OFFSET // limit))),
        "speakers_by": "identity" if linked else "name",
        "facets": {
            "speaker": speaker_facet,
            "outlet": _facet(outlets, facet_top),
            "kind": _facet(kinds, facet_top),
            "channel": _facet(channels, facet_top),
            "year": sorted(_facet(years, 50), key=lambda d: d["value"]),
        },
    }


def get_statement(conn: sqlite3.Connection, statement_id: int) -> dict[str, Any] | None:
    rows = conn.execute(f"SELECT {STATEMENT_COLUMNS} FROM statements s JOIN articles a ON a.id = s.article_id "
                        "WHERE s.id = ?", (statement_id,)).fetchall()
    return annotate(conn, [statement_dict(rows[0])])[0] if rows else None


def get_article(conn: sqlite3.Connection, article_id: int) -> dict[str, Any] | None:
    """The article with its body, statements (in order) and the speakers they cite."""
    a = conn.execute("SELECT id, ext_id, source, url, title, published, authors, outlet, credits, language, captions, "
                     "text FROM articles WHERE id = ?", (article_id,)).fetchone()
    if a is None:
        return None
    rows = conn.execute(f"SELECT {STATEMENT_COLUMNS} FROM statements s JOIN articles a ON a.id = s.article_id "
                        "WHERE s.article_id = ? ORDER BY s.seq", (article_id,)).fetchall()
    statements = annotate(conn, [statement_dict(r) for r in rows])

    def who(sp: dict[str, Any]) -> str | None:  # on a linked ledger, "Vostok" and "Irena Vostok" are one speaker
        return sp["identity"]["name"] if sp["identity"] else sp["name"]

    colors = distinct_colors([who(st["speaker"]) for st in statements])
    for st in statements:
        st["speaker"]["color"] = colors[who(st["speaker"])]
    speakers: dict[tuple[Any, ...], dict[str, Any]] = {}
    for st in statements:
        sp = st["speaker"]
        key = ("identity", sp["identity"]["id"]) if sp["identity"] else (sp["name"], sp["type"])
        entry = speakers.setdefault(key, {"id": sp["id"], "name": who(sp), "type": sp["type"], "color": sp["color"],
                                          "statements": 0, "identity": sp["identity"]})
        entry["statements"] += 1
    problems = [{"code": r["code"], "message": r["message"]} for r in
                conn.execute("SELECT code, message FROM problems WHERE article_id = ? ORDER BY id", (article_id,))]
    return {
        "id": a["id"], "ext_id": a["ext_id"], "source": a["source"], "url": a["url"], "title": a["title"],
        "published": a["published"], "authors": [str(x) for x in json_list(a["authors"])], "outlet": a["outlet"],
        "credits": [str(x) for x in json_list(a["credits"])], "language": a["language"],
        "captions": [str(x) for x in json_list(a["captions"])], "text": a["text"],
        "statements": statements, "speakers": list(speakers.values()), "problems": problems,
    }


# -- speakers: a served speaker is every per-article `speakers` row with the same name and type --------------

def speaker_key(conn: sqlite3.Connection, speaker_id: int) -> tuple[str | None, str] | None:
    row = conn.execute("SELECT name, type FROM speakers WHERE id = ?", (speaker_id,)).fetchone()
    return None if row is None else (row["name"], row["type"])


def list_speakers(counts: sqlite3.Connection, *, q: str | None = None, type_: str | None = None,
                  page: int = 1, limit: int = 50) -> dict[str, Any]:
    """Speakers across articles (grouped by name and type), most quoted first; ``counts`` is the side file."""
    offset = (page - 1) * limit
    if offset >= MAX_OFFSET:
        raise QueryError(f"page {page} is too deep (at most {MAX_OFFSET} speakers can be paged); narrow the list")
    clauses, params = ["name IS NOT NULL"], []
    if q:
        clauses.append("name LIKE ? ESCAPE '\\'")
        params.append("%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if type_:
        clauses.append("type = ?")
        params.append(type_)
    where = " WHERE " + " AND ".join(clauses)
    rows = counts.execute(f"SELECT min_id, name, type, statements, articles FROM groups{where} ORDER BY gid "
                          "LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    total = counts.execute(f"SELECT count(*) FROM groups{where}", params).fetchone()[0]
    items = [{"id": r["min_id"], "name": r["name"], "type": r["type"], "statements": r["statements"],
              "articles": r["articles"], "color": speaker_color(r["name"])} for r in rows]
    return {"items": items, "total": total, "page": page, "limit": limit, "pages": max(1, -(-total // limit)),
            "speakers_by": "name"}


def _bucket_format(first: str | None, last: str | None) -> tuple[int, str]:
    """How many characters of an ISO date make a time bucket: days for a short span, months, or years."""
    if not first or not last:
        return 7, "month"
    span_years = int(last[:4]) - int(first[:4]) if last[:4].isdigit() and first[:4].isdigit() else 0
    if span_years >= 8:
        return 4, "year"
    if first[:7] == last[:7] or (len(first) >= 10 and len(last) >= 10 and _days(first, last) <= 92):
        return 10, "day"
    return 7, "month"


def _days(a: str, b: str) -> int:
    try:
        return (date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days
    except ValueError:
        return 10_000


def period_range(first: str, last: str, unit: str, limit: int = 2000) -> list[str]:
    """Every period from ``first`` to ``last`` (both already cut to the unit), gaps included."""
    out: list[str] = []
    try:
        if unit == "year":
            out = [f"{y:04d}" for y in range(int(first), int(last) + 1)]
        elif unit == "month":
            y, m = int(first[:4]), int(first[5:7])
            while f"{y:04d}-{m:02d}" <= last and len(out) < limit:
                out.append(f"{y:04d}-{m:02d}")
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        else:
            d, end = date.fromisoformat(first), date.fromisoformat(last)
            while d <= end and len(out) < limit:
                out.append(d.isoformat())
                d += timedelta(days=1)
    except ValueError:
        return sorted({first, last})
    return out[:limit] if out and out[-1] == last else sorted({first, last})


def get_speaker(conn: sqlite3.Connection, counts: sqlite3.Connection, speaker_id: int, *,
                recent: int = 20) -> dict[str, Any] | None:
    """One speaker across articles: counts, roles, affiliations, channels, kinds, a timeline, recent statements.

    ``speaker_id`` is any ``speakers.id`` of the speaker; counts come from the side file (``aggregates``).
    """
    key = speaker_key(conn, speaker_id)
    if key is None:
        return None
    name, type_ = key
    group = counts.execute("SELECT * FROM groups WHERE name IS ? AND type IS ?", (name, type_)).fetchone()
    if group is None:  # the ledger changed since the counts were made
        return None
    dims: dict[str, list[tuple[str, int]]] = {}
    for r in counts.execute("SELECT dim, value, n FROM dims WHERE gid = ? ORDER BY n DESC, value", (group["gid"],)):
        dims.setdefault(r["dim"], []).append((r["value"], r["n"]))
    width, unit = _bucket_format(group["first"], group["last"])
    timeline: Counter[str] = Counter()
    for day, n in dims.get("day", ()):
        timeline[day[:width]] += n
    if name is None:
        sel, params = "s.speaker_id = ?", [speaker_id]
    else:
        sel, params = "s.speaker_name = ? AND s.speaker_type = ?", [name, type_]
    many = name is not None and group["statements"] > 2000  # then walk the date index, as a search does
    hint = " INDEXED BY statements_date" if many and _has_index(conn, "statements_date") else ""
    order = "s.date DESC, s.id DESC" if many else "+s.date DESC, +s.id DESC"
    ids = [r[0] for r in conn.execute(f"SELECT s.id FROM statements s{hint} WHERE {sel} ORDER BY {order} LIMIT ?",
                                      [*params, recent])]

    def top(dim: str) -> list[dict[str, Any]]:
        return [{"value": v, "count": n} for v, n in dims.get(dim, ())[:20]]

    return {
        "id": group["min_id"] if name is not None else speaker_id, "name": name, "type": type_,
        "color": speaker_color(name), "statements": group["statements"], "articles": group["articles"],
        "first_seen": group["first"], "last_seen": group["last"], "undated": group["undated"],
        "roles": top("role"), "affiliations": top("affiliation"), "channels": top("channel"),
        "kinds": top("kind"), "outlets": top("outlet"),
        "timeline": {"unit": unit, "points": [{"period": p, "count": n} for p, n in sorted(timeline.items())]},
        "recent": statements_by_id(conn, ids),
    }


def story(conn: sqlite3.Connection, q: str, *, max_articles: int = 500, top_speakers: int = 8,
          max_statements: int = 200) -> dict[str, Any]:
    """Statements of the articles matching ``q`` (title or body), counted by speaker (identity, on a linked
    ledger) over time."""
    ids = [r[0] for r in _run(conn, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC "
                                    "LIMIT ?", (q, max_articles + 1))]
    capped = len(ids) > max_articles
    ids = ids[:max_articles]
    rows: list[sqlite3.Row] = []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        rows += conn.execute(f"SELECT {STATEMENT_COLUMNS} FROM statements s JOIN articles a ON a.id = s.article_id "
                             f"WHERE s.article_id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    rows.sort(key=lambda r: (r["when_"] or "9999", r["article_id"], r["seq"]))
    dated = [r for r in rows if r["when_"]]
    width, unit = _bucket_format(dated[0]["when_"] if dated else None, dated[-1]["when_"] if dated else None)
    present = sorted({r["when_"][:width] for r in dated})
    periods = period_range(present[0], present[-1], unit) if present else []
    if not set(present) <= set(periods):  # dates that are not calendar dates: keep the ones seen
        periods = present
    identity: dict[int, tuple[int, str]] = {}
    if is_linked(conn):
        identity = {r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT si.statement_id, si.identity_id, i.name FROM statement_identity si "
            "JOIN speaker_identity i ON i.id = si.identity_id "
            "WHERE si.statement_id IN (SELECT value FROM json_each(?))", (json.dumps([r["id"] for r in rows]),))}

    def who(statement_id: int, name: str | None) -> tuple[int | None, str | None]:
        """A series key: (identity id, its name) on a linked ledger, else (None, the speaker's name)."""
        return identity.get(statement_id, (None, name))

    by_speaker: Counter[tuple[int | None, str | None]] = Counter(who(r["id"], r["speaker_name"]) for r in dated)
    top = [k for k, _ in by_speaker.most_common() if k[1] is not None][:top_speakers]
    first_id: dict[tuple[int | None, str | None], int] = {}
    for r in dated:
        first_id.setdefault(who(r["id"], r["speaker_name"]), r["speaker_id"])
    index = {p: i for i, p in enumerate(periods)}
    series: dict[tuple[int | None, str | None], list[int]] = {k: [0] * len(periods) for k in top}
    other = [0] * len(periods)
    for r in dated:
        target = series.get(who(r["id"], r["speaker_name"]), other)
        target[index[r["when_"][:width]]] += 1
    colors = distinct_colors([*(name for _, name in top), None])
    out_series = [{"speaker_id": first_id.get(k), "identity_id": k[0], "name": k[1], "color": colors[k[1]],
                   "total": sum(counts), "counts": counts} for k, counts in series.items()]
    if any(other):
        out_series.append({"speaker_id": None, "identity_id": None, "name": None, "color": colors[None],
                           "total": sum(other), "counts": other})
    items = annotate(conn, [statement_dict(r) for r in rows[:max_statements]])
    for st in items:
        st["speaker"]["color"] = colors.get(who(st["id"], st["speaker"]["name"])[1], colors[None])
    return {
        "q": q, "articles": len(ids), "articles_capped": capped, "statements": len(rows),
        "unit": unit, "periods": periods, "series": out_series,
        "items": items,
    }
