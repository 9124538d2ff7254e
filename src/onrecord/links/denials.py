"""Denials and confirmations, and what they deny or confirm.

A statement denies when the engine flagged it ("denial") or when its cue or the words around
it do ("denied", "rejected reports that", "dismissed as false", content "are not true",
"untrue", "baseless", "no truth"). Confirmations likewise ("confirmed", "acknowledged").
What is denied is found by word overlap: the statement's content without the denial words
(the proposition) against every other statement and every article's title and lead published
within ``window_days`` before it (or in the same article), scored by the share of the
proposition's rare-word weight they carry. Copies of the same wire story and statements by
the same speaker are not candidates.
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
_FALSE_CONTENT = re.compile(
    r"\b(not true|untrue|(?:is|was|are|were) false|as false|false(?:ly)?|baseless|groundless|unfounded|no truth|"
    r"without (?:any )?(?:foundation|basis)|no basis|fabricat\w*|made[- ]up|fake news|nonsense|lies|"
    r"incorrect|inaccurate|erroneous|categorically|never (?:said|happened|agreed))\b", re.IGNORECASE)
_CONFIRM = re.compile(r"\b(confirm(?:s|ed|ing)?|acknowledg(?:e|es|ed|ing)|verif(?:y|ies|ied)|corroborat\w*"
                      r"|(?:is|was|are|were) (?:true|correct|accurate))\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(not|n't|neither|nor|never|no|refused to|declined to|would not)\s+(\w+\s+)?$", re.IGNORECASE)

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
    threshold: float = 0.35
    min_shared: int = 2
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


def stance(content: str, cue: str = "", context: str = "", flags: Sequence[str] = (), lead: str = "") -> str | None:
    """"denial", "confirmation" or None for a statement's content, cue and surrounding text.

    ``context`` is the text around the cue, ``lead`` the text just before the content.
    """
    if "denial" in flags:
        return "denial"
    if "confirmation" in flags:
        return "confirmation"
    near = lead[-45:]
    frame = f"{cue} {context} {near}"
    if _DENY_CUE.search(cue) or _DENY_CUE.search(near) or (_DENY_CUE.search(context) and _CLAIM_NOUN.search(context)):
        return "denial"
    if _REJECT_CUE.search(frame) and (_CLAIM_NOUN.search(frame) or _FALSE_CONTENT.search(frame)):
        return "denial"
    m = _FALSE_CONTENT.search(content)
    if m and (_CLAIM_NOUN.search(content) or re.search(r"\b(that|this|it|these|those|such)\b", content[: m.start()],
                                                       re.IGNORECASE)):
        return "denial"
    for where in (cue, near, content[:60]):
        c = _CONFIRM.search(where)
        if c:
            return None if _NEGATED.search(where[: c.start()]) else "confirmation"
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


def link_stances(said: Iterable[Said], reports: Iterable[Report] = (),
                 config: DenialConfig = DenialConfig()) -> tuple[dict[int, str], list[Link]]:
    """The stance of every denying or confirming statement, and what each one denies or confirms."""
    said = list(said)
    reports = list(reports)
    stances = {s.id: st for s in said if (st := stance(s.content, s.cue, s.context, s.flags, s.lead))}
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
        if not prop:
            continue
        total = sum(idf(w) for w in prop)
        day = _day(s.date)
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
            if not admissible(s, day, o.article_id, o.date, o.dup):
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
            if not admissible(s, day, r.id, r.date, r.dup):
                continue
            score = g / total
            if score > best[0] + 0.1:  # a statement is preferred unless the report fits clearly better
                best = (score, None, rid)
        if best[0] >= config.threshold:
            links.append(Link(sid, "denies" if st == "denial" else "confirms", round(min(best[0], 1.0), 3),
                              best[1], best[2]))
    log.info("stances: %d denials, %d confirmations, %d linked", sum(v == "denial" for v in stances.values()),
             sum(v == "confirmation" for v in stances.values()), len(links))
    return stances, links
