"""Article -> Parsed: split the body into paragraphs and run spaCy over them.

Only paragraphs that can carry a cued attribution (a cue word, "according"; see
``CueLexicon.may_attribute``) get the full analysis: tags, coarse POS and the dependency
parse (``Paragraph.parsed``). The others get tokens, rule-based sentence boundaries
and names (``names.label_names``: the entity recognizer's names from the parsed paragraphs
wherever they recur, and person names by their form), which is what speaker resolution
needs from them. The
lemmatizer never runs: cue matching works on surface forms (``cues.py``); pass
``full=True`` for spaCy's whole pipeline.
Paragraph offsets are exact: ``article.text[p.start:p.end] == p.doc.text``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy

from ..layout import paragraph_lines
from ..model import Article
from .cues import cue_lexicon
from .names import label_names
from .types import Paragraph, Parsed

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# what the parsed paragraphs skip, and what the others skip on top of that
_SKIP_ALWAYS = ("lemmatizer", "attribute_ruler", "senter")
_SKIP_UNPARSED = ("tok2vec", "tagger", "parser", "morphologizer", "ner")  # names: names.label_names
BATCH_SIZE = 64
BATCH_CHARS = 200_000  # parse_many: characters of text per batch of articles


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, without its edge whitespace.

    Paragraphs are what ``layout.paragraph_lines`` finds: separated by blank lines, one a line, or
    hard-wrapped lines joined up; a paragraph's text keeps its inner line breaks.
    """
    return [(lines[0].start, lines[-1].end) for lines in paragraph_lines(text)]


def parse(article: Article, nlp: Language | None = None, *, language: str = "en", full: bool = False) -> Parsed:
    """Run the pipeline over every paragraph of the article (``nlp`` defaults to ``onrecord.nlp.load()``)."""
    if nlp is None:
        from .. import nlp as nlp_mod

        nlp = nlp_mod.load()
    bounds = paragraph_bounds(article.text)
    texts = [article.text[a:b] for a, b in bounds]
    if full:
        docs = list(nlp.pipe(texts, batch_size=BATCH_SIZE))
        flags = [True] * len(texts)
    else:
        lexicon = cue_lexicon(language)
        flags = [lexicon.may_attribute(t) for t in texts]
        docs = _run(nlp, texts, flags)
        label_names(docs, flags, language)
    paragraphs = [Paragraph(i, a, b, doc, flag) for i, ((a, b), doc, flag) in enumerate(zip(bounds, docs, flags))]
    return Parsed(article, paragraphs)


def parse_many(articles: Iterable[Article], nlp: Language | None = None, *, language: str = "en",
               batch_chars: int = BATCH_CHARS) -> Iterator[Parsed]:
    """``parse`` over a stream of articles, with the paragraphs of several articles in one batch.

    Same output as ``parse`` article by article; larger batches make the network layers cheaper.
    """
    if nlp is None:
        from .. import nlp as nlp_mod

        nlp = nlp_mod.load()
    lexicon = cue_lexicon(language)
    pending: list[tuple[Article, list[tuple[int, int]]]] = []
    size = 0

    def flush() -> Iterator[Parsed]:
        texts = [a.text[x:y] for a, bounds in pending for x, y in bounds]
        flags = [lexicon.may_attribute(t) for t in texts]
        docs, flag_it = iter(_run(nlp, texts, flags)), iter(flags)
        for article, bounds in pending:
            own = [next(docs) for _ in bounds]
            own_flags = [next(flag_it) for _ in bounds]
            label_names(own, own_flags, language)
            paragraphs = [Paragraph(i, x, y, doc, flag)
                          for i, ((x, y), doc, flag) in enumerate(zip(bounds, own, own_flags))]
            yield Parsed(article, paragraphs)

    for article in articles:
        bounds = paragraph_bounds(article.text)
        pending.append((article, bounds))
        size += len(article.text)
        if size >= batch_chars:
            yield from flush()
            pending, size = [], 0
    if pending:
        yield from flush()


def _run(nlp: Language, texts: list[str], flags: list[bool]) -> list[Doc]:
    """Docs for ``texts`` in input order.

    Flagged texts are tagged, parsed and run through the entity recognizer; the others get
    tokens and rule-based sentences only (their names come from ``names.label_names``).
    """
    names = set(nlp.pipe_names)
    skip_parsed = [n for n in _SKIP_ALWAYS if n in names]
    skip_other = skip_parsed + [n for n in _SKIP_UNPARSED if n in names]
    parsed_texts = [t for t, f in zip(texts, flags) if f]
    other_texts = [t for t, f in zip(texts, flags) if not f]
    parsed_docs = iter(list(nlp.pipe(parsed_texts, batch_size=BATCH_SIZE, disable=skip_parsed)) if parsed_texts else [])
    other_docs = iter(list(nlp.pipe(other_texts, batch_size=BATCH_SIZE, disable=skip_other)) if other_texts else [])
    pos_of = _tag_to_pos(nlp) if "attribute_ruler" in names else None
    sentencizer = _sentencizer()
    out: list[Doc] = []
    for f in flags:
        if f:
            doc = next(parsed_docs)
            if pos_of is not None:
                _set_pos(doc, pos_of)
        else:
            doc = sentencizer(next(other_docs))
        out.append(doc)
    return out


@lru_cache(maxsize=4)
def _tag_to_pos(nlp: Language) -> dict[int, int]:
    """TAG hash -> POS id, from the attribute ruler's tag patterns (its token-specific rules are skipped)."""
    from spacy.symbols import IDS

    out: dict[int, int] = {}
    strings = nlp.vocab.strings
    for p in nlp.get_pipe("attribute_ruler").patterns:
        pos = p["attrs"].get("POS")
        pattern = p["patterns"][0]
        if pos is None or len(pattern) != 1 or set(pattern[0]) != {"TAG"}:
            continue
        tags = pattern[0]["TAG"]
        tags = tags["IN"] if isinstance(tags, dict) else [tags]
        for tag in tags:
            out[strings.add(tag)] = IDS[pos]
    return out


def _set_pos(doc: Doc, pos_of: dict[int, int]) -> None:
    from spacy.attrs import POS, TAG

    if not len(doc):
        return
    tags = doc.to_array([TAG])
    pos = numpy.fromiter((pos_of.get(int(t), 0) for t in tags), dtype="uint64", count=len(tags))
    doc.from_array([POS], pos.reshape(-1, 1))


@lru_cache(maxsize=1)
def _sentencizer():  # type: ignore[no-untyped-def]
    from spacy.pipeline import Sentencizer

    return Sentencizer()
