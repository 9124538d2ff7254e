"""Bytes -> Article: one reader per input format (HTML, scraped text, JSONL, WARC).

    read_sources(sources, format=, as_is=, settings=)  files, folders, "-" -> Article | ErrorRecord
    iter_inputs(sources, format=, settings=)           the same, before conversion: RawInput items
    read_input(raw, settings, as_is=)                  one RawInput -> Article (raises InputError)
    article_from_html(data, source=, meta=)            HTML bytes/str -> Article
    article_from_text(text, source=, meta=)            a scraped page's text -> Article
    article_as_is(text, source=, meta=)                text taken as the exact body
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from ..errors import InputError
from ..model import Article, ErrorRecord, Problem, RawInput
from ..settings import Settings
from .decode import decode
from .html import article_from_html
from .jsonl import article_from_record
from .sources import FORMATS, iter_inputs, sniff
from .text import article_as_is, article_from_text

log = logging.getLogger(__name__)

__all__ = [
    "FORMATS",
    "article_as_is",
    "article_from_html",
    "article_from_text",
    "iter_inputs",
    "read_input",
    "read_sources",
]


def read_input(raw: RawInput, settings: Settings | None = None, *, as_is: bool = False) -> Article:
    """The article in one input. Raises InputError with a reason code when there is none.

    ``as_is`` takes text (and JSONL ``text``) as the exact body; it does not apply to HTML.
    """
    settings = settings or Settings.load()
    data = raw.data
    size = len(data)
    if size > settings.max_input_bytes:
        raise InputError("too_large", f"{size:,} bytes, over the {settings.max_input_bytes:,}-byte input limit")
    if not (data.strip() if isinstance(data, (bytes, str)) else data):
        raise InputError("empty", "the input is empty")
    fmt = raw.format or sniff(data[:65536] if isinstance(data, bytes) else data[:65536].encode("utf-8", "replace"))
    if fmt == "html":
        article = article_from_html(data, source=raw.source, meta=raw.meta, lang=settings.language)
    elif fmt == "jsonl":
        article = article_from_record(data, source=raw.source, as_is=as_is)
    elif fmt == "text":
        text = decode(data) if isinstance(data, bytes) else data
        if as_is:
            article = article_as_is(text, source=raw.source, meta=raw.meta)
        else:
            article = article_from_text(text, source=raw.source, meta=raw.meta, lang=settings.language)
    else:
        raise InputError("unsupported", f"cannot read {fmt!r} input here")
    if len(article.text) > settings.max_text_chars:
        raise InputError("too_large", f"{len(article.text):,} characters of text, over max_text_chars "
                                      f"({settings.max_text_chars:,})")
    return article


def read_sources(
    sources: list[str],
    *,
    format: str | None = None,
    as_is: bool = False,
    settings: Settings | None = None,
) -> Iterator[Article | ErrorRecord]:
    """An Article or an ErrorRecord (stage ``read``) for every input in ``sources``, in order.

    A source is a file, a folder (walked in sorted order, every supported file) or ``-`` for
    standard input. ``format`` (html, text, jsonl, warc) overrides detection.
    """
    settings = settings or Settings.load()
    for item in iter_inputs(sources, format=format, settings=settings):
        if isinstance(item, RawInput):
            yield convert(item, settings, as_is=as_is)
        else:
            yield item


def convert(raw: RawInput, settings: Settings, *, as_is: bool = False) -> Article | ErrorRecord:
    """``read_input`` that returns an ErrorRecord instead of raising."""
    try:
        return read_input(raw, settings, as_is=as_is)
    except InputError as e:
        return ErrorRecord(raw.source, Problem(e.code, e.message), stage="read")
    except RecursionError:
        return ErrorRecord(raw.source, Problem("read_failed", "the input is nested too deeply to read"))
    except Exception as e:  # one broken input never stops a batch
        log.exception("reading %s failed", raw.source)
        return ErrorRecord(raw.source, Problem("read_failed", f"{type(e).__name__}: {e}"))
