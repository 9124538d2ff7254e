"""What a worker process runs: read a file and/or extract an article, inside the per-article limits.

Used by the local process pool and by the Ray path alike, so both give the same records.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from ..limits import ArticleTimeout, time_limit
from ..model import Article, ErrorRecord, Problem, RawInput, Result
from ..settings import Settings

log = logging.getLogger(__name__)

_settings: Settings | None = None


def init_worker(settings: Settings) -> None:
    """Load the model once per process (a worker's first article then costs no more than the rest)."""
    global _settings
    _settings = settings
    from .. import nlp

    try:
        nlp.load(settings.model, settings.numpy_gemm)
    except Exception as e:  # reported per article by extract_one
        log.warning("cannot load the model: %s", e)


def extract_limited(article: Article, settings: Settings) -> Result:
    """``api.extract_one`` with the size and time limits: over either, an ErrorRecord (stage ``extract``)."""
    from ..api import extract_one

    if len(article.text) > settings.max_text_chars:
        return ErrorRecord(article.source, Problem(
            "too_large", f"{len(article.text)} characters of text, over max_text_chars={settings.max_text_chars}"),
            stage="extract")
    try:
        with time_limit(settings.article_timeout_s):
            return extract_one(article, settings)
    except ArticleTimeout:
        return ErrorRecord(article.source, Problem(
            "timeout", f"extraction took over article_timeout_s={settings.article_timeout_s:g}"), stage="extract")


def read_file(path: str, format: str | None, settings: Settings, pick: Callable[[int], bool] | None = None,
              raw: bool = False) -> Iterator[Article | ErrorRecord | RawInput | None]:
    """Every item the readers get from one file, in order; a read that outlives the time limit or fails ends
    the file with an error. With ``pick``, items whose position it refuses are not converted (None instead);
    with ``raw``, items still to convert (a JSONL line) come as RawInput, for ``work`` to convert."""
    from ..read import convert
    from ..read.sources import format_of_name, iter_inputs

    if raw and (format or format_of_name(path)) == "warc":
        from ..read.warc import iter_warc

        it: Iterator[Any] = iter(iter_warc(path, settings, raw=True))
    else:
        it = iter(iter_inputs([path], format=format, settings=settings))
    n = 0
    while True:
        try:
            with time_limit(settings.article_timeout_s):
                item = next(it)
                if pick is not None and not pick(n):
                    item = None
                elif isinstance(item, RawInput) and not raw:
                    item = convert(item, settings)
        except StopIteration:
            return
        except ArticleTimeout:
            yield ErrorRecord(path, Problem("timeout", f"reading took over article_timeout_s="
                                                       f"{settings.article_timeout_s:g}"), stage="read")
            return
        except Exception as e:  # a reader bug must not stop the batch
            log.exception("reading %s failed", path)
            yield ErrorRecord(path, Problem("read_failed", f"{type(e).__name__}: {e}"), stage="read")
            return
        n += 1
        yield item


def convert_limited(raw: RawInput, settings: Settings) -> Article | ErrorRecord:
    """``read.convert`` (bytes -> Article) inside the time limit."""
    from ..read import convert

    try:
        with time_limit(settings.article_timeout_s):
            return convert(raw, settings)
    except ArticleTimeout:
        return ErrorRecord(raw.source, Problem("timeout", f"reading took over article_timeout_s="
                                                          f"{settings.article_timeout_s:g}"), stage="read")


def work(task: tuple[Any, ...], settings: Settings | None = None) -> list[Result]:
    """Run one task: ``("article", Article)``, ``("raw", RawInput)`` or ``("file", path, format)``; returns its
    results in order. ``settings``: those given, else the worker's (``init_worker``), else the defaults."""
    settings = settings or _settings or Settings.load()
    if task[0] == "article":
        return [extract_limited(task[1], settings)]
    if task[0] == "raw":
        item = convert_limited(task[1], settings)
        return [item if isinstance(item, ErrorRecord) else extract_limited(item, settings)]
    _, path, format = task
    return [item if isinstance(item, ErrorRecord) else extract_limited(item, settings)
            for item in read_file(path, format, settings) if item is not None]
