"""[Attribution] -> [Statement]: speakers resolved (speakers.py), channel and relay (channels.py), date (dates.py).

Evidence for channel, relay and date is read from the sentence holding the cue, outside every
statement's content and outside relative clauses, and goes to the nearest cue in that sentence.
A statement with no evidence of its own inherits it only in these cases, each backed by the text:

1. same sentence: an earlier statement by the same speaker in the same sentence
   ("X said on Twitter on January 26 that ..., but he said ...") lends channel and date;
2. continuation: the cue says the speaker goes on ("also said", "added", "adding", "continued",
   "went on") and the previous statement, at most one paragraph back, has the same speaker:
   channel and date carry over;
3. same channel: a statement whose own channel equals that of the same speaker's previous
   statement, with no date of its own, is the same event and takes its date
   ("Khalilzad said in a tweet" after "said on Twitter on January 26");
4. documents: "The statement added ..." is tied to the nearest earlier statement (at most
   ``DOCUMENT_REACH`` paragraphs back) made through that kind of document ("Mujahid said in a
   statement released on January 26"): its issuer, affiliation, channel and date.

Anything else gets the article's publication date; without one the date stays None and the
record carries a ``date_unknown`` problem. A year taken from ``Article.date_hint`` is reported
as ``year_inferred``.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import nlp as nlp_mod
from ..model import Problem, Span, Speaker, Statement
from ..settings import Settings
from .channels import (
    CHANNEL_PRIORITY,
    Evidence,
    canonical_outlet,
    document_channel,
    find_channels,
    find_relays,
)
from .dates import DateMention, ResolvedDate, find_dates, parse_iso, resolve_date
from .mentions import names_a_speaker, outlet_name
from .speakers import Discourse
from .types import Attribution, Paragraph, Parsed

if TYPE_CHECKING:
    from spacy.tokens import Token

DENY_LEMMAS = {"deny", "reject", "dismiss", "refute", "rebut", "dispute", "disavow", "contest", "rubbish",
               "debunk", "contradict"}
CONFIRM_LEMMAS = {"confirm", "corroborate", "verify"}
DENIAL_CONTENT = re.compile(
    r"\b(?:(?:is|are|was|were|be)\s+(?:not|n't)\s+(?:true|correct|accurate)|untrue|false|baseless|groundless|"
    r"unfounded|fabricated|fabrication|inaccurate|fake news|without foundation|no truth)\b", re.I)
CONTINUATION = {"also", "further", "add", "continue", "go", "reiterate", "repeat"}
DOCUMENT_REACH = 4  # paragraphs between "X said in a statement" and "The statement added"
IRREGULAR = {"went": "go", "goes": "go", "gone": "go", "going": "go"}


def _inflections(lemmas: set[str]) -> dict[str, str]:
    """Inflected form -> lemma for the verbs this module looks for (the lemmatizer does not run)."""
    out = dict(IRREGULAR)
    for lemma in lemmas:
        forms = {lemma, lemma + "s", lemma + "ed", lemma + "ing"}
        if lemma.endswith("e"):
            forms |= {lemma + "d", lemma[:-1] + "ing"}
        if lemma.endswith("y"):
            forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
        out.update({f: lemma for f in forms})
    return out


VERB_FORMS = _inflections(DENY_LEMMAS | CONFIRM_LEMMAS | CONTINUATION)


def verb_lemma(word: str, lemma: str = "") -> str:
    """The lemma of a cue verb: spaCy's when it ran, else from the forms this module knows."""
    low = word.lower()
    if lemma and lemma.lower() != low:
        return lemma.lower()
    return VERB_FORMS.get(low, low)


@dataclass
class _Work:
    """One statement while it is being resolved."""

    attr: Attribution
    speaker: Speaker
    via: str | None = None
    channel: str | None = None
    date: ResolvedDate | None = None
    date_text: str | None = None
    sent: int = -1
    cue_lemma: str = ""
    continuation: bool = False
    date_default: bool = False  # the date is the article's, not found in the text
    notes: list[str] = field(default_factory=list)


def resolve(parsed: Parsed, attributions: list[Attribution],
            settings: Settings) -> tuple[list[Statement], list[Problem]]:
    """Statements with resolved speakers, channels, relays, dates and denial/confirmation flags."""
    if not attributions:
        return [], []
    article = parsed.article
    captions = []
    if article.captions:
        nlp = nlp_mod.load(settings.model, settings.numpy_gemm)
        captions = list(nlp.pipe(article.captions))
    disc = Discourse(parsed, attributions, captions, settings.language)
    labels = interview_labels(parsed)
    published, hint = parse_iso(article.published), parse_iso(article.date_hint)
    order = sorted(range(len(attributions)), key=lambda i: _anchor(attributions[i]))
    works: list[_Work] = []
    for i in order:
        works.append(_start(disc, attributions[i], works, labels))
    _collect_evidence(disc, works, published, hint)
    _inherit(works, settings.language)
    problems = _dates(works, article.published, published, hint)
    out = [_statement(w) for w in works]
    back = {i: k for k, i in enumerate(order)}
    return [out[back[i]] for i in range(len(attributions))], problems


def _anchor(a: Attribution) -> int:
    return (a.cue or a.source or a.content).start


def _cue_token(disc: Discourse, a: Attribution) -> tuple[Paragraph, Token] | None:
    """The paragraph holding the cue and the cue's head token."""
    if a.cue is None:
        return None
    p = disc.parsed.paragraph_at(a.cue.start)
    if p is None:
        return None
    if a.cue_head is not None and p.index == a.paragraph and a.cue_head < len(p.doc):
        return p, p.doc[a.cue_head]
    toks = disc.tokens_of(a.cue)
    verbs = [t for t in toks if t.tag_.startswith("VB")]
    tok = verbs[0] if verbs else toks[0] if toks else None
    return (p, tok) if tok is not None else None


INTERVIEW_LABEL = re.compile(r"\A\s*\(\(([^()\n]{1,60})\)\)")
INTERVIEWER_LABELS = {"wn", "wikinews", "q", "interviewer"}
FIRST_PERSON = {"i", "we", "me", "us"}
SECOND_PERSON = {"you"}


@dataclass
class Transcript:
    """Who speaks each paragraph of an interview laid out as "((WN)) question" / "((Name)) answer"."""

    speaker_of: dict[int, str] = field(default_factory=dict)  # paragraph index -> label
    label_end: dict[int, int] = field(default_factory=dict)  # labelled paragraph -> article offset after the label
    interviewers: frozenset[str] = frozenset()

    def is_interviewer(self, label: str) -> bool:
        return label in self.interviewers


def interview_labels(parsed: Parsed) -> Transcript:
    """The transcript layout of an article (empty when it has none).

    A label holds for the paragraphs after it until the next label. The interviewer is "WN" (or
    "Wikinews", "Q", "Interviewer") or a label all of whose paragraphs are questions ("((JS)) Why ...?").
    Fewer than two labelled paragraphs, or no interviewer, is no transcript.
    """
    found: dict[int, str] = {}
    ends: dict[int, int] = {}
    asks: dict[str, bool] = {}
    for p in parsed.paragraphs:
        body = parsed.text[p.start:p.end]
        m = INTERVIEW_LABEL.match(body)
        if m:
            label = m.group(1).strip()
            found[p.index], ends[p.index] = label, p.start + m.end()
            asks[label] = asks.get(label, True) and body.rstrip().endswith("?")
    interviewers = frozenset(v for v in found.values() if v.lower() in INTERVIEWER_LABELS or asks.get(v))
    if len(found) < 2 or not interviewers:
        return Transcript()
    out: dict[int, str] = {}
    current: str | None = None
    for p in parsed.paragraphs:
        current = found.get(p.index, current)
        if current is not None:
            out[p.index] = current
    return Transcript(out, ends, interviewers)


def initials_person(disc: Discourse, label: str) -> Speaker | None:
    """The one person named in full whose initials ``label`` is ("NG" -> Natalia Gorski), else None."""
    if not re.fullmatch(r"[A-Z]{2,3}", label):
        return None
    fits = {id(x): x for k, x in disc.persons.items() if len(k) > 1 and label in (
        "".join(w[0] for w in k).upper(), (k[0][0] + k[-1][0]).upper())}
    if len(fits) != 1:
        return None
    e = next(iter(fits.values()))
    return Speaker(e.name, "person", None, e.role, e.affiliation)


def _label_person(disc: Discourse, label: str) -> Speaker:
    """The person an answer label names: the full name used in the article, also for initials ("NG")."""
    by_initials = initials_person(disc, label)
    if by_initials is not None:
        return by_initials
    e = disc.person(tuple(label.split()))
    if e is None:
        return Speaker(label, "person")
    return Speaker(e.name, "person", None, e.role, e.affiliation)


def _interview_speaker(disc: Discourse, a: Attribution, speaker: Speaker | None,
                       tr: Transcript) -> tuple[Speaker | None, str | None]:
    """In a transcript answer, the label, "I"/"we" (or no source at all) is the labelled interviewee.

    Returns the speaker and a flag: "interviewee", or "interviewer_question" for the interviewer's
    question itself or a "you" inside it (the addressee, not someone on record).
    """
    para = disc.parsed.paragraph_at((a.source or a.content).start)
    label = tr.speaker_of.get(para.index) if para is not None else None
    if label is None or para is None:
        return speaker, None
    in_label = a.source is not None and a.source.start < tr.label_end.get(para.index, -1)
    word = a.source.text.lower() if a.source is not None else None
    if tr.is_interviewer(label):
        if in_label:
            outlet = disc.parsed.article.outlet
            return Speaker(outlet or label, "outlet" if outlet else "unknown", a.source), "interviewer_question"
        return speaker, "interviewer_question" if word in SECOND_PERSON else None
    if not in_label and speaker is not None and speaker.name is not None:
        return speaker, None
    if not in_label and word is not None and word not in FIRST_PERSON:
        return speaker, None
    return dataclasses.replace(_label_person(disc, label), mention=a.source), "interviewee"


def _start(disc: Discourse, a: Attribution, before: list[_Work], labels: Transcript | None = None) -> _Work:
    """The speaker and relay of one attribution (evidence comes later)."""
    speaker = disc.speaker(a.source, a.source_head)
    interview_flag = None
    if labels is not None and labels.speaker_of:
        speaker, interview_flag = _interview_speaker(disc, a, speaker, labels)
    if speaker is not None and speaker.type == "unknown" and a.source is not None:
        by_initials = initials_person(disc, a.source.text.strip())  # "NG: ..." in a question-and-answer layout
        if by_initials is not None:
            speaker = dataclasses.replace(by_initials, mention=a.source)
    via: str | None = None
    citing = a.extra.get("citing")
    if not isinstance(citing, Span) and speaker is not None and speaker.type in ("outlet", "organization"):
        citing = _citing(disc, a)
    if isinstance(citing, Span) and speaker is not None and speaker.type in ("outlet", "organization") \
            and _cites_a_speaker(disc, citing):
        relay = outlet_name(speaker.name or "") or speaker.name
        cited = disc.speaker(citing)
        if cited is not None:
            speaker, via = cited, relay
    via_mention = a.extra.get("via_mention")
    if via is None and isinstance(via_mention, Span):
        via = canonical_outlet(via_mention.text)
    addressee = a.extra.get("addressee")  # "told Reuters": an outlet told is a relay
    if via is None and isinstance(addressee, Span):
        via = outlet_name(addressee.text)
    if speaker is None:
        # an agentless passive ("is expected to win") names no one who said it; a lone quotation is
        # the previous speaker's
        speaker = Speaker(None, "unknown", None) if "agentless" in a.flags else _floating(disc, a, before)
    w = _Work(a, speaker, via)
    if interview_flag:
        w.notes.append(interview_flag)
    found = _cue_token(disc, a)
    if found is not None:
        p, cue = found
        w.sent = disc.sent_index[p.index].get(cue.i, -1)
        w.cue_lemma = verb_lemma(cue.text, cue.lemma_)
        mods = {c.text.lower() for c in cue.children} if cue.doc.has_annotation("DEP") else set()
        w.continuation = w.cue_lemma in CONTINUATION or bool(mods & {"also", "further"}) or (
            w.cue_lemma == "go" and "on" in mods)
    else:
        holder = disc.parsed.paragraph_at(a.content.start)
        toks = disc.tokens_of(a.content)
        if holder is not None and toks:
            w.sent = disc.sent_index[holder.index].get(toks[0].i, -1)
    return w


def _citing(disc: Discourse, a: Attribution) -> Span | None:
    """ "Reuters reported, citing Taliban sources": the cited noun phrase."""
    found = _cue_token(disc, a)
    if found is None or not found[1].doc.has_annotation("DEP"):
        return None
    p, cue = found
    for c in cue.children:
        if c.lower_ in ("citing", "quoting") and c.dep_ in ("advcl", "xcomp", "conj", "prep", "acl"):
            obj = next((x for x in c.children if x.dep_ in ("dobj", "pobj", "obj")), None)
            if obj is not None:
                toks = disc._np_tokens(obj)
                return p.span(disc.parsed.text, toks[0].i, toks[-1].i + 1)
    return None


def _cites_a_speaker(disc: Discourse, citing: Span) -> bool:
    """What "X reported, citing ..." cites is who spoke ("citing [port officials]"), not a reason
    ("citing [a rise in shipping]": then X stays the speaker)."""
    toks = disc.tokens_of(citing)
    if not toks or not toks[0].doc.has_annotation("DEP"):
        return True
    ids = {t.i for t in toks}
    root = next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[0])
    return names_a_speaker(root, disc.language)


def _floating(disc: Discourse, a: Attribution, before: list[_Work]) -> Speaker:
    """A quote with no source nearby: the previous statement's speaker, or the topic of the previous sentence."""
    if before and before[-1].speaker.name and a.paragraph - before[-1].attr.paragraph <= 1:
        prev = before[-1].speaker
        return dataclasses.replace(prev, mention=None)
    p = disc.parsed.paragraph_at(a.content.start)
    if p is not None:
        toks = disc.tokens_of(a.content)
        g = disc.sent_index[p.index].get(toks[0].i, 0) if toks else 0
        for m in reversed(disc.stream):
            if m.sent < g and g - m.sent <= 3 and m.subject and not m.in_quote and m.entity.type == "person":
                return m.entity.speaker(None)
    return Speaker(None, "unknown", None)


def _sentence_bounds(disc: Discourse, g: int) -> tuple[int, int]:
    pi, s = disc.sent_spans[g]
    base = disc.parsed.paragraphs[pi].start
    return base + s.start_char, base + s.end_char


def _relative_clauses(disc: Discourse, g: int) -> list[tuple[int, int]]:
    pi, s = disc.sent_spans[g]
    base = disc.parsed.paragraphs[pi].start
    if not s.doc.has_annotation("DEP"):
        return []
    out = []
    for t in s:
        if t.dep_ == "relcl":
            sub = list(t.subtree)
            out.append((base + sub[0].idx, base + sub[-1].idx + len(sub[-1].text)))
    return out


def _collect_evidence(disc: Discourse, works: list[_Work], published, hint) -> None:  # type: ignore[no-untyped-def]
    """Channel, relay and date phrases of each cue sentence, each given to the nearest cue."""
    text = disc.parsed.text
    by_sent: dict[int, list[_Work]] = {}
    for w in works:
        if w.sent >= 0 and w.attr.cue is not None:
            by_sent.setdefault(w.sent, []).append(w)
    contents = sorted((w.attr.content.start, w.attr.content.end) for w in works)
    starts = [a for a, _ in contents]
    longest = max((b - a for a, b in contents), default=0)
    for g, group in by_sent.items():
        lo, hi = _sentence_bounds(disc, g)
        # the contents overlapping the sentence (a content starting before lo - longest ends before lo)
        blocked = [(a, b) for a, b in contents[bisect_left(starts, lo - longest):bisect_left(starts, hi)] if lo < b]
        blocked += _relative_clauses(disc, g)

        def free(a: int, b: int) -> bool:
            return not any(a < y and x < b for x, y in blocked)

        def nearest(a: int, b: int) -> _Work:
            def dist(w: _Work) -> int:
                cue = w.attr.cue
                assert cue is not None
                return a - cue.end if a >= cue.end else (cue.start - b if b <= cue.start else 0)
            return min(group, key=dist)

        channels: dict[int, list[Evidence]] = {}
        found = find_channels(text, lo, hi, disc.language)
        for ev in found:
            if free(ev.start, ev.end):
                channels.setdefault(id(nearest(ev.start, ev.end)), []).append(ev)
        for ev in find_relays(text, lo, hi, disc.language, found):
            if not free(ev.start, ev.end):
                continue
            w = nearest(ev.start, ev.end)
            if w.via is None and ev.value != w.speaker.name:
                w.via = ev.value
            if ev.kind == "told":
                channels.setdefault(id(w), []).append(Evidence("channel", "interview", ev.start, ev.end))
        dates: dict[int, list[DateMention]] = {}
        for dm in find_dates(text, lo, hi):
            if free(dm.start, dm.end):
                dates.setdefault(id(nearest(dm.start, dm.end)), []).append(dm)
        for w in group:
            cue = w.attr.cue
            assert cue is not None

            def gap(a: int, b: int) -> int:
                return abs(a - cue.end) if a >= cue.end else abs(cue.start - b)

            evs = channels.get(id(w), [])
            if evs:  # the more specific phrase wins: "told reporters at a news conference" is a news conference
                w.channel = min(evs, key=lambda e: (CHANNEL_PRIORITY.get(e.value, 99), gap(e.start, e.end))).value
                w.notes.append("channel:text")
            dms = dates.get(id(w), [])
            if dms:
                dm = min(dms, key=lambda d: gap(d.start, d.end))
                w.date = resolve_date(dm, published, hint)
                w.date_text = dm.text


def _inherit(works: list[_Work], language: str) -> None:
    """The four inheritance rules of this module's docstring, applied in text order."""
    last: dict[tuple[str, str], _Work] = {}
    for i, w in enumerate(works):
        if w.speaker.type == "document":
            _document(w, works[:i], language)
        key = (w.speaker.name or "", w.speaker.type)
        prev = last.get(key) if w.speaker.name is not None else None
        if w.speaker.name is not None:
            last[key] = w
        if prev is None:
            continue
        lend = None
        if prev.sent == w.sent and w.sent >= 0:
            lend = prev  # rule 1
        elif w.continuation and works[i - 1] is prev and w.attr.paragraph - prev.attr.paragraph <= 1:
            lend = prev  # rule 2
        if lend is not None:
            if w.channel is None and lend.channel:
                w.channel = lend.channel
            if w.date is None and lend.date is not None:
                w.date, w.date_text = lend.date, None
            if w.via is None and lend.via and lend.sent == w.sent:
                w.via = lend.via
        elif w.channel and w.channel == prev.channel and w.date is None and prev.date is not None:
            w.date, w.date_text = prev.date, None  # rule 3


def _document(w: _Work, before: list[_Work], language: str) -> None:
    """Rule 4: tie a document speaker to the statement that issued it."""
    noun = w.speaker.name or ""
    code = document_channel(noun, language)
    if w.channel is None:
        w.channel = code
    issuer = next((p for p in reversed(before) if p.speaker.type != "document"
                   and w.attr.paragraph - p.attr.paragraph <= DOCUMENT_REACH
                   and ((code is not None and p.channel == code) or noun in _cue_sentence_words(p))), None)
    if issuer is None:
        return
    sp = w.speaker
    if sp.issued_by is None:
        aff = sp.affiliation or (issuer.speaker.affiliation if issuer.speaker.type == "person" else issuer.speaker.name)
        w.speaker = dataclasses.replace(sp, issued_by=issuer.speaker.name, affiliation=aff)
    if w.date is None and issuer.date is not None:
        w.date, w.date_text = issuer.date, None


def _cue_sentence_words(w: _Work) -> set[str]:
    cue = w.attr.cue
    return set(re.findall(r"\w+", cue.text.lower())) if cue else set()


def _dates(works: list[_Work], published_s: str | None, published, hint) -> list[Problem]:  # type: ignore[no-untyped-def]
    """Fill the article date where a statement has none; report inferred years and unknown dates."""
    problems: list[Problem] = []
    inferred: dict[str, str] = {}
    unknown = 0
    for w in works:
        if w.date is None:
            w.date_default = published is not None
            w.date = ResolvedDate(published.isoformat() if published else None,
                                  reason=None if published else "no date near the cue and no publication date")
        if w.date.year_from == "date_hint" and w.date.iso and w.date_text:
            inferred.setdefault(w.date_text, w.date.iso)
        if w.date.iso is None:
            unknown += 1
            w.notes.append(w.date.reason or "")
    for phrase, iso in inferred.items():
        problems.append(Problem("year_inferred", f"{phrase!r} read as {iso}: the article has no publication date; "
                                                 f"the year is the first on or after {hint.isoformat()}, a date "
                                                 "shown on the page"))
    if unknown:
        reasons = sorted({w.date.reason for w in works if w.date and w.date.iso is None and w.date.reason})
        problems.append(Problem("date_unknown", f"{unknown} statement(s) have no date: " + "; ".join(reasons)))
    return problems


def _flags(w: _Work) -> tuple[str, ...]:
    flags = list(w.attr.flags)
    content = w.attr.content.text
    cue = (w.attr.cue.text if w.attr.cue else "").lower()
    if w.cue_lemma in DENY_LEMMAS or re.search(r"\bdismiss\w* (?:\w+ )?as false\b", cue) \
            or DENIAL_CONTENT.search(content):
        flags.append("denial")
    if w.cue_lemma in CONFIRM_LEMMAS:
        flags.append("confirmation")
    if w.speaker.name is None:
        flags.append("speaker_unresolved")
    if w.date is not None and w.date.approximate:
        flags.append("approximate_date")
    if w.date_default:
        flags.append("date_from_article")
    flags.extend(n for n in w.notes if n in ("interviewee", "interviewer_question"))
    return tuple(dict.fromkeys(flags))


def _statement(w: _Work) -> Statement:
    a = w.attr
    confidence = a.confidence * (0.7 if w.speaker.name is None else 1.0) * (
        0.5 if "interviewer_question" in w.notes else 1.0)
    return Statement(a.kind, a.content, a.cue, w.speaker, w.via, w.channel, w.date.iso if w.date else None,
                     confidence, _flags(w))
