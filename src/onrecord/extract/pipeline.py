"""Article -> Record: the extraction stages in order."""

from __future__ import annotations

from ..model import Article, Problem, Record
from ..settings import Settings
from .. import nlp as nlp_mod
from .parse import parse
from .attributions import find_attributions
from .resolve import resolve


def extract_article(article: Article, settings: Settings | None = None) -> Record:
    """Every attributed statement in ``article``, with resolved speakers, channels and dates."""
    settings = settings or Settings.load()
    nlp = nlp_mod.load(settings.model, settings.numpy_gemm)
    problems: list[Problem] = []
    parsed = parse(article, nlp)
    attributions = find_attributions(parsed, settings)
    statements, more = resolve(parsed, attributions, settings)
    problems.extend(more)
    kept = tuple(s for s in statements if s.confidence >= settings.min_confidence)
    return Record(article, kept, tuple(problems))
