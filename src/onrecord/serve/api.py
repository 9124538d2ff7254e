"""The JSON API: GET only, under /api. Shapes in ``schemas``; SQL in ``queries`` and ``identities``.

On a linked ledger (``onrecord link``) speakers are identities across articles: /api/speakers lists them,
/api/identities/{id or name} shows one, and /api/speakers/{speakers.id} redirects to its identity.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

import anyio

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from . import identities, queries, schemas
from .db import ResultCache

DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"

router = APIRouter(prefix="/api", tags=["api"])
T = TypeVar("T")


async def ledger_call(request: Request, fn: Callable[..., T], *args: Any, counts: bool = False, **kw: Any) -> T:
    """Run ``fn(conn, [counts,] *args, **kw)`` on a pooled read-only connection in the thread pool.

    Endpoints are ``async def`` and make this one trip to the thread pool, so FastAPI validates and serializes
    the answer on the event loop instead of hopping threads for every step.
    """
    def job() -> T:
        with request.app.state.pool.connection() as conn:
            if counts:
                return fn(conn, request.app.state.counts.connection(), *args, **kw)
            return fn(conn, *args, **kw)

    state = request.app.state
    if state.limiter is None:  # made on first use, inside the event loop
        state.limiter = anyio.CapacityLimiter(state.threads)
    try:
        return await anyio.to_thread.run_sync(job, limiter=state.limiter)
    except queries.QueryError as e:
        raise HTTPException(status_code=400, detail=str(e)) from None


Kind = Literal["direct", "indirect", "mixed"]
Sort = Literal["date", "oldest", "recorded"]


def until_bound(until: str | None) -> str | None:
    """An inclusive upper bound for ISO dates: "2019" covers all of 2019, "2019-05" all of May."""
    if until is None:
        return None
    return until + "-99" * ((10 - len(until)) // 3)


async def filters(
    q: Annotated[str | None, Query(max_length=500, description="full-text query (SQLite FTS5 syntax) over "
                                                                "statement content and speaker name")] = None,
    speaker: Annotated[str | None, Query(max_length=300, description="exact speaker name")] = None,
    identity: Annotated[int | None, Query(ge=1, description="a speaker identity's id (a linked ledger)")] = None,
    kind: Kind | None = None,
    channel: Annotated[str | None, Query(max_length=100)] = None,
    outlet: Annotated[str | None, Query(max_length=300)] = None,
    since: Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY[-MM[-DD]], inclusive")] = None,
    until: Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY[-MM[-DD]], inclusive")] = None,
) -> queries.Filters:
    return queries.Filters(q=(q or "").strip() or None, speaker=speaker or None, identity=identity, kind=kind,
                           channel=channel or None, outlet=outlet or None, since=since, until=until_bound(until))


NOT_FOUND = {404: {"model": schemas.ErrorOut, "description": "no such id"}}
BAD = {400: {"model": schemas.ErrorOut, "description": "malformed full-text query or page too deep"}}


def found(value: dict | None, what: str, ident: int) -> dict:
    if value is None:
        raise HTTPException(status_code=404, detail=f"no {what} {ident}")
    return value


@router.get("/statements", response_model=schemas.SearchResult, responses=BAD)
async def search(
    request: Request,
    f: Annotated[queries.Filters, Depends(filters)],
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    sort: Sort = "date",
) -> Response:
    """Statements matching a full-text query and filters, newest first, with the total and facet counts."""
    body = await ledger_call(request, cached_search_json, f, page, limit, sort, request.app.state.count_cap,
                             request.app.state.pool.cache)
    return Response(body, media_type="application/json")  # already shaped by the response model, once


def cached_search_json(conn: sqlite3.Connection, f: queries.Filters, page: int, limit: int, sort: str, cap: int,
                       cache: ResultCache) -> bytes:
    """The search's JSON body as the response model shapes it, computed once per search and ledger state."""
    return cache.get(("search-json", f, page, limit, sort, cap),
                     lambda: schemas.SearchResult.model_validate(
                         cached_search(conn, f, page, limit, sort, cap, cache)).model_dump_json().encode())


def cached_search(conn: sqlite3.Connection, f: queries.Filters, page: int, limit: int, sort: str, cap: int,
                  cache: ResultCache) -> dict:
    """``queries.search_statements``, answered from the cache when the same search was made on this ledger."""
    return cache.get(("search", f, page, limit, sort, cap),
                     lambda: queries.search_statements(conn, f, page=page, limit=limit, sort=sort, cap=cap))


@router.get("/statements/{statement_id}", response_model=schemas.Statement, responses=NOT_FOUND)
async def statement(request: Request, statement_id: int) -> dict:
    """One statement with its offsets, speaker and article."""
    return found(await ledger_call(request, queries.get_statement, statement_id), "statement", statement_id)


@router.get("/speakers", response_model=schemas.SpeakerList, responses=BAD)
async def speakers(
    request: Request,
    q: Annotated[str | None, Query(max_length=300, description="part of the name")] = None,
    type: Annotated[str | None, Query(max_length=30, description="person, organization, anonymous, ...")] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict:
    """Speakers across articles, most quoted first: identities on a linked ledger, else same name and type."""
    def listing(conn: sqlite3.Connection, counts: sqlite3.Connection) -> dict:
        query = (q or "").strip() or None
        if identities.is_linked(conn):
            return identities.list_identities(conn, counts, q=query, type_=type or None, page=page, limit=limit)
        return queries.list_speakers(counts, q=query, type_=type or None, page=page, limit=limit)

    return await ledger_call(request, listing, counts=True)


REDIRECT = {307: {"description": "a linked ledger: the speaker's identity, /api/identities/{id}"}}


@router.get("/speakers/{speaker_id}", response_model=schemas.SpeakerDetail, responses={**NOT_FOUND, **REDIRECT})
async def speaker(request: Request, speaker_id: int) -> Any:
    """A speaker across articles: counts, roles, affiliations, channels, timeline and recent statements.

    On a linked ledger, a redirect to the identity of this per-article speaker.
    """
    def lookup(conn: sqlite3.Connection, counts: sqlite3.Connection) -> dict | int | None:
        if identities.is_linked(conn):
            iid = identities.speaker_identity_id(conn, speaker_id)
            if iid is not None:
                return iid
        return queries.get_speaker(conn, counts, speaker_id)

    answer = await ledger_call(request, lookup, counts=True)
    if isinstance(answer, int):
        return RedirectResponse(f"/api/identities/{answer}", status_code=307)
    return found(answer, "speaker", speaker_id)


AMBIGUOUS = {409: {"model": schemas.Ambiguous, "description": "the name fits several identities"}}


@router.get("/identities/{ref}", response_model=schemas.IdentityDetail,
            responses={**NOT_FOUND, **AMBIGUOUS, **BAD})
async def identity(
    request: Request,
    ref: Annotated[str, Path(max_length=300, description="an identity id, or a name or alias (case aside)")],
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Any:
    """A speaker across articles on a linked ledger: aliases, dated roles and affiliations, counts (copies of a
    wire story once), breakdowns, a timeline, and one page of its statements, newest first, copies folded,
    denials and confirmations marked with what they deny or confirm."""
    def lookup(conn: sqlite3.Connection, counts: sqlite3.Connection) -> Any:
        try:
            iid = identities.resolve(conn, ref)
        except identities.NotLinked:
            raise HTTPException(status_code=404, detail="the ledger has no speaker identities: "
                                                        "run `onrecord link --db LEDGER` first") from None
        if iid is None or isinstance(iid, list):
            return iid
        return identities.get_identity(conn, counts, iid, page=page, limit=limit)

    answer = await ledger_call(request, lookup, counts=True)
    if isinstance(answer, list):
        return JSONResponse({"detail": f"{ref!r} names {len(answer)} speakers; use an id", "candidates": answer},
                            status_code=409)
    if answer is None:
        raise HTTPException(status_code=404, detail=f"no speaker identity {ref!r}")
    return answer


@router.get("/articles/{article_id}", response_model=schemas.ArticleDetail, responses=NOT_FOUND)
async def article(request: Request, article_id: int) -> dict:
    """An article's clean body with every statement and its offsets into that body."""
    return found(await ledger_call(request, queries.get_article, article_id), "article", article_id)


@router.get("/story", response_model=schemas.Story, responses=BAD)
async def story(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="full-text query over article titles and bodies")],
) -> dict:
    """The statements of the articles matching ``q``, counted by speaker over time."""
    if not q.strip():
        raise HTTPException(status_code=400, detail="empty story query")
    return await ledger_call(request, queries.story, q.strip())
