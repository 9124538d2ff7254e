"""The typed records every stage of onrecord shares.

Read -> extract -> store -> serve all speak in these types. Every span carries
character offsets into ``Article.text`` (Python string indices), so any claim
points back at its evidence.

    Article      a clean news article (body text plus metadata)
    Span         a piece of ``Article.text``: text, start, end
    Speaker      who said it: resolved name, type, the mention, role, affiliation
    Statement    one attributed statement: kind, content, cue, speaker, channel, via, date
    Problem      a content problem worth reporting (data, not an exception)
    Record       the extraction result for one article
    ErrorRecord  an input that could not be turned into an article, with a reason
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal, Union

Kind = Literal["direct", "indirect", "mixed"]
SpeakerType = Literal["person", "organization", "anonymous", "document", "outlet", "unknown"]

KINDS: tuple[str, ...] = ("direct", "indirect", "mixed")
SPEAKER_TYPES: tuple[str, ...] = ("person", "organization", "anonymous", "document", "outlet", "unknown")


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the article text. ``text == article.text[start:end]`` always holds."""

    text: str
    start: int
    end: int

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span of ``text[start:end]``."""
        return cls(text[start:end], start, end)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Span | None:
        return None if d is None else cls(d["text"], int(d["start"]), int(d["end"]))


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a statement is attributed to.

    ``name`` is the resolved name ("Zalmay Khalilzad" for a mention "he"), or a
    description for anonymous and document speakers ("a Taliban source",
    "the statement"). ``mention`` is the literal mention in the text that the
    statement hangs on (None when the speaker is only implied).
    """

    name: str | None
    type: SpeakerType = "unknown"
    mention: Span | None = None
    role: str | None = None
    affiliation: str | None = None
    # for a document speaker ("the statement added"): who issued it, when the article says so
    issued_by: str | None = None

    def __post_init__(self) -> None:
        # names read across a line break of hard-wrapped text ("David\nKnox") are written on one line
        for name in ("name", "role", "affiliation", "issued_by"):
            value = getattr(self, name)
            if value is not None and not value.isprintable():
                object.__setattr__(self, name, " ".join(value.split()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "mention": self.mention.to_dict() if self.mention else None,
            "role": self.role,
            "affiliation": self.affiliation,
            "issued_by": self.issued_by,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Speaker:
        return cls(d.get("name"), d.get("type", "unknown"), Span.from_dict(d.get("mention")),
                   d.get("role"), d.get("affiliation"), d.get("issued_by"))


@dataclass(frozen=True, slots=True)
class Statement:
    """One attributed statement."""

    kind: Kind
    content: Span
    cue: Span | None
    speaker: Speaker
    via: str | None = None
    channel: str | None = None
    date: str | None = None  # YYYY-MM-DD
    confidence: float = 1.0
    flags: tuple[str, ...] = ()  # e.g. "unclosed_quote", "denial", "confirmation"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "content": self.content.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "speaker": self.speaker.to_dict(),
            "via": self.via,
            "channel": self.channel,
            "date": self.date,
            "confidence": round(float(self.confidence), 3),
            "flags": list(self.flags),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Statement:
        content = Span.from_dict(d["content"])
        assert content is not None
        return cls(d["kind"], content, Span.from_dict(d.get("cue")), Speaker.from_dict(d["speaker"]),
                   d.get("via"), d.get("channel"), d.get("date"), float(d.get("confidence", 1.0)),
                   tuple(d.get("flags", ())))


def content_hash(text: str) -> str:
    """The key of an article: a hash of its body, insensitive to whitespace and Unicode form."""
    norm = " ".join(unicodedata.normalize("NFKC", text).split()).casefold()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Article:
    """A clean article: the body text and what is known about it.

    ``text`` is the body only (no page chrome), paragraphs separated by a blank
    line. ``published`` is an ISO date ``YYYY-MM-DD`` (or None when unknown).
    ``id`` is the input's own id when it has one (a JSONL ``id``), else the content hash.
    """

    text: str
    source: str = "-"
    id: str = ""
    url: str | None = None
    title: str | None = None
    published: str | None = None
    authors: tuple[str, ...] = ()
    outlet: str | None = None
    credits: tuple[str, ...] = ()
    language: str | None = None
    # page evidence kept out of the body: image captions ("X, Zalmay Khalilzad, talks with ...")
    captions: tuple[str, ...] = ()
    # a date the page itself implies when ``published`` is unknown (ISO, e.g. from a dated caption);
    # used only as a lower bound to infer missing years, never reported as the publication date
    date_hint: str | None = None

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", self.content_hash)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "published": self.published,
            "authors": list(self.authors),
            "outlet": self.outlet,
            "credits": list(self.credits),
            "language": self.language,
            "captions": list(self.captions),
            "date_hint": self.date_hint,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        return cls(text=d["text"], source=d.get("source", "-"), id=d.get("id") or "", url=d.get("url"),
                   title=d.get("title"), published=d.get("published"), authors=tuple(d.get("authors") or ()),
                   outlet=d.get("outlet"), credits=tuple(d.get("credits") or ()), language=d.get("language"),
                   captions=tuple(d.get("captions") or ()), date_hint=d.get("date_hint"))


@dataclass(frozen=True, slots=True)
class Problem:
    """A content problem, reported as data: ``code`` is stable and machine-readable."""

    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class Record:
    """Everything onrecord extracted from one article."""

    article: Article
    statements: tuple[Statement, ...] = ()
    problems: tuple[Problem, ...] = ()

    ok = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "statements": [s.to_dict() for s in self.statements],
            "problems": [p.to_dict() for p in self.problems],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Record:
        return cls(Article.from_dict(d["article"]), tuple(Statement.from_dict(s) for s in d["statements"]),
                   tuple(Problem(p["code"], p["message"]) for p in d.get("problems", ())))


@dataclass(frozen=True, slots=True)
class ErrorRecord:
    """An input that did not become an article: where it came from, at which stage it failed, and why."""

    source: str
    error: Problem
    stage: str = "read"

    ok = False

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "stage": self.stage, "error": self.error.to_dict()}


Result = Union[Record, ErrorRecord]


@dataclass(frozen=True, slots=True)
class RawInput:
    """Bytes (or text) from somewhere, before a reader turns it into an Article.

    Readers that split one file into many inputs (JSONL, WARC) yield these with
    the metadata they already know in ``meta`` (url, title, published, outlet, id, ...).
    """

    source: str
    data: bytes | str
    format: str | None = None  # "html" | "text" | "jsonl" | "warc" | None (detect)
    meta: dict[str, Any] = field(default_factory=dict)
