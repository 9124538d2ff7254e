"""Speakers named by layout rather than by a reporting verb: transcript labels and credit lines.

    speaker_labels(parsed)           -> [Credit]  "PENCE: ...", "((Jane Roe)) ...", "Graham: ..."
    dash_credit(parsed, para, after) -> Credit | None  '"..." ― Jane Roe' after a quotation

``attributions.py`` turns them into statements (rules "label" and "dash_credit").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..model import Span
from .types import Paragraph, Parsed

# "PENCE: Well, ...", "Graham: Trump's rhetoric is destroying ...", "((Jane Roe)) We began ..."
_COLON_LABEL = re.compile(r"([A-Z][\w.'’&-]*(?:[ ][A-Z(][\w.'’&()-]*){0,5}):[ \t]+(?=\S)")
# a transcript quoted paragraph by paragraph: '"WALLACE: Let's start ...' (upper-case labels only)
_QUOTED_LABEL = re.compile(r"[\"“][ \t]*([A-Z][A-Z.'’&-]*(?:[ ][A-Z][A-Z.'’&-]*){0,3}):[ \t]+(?=\S)")
_PAREN_LABEL = re.compile(r"\(\(([^()\n]{1,60})\)\)[ \t]*(?=\S)")
# labels before a colon that announce something other than a speaker
_NOT_SPEAKERS = frozenset(
    "update updated note editor photo photos video watch read related source sources correction breaking "
    "exclusive live image credit caption warning spoiler disclaimer q a question answer subject date "
    "time location where when what why how who tags topics see also the a an this that here there but and "
    "so now first second third finally also still yet however meanwhile bottom".split())
_NOT_SPEAKER_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT"})
_SPEAKER_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# a credit line after a quotation: '"..." ― Jane Roe.' (the name runs to the end of the line)
_DASH_CREDIT = re.compile(r"[ \t\u00a0]*([―—–]|--)[ \t\u00a0]*([A-Z][\w.'’-]*(?:[ \u00a0][A-Z][\w.'’-]*){0,5})"
                          r"[ \t\u00a0.]*(?=\n|\Z)")
MIN_LABEL_WORDS = 3  # words after a speaker label, at least
MIN_INTERVIEW_LABELS = 2  # "((Name))" labels an article needs to be read as an interview


@dataclass(frozen=True)
class Credit:
    """A speaker named by layout in paragraph ``paragraph``.

    ``source`` is the name as written, ``cue`` the colon or dash (None for "((Name))"),
    ``start``/``end`` the content's article offsets (labels only), ``source_head`` /
    ``cue_head`` token indices in the paragraph's doc. ``transcript``: an interview label or
    an all-caps label, whose paragraph is the speaker's own words.
    """

    paragraph: int
    source: Span
    cue: Span | None
    start: int
    end: int
    source_head: int
    cue_head: int | None
    transcript: bool


def speaker_labels(parsed: Parsed) -> list[Credit]:
    """Paragraphs that open with a speaker label and go on with at least a few words."""
    text = parsed.text
    paren = sum(1 for p in parsed.paragraphs if _PAREN_LABEL.match(text, p.start, p.end))
    out = []
    for p in parsed.paragraphs:
        m = _PAREN_LABEL.match(text, p.start, p.end) if paren >= MIN_INTERVIEW_LABELS else None
        if m is None:
            m = _COLON_LABEL.match(text, p.start, p.end) or _QUOTED_LABEL.match(text, p.start, p.end)
            if m is None or not _speaker_label(p, m.group(1)):
                continue
        a, b = m.end(), p.end
        while b > a and text[b - 1].isspace():
            b -= 1
        if len(text[a:b].split()) < MIN_LABEL_WORDS:
            continue
        colon = text[m.end(1)] == ":"
        head = _token_at(p, m.end(1) - 1)
        cue_head = head + 1 if colon and head + 1 < len(p.doc) else None
        out.append(Credit(p.index, Span.of(text, m.start(1), m.end(1)),
                          Span.of(text, m.end(1), m.end(1) + 1) if colon else None, a, b, head, cue_head,
                          m.re is _PAREN_LABEL or m.group(1).isupper()))
    return out


def dash_credit(parsed: Parsed, para: Paragraph, after: int) -> Credit | None:
    """A dash and a name from ``after`` (just past a closing quote mark) to the end of the line."""
    text = parsed.text
    m = _DASH_CREDIT.match(text, after, para.end)
    if m is None:
        return None
    end = m.end(2)
    last = text[m.start(2):end].split()[-1]
    if last.endswith(".") and len(last) > 3 and last not in ("Jr.", "Sr."):
        end -= 1  # the sentence's full stop, not an initial
    return Credit(para.index, Span.of(text, m.start(2), end), Span.of(text, m.start(1), m.end(1)), 0, 0,
                  _token_at(para, end - 1), _token_at(para, m.start(1)), False)


def _speaker_label(p: Paragraph, label: str) -> bool:
    """Whether the words before a paragraph's first colon name who speaks (not "Update", not a time)."""
    words = label.replace("(", " ").replace(")", " ").split()
    if not words or words[0].lower().strip(".'’") in _NOT_SPEAKERS or any(w[0].isdigit() for w in words):
        return False
    end = p.start + len(label)
    ents = [e for e in p.doc.ents if p.start + e.start_char < end]
    if any(e.label_ in _NOT_SPEAKER_ENTS for e in ents):
        return False
    if label.isupper() or any(e.label_ in _SPEAKER_ENTS for e in ents):
        return True
    # unparsed paragraphs have no tags: a capitalised label then stands
    return all(t.pos_ in ("PROPN", "NOUN", "PUNCT", "") or t.tag_ in ("NNP", "NNPS", "NN", "NNS")
               for t in p.doc if p.start + t.idx < end)


def _token_at(p: Paragraph, offset: int) -> int:
    """Index of the token of ``p.doc`` holding article offset ``offset``."""
    return max(bisect_right([t.idx for t in p.doc], offset - p.start) - 1, 0)
