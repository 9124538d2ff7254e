"""One JSON Lines record -> Article: ``text`` (or ``html``) plus the record's metadata."""

from __future__ import annotations

import json
from typing import Any

from ..errors import InputError
from ..model import Article
from .decode import decode
from .meta import normalize_date

META_KEYS: tuple[str, ...] = ("id", "url", "title", "outlet", "authors", "language")


def parse_record(line: bytes | str) -> dict[str, Any]:
    """The JSON object on one line. Raises InputError ``bad_json``."""
    text = decode(line) if isinstance(line, bytes) else line
    try:
        record = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError("bad_json", f"not valid JSON: {e.msg} (column {e.colno})") from None
    if not isinstance(record, dict):
        raise InputError("bad_json", f"a JSON line must hold an object, not {type(record).__name__}")
    return record


def record_meta(record: dict[str, Any]) -> dict[str, Any]:
    """What a record says about its article: id, url, title, outlet, authors, language, published."""
    meta = {k: record[k] for k in META_KEYS if record.get(k) not in (None, "", [])}
    if meta.get("id") is not None:
        meta["id"] = str(meta["id"])
    published = normalize_date(record.get("published") or record.get("date"))
    if published:
        meta["published"] = published
    return meta


def article_from_record(line: bytes | str, *, source: str, as_is: bool = False) -> Article:
    """The article of one JSONL line: ``text`` cleaned as scraped text (exact with ``as_is``), or ``html``.

    Raises InputError ``bad_json`` for a line that is not a JSON object and ``no_text`` for one without text.
    """
    from .html import article_from_html
    from .text import article_as_is, article_from_text

    record = parse_record(line)
    meta = record_meta(record)
    text, html = record.get("text"), record.get("html")
    if isinstance(text, str) and text.strip():
        if as_is:
            return article_as_is(text, source=source, meta=meta)
        return article_from_text(text, source=source, meta=meta)
    if isinstance(html, str) and html.strip():
        return article_from_html(html, source=source, meta=meta)
    raise InputError("no_text", "the record has no non-empty 'text' (or 'html') field")
