"""The Python API: ``extract`` over inputs, ``extract_text`` over a string."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import extract as _engine  # noqa: F401  # imported now: a later first import would rebind onrecord.extract
from .errors import InputError
from .model import Article, ErrorRecord, Problem, Record, Result
from .settings import Settings

log = logging.getLogger(__name__)


def extract(
    sources: str | Path | Iterable[str | Path],
    *,
    settings: Settings | None = None,
    format: str | None = None,
    as_is: bool = False,
) -> Iterator[Result]:
    """Read each source (a file, a folder, ``-`` for standard input) and extract its statements.

    Yields one ``Record`` per article, or an ``ErrorRecord`` for an input that could
    not be read or processed; one bad input never stops the batch.
    """
    from .read import read_sources

    settings = settings or Settings.load()
    if isinstance(sources, (str, Path)):
        sources = [sources]
    for item in read_sources([str(s) for s in sources], format=format, as_is=as_is, settings=settings):
        if isinstance(item, ErrorRecord):
            yield item
        else:
            yield extract_one(item, settings)


def extract_one(article: Article, settings: Settings) -> Result:
    """``extract_article`` that turns any failure into an ErrorRecord (stage ``extract``)."""
    from .extract.pipeline import extract_article

    try:
        return extract_article(article, settings)
    except InputError as e:
        return ErrorRecord(article.source, Problem(e.code, e.message), stage="extract")
    except Exception as e:  # one broken article never stops a batch
        log.exception("extraction failed for %s", article.source)
        return ErrorRecord(article.source, Problem("extract_failed", f"{type(e).__name__}: {e}"), stage="extract")


def extract_text(
    text: str,
    *,
    title: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    source: str = "<text>",
    settings: Settings | None = None,
) -> Record:
    """Extract statements from ``text`` taken as the exact article body (offsets index ``text``)."""
    from .extract.pipeline import extract_article

    article = Article(text=text, source=source, url=url, title=title, published=published, outlet=outlet)
    return extract_article(article, settings or Settings.load())
