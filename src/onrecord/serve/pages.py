"""The reading room's HTML pages: search, article, speakers, speaker, identity, story.

Server-rendered with autoescape on. On a linked ledger, speakers are identities across articles:
``/identities/{id}`` is a speaker's page and ``/speakers/{id or name}`` leads there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .. import __version__
from . import identities, queries
from .api import cached_search, until_bound
from .highlight import highlight, marks_for

router = APIRouter(include_in_schema=False)

env = Environment(
    loader=PackageLoader("onrecord.serve", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.globals["static"] = lambda name: f"/static/{name}?v={__version__}"

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SEARCH_KEYS = ("q", "speaker", "identity", "kind", "channel", "outlet", "since", "until", "sort", "limit", "page")


def render(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(env.get_template(template).render(**context), status_code=status_code)


def error_page(status: int, heading: str, message: str) -> HTMLResponse:
    return render("error.html", status, status=status, heading=heading, message=message, q=None)


def url_builder(path: str, params: Mapping[str, str]) -> Callable[..., str]:
    """``url(key=value, other=None)``: ``path`` with ``params`` changed (None removes a key)."""

    def url(**changes: Any) -> str:
        merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
        return path + ("?" + urlencode(merged) if merged else "")

    return url


def _page_number(raw: str | None) -> int:
    try:
        return max(1, min(10_000, int(raw or 1)))
    except ValueError:
        return 1


def safe_link(url: str | None) -> str | None:
    """A link target only when it is plain http(s); anything else (javascript:, data:) is not linked."""
    if url and re.match(r"^https?://", url, re.IGNORECASE):
        return url
    return None


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request) -> HTMLResponse:
    raw = request.query_params
    params = {k: raw[k].strip() for k in SEARCH_KEYS if raw.get(k, "").strip()}
    params.pop("page", None)
    page = _page_number(raw.get("page"))
    url = url_builder("/", params)
    q = params.get("q")
    error = None
    if params.get("kind") and params["kind"] not in ("direct", "indirect", "mixed"):
        error = f"unknown kind {params['kind']!r}: use direct, indirect or mixed"
    sort = params.get("sort", "date")
    if sort not in queries.SORTS:
        error = f"unknown sort {sort!r}: use date, oldest or recorded"
    for key in ("since", "until"):
        if params.get(key) and not DATE.match(params[key]):
            error = f"{key} must be a date like 2019-02-25 (got {params[key]!r})"
    identity = None
    if params.get("identity"):
        if params["identity"].isdigit():
            identity = int(params["identity"])
        else:
            error = f"identity must be a speaker identity's number (got {params['identity']!r})"
    try:
        limit = max(1, min(100, int(params.get("limit", 20))))
    except ValueError:
        limit = 20
    active = [(k, k, v) for k, v in params.items() if k not in ("q", "sort", "limit")]  # (key, label, value)
    result = None
    status = 200
    if error is None:
        f = queries.Filters(q=q, speaker=params.get("speaker"), identity=identity, kind=params.get("kind"),
                            channel=params.get("channel"), outlet=params.get("outlet"), since=params.get("since"),
                            until=until_bound(params.get("until")))
        try:
            pool = request.app.state.pool
            with pool.connection() as conn:
                result = cached_search(conn, f, page, limit, sort, request.app.state.count_cap, pool.cache)
                if identity is not None:  # the chip names the speaker
                    name = identities.identity_name(conn, identity)
                    active = [(k, "speaker", name) if k == "identity" and name else (k, label, v)
                              for k, label, v in active]
        except queries.QueryError as e:
            error = str(e)
    if error is not None:
        status = 400
    return render("search.html", status, q=q, params=params, active=active, result=result, error=error,
                  sort=sort, url=url, page_url=lambda n: url(page=n if n > 1 else None))


@router.get("/statements/{statement_id}")
def statement_page(request: Request, statement_id: int) -> Any:
    with request.app.state.pool.connection() as conn:
        st = queries.get_statement(conn, statement_id)
    if st is None:
        return error_page(404, "Statement not found", f"There is no statement {statement_id} in this ledger.")
    return RedirectResponse(f"/articles/{st['article_id']}#s-{st['id']}", status_code=303)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int) -> HTMLResponse:
    with request.app.state.pool.connection() as conn:
        article = queries.get_article(conn, article_id)
    if article is None:
        return error_page(404, "Article not found", f"There is no article {article_id} in this ledger.")
    marks = marks_for(({**st, "color": st["speaker"]["color"]} for st in article["statements"]), len(article["text"]))
    body: Markup = highlight(article["text"], marks)
    return render("article.html", article=article, body=body, safe_url=safe_link(article["url"]), q=None)


@router.get("/speakers", response_class=HTMLResponse)
def speakers_page(request: Request) -> HTMLResponse:
    q = request.query_params.get("q", "").strip() or None
    page = _page_number(request.query_params.get("page"))
    counts = request.app.state.counts.connection()
    try:
        with request.app.state.pool.connection() as conn:
            if identities.is_linked(conn):
                result = identities.list_identities(conn, counts, q=q, page=page, limit=50)
            else:
                result = queries.list_speakers(counts, q=q, page=page, limit=50)
    except queries.QueryError as e:
        return error_page(400, "Cannot list speakers", str(e))
    url = url_builder("/speakers", {"q": q} if q else {})
    return render("speakers.html", q=q, result=result, page_url=lambda n: url(page=n if n > 1 else None))


def timeline_spec(sp: dict[str, Any]) -> dict[str, Any]:
    points = {p["period"]: p["count"] for p in sp["timeline"]["points"]}
    labels = sorted(points)
    if labels:
        filled = queries.period_range(labels[0], labels[-1], sp["timeline"]["unit"])
        if set(labels) <= set(filled):
            labels = filled
    return {"type": "bar", "labels": labels,
            "datasets": [{"label": "statements", "data": [points.get(p, 0) for p in labels], "color": sp["color"]}]}


def identity_url(identity_id: int) -> str:
    return f"/identities/{identity_id}"


@router.get("/speakers/{ref}")
def speaker_page(request: Request, ref: str) -> Any:
    """A speaker by ``speakers.id`` or by name; on a linked ledger, a redirect to its identity's page."""
    with request.app.state.pool.connection() as conn:
        linked = identities.is_linked(conn)
        if not ref.isdigit():  # a name
            if linked:
                return RedirectResponse("/identities/" + quote(ref, safe=""), status_code=303)
            row = conn.execute("SELECT min(id) FROM speakers WHERE name = ?", (ref,)).fetchone()
            if row[0] is None:
                return error_page(404, "Speaker not found", f"No speaker is named {ref!r} in this ledger.")
            return RedirectResponse(f"/speakers/{row[0]}", status_code=303)
        speaker_id = int(ref)
        if linked and (iid := identities.speaker_identity_id(conn, speaker_id)) is not None:
            return RedirectResponse(identity_url(iid), status_code=303)
        sp = queries.get_speaker(conn, request.app.state.counts.connection(), speaker_id)
    if sp is None:
        return error_page(404, "Speaker not found", f"There is no speaker {speaker_id} in this ledger.")
    channel_spec = {"type": "hbar", "labels": [c["value"] for c in sp["channels"]],
                    "datasets": [{"label": "statements", "data": [c["count"] for c in sp["channels"]],
                                  "color": sp["color"]}]}
    return render("speaker.html", sp=sp, timeline_spec=timeline_spec(sp), channel_spec=channel_spec, q=None)


@router.get("/identities/{ref}")
def identity_page(request: Request, ref: str) -> Any:
    """A speaker across articles (a linked ledger); a name or alias redirects to the identity's id."""
    page = _page_number(request.query_params.get("page"))
    with request.app.state.pool.connection() as conn:
        try:
            iid = identities.resolve(conn, ref)
        except identities.NotLinked:
            return error_page(404, "Speaker not found", "This ledger has no speaker identities: run "
                                                        "`onrecord link --db LEDGER` to link speakers across articles.")
        if isinstance(iid, list):  # a name several identities carry: let the reader choose
            return RedirectResponse("/speakers?" + urlencode({"q": ref}), status_code=303)
        if iid is not None and ref != str(iid):
            return RedirectResponse(identity_url(iid), status_code=303)
        try:
            sp = None if iid is None else identities.get_identity(conn, request.app.state.counts.connection(), iid,
                                                                   page=page, limit=20)
        except queries.QueryError as e:
            return error_page(400, "Cannot show this page", str(e))
    if sp is None:
        return error_page(404, "Speaker not found", f"There is no speaker {ref!r} in this ledger.")
    channel_spec = {"type": "hbar", "labels": [c["value"] for c in sp["channels"]],
                    "datasets": [{"label": "statements", "data": [c["count"] for c in sp["channels"]],
                                  "color": sp["color"]}]}
    url = url_builder(identity_url(sp["id"]), {})
    return render("identity.html", sp=sp, timeline_spec=timeline_spec(sp), channel_spec=channel_spec, q=None,
                  page_url=lambda n: url(page=n if n > 1 else None))


@router.get("/story", response_class=HTMLResponse)
def story_page(request: Request) -> HTMLResponse:
    q = request.query_params.get("q", "").strip() or None
    story = None
    error = None
    if q:
        try:
            with request.app.state.pool.connection() as conn:
                story = queries.story(conn, q)
        except queries.QueryError as e:
            error = str(e)
    spec = None
    if story:
        many = len(story["periods"]) > 3
        spec = {"type": "line" if many else "bar", "stacked": not many, "labels": story["periods"],
                "datasets": [{"label": s["name"] or "other speakers", "data": s["counts"], "color": s["color"]}
                             for s in story["series"]]}
    return render("story.html", 400 if error else 200, q=q, story=story, story_spec=spec, error=error)
