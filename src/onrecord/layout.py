"""The paragraph layout of plain text: which lines make up each paragraph.

Text marks its paragraphs in one of three ways: blank lines between them, one paragraph per line
(scraped pages, feeds, corpora exported line by line) or hard-wrapped lines (newswire, e-mail), where
a paragraph starts after a blank line, at an indented line when the text marks paragraphs by
indenting, or after a line that ends short of the width. ``paragraph_lines`` decides which and
returns each paragraph as the spans of its lines, so the text reader can join them up
(``read.text.paragraphs``) and the extraction pipeline can keep exact offsets into the text
(``extract.parse.paragraph_bounds``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
BULLET = re.compile(r"^\s*(?:[•·▪►▶◦‣■□●○*+]|-\s|–\s|—\s)\s*")
TERMINAL = re.compile(r"[.!?…:。！？][\"'”’»)\]」』]*$|[\"”»」]$")
SMALL = frozenset(["a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on", "or", "over", "per", "the", "to", "up", "via", "vs", "with"])
_RUN_ON_WORDS = SMALL | frozenset(["said", "says", "its", "his", "her", "their", "that", "which", "who", "whose"])
_BREAK = re.compile(r"\r\n|\r|\n")
_LEAD = re.compile(r"^[\s\u200b]+")
_TAIL = re.compile(r"[\s\u200b]+$")


@dataclass(frozen=True)
class Line:
    """One line: its text with runs of spaces folded, and where its non-blank part lies in the text."""

    text: str
    start: int
    end: int
    indented: bool


def lines_of(text: str) -> list[Line]:
    """Every line of ``text`` (``\\n``, ``\\r\\n`` or ``\\r`` ended); a blank line has empty ``text``."""
    out: list[Line] = []
    pos = 0
    for m in [*_BREAK.finditer(text), None]:
        end = m.start() if m else len(text)
        raw = text[pos:end]
        norm = WS.sub(" ", raw).strip()
        if norm:
            lead = _LEAD.match(raw)
            tail = _TAIL.search(raw)
            a = pos + (lead.end() if lead else 0)
            b = pos + (tail.start() if tail else len(raw))
            out.append(Line(norm, a, b, raw[:1] in (" ", "\t", "\u00a0")))
        else:
            out.append(Line("", pos, pos, False))
        if m:
            pos = m.end()
    return out


def paragraph_lines(text: str, *, body_only: bool = False) -> list[list[Line]]:
    """The paragraphs of ``text``, each as its lines (non-blank, in order).

    Hard-wrapped text (most lines close to one width) is rejoined: a new paragraph starts after a
    blank line, at an indented line when the text marks paragraphs by indenting, or after a line
    that ends short of the width (its next word would have fitted). Otherwise every line is a
    paragraph, unless it stops mid-sentence and the next one carries on. ``body_only`` says the text
    holds no headline, so a short text's ragged first line is a wrapped one.
    """
    lines = lines_of(text)
    full = sorted(len(ln.text) for ln in lines if ln.text)
    if not full:
        return []
    width = full[int(0.9 * (len(full) - 1))]
    wrapped = len(full) >= 5 and 40 <= width <= 100 and sum(n >= 0.7 * width for n in full) >= 0.5 * len(full)
    if 2 <= len(full) < 5:  # a short text: wrapped when every line but the last is long and runs on
        nonblank = [ln.text for ln in lines if ln.text]
        shortest = 20 if body_only else 40
        wrapped = all(shortest <= len(ln) <= 100 and not TERMINAL.search(ln) for ln in nonblank[:-1])
        width = max(full)
    n_indented = sum(ln.indented for ln in lines)
    by_indent = wrapped and 2 <= n_indented <= 0.7 * len(full)
    first = next(i for i, ln in enumerate(lines) if ln.text)
    last = max(i for i, ln in enumerate(lines) if ln.text)
    if all(ln.text for ln in lines[first:last + 1]) and 1 <= n_indented < len(full):
        # no blank lines, paragraphs marked by indenting (newswire style): wrapped, however short
        wrapped = by_indent = True
    out: list[list[Line]] = []
    current: list[Line] = []
    for ln in lines:
        if not ln.text:
            if current:
                out.append(current)
                current = []
            continue
        if not wrapped:
            if current and _runs_on(current[-1].text, ln.text):
                current.append(ln)  # a hard-wrapped sentence running on
                continue
            if current:
                out.append(current)
            current = [ln]
            continue
        if current:
            if by_indent:
                new_para = ln.indented
            else:
                # a line ending short of the width ends its paragraph, unless it stops mid-sentence
                # (the first line of a wire story is often short: its dateline was cut off)
                prev = current[-1].text
                new_para = (len(prev) + 1 + len(ln.text.split(" ", 1)[0]) <= width
                            and bool(TERMINAL.search(prev)))
            if new_para or BULLET.match(ln.text):
                out.append(current)
                current = []
        current.append(ln)
    if current:
        out.append(current)
    return out


def _runs_on(line: str, nxt: str) -> bool:
    """A sentence hard-wrapped across two lines: ``line`` stops mid-sentence and ``nxt`` carries on."""
    if TERMINAL.search(line):
        return False
    last = line.rsplit(" ", 1)[-1].casefold()
    return nxt[:1].islower() or line.endswith(",") or last in _RUN_ON_WORDS
