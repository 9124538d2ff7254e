"""The JSON shapes of the reading room's API (pydantic models; FastAPI publishes them in /openapi.json)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SpanOut(BaseModel):
    text: str
    start: int = Field(description="character offset into the article text (Python string index)")
    end: int


class StatementSpeaker(BaseModel):
    id: int | None = Field(description="speakers.id of this speaker in this article; /api/speakers/{id} groups it")
    name: str | None
    type: str
    mention: SpanOut | None
    role: str | None
    affiliation: str | None
    issued_by: str | None
    color: int = Field(description="stable palette index (0-11) derived from the speaker name")


class ArticleRef(BaseModel):
    id: int
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None


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
    article: ArticleRef


class FacetValue(BaseModel):
    value: str
    count: int


class SpeakerFacetValue(FacetValue):
    id: int | None
    color: int


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
    facets: Facets = Field(description="counts over the matches (or the first ones, when facets_sampled)")


class SpeakerSummary(BaseModel):
    id: int
    name: str | None
    type: str
    statements: int
    articles: int
    color: int


class SpeakerList(BaseModel):
    items: list[SpeakerSummary]
    total: int
    page: int
    limit: int
    pages: int


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


class ArticleSpeaker(BaseModel):
    id: int | None
    name: str | None
    type: str
    color: int
    statements: int


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
