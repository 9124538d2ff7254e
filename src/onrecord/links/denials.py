"""Denials and confirmations, and what they deny or confirm.

A statement denies when the engine flagged it ("denial") or when its cue or the words around
it do ("denied", "rejected reports that", "dismissed as false", content "are not true",
"untrue", "baseless", "no truth"). Confirmations likewise ("confirmed", "acknowledged").
What is denied is found by word overlap: the statement's content without the denial words
(the proposition) against every other statement and every article's title and lead published
within ``window_days`` before it (or in the same article), scored by the share of the
proposition's rare-word weight they carry; a candidate must also carry at least half of the
names (capitalised words) of the proposition. Copies of the same wire story, statements by the
same speaker and statements that themselves report a denial are not candidates.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

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
newspaper press statement statements remarks never there saying""".split())

_WORD = re.compile(r"[^\W\d_][\w'-]*|\d[\d.,]*", re.UNICODE)


@dataclass(frozen=True)
class DenialConfig:
    """The look-back window, and the score a candidate needs to be linked."""

    window_days: int = 30
    threshold: float = 0.5
    min_shared: int = 3
    max_df: float = 0.02


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


@dataclass(frozen=True, slots=True)
class Report:
    """An article as a possible target: its title and lead."""

    id: int
    date: str | None
    text: str
    dup: int | None = None


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


def words(text: str) -> set[str]:
    """Content words of ``text`` (folded, no stop words)."""
    return {w for w in (fold(m.group()).strip("'") for m in _WORD.finditer(text))
            if len(w) > 2 and w not in STOPWORDS}


def _day(d: str | None) -> int | None:
    try:
        return date.fromisoformat(d[:10]).toordinal() if d else None
    except ValueError:
        return None


_NAME = re.compile(r"(?<=[\w,;] )[A-Z][\w'-]+")


def _names(text: str) -> set[str]:
    """Capitalised words inside ``text`` (not the first word): the names a target must share."""
    return {fold(m.group()) for m in _NAME.finditer(text)} - STOPWORDS


def _carries(names: set[str], text: str) -> bool:
    """Whether ``text`` holds at least half of ``names``."""
    if not names:
        return True
    have = {fold(w) for w in _WORD.findall(text)}
    return 2 * len(names & have) >= len(names)


def link_stances(said: Iterable[Said], reports: Iterable[Report] = (),
                 config: DenialConfig = DenialConfig()) -> tuple[dict[int, str], list[Link]]:
    """The stance of every denying or confirming statement, and what each one denies or confirms."""
    said = list(said)
    reports = list(reports)
    stances = {s.id: st for s in said if (st := stance(s.content, s.cue, s.context, s.flags, s.lead, s.question))}
    if not stances:
        return {}, []
    bags = {s.id: words(s.content) for s in said}
    report_bags = {r.id: words(r.text) for r in reports}
    df: Counter[str] = Counter()
    for b in bags.values():
        df.update(b)
    n = max(len(bags), 1)
    max_df = max(50, int(config.max_df * n))
    index: dict[str, list[int]] = defaultdict(list)
    for sid, b in bags.items():
        for w in b:
            if df[w] <= max_df:
                index[w].append(sid)
    rindex: dict[str, list[int]] = defaultdict(list)
    for rid, b in report_bags.items():
        for w in b:
            rindex[w].append(rid)
    by_id = {s.id: s for s in said}
    report_by_id = {r.id: r for r in reports}

    def idf(w: str) -> float:
        return math.log((n + 1) / (df[w] + 1)) + 1.0

    def admissible(s: Said, day: int | None, other_article: int, other_date: str | None, other_dup: int | None) -> bool:
        if other_article == s.article_id:
            return True
        if s.dup is not None and other_dup == s.dup:
            return False  # a copy of the same wire story
        od = _day(other_date)
        return day is None or od is None or (day - config.window_days <= od <= day + 1)

    links: list[Link] = []
    for sid, st in sorted(stances.items()):
        s = by_id[sid]
        prop = {w for w in bags[sid] if w not in FRAME}
        if len(prop) < config.min_shared:
            continue
        total = sum(idf(w) for w in prop)
        day = _day(s.date)
        names = _names(s.content)
        gained: dict[int, float] = defaultdict(float)
        shared: Counter[int] = Counter()
        for w in prop:
            for other in index.get(w, ()):
                gained[other] += idf(w)
                shared[other] += 1
        best: tuple[float, int | None, int | None] = (0.0, None, None)
        for other, g in gained.items():
            o = by_id[other]
            if other == sid or shared[other] < config.min_shared:
                continue
            if s.identity is not None and o.identity == s.identity:
                continue
            if stances.get(other) == st and o.article_id != s.article_id:
                continue  # another denial of the same thing, not the thing denied
            if _DENY_CUE.search(o.content) or _CONFIRM.search(o.content):
                continue  # a report of the denial (or confirmation) itself
            if o.article_id == s.article_id and s.span and o.span and o.span[0] < s.span[1] and s.span[0] < o.span[1]:
                continue  # overlaps the statement: the same words
            if not admissible(s, day, o.article_id, o.date, o.dup) or not _carries(names, o.content):
                continue
            score = g / total + (0.05 if o.article_id == s.article_id else 0.0)
            if (score, -other) > (best[0], -(best[1] or 0)):
                best = (score, other, None)
        rgained: dict[int, float] = defaultdict(float)
        rshared: Counter[int] = Counter()
        for w in prop:
            for rid in rindex.get(w, ()):
                rgained[rid] += idf(w)
                rshared[rid] += 1
        for rid, g in rgained.items():
            r = report_by_id[rid]
            if rid == s.article_id or rshared[rid] < config.min_shared:
                continue
            if not admissible(s, day, r.id, r.date, r.dup) or not _carries(names, r.text):
                continue
            rd = _day(r.date)
            if day is not None and rd is not None and rd > day:
                continue  # a report published after the denial is not what it denies
            score = g / total
            if score > best[0] + 0.1:  # a statement is preferred unless the report fits clearly better
                best = (score, None, rid)
        if best[0] >= config.threshold:
            links.append(Link(sid, "denies" if st == "denial" else "confirms", round(min(best[0], 1.0), 3),
                              best[1], best[2]))
    log.info("stances: %d denials, %d confirmations, %d linked", sum(v == "denial" for v in stances.values()),
             sum(v == "confirmation" for v in stances.values()), len(links))
    return stances, links
