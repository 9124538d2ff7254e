"""What the extraction stages hand each other (internal; the public records are in ``onrecord.model``).

    parse(article)                      -> Parsed        (extract/parse.py)
    find_attributions(parsed, settings) -> [Attribution] (extract/quotes.py, cues.py, sources.py)
    resolve(parsed, attributions, ...)  -> [Statement]   (extract/resolve.py: speakers, channels, dates)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Article, Kind, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


@dataclass
class Paragraph:
    """One paragraph of ``article.text``: ``doc`` is the spaCy doc of ``article.text[start:end]``.

    Token ``t`` sits at ``start + t.idx`` in the article. ``parsed`` tells whether the
    dependency parse was run (paragraphs that cannot carry an attribution get
    tokens, tags and entities only).
    """

    index: int
    start: int
    end: int
    doc: Doc
    parsed: bool = True

    def span(self, text: str, token_start: int, token_end: int) -> Span:
        """The article Span covering tokens [token_start, token_end) of this paragraph."""
        a = self.start + self.doc[token_start].idx
        last = self.doc[token_end - 1]
        b = self.start + last.idx + len(last.text)
        return Span.of(text, a, b)

    def char_span(self, text: str, a: int, b: int) -> Span:
        """The article Span for paragraph-relative character offsets [a, b)."""
        return Span.of(text, self.start + a, self.start + b)


@dataclass
class Parsed:
    article: Article
    paragraphs: list[Paragraph]

    @property
    def text(self) -> str:
        return self.article.text

    def paragraph_at(self, offset: int) -> Paragraph | None:
        for p in self.paragraphs:
            if p.start <= offset < p.end:
                return p
        return None


@dataclass
class Attribution:
    """A statement found in the text, before its speaker is resolved.

    ``source`` is the literal source mention ("he", "Taliban spokesman Zabihullah
    Mujahid", "a Taliban source", "the statement"), or None when the text gives
    none nearby. ``paragraph`` is the index of the paragraph holding the cue (or
    the content when there is no cue); ``source_head`` / ``cue_head`` are token
    indices inside that paragraph's doc (None when not available).

    ``rule``: "syntactic" (a cue verb governing the content), "according_to", "nominal"
    ("X's claim that ..."), "quote_after" / "quote_before" (a cue next to a quotation's
    closing / opening mark), "floating" (a quotation alone in its sentence: source and
    cue None, the speaker is the previous one), "label" (a paragraph opening with a speaker
    label, "NAME: ..." or "((Name)) ...": source the label), "dash_credit" ('"..." ― Name').
    ``flags``: "unclosed_quote" (lower confidence), "multi_paragraph", "split_quote"
    (one quotation split by its reporting clause gives two statements), "interrupted"
    (the reporting clause sits inside the content), "denial" (cue "deny"), "belief" (a belief,
    intention or stance cue: "believes", "wants", "praised"; lower confidence).
    ``extra`` (keys present only when the text has them; values are article Spans):
      "via_mention"  X in "Y quoted by X" (``source`` is Y)
      "citing"       Y in "X reported, citing Y" (``source`` is X, the relay)
      "quoting"      what is quoted from: "..., quoting from the draft"
      "addressee"    who was told: "told Reuters", "assured reporters"
      "pieces"       list of Spans: the parts of a content that spans paragraphs
                     (without the marks) or surrounds an interrupting reporting clause
    """

    kind: Kind
    content: Span
    cue: Span | None
    source: Span | None
    paragraph: int
    source_head: int | None = None
    cue_head: int | None = None
    confidence: float = 1.0
    flags: tuple[str, ...] = ()
    # which rule produced it (for error analysis): "quote", "syntactic", "according_to", "colon", ...
    rule: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def head_token(self, parsed: Parsed, which: str = "source") -> Token | None:
        idx = self.source_head if which == "source" else self.cue_head
        if idx is None:
            return None
        return parsed.paragraphs[self.paragraph].doc[idx]
