"""Article -> Parsed: split the body into paragraphs and run spaCy over them.

Only paragraphs that can carry a cued attribution (a cue word, "according"; see
``CueLexicon.may_attribute``) get the full analysis: tags, coarse POS, the dependency
parse (``Paragraph.parsed``) and the entity recognizer. Paragraphs holding one of the ``light``
words (with the learned tagger on: words that are part of a cue in at least half their uses in
PolNeAR train) get tags and the parse, for the tagger, but not the recognizer. The others get
tokens, rule-based sentence boundaries and names (``names.label_names``: the entity recognizer's
names from the fully analysed paragraphs wherever they recur, and person names by their form),
which is what speaker resolution needs from them; so do the light ones. The
lemmatizer never runs: cue matching works on surface forms (``cues.py``); pass
``full=True`` for spaCy's whole pipeline.
Paragraph offsets are exact: ``article.text[p.start:p.end] == p.doc.text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy

from ..layout import paragraph_lines
from ..model import Article
from .cues import CueLexicon, cue_lexicon
from .names import label_names
from .types import Paragraph, Parsed

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# what the parsed paragraphs skip, and what the others skip on top of that
_SKIP_ALWAYS = ("lemmatizer", "attribute_ruler", "senter")
_SKIP_UNPARSED = ("tok2vec", "tagger", "parser", "morphologizer", "ner")  # names: names.label_names
_SKIP_LIGHT = ("ner",)
# how much of the pipeline a paragraph gets (see ``_level``)
NONE, LIGHT, FULL = 0, 1, 2
_WORD = re.compile(r"[^\W\d_]+")
BATCH_SIZE = 64
BATCH_CHARS = 200_000  # parse_many: characters of text per batch of articles


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, without its edge whitespace.

    Paragraphs are what ``layout.paragraph_lines`` finds: separated by blank lines, one a line, or
    hard-wrapped lines joined up; a paragraph's text keeps its inner line breaks.
    """
    return [(lines[0].start, lines[-1].end) for lines in paragraph_lines(text)]


def parse(article: Article, nlp: Language | None = None, *, language: str = "en", full: bool = False,
          light: frozenset[str] = frozenset()) -> Parsed:
    """Run the pipeline over every paragraph of the article (``nlp`` defaults to ``onrecord.nlp.load()``).

    ``light``: words (lower case) that get an otherwise skipped paragraph tagged and parsed, without
    the entity recognizer (its names come from ``names.label_names``), for the learned tagger.
    """
    if nlp is None:
        from .. import nlp as nlp_mod

        nlp = nlp_mod.load()
    bounds = paragraph_bounds(article.text)
    texts = [article.text[a:b] for a, b in bounds]
    if full:
        docs = list(nlp.pipe(texts, batch_size=BATCH_SIZE))
        levels = [FULL] * len(texts)
    else:
        lexicon = cue_lexicon(language)
        levels = [_level(lexicon, t, light) for t in texts]
        docs = _run(nlp, texts, levels)
        label_names(docs, [lv == FULL for lv in levels], language)
    paragraphs = [Paragraph(i, a, b, doc, lv > NONE) for i, ((a, b), doc, lv) in enumerate(zip(bounds, docs, levels))]
    return Parsed(article, paragraphs)


def parse_many(articles: Iterable[Article], nlp: Language | None = None, *, language: str = "en",
               batch_chars: int = BATCH_CHARS, light: frozenset[str] = frozenset()) -> Iterator[Parsed]:
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
        levels = [_level(lexicon, t, light) for t in texts]
        docs, level_it = iter(_run(nlp, texts, levels)), iter(levels)
        for article, bounds in pending:
            own = [next(docs) for _ in bounds]
            own_levels = [next(level_it) for _ in bounds]
            label_names(own, [lv == FULL for lv in own_levels], language)
            paragraphs = [Paragraph(i, x, y, doc, lv > NONE)
                          for i, ((x, y), doc, lv) in enumerate(zip(bounds, own, own_levels))]
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


def _level(lexicon: CueLexicon, text: str, light: frozenset[str]) -> int:
    """How much of the pipeline a paragraph gets: FULL when it may carry a cued attribution, LIGHT
    when it holds one of the ``light`` words, else NONE."""
    if lexicon.may_attribute(text):
        return FULL
    if light and any(m.group().lower() in light for m in _WORD.finditer(text)):
        return LIGHT
    return NONE


def parse_light(nlp: Language, texts: list[str]) -> list[Doc]:
    """``texts`` tagged and parsed without the entity recognizer, as the LIGHT paragraphs are."""
    return _run(nlp, texts, [LIGHT] * len(texts))


def _run(nlp: Language, texts: list[str], levels: list[int]) -> list[Doc]:
    """Docs for ``texts`` in input order.

    FULL texts are tagged, parsed and run through the entity recognizer; LIGHT ones are tagged and
    parsed; the others get tokens and rule-based sentences only (the names of all but the FULL ones
    come from ``names.label_names``).
    """
    names = set(nlp.pipe_names)
    skip = {FULL: [n for n in _SKIP_ALWAYS if n in names]}
    skip[LIGHT] = skip[FULL] + [n for n in _SKIP_LIGHT if n in names]
    skip[NONE] = skip[FULL] + [n for n in _SKIP_UNPARSED if n in names]
    runs = {}
    for lv in (FULL, LIGHT, NONE):
        group = [t for t, x in zip(texts, levels) if x == lv]
        runs[lv] = iter(list(nlp.pipe(group, batch_size=BATCH_SIZE, disable=skip[lv])) if group else [])
    pos_of = _tag_to_pos(nlp) if "attribute_ruler" in names else None
    sentencizer = _sentencizer()
    out: list[Doc] = []
    for lv in levels:
        doc = next(runs[lv])
        if lv == NONE:
            doc = sentencizer(doc)
        elif pos_of is not None:
            _set_pos(doc, pos_of)
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
