"""Plain text -> Article: a page as a scraper saved it, cleaned of chrome, with its metadata.

A scraped page is a run of blocks: chrome (navigation, share buttons), a headline, a date and a
byline, image captions, the body, a wire-credit line, then more chrome (related links, newsletter
boxes, an "about us" blurb). ``article_from_text`` keeps the body and turns the rest into metadata;
``article_as_is`` keeps the text exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..layout import BULLET, SMALL, TERMINAL, paragraph_lines
from ..model import Article
from . import meta as M
from .lang import detect_language
from .lexicon import boilerplate

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_COPYRIGHT = re.compile(r"^\W*(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d\d)\b", re.IGNORECASE)
_NAV = re.compile(r"\s[|>»/·]\s")


@dataclass
class _Block:
    text: str
    kind: str = "short"  # prose, short, chrome, end, bullet, caption, date, byline, credit, blurb
    value: Any = None


def paragraphs(text: str, *, body_only: bool = False) -> list[str]:
    """The paragraphs of ``text``: blank-line or line separated, hard-wrapped lines joined back up.

    How the lines group into paragraphs is ``layout.paragraph_lines``; ``body_only`` says the text
    holds no headline (the feed gave the title), so a short text's ragged first line is a wrapped one.
    """
    return [" ".join(ln.text for ln in para) for para in paragraph_lines(text, body_only=body_only)]


def _words(s: str) -> list[str]:
    return s.split()


def _word_count(s: str) -> int:
    """Words, counting two Chinese or Japanese characters as one (those scripts do not space words)."""
    return max(len(s.split()), len(_CJK.findall(s)) // 2)


def is_sentence(s: str) -> bool:
    """Body-like: a sentence with closing punctuation, or a long run of words."""
    n = _word_count(s)
    return (n >= 6 and bool(TERMINAL.search(s))) or n >= 20


def is_title_like(s: str) -> bool:
    """A headline: 2-25 words, no closing period, most significant words capitalised."""
    words = _words(s)
    if not 2 <= len(words) <= 25 or s.endswith((".", ",", ";", ":")):
        return False
    sig = [w for w in words if w.casefold().strip("'\"‘’“”") not in SMALL]
    if not sig:
        return False
    caps = 0
    for w in sig:
        letters = [c for c in w if c.isalpha()]
        caps += (not letters) or letters[0].isupper()
    return caps / len(sig) >= 0.75


def _classify(text: str, lang: str) -> _Block:
    b = _Block(text)
    kind = "end" if _COPYRIGHT.match(text) else boilerplate(lang).kind(text)
    if kind:
        b.kind = "chrome" if kind == "drop" else "end"
        return b
    if BULLET.match(text):
        b.kind = "bullet"
        return b
    for name, fn in (("date", M.date_line), ("byline", M.byline), ("credit", M.credit_line),
                     ("caption", M.caption), ("blurb", M.blurb_outlet)):
        value = fn(text)
        if value:
            b.kind, b.value = name, value
            return b
    b.kind = "prose" if is_sentence(text) else "short"
    return b


def _body_start(blocks: list[_Block]) -> int:
    first = next((i for i, b in enumerate(blocks) if b.kind == "prose" and _word_count(b.text) >= 8), None)
    if first is None:
        first = next((i for i, b in enumerate(blocks) if b.kind == "prose"), len(blocks))
    while first > 0 and blocks[first - 1].kind == "prose":  # a short lead paragraph before it
        first -= 1
    return first


def article_from_text(
    text: str,
    *,
    source: str = "-",
    meta: Mapping[str, Any] | None = None,
    lang: str = "en",
) -> Article:
    """The article in a scraped page's text: body without chrome, title, date, authors, credits, outlet.

    ``meta`` (id, url, title, published, outlet, authors, language) wins over what the text says.
    Raises InputError ``empty`` when no body is left.
    """
    meta = meta or {}
    body_only = bool(_meta_str(meta, "title"))
    blocks = [_classify(p, lang) for p in paragraphs(text.lstrip("\ufeff"), body_only=body_only)]
    start = _body_start(blocks)
    title = published = outlet = None
    authors: list[str] = []
    credits: list[str] = []
    captions: list[tuple[str, str | None]] = []

    def take(b: _Block) -> None:
        nonlocal published, outlet
        if b.kind == "date" and published is None:
            published = b.value
        elif b.kind == "byline":
            names, named_outlet = b.value
            authors.extend(n for n in names if n not in authors)
            outlet = outlet or named_outlet
        elif b.kind == "caption":
            captions.append(b.value)
        elif b.kind == "credit":
            credits.extend(c for c in b.value if c not in credits)
        elif b.kind == "blurb":
            outlet = outlet or b.value
        elif b.kind == "end":
            outlet = outlet or M.copyright_outlet(b.text)

    head = blocks[:start]
    for b in head:
        take(b)
    candidates = [b.text for b in head if b.kind == "short"]
    candidates = [c for c in candidates if not _NAV.search(c)] or candidates  # "Home | News | Local"
    titled = [c for c in candidates if is_title_like(c)]
    if titled:
        title = max(reversed(titled), key=lambda c: len(_words(c)))
    elif candidates and 3 <= len(_words(candidates[-1])) <= 25 and not candidates[-1].endswith("."):
        title = candidates[-1]

    body: list[_Block] = []
    stop = len(blocks)
    for i in range(start, len(blocks)):
        b = blocks[i]
        if b.kind in ("end", "credit", "blurb"):  # the article is over
            stop = i
            break
        if b.kind in ("prose", "short") or (b.kind == "bullet" and is_sentence(b.text)):
            body.append(b)
        else:
            take(b)
    while body and body[-1].kind != "prose" and _word_count(body[-1].text) < 10:  # chrome after the last paragraph
        body.pop()
    for b in blocks[stop:]:
        if b.kind in ("credit", "blurb", "end"):
            take(b)
    if not body:
        raise InputError("empty", "no article text found: no sentence-like paragraph (only page chrome or tables)")

    body_text = "\n\n".join(b.text for b in body)
    wire = M.dateline_outlet(body[0].text)
    if wire:
        outlet = outlet or wire
        if wire not in credits:
            credits.append(wire)
    published = _meta_str(meta, "published", "date") or published
    date_hint = None
    if published is None:
        date_hint = next((d for _, d in captions if d), None)
    return Article(
        text=body_text,
        source=source,
        id=str(meta.get("id") or ""),
        url=_meta_str(meta, "url"),
        title=_meta_str(meta, "title") or title,
        published=published,
        authors=tuple(M.as_names(meta.get("authors")) or authors),
        outlet=_meta_str(meta, "outlet") or outlet,
        credits=tuple(credits),
        language=_meta_str(meta, "language") or detect_language(body_text),
        captions=tuple(c for c, _ in captions),
        date_hint=date_hint,
    )


def article_as_is(text: str, *, source: str = "-", meta: Mapping[str, Any] | None = None) -> Article:
    """``text`` taken as the exact body: no cleaning, offsets index the decoded text."""
    meta = meta or {}
    if not text.strip():
        raise InputError("empty", "the text is empty")
    return Article(
        text=text,
        source=source,
        id=str(meta.get("id") or ""),
        url=_meta_str(meta, "url"),
        title=_meta_str(meta, "title"),
        published=_meta_str(meta, "published", "date"),
        authors=tuple(M.as_names(meta.get("authors"))),
        outlet=_meta_str(meta, "outlet"),
        language=_meta_str(meta, "language") or detect_language(text),
    )


def _meta_str(meta: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = meta.get(key)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None
