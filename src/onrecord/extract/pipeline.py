"""Article -> Record: the extraction stages in order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Article, Problem, Record
from ..settings import Settings
from .. import nlp as nlp_mod
from .parse import parse, parse_many
from .attributions import find_attributions
from .resolve import resolve
from .types import Parsed


def extract_article(article: Article, settings: Settings | None = None) -> Record:
    """Every attributed statement in ``article``, with resolved speakers, channels and dates."""
    settings = settings or Settings.load()
    nlp = nlp_mod.load(settings.model, settings.numpy_gemm)
    parsed = parse(article, nlp, language=settings.language)
    return _record(parsed, settings)


def extract_articles(articles: Iterable[Article], settings: Settings | None = None) -> Iterator[Record]:
    """``extract_article`` over a stream, parsing the paragraphs of several articles per batch (faster)."""
    settings = settings or Settings.load()
    nlp = nlp_mod.load(settings.model, settings.numpy_gemm)
    for parsed in parse_many(articles, nlp, language=settings.language):
        yield _record(parsed, settings)


def _record(parsed: Parsed, settings: Settings) -> Record:
    problems: list[Problem] = []
    attributions = find_attributions(parsed, settings)
    statements, more = resolve(parsed, attributions, settings)
    problems.extend(more)
    kept = tuple(s for s in statements if s.confidence >= settings.min_confidence)
    return Record(parsed.article, kept, tuple(problems))
