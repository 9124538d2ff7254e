"""HTML -> Article through trafilatura: body text with paragraph breaks, and the page's metadata."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from ..errors import InputError
from ..model import Article
from . import meta as M
from .decode import decode
from .lang import detect_language, normalize_language
from .lexicon import boilerplate

log = logging.getLogger(__name__)

# favor_precision scored best on the Zyte benchmark; a page where it finds (almost) nothing is retried
# with trafilatura's balanced defaults
_MIN_PRECISE_CHARS = 500
_BIG_PAGE_CHARS = 1_000_000
_HUGE_PAGE_CHARS = 4_000_000
_CODE_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "canvas")
_CHROME_TAGS = ("nav", "header", "footer", "aside", "form", "menu")
_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "figcaption")
_QUOTES = (("“", "”"), ("‘", "’"))


def article_from_html(
    data: bytes | str,
    *,
    source: str = "-",
    meta: Mapping[str, Any] | None = None,
    lang: str = "en",
) -> Article:
    """The article in an HTML page: body (paragraphs split by a blank line), title, date, authors, outlet, url.

    ``meta`` comes from a WARC record or a JSONL line. Its id, title, outlet, authors and language win
    over the page's; the page's own canonical URL and publication date win over ``meta``'s url and
    published (a crawl's address and date), which fill in when the page has none.
    Raises InputError (``binary``, ``decode``, ``empty``) for a page with no readable article.
    """
    from trafilatura import bare_extraction
    from trafilatura.settings import set_date_params
    from trafilatura.utils import load_html

    meta = meta or {}
    text = decode(data, html=True) if isinstance(data, bytes) else data
    if not text.strip():
        raise InputError("empty", "the page is empty")
    tree = load_html(text)
    if tree is None:
        raise InputError("empty", "the page has no HTML document in it")
    _mark_inline_quotes(tree)
    page_lang = _page_language(tree)
    captions = _captions(tree)
    url = _str(meta.get("url"))

    # time grows faster than size: a large page skips the fallback extractors and the extensive date
    # search; a huge one (once scripts and styles are gone) is read block by block
    big = len(text) > _BIG_PAGE_CHARS
    if big:
        _drop_code(tree)
    if big and len(tree.text_content()) > _HUGE_PAGE_CHARS:
        doc = _blocks_document(tree, url)
    else:
        opts: dict[str, Any] = {"url": url, "include_comments": False, "with_metadata": True, "fast": big}
        if big:
            opts["date_extraction_params"] = set_date_params(False)
        doc = bare_extraction(tree, favor_precision=True, **opts)
        if not big and (doc is None or len(doc.text or "") < _MIN_PRECISE_CHARS):
            fallback = bare_extraction(tree, **opts)
            if fallback is not None and len(fallback.text or "") > len((doc.text or "") if doc else ""):
                doc = fallback
    if doc is None or not (doc.text or "").strip():
        raise InputError("empty", "no article text found in the page")

    title = _str(meta.get("title")) or _str(doc.title)
    chrome = boilerplate(lang).kind
    paras = [p for p in (" ".join(ln.split()) for ln in doc.text.split("\n")) if p and not chrome(p)]
    if paras and paras[0] in (title, _str(doc.title)):
        paras = paras[1:]  # the headline repeated on top of the body
    credits: list[str] = []
    while paras:
        found = M.credit_line(paras[-1])
        if not found:
            break
        credits[:0] = [c for c in found if c not in credits]
        paras.pop()
    if not paras:
        raise InputError("empty", "no article text found in the page")
    body = "\n\n".join(paras)
    wire = M.dateline_outlet(paras[0])
    if wire and wire not in credits:
        credits.append(wire)
    authors = [a.strip() for a in re.split(r"\s*;\s*", doc.author or "") if a.strip()]
    published = _str(doc.date) or _str(meta.get("published") or meta.get("date"))
    date_hint = _str(meta.get("date_hint"))
    if published is None and date_hint is None:
        date_hint = next((d for c in captions for _, _, d in M.find_dates(c)), None)
    return Article(
        text=body,
        source=source,
        id=str(meta.get("id") or ""),
        url=_str(doc.url) or url,
        title=title,
        published=published,
        authors=tuple(M.as_names(meta.get("authors"))) or tuple(authors),
        outlet=_str(meta.get("outlet")) or _str(doc.sitename) or wire,
        credits=tuple(credits),
        language=_str(meta.get("language")) or page_lang or detect_language(body),
        captions=tuple(captions),
        date_hint=date_hint,
    )


def _str(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def _mark_inline_quotes(tree: Any) -> None:
    """Write ``<q>`` elements out as quotation marks (extraction drops the tag and would lose them)."""
    for q in tree.iter("q"):
        depth = sum(1 for a in q.iterancestors("q"))
        opening, closing = _QUOTES[depth % 2]
        q.text = opening + (q.text or "")
        if len(q):
            last = q[-1]
            last.tail = (last.tail or "") + closing
        else:
            q.text += closing
    for q in list(tree.iter("q")):
        q.drop_tag()


def _captions(tree: Any, limit: int = 50) -> list[str]:
    """The text of the page's image captions (``<figcaption>``), in order, without repeats."""
    out: list[str] = []
    for el in tree.iter("figcaption"):
        text = " ".join(el.text_content().split())
        if text and text not in out:
            out.append(text)
            if len(out) >= limit:
                break
    return out


def _page_language(tree: Any) -> str | None:
    for value in (
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        *tree.xpath("//meta[@http-equiv='content-language' or @http-equiv='Content-Language']/@content"),
        *tree.xpath("//meta[@property='og:locale']/@content"),
    ):
        code = normalize_language(value)
        if code:
            return code
    return None


def _drop_code(tree: Any) -> None:
    """Remove scripts, styles and other non-text elements (what makes most very large pages large)."""
    for el in list(tree.iter(*_CODE_TAGS)):
        el.drop_tree()


def _blocks_document(tree: Any, url: str | None) -> Any:
    """A trafilatura Document for a huge page: the text of its paragraph-like blocks, in linear time."""
    from trafilatura.metadata import extract_metadata
    from trafilatura.settings import set_date_params

    doc = extract_metadata(tree, url, set_date_params(False), extensive=False)
    for el in list(tree.iter(*_CHROME_TAGS)):
        el.drop_tree()
    blocks: list[str] = []
    taken: set[Any] = set()
    for el in tree.iter(*_BLOCK_TAGS):
        if any(a in taken for a in el.iterancestors(*_BLOCK_TAGS)):
            continue  # inside a block already taken
        taken.add(el)
        line = " ".join(el.text_content().split())
        if line:
            blocks.append(line)
    if not blocks:
        blocks = [ln for ln in (" ".join(x.split()) for x in tree.text_content().split("\n")) if ln]
    doc.text = "\n".join(blocks)
    return doc
