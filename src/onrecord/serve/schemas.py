"""The JSON shapes of the reading room's API (pydantic models; FastAPI publishes them in /openapi.json)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class SpanOut(BaseModel):
    text: str
    start: int = Field(description="character offset into the article text (Python string index)")
    end: int


class IdentityRef(BaseModel):
    id: int = Field(description="speaker_identity.id: /api/identities/{id}")
    name: str


class StatementSpeaker(BaseModel):
    id: int | None = Field(description="speakers.id of this speaker in this article; /api/speakers/{id} groups it")
    name: str | None
    type: str
    mention: SpanOut | None
    role: str | None
    affiliation: str | None
    issued_by: str | None
    color: int = Field(description="stable palette index (0-11) derived from the speaker name")
    identity: IdentityRef | None = Field(None, description="the speaker across articles (a linked ledger only)")


class ArticleRef(BaseModel):
    id: int
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None


class StanceLink(BaseModel):
    relation: Literal["denies", "confirms"]
    score: float
    statement_id: int | None = Field(description="the statement denied or confirmed, when known")
    article_id: int | None = Field(description="its article, or the report denied or confirmed")
    speaker: str | None
    content: str | None = Field(description="the first 200 characters of the target statement")
    article_title: str | None


class Statement(BaseModel):
    id: int
    article_id: int
    seq: int
    kind: str
    content: str
    content_start: int
    content_end: int
    cue: SpanOut | None
    speaker: StatementSpeaker
    via: str | None
    channel: str | None
    date: str | None = Field(description="when it was said (ISO date), as extracted")
    when: str | None = Field(description="date, else the article's publication date")
    confidence: float
    flags: list[str]
    stance: Literal["denial", "confirmation"] | None = Field(None, description="a linked ledger's statement_stance")
    links: list[StanceLink] = Field([], description="what a denial or confirmation is about (statement_links)")
    duplicate_of: int | None = Field(None, description="the first article of the near-duplicate cluster, when "
                                                       "this statement's article is a copy of it")
    article: ArticleRef


class FacetValue(BaseModel):
    value: str
    count: int


class SpeakerFacetValue(FacetValue):
    id: int | None
    color: int


SpeakersBy = Literal["name", "identity"]


class Facets(BaseModel):
    speaker: list[SpeakerFacetValue]
    outlet: list[FacetValue]
    kind: list[FacetValue]
    channel: list[FacetValue]
    year: list[FacetValue]


class SearchResult(BaseModel):
    items: list[Statement]
    total: int = Field(description="matches, counted up to the cap; a lower bound when total_capped")
    total_capped: bool
    facets_sampled: bool = Field(description="facets count only the first matches (a full-text query with many)")
    page: int
    limit: int
    pages: int
    speakers_by: SpeakersBy = Field("name", description="identity: the speaker facet's ids are identity ids "
                                                        "(filter with identity=ID); name: speakers.id, filter with speaker=NAME")
    facets: Facets = Field(description="counts over the matches (or the first ones, when facets_sampled)")


class DatedValue(BaseModel):
    value: str
    first_seen: str | None
    last_seen: str | None
    count: int


class SpeakerSummary(BaseModel):
    id: int = Field(description="an identity id when speakers_by is identity, else the smallest speakers.id")
    name: str | None
    type: str
    statements: int = Field(description="with identities, a statement repeated in near-duplicate articles counts once")
    articles: int = Field(description="with identities, near-duplicate articles count once")
    color: int
    aliases: list[str] = Field([], description="other names and mentions (identities only; up to 5)")
    roles: list[DatedValue] = Field([], description="identities only; up to 5")
    affiliations: list[DatedValue] = Field([], description="identities only; up to 5")
    first_seen: str | None = None
    last_seen: str | None = None


class SpeakerList(BaseModel):
    items: list[SpeakerSummary]
    total: int
    page: int
    limit: int
    pages: int
    speakers_by: SpeakersBy = "name"


class CountValue(BaseModel):
    value: str
    count: int


class TimelinePoint(BaseModel):
    period: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD, per the timeline's unit")
    count: int


class Timeline(BaseModel):
    unit: str = Field(description="year | month | day")
    points: list[TimelinePoint]


class SpeakerDetail(BaseModel):
    id: int
    name: str | None
    type: str
    color: int
    statements: int
    articles: int
    first_seen: str | None
    last_seen: str | None
    undated: int
    roles: list[CountValue]
    affiliations: list[CountValue]
    channels: list[CountValue]
    kinds: list[CountValue]
    outlets: list[CountValue]
    timeline: Timeline
    recent: list[Statement]


class CopyRef(BaseModel):
    id: int
    article_id: int
    outlet: str | None
    title: str | None


class TimelineStatement(Statement):
    copies: list[CopyRef] = Field([], description="the same statement in near-duplicate articles, folded into this one")


class IdentityDetail(BaseModel):
    id: int
    name: str
    type: str
    color: int
    aliases: list[str]
    roles: list[DatedValue]
    affiliations: list[DatedValue]
    forms: int = Field(description="how many name forms the linker merged into this identity")
    statements: int = Field(description="a statement repeated in near-duplicate articles counts once")
    articles: int = Field(description="near-duplicate articles count once")
    said: int = Field(description="every statement attributed to it, copies included (what the timeline pages)")
    first_seen: str | None
    last_seen: str | None
    channels: list[CountValue] = Field(description="statements by channel (a wire story's copies once)")
    outlets: list[CountValue] = Field(description="statements by outlet (every copy)")
    stances: list[CountValue] = Field(description="denials and confirmations")
    timeline: Timeline
    page: int
    limit: int
    pages: int
    items: list[TimelineStatement] = Field(description="one page of its statements, newest first, copies folded")


class IdentityChoice(BaseModel):
    id: int
    name: str
    type: str
    statements: int


class Ambiguous(BaseModel):
    detail: str
    candidates: list[IdentityChoice]


class ArticleSpeaker(BaseModel):
    id: int | None
    name: str | None
    type: str
    color: int
    statements: int
    identity: IdentityRef | None = None


class ProblemOut(BaseModel):
    code: str
    message: str


class ArticleDetail(BaseModel):
    id: int
    ext_id: str | None
    source: str
    url: str | None
    title: str | None
    published: str | None
    authors: list[str]
    outlet: str | None
    credits: list[str]
    language: str | None
    captions: list[str]
    text: str
    statements: list[Statement]
    speakers: list[ArticleSpeaker]
    problems: list[ProblemOut]


class StorySeries(BaseModel):
    speaker_id: int | None
    identity_id: int | None = Field(None, description="on a linked ledger, the identity this series counts")
    name: str | None = Field(description="None for the sum of all other speakers")
    color: int
    total: int
    counts: list[int] = Field(description="one count per entry of periods")


class Story(BaseModel):
    q: str
    articles: int
    articles_capped: bool
    statements: int
    unit: str
    periods: list[str]
    series: list[StorySeries]
    items: list[Statement]


class ErrorOut(BaseModel):
    detail: str
