"""Article -> Record: the extraction stages in order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .. import nlp as nlp_mod
from ..model import Article, Problem, Record
from ..settings import Settings
from .attributions import find_attributions
from .cues import cue_lexicon
from .parse import parse, parse_many
from .resolve import resolve
from .types import Attribution, Parsed


def extract_article(article: Article, settings: Settings | None = None) -> Record:
    """Every attributed statement in ``article``, with resolved speakers, channels and dates."""
    settings = settings or Settings.load()
    nlp = nlp_mod.load(settings.model, settings.numpy_gemm)
    parsed = parse(article, nlp, language=settings.language, light=_light_words(settings))
    return _record(parsed, settings)


def extract_articles(articles: Iterable[Article], settings: Settings | None = None) -> Iterator[Record]:
    """``extract_article`` over a stream, parsing the paragraphs of several articles per batch (faster)."""
    settings = settings or Settings.load()
    nlp = nlp_mod.load(settings.model, settings.numpy_gemm)
    for parsed in parse_many(articles, nlp, language=settings.language, light=_light_words(settings)):
        yield _record(parsed, settings)


def _light_words(settings: Settings) -> frozenset[str]:
    """With the tagger on, the words that get a paragraph the rules would skip parsed for it."""
    if not settings.tagger or settings.tagger_scope == "uncovered":
        return frozenset()
    from .tagger import load_tagger

    return load_tagger().parse_triggers


def _record(parsed: Parsed, settings: Settings) -> Record:
    problems: list[Problem] = []
    attributions = find_attributions(parsed, settings)
    if settings.tagger:
        attributions = add_tagged(parsed, attributions, settings)
    statements, more = resolve(parsed, attributions, settings)
    problems.extend(more)
    kept = tuple(s for s in statements if s.confidence >= settings.min_confidence)
    return Record(parsed.article, kept, tuple(problems))


def add_tagged(parsed: Parsed, attributions: list[Attribution], settings: Settings) -> list[Attribution]:
    """The rule-found attributions plus the tagger's: those with a cue and a source, whose content
    overlaps none of the rules' contents, whose cue holds no verb of ``cue_not.txt`` (a refusal is an
    act, not a statement), and whose confidence is at least ``tagger_min_confidence``.

    Tagged contents without a cue or a source are dropped: on PolNeAR dev fewer than one in ten is a
    statement.
    """
    from .tagger import load_tagger

    tagger = load_tagger()
    taken = [(a.content.start, a.content.end) for a in attributions]
    covered = frozenset(a.paragraph for a in attributions) if settings.tagger_scope == "uncovered" else frozenset()
    focus = None
    if settings.tagger_scope in ("sentences", "all"):
        spans = [s for a in attributions for s in (a.content, a.cue, a.source) if s is not None]
        focus = tagger.focus_sentences(parsed, [(s.start, s.end) for s in spans],
                                       unparsed=settings.tagger_scope == "all")

    not_cues = cue_lexicon(settings.language).not_cues

    def new(t: Attribution) -> bool:
        return (t.cue is not None and t.source is not None
                and not any(t.content.start < b and a < t.content.end for a, b in taken)
                and not any(w in not_cues for w in t.cue.text.lower().split()))

    only_parsed = settings.tagger_scope != "all"  # "all": the tagger parses the paragraphs it needs
    extra = [t for t in tagger.attributions(parsed, only_parsed=only_parsed, skip=covered, focus=focus, keep=new)
             if t.confidence >= settings.tagger_min_confidence]
    if not extra:
        return attributions
    return sorted([*attributions, *extra], key=lambda a: (a.content.start, a.content.end))
