"""The JSON API: GET only, under /api. Shapes in ``schemas``; SQL in ``queries``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from . import queries, schemas

DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"

router = APIRouter(prefix="/api", tags=["api"])


def connection(request: Request) -> Iterator[sqlite3.Connection]:
    """A read-only ledger connection for the length of one request."""
    with request.app.state.pool.connection() as conn:
        yield conn


def counts_connection(request: Request) -> sqlite3.Connection:
    """The per-speaker counts (``aggregates``) of the ledger's current state."""
    return request.app.state.counts.connection()


Conn = Annotated[sqlite3.Connection, Depends(connection)]
Counts = Annotated[sqlite3.Connection, Depends(counts_connection)]
Kind = Literal["direct", "indirect", "mixed"]
Sort = Literal["date", "oldest", "recorded"]


def until_bound(until: str | None) -> str | None:
    """An inclusive upper bound for ISO dates: "2019" covers all of 2019, "2019-05" all of May."""
    if until is None:
        return None
    return until + "-99" * ((10 - len(until)) // 3)


def filters(
    q: Annotated[str | None, Query(max_length=500, description="full-text query (SQLite FTS5 syntax) over "
                                                                "statement content and speaker name")] = None,
    speaker: Annotated[str | None, Query(max_length=300, description="exact speaker name")] = None,
    kind: Kind | None = None,
    channel: Annotated[str | None, Query(max_length=100)] = None,
    outlet: Annotated[str | None, Query(max_length=300)] = None,
    since: Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY[-MM[-DD]], inclusive")] = None,
    until: Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY[-MM[-DD]], inclusive")] = None,
) -> queries.Filters:
    return queries.Filters(q=(q or "").strip() or None, speaker=speaker or None, kind=kind, channel=channel or None,
                           outlet=outlet or None, since=since, until=until_bound(until))


def bad_request(e: queries.QueryError) -> HTTPException:
    return HTTPException(status_code=400, detail=str(e))


NOT_FOUND = {404: {"model": schemas.ErrorOut, "description": "no such id"}}
BAD = {400: {"model": schemas.ErrorOut, "description": "malformed full-text query or page too deep"}}


@router.get("/statements", response_model=schemas.SearchResult, responses=BAD)
def search(
    request: Request,
    conn: Conn,
    f: Annotated[queries.Filters, Depends(filters)],
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    sort: Sort = "date",
) -> dict:
    """Statements matching a full-text query and filters, newest first; totals and facets counted up to a cap."""
    try:
        return queries.search_statements(conn, f, page=page, limit=limit, sort=sort, cap=request.app.state.count_cap)
    except queries.QueryError as e:
        raise bad_request(e) from None


@router.get("/statements/{statement_id}", response_model=schemas.Statement, responses=NOT_FOUND)
def statement(statement_id: int, conn: Conn) -> dict:
    """One statement with its offsets, speaker and article."""
    found = queries.get_statement(conn, statement_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no statement {statement_id}")
    return found


@router.get("/speakers", response_model=schemas.SpeakerList, responses=BAD)
def speakers(
    counts: Counts,
    q: Annotated[str | None, Query(max_length=300, description="part of the name")] = None,
    type: Annotated[str | None, Query(max_length=30, description="person, organization, anonymous, ...")] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict:
    """Speakers across articles (same name and type), most quoted first."""
    try:
        return queries.list_speakers(counts, q=(q or "").strip() or None, type_=type or None, page=page, limit=limit)
    except queries.QueryError as e:
        raise bad_request(e) from None


@router.get("/speakers/{speaker_id}", response_model=schemas.SpeakerDetail, responses=NOT_FOUND)
def speaker(speaker_id: int, conn: Conn, counts: Counts) -> dict:
    """A speaker across articles: counts, roles, affiliations, channels, timeline and recent statements."""
    found = queries.get_speaker(conn, counts, speaker_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no speaker {speaker_id}")
    return found


@router.get("/articles/{article_id}", response_model=schemas.ArticleDetail, responses=NOT_FOUND)
def article(article_id: int, conn: Conn) -> dict:
    """An article's clean body with every statement and its offsets into that body."""
    found = queries.get_article(conn, article_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no article {article_id}")
    return found


@router.get("/story", response_model=schemas.Story, responses=BAD)
def story(
    conn: Conn,
    q: Annotated[str, Query(min_length=1, max_length=500, description="full-text query over article titles and bodies")],
) -> dict:
    """The statements of the articles matching ``q``, counted by speaker over time."""
    if not q.strip():
        raise HTTPException(status_code=400, detail="empty story query")
    try:
        return queries.story(conn, q.strip())
    except queries.QueryError as e:
        raise bad_request(e) from None
