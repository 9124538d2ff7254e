"""How a statement reached the record: the channel ("tweet", "statement", "interview", ...) and the relaying outlet.

Both are read from the reporting clause around the cue, never from the statement's content.
Channel phrases are data (``lexicons/<lang>/channels.tsv``); outlets come from ``outlets.txt``
plus organisations named like outlets ("the Kabul Times", "Tolo News").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .mentions import OUTLET_WORDS, document_nouns, lexicon_lines, outlet_name, outlets

CHANNEL_CODES: tuple[str, ...] = (
    "tweet", "social_media", "statement", "news_conference", "interview", "reporters", "email", "op_ed",
    "speech", "letter", "broadcast", "testimony", "phone", "report", "document",
)


# when one reporting clause names several channels, the first in this order wins
CHANNEL_PRIORITY = {code: i for i, code in enumerate((
    "testimony", "news_conference", "speech", "op_ed", "letter", "email", "tweet", "social_media", "broadcast",
    "statement", "report", "document", "phone", "interview", "reporters"))}

# verbs and phrases that hand a statement to an outlet: "told Reuters", "quoted by AFP", "Reuters reported"
_TOLD = r"(?:told|tells|telling|said to|speaking to|spoke to|speaking with|spoke with|talking to|talked to|" \
        r"in an? (?:\w+ )?interview with|interviewed by|in comments to|in remarks to|in an email to|" \
        r"in a statement to|gave an interview to)"
_QUOTED = r"(?:quoted by|cited by|reported by|according to|as reported by|as quoted by|told to)"


@dataclass(frozen=True)
class Evidence:
    """A channel or relay phrase found in the text: ``value`` is a channel code or an outlet name."""

    kind: str  # "channel" | "told" | "quoted" | "reported"
    value: str
    start: int
    end: int


@lru_cache(maxsize=4)
def _channel_rules(language: str = "en") -> tuple[tuple[str, str], ...]:
    """(code, phrase pattern) pairs of ``channels.tsv`` in lexicon order, codes checked."""
    out = []
    for ln in lexicon_lines("channels.tsv", language):
        code, _, rx = ln.partition("\t")
        code = code.strip()
        if code not in CHANNEL_CODES:
            raise ValueError(f"channels.tsv: unknown channel code {code!r}; known: {', '.join(CHANNEL_CODES)}")
        out.append((code, rx.strip()))
    return tuple(out)


@lru_cache(maxsize=4)
def channel_patterns(language: str = "en") -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(code, compiled phrase) pairs in lexicon order."""
    return tuple((code, re.compile(r"(?<![\w-])(?:" + rx + r")(?![\w-])", re.I))
                 for code, rx in _channel_rules(language))


@lru_cache(maxsize=4)
def _outlet_rx(language: str = "en") -> str:
    names = sorted(outlets(language), key=len, reverse=True)
    words = "|".join(re.escape(n) for n in names)
    # (never the first word of a longer name: "the Daily Mail" is not "Daily")
    generic = r"(?:[A-Z][\w.&'-]*\s+){0,4}(?:[A-Z][\w.&']*-)?(?:" + "|".join(OUTLET_WORDS) + r")(?!\s+[A-Z][a-z])"
    return r"(?:the\s+)?(?P<outlet>" + words + "|" + generic + r")(?![\w-])"


@lru_cache(maxsize=4)
def _outlet_literals(language: str = "en") -> tuple[str, ...]:
    """Strings one of which every match of ``_outlet_rx`` contains."""
    return tuple(sorted(set(outlets(language)) | set(OUTLET_WORDS), key=len))


# a capitalised name run ("Pittsburgh Post-Gazette", "WESH 2"): what "via X" or "X of <outlet>" names
_NAME_RUN = r"[A-Z][\w.&'-]*(?:\s+[A-Z0-9][\w.&'-]*){0,5}"
# a person named before "of <outlet>": "told Paul Rivera of WESH 2 news", "via Brian Batko of the ..."
_REPORTER = r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}\s+of\s+"
# "via news agency Interfax": a common noun for an outlet before its name
_OUTLET_NOUN = r"(?:(?:news\s+agency|news\s+site|newspaper|broadcaster|outlet|channel|station|magazine)\s+)?"
_BROADCAST_WORD = re.compile(r"\s+(?:news|tv|television|radio|newspaper)\b", re.I)
_CALL_SIGN = re.compile(r"^[A-Z]{3,5}(?:[- ]?\d{1,2}|-TV)?$")


def _outlet_like(name: str, after: str, language: str = "en") -> bool:
    """An outlet by lexicon, by the form of its name, by a call sign, or by a following "news"/"TV"."""
    return bool(outlet_name(name, language, by_form=True) or _CALL_SIGN.match(name) or _BROADCAST_WORD.match(after))


def canonical_outlet(text: str, language: str = "en") -> str:
    text = re.sub(r"^the\s+", "", text.strip(), flags=re.I)
    return outlets(language).get(text, text)


@lru_cache(maxsize=4)
def _any_channel(language: str = "en") -> re.Pattern[str]:
    """A quick test before the ordered search, on the lower-cased text: every phrase without its word
    boundaries, so it matches wherever some channel phrase does (the lexicon's phrases are lower case)."""
    return re.compile("|".join(f"(?:{rx})" for _, rx in _channel_rules(language)))


def find_channels(text: str, lo: int, hi: int, language: str = "en") -> list[Evidence]:
    """Channel phrases in ``text[lo:hi]`` (article offsets); a phrase never overlaps an earlier-listed one."""
    found: list[Evidence] = []
    window = text[lo:hi]
    if _any_channel(language).search(window.lower()) is None:
        return found
    for code, rx in channel_patterns(language):
        for m in rx.finditer(window):
            a, b = lo + m.start(), lo + m.end()
            if any(a < e.end and e.start < b for e in found):
                continue
            found.append(Evidence("channel", code, a, b))
    return found


def find_relays(text: str, lo: int, hi: int, language: str = "en",
                channels: list[Evidence] | None = None) -> list[Evidence]:
    """Outlets that relay a statement in ``text[lo:hi]``: "told Reuters", "quoted by AFP", "Reuters reported".

    ``channels``: what ``find_channels`` gives for the same window, when the caller has it.
    """
    window = text[lo:hi]
    out_rx = _outlet_rx(language)
    found: list[Evidence] = []
    # an outlet name is a listed spelling or ends in an outlet word: without one, the first three
    # patterns cannot match
    named = any(w in window for w in _outlet_literals(language))
    for kind, rx in (("told", _TOLD + r"\s+" + out_rx), ("quoted", _QUOTED + r"\s+" + out_rx),
                     ("reported", out_rx + r"\s+(?:reported|quoted|cited|said|reports|says)\b")) if named else ():
        for m in re.finditer(r"(?<![\w-])" + rx, window):
            a, b = lo + m.start("outlet"), lo + m.end("outlet")
            if any(a < e.end and e.start < b for e in found):
                continue
            found.append(Evidence(kind, canonical_outlet(m.group("outlet"), language), lo + m.start(), lo + m.end()))
    # "via USA Today", "via Brian Batko of the Pittsburgh Post-Gazette": "via" names the relay whatever it is called;
    # "told Paul Rivera of WESH 2 news": a reporter's outlet, when it looks like one
    # ("via Twitter" and "via Zoom" are channels, not relays: a match inside a channel phrase is skipped)
    if channels is None:
        channels = find_channels(text, lo, hi, language)
    for kind, rx in (("via", r"\bvia\s+(?:" + _REPORTER + r")?(?:the\s+)?" + _OUTLET_NOUN
                      + r"(?P<outlet>" + _NAME_RUN + ")"),
                     ("told", _TOLD + r"\s+" + _REPORTER + r"(?:the\s+)?(?P<outlet>" + _NAME_RUN + ")")):
        for m in re.finditer(r"(?<![\w-])" + rx, window):
            a, b = lo + m.start("outlet"), lo + m.end("outlet")
            if any(a < e.end and e.start < b for e in found):
                continue
            name = m.group("outlet").rstrip(".,")
            if any(lo + m.start() < e.end and e.start < b for e in channels):
                continue
            if kind == "told" and not _outlet_like(name, window[m.end("outlet"):], language):
                continue
            found.append(Evidence(kind, canonical_outlet(name, language), lo + m.start(), lo + m.end()))
    return found


def document_channel(noun: str, language: str = "en") -> str | None:
    """The channel of a document speaker ("statement" -> "statement", "draft" -> "document")."""
    return document_nouns(language).get(noun.lower())
