"""Article -> Record: the extraction stages in order."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from itertools import pairwise
from typing import Any

from .. import nlp as nlp_mod
from ..model import Article, Problem, Record, Span
from ..settings import Settings
from .attributions import find_attributions
from .cues import CUE_ADVERBS, cue_lexicon
from .mentions import is_speaker_noun, names_a_speaker
from .parse import parse, parse_many
from .quotes import CLOSING_MARKS, OPENING_MARKS, gold_kind, quoted_mask
from .resolve import resolve
from .types import Attribution, Paragraph, Parsed


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

    return load_tagger(settings.tagger_model).parse_triggers


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
    statement. So are those whose cue holds no verb and no cue noun of the lexicon, or ends on a
    determiner, adjective or number ("relief as", "Wales", "long enjoyed a revered global"): on 295
    Wikinews articles 19 such statements, nearly all of them noise; PolNeAR dev attribution F1 +0.1.
    """
    from .tagger import load_tagger

    tagger = load_tagger(settings.tagger_model)
    lexicon = cue_lexicon(settings.language)
    if settings.tagger_scope == "lead":
        return _lead(parsed, attributions, settings, tagger, lexicon)
    taken = [(a.content.start, a.content.end) for a in attributions]
    covered = frozenset(a.paragraph for a in attributions) if settings.tagger_scope == "uncovered" else frozenset()
    focus = None
    if settings.tagger_scope in ("sentences", "all"):
        spans = [s for a in attributions for s in (a.content, a.cue, a.source) if s is not None]
        focus = tagger.focus_sentences(parsed, [(s.start, s.end) for s in spans],
                                       unparsed=settings.tagger_scope == "all")

    not_cues = lexicon.not_cues

    def new(t: Attribution) -> bool:
        return (t.cue is not None and t.source is not None
                and not any(t.content.start < b and a < t.content.end for a, b in taken)
                and not any(w in not_cues for w in t.cue.text.lower().split())
                and _verbal_cue(parsed, t, lexicon.nouns))

    only_parsed = settings.tagger_scope != "all"  # "all": the tagger parses the paragraphs it needs
    extra = [t for t in tagger.attributions(parsed, only_parsed=only_parsed, skip=covered, focus=focus, keep=new)
             if t.confidence >= settings.tagger_min_confidence]
    if not extra:
        return attributions
    return sorted([*attributions, *extra], key=lambda a: (a.content.start, a.content.end))


def _verbal_cue(parsed: Parsed, t: Attribution, nouns: Mapping[str, str]) -> bool:
    """A learned cue that reads as one: a verb, "according" or a cue noun in it, and no determiner,
    adjective or number at its end."""
    assert t.cue is not None
    para = parsed.paragraphs[t.paragraph]
    if not para.doc.has_annotation("TAG"):
        return True  # a paragraph the tagger parsed for itself ("all" scope): no tags here to judge by
    toks = _tokens(para, t.cue)
    if not toks:
        return True
    return (any(x.tag_.startswith("VB") or x.lower_ == "according" or x.lower_ in nouns for x in toks)
            and toks[-1].tag_ not in ("DT", "JJ", "PRP$", "CD"))


def _tokens(para: Paragraph, span: Span) -> Any:
    """The paragraph's tokens that cover ``span`` (article offsets), or None."""
    return para.doc.char_span(span.start - para.start, span.end - para.start, alignment_mode="expand")


def _agentless(parsed: Parsed, t: Attribution) -> bool:
    """A learned cue with no source that is a passive verb: "[The mayor] [is expected] [to resign]",
    "[Ortiz] [was accused] [of hiding the audit]". PolNeAR counts these attributions with no source; their
    speaker is unknown, not the previous statement's."""
    assert t.cue is not None
    para = parsed.paragraphs[t.paragraph]
    toks = _tokens(para, t.cue)
    if toks is None or not para.doc.has_annotation("DEP"):
        return False
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in toks.root.children)


def _joined_agentless(text: str, tagged: list[Attribution]) -> list[Attribution]:
    """The parts of one agentless content around its cue as one statement ("[The mayor] is expected [to
    resign]" -> "The mayor is expected to resign"), where nothing but the cue and at most three words lie
    between them."""
    by_cue: dict[tuple[int, int], list[int]] = {}
    for n, t in enumerate(tagged):
        if t.source is None and t.cue is not None:
            by_cue.setdefault((t.cue.start, t.cue.end), []).append(n)
    drop: set[int] = set()
    out = list(tagged)
    for (c0, c1), ns in by_cue.items():
        if len(ns) < 2:
            continue
        parts = sorted((tagged[n] for n in ns), key=lambda t: t.content.start)
        a, b = parts[0].content.start, parts[-1].content.end
        between = text[parts[0].content.end:c0] + " " + text[c1:parts[-1].content.start]
        if not a < c0 < b or any(p.content.end > q.content.start for p, q in pairwise(parts)) \
                or len(between.split()) > 3:
            continue
        first = min(ns)
        out[first] = replace(tagged[first], content=Span(text[a:b], a, b),
                             confidence=min(tagged[n].confidence for n in ns))
        drop.update(n for n in ns if n != first)
    return [t for n, t in enumerate(out) if n not in drop]


def _lead(parsed: Parsed, attributions: list[Attribution], settings: Settings, tagger: Any,
          lexicon: Any) -> list[Attribution]:
    """The ``lead`` scope: the tagger reads every paragraph (parsing those the rules skipped) and its
    statements with a cue and a source come first; a rule-found direct quotation is added where its
    content overlaps none of them.

    On PolNeAR dev with the encoder (docs/encoder.md): adding every rule-found statement the tagger did
    not overlap scores 0.5 attribution F1 lower (those are 28 % right), adding none 0.4 lower than the
    direct quotations alone (48 % right); reading only the paragraphs with a trigger word or a quote
    mark is 1.2 lower.
    """
    not_cues = lexicon.not_cues

    def keep(t: Attribution) -> bool:
        return (t.cue is not None and (t.source is not None or _agentless(parsed, t))
                and not _relay(parsed, t, settings.language)
                and _has_content_word(parsed, t))

    mask = quoted_mask(parsed.text)
    tagged = []
    for t in tagger.attributions(parsed, only_parsed=False, keep=keep, mix=settings.tagger_crf_weight):
        if t.confidence < settings.tagger_min_confidence:
            continue
        content = _trimmed(t.content)
        # the kind by the share of the content's words inside quote marks (direct from 90 %), as
        # the annotators of PolNeAR label it: a stray scare quote does not make a statement mixed
        kind = gold_kind(parsed.text, ((content.start, content.end),), mask)
        flags = t.flags
        if t.cue is not None and any(w in not_cues for w in t.cue.text.lower().split()):
            flags += ("refusal",)  # "he [declined] [to comment]": on the record, though nothing is said
        if t.source is None:
            flags += ("agentless",)
        cue = _cue_edges(_trimmed(t.cue)) if t.cue else None
        if cue is not None:
            cue, content = _with_particle(parsed.text, cue, content)
            cue = _with_adverb(parsed.text, cue, [x for x in (content, t.source) if x is not None])
        tagged.append(replace(t, content=content, cue=cue, kind=kind, flags=flags))
    tagged = _joined_agentless(parsed.text, tagged)
    spans = [(t.content.start, t.content.end) for t in tagged]
    rules = [a for a in attributions if a.kind == "direct"
             and not any(a.content.start < y and x < a.content.end for x, y in spans)]
    return sorted([*rules, *tagged], key=lambda a: (a.content.start, a.content.end))


# "Reuters reported, citing Taliban sources": PolNeAR makes "Taliban sources" the content of a cue
# "citing"; onrecord keeps the relay on the statement it carries ("via: Reuters"), not as a statement.
# What is cited can also be a statement's content: "Clinton cited [his remarks as examples]", "the
# court ruled, citing [a threat to public health]"; those stay.
_CITING = frozenset({"citing", "cited", "cites", "cite", "quoting", "quoted", "quotes", "quote"})


def _relay(parsed: Parsed, t: Attribution, language: str) -> bool:
    """A learned statement whose cue cites or quotes and whose content names who or what is cited (a
    person, an organisation, unnamed sources, a document): a relay, not a statement."""
    assert t.cue is not None
    if not any(w in _CITING for w in t.cue.text.lower().split()):
        return False
    para = parsed.paragraphs[t.paragraph]
    toks = _tokens(para, t.content)
    if toks is None or not para.doc.has_annotation("DEP"):
        # a paragraph the tagger parsed for itself (its parse is not kept): the words themselves
        words = t.content.text.split()[:4]
        return bool(words) and (all(w[:1].isupper() for w in words)
                                or any(is_speaker_noun(w.strip(".,;:"), language) for w in words))
    return names_a_speaker(toks.root, language)


_EDGE = " \t\n,;:"


def _trimmed(span: Span) -> Span:
    """A learned content or cue without the commas, colons and white space at its edges, and without the
    quote marks around it when they enclose all of it (PolNeAR's contents keep them: '"We will not
    give up,"'; the rules' never do). A quote mark that closes a quotation inside the content stays:
    'reports ... "are not true."'."""
    text = span.text
    i, j = 0, len(text)
    while True:
        while i < j and text[i] in _EDGE:
            i += 1
        while j > i and text[j - 1] in _EDGE:
            j -= 1
        if j - i >= 2 and text[i] in OPENING_MARKS and text[j - 1] in CLOSING_MARKS and not any(
                c in OPENING_MARKS or c in CLOSING_MARKS for c in text[i + 1:j - 1] if c not in "’'"):
            i, j = i + 1, j - 1
            continue
        break
    if i == j or (i, j) == (0, len(text)):
        return span
    return Span(text[i:j], span.start + i, span.start + j)


# "Obama [said] of the plan": PolNeAR train leaves the "of" out of the cue 38 times in 55
_SAID_OF = re.compile(r"\b(?:say|says|said|saying|recall|recalls|recalled|write|writes|wrote|tell|tells|told)\s+of$",
                      re.IGNORECASE)


# "[with hopes of]", "[after saying]": PolNeAR train leaves these out of the cue 187 times in 202
_LEADING_PREPOSITION = re.compile(r"^(?:with|by|after|before|despite)\s+(?=\S)", re.IGNORECASE)


def _cue_edges(span: Span) -> Span:
    """A learned cue without a speech verb's trailing "of" and without a leading "with", "by", "after",
    "before" or "despite"."""
    m = _LEADING_PREPOSITION.match(span.text)
    if m is not None:
        span = Span(span.text[m.end():], span.start + m.end(), span.end)
    if not _SAID_OF.search(span.text):
        return span
    text = span.text[:-2].rstrip()
    return Span(text, span.start, span.start + len(text))


# "[called] for an inquiry", "[talked] about the plan": PolNeAR train puts the preposition in the cue
# 184 times in 188 after these verbs
_PARTICLE = re.compile(r"\b(?:(?:call|calls|called|calling)\s+(?:for|on)|(?:talk|talks|talked|talking)\s+about"
                       r"|(?:point|points|pointed|pointing)\s+to|(?:focus|focuses|focused|focusing)\s+on)$",
                       re.IGNORECASE)


def _with_particle(text: str, cue: Span, content: Span) -> tuple[Span, Span]:
    """A learned cue that stops before the preposition its verb takes ("called [for]") runs on over it,
    and a content that begins with it starts after it."""
    m = re.match(r"\s+(\w+)", text[cue.end:cue.end + 20])
    if m is None or not _PARTICLE.search(cue.text + " " + m.group(1)):
        return cue, content
    end = cue.end + m.end()
    if cue.start < content.end and content.start < cue.end:
        return cue, content
    cue = Span(text[cue.start:end], cue.start, end)
    if content.start < end < content.end:
        start = end + len(text[end:content.end]) - len(text[end:content.end].lstrip())
        content = Span(text[start:content.end], start, content.end)
    return cue, content


def _with_adverb(text: str, cue: Span, others: list[Span]) -> Span:
    """A learned cue run back over the adverb just before it ("also", "repeatedly", "never", ...) when
    that word is in no other span of the statement."""
    m = re.search(r"(\w+)[ \t]+$", text[max(0, cue.start - 30):cue.start])
    if m is None or m.group(1).lower() not in CUE_ADVERBS:
        return cue
    start = cue.start - (len(text[max(0, cue.start - 30):cue.start]) - m.start(1))
    if any(o.start < cue.start and start < o.end for o in others):
        return cue
    return Span(text[start:cue.end], start, cue.end)


_FUNCTION_TAGS = frozenset({"PRP", "PRP$", "DT", "PDT", "WDT", "WP", "WP$", "WRB", "IN", "CC", "TO", "EX", "RB",
                            "CD", "POS", "HYPH", ",", ".", ":", "``", "''", "-LRB-", "-RRB-", "_SP"})


def _has_content_word(parsed: Parsed, t: Attribution) -> bool:
    """A learned content of more than one word, or of one word that is not a pronoun, determiner,
    number or other function word ("Navy told [it]", "officials estimated [Some]")."""
    para = parsed.paragraphs[t.paragraph]
    toks = _tokens(para, t.content)
    if toks is None:
        return True
    words = [x for x in toks if not x.is_punct and not x.is_space]
    if not words:
        return False  # a quote mark or a dash alone ('"WALLACE: ...' tagged ["] as a content)
    if len(words) != 1:
        return True
    if para.doc.has_annotation("TAG"):
        return words[0].tag_ not in _FUNCTION_TAGS
    # a paragraph the tagger parsed for itself: its tags are not kept here, so the word itself
    return words[0].lower_ not in _FUNCTION_WORDS and not words[0].like_num


_FUNCTION_WORDS = frozenset(
    "it its this that these those which who whom what whose he she they them him her his their we us our i me "
    "my you your one some any all both each either neither none many much few several most more less such "
    "there here so not also the a an".split())
