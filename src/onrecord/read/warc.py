"""WARC (and WARC.gz, ARC) -> Articles: one per HTML response record, with the record's URL and date.

Non-response, non-200 and non-HTML records are counted and skipped (logged at INFO). A damaged or truncated
file gives the articles before the damage and one error row saying where it broke.
"""

from __future__ import annotations

import gzip
import logging
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError, MissingExtra
from ..model import Article, ErrorRecord, Problem, RawInput
from ..settings import Settings

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _is_html(content_type: str | None) -> bool:
    return content_type is not None and content_type.split(";")[0].strip().lower() in _HTML_TYPES


def iter_warc(path: str | Path, settings: Settings | None = None, *,
              raw: bool = False) -> Iterator[Article | ErrorRecord | RawInput]:
    """Every HTML article in the WARC file at ``path`` (gzipped per record or not), then an ErrorRecord if the
    file is damaged. An article's source is ``"<path>@<byte offset of its record>"``.

    With ``raw``, HTML records come as RawInput (the page bytes, format html, url and date in ``meta``) for
    the caller to convert with ``onrecord.read.convert`` (elsewhere: another process).
    """
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        raise MissingExtra("reading WARC files", "warc") from None
    from . import convert

    settings = settings or Settings.load()
    path = str(path)
    skipped: Counter[str] = Counter()
    try:
        fh = open(path, "rb")
    except OSError as e:
        yield ErrorRecord(path, Problem("not_found", f"cannot open {path}: {e.strerror}"))
        return
    with fh:
        if not fh.read(2):
            yield ErrorRecord(path, Problem("empty", "the WARC file is empty"))
            return
        fh.seek(0)
        gzipped = fh.read(2) == b"\x1f\x8b"
        fh.seek(0)
        problem = _check_head(path, fh, gzipped)
        if problem is not None:
            yield ErrorRecord(path, problem)
            return
        it = ArchiveIterator(fh, arc2warc=True)
        n_records = 0
        try:
            for offset, record in _records(it, fh, gzipped):
                n_records += 1
                source = f"{path}@{offset}"
                why = _skip_reason(record)
                if why:
                    skipped[why] += 1
                    record.content_stream().read()  # consume it so damage inside is noticed
                    _check_complete(record, offset)
                    continue
                data = record.content_stream().read(settings.max_input_bytes + 1)
                if len(data) > settings.max_input_bytes:
                    yield ErrorRecord(source, Problem(
                        "too_large", f"record over max_input_bytes={settings.max_input_bytes}"))
                    continue
                _check_complete(record, offset)
                page = RawInput(source, data, "html", _meta(record))
                yield page if raw else convert(page, settings)
            if gzipped:
                _check_gzip(path, n_records)  # warcio lets a cut-off gzip member pass
            elif not _only_blank_tail(fh, it.offset):
                raise InputError("truncated", f"the file ends inside a record at byte {it.offset}")
        except InputError as e:
            yield ErrorRecord(path, Problem(e.code, e.message))
        except Exception as e:  # warcio and gzip raise several types on damage (ArchiveLoadFailed, EOFError, ...)
            code = "bad_gzip" if isinstance(e, (gzip.BadGzipFile, zlib.error)) else "bad_warc"
            where = f"after {n_records} record(s)" if n_records else "at its start"
            yield ErrorRecord(path, Problem(code if n_records == 0 else "truncated",
                                            f"the WARC file is damaged {where}: {type(e).__name__}: {e}"[:500]))
    if skipped:
        log.info("%s: skipped %s", path, ", ".join(f"{n} {why}" for why, n in sorted(skipped.items())))


def _records(it: Any, fh: Any, gzipped: bool) -> Iterator[tuple[int, Any]]:
    """(offset, record) of every record; a file gzipped as a whole (not per record) is read decompressed,
    its offsets then counting uncompressed bytes."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    try:
        for record in it:
            n += 1
            yield it.offset, record
        return
    except ArchiveLoadFailed as e:
        if not gzipped or "non-chunked" not in str(e):
            raise
    fh.seek(0)
    whole = ArchiveIterator(gzip.GzipFile(fileobj=fh), arc2warc=True)
    for i, record in enumerate(whole):
        if i >= n:  # the records before were already handed out
            yield whole.offset, record


def _skip_reason(record: Any) -> str | None:
    if record.rec_type != "response":
        return f"{record.rec_type} record(s)"
    http = record.http_headers
    if http is None:
        return "response record(s) without HTTP headers"
    status = http.get_statuscode()
    if status != "200":
        return f"HTTP {status} response(s)"
    if not _is_html(http.get_header("Content-Type")):
        return "non-HTML response(s)"
    return None


def _check_head(path: str, fh: Any, gzipped: bool) -> Problem | None:
    """A problem when the file does not start like a WARC (or ARC) file, else None."""
    try:
        if gzipped:
            with gzip.open(path, "rb") as f:
                head = f.read(16)
        else:
            head = fh.read(16)
            fh.seek(0)
    except (EOFError, OSError, zlib.error) as e:
        return Problem("bad_gzip", f"not a readable gzip file: {e}")
    if not head.lstrip().startswith((b"WARC/", b"filedesc://")):
        return Problem("bad_warc", f"not a WARC file: it starts with {head[:16]!r}")
    return None


def _check_gzip(path: str, n_records: int) -> None:
    try:
        with gzip.open(path, "rb") as f:
            while f.read(1 << 20):
                pass
    except (EOFError, OSError, zlib.error) as e:
        if n_records == 0:
            raise InputError("bad_gzip", f"not a readable gzip file: {e}") from None
        raise InputError("truncated", f"the gzip stream is damaged or cut off: {e}") from None


def _check_complete(record: Any, offset: int) -> None:
    remaining = getattr(record.raw_stream, "limit", None)
    if remaining is None:
        raise InputError("truncated", f"the record at byte {offset} has no Content-Length (cut-off headers)")
    if remaining > 0:
        raise InputError("truncated", f"the file ends inside the record at byte {offset} ({remaining} bytes missing)")


def _only_blank_tail(stream: Any, offset: int) -> bool:
    """True when everything after ``offset`` is whitespace (trailing newlines, not a cut-off record)."""
    stream.seek(offset)
    while chunk := stream.read(1 << 16):
        if chunk.strip():
            return False
    return True


def _meta(record: Any) -> dict[str, Any]:
    headers = record.rec_headers
    meta: dict[str, Any] = {}
    uri = headers.get_header("WARC-Target-URI")
    if uri:
        meta["url"] = uri.strip("<>")
    date = headers.get_header("WARC-Date") or ""
    if len(date) >= 10 and date[4] == "-":
        meta["published"] = date[:10]
    return meta
