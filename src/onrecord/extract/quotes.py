"""Quote-mark pairing over an article's paragraphs: Article text -> [Quote].

    find_quotes(text, bounds) -> [Quote]   bounds are the paragraphs' (start, end)

Double marks open and close quotations: straight ``"`` (its role read from the
characters around it), curly ``“ ”``, low ``„``, guillemets ``« »`` and the reversed
``» «`` (when a paragraph's first guillemet is ``»``). Single marks (``' ‘ ’``) never
open a quotation, so apostrophes (don't, '90s, rock 'n' roll) and single quotes nested
inside double ones cannot break the pairing. A quotation left open at the end of a
paragraph continues when the next paragraph opens with a quote mark (news
convention); otherwise it, and any closing mark with no opener, becomes a Quote flagged
``unclosed_quote``. Two apostrophes in a row (``''``, some newspapers' double quote) count
as a double mark when they sit at a word's edge. One pass over the marks: linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_MARKS = re.compile("[\"“”„«»]")
# every mark that can open / close a quotation, single ones included (for trimming a span's edges; the
# pairing below uses only the double marks)
OPENING_MARKS = "\"“‘«„"
CLOSING_MARKS = "\"”’»"
# two apostrophes used as a double quote: opening before a word, closing after one
_TWIN_OPEN = re.compile(r"(?:(?<=[\s(\[—–-])|^)''(?=[\w$‘'.…\[(])")
_TWIN_CLOSE = re.compile(r"(?<=[\w.,!?…)\]’'%])''(?=[\s)\].,;:!?—–-]|$)")
_OPEN_BEFORE = set(" \t\n([{—–-/:")
_CLOSE_AFTER = set(" \t\n)]}.,;:!?—–-/")


@dataclass(frozen=True)
class Quote:
    """A quotation: content ``[start, end)`` without the marks, as article offsets.

    ``open`` / ``close`` are the offsets of the marks (None when missing). ``pieces``
    holds the content per paragraph (a quote over several paragraphs has several),
    each without quote marks; ``paragraphs`` the indices of those paragraphs.
    """

    start: int
    end: int
    open: int | None
    close: int | None
    pieces: tuple[tuple[int, int], ...]
    paragraphs: tuple[int, ...]
    flags: tuple[str, ...] = ()

    @property
    def outer(self) -> tuple[int, int]:
        """The span including the marks that exist."""
        a = self.open if self.open is not None else self.start
        b = self.close + 1 if self.close is not None else self.end
        return a, b


def _role(text: str, i: int, ch: str, reversed_guillemets: bool, open_ch: str | None) -> str:
    """'open', 'close' or 'either' for the mark ``ch`` at ``text[i]``."""
    if ch == "“":
        return "close" if open_ch == "„" else "open"
    if ch == "”":
        # a typed-over opening mark at the start of a line: '\n”Fortunately, ...”'
        if open_ch is None and (i == 0 or text[i - 1] == "\n") and i + 1 < len(text) and text[i + 1].isalnum():
            return "open"
        return "close"
    if ch == "„":
        return "open"
    if ch == "«":
        return "close" if reversed_guillemets else "open"
    if ch == "»":
        return "open" if reversed_guillemets else "close"
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before in _OPEN_BEFORE and after not in " \t\n":
        return "open"
    if after in _CLOSE_AFTER and before not in " \t\n":
        return "close"
    return "either"


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _twin_marks(text: str) -> tuple[str, dict[int, str]]:
    """``text`` with each ``''`` double mark written as one ``"`` plus a space (same offsets), and the
    role of each such mark: an opening ``''`` becomes ``" `` (the mark at its first apostrophe), a
    closing one `` "`` (the mark at its second)."""
    if "''" not in text:
        return text, {}
    chars = list(text)
    roles: dict[int, str] = {}
    for m in _TWIN_OPEN.finditer(text):
        chars[m.start()], chars[m.start() + 1] = '"', " "
        roles[m.start()] = "open"
    for m in _TWIN_CLOSE.finditer(text):
        if m.start() in roles or m.start() - 1 in roles:
            continue
        chars[m.start()], chars[m.start() + 1] = " ", '"'
        roles[m.start() + 1] = "close"
    return "".join(chars), roles


def find_quotes(text: str, bounds: list[tuple[int, int]]) -> list[Quote]:
    """Every quotation in ``text`` (paragraphs at ``bounds``), in text order."""
    text, forced = _twin_marks(text)
    quotes: list[Quote] = []
    # a quotation still open at the end of the previous paragraph: (open mark, pieces, paragraphs)
    carry: tuple[int, list[tuple[int, int]], list[int]] | None = None
    for pi, (pa, pb) in enumerate(bounds):
        para = text[pa:pb]
        marks = [(m.start(), m.group()) for m in _MARKS.finditer(para)]
        guillemets = [ch for _, ch in marks if ch in "«»"]
        reversed_g = bool(guillemets) and guillemets[0] == "»"
        open_at: int | None = None  # paragraph-relative offset of the pending opening mark
        open_ch: str | None = None
        cont: tuple[int, list[tuple[int, int]], list[int]] | None = None
        k = 0
        if carry is not None:
            first_role = forced.get(pa) or (_role(para, 0, marks[0][1], reversed_g, None) if marks else "")
            if marks and marks[0][0] == 0 and first_role != "close":
                cont, open_at, open_ch, k = carry, 0, marks[0][1], 1
            else:
                _unclosed(text, quotes, carry)
            carry = None
        last_close = 0
        for i, ch in marks[k:]:
            role = forced.get(pa + i) or _role(para, i, ch, reversed_g, open_ch)
            if open_at is None:
                if role == "close":
                    a, b = _strip(text, pa + last_close, pa + i)
                    if b > a:
                        quotes.append(Quote(a, b, None, pa + i, ((a, b),), (pi,), ("unclosed_quote",)))
                    last_close = i + 1
                else:
                    open_at, open_ch = i, ch
            elif role == "open":
                _close_pending(text, quotes, pa, pi, open_at, None, cont)
                cont = None
                open_at, open_ch = i, ch
            else:
                _close_pending(text, quotes, pa, pi, open_at, i, cont)
                cont = None
                open_at, open_ch = None, None
                last_close = i + 1
        if open_at is not None:
            pieces = list(cont[1]) if cont else []
            paras = list(cont[2]) if cont else []
            pieces.append(_strip(text, pa + open_at + 1, pb))
            paras.append(pi)
            carry = (cont[0] if cont else pa + open_at, pieces, paras)
    if carry is not None:
        _unclosed(text, quotes, carry)
    quotes.sort(key=lambda q: q.start)
    return quotes


def _close_pending(text: str, quotes: list[Quote], pa: int, pi: int, open_at: int, close_at: int | None,
                   cont: tuple[int, list[tuple[int, int]], list[int]] | None) -> None:
    """Record the quotation opened at ``open_at`` (paragraph-relative), closed at ``close_at`` or unclosed."""
    if close_at is None:
        a, b = _strip(text, pa + open_at + 1, _sentence_end(text, pa + open_at + 1))
        if b > a:
            quotes.append(Quote(a, b, pa + open_at, None, ((a, b),), (pi,), ("unclosed_quote",)))
        return
    a, b = _strip(text, pa + open_at + 1, pa + close_at)
    if cont is None:
        if b > a:
            quotes.append(Quote(a, b, pa + open_at, pa + close_at, ((a, b),), (pi,)))
        return
    first_open, pieces, paras = cont
    pieces = [*pieces, (a, b)] if b > a else list(pieces)
    paras = [*paras, pi]
    quotes.append(Quote(pieces[0][0], pieces[-1][1], first_open, pa + close_at, tuple(pieces), tuple(paras),
                        ("multi_paragraph",)))


def _sentence_end(text: str, a: int) -> int:
    """Where an unclosed quotation opened at ``a`` most plausibly ends: the next opening mark."""
    m = _MARKS.search(text, a)
    return m.start() if m else len(text)


def _unclosed(text: str, quotes: list[Quote], carry: tuple[int, list[tuple[int, int]], list[int]]) -> None:
    first_open, pieces, paras = carry
    pieces = [p for p in pieces if p[1] > p[0]]
    if not pieces:
        return
    flags = ("unclosed_quote", "multi_paragraph") if len(paras) > 1 else ("unclosed_quote",)
    quotes.append(Quote(pieces[0][0], pieces[-1][1], first_open, None, tuple(pieces), tuple(paras), flags))


# ---------------------------------------------------------------- quoted share (statement kinds)

DIRECT_SHARE = 0.9

_OPEN = "“«„"
_CLOSE = "”»"
_PARA = re.compile(r"\n\s*\n")


def quoted_mask(text: str) -> bytearray:
    """1 for every character of ``text`` that sits inside a quotation, else 0."""
    mask = bytearray(len(text))
    starts = [0] + [m.end() for m in _PARA.finditer(text)]
    ends = [m.start() for m in _PARA.finditer(text)] + [len(text)]
    for a, b in zip(starts, ends):
        _mark_paragraph(text, a, b, mask)
    return mask


def _mark_paragraph(text: str, a: int, b: int, mask: bytearray) -> None:
    double: int | None = None
    single: int | None = None
    i = a - 1
    while i + 1 < b:
        i += 1
        ch = text[i]
        if ch == "'" and i + 1 < b and text[i + 1] == "'":
            ch = '"'  # two apostrophes stand for a straight double quote in some feeds (''Yes,'' he said)
            i += 1
        if ch in _OPEN or (ch == '"' and double is None):
            if double is None:
                double = i
        elif ch in _CLOSE or ch == '"':
            if double is not None:
                mask[double:i + 1] = b"\x01" * (i + 1 - double)
                double = None
                single = None
        elif double is None and ch == "‘" and (i == a or not text[i - 1].isalnum()):
            single = i
        elif double is None and single is not None and ch == "’" and (i + 1 >= b or not text[i + 1].isalnum()):
            mask[single:i + 1] = b"\x01" * (i + 1 - single)
            single = None
    if double is not None:
        mask[double:b] = b"\x01" * (b - double)


def gold_kind(text: str, content: Sequence[tuple[int, int]], mask: bytearray | None = None) -> str:
    """direct / mixed / indirect from the share of the content's word characters inside quotes (direct from
    ``DIRECT_SHARE``): how the evaluation labels PolNeAR's gold statements, and the accurate engine its
    learned ones."""
    mask = quoted_mask(text) if mask is None else mask
    inside = total = 0
    for a, b in content:
        for i in range(a, b):
            if text[i].isalnum():
                total += 1
                inside += mask[i]
    if total == 0 or inside == 0:
        return "indirect"
    return "direct" if inside / total >= DIRECT_SHARE else "mixed"
