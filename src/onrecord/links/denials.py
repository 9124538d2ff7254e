"""Denials and confirmations, and what they deny or confirm.

A statement denies when the engine flagged it ("denial") or when its cue or the words around
it do ("denied", "rejected reports that", "dismissed as false", content "are not true",
"untrue", "baseless", "no truth"). Confirmations likewise ("confirmed", "acknowledged").

What a statement denies or confirms (its target: a statement or an article) is looked for only
when it answers a claim ("denied that X was", "rejected reports that", "... are not true"; not
"rejected the offer"), in one of two ways:

1. *the proposition* it names ("reports that X", "rumours X are not true", "denied that X", or
   "asked about a report that X" in its own sentence), as word stems, against the statements of
   its article and of earlier articles (``window_days``; never a later article or a copy of the
   same wire story) and against earlier articles' titles and leads. A candidate scores the share
   of the proposition's rare-word weight it carries, plus bonuses: the account of a report in the
   same article (an outlet, sources, "X quoted Y as saying") when the statement denies reports,
   a target that accuses, an earlier article of the same story. Another story's statement needs
   ``other_article_fit``, an article ``report_threshold``;
2. *an anaphor* ("the accusation", "the claim", "that is not true"): the nearest earlier claim of
   the article by another speaker (within ``anaphor_chars``), or that claim's own target when it
   is itself a denial or confirmation.

A statement whose best candidate scores below ``threshold`` stays unlinked: a wrong link is worse
than none. The speaker's own statements (except a report's account the engine gave to the
speaker), other denials and confirmations, and reports of them are never targets. See
docs/links.md for the measured figures.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ..extract.cues import CUE_ADVERBS
from .names import fold
from .stories import STOPWORDS

log = logging.getLogger(__name__)

_DENY_CUE = re.compile(r"\b(den(?:y|ies|ied|ying|ial)|refut(?:e|es|ed|ing)|repudiat(?:e|es|ed|ing)"
                       r"|rebut(?:s|ted|ting)?|contradict(?:s|ed|ing)?)\b", re.IGNORECASE)
_REJECT_CUE = re.compile(r"\b(reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|disput(?:e|es|ed|ing)"
                         r"|brush(?:es|ed)? (?:aside|off)|play(?:s|ed)? down|downplay(?:s|ed)?)\b", re.IGNORECASE)
_CLAIM_NOUN = re.compile(r"\b(reports?|claims?|allegations?|accusations?|charges?|rumou?rs?|speculation|suggestions?"
                         r"|assertions?|stories|story|accounts?|statements?|remarks?)\b", re.IGNORECASE)
_FALSE = (r"(?:not true|untrue|false|baseless|groundless|unfounded|not correct|incorrect|inaccurate|erroneous"
          r"|fabricated|made[- ]up|nonsense|(?:a |an outright )?lies?|without (?:any )?(?:foundation|basis))")
# "reports that ... were untrue", "that is not correct", "it is false": a claim said to be false
_FALSE_CLAIM = re.compile(r"\b(?:reports?|claims?|allegations?|accusations?|charges?|rumou?rs?|speculation"
                          r"|stories|story"
                          r"|that|this|it|these|those|which)\b[^.;:]{0,80}?\b(?:is|are|was|were|be|been|'s)\s+"
                          r"(?:(?:completely|totally|simply|absolutely|categorically|entirely)\s+)?" + _FALSE + r"\b",
                          re.IGNORECASE)
_NO_TRUTH = re.compile(r"\b(?:no truth|no basis|fake news)\b|^\W*no\W+(?:it|that)\W*(?:is|'s) not true", re.IGNORECASE)
_AS_FALSE = re.compile(r"\bas (?:false|baseless|groundless|unfounded|untrue|nonsense|speculation|rumou?rs?)\b",
                       re.IGNORECASE)
# a clause (something said to be the case) rather than a noun ("denied access", "denied funding")
_CLAUSE = re.compile(r"\b(?:is|are|was|were|had|has|have|would|will|did|does|do|could|can|should|might|may)\b",
                     re.IGNORECASE)
_CONFIRM = re.compile(r"\b(confirm(?:s|ed|ing)?|acknowledg(?:e|es|ed|ing)|verif(?:y|ies|ied)|corroborat\w*)\b",
                      re.IGNORECASE)
# "could not confirm", "would like to confirm", "if ... confirmed": not a confirmation
_HEDGED = re.compile(r"\b(not|n't|neither|nor|never|no|to|would|could|will|can|may|might|should|if|whether|when|how"
                     r"|refused|declined)\s+(\w+\s+){0,2}$", re.IGNORECASE)

# words that frame a denial rather than carry what is denied
FRAME = frozenset("""deny denies denied denying denial reject rejects rejected rejecting dismiss dismissed dismisses
dismissing dispute disputed refute refuted report reports reported claim claims claimed allegation allegations
alleged accusation accusations rumor rumors rumour rumours speculation suggestion suggestions true untrue false
falsely baseless groundless unfounded truth foundation basis fabricated nonsense lies incorrect inaccurate
categorically confirm confirms confirmed confirming acknowledged verified correct accurate story stories media
newspaper press statement statements remarks never there saying published local market markets unconfirmed
recent recently earlier widespread persistent key parts part basically entirely completely totally absolutely
simply unequivocally flatly strongly any all however might must still even yet kind""".split())

_WORD = re.compile(r"[^\W\d_][\w'-]*|\d[\d.,]*", re.UNICODE)
_CLAIM_WORDS = (r"reports?|claims?|allegations?|accusations?|charges?|rumou?rs?|speculation|stories|story|accounts?"
                r"|statements?|assertions?|remarks?")
_CLAIM_AT = re.compile(r"\b(?:" + _CLAIM_WORDS + r")\b", re.IGNORECASE)
# someone else's account rather than a named person's claim: "reports", "rumours", "speculation"
_REPORT_AT = re.compile(r"\b(?:reports?|rumou?rs?|speculation|stories|story)\b", re.IGNORECASE)
# a target that accuses: what a denial most often answers
_ACCUSES = re.compile(r"^(?:accus|alleg|claim|charg)\w*$", re.IGNORECASE)
# where a proposition ends: "... were untrue", "... was basically correct", "... as groundless"
_VERDICT = re.compile(r"\s*[\"'\u201c\u201d]*\s*\b(?:(?:is|are|was|were|be|been)\s+(?:(?:\w+ly|all|also)\s+)?"
                      r"(?:not\s+)?(?:true|untrue|false|baseless|groundless|unfounded|correct|incorrect|accurate"
                      r"|inaccurate|erroneous|fabricated|nonsense|premature|wrong|right)"
                      r"|as\s+(?:false|baseless|groundless|unfounded|untrue|nonsense|speculation))\b.*$",
                      re.IGNORECASE | re.DOTALL)
# "the accusation", "these claims", "the statement 'absolutely false'": a claim named, not said
_ANAPHOR = re.compile(r"^\W*(?:(?:the|this|that|these|those|such|his|her|its|their|key|parts?|of|all|any|some)\s+)+"
                      r"(?:[\w'-]+\s+)?(?:" + _CLAIM_WORDS + r")\b", re.IGNORECASE)
_PRONOUN = re.compile(r"^\W*(?:it|he|she|they|we|the (?:company|government|bank|firm|group|ministry))\b",
                      re.IGNORECASE)
# a statement that makes a claim (a possible antecedent of "the accusation")
_CLAIM_CUE = re.compile(r"^(?:said|says|say|saying|claim(?:s|ed|ing)?|alleg(?:e|es|ed|ing)|accus(?:e|es|ed|ing)"
                        r"|report(?:s|ed|ing)?|reveal(?:s|ed|ing)?|wr(?:ote|ites|iting)|told|tells|stat(?:e|es|ed|ing)"
                        r"|charg(?:e|es|ed|ing)|suggest(?:s|ed|ing)?|announc(?:e|es|ed|ing)|testif(?:y|ies|ied)"
                        r"|insist(?:s|ed|ing)?|assert(?:s|ed|ing)?|argu(?:e|es|ed|ing)|add(?:s|ed|ing)?"
                        r"|according to|quot(?:e|es|ed|ing))$", re.IGNORECASE)
# auxiliaries and adverbs before a cue's verb: "[have repeatedly accused]", "[also said]"
_CUE_LEAD = re.compile(r"^(?:(?:" + "|".join(sorted(
    {"have", "has", "had", "was", "were", "is", "are", "be", "been", "being", "will", "would"} | CUE_ADVERBS))
    + r")\s+)+", re.IGNORECASE)


def _cue_is(pattern: re.Pattern[str], cue: str | None) -> bool:
    """``pattern`` matches the cue, or the cue without its auxiliaries and adverbs."""
    cue = (cue or "").strip()
    return bool(pattern.match(cue) or pattern.match(_CUE_LEAD.sub("", cue)))


# the text before a statement shows it is a report's account: "X quoted Y as saying", "according to"
_CARRIED = re.compile(r"\b(?:quot(?:ed|ing|es)|report(?:ed|s)?|according to|told (?:Reuters|reporters|the)|sources?"
                      r"|newspaper|paper|agency|radio|television|daily|weekly|broadcast)\b", re.IGNORECASE)


def _stem(word: str) -> str:
    """A crude English stem, so that "agreed"/"agreement", "threaten"/"threat", "ships"/"shipping" meet."""
    w = word.replace("-", "").removesuffix("'s").strip("'")
    for suffix in ("ments", "ment", "ings", "ing", "ened", "ens", "en", "ed", "es", "s", "e"):
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]  # "shipp" (shipping) -> "ship"
    return w


def stems(text: str) -> set[str]:
    """Stems of the content words of ``text`` (folded, no stop words, no denial words)."""
    out = set()
    for m in _WORD.finditer(text):
        w = fold(m.group()).strip("'")
        if len(w) > 2 and w not in STOPWORDS and w not in FRAME:
            out.add(_stem(w))
    return out


def words(text: str) -> set[str]:
    """Content words of ``text`` (folded, no stop words)."""
    return {w for w in (fold(m.group()).strip("'") for m in _WORD.finditer(text))
            if len(w) > 2 and w not in STOPWORDS}


def _day(d: str | None) -> int | None:
    try:
        return date.fromisoformat(d[:10]).toordinal() if d else None
    except ValueError:
        return None


_NAME = re.compile(r"(?:(?<=[\w,;)] )|^\W*)[A-Z][\w'-]+")


def _names(text: str) -> set[str]:
    """Stems of the capitalised words inside ``text`` (not the first word): the names a target must share."""
    return {_stem(fold(m.group()).strip(" \"'")) for m in _NAME.finditer(text)} - STOPWORDS - FRAME


@dataclass(frozen=True)
class DenialConfig:
    """How far back to look, and what a candidate needs to be linked (see the module docstring)."""

    window_days: int = 30
    threshold: float = 0.5
    report_threshold: float = 0.85  # an article (title and lead) as the target: only a close fit
    other_article_fit: float = 0.7  # share a statement of another story must carry
    min_shared: int = 3
    max_df: float = 0.02
    anaphor_chars: int = 350
    carrier_bonus: float = 0.3  # the account of a report in the same article, for a denial of reports
    story_bonus: float = 0.1  # an earlier article of the same story
    same_article_bonus: float = 0.05
    accuser_bonus: float = 0.1  # a target that accuses, alleges or claims


@dataclass(frozen=True, slots=True)
class Said:
    """A statement as the denial linker sees it."""

    id: int
    article_id: int
    date: str | None
    content: str
    cue: str = ""
    context: str = ""  # the article text around the cue, for "rejected reports that ..."
    lead: str = ""  # the article text just before the content, for "denied that ..."
    flags: tuple[str, ...] = ()
    identity: int | None = None
    dup: int | None = None  # near-duplicate cluster of its article
    span: tuple[int, int] | None = None  # content offsets in the article
    question: bool = False  # the content is asked, not said ("How did you confirm ...?")
    speaker: str = ""  # the speaker's name as the engine gave it
    speaker_type: str = "unknown"
    story: int | None = None  # the story of its article
    around: str = ""  # the sentence holding the statement, its content left out


@dataclass(frozen=True, slots=True)
class Report:
    """An article as a possible target: its title and lead."""

    id: int
    date: str | None
    text: str
    dup: int | None = None
    story: int | None = None


@dataclass(frozen=True, slots=True)
class Link:
    statement_id: int
    relation: str  # "denies" | "confirms"
    score: float
    target_statement_id: int | None = None
    target_article_id: int | None = None


def stance(content: str, cue: str = "", context: str = "", flags: Sequence[str] = (), lead: str = "",
           question: bool = False) -> str | None:
    """"denial", "confirmation" or None for a statement's content, cue and surrounding text.

    ``context`` is the sentence around the cue without the content, ``lead`` the text just
    before the content. The engine's "denial" / "confirmation" flags are taken as they are,
    except for a question.
    """
    if question:
        return None
    if "denial" in flags:
        return "denial"
    if "confirmation" in flags:
        return "confirmation"
    near = lead[-45:]
    head = " ".join(content.split()[:5])
    claim = bool(_CLAIM_NOUN.search(head)) or bool(re.search(r"\bthat\s*$", near)) or bool(_CLAUSE.search(content))
    # "X denied that ...", "denied reports that ...": a denial verb governing a claim, not "denied access"
    if (_DENY_CUE.search(cue) or _DENY_CUE.search(near)) and claim:
        return "denial"
    if _DENY_CUE.search(context) and _CLAIM_NOUN.search(context):
        return "denial"
    frame = f"{cue} {context} {near}"
    if _REJECT_CUE.search(frame) and (_CLAIM_NOUN.search(frame) or _AS_FALSE.search(frame)):
        return "denial"
    if _FALSE_CLAIM.search(content) or _NO_TRUTH.search(content):
        return "denial"
    for where in (cue, near):
        c = _CONFIRM.search(where)
        if c:
            hedged = _HEDGED.search(where[: c.start()]) or where[c.end():].lstrip().startswith("?")
            enough = len(content.split()) >= 5 or _CLAIM_NOUN.search(content)
            return "confirmation" if not hedged and enough else None
    return None


@dataclass(frozen=True, slots=True)
class Claim:
    """What a denial or confirmation is about: the proposition's stems and names, or an anaphor."""

    stems: frozenset[str]
    names: frozenset[str]
    of_reports: bool  # denies "reports", "rumours", "a published report": someone else's account
    anaphor: bool  # "the accusation", "that is not true": the claim is named, not stated
    subject: frozenset[str] = frozenset()  # the speaker's name where the claim says "it", "he", "we"
    narrated: bool = False  # the claim is told in the statement's own sentence ("asked about a report that X")


def _proposition(text: str) -> tuple[str, bool]:
    """The claim inside ``text`` ("reports that X were untrue" -> "X") and whether a claim noun introduced it."""
    m = _CLAIM_AT.search(text)
    if m is None:
        return _VERDICT.sub("", text), False
    rest = text[m.end():]
    that = re.match(r"^(?:[^;:\"]{0,60}?\bthat\b|\s*(?:of|about|on)\b)", rest, re.IGNORECASE)
    if that:
        rest = rest[that.end():]
    return _VERDICT.sub("", rest), True


def what_is_claimed(s: Said) -> Claim:
    """The proposition a denial or confirmation is about, from its content or, failing that, its sentence."""
    text, _ = _proposition(s.content)
    of_reports = bool(_REPORT_AT.search(s.content) or _REPORT_AT.search(s.lead[-40:]))
    found = stems(text)
    anaphor = narrated = False
    if len(found) < 2:
        # "No, that is not true at all," ... when asked about a report that X
        m = _CLAIM_AT.search(s.around)
        other = _proposition(s.around[m.start():])[0] if m else ""
        if len(stems(other)) >= 3:
            text, of_reports, found, narrated = other, bool(_REPORT_AT.search(s.around)), stems(other), True
        else:
            anaphor = bool(_CLAIM_AT.search(s.content) or _FALSE_CLAIM.search(s.content)
                           or _NO_TRUTH.search(s.content))
    subject: set[str] = set()
    if _PRONOUN.match(text):
        # "reports that it raised its offer": "it" is the speaker, and a target must name it
        subject = {_stem(fold(w)) for w in re.findall(r"[A-Z][\w'-]+", s.speaker)[:2]} - STOPWORDS
    return Claim(frozenset(found | subject), frozenset(_names(text.strip()) & found), of_reports, anaphor,
                 frozenset(subject), narrated)


def _of_a_claim(s: Said) -> bool:
    """Whether a denial or confirmation answers a claim: a denial or confirmation verb with a clause
    ("denied that X was"), a claim noun ("rejected reports that"), or a verdict ("... are not true");
    not "rejected the offer", "denied an application"."""
    near = f"{s.cue} {s.lead[-45:]}"
    clause = bool(_CLAUSE.search(s.content) or re.search(r"\bthat\s*$", s.lead))  # not "denied an application"
    return bool((_DENY_CUE.search(near) or _CONFIRM.search(near)) and clause or _CLAIM_AT.search(s.content)
                or _FALSE_CLAIM.search(s.content) or _NO_TRUTH.search(s.content) or _AS_FALSE.search(s.content)
                or _CLAIM_AT.search(s.context) and _REJECT_CUE.search(near))


def _carrier(o: Said) -> bool:
    """Whether ``o`` is a report's account: an outlet, sources, a paper, "X quoted Y as saying", "reported"."""
    return (o.speaker_type == "outlet" or bool(_CARRIED.search(o.speaker))
            or bool(_CARRIED.search(o.lead[-80:])) or bool(_CARRIED.search(o.cue or "")))


class _Index:
    """Statements and article leads by stem, with the stems' weights."""

    def __init__(self, said: list[Said], reports: list[Report], config: DenialConfig) -> None:
        self.bags = {s.id: stems(s.content) for s in said}
        self.report_bags = {r.id: stems(r.text) for r in reports}
        self.df: Counter[str] = Counter()
        for b in self.bags.values():
            self.df.update(b)
        self.n = max(len(self.bags), 1)
        cap = max(50, int(config.max_df * self.n))
        self.by_stem: dict[str, list[int]] = defaultdict(list)
        for sid, b in self.bags.items():
            for w in b:
                if self.df[w] <= cap:
                    self.by_stem[w].append(sid)
        self.reports_by_stem: dict[str, list[int]] = defaultdict(list)
        for rid, b in self.report_bags.items():
            for w in b:
                self.reports_by_stem[w].append(rid)

    def idf(self, w: str) -> float:
        return math.log((self.n + 1) / (self.df[w] + 1)) + 1.0


def _admissible(s: Said, article: int, when: str | None, dup: int | None, config: DenialConfig,
                published: dict[int, str | None]) -> bool:
    """Same article, or an earlier article (not a copy of the same wire story) within the window."""
    if article == s.article_id:
        return True
    if s.dup is not None and dup == s.dup:
        return False
    day = _day(published.get(s.article_id) or s.date)
    other = _day(published.get(article) or when)
    return day is None or other is None or day - config.window_days <= other <= day


def _by_proposition(s: Said, claim: Claim, ix: _Index, by_id: dict[int, Said], in_article: dict[int, list[Said]],
                    reports: dict[int, Report], stances: dict[int, str], config: DenialConfig
                    ) -> tuple[float, int | None, int | None]:
    """The best (score, statement, article) for ``claim``: its share of the proposition's weight, and bonuses."""
    total = sum(ix.idf(w) for w in claim.stems) or 1.0
    published = {r.id: r.date for r in reports.values()}
    candidates = {o.id for o in in_article[s.article_id]} | {o for w in claim.stems for o in ix.by_stem.get(w, ())}
    best: tuple[float, int | None, int | None] = (0.0, None, None)
    for other in sorted(candidates):
        o = by_id[other]
        shared = claim.stems & ix.bags[other]
        if not shared or other == s.id or other in stances:
            continue  # nothing in common, itself, or another denial or confirmation: not a claim
        same = o.article_id == s.article_id
        carried = same and claim.of_reports and not claim.narrated and _carrier(o)
        rare = any(ix.df[w] <= 5 for w in shared)
        if len(shared) < (2 if carried else config.min_shared) and not (carried and rare):
            continue
        if s.identity is not None and o.identity == s.identity and not (carried and _CARRIED.search(o.lead[-80:])):
            continue  # the speaker's own words (unless a report's account the engine gave to the speaker)
        if same and s.span and o.span and o.span[0] < s.span[1] and s.span[0] < o.span[1]:
            continue
        told = _DENY_CUE.search(o.content) or _CONFIRM.search(o.content)
        if told and 2 * len(shared & stems(o.content[told.end():])) >= len(shared):
            continue  # "... but denied the claim was linked": a report of another denial, not the claim
        if not _admissible(s, o.article_id, o.date, o.dup, config, published):
            continue
        if claim.names and not claim.names & ix.bags[other] and not carried:
            continue  # (a report's account in the same article may leave out the names)
        if claim.subject and not claim.subject & ix.bags[other]:
            continue
        score = sum(ix.idf(w) for w in shared) / total
        if not same and score < config.other_article_fit and (s.story is None or o.story != s.story):
            continue  # another article's statement on the topic: only a close fit, or the same story
        score += config.carrier_bonus if carried else config.same_article_bonus if same else 0.0
        if _cue_is(_ACCUSES, o.cue):
            score += config.accuser_bonus
        if not same and s.story is not None and o.story == s.story:
            score += config.story_bonus
        if score > best[0]:
            best = (score, other, None)
    rgained: dict[int, float] = defaultdict(float)
    rshared: Counter[int] = Counter()
    for w in claim.stems:
        for rid in ix.reports_by_stem.get(w, ()):
            rgained[rid] += ix.idf(w)
            rshared[rid] += 1
    for rid, g in sorted(rgained.items()):
        r = reports[rid]
        if rid == s.article_id or rshared[rid] < config.min_shared or _DENY_CUE.search(r.text) or re.search(
                r"\b(?:no|not|never|denies|rejects)\b", r.text.split("\n", 1)[0], re.IGNORECASE):
            continue  # its own article, too little in common, or a report of a denial
        if not _admissible(s, r.id, r.date, r.dup, config, published):
            continue
        if claim.names and not claim.names & ix.report_bags[rid] or claim.subject and not (
                claim.subject & ix.report_bags[rid]):
            continue
        if s.identity is not None and any(o.identity == s.identity and len(claim.stems & ix.bags[o.id]) >= 2
                                          for o in in_article[rid]):
            continue  # the article carries the speaker's own words on it
        score = g / total + (config.story_bonus if s.story is not None and r.story == s.story else 0.0)
        if score >= config.report_threshold and score > best[0] + 0.1:
            best = (score, None, rid)  # a statement is preferred unless the article fits clearly better
    return best


def _by_anaphor(s: Said, in_article: list[Said], stances: dict[int, str], config: DenialConfig
                ) -> tuple[float, Said | None]:
    """The nearest earlier claim of the article by another speaker, scored by how near it is.

    "The rumours", "the reports" must be a report's account (or another denial of them), not just
    anyone's words.
    """
    if s.span is None:
        return 0.0, None
    reports = bool(_REPORT_AT.search(s.content)) and not re.search(r"\bstor(?:y|ies)\b", s.content, re.IGNORECASE)
    for o in reversed(in_article):
        if o.span is None or o.span[1] > s.span[0]:
            continue
        gap = s.span[0] - o.span[1]
        if gap > config.anaphor_chars:
            break
        if o.identity is not None and o.identity == s.identity:
            continue
        if o.id in stances or _cue_is(_CLAIM_CUE, o.cue) and (not reports or _carrier(o)):
            return 0.9 - 0.3 * gap / config.anaphor_chars, o
    return 0.0, None


def link_stances(said: Iterable[Said], reports: Iterable[Report] = (),
                 config: DenialConfig = DenialConfig()) -> tuple[dict[int, str], list[Link]]:
    """The stance of every denying or confirming statement, and what each one denies or confirms."""
    said = list(said)
    reports = list(reports)
    stances = {s.id: st for s in said if (st := stance(s.content, s.cue, s.context, s.flags, s.lead, s.question))}
    if not stances:
        return {}, []
    ix = _Index(said, reports, config)
    by_id = {s.id: s for s in said}
    report_by_id = {r.id: r for r in reports}
    in_article: dict[int, list[Said]] = defaultdict(list)
    for s in sorted(said, key=lambda s: (s.span or (0, 0), s.id)):
        in_article[s.article_id].append(s)
    found: dict[int, tuple[float, int | None, int | None]] = {}
    anaphors: dict[int, Said] = {}
    for sid in sorted(stances):
        s = by_id[sid]
        if not _of_a_claim(s):
            continue  # "rejected the offer", "dismissed the lawsuit": nothing claimed to look for
        claim = what_is_claimed(s)
        if claim.anaphor:
            score, o = _by_anaphor(s, in_article[s.article_id], stances, config)
            if o is not None:
                anaphors[sid] = o
                found[sid] = (score, o.id, None)
        elif len(claim.stems) >= config.min_shared:
            found[sid] = _by_proposition(s, claim, ix, by_id, in_article, report_by_id, stances, config)
    for sid, o in anaphors.items():
        if o.id in stances:  # "Those rumours are not correct" after "... denied rumours that X": X's target
            if found.get(o.id, (0.0,))[0] < config.threshold:
                del found[sid]
            else:
                found[sid] = (min(found[sid][0], found[o.id][0]), *found[o.id][1:])
    links = [Link(sid, "denies" if stances[sid] == "denial" else "confirms", round(min(score, 1.0), 3), t, a)
             for sid, (score, t, a) in sorted(found.items()) if score >= config.threshold and (t or a)]
    log.info("stances: %d denials, %d confirmations, %d linked", sum(v == "denial" for v in stances.values()),
             sum(v == "confirmation" for v in stances.values()), len(links))
    return stances, links
